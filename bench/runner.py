"""The benchmark runner behind ``parafeat bench SUITE [options]``.

A suite is a module ``bench/suites/<suite with - as _>.py`` exposing ``DEFAULT_SIZE_MB``,
``QUICK_SIZE_MB`` (for ``--quick``) and ``prepare(size_mb, seed) -> SuitePlan``: it builds the
input once and says which contenders run on it, which output is the reference the others must
equal, and which throughput ratios have goals. The runner does the rest, the same way for every
suite (see the shared BENCHMARKS.md):

- each contender runs once to warm up; its warm-up output is compared with the reference's;
- then ``--repeat`` timed runs each, interleaved round-robin so that a burst of noise on a shared
  machine hits every contender alike; median, minimum and maximum are kept with the raw times;
- ratios are taken between medians of the same run on the same input;
- with ``SuitePlan.measure_memory``, one more untimed run per contender measures the peak
  memory of the process and its children (``bench.measure.PeakMemory``);
- it writes ``<suite>.json`` (everything, including the machine and versions), ``<suite>.md``
  (tables) and ``<suite>.png`` (throughput vs threads, or the suite's own ``write_plot(report,
  path)``) to ``--out-dir``.

A suite whose contenders do different work (several workloads in one run) gives each contender
its own ``items`` and ``nbytes``.

Exit status: 0, or 1 when an output differs from the reference, or with ``--check`` when a ratio
is below its goal.
"""

import argparse
import dataclasses
import datetime
import importlib
import importlib.metadata
import json
import math
import os
import pathlib
import platform
import subprocess
import tempfile
import time

from bench.measure import PeakMemory, Timing

BENCH_DIR = pathlib.Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
DEFAULT_REPEAT = 5
VERSIONED_PACKAGES = (
    "numpy", "scipy", "scikit-learn", "pyarrow", "matplotlib", "parafeat", "joblib", "cloudpickle",
    "cassandra-driver", "tsfresh",
)


@dataclasses.dataclass(frozen=True)
class Contender:
    """One way of doing the suite's work: ``run()`` does it all once and returns the output."""

    series: str  # e.g. "parafeat" or "scikit-learn"; a plotted line groups one series
    run: object = dataclasses.field(compare=False, repr=False)
    threads: int | None = None  # None: a peer without a thread setting, plotted as a reference
    # The contender whose output this one's must equal; None: the plan's reference.
    reference: object = dataclasses.field(default=None, compare=False, repr=False)
    # The work of one run, when not the plan's input_items / input_bytes.
    items: int | None = dataclasses.field(default=None, compare=False)
    nbytes: int | None = dataclasses.field(default=None, compare=False)
    # At most this many timed runs (a slow peer), when fewer than --repeat; None: --repeat.
    max_repeat: int | None = dataclasses.field(default=None, compare=False)
    # Processes doing the work at once, each with ``threads`` threads (see bench.split_processes).
    processes: int = 1
    # () -> CPU seconds used so far by whatever does the work; None: this process's.
    cpu_clock: object = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        if self.threads is None:
            return self.series
        threads = f"{self.threads} thread{'s' if self.threads > 1 else ''}"
        if self.processes > 1:
            return f"{self.series}, {threads} in each of {self.processes} processes"
        return f"{self.series}, {threads}"

    @property
    def cpus(self) -> int | None:
        """The CPUs it asks for: threads times processes (None for a peer without threads)."""
        return None if self.threads is None else self.threads * self.processes


# A contender's reference when its output is compared with nothing: a floor measurement (e.g. the
# cost of the plumbing alone, no work), timed to put the others' figures in scale.
UNCHECKED = "unchecked"


@dataclasses.dataclass(frozen=True)
class Goal:
    """Throughput of ``faster`` over throughput of ``slower`` should be at least ``minimum``;
    with ``metric="memory"``: peak memory of ``slower`` over that of ``faster``."""

    faster: Contender
    slower: Contender
    minimum: float
    metric: str = "throughput"  # or "memory"

    @property
    def label(self) -> str:
        if self.metric == "memory":
            return f"peak memory: {self.slower.label} / {self.faster.label}"
        return f"{self.faster.label} / {self.slower.label}"


