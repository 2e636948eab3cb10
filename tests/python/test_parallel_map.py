"""parafeat.parallel_map: results, order, laziness, errors, pickling and the backends."""

import itertools
import os
import random
import threading
import time
import warnings

import numpy as np
import psutil
import pyarrow as pa
import pytest

import parafeat
from parafeat import WorkerError, parallel_map


def square(x):
    return x * x


def sleep_then_echo(x):
    time.sleep(random.random() * 0.01)
    return x


def fail_on_37(x):
    if x == 37:
        raise ValueError(f"no 37 please (got {x})")
    return x


def test_results_come_in_the_order_of_items_although_items_finish_out_of_order():
    assert list(parallel_map(sleep_then_echo, range(200), n_jobs=2, chunk_size=3)) == list(
        range(200)
    )


def test_unordered_results_hold_every_result_once():
    results = list(parallel_map(sleep_then_echo, range(200), n_jobs=2, ordered=False))
    assert sorted(results) == list(range(200))


def test_results_equal_the_builtin_map_for_many_tiny_items():
    items = range(30_000)
    it = parallel_map(square, items, n_jobs=2)
    assert list(it) == list(map(square, items))
    assert it.backend == "processes" and it.n_jobs == 2


def test_lambdas_closures_and_local_classes_travel_with_cloudpickle():
    offset = 1000

    class Point:
        def __init__(self, x):
            self.x = x

    results = list(parallel_map(lambda x: Point(x + offset), range(20), n_jobs=2))
    assert [p.x for p in results] == [x + offset for x in range(20)]


def test_a_generator_of_10_to_the_8_items_is_consumed_lazily_with_bounded_memory():
    taken = itertools.count()

    def items():
        for i in range(10**8):
            next(taken)
            yield i

    rss_before = psutil.Process().memory_info().rss
    with parallel_map(square, items(), n_jobs=2) as results:
        first = list(itertools.islice(results, 50_000))
    assert first == [i * i for i in range(50_000)]
    consumed = next(taken)
    # In flight: two chunks per worker of at most MAX_CHUNK_ITEMS, plus finished chunks waiting.
    assert consumed < 50_000 + 12 * 10_000
    assert psutil.Process().memory_info().rss - rss_before < 200 * 2**20


def test_stopping_early_leaves_no_busy_worker():
    with parallel_map(time.sleep, itertools.repeat(0.2), n_jobs=2) as results:
        next(results)
    started = time.monotonic()
    assert list(parallel_map(square, range(10), n_jobs=2)) == [x * x for x in range(10)]
    assert time.monotonic() - started < 5


def test_a_failure_raises_worker_error_with_index_type_message_and_worker_traceback():
    handed_out = []
    with pytest.raises(WorkerError) as caught:
        for value in parallel_map(fail_on_37, range(100), n_jobs=2, chunk_size=5):
            handed_out.append(value)
    error = caught.value
    assert error.index == 37
    assert error.exc_type is ValueError and error.exc_type_name == "ValueError"
    assert error.message == "no 37 please (got 37)"
    assert "in fail_on_37" in error.traceback and 'raise ValueError(f"no 37' in error.traceback
    assert "item 37 failed: ValueError: no 37 please" in str(error)
    assert isinstance(error.__cause__, ValueError)
    assert handed_out == list(range(37))  # every result before the failure was handed out


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_an_exception_class_only_the_caller_can_see_comes_back_as_itself(n_jobs):
    class LocalError(Exception):  # not importable by name, as a class of the user's script
        pass

    def fail_on_1(x):
        if x == 1:
            raise LocalError("item one is bad")
        return x

    with pytest.raises(WorkerError) as caught:
        list(parallel_map(fail_on_1, range(4), n_jobs=n_jobs))
    error = caught.value
    assert error.exc_type is LocalError  # joblib re-raises this very class too
    assert type(error.__cause__) is LocalError and error.__cause__.args == ("item one is bad",)


def test_an_exception_that_cannot_be_pickled_is_still_reported_by_type_name_and_message():
    class HoldsALock(Exception):
        def __init__(self, message):
            super().__init__(message)
            self.lock = threading.Lock()

    def fail_on_1(x):
        if x == 1:
            raise HoldsALock("item one is bad")
        return x

    with pytest.raises(WorkerError) as caught:
        list(parallel_map(fail_on_1, range(4), n_jobs=2))
    error = caught.value
    assert error.index == 1 and error.exc_type is None and error.__cause__ is None
    assert error.exc_type_name.endswith(".HoldsALock") and error.message == "item one is bad"
    assert "in fail_on_1" in error.traceback


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_an_exception_whose_str_raises_is_still_the_items_worker_error(n_jobs):
    class BadStr(Exception):
        def __str__(self):
            raise RuntimeError("no str")

    def fail_on_1(x):
        if x == 1:
            raise BadStr()
        return x

    with pytest.raises(WorkerError) as caught:
        list(parallel_map(fail_on_1, range(4), n_jobs=n_jobs))
    error = caught.value
    assert error.index == 1 and error.exc_type is BadStr and error.exitcode is None
    assert error.message == "<the message could not be rendered: str() raised RuntimeError>"
    assert "in fail_on_1" in error.traceback


def test_on_error_skip_leaves_failed_items_out_lists_them_and_warns():
    with pytest.warns(RuntimeWarning, match=r"skipped 1 failed item\(s\) \(indices 37\)"):
        it = parallel_map(fail_on_37, range(100), n_jobs=2, on_error="skip")
        results = list(it)
    assert results == [x for x in range(100) if x != 37]
    assert [e.index for e in it.errors] == [37]


