"""The command line's memory run: ``parafeat fit`` then ``parafeat extract --state`` streaming a
generated JSON Lines file of several GB, with each process's peak resident memory measured.

    .venv/bin/python -m bench.cli_memory [--size-gb 5] [--work-dir DIR]

Writes bench/results/cli-memory.{json,md}. The input is the generated corpus of suite
text-hashing (200 MB, seed 0) written repeatedly until the size is reached; the spec is a
default TfidfVectorizer. Goal: peak RSS below 1 GiB for both commands, whatever the input size.
"""

import argparse
import datetime
import json
import os
import pathlib
import subprocess
import sys
import time

from bench.runner import BENCH_DIR, machine, versions, write_json
from bench.suites.text_hashing import make_corpus

SPEC = """version: 1
extractors:
  - name: tfidf_vectorizer
    column: text
    output: tfidf
"""
BLOCK_MB = 200.0
RSS_GOAL_BYTES = 2**30


def write_input(path: pathlib.Path, size_bytes: int) -> int:
    """Writes JSON Lines documents until ``size_bytes``; returns the number of lines."""
    documents = make_corpus(BLOCK_MB, seed=0)
    block = "".join(json.dumps({"text": d}, ensure_ascii=False) + "\n" for d in documents)
    block = block.encode("utf-8")
    written, lines = 0, 0
    with open(path, "wb") as out:
        while written < size_bytes:
            out.write(block)
            written += len(block)
            lines += len(documents)
    return lines


def write_input_in_a_child(path: pathlib.Path, size_bytes: int) -> int:
    """write_input() in its own process, so that this one stays small: Linux carries a process's
    peak RSS over to the children it starts, which would hide theirs."""
    code = (
        "import sys; from bench.cli_memory import write_input; "
        f"print(write_input(__import__('pathlib').Path({str(path)!r}), {size_bytes}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BENCH_DIR.parent, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    return int(result.stdout)


def run_measured(args: list) -> dict:
    """Runs ``parafeat ARGS`` and returns its wall time and peak RSS (from wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "parafeat", *args])
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"parafeat {args[0]} failed with status {status}")
    return {"seconds": seconds, "peak_rss_bytes": usage.ru_maxrss * 1024}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gb", type=float, default=5.0, help="input size, GB (10**9)")
    parser.add_argument("--work-dir", type=pathlib.Path, default=BENCH_DIR.parent / "build")
    parser.add_argument("--out-dir", type=pathlib.Path, default=BENCH_DIR / "results")
    args = parser.parse_args(argv)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    corpus = args.work_dir / "cli-memory-input.jsonl"
    spec = args.work_dir / "cli-memory-spec.yaml"
    state = args.work_dir / "cli-memory.pfstate"
    output = args.work_dir / "cli-memory-output.parquet"
    spec.write_text(SPEC, encoding="utf-8")
    try:
        print(f"[memory] writing {args.size_gb:g} GB of JSON Lines to {corpus}", flush=True)
        lines = write_input_in_a_child(corpus, int(args.size_gb * 1e9))
        size = corpus.stat().st_size
        load_start = os.getloadavg()
        fit = run_measured(["fit", "--spec", str(spec), "--input", str(corpus), "--state",
                            str(state), "--no-progress"])  # fmt: skip
        extract = run_measured(["extract", "--state", str(state), "--input", str(corpus),
                                "--output", str(output), "--no-progress"])  # fmt: skip
        output_bytes = output.stat().st_size
    finally:
        for path in (corpus, output):
            path.unlink(missing_ok=True)
    report = {
        "suite": "cli-memory",
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "input": {"bytes": size, "lines": lines, "spec": SPEC},
        "fit": fit,
        "extract": {**extract, "output_bytes": output_bytes},
        "rss_goal_bytes": RSS_GOAL_BYTES,
        "met": max(fit["peak_rss_bytes"], extract["peak_rss_bytes"]) < RSS_GOAL_BYTES,
        "load_average": {"start": list(load_start), "end": list(os.getloadavg())},
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    write_json(report, args.out_dir / "cli-memory.json")
    m = report["machine"]
    rows = [
        f"| {name} | {r['seconds']:.1f} | {size / 1e6 / r['seconds']:.1f} | "
        f"{r['peak_rss_bytes'] / 2**20:,.0f} MiB |"
        for name, r in (("parafeat fit", fit), ("parafeat extract --state", extract))
    ]
    text = "\n".join([
        "# cli-memory — streaming fit and extract over a large JSON Lines file",
        "",
        f"- Input: {size / 1e9:.2f} GB, {lines:,} documents (suite text-hashing's generated "
        f"corpus, {BLOCK_MB:g} MB, repeated); spec: a default TfidfVectorizer",
        f"- Machine: {m['cpu_model']}, {m['usable_cpus']} usable CPUs; load average "
        f"{load_start[0]:.2f} at start",
        f"- Output: {output_bytes / 1e9:.2f} GB of Parquet",
        f"- Goal: peak RSS below {RSS_GOAL_BYTES / 2**30:g} GiB per command: "
        f"{'met' if report['met'] else '**not met**'}",
        "",
        "| command | seconds | MB/s | peak RSS |",
        "|---|---|---|---|",
        *rows,
        "",
    ])  # fmt: skip
    (args.out_dir / "cli-memory.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