@dataclasses.dataclass
class SuitePlan:
    """What a suite's ``prepare`` returns: the input, its contenders and its goals."""

    title: str
    description: str  # what the input is, in a sentence
    input: dict  # parameters of the input, recorded as given
    input_bytes: int  # the work of one run, for MB/s
    input_items: int  # ... and for items/s
    item_unit: str  # what an item is, e.g. "docs"
    contenders: list
    reference: Contender  # every other contender's output must equal this one's (by default)
    first_difference: object  # (output, reference_output) -> None, or text saying where
    goals: list
    # One more, untimed, run per contender for its peak memory: True for every contender, or a
    # list of the contenders to measure.
    measure_memory: object = False
    # () -> dict of suite-specific figures (e.g. a server's CPU share), called after the timed
    # runs; recorded in the report as "measurements" and listed in the Markdown.
    measurements: object = None
    close: object = None  # () -> None, called at the end (stops what the suite started)


@dataclasses.dataclass
class Measured:
    """A contender's timings and the throughputs they give on the plan's input."""

    contender: Contender
    timing: Timing
    plan: SuitePlan
    peak_memory: int | None = None  # bytes above the level at the start of the run

    def mb_per_s(self, seconds: float) -> float:
        nbytes = self.contender.nbytes
        return (self.plan.input_bytes if nbytes is None else nbytes) / 1e6 / seconds

    def items_per_s(self, seconds: float) -> float:
        items = self.contender.items
        return (self.plan.input_items if items is None else items) / seconds

    def as_json(self) -> dict:
        t = self.timing
        return {
            "label": self.contender.label,
            "series": self.contender.series,
            "threads": self.contender.threads,
            "processes": self.contender.processes,
            "cpus": self.contender.cpus,
            "runs": len(t.seconds),
            "seconds": t.seconds,
            "cpu_seconds": t.cpu_seconds,
            "cpus_used": t.cpus_used,
            "median_s": t.median,
            "min_s": t.min,
            "max_s": t.max,
            "mb_per_s": self.mb_per_s(t.median),
            "mb_per_s_min_max": [self.mb_per_s(t.max), self.mb_per_s(t.min)],
            f"{self.plan.item_unit}_per_s": self.items_per_s(t.median),
            "peak_memory_bytes": self.peak_memory,
        }


def _ratio(goal: Goal, measured: dict) -> float:
    """Throughput ratio of the goal's contenders: items per second at their median times (the
    inverse ratio of the medians when both do the same work), or the ratio of peak memory."""
    if goal.metric == "memory":
        return measured[goal.slower].peak_memory / max(measured[goal.faster].peak_memory, 1)
    faster, slower = measured[goal.faster], measured[goal.slower]
    return faster.items_per_s(faster.timing.median) / slower.items_per_s(slower.timing.median)


# ---- running ----------------------------------------------------------------------------------


def _log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def _check_outputs(plan: SuitePlan) -> tuple:
    """Warms every contender up once and compares its output with its reference's.

    Returns ``(warm_up_seconds, comparisons)``. Only the references' outputs and one other are
    alive at a time.
    """
    warm_up, reference_outputs = {}, {}
    reference_of = {c: c.reference or plan.reference for c in plan.contenders}
    for reference in dict.fromkeys(reference_of.values()):
        if reference is UNCHECKED:
            continue
        started = time.perf_counter()
        reference_outputs[reference] = reference.run()
        warm_up[reference] = time.perf_counter() - started
        _log(f"warm-up {reference.label}: {warm_up[reference]:.2f} s")
    comparisons = []
    for contender in plan.contenders:
        if contender in reference_outputs:
            continue
        started = time.perf_counter()
        output = contender.run()
        warm_up[contender] = time.perf_counter() - started
        reference = reference_of[contender]
        if reference is UNCHECKED:
            del output
            _log(f"warm-up {contender.label}: {warm_up[contender]:.2f} s; output not compared")
            continue
        difference = plan.first_difference(output, reference_outputs[reference])
        del output
        comparisons.append({
            "contender": contender.label,
            "reference": reference.label,
            "equal": difference is None,
            "first_difference": difference,
        })  # fmt: skip
        verdict = "identical" if difference is None else f"DIFFERENT ({difference})"
        _log(f"warm-up {contender.label}: {warm_up[contender]:.2f} s; output {verdict}")
    return warm_up, comparisons


def _time_round_robin(plan: SuitePlan, repeat: int) -> dict:
    """``repeat`` timed runs of every contender, one of each per round."""
    measured = {c: Measured(c, Timing(), plan) for c in plan.contenders}
    for round_index in range(repeat):
        times = []
        for contender in plan.contenders:
            if contender.max_repeat is not None and round_index >= contender.max_repeat:
                continue
            seconds = measured[contender].timing.record(contender.run, contender.cpu_clock)
            times.append(f"{contender.label} {seconds:.2f} s")
        _log(f"run {round_index + 1}/{repeat}: " + ", ".join(times))
    return measured


