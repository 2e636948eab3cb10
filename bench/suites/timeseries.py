"""Suite ``timeseries``: parafeat.timeseries.extract_features against tsfresh's, in one run.

Input: random walks and noisy seasonal series (half each, fixed seed) of ``LENGTH`` points in
long format (id, time, value), as many series as the size asks (8 bytes a point). Settings:
tsfresh's EfficientFCParameters less the calculators parafeat does not implement yet (named in
the report), the same for both. tsfresh runs with ``n_jobs=2`` (its process pool), parafeat with
1 and 2 threads. parafeat's output must equal tsfresh's within the oracle tests' tolerances
(rtol 1e-6 here, FFT angles left out: see tests/python/test_timeseries_oracle.py).

The issue's sizes are 10 000 series x 1 000 points (80 MB: ``--size-mb 80``) and, for suite
``timeseries-long``, 100 series x 100 000 points. tsfresh needs about 0.1 s per series of 1 000
points on this machine, so the defaults are scaled down (say so when quoting them).
"""

import numpy as np
import pandas as pd

from bench.runner import Contender, Goal, SuitePlan

TITLE = "Time-series features (tsfresh Efficient): parafeat vs tsfresh"
LENGTH = 1000
DEFAULT_SIZE_MB = 4.0  # 500 series of 1 000 points
QUICK_SIZE_MB = 0.4
THREADS = (1, 2)
SPEED_GOAL = 100.0


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
    if list(actual.columns) != list(expected.columns):
        return "column names or order differ"
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


def timeseries_plan(num_series: int, length: int, seed: int, title: str) -> SuitePlan:
    import tsfresh

    import parafeat.timeseries as pt

    frame = make_series(num_series, length, seed)
    kept, left_out = settings()
    columns = {"column_id": "id", "column_sort": "time"}

    def run_tsfresh():
        return tsfresh.extract_features(
            frame, default_fc_parameters=kept, n_jobs=2, disable_progressbar=True, **columns
        )

    def run_parafeat(threads):
        return lambda: pt.extract_features(
            frame, default_fc_parameters=kept, n_jobs=threads, **columns
        )

    peer = Contender("tsfresh n_jobs=2", run_tsfresh)
    ours = {t: Contender("parafeat", run_parafeat(t), t) for t in THREADS}
    return SuitePlan(
        title=title,
        description=(
            f"{num_series:,} series x {length:,} points (random walks and noisy sines, seed "
            f"{seed}); tsfresh EfficientFCParameters without {', '.join(left_out) or 'nothing'}"
        ),
        input={"series": num_series, "length": length, "seed": seed, "left_out": left_out},
        input_bytes=num_series * length * 8,
        input_items=num_series,
        item_unit="series",
        contenders=[peer, *ours.values()],
        reference=peer,
        first_difference=first_difference,
        goals=[Goal(ours[max(THREADS)], peer, SPEED_GOAL)],
    )


def prepare(size_mb: float, seed: int) -> SuitePlan:
    num_series = max(2, int(size_mb * 1e6 / 8 / LENGTH))
    return timeseries_plan(num_series, LENGTH, seed, TITLE)
