"""How the Python front sets up the native executor: ``n_jobs`` / ``--threads`` values become a
thread count (joblib's conventions), work is cut into morsels of at least MORSEL_ROWS rows, and
native work can run on a helper thread beside Python work (start_beside)."""

import numbers
import os
import threading

# Rows per unit of parallel work, at least: small enough that threads finish together (the last
# morsel of long documents, ~2 KB each, then takes a few milliseconds). The engine gives short
# documents more rows a morsel, about 1 MiB of text, so per-morsel costs stay small for them too.
MORSEL_ROWS = 256


def available_cpus() -> int:
    """CPUs this process may run on (respects affinity masks, e.g. taskset or containers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def is_integer(value) -> bool:
    """Whether ``value`` is an integer as joblib and scikit-learn take one: any
    numbers.Integral (int, numpy integers), but not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def resolve_n_jobs(n_jobs) -> int:
    """Returns the number of threads for ``n_jobs``.

    ``None`` and ``-1`` mean all available CPUs, ``-2`` all but one, and so on; a positive int
    means that many threads, at most one per available CPU (the engine's thread pool does not
    start more). Numpy integers count as ints; ``0``, bools and non-integers are errors.
    """
    cpus = available_cpus()
    if n_jobs is None:
        return cpus
    if not is_integer(n_jobs):
        raise TypeError(f"n_jobs must be an int or None, got {type(n_jobs).__name__}")
    n_jobs = int(n_jobs)
    if n_jobs == 0:
        raise ValueError("n_jobs == 0 has no meaning; use a positive count, or -1 for all CPUs")
    if n_jobs < 0:
        return max(1, cpus + 1 + n_jobs)
    return min(n_jobs, cpus)


def start_beside(call):
    """Starts ``call()`` on a helper thread and returns a function that waits for it and gives
    its result (or raises its exception). For native work that releases the GIL, run beside
    Python work that needs it."""
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except BaseException as error:  # handed to the waiter, whatever it is
            outcome["error"] = error

    thread = threading.Thread(target=run, name="parafeat-beside", daemon=True)
    thread.start()

    def wait():
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]

    return wait