def _measure_memory(plan: SuitePlan, measured: dict) -> None:
    """One untimed run per chosen contender, its output held to the end, under PeakMemory."""
    chosen = plan.contenders if plan.measure_memory is True else plan.measure_memory
    for contender in chosen:
        with PeakMemory() as peak:
            output = contender.run()
        del output  # after the last sample: the output held at the end counts
        measured[contender].peak_memory = peak.increase
        _log(f"peak memory {contender.label}: {peak.increase / 2**20:,.1f} MiB")


# ---- the machine ------------------------------------------------------------------------------


def _proc_field(path: str, field: str):
    """The value of the first ``field: value`` line of a /proc file, or None."""
    try:
        with open(path, encoding="utf-8") as proc_file:
            for line in proc_file:
                name, _, value = line.partition(":")
                if name.strip() == field:
                    return value.strip()
    except OSError:
        pass
    return None


def machine() -> dict:
    """The CPU, core counts, memory and OS the benchmark ran on."""
    memory_kb = _proc_field("/proc/meminfo", "MemTotal")
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cpu_model": _proc_field("/proc/cpuinfo", "model name") or platform.processor(),
        "logical_cpus": os.cpu_count(),
        "usable_cpus": usable,
        "memory_bytes": int(memory_kb.split()[0]) * 1024 if memory_kb else None,
        "os": platform.platform(),
    }


def versions() -> dict:
    """Versions of Python, the packages in play and the parafeat checkout (git commit)."""
    found = {"python": platform.python_version()}
    for package in VERSIONED_PACKAGES:
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = None
    found["parafeat_commit"] = _git_description()
    return found


def _git_description():
    """The checkout's commit, with "-dirty" when it has uncommitted changes; None without git."""
    def git(*args):
        return subprocess.run(
            ["git", "-C", str(REPO_DIR), *args], capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "--short=12", "HEAD")
        return commit + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")
    except (OSError, subprocess.CalledProcessError):
        return None


# ---- reports ----------------------------------------------------------------------------------


def _write_atomically(path: pathlib.Path, write) -> None:
    """Calls ``write(temporary_path)``, then renames the file to ``path``."""
    temporary = path.with_name(path.name + ".tmp")
    write(temporary)
    os.replace(temporary, path)


def _format_bytes(count) -> str:
    return "unknown" if count is None else f"{count / 2**30:.1f} GiB"


def _md_summary(report: dict) -> list:
    """The lines saying what ran where: input, machine, versions, method."""
    m, v, s, i = report["machine"], report["versions"], report["settings"], report["input"]
    package_versions = ", ".join(f"{name} {version}" for name, version in v.items() if version)
    load = report["load_average"]
    return [
        f"# {report['suite']} — {report['title']}",
        "",
        f"- Input: {i['bytes'] / 1e6:,.1f} MB, {i['items']:,} {i['item_unit']}; "
        f"{i['description']}",
        f"- Machine: {m['cpu_model']}, {m['logical_cpus']} logical CPUs "
        f"({m['usable_cpus']} usable), {_format_bytes(m['memory_bytes'])} RAM; {m['os']}; "
        f"load average {load['start'][0]:.2f} at start, {load['end'][0]:.2f} at end",
        f"- Versions: {package_versions}",
        f"- Date: {report['date']}; whole run {report['elapsed_s']:.0f} s",
        f"- Method: {s['warmup_runs']} warm-up run, then {s['repeat']} timed runs per contender, "
        "interleaved round-robin; median, with the min and max in brackets. CPUs busy = the "
        "CPU time of the process(es) doing the work / wall time over the timed runs (below the "
        "thread count: serial parts, or other processes on the machine).",
        "",
    ]


def _md_table(header: list, rows: list) -> list:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def _mebibytes(count) -> str:
    return "—" if count is None else f"{count / 2**20:,.1f}"


