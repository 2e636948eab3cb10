"""Suite ``timeseries-long``: suite ``timeseries`` on few long series. The default is the
issue's case (b), 100 series x 100 000 points (80 MB; ``--size-mb`` or ``--quick`` run less).
tsfresh takes minutes a series at this length, so it runs on as many of the first series as fit
its time budget (at least two), and its label says how many (see suite ``timeseries``)."""

from bench.suites.timeseries import timeseries_plan

TITLE = "Time-series features on long series (tsfresh Efficient): parafeat vs tsfresh"
LENGTH = 100_000
DEFAULT_SIZE_MB = 80.0  # 100 series of 100 000 points: the case (b)
QUICK_SIZE_MB = 1.6


def prepare(size_mb: float, seed: int):
    num_series = max(2, int(size_mb * 1e6 / 8 / LENGTH))
    return timeseries_plan(num_series, LENGTH, seed, TITLE)
