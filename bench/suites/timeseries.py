"""Suite ``timeseries``: parafeat.timeseries.extract_features against tsfresh's, in one run.

Input: random walks and noisy seasonal series (half each, fixed seed) of ``LENGTH`` points in
long format (id, time, value), as many series as the size asks (8 bytes a point). The default is
the issue's case (a), 10 000 series x 1 000 points (80 MB); ``--size-mb`` or ``--quick`` run
less. Settings: tsfresh's EfficientFCParameters less the calculators parafeat does not implement
yet (named in the report), the same for both. tsfresh runs with ``n_jobs=2`` (its process pool),
parafeat with 1 and 2 threads. parafeat's output must equal tsfresh's within the oracle tests'
tolerances (rtol 1e-6 here, FFT angles left out: see tests/python/test_timeseries_oracle.py).

tsfresh is slow (about 0.1 s of CPU per series of 1 000 points, minutes per series of 100 000),
so a pilot run first times it on a few series. When all series would take tsfresh longer than
``TSFRESH_RUN_BUDGET_S`` a run, it runs on the first series that fit (at least ``n_jobs``), its
label says how many, and the throughput ratio compares series per second, each measured on the
contender's own series (nothing is extrapolated). tsfresh's timed runs are capped to about
``TSFRESH_TIMED_BUDGET_S`` in total. Peak memory (``bench.measure.PeakMemory``: the process and
its workers, above the level at the start of the run) is measured in one more run of each
contender; when tsfresh ran on a sample, parafeat also runs on that sample (a contender of its
own) and the memory goal compares the two on the same series.
"""

import time

import numpy as np
import pandas as pd

from bench.runner import Contender, Goal, SuitePlan

TITLE = "Time-series features (tsfresh Efficient): parafeat vs tsfresh"
LENGTH = 1000
DEFAULT_SIZE_MB = 80.0  # 10 000 series of 1 000 points: the case (a)
QUICK_SIZE_MB = 0.4
THREADS = (1, 2)
SPEED_GOAL = 100.0
MEMORY_GOAL = 10.0
TSFRESH_JOBS = 2
TSFRESH_RUN_BUDGET_S = 60.0
TSFRESH_TIMED_BUDGET_S = 240.0
PILOT_POINTS = 20_000  # the pilot's series: this many points, and at least TSFRESH_JOBS series