def _items_per_s(value: float) -> str:
    """Whole items per second, or three significant digits below 100 (slow peers)."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def _with_range(median: float, low: float, high: float, digits: int) -> str:
    """``median (low–high)`` with ``digits`` decimals."""
    return f"{median:,.{digits}f} ({low:,.{digits}f}–{high:,.{digits}f})"


def write_markdown(report: dict, path: pathlib.Path) -> None:
    """The report as Markdown: a summary, then timings, ratios and output checks as tables."""
    unit = report["input"]["item_unit"]
    with_memory = any(c.get("peak_memory_bytes") is not None for c in report["contenders"])
    timings = [
        [
            c["label"],
            c["runs"],
            _with_range(c["median_s"], c["min_s"], c["max_s"], 3),
            _with_range(c["mb_per_s"], *c["mb_per_s_min_max"], 1) if c["mb_per_s"] else "—",
            _items_per_s(c[f"{unit}_per_s"]),
            f"{c['cpus_used']:.2f}",
        ]
        + ([_mebibytes(c["peak_memory_bytes"])] if with_memory else [])
        for c in report["contenders"]
    ]
    ratios = [
        [r["name"], f"{r['value']:.2f}×", f"≥ {r['goal']:g}×", "yes" if r["met"] else "**no**"]
        for r in report["ratios"]
    ]
    checks = [
        [
            e["contender"],
            e["reference"],
            "yes" if e["equal"] else f"**no**: {e['first_difference']}",
        ]
        for e in report["equality"]
    ]
    lines = _md_summary(report)
    header = ["contender", "runs", "seconds", "MB/s", f"{unit}/s", "CPUs busy"]
    header += ["peak memory, MiB (above the start)"] if with_memory else []
    lines += _md_table(header, timings) + [""]
    lines += _md_table(["ratio (medians)", "measured", "goal", "met"], ratios) + [""]
    lines += _md_table(["output of", "compared with", "identical"], checks) + [""]
    if report.get("measurements"):
        rows = [[name, value] for name, value in report["measurements"].items()]
        lines += _md_table(["measurement", "value"], rows) + [""]
    _write_atomically(path, lambda p: p.write_text("\n".join(lines), encoding="utf-8"))


def write_plot(report: dict, path: pathlib.Path) -> None:
    """Throughput (MB/s) vs CPUs asked for (threads, times processes): one line per threaded
    series with min–max bars, and each peer without a thread setting as a dashed horizontal
    reference line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=120)
    contenders = report["contenders"]
    threaded = [c for c in contenders if c["threads"] is not None]
    for series in dict.fromkeys(c["series"] for c in threaded):
        points = sorted((c for c in threaded if c["series"] == series), key=lambda c: c["cpus"])
        cpus = [c["cpus"] for c in points]
        medians = [c["mb_per_s"] for c in points]
        below = [c["mb_per_s"] - c["mb_per_s_min_max"][0] for c in points]
        above = [c["mb_per_s_min_max"][1] - c["mb_per_s"] for c in points]
        axes.errorbar(cpus, medians, yerr=[below, above], marker="o", capsize=4, label=series)
        for x, y in zip(cpus, medians):
            axes.annotate(f"{y:,.1f}", (x, y), textcoords="offset points", xytext=(6, 6))
    peers = [c for c in contenders if c["threads"] is None]
    for colour, peer in zip(("grey", "black", "brown"), peers):
        label = f"{peer['label']} ({peer['mb_per_s']:,.1f} MB/s)"
        axes.axhline(peer["mb_per_s"], color=colour, linestyle="--", label=label)
    all_cpus = sorted({c["cpus"] for c in threaded})
    axes.set_xticks(all_cpus)
    axes.set_xlim(min(all_cpus, default=1) - 0.5, max(all_cpus, default=1) + 0.5)
    axes.set_ylim(bottom=0)
    axes.set_xlabel("threads (times processes)")
    axes.set_ylabel("throughput, MB/s (median; bars: min–max)")
    m = report["machine"]
    axes.set_title(
        f"{report['title']}\n{report['input']['bytes'] / 1e6:,.1f} MB input; {m['cpu_model']}, "
        f"{m['usable_cpus']} CPUs",
        fontsize=10,
    )
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="best")
    figure.tight_layout()
    _write_atomically(path, lambda p: figure.savefig(p, format="png"))
    plt.close(figure)


def write_json(report: dict, path: pathlib.Path) -> None:
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    _write_atomically(path, lambda p: p.write_text(text, encoding="utf-8"))


# ---- the command ------------------------------------------------------------------------------


def available_suites() -> list:
    """Suite names as the command line takes them (file names with - for _)."""
    modules = (BENCH_DIR / "suites").glob("*.py")
    return sorted(p.stem.replace("_", "-") for p in modules if p.stem != "__init__")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parafeat bench", description="Run a benchmark suite and write its results."
    )
    parser.add_argument("suite", help=f"one of: {', '.join(available_suites())}")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--size-mb", type=float, help="input size in MB (default: the suite's)")
    size.add_argument("--quick", action="store_true", help="a small input, for a smoke run")
    parser.add_argument(
        "--repeat", type=int, default=DEFAULT_REPEAT,
        help=f"timed runs per contender after the warm-up (default {DEFAULT_REPEAT})",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=0, help="seed of generated inputs")
    parser.add_argument(
        "--out-dir", type=pathlib.Path, default=BENCH_DIR / "results",
        help="where <suite>.json, .md and .png go (default: bench/results)",
    )  # fmt: skip
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a ratio is below its goal"
    )
    return parser


