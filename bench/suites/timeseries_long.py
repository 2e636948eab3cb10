"""Suite ``timeseries-long``: suite ``timeseries`` on few long series. The default is the
issue's case (b), 100 series x 100 000 points (80 MB; ``--size-mb`` or ``--quick`` run less).
tsfresh takes minutes a series at this length, so it runs on as many of the first series as fit
its time budget (at least two), and its label says how many (see suite ``timeseries``).

parafeat runs on all the series with 1 and 2 threads (case (b): many long series, the threads
split the series among them) and, when tsfresh ran on a sample, on that sample with 1 and 2
threads too (``--quick``'s case: 2 series of 100 000 points, as few series as threads, where
the threads share the work of each series). Both 2-thread runs have the speed goal against
tsfresh's series per second; peak memory is compared on the sample."""

from bench.suites.timeseries import THREADS, timeseries_plan

TITLE = "Time-series features on long series (tsfresh Efficient): parafeat vs tsfresh"
LENGTH = 100_000
DEFAULT_SIZE_MB = 80.0  # 100 series of 100 000 points: the case (b)
QUICK_SIZE_MB = 1.6


def prepare(size_mb: float, seed: int):
    num_series = max(2, int(size_mb * 1e6 / 8 / LENGTH))
    return timeseries_plan(
        num_series, LENGTH, seed, TITLE, sample_threads=THREADS, sample_speed_goal=True
    )