def make_series(num_series: int, length: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    values = np.empty((num_series, length))
    for i in range(num_series):
        if i % 2 == 0:
            values[i] = np.cumsum(rng.normal(size=length))
        else:
            period = rng.uniform(10, 200)
            values[i] = 3 * np.sin(2 * np.pi * t / period) + rng.normal(scale=0.3, size=length)
    return pd.DataFrame({
        "id": np.repeat(np.arange(num_series), length),
        "time": np.tile(t, num_series),
        "value": values.ravel(),
    })  # fmt: skip


def settings():
    """tsfresh's Efficient settings limited to what parafeat implements, and what was left out."""
    from tsfresh.feature_extraction import EfficientFCParameters

    import parafeat.timeseries as pt

    implemented = set(pt.implemented_calculators())
    efficient = EfficientFCParameters()
    kept = {name: sets for name, sets in efficient.items() if name in implemented}
    return kept, [name for name in efficient if name not in implemented]


def first_difference(actual, expected):
    """Where parafeat's features first differ from tsfresh's, or None. When tsfresh ran on the
    first series only, parafeat's rows of those series are compared."""
    if list(actual.columns) != list(expected.columns):
        return "column names or order differ"
    if len(actual) > len(expected) and actual.index[: len(expected)].equals(expected.index):
        actual = actual.iloc[: len(expected)]
    if not actual.index.equals(expected.index):
        return "index differs"
    columns = [c for c in expected.columns if '"angle"' not in c]
    a = actual[columns].to_numpy()
    b = expected[columns].to_numpy()
    scale = np.nanmax(np.abs(b), axis=0, initial=0.0)
    close = np.isclose(a, b, rtol=1e-6, atol=1e-9 * np.maximum(scale, 1e-300), equal_nan=True)
    if close.all():
        return None
    row, column = np.argwhere(~close)[0]
    return f"{columns[column]} of id {expected.index[row]}: {a[row, column]!r} vs {b[row, column]!r}"


def tsfresh_sample(run_tsfresh, num_series: int, length: int) -> tuple:
    """(series tsfresh runs on, its estimated seconds a run, its run function): all series when
    they fit in TSFRESH_RUN_BUDGET_S at a pilot run's pace, else as many as fit (at least
    TSFRESH_JOBS). When the pilot ran the chosen series, its output is the first call's (the
    runner's untimed warm-up) instead of a second run as long."""
    pilot = min(num_series, max(TSFRESH_JOBS, PILOT_POINTS // length))
    started = time.perf_counter()
    pilot_output = [run_tsfresh(pilot)]
    per_series = (time.perf_counter() - started) / pilot
    print(f"[bench] tsfresh pilot: {pilot} series, {per_series:.3f} s a series", flush=True)
    fitting = int(TSFRESH_RUN_BUDGET_S / per_series) // TSFRESH_JOBS * TSFRESH_JOBS
    chosen = min(num_series, max(TSFRESH_JOBS, fitting))
    if chosen != pilot:
        pilot_output.clear()

    def run():
        return pilot_output.pop() if pilot_output else run_tsfresh(chosen)

    return chosen, chosen * per_series, run


def timeseries_plan(
    num_series: int, length: int, seed: int, title: str, sample_threads: tuple = (max(THREADS),),
    sample_speed_goal: bool = False,
) -> SuitePlan:
    """The suite's plan. When tsfresh runs on a sample, parafeat also runs on that sample with
    each of ``sample_threads``; with the most threads it has the memory goal there and, with
    ``sample_speed_goal``, a speed goal on the same series as tsfresh (beside the one over all
    series)."""
    import tsfresh

    import parafeat.timeseries as pt

    frame = make_series(num_series, length, seed)
    kept, left_out = settings()
    columns = {"column_id": "id", "column_sort": "time"}

    def run_tsfresh(series):
        sample = frame if series == num_series else frame.iloc[: series * length]
        return tsfresh.extract_features(
            sample, default_fc_parameters=kept, n_jobs=TSFRESH_JOBS, disable_progressbar=True,
            **columns,
        )  # fmt: skip

    def run_parafeat(threads, series=num_series):
        data = frame if series == num_series else frame.iloc[: series * length]
        return lambda: pt.extract_features(
            data, default_fc_parameters=kept, n_jobs=threads, **columns
        )

    sample, estimate_s, run_sample = tsfresh_sample(run_tsfresh, num_series, length)
    name = f"tsfresh n_jobs={TSFRESH_JOBS}"
    if sample < num_series:
        name += f" (first {sample:,} of {num_series:,} series)"
    peer = Contender(
        name, run_sample, items=sample, nbytes=sample * length * 8,
        max_repeat=max(1, int(TSFRESH_TIMED_BUDGET_S / estimate_s)),
    )  # fmt: skip
    ours = {t: Contender("parafeat", run_parafeat(t), t) for t in THREADS}
    fastest = ours[max(THREADS)]
    # Peak memory grows with the series: compared on tsfresh's sample when it is smaller.
    on_sample = {}
    if sample < num_series:
        on_sample = {
            t: Contender(
                f"parafeat (first {sample:,} series)", run_parafeat(t, sample), t, items=sample,
                nbytes=sample * length * 8,
            )
            for t in sample_threads
        }  # fmt: skip
    same_input = on_sample.get(max(THREADS), fastest)
    speed_goals = [Goal(fastest, peer, SPEED_GOAL)]
    if sample_speed_goal and same_input is not fastest:
        speed_goals.append(Goal(same_input, peer, SPEED_GOAL))
    return SuitePlan(
        title=title,
        description=(
            f"{num_series:,} series x {length:,} points (random walks and noisy sines, seed "
            f"{seed}); tsfresh EfficientFCParameters"
            f"{' without ' + ', '.join(left_out) if left_out else ' (all of it)'}; "
            f"tsfresh on {sample:,} of the series"
        ),
        input={
            "series": num_series, "length": length, "seed": seed, "left_out": left_out,
            "tsfresh_series": sample,
        },  # fmt: skip
        input_bytes=num_series * length * 8,
        input_items=num_series,
        item_unit="series",
        # tsfresh last: its memory run comes after parafeat's, away from its process pools.
        contenders=list(dict.fromkeys([*ours.values(), *on_sample.values(), same_input, peer])),
        reference=peer,
        first_difference=first_difference,
        goals=[*speed_goals, Goal(same_input, peer, MEMORY_GOAL, metric="memory")],
        measure_memory=True,
    )


def prepare(size_mb: float, seed: int) -> SuitePlan:
    num_series = max(2, int(size_mb * 1e6 / 8 / LENGTH))
    return timeseries_plan(num_series, LENGTH, seed, TITLE)