def _load_suite(parser, name: str):
    if name not in available_suites():
        parser.error(f"unknown suite {name!r}; available: {', '.join(available_suites())}")
    return importlib.import_module(f"bench.suites.{name.replace('-', '_')}")


def run(suite_name: str, suite, size_mb: float, repeat: int, seed: int) -> dict:
    """Prepares the suite, checks and times its contenders; returns the report as a dict."""
    started = time.perf_counter()
    load_at_start = os.getloadavg()
    _log(f"{suite_name}: preparing {size_mb:g} MB of input (seed {seed})")
    plan = suite.prepare(size_mb, seed)
    try:
        _log(
            f"input ready: {plan.input_bytes / 1e6:,.1f} MB, {plan.input_items:,} "
            f"{plan.item_unit}"
        )
        warm_up, equality = _check_outputs(plan)
        measured = _time_round_robin(plan, repeat)
        if plan.measure_memory:
            _measure_memory(plan, measured)
        measurements = plan.measurements() if plan.measurements else {}
    finally:
        if plan.close:
            plan.close()
    ratios = []
    for goal in plan.goals:
        value = _ratio(goal, measured)
        ratios.append({
            "name": goal.label,
            "numerator": goal.faster.label,
            "denominator": goal.slower.label,
            "value": value,
            "goal": goal.minimum,
            "metric": goal.metric,
            "met": value >= goal.minimum,
        })  # fmt: skip
    return {
        "suite": suite_name,
        "title": plan.title,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "settings": {
            "size_mb_requested": size_mb,
            "seed": seed,
            "warmup_runs": 1,
            "repeat": repeat,
            "order": "round-robin: one timed run of each contender per round",
        },
        "input": {
            "description": plan.description,
            **plan.input,
            "bytes": plan.input_bytes,
            "items": plan.input_items,
            "item_unit": plan.item_unit,
        },
        "contenders": [
            {**measured[c].as_json(), "warmup_s": warm_up[c]} for c in plan.contenders
        ],
        "ratios": ratios,
        "outputs_equal": all(e["equal"] for e in equality),
        "equality": equality,
        "measurements": measurements,
        "load_average": {"start": list(load_at_start), "end": list(os.getloadavg())},
        "elapsed_s": time.perf_counter() - started,
    }


def _check_out_dir(parser, out_dir: pathlib.Path) -> None:
    """Creates ``out_dir`` and checks that a file can be written there, before any measurement:
    a mistyped or read-only --out-dir must not throw away a finished run."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as error:
        parser.error(f"--out-dir {out_dir}: cannot write results there ({error.strerror or error})")


def main(argv) -> int:
    """``parafeat bench`` entry point: ``argv`` is ``[suite, *options]``."""
    parser = build_parser()
    if argv and argv[0] in available_suites():
        suite = _load_suite(parser, argv[0])
        if hasattr(suite, "main"):  # a suite that measures on its own schedule (serve)
            return suite.main(argv[1:])
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.size_mb is not None and not (math.isfinite(args.size_mb) and args.size_mb > 0):
        parser.error(f"--size-mb must be a positive number, got {args.size_mb:g}")
    suite = _load_suite(parser, args.suite)
    size_mb = suite.QUICK_SIZE_MB if args.quick else (args.size_mb or suite.DEFAULT_SIZE_MB)
    minimum = getattr(suite, "MIN_SIZE_MB", 0.0)
    if size_mb < minimum:
        parser.error(
            f"--size-mb must be at least {minimum:g} for suite {args.suite} (a smaller input "
            f"cannot make a valid run), got {size_mb:g}"
        )
    _check_out_dir(parser, args.out_dir)
    report = run(args.suite, suite, size_mb, args.repeat, args.seed)

    base = args.out_dir / args.suite
    write_json(report, base.with_suffix(".json"))
    write_markdown(report, base.with_suffix(".md"))
    getattr(suite, "write_plot", write_plot)(report, base.with_suffix(".png"))
    for ratio in report["ratios"]:
        verdict = "meets" if ratio["met"] else "BELOW"
        _log(f"{ratio['name']}: {ratio['value']:.2f}× ({verdict} the goal of {ratio['goal']:g}×)")
    _log(f"results: {base}.json, .md, .png")

    if not report["outputs_equal"]:
        _log("FAILED: an output differs from the reference; the timings compare different work")
        return 1
    if args.check and not all(r["met"] for r in report["ratios"]):
        _log("check FAILED: a ratio is below its goal")
        return 1
    return 0
