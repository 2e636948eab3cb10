"""Suite ``serve``: parafeat-serve's latency as one input grows, and its capacity under load.

Runs on its own schedule rather than the runner's contender timing (a latency benchmark needs
request percentiles, not run medians): ``parafeat bench serve [--quick] [--check]``.

- Input: one document of 1 KB, 10 KB, 100 KB and 1 MB, prefixes of text_hashing's Zipf corpus;
  pipeline: one hashing_vectorizer (n_features 2**18, default analysis).
- Low load: one client sends requests one after another (each size a bounded number of times,
  bounded in seconds too) to a server with 1 executor thread, then one with 2. Latency is the
  client's: request sent to response read.
- Saturation: 8 client threads send 100 KB and 1 MB requests for a fixed time to a 2-thread
  server with splitting (the default) and with splitting off (--split-bytes 0); throughput is
  answered requests per second.
- Time series: one random-walk series of 1 000, 10 000 and 100 000 points per request, JSON
  {"inputs": [[...]]}, to a server of one timeseries_features step (tsfresh's Efficient set),
  measured as the low-load text rows are (1 thread, then 2).
Goals: 1 MB p50 with 2 threads <= 0.6x with 1; p99 grows sub-linearly with input length; saturated
throughput with splitting >= 0.9x without.
"""

import argparse
import concurrent.futures
import datetime
import http.client
import json
import math
import os
import pathlib
import tempfile
import threading
import time

import numpy as np

from bench.runner import BENCH_DIR, _write_atomically, machine, versions, write_json
from bench.suites.text_hashing import make_corpus
from parafeat.serve import ServerProcess

TITLE = "parafeat-serve: request latency vs input length, and capacity under load"
SIZES = [1_000, 10_000, 100_000, 1_000_000]
SPEC = """version: 1
extractors:
  - name: hashing_vectorizer
    column: text
    params: {n_features: 262144}
    output: features
"""
SERIES_LENGTHS = [1_000, 10_000, 100_000]
SERIES_SPEC = """version: 1
extractors:
  - name: timeseries_features
    column: value
    params: {features: efficient}
    output: features
"""
GOAL_P50_RATIO = 0.6
GOAL_THROUGHPUT_RATIO = 0.9


def _log(message):
    print(f"[bench serve] {message}", flush=True)


def make_inputs(seed):
    """One document per size: the start of a long Zipf text, cut at a space."""
    text = " ".join(make_corpus(1.2, seed))
    inputs = {}
    for size in SIZES:
        cut = text.rfind(" ", 0, size)
        prefix = text[: cut if cut > 0 else size]
        while len(prefix.encode("utf-8")) > size:
            prefix = prefix[: prefix.rfind(" ")]
        inputs[size] = prefix
    return inputs


def make_series_bodies(seed):
    """One request body per series length: a random walk (Gaussian steps), JSON as json.dumps
    writes it."""
    rng = np.random.default_rng(seed)
    walk = np.cumsum(rng.normal(size=max(SERIES_LENGTHS)))
    return {n: json.dumps({"inputs": [walk[:n].tolist()]}).encode("utf-8") for n in SERIES_LENGTHS}


class Client:
    """One keep-alive HTTP connection; post() returns (status, seconds)."""

    def __init__(self, server):
        self.connection = http.client.HTTPConnection(server.host, server.port, timeout=120)

    def post(self, body):
        started = time.perf_counter()
        self.connection.request(
            "POST", "/v1/features", body=body, headers={"Content-Type": "application/json"}
        )
        response = self.connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started

    def close(self):
        self.connection.close()


def percentile(values, q):
    return float(np.percentile(np.asarray(values), q))


