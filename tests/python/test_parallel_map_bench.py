"""`parafeat bench parallel-map` runs end to end on tiny sizes, with peak memory and goals.

A smoke test only: it checks the files and the recorded fields, never a timing.
"""

import json
import pathlib
import subprocess
import sys

from parafeat.cli import main as parafeat_main

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_parallel_map_suite_records_every_workload_with_peak_memory_and_goals(tmp_path):
    status = parafeat_main([
        "bench", "--repo", str(REPO), "parallel-map", "--quick", "--repeat", "1",
        "--out-dir", str(tmp_path),
    ])  # fmt: skip
    assert status == 0
    report = json.loads((tmp_path / "parallel-map.json").read_text(encoding="utf-8"))
    assert report["outputs_equal"] is True
    labels = [c["label"] for c in report["contenders"]]
    for workload in ("(a) tiny", "(b) cpu", "(c) arrays"):
        for peer in ("parafeat", "joblib", "Pool.imap"):
            assert f"{workload}: {peer}" in labels
    assert "(b) cpu: plain loop" in labels
    calls = {c["label"]: c["calls_per_s"] * c["median_s"] for c in report["contenders"]}
    assert round(calls["(a) tiny: parafeat"]) == 1000 and round(calls["(c) arrays: joblib"]) == 8
    measured = [c["label"] for c in report["contenders"] if c["peak_memory_bytes"] is not None]
    assert len(measured) == 6 and all(label[:3] in ("(a)", "(c)") for label in measured)
    assert [(r["metric"], r["goal"]) for r in report["ratios"]] == [
        ("throughput", 5.0), ("throughput", 1.9), ("throughput", 2.0), ("memory", 1.0),
    ]  # fmt: skip
    assert report["versions"]["joblib"] and report["versions"]["cloudpickle"]
    assert "peak memory" in (tmp_path / "parallel-map.md").read_text(encoding="utf-8")
    assert (tmp_path / "parallel-map.png").read_bytes().startswith(b"\x89PNG")


def test_peak_memory_sees_an_allocation_held_to_the_end():
    # In a fresh interpreter: the test session's own children (a Spark JVM, pooled workers)
    # would count in this process's tree and change size on their own.
    measured = subprocess.run(
        [sys.executable, "-c", (
            "import numpy as np\n"
            "from bench.measure import PeakMemory\n"
            "with PeakMemory() as peak:\n"
            "    held = np.ones(100 * 2**20 // 8)  # 100 MiB, touched\n"
            "print(peak.increase)\n"
        )],
        cwd=REPO, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert 90 * 2**20 < int(measured.stdout) < 200 * 2**20
