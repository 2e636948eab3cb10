"""`parafeat bench text-hashing` runs end to end on a tiny corpus and writes its three results.

A smoke test only: it checks the files and the recorded fields, never a timing.
"""

import functools
import json
import operator
import pathlib

import pytest

from parafeat.cli import main as parafeat_main

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("bench-results")
    status = parafeat_main([
        "bench", "--repo", str(REPO), "text-hashing",
        "--size-mb", "0.2", "--repeat", "1", "--out-dir", str(out_dir),
    ])  # fmt: skip
    return status, out_dir


def test_bench_runner_exits_zero_without_check(results):
    status, _ = results
    assert status == 0


def test_bench_runner_writes_json_markdown_and_png(results):
    _, out_dir = results
    for suffix in (".json", ".md", ".png"):
        assert (out_dir / f"text-hashing{suffix}").stat().st_size > 0
    assert (out_dir / "text-hashing.png").read_bytes().startswith(b"\x89PNG")
    assert "| parafeat, 2 threads / scikit-learn |" in (out_dir / "text-hashing.md").read_text()


def test_bench_runner_json_records_equal_outputs_timings_ratios_and_machine(results):
    _, out_dir = results
    report = json.loads((out_dir / "text-hashing.json").read_text(encoding="utf-8"))
    assert report["outputs_equal"] is True
    assert [e["equal"] for e in report["equality"]] == [True, True]
    assert report["input"]["bytes"] >= 0.2e6
    assert report["settings"]["repeat"] == 1
    labels = [c["label"] for c in report["contenders"]]
    assert labels == ["scikit-learn", "parafeat, 1 thread", "parafeat, 2 threads"]
    for contender in report["contenders"]:
        assert len(contender["seconds"]) == 1
        assert contender["min_s"] <= contender["median_s"] <= contender["max_s"]
        assert contender["mb_per_s"] > 0 and contender["docs_per_s"] > 0
        assert len(contender["cpu_seconds"]) == 1 and contender["cpus_used"] >= 0
    assert [(r["name"], r["goal"]) for r in report["ratios"]] == [
        ("parafeat, 2 threads / scikit-learn", 20.0),
        ("parafeat, 2 threads / parafeat, 1 thread", 1.8),
    ]
    assert all(r["value"] > 0 and isinstance(r["met"], bool) for r in report["ratios"])
    machine = report["machine"]
    assert machine["cpu_model"] and machine["logical_cpus"] >= 1 and machine["memory_bytes"] > 0
    for package in ("python", "numpy", "scipy", "scikit-learn", "pyarrow", "parafeat"):
        assert report["versions"][package]
    assert report["date"]


def test_bench_runner_rejects_an_unknown_suite_naming_the_available_ones(capsys):
    with pytest.raises(SystemExit) as exit_info:
        parafeat_main(["bench", "--repo", str(REPO), "no-such-suite"])
    assert exit_info.value.code == 2
    assert "text-hashing" in capsys.readouterr().err


def test_bench_runner_refuses_an_out_dir_it_cannot_write_before_measuring(tmp_path, capsys):
    (tmp_path / "a-file").write_text("")
    with pytest.raises(SystemExit) as exit_info:
        parafeat_main([
            "bench", "--repo", str(REPO), "text-hashing", "--size-mb", "0.2", "--repeat", "1",
            "--out-dir", str(tmp_path / "a-file" / "results"),
        ])  # fmt: skip
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert f"--out-dir {tmp_path / 'a-file' / 'results'}: cannot write results there" in captured.err
    assert "preparing" not in captured.out + captured.err  # nothing was measured


@pytest.mark.parametrize(
    "size, message",
    [
        ("0.001", "--size-mb must be at least 0.1 for suite text"),
        ("nan", "--size-mb must be a positive number, got nan"),
        ("inf", "--size-mb must be a positive number, got inf"),
        ("0", "--size-mb must be a positive number, got 0"),
    ],
)
def test_bench_runner_refuses_sizes_that_cannot_make_a_valid_run(tmp_path, capsys, size, message):
    with pytest.raises(SystemExit) as exit_info:
        parafeat_main([
            "bench", "--repo", str(REPO), "text", "--size-mb", size, "--repeat", "1",
            "--out-dir", str(tmp_path),
        ])  # fmt: skip
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "preparing" not in captured.out + captured.err


def test_text_suite_runs_at_its_minimum_size(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(REPO))
    from bench.suites import text

    status = parafeat_main([
        "bench", "--repo", str(REPO), "text", "--size-mb", str(text.MIN_SIZE_MB), "--repeat", "1",
        "--out-dir", str(tmp_path),
    ])  # fmt: skip
    assert status == 0


def test_text_hashing_corpus_is_deterministic_and_mixes_scripts(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO))
    from bench.suites.text_hashing import make_corpus

    first, again = make_corpus(0.3, seed=7), make_corpus(0.3, seed=7)
    assert first == again
    assert sum(len(d.encode("utf-8")) for d in first) >= 0.3e6
    text = "".join(first)
    for low, high in [(0x0391, 0x03C9), (0x0410, 0x044F), (0x4E00, 0x9FFF), (0x1F300, 0x1F64F)]:
        assert any(low <= ord(ch) <= high for ch in text), f"no U+{low:04X}..U+{high:04X}"
    assert sum(ch.isascii() for ch in text) / len(text) > 0.8


