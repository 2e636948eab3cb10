"""Per-calculator time of tsfresh's Efficient set: parafeat and tsfresh, one calculator at a time.

    .venv/bin/python -m bench.timeseries_calculators [--series 500] [--length 1000]
        [--tsfresh-series 20] [--repeat 3] [--out-dir bench/results]

Each calculator of ``EfficientFCParameters`` (the implemented ones; the others are named in the
report) runs alone, with its Efficient parameter sets, through each library's
``extract_features`` on the series of suite ``timeseries`` (random walks and noisy sines, seed
0): parafeat on ``--series`` series with one thread, tsfresh on the first ``--tsfresh-series`` of
them with ``n_jobs=0`` (its serial path: tsfresh is slow, and one process keeps its CPU time
measurable). The figure is CPU seconds of the process per series (the median of ``--repeat``
runs after a warm-up), so that it holds on a loaded machine and across the two sample sizes.
Each library's fixed cost of a call (input handling, output frame) is measured once with an
empty settings dict and listed as "(call overhead)"; it is included in every calculator's time.

Writes ``timeseries-calculators.{json,md,png}``: a horizontal bar chart, slowest parafeat
calculator first, log scale.
"""

import argparse
import datetime
import os
import pathlib
import statistics
import time

from bench.runner import BENCH_DIR, machine, versions, write_json
from bench.suites.timeseries import LENGTH, make_series, settings

OVERHEAD = "(call overhead)"


def cpu_seconds(function, repeat: int) -> float:
    """Median process CPU seconds of ``repeat`` calls of ``function()`` after one warm-up."""
    function()
    times = []
    for _ in range(repeat):
        started = time.process_time()
        function()
        times.append(time.process_time() - started)
    return statistics.median(times)


def per_calculator(extract, frame, calculators: dict, repeat: int, log) -> dict:
    """{calculator: CPU seconds per series} of ``extract(frame, settings)`` for each calculator
    alone, plus the call overhead (empty settings)."""
    num_series = frame["id"].nunique()
    found = {OVERHEAD: cpu_seconds(lambda: extract(frame, {}), repeat) / num_series}
    for name, sets in calculators.items():
        found[name] = cpu_seconds(lambda: extract(frame, {name: sets}), repeat) / num_series
        log(f"{name}: {found[name] * 1e3:.4f} ms/series")
    return found


def parafeat_extract(frame, fc_parameters):
    import parafeat.timeseries as pt

    return pt.extract_features(
        frame, column_id="id", column_sort="time", default_fc_parameters=fc_parameters, n_jobs=1
    )


def tsfresh_extract(frame, fc_parameters):
    import tsfresh

    return tsfresh.extract_features(
        frame, column_id="id", column_sort="time", default_fc_parameters=fc_parameters,
        n_jobs=0, disable_progressbar=True,
    )  # fmt: skip


