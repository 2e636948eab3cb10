"""Timing and output-comparison helpers shared by the benchmark suites and the demo.

Kept free of suite knowledge so that every number parafeat publishes is taken the same way.
"""

import dataclasses
import statistics
import time

import numpy as np


@dataclasses.dataclass
class Timing:
    """Seconds of the timed runs of one contender (warm-up excluded): wall-clock time, and the
    CPU time of the whole process (all its threads) during each run."""

    seconds: list = dataclasses.field(default_factory=list)
    cpu_seconds: list = dataclasses.field(default_factory=list)

    def record(self, function) -> float:
        """Runs ``function()`` once, records its wall and CPU seconds; returns the wall seconds.

        The result is freed after the clocks stop, so freeing it is not timed and no two results
        of a benchmark are alive at once.
        """
        cpu_started, started = time.process_time(), time.perf_counter()
        result = function()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        del result
        self.seconds.append(wall)
        self.cpu_seconds.append(cpu)
        return wall

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def min(self) -> float:
        return min(self.seconds)

    @property
    def max(self) -> float:
        return max(self.seconds)

    @property
    def cpus_used(self) -> float:
        """Average CPUs busy during the runs: CPU time over wall time. Below the thread count
        it shows serial parts, or other processes taking the CPUs."""
        return sum(self.cpu_seconds) / sum(self.seconds)


def median_seconds(function, repeat: int) -> float:
    """Median wall-clock seconds of ``repeat`` calls of ``function()`` after one warm-up call."""
    function()
    timing = Timing()
    for _ in range(repeat):
        timing.record(function)
    return timing.median


def first_csr_difference(actual, expected):
    """Where two CSR matrices first differ, as a short text, or None when they are identical.

    Identical means the same shape and dtypes, and bit-equal indptr, indices and data (so -0.0
    vs 0.0, or a difference in the last bit of a float, counts as a difference).
    """
    if actual.shape != expected.shape:
        return f"shape {actual.shape} != {expected.shape}"
    for name in ("indptr", "indices", "data"):
        ours, theirs = getattr(actual, name), getattr(expected, name)
        if ours.dtype != theirs.dtype:
            return f"{name} dtype {ours.dtype} != {theirs.dtype}"
        if ours.size != theirs.size:
            return f"{name} has {ours.size} entries, expected {theirs.size}"
        # Compare bit patterns: unsigned integer views of the same width.
        as_bits = f"u{ours.dtype.itemsize}"
        unequal = np.flatnonzero(ours.view(as_bits) != theirs.view(as_bits))
        if unequal.size:
            position = int(unequal[0])
            if name == "indptr":
                return f"row {max(position - 1, 0)}: a different number of entries"
            row = int(np.searchsorted(expected.indptr, position, side="right")) - 1
            return f"row {row}: different {name} (entry {position})"
    return None
