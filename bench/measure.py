"""Timing and output-comparison helpers shared by the benchmark suites and the demo.

Kept free of suite knowledge so that every number parafeat publishes is taken the same way.
"""

import dataclasses
import os
import statistics
import time

import numpy as np


@dataclasses.dataclass
class Timing:
    """Seconds of the timed runs of one contender (warm-up excluded): wall-clock time, and the
    CPU time of what does the work (by default this whole process, all its threads) during each
    run."""

    seconds: list = dataclasses.field(default_factory=list)
    cpu_seconds: list = dataclasses.field(default_factory=list)

    def record(self, function, cpu_clock=None) -> float:
        """Runs ``function()`` once, records its wall and CPU seconds; returns the wall seconds.

        ``cpu_clock``: () -> CPU seconds used so far by what does the work (None: this process,
        all its threads). The result is freed after the clocks stop, so freeing it is not timed
        and no two results of a benchmark are alive at once.
        """
        cpu_clock = cpu_clock or time.process_time
        cpu_started, started = cpu_clock(), time.perf_counter()
        result = function()
        wall, cpu = time.perf_counter() - started, cpu_clock() - cpu_started
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


def first_list_difference(actual, expected):
    """Where two lists of results (numbers, objects or numpy arrays) first differ, or None."""
    if len(actual) != len(expected):
        return f"{len(actual)} results, expected {len(expected)}"
    for index, (ours, theirs) in enumerate(zip(actual, expected)):
        if isinstance(theirs, np.ndarray):
            same = isinstance(ours, np.ndarray) and ours.dtype == theirs.dtype
            same = same and np.array_equal(ours, theirs)
        else:
            same = ours == theirs
        if not same:
            return f"result {index} differs"
    return None


_SHM_DIR = "/dev/shm"


def _smaps_fields(pid: int) -> tuple:
    """(Pss, Pss_Shmem) of a process in bytes, from /proc/PID/smaps_rollup; (0, 0) if gone."""
    pss = shmem = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith("Pss_Shmem:"):
                    shmem = int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return pss, shmem


def _shm_used() -> int:
    try:
        stats = os.statvfs(_SHM_DIR)
    except OSError:
        return 0
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


def process_tree_memory(pid: int, shm_at_start: int) -> int:
    """Memory held by process ``pid`` and all its descendants: the sum of their PSS (shared
    pages counted once, split among the processes mapping them), plus the growth of /dev/shm
    since ``shm_at_start`` that no process of the tree maps (shared-memory files in transit)."""
    import psutil

    try:
        processes = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    pss = shmem = 0
    for process in processes:
        process_pss, process_shmem = _smaps_fields(process.pid)
        pss, shmem = pss + process_pss, shmem + process_shmem
    return pss + max(0, _shm_used() - shm_at_start - shmem)


def _release_free_heap() -> None:
    """Collects garbage and hands the C heap's free memory back to the system (glibc's
    malloc_trim), so that memory freed by an earlier run, still resident, does not hide what
    the next run allocates."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


class PeakMemory:
    """``with PeakMemory() as peak: work()`` samples :func:`process_tree_memory` of this
    process every ``interval`` seconds on a thread; ``peak.increase`` is the highest value
    minus the value at the start (so workers idle before the block do not count)."""

    def __init__(self, interval: float = 0.005):
        self._interval = interval
        self.start = self.peak = 0
        self._stop = None

    def __enter__(self):
        import threading

        _release_free_heap()
        self._shm = _shm_used()
        self.start = self.peak = process_tree_memory(os.getpid(), self._shm)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(self._interval):
            self.peak = max(self.peak, process_tree_memory(os.getpid(), self._shm))

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, process_tree_memory(os.getpid(), self._shm))

    @property
    def increase(self) -> int:
        return self.peak - self.start