def write_markdown(report: dict, path: pathlib.Path) -> None:
    m, load = report["machine"], report["load_average"]
    rows = sorted(report["calculators"], key=lambda r: -r["parafeat_ms"])
    lines = [
        "# timeseries-calculators — CPU time per series of each Efficient calculator",
        "",
        f"- Input: {report['input']['description']}",
        f"- Left out (not implemented in parafeat): {', '.join(report['left_out']) or 'nothing'}",
        f"- Machine: {m['cpu_model']}, {m['usable_cpus']} usable CPUs; load average "
        f"{load['start'][0]:.2f} at start, {load['end'][0]:.2f} at end",
        f"- Versions: {', '.join(f'{k} {v}' for k, v in report['versions'].items() if v)}",
        f"- Date: {report['date']}; whole run {report['elapsed_s']:.0f} s",
        "- Method: each calculator alone (its Efficient parameter sets) through extract_features;"
        f" process CPU ms per series, median of {report['repeat']} runs after a warm-up. Every "
        f"row includes the call overhead listed as {OVERHEAD!r}.",
        "",
        "| calculator | parafeat ms/series | tsfresh ms/series | tsfresh / parafeat |",
        "|---|---|---|---|",
    ]
    for r in rows:
        ratio = r["tsfresh_ms"] / r["parafeat_ms"] if r["parafeat_ms"] > 0 else float("inf")
        lines.append(
            f"| {r['name']} | {r['parafeat_ms']:.4f} | {r['tsfresh_ms']:.3f} | {ratio:,.0f}× |"
        )
    ours, theirs = (_whole_set_ms(report, key) for key in ("parafeat_ms", "tsfresh_ms"))
    lines += [
        "",
        f"Whole set, estimated as one call's overhead plus every calculator's time less the "
        f"overhead: parafeat {ours:.3f} ms/series, tsfresh {theirs:.3f} ms/series "
        f"({theirs / ours:,.0f}×; CPU time of one thread or process).",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _whole_set_ms(report: dict, key: str) -> float:
    rows = {r["name"]: r[key] for r in report["calculators"]}
    overhead = rows.pop(OVERHEAD)
    return overhead + sum(value - overhead for value in rows.values())


def write_plot(report: dict, path: pathlib.Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = sorted(report["calculators"], key=lambda r: r["parafeat_ms"])
    figure, axes = plt.subplots(figsize=(8, 0.22 * len(rows) + 1.5), dpi=120)
    positions = range(len(rows))
    height = 0.4
    axes.barh([p + height / 2 for p in positions], [r["tsfresh_ms"] for r in rows], height,
              color="grey", label="tsfresh (n_jobs=0)")  # fmt: skip
    axes.barh([p - height / 2 for p in positions], [r["parafeat_ms"] for r in rows], height,
              label="parafeat (1 thread)")  # fmt: skip
    axes.set_yticks(list(positions), [r["name"] for r in rows], fontsize=7)
    axes.set_xscale("log")
    axes.set_xlabel("CPU ms per series (log scale; includes the call overhead)")
    i = report["input"]
    axes.set_title(
        f"Efficient calculators, one at a time: {i['length']:,}-point series\n"
        f"parafeat on {i['parafeat_series']:,} series, tsfresh on {i['tsfresh_series']:,}; "
        f"{report['machine']['cpu_model']}",
        fontsize=9,
    )
    axes.grid(alpha=0.3, axis="x")
    axes.legend(fontsize=8, loc="lower right")
    figure.tight_layout()
    figure.savefig(path, format="png")
    plt.close(figure)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.timeseries_calculators")
    parser.add_argument("--series", type=int, default=500, help="series for parafeat")
    parser.add_argument("--length", type=int, default=LENGTH, help="points per series")
    parser.add_argument("--tsfresh-series", type=int, default=20, help="series for tsfresh")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after a warm-up")
    parser.add_argument("--skip-tsfresh", action="store_true", help="time parafeat only")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out-dir", type=pathlib.Path, default=BENCH_DIR / "results")
    args = parser.parse_args(argv)

    def log(message):
        print(f"[calculators] {message}", flush=True)

    started, load_at_start = time.perf_counter(), os.getloadavg()
    frame = make_series(args.series, args.length, args.seed)
    sample = frame[frame["id"] < args.tsfresh_series]
    kept, left_out = settings()
    log(f"parafeat: {args.series} series x {args.length} points")
    ours = per_calculator(parafeat_extract, frame, kept, args.repeat, log)
    theirs = {}
    if not args.skip_tsfresh:
        log(f"tsfresh: {args.tsfresh_series} series")
        theirs = per_calculator(tsfresh_extract, sample, kept, args.repeat, log)
    report = {
        "suite": "timeseries-calculators",
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "input": {
            "description": f"{args.length:,}-point series of suite timeseries (seed "
            f"{args.seed}): parafeat on {args.series:,} series (1 thread), tsfresh on the first "
            f"{args.tsfresh_series:,} (n_jobs=0)",
            "length": args.length,
            "parafeat_series": args.series,
            "tsfresh_series": args.tsfresh_series,
            "seed": args.seed,
        },
        "left_out": left_out,
        "repeat": args.repeat,
        "calculators": [
            {"name": name, "parafeat_ms": ours[name] * 1e3,
             "tsfresh_ms": theirs.get(name, float("nan")) * 1e3}
            for name in ours
        ],  # fmt: skip
        "load_average": {"start": list(load_at_start), "end": list(os.getloadavg())},
        "elapsed_s": time.perf_counter() - started,
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    base = args.out_dir / "timeseries-calculators"
    write_json(report, base.with_suffix(".json"))
    write_markdown(report, base.with_suffix(".md"))
    write_plot(report, base.with_suffix(".png"))
    log(f"results: {base}.json, .md, .png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
