"""Suite ``parallel-map``: parafeat.parallel_map against joblib and multiprocessing, one run.

Three workloads, each run by every contender with 2 workers on the same items:

- (a) tiny: 100 000 calls of ``x * 2 + 1`` (per-call overhead is everything);
- (b) cpu: 1 000 calls that each burn 10 ms of CPU time (a busy loop on ``time.thread_time``),
  also run in a plain loop in this process (the single-process baseline);
- (c) arrays: 200 calls that each return a new 4 MiB float64 numpy array (seeded random
  numbers). Peak memory is measured for (a) and (c), in one more untimed run each with the
  results held in a list to the end, as every contender returns them.

Contenders: ``list(parafeat.parallel_map(fn, items, n_jobs=2))``, joblib's
``Parallel(n_jobs=2)(delayed(fn)(x) for x in items)`` (its default loky backend and automatic
batching), and ``list(pool.imap(fn, items))`` on a ``multiprocessing.Pool(2)`` (its default
start method and chunksize=1). joblib's and parafeat's workers are reused between runs (both
keep them); the Pool is created once for the whole run, so that no contender pays for starting
workers in the timed runs. Every output must equal the plain loop's.
``--size-mb`` scales the item counts (1.0 = the sizes above); ``--quick`` is 1%.
"""

import time

import numpy as np

from bench.measure import first_list_difference
from bench.runner import Contender, Goal, SuitePlan

TITLE = "parallel_map: parafeat vs joblib and multiprocessing (2 workers)"
DEFAULT_SIZE_MB = 1.0  # a scale factor here, not megabytes: 1.0 = the sizes of the issue
QUICK_SIZE_MB = 0.01
WORKERS = 2
TINY_ITEMS, CPU_ITEMS, ARRAY_ITEMS = 100_000, 1_000, 200
CPU_SECONDS = 0.010
ARRAY_VALUES = 4 * 2**20 // 8  # float64 values in 4 MiB


def tiny(x):
    return x * 2 + 1


def burn_cpu(x):
    end = time.thread_time() + CPU_SECONDS
    while time.thread_time() < end:
        pass
    return x


def array(i):
    return np.random.default_rng(i).random(ARRAY_VALUES)


def _contenders(name, fn, items, pool_holder, nbytes=None):
    from joblib import Parallel, delayed

    import parafeat

    def pool_imap():
        if not pool_holder:
            import multiprocessing

            pool_holder.append(multiprocessing.Pool(WORKERS))
        return list(pool_holder[0].imap(fn, items))

    work = {"items": len(items), "nbytes": nbytes}
    loop = Contender(f"{name}: plain loop", lambda: [fn(x) for x in items], **work)
    ours = Contender(
        f"{name}: parafeat", lambda: list(parafeat.parallel_map(fn, items, n_jobs=WORKERS)),
        reference=loop, **work,
    )  # fmt: skip
    joblib = Contender(
        f"{name}: joblib", lambda: Parallel(n_jobs=WORKERS)(delayed(fn)(x) for x in items),
        reference=loop, **work,
    )  # fmt: skip
    imap = Contender(f"{name}: Pool.imap", pool_imap, reference=loop, **work)
    return loop, ours, joblib, imap


def prepare(size_mb: float, seed: int) -> SuitePlan:
    scale = size_mb
    counts = {
        "(a) tiny": max(8, int(TINY_ITEMS * scale)),
        "(b) cpu": max(8, int(CPU_ITEMS * scale)),
        "(c) arrays": max(8, int(ARRAY_ITEMS * scale)),
    }
    pool_holder = []
    a = _contenders("(a) tiny", tiny, list(range(counts["(a) tiny"])), pool_holder)
    b = _contenders("(b) cpu", burn_cpu, list(range(counts["(b) cpu"])), pool_holder)
    n_arrays = counts["(c) arrays"]
    c = _contenders("(c) arrays", array, list(range(seed, seed + n_arrays)), pool_holder,
                    nbytes=n_arrays * ARRAY_VALUES * 8)  # fmt: skip
    contenders = [a[1], a[2], a[3], *b, c[1], c[2], c[3]]  # (b) keeps its plain loop
    goals = [
        Goal(a[1], a[2], 5.0),
        Goal(b[1], b[0], 1.9),
        Goal(c[1], c[2], 2.0),
        Goal(c[1], c[2], 1.0, metric="memory"),
    ]
    return SuitePlan(
        title=TITLE,
        description=(
            f"(a) {counts['(a) tiny']:,} calls of x*2+1; (b) {counts['(b) cpu']:,} calls of "
            f"{CPU_SECONDS * 1e3:g} ms CPU each; (c) {n_arrays:,} calls returning a 4 MiB "
            f"float64 array (seeds {seed}..); {WORKERS} worker processes for every pool "
            "(their CPU time is not in 'CPUs busy', which counts the benchmark process only)"
        ),
        input={"scale": scale, "counts": counts, "workers": WORKERS,
               "cpu_seconds_per_call": CPU_SECONDS, "array_bytes": ARRAY_VALUES * 8},  # fmt: skip
        input_bytes=0,
        input_items=sum(counts.values()),
        item_unit="calls",
        contenders=contenders,
        reference=b[0],
        first_difference=first_list_difference,
        goals=goals,
        measure_memory=[*a[1:], *c[1:]],  # (b) holds nothing; its runs are long
    )


def write_plot(report: dict, path) -> None:
    """Calls per second of each contender (median), one panel per workload."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from bench.runner import _write_atomically

    workloads = list(dict.fromkeys(c["label"].split(": ")[0] for c in report["contenders"]))
    figure, axes = plt.subplots(1, len(workloads), figsize=(4 * len(workloads), 4.2), dpi=120)
    for axis, workload in zip(np.atleast_1d(axes), workloads):
        rows = [c for c in report["contenders"] if c["label"].startswith(workload + ": ")]
        names = [c["label"].split(": ", 1)[1] for c in rows]
        rates = [c["calls_per_s"] for c in rows]
        bars = axis.bar(names, rates, color=["C0" if n == "parafeat" else "C7" for n in names])
        axis.bar_label(bars, labels=[f"{r:,.0f}" for r in rates], fontsize=8)
        axis.set_title(workload, fontsize=10)
        axis.set_ylabel("calls/s (median)")
        axis.tick_params(axis="x", labelsize=8, rotation=20)
        axis.grid(axis="y", alpha=0.3)
    m = report["machine"]
    figure.suptitle(f"{report['title']}\n{m['cpu_model']}, {m['usable_cpus']} CPUs", fontsize=10)
    figure.tight_layout()
    _write_atomically(path, lambda p: figure.savefig(p, format="png"))
    plt.close(figure)
