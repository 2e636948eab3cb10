"""Suite ``timeseries-long``: suite ``timeseries`` on few long series (the issue's case (b) is
100 series x 100 000 points, ``--size-mb 80``; the default is scaled down: tsfresh's
agg_autocorrelation and friedrich/partial-autocorrelation work grows with the length)."""

from bench.suites.timeseries import timeseries_plan

TITLE = "Time-series features on long series (tsfresh Efficient): parafeat vs tsfresh"
LENGTH = 100_000
DEFAULT_SIZE_MB = 8.0  # 10 series of 100 000 points
QUICK_SIZE_MB = 1.6


def prepare(size_mb: float, seed: int):
    num_series = max(2, int(size_mb * 1e6 / 8 / LENGTH))
    return timeseries_plan(num_series, LENGTH, seed, TITLE)