def low_load(spec_path, threads, bodies, counts, seconds_per_size, unit="B"):
    """Latencies of sequential requests, per size (in `unit`), from one client."""
    results = {}
    with ServerProcess(["--spec", spec_path, "--threads", str(threads)]) as server:
        client = Client(server)
        for size, body in bodies.items():
            client.post(body)  # warm-up
            latencies, started = [], time.perf_counter()
            while len(latencies) < counts[size] and time.perf_counter() - started < seconds_per_size:
                status, seconds = client.post(body)
                assert status == 200, status
                latencies.append(seconds)
            results[size] = {
                "requests": len(latencies),
                "p50_ms": percentile(latencies, 50) * 1e3,
                "p99_ms": percentile(latencies, 99) * 1e3,
                "min_ms": min(latencies) * 1e3,
                "max_ms": max(latencies) * 1e3,
            }
            _log(f"{threads} thread(s), {size:>9,} {unit}: p50 {results[size]['p50_ms']:.2f} ms, "
                 f"p99 {results[size]['p99_ms']:.2f} ms ({len(latencies)} requests)")  # fmt: skip
        client.close()
    return results


def saturated(spec_path, extra_args, bodies, clients, seconds):
    """Requests per second answered while `clients` threads post as fast as they can."""
    stop = threading.Event()
    counts = [0] * clients
    mixed = [bodies[100_000], bodies[1_000_000]]

    def hammer(i):
        client = Client(server)
        k = i
        while not stop.is_set():
            status, _ = client.post(mixed[k % 2])
            assert status == 200, status
            counts[i] += 1
            k += 1
        client.close()

    with ServerProcess(["--spec", spec_path, "--threads", "2", "--http-threads", str(clients),
                        *extra_args]) as server:  # fmt: skip
        Client(server).post(mixed[1])
        with concurrent.futures.ThreadPoolExecutor(clients) as pool:
            futures = [pool.submit(hammer, i) for i in range(clients)]
            time.sleep(seconds)
            stop.set()
            for future in futures:
                future.result()
    total = sum(counts)
    return {"requests": total, "seconds": seconds, "requests_per_s": total / seconds}


def growth_exponent(results, small, large):
    """d log(p99) / d log(size) between two sizes: below 1 is sub-linear."""
    return math.log(results[large]["p99_ms"] / results[small]["p99_ms"]) / math.log(large / small)


