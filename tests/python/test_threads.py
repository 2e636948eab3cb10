"""parafeat._threads.start_beside: native work on a helper thread beside Python work, its result
or its error handed to whoever waits for it."""

import threading

import pytest

from parafeat._threads import start_beside


def test_the_call_runs_on_another_thread_and_its_result_is_returned():
    wait = start_beside(lambda: threading.current_thread().name)
    assert wait() == "parafeat-beside"


def test_the_work_of_both_threads_overlaps():
    started = threading.Event()
    release = threading.Event()

    def call():
        started.set()
        return release.wait(timeout=10)

    wait = start_beside(call)
    assert started.wait(timeout=10)  # the helper runs while this thread goes on
    release.set()
    assert wait() is True


def test_an_error_of_the_call_is_raised_by_wait():
    def call():
        raise ValueError("no terms remain")

    wait = start_beside(call)
    with pytest.raises(ValueError, match="no terms remain"):
        wait()