def test_text_suite_compares_each_parafeat_vectorizer_with_its_sklearn_namesake(tmp_path):
    status = parafeat_main([
        "bench", "--repo", str(REPO), "text", "--size-mb", "0.2", "--repeat", "1",
        "--out-dir", str(tmp_path),
    ])  # fmt: skip
    assert status == 0
    report = json.loads((tmp_path / "text.json").read_text(encoding="utf-8"))
    assert report["outputs_equal"] is True
    pairs = {(e["contender"], e["reference"]) for e in report["equality"]}
    for task in ("CountVectorizer", "TfidfVectorizer", "HashingVectorizer"):
        for threads in ("1 thread", "2 threads"):
            assert (f"parafeat {task}, {threads}", f"scikit-learn {task}") in pairs
    assert len(pairs) == 6
    ratios = [r["name"] for r in report["ratios"]]
    assert len(ratios) == 9
    # The machine's ceiling: two 1-thread processes, timed with the CPU time they used.
    contenders = {c["label"]: c for c in report["contenders"]}
    for task in ("CountVectorizer", "TfidfVectorizer", "HashingVectorizer"):
        split = f"parafeat {task}, every other document per process, 1 thread in each of 2 processes"
        assert (contenders[split]["processes"], contenders[split]["cpus"]) == (2, 2)
        assert 0 < contenders[split]["cpus_used"] <= 2.5
        assert f"{split} / parafeat {task}, 1 thread" in ratios


def test_timeseries_suite_runs_tsfresh_on_the_series_that_fit_its_budget(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO))
    pytest.importorskip("tsfresh")
    from bench import runner
    from bench.suites import timeseries

    monkeypatch.setattr(timeseries, "TSFRESH_RUN_BUDGET_S", 1e-9)  # nothing fits: the minimum
    report = runner.run("timeseries", timeseries, 0.032, repeat=1, seed=0)  # 4 series
    assert report["outputs_equal"] is True
    assert report["input"]["tsfresh_series"] == 2
    labels = [c["label"] for c in report["contenders"]]
    assert labels == [
        "parafeat, 1 thread", "parafeat, 2 threads", "parafeat (first 2 series), 2 threads",
        "tsfresh n_jobs=2 (first 2 of 4 series)",
    ]  # fmt: skip
    series_per_s = {c["label"]: c["series_per_s"] for c in report["contenders"]}
    assert series_per_s[labels[3]] == pytest.approx(2 / report["contenders"][3]["median_s"])
    assert all(c["peak_memory_bytes"] is not None for c in report["contenders"])
    assert [r["name"] for r in report["ratios"]] == [
        f"parafeat, 2 threads / {labels[3]}", f"peak memory: {labels[3]} / {labels[2]}",
    ]  # fmt: skip
    # Series per second of each on its own series: 4 for parafeat, 2 for tsfresh.
    assert report["ratios"][0]["value"] == pytest.approx(series_per_s[labels[1]] / series_per_s[labels[3]])


def test_an_unchecked_contender_is_timed_but_its_output_compared_with_nothing():
    from bench.runner import UNCHECKED, Contender, SuitePlan, _check_outputs

    compared = []
    reference = Contender("peer", lambda: "peer output")
    checked = Contender("ours", lambda: "peer output", reference=reference)
    floor = Contender("floor", lambda: "no features at all", reference=UNCHECKED)
    plan = SuitePlan(
        title="t", description="d", input={}, input_bytes=1, input_items=1, item_unit="items",
        contenders=[reference, checked, floor], reference=reference,
        first_difference=lambda output, expected: compared.append(output) or (
            None if output == expected else "differs"
        ),
        goals=[],
    )  # fmt: skip
    warm_up, comparisons = _check_outputs(plan)
    assert set(warm_up) == {reference, checked, floor}
    assert comparisons == [
        {"contender": "ours", "reference": "peer", "equal": True, "first_difference": None}
    ]
    assert compared == ["peer output"]


def test_timeseries_long_suite_runs_parafeat_on_all_series_and_on_tsfresh_sample(monkeypatch):
    # Case (b) and the few-series case in one run: parafeat with 1 and 2 threads on every series
    # and on tsfresh's sample, a speed goal for each 2-thread run, memory on the sample.
    monkeypatch.syspath_prepend(str(REPO))
    pytest.importorskip("tsfresh")
    from bench import runner
    from bench.suites import timeseries, timeseries_long

    monkeypatch.setattr(timeseries, "TSFRESH_RUN_BUDGET_S", 1e-9)  # nothing fits: the minimum
    monkeypatch.setattr(timeseries_long, "LENGTH", 1000)
    report = runner.run("timeseries-long", timeseries_long, 0.032, repeat=1, seed=0)  # 4 series
    assert report["outputs_equal"] is True
    sample = "parafeat (first 2 series)"
    peer = "tsfresh n_jobs=2 (first 2 of 4 series)"
    assert [c["label"] for c in report["contenders"]] == [
        "parafeat, 1 thread", "parafeat, 2 threads", f"{sample}, 1 thread",
        f"{sample}, 2 threads", peer,
    ]  # fmt: skip
    assert [r["name"] for r in report["ratios"]] == [
        f"parafeat, 2 threads / {peer}", f"{sample}, 2 threads / {peer}",
        f"peak memory: {peer} / {sample}, 2 threads",
    ]  # fmt: skip


def test_split_across_processes_runs_the_work_on_every_part_and_names_a_worker_that_died(
    monkeypatch,
):
    monkeypatch.syspath_prepend(str(REPO))
    from bench.split_processes import SplitAcrossProcesses

    parts = SplitAcrossProcesses([[1, 2], [3, 4]])
    try:
        parts.run(sum)
        assert parts.cpu_seconds() > 0  # the workers' own CPU time, reported back
        with pytest.raises(RuntimeError, match="worker process 0 of 2 ended"):
            parts.run(functools.partial(operator.truediv, 1))  # 1 / [1, 2]: TypeError
    finally:
        parts.close()