def test_on_error_collect_yields_the_worker_error_in_place_of_the_result():
    it = parallel_map(fail_on_37, range(100), n_jobs=2, on_error="collect")
    results = list(it)
    assert results[:37] == list(range(37)) and results[38:] == list(range(38, 100))
    assert isinstance(results[37], WorkerError) and results[37].index == 37
    assert it.errors == [results[37]]


def test_large_numpy_and_arrow_results_arrive_intact_and_writable():
    def arrays(i):
        return np.full(300_000, i, dtype=np.float64), pa.array(np.arange(300_000) + i)

    for i, (array, arrow) in enumerate(parallel_map(arrays, range(12), n_jobs=2)):
        assert array.shape == (300_000,) and (array == i).all()
        assert arrow.to_numpy()[0] == i and arrow.to_numpy()[-1] == 299_999 + i
        array[0] = -1  # writable, as a pickled array would be
    assert not _shared_memory_left()


def test_large_numpy_items_reach_the_workers_intact():
    items = [np.arange(200_000, dtype=np.int64) * k for k in range(6)]
    sums = list(parallel_map(lambda a: int(a.sum()), items, n_jobs=2))
    assert sums == [int(a.sum()) for a in items]


def _shared_memory_left():
    return [name for name in os.listdir("/dev/shm") if name.startswith(f"parafeat-{os.getpid()}-")]


def test_native_parafeat_methods_run_in_threads_with_the_same_results():
    from parafeat.text import HashingVectorizer

    vectorizer = HashingVectorizer(n_features=64, n_jobs=1)
    batches = [[f"word{i} other{i % 3}", f"doc {i}"] for i in range(10)]
    it = parallel_map(vectorizer.transform, batches, n_jobs=2)
    assert it.backend == "threads"
    for got, batch in zip(it, batches):
        assert (got != vectorizer.transform(batch)).nnz == 0


def test_n_jobs_1_runs_in_this_process_with_the_same_errors():
    it = parallel_map(lambda x: threading.get_ident(), range(5), n_jobs=1)
    assert it.backend == "inline" and set(it) == {threading.get_ident()}
    with pytest.raises(WorkerError) as caught:
        list(parallel_map(fail_on_37, range(40), n_jobs=1))
    assert caught.value.index == 37 and "in fail_on_37" in caught.value.traceback


def test_progress_bar_shows_rate_and_total(capsys):
    assert list(parallel_map(square, range(1000), n_jobs=2, progress=True)) == [
        x * x for x in range(1000)
    ]
    err = capsys.readouterr().err
    assert "parallel_map" in err and "1000/1000" in err and "item/s" in err


def test_a_fixed_chunk_size_and_an_unsized_iterable_give_the_same_results():
    assert list(parallel_map(square, iter(range(997)), n_jobs=2, chunk_size=10)) == [
        x * x for x in range(997)
    ]


# ---- bad input ---------------------------------------------------------------------------------


def test_a_non_callable_fn_is_a_type_error():
    with pytest.raises(TypeError, match="fn must be callable, got int"):
        parallel_map(3, range(3))


def test_non_iterable_items_are_a_type_error():
    with pytest.raises(TypeError, match="items must be an iterable.*got int"):
        parallel_map(square, 42)


def test_n_jobs_0_is_a_value_error():
    with pytest.raises(ValueError, match="n_jobs == 0"):
        parallel_map(square, range(3), n_jobs=0)


def test_numpy_integer_n_jobs_and_chunk_size_are_taken_as_joblib_takes_them():
    results = parallel_map(square, range(20), n_jobs=np.int64(2), chunk_size=np.int64(3))
    assert list(results) == [square(x) for x in range(20)]


@pytest.mark.parametrize("bad", [{"on_error": "ignore"}, {"chunk_size": 0}, {"chunk_size": True}])
def test_bad_options_are_value_errors_naming_them(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        parallel_map(square, range(3), **bad)


def test_an_unpicklable_result_is_a_worker_error_naming_its_index_and_type():
    def lock_at_5(x):
        return threading.Lock() if x == 5 else x

    with pytest.raises(WorkerError) as caught:
        list(parallel_map(lock_at_5, range(10), n_jobs=2))
    assert caught.value.index == 5
    assert "its result, a _thread.lock, cannot be pickled" in str(caught.value)


def test_an_unpicklable_fn_is_a_type_error_before_any_work():
    lock = threading.Lock()
    with pytest.raises(TypeError, match="fn cannot be sent to worker processes"):
        parallel_map(lambda x: lock, range(3), n_jobs=2)


@pytest.mark.parametrize("ordered", [True, False])
def test_a_generator_raising_midway_surfaces_with_its_index_after_the_finished_results(ordered):
    def items():
        yield from range(25)
        raise OSError("the disk went away")

    handed_out = []
    with pytest.raises(OSError, match="the disk went away") as caught:
        for value in parallel_map(square, items(), n_jobs=2, ordered=ordered):
            handed_out.append(value)
    assert caught.value.index == 25
    assert "when asked for item 25" in "\n".join(getattr(caught.value, "__notes__", []))
    assert sorted(handed_out) == [x * x for x in range(25)]


def test_parafeat_exports_parallel_map_and_worker_error():
    assert parafeat.parallel_map is parallel_map and parafeat.WorkerError is WorkerError
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert list(parafeat.parallel_map(square, [], n_jobs=2)) == []


def test_parafeat_config_turns_the_progress_bar_on_for_every_call(capsys):
    with parafeat.config(progress=True):
        assert parafeat.config() == {"progress": True}
        list(parallel_map(square, range(50), n_jobs=1))
    list(parallel_map(square, range(50), n_jobs=1))
    assert capsys.readouterr().err.count("50/50") == 1
    assert parafeat.config() == {"progress": False}
    with pytest.raises(TypeError, match=r"unknown parafeat setting\(s\) \['colour'\]"):
        parafeat.config(colour=True)
