"""parallel_map when things go wrong: dying workers, Ctrl-C, crashes resumed from a checkpoint."""

import ctypes
import gc
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import psutil
import pytest

from parafeat import WorkerError, parallel_map
from parafeat._parallel import shutdown_workers
from parafeat._parallel._backends import ProcessWorker
from test_parallel_map import _shared_memory_left

PYTHON_DIR = str(pathlib.Path(__file__).resolve().parent)


def kill_self_once(marker, x):
    """SIGKILLs its worker process the first time it sees item 5."""
    if x == 5 and not os.path.exists(marker):
        open(marker, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return x * 10


def segfault_on_3(x):
    if x == 3:
        ctypes.string_at(0)  # reads address 0: SIGSEGV
    return x


def test_a_killed_worker_is_replaced_and_its_items_retried(tmp_path):
    marker = str(tmp_path / "killed")
    fn = lambda x: kill_self_once(marker, x)  # noqa: E731
    results = list(parallel_map(fn, range(40), n_jobs=2, chunk_size=4))
    assert os.path.exists(marker)  # a worker was killed...
    assert results == [x * 10 for x in range(40)]  # ...and nothing was lost or doubled


def test_an_item_that_kills_its_worker_twice_is_reported_with_its_index():
    with pytest.raises(WorkerError) as caught:
        list(parallel_map(segfault_on_3, range(10), n_jobs=2, chunk_size=4))
    error = caught.value
    assert error.index == 3 and error.exitcode == -signal.SIGSEGV
    assert "killed by signal SIGSEGV" in str(error) and "retried" in str(error)


def test_other_items_survive_an_item_that_kills_its_worker():
    it = parallel_map(segfault_on_3, range(10), n_jobs=2, chunk_size=4, on_error="collect")
    results = list(it)
    assert [r for i, r in enumerate(results) if i != 3] == [0, 1, 2, 4, 5, 6, 7, 8, 9]
    assert isinstance(results[3], WorkerError) and [e.index for e in it.errors] == [3]


def _child(script, *args):
    """Runs ``script`` in a fresh Python with its SIGINT handler installed (a child may
    inherit SIGINT as ignored, e.g. from a shell's background job)."""
    prelude = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([PYTHON_DIR, *sys.path])}
    return subprocess.Popen(
        [sys.executable, "-c", prelude + textwrap.dedent(script), *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip


def _wait_until_gone(processes, seconds):
    deadline = time.monotonic() + seconds
    alive = processes
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        time.sleep(0.05)
    return alive


def test_ctrl_c_stops_every_worker_promptly_and_leaves_no_orphan():
    child = _child(
        """
        import time
        from parafeat import parallel_map
        for value in parallel_map(time.sleep, [0.01] * 4 + [60] * 20, n_jobs=2, chunk_size=1):
            print("result", flush=True)
        """
    )
    assert child.stdout.readline() == "result\n"
    time.sleep(0.3)  # the workers are now inside time.sleep(60)
    descendants = psutil.Process(child.pid).children(recursive=True)
    assert len(descendants) >= 2
    child.send_signal(signal.SIGINT)
    child.wait(timeout=10)
    assert child.returncode != 0 and "KeyboardInterrupt" in child.stderr.read()
    assert _wait_until_gone(descendants, seconds=5) == []


def big_array(x):
    return np.full(300_000, float(x))  # 2.4 MB: leaves its worker through /dev/shm


def _children_since(before):
    """This process's children that were not among ``before`` (other tests may leave a JVM or
    a server running beside this one)."""
    known = {child.pid for child in before}
    return [child for child in psutil.Process().children() if child.pid not in known]


def test_dropping_the_iterator_stops_its_workers_at_once_and_leaves_no_shared_memory():
    shutdown_workers()  # every worker process from now on is this call's
    before = psutil.Process().children()
    gc.disable()  # dropping the iterator must be enough, no garbage collection needed
    try:
        results = parallel_map(big_array, range(40), n_jobs=2)
        assert next(results)[0] == 0.0
        workers = _children_since(before)
        assert len(workers) == 2
        del results
        assert _shared_memory_left() == []
        assert _wait_until_gone(workers, seconds=1) == []
    finally:
        gc.enable()


def test_an_iterator_collected_in_a_reference_cycle_stops_its_workers_quietly(monkeypatch):
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    shutdown_workers()
    before = psutil.Process().children()
    list(parallel_map(abs, range(4), n_jobs=2))  # idle workers, older than the next call's objects
    workers = _children_since(before)
    assert len(workers) == 2
    results = parallel_map(big_array, range(40), n_jobs=2)
    results.itself = results  # a cycle: only the garbage collector can free it
    next(results)
    del results
    gc.collect()
    assert unraisable == [] and _shared_memory_left() == []
    assert _wait_until_gone(workers, seconds=5) == []


def test_a_worker_whose_connection_the_collector_finalized_never_closes_its_fd_again():
    worker = ProcessWorker()
    number = worker.connection.fileno()
    worker.connection.__del__()  # what the garbage collector may do first in a cycle
    reused = os.open(os.devnull, os.O_RDONLY)  # the lowest free number: the socket's
    try:
        assert reused == number
        worker.stop(kill=True)
        os.fstat(reused)  # still open: the stop did not close the number again
    finally:
        os.close(reused)
    assert worker.process.returncode is not None


CRASHING_RUN = """
import os, sys
from parafeat import parallel_map
from test_parallel_map_robustness import logged_square
path, log = sys.argv[1], sys.argv[2]
for count, _ in enumerate(parallel_map(lambda x: logged_square(log, x), range(300), n_jobs=2,
                                       chunk_size=7, checkpoint=path), 1):
    if count == 120:
        os._exit(3)  # a crash: no cleanup, no flush
"""


def logged_square(log, x):
    with open(log, "a") as out:
        out.write(f"{x}\n")
    return {"x": x, "square": x * x}


def _logged(log):
    with open(log) as lines:
        return [int(line) for line in lines]


def test_a_rerun_after_a_crash_skips_recorded_items_and_equals_an_uninterrupted_run(tmp_path):
    checkpoint, first_log, second_log = (tmp_path / n for n in ("run.ckpt", "1.log", "2.log"))
    child = _child(CRASHING_RUN, checkpoint, first_log)
    child.wait(timeout=60)
    assert child.returncode == 3, child.stderr.read()
    with open(checkpoint, "ab") as torn:
        torn.write(b"\x10\x00\x00\x00 half a record")  # what a crash mid-write leaves
    results = list(
        parallel_map(lambda x: logged_square(second_log, x), range(300), n_jobs=2, chunk_size=7,
                     checkpoint=checkpoint)  # fmt: skip
    )
    assert results == [{"x": x, "square": x * x} for x in range(300)]
    recomputed = set(_logged(second_log))
    assert len(recomputed) < 300 - 100  # most of the first run's work was kept...
    assert len(_logged(second_log)) == len(recomputed)  # ...nothing was computed twice now...
    assert recomputed | set(_logged(first_log)) == set(range(300))  # ...and nothing is missing
    # A third run computes nothing.
    third = list(parallel_map(lambda x: logged_square(second_log, x), range(300),
                              checkpoint=checkpoint))  # fmt: skip
    assert third == results and len(_logged(second_log)) == len(recomputed)


def test_a_checkpoint_of_another_function_is_refused(tmp_path):
    path = tmp_path / "run.ckpt"
    list(parallel_map(abs, range(5), n_jobs=2, checkpoint=path))
    with pytest.raises(ValueError, match="holds results of abs, not of len"):
        list(parallel_map(len, ["a"], n_jobs=2, checkpoint=path))


def test_a_file_that_is_not_a_checkpoint_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(ValueError, match="is not a parallel_map checkpoint"):
        list(parallel_map(abs, range(5), checkpoint=path))


def half_or_fail(x):
    if x % 3 == 1:
        raise ArithmeticError(f"not today: {x}")
    return x / 2


@pytest.mark.parametrize("ordered", [True, False])
def test_a_rerun_computes_only_the_items_that_failed_before(tmp_path, ordered):
    path = tmp_path / "run.ckpt"
    with pytest.warns(RuntimeWarning, match="skipped 17 failed item"):
        list(parallel_map(half_or_fail, range(50), n_jobs=2, chunk_size=4, checkpoint=path,
                          on_error="skip"))  # fmt: skip
    log = tmp_path / "calls.log"
    half_or_fail_fixed = lambda x: logged_square(log, x)["x"] / 2  # noqa: E731
    half_or_fail_fixed.__name__ = "half_or_fail"  # the same function, fixed
    results = list(parallel_map(half_or_fail_fixed, range(50), n_jobs=2, ordered=ordered,
                                checkpoint=path))  # fmt: skip
    expected = [x / 2 for x in range(50)]
    assert (results if ordered else sorted(results)) == expected
    assert sorted(_logged(log)) == [x for x in range(50) if x % 3 == 1]


def segfault(x):
    ctypes.string_at(0)


def test_items_that_all_kill_their_workers_are_each_reported():
    it = parallel_map(segfault, range(4), n_jobs=2, chunk_size=1, on_error="collect")
    results = list(it)
    assert [e.index for e in results] == [0, 1, 2, 3]
    assert all(e.exitcode == -signal.SIGSEGV for e in it.errors)