def write_markdown(report, path):
    m, v, load = report["machine"], report["versions"], report["load_average"]
    lines = [
        f"# serve — {TITLE}", "",
        f"- Input: {report['input']}",
        f"- Machine: {m['cpu_model']}, {m['logical_cpus']} logical CPUs ({m['usable_cpus']} "
        f"usable); {m['os']}; load average {load['start'][0]:.2f} at start, "
        f"{load['end'][0]:.2f} at end (1-minute averages of the whole shared machine; the "
        f"benchmark's own client and server are part of it)",
        f"- Versions: " + ", ".join(f"{k} {x}" for k, x in v.items() if x),
        f"- Client: Python http.client on loopback, keep-alive; latency = request sent to response "
        f"read (JSON in and out included). Date {report['date']}.", "",
        "## Latency at low load (one client, sequential requests)", "",
        "| input | 1 thread p50 | 1 thread p99 | 2 threads p50 | 2 threads p99 | p50 2t/1t | requests |",
        "|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    one, two = report["low_load"]["1"], report["low_load"]["2"]
    for size in SIZES:
        a, b = one[str(size)], two[str(size)]
        lines.append(
            f"| {size:,} B | {a['p50_ms']:.2f} ms | {a['p99_ms']:.2f} ms | {b['p50_ms']:.2f} ms "
            f"| {b['p99_ms']:.2f} ms | {b['p50_ms'] / a['p50_ms']:.2f} | {a['requests']} / "
            f"{b['requests']} |"
        )
    series = report.get("timeseries_low_load")
    if series:
        lines += [
            "", "## Time series at low load (one client, sequential requests, one series each)", "",
            f"Pipeline: {report['timeseries_input']}", "",
            "| series | 1 thread p50 | 1 thread p99 | 2 threads p50 | 2 threads p99 | p50 2t/1t | requests |",
            "|---|---|---|---|---|---|---|",
        ]  # fmt: skip
        for length in SERIES_LENGTHS:
            a, b = series["1"][str(length)], series["2"][str(length)]
            lines.append(
                f"| {length:,} points | {a['p50_ms']:.2f} ms | {a['p99_ms']:.2f} ms | "
                f"{b['p50_ms']:.2f} ms | {b['p99_ms']:.2f} ms | {b['p50_ms'] / a['p50_ms']:.2f} | "
                f"{a['requests']} / {b['requests']} |"
            )
    s = report["saturation"]
    lines += [
        "", f"## Saturation ({s['clients']} clients, 100 KB and 1 MB requests alternating, "
        f"{s['split']['seconds']:.0f} s each, 2 executor threads)", "",
        "| configuration | requests | requests/s |", "|---|---|---|",
        f"| splitting (default) | {s['split']['requests']} | {s['split']['requests_per_s']:.2f} |",
        f"| no splitting (--split-bytes 0) | {s['no_split']['requests']} | "
        f"{s['no_split']['requests_per_s']:.2f} |",
        "", "## Goals", "", "| goal | value | target | met |", "|---|---|---|---|",
    ]  # fmt: skip
    for goal in report["goals"]:
        lines.append(f"| {goal['name']} | {goal['value']:.3f} | {goal['target']} | "
                     f"{'yes' if goal['met'] else 'NO'} |")  # fmt: skip
    _write_atomically(path, lambda p: p.write_text("\n".join(lines) + "\n", encoding="utf-8"))


def write_plot(report, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = report.get("timeseries_low_load")
    panels = [("text: one document", "input length, bytes", report["low_load"], SIZES)]
    if series:
        panels.append(("time series: one series (Efficient set)", "series length, points",
                       series, SERIES_LENGTHS))  # fmt: skip
    figure, all_axes = plt.subplots(1, len(panels), figsize=(8 * len(panels), 5), squeeze=False)
    for axes, (title, xlabel, low, sizes) in zip(all_axes[0], panels):
        for threads, style in (("1", "-"), ("2", "--")):
            for stat, marker in (("p50_ms", "o"), ("p99_ms", "^")):
                axes.plot(sizes, [low[threads][str(s)][stat] for s in sizes], style, marker=marker,
                          label=f"{threads} thread{'s' if threads == '2' else ''}, {stat[:3]}")  # fmt: skip
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel(xlabel)
        axes.set_ylabel("latency, ms")
        axes.set_title(title, fontsize=10)
        axes.grid(alpha=0.3, which="both")
        axes.legend(fontsize=8)
    m = report["machine"]
    figure.suptitle(f"parafeat-serve latency vs input length (loopback, one client); "
                    f"{m['cpu_model']}, {m['usable_cpus']} CPUs", fontsize=10)  # fmt: skip
    figure.tight_layout()
    _write_atomically(path, lambda p: figure.savefig(p, format="png"))
    plt.close(figure)


def main(argv) -> int:
    parser = argparse.ArgumentParser(prog="parafeat bench serve", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests, shorter saturation")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out-dir", type=pathlib.Path, default=BENCH_DIR / "results")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is not met")
    args = parser.parse_args(argv)

    load_at_start, started = os.getloadavg(), time.perf_counter()
    inputs = make_inputs(args.seed)
    bodies = {s: json.dumps({"inputs": [t]}).encode("utf-8") for s, t in inputs.items()}
    scale = 0.2 if args.quick else 1.0
    counts = {s: max(10, int(n * scale)) for s, n in
              {1_000: 400, 10_000: 400, 100_000: 200, 1_000_000: 100}.items()}  # fmt: skip
    series_counts = {n: max(3, int(c * scale)) for n, c in
                     {1_000: 200, 10_000: 100, 100_000: 30}.items()}  # fmt: skip
    seconds_per_size = 4 if args.quick else 20
    saturation_seconds = 4 if args.quick else 15
    clients = 8
    with tempfile.TemporaryDirectory() as directory:
        spec_path = os.path.join(directory, "spec.yaml")
        pathlib.Path(spec_path).write_text(SPEC)
        low = {str(t): low_load(spec_path, t, bodies, counts, seconds_per_size) for t in (1, 2)}
        series_spec_path = os.path.join(directory, "series.yaml")
        pathlib.Path(series_spec_path).write_text(SERIES_SPEC)
        series_bodies = make_series_bodies(args.seed)
        series_low = {
            str(t): low_load(series_spec_path, t, series_bodies, series_counts, seconds_per_size,
                             unit="points")
            for t in (1, 2)
        }  # fmt: skip
        split = saturated(spec_path, [], bodies, clients, saturation_seconds)
        _log(f"saturation with splitting: {split['requests_per_s']:.2f} requests/s")
        no_split = saturated(spec_path, ["--split-bytes", "0"], bodies, clients, saturation_seconds)
        _log(f"saturation without splitting: {no_split['requests_per_s']:.2f} requests/s")

    one, two = low["1"], low["2"]
    goals = [
        {"name": "1 MB p50, 2 threads / 1 thread", "value": two[1_000_000]["p50_ms"] /
         one[1_000_000]["p50_ms"], "target": f"<= {GOAL_P50_RATIO}"},
        {"name": "p99 growth exponent 1 KB -> 1 MB, 2 threads (1 = linear)",
         "value": growth_exponent(two, 1_000, 1_000_000), "target": "< 1"},
        {"name": "p99 growth exponent 100 KB -> 1 MB, 2 threads (1 = linear)",
         "value": growth_exponent(two, 100_000, 1_000_000), "target": "< 1"},
        {"name": "saturated requests/s, splitting / no splitting",
         "value": split["requests_per_s"] / no_split["requests_per_s"],
         "target": f">= {GOAL_THROUGHPUT_RATIO}"},
    ]  # fmt: skip
    goals[0]["met"] = goals[0]["value"] <= GOAL_P50_RATIO
    goals[1]["met"] = goals[1]["value"] < 1
    goals[2]["met"] = goals[2]["value"] < 1
    goals[3]["met"] = goals[3]["value"] >= GOAL_THROUGHPUT_RATIO
    report = {
        "suite": "serve",
        "title": TITLE,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "input": "one document per request of "
        + ", ".join(f"{len(t.encode()):,} B" for t in inputs.values())
        + " (prefixes of text_hashing's Zipf corpus, seed "
        + f"{args.seed}); pipeline: hashing_vectorizer n_features=2**18",
        "settings": {"counts": counts, "series_counts": series_counts,
                     "seconds_per_size": seconds_per_size,
                     "saturation_seconds": saturation_seconds, "quick": args.quick},  # fmt: skip
        "low_load": {t: {str(s): r for s, r in res.items()} for t, res in low.items()},
        "timeseries_input": "one random walk per request (Gaussian steps, seed "
        f"{args.seed}) of " + ", ".join(f"{n:,}" for n in SERIES_LENGTHS) + " points; "
        "timeseries_features with features: efficient",
        "timeseries_low_load": {
            t: {str(n): r for n, r in res.items()} for t, res in series_low.items()
        },
        "saturation": {"clients": clients, "split": split, "no_split": no_split},
        "goals": goals,
        "load_average": {"start": list(load_at_start), "end": list(os.getloadavg())},
        "elapsed_s": time.perf_counter() - started,
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    base = args.out_dir / "serve"
    write_json(report, base.with_suffix(".json"))
    write_markdown(report, base.with_suffix(".md"))
    write_plot(report, base.with_suffix(".png"))
    for goal in goals:
        _log(f"{goal['name']}: {goal['value']:.3f} (target {goal['target']}: "
             f"{'met' if goal['met'] else 'NOT met'})")  # fmt: skip
    _log(f"results: {base}.json, .md, .png")
    return 1 if args.check and not all(g["met"] for g in goals) else 0
