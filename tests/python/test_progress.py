"""Progress bars on the long calls of the text vectorizers and of Pipeline: fed by the engine once
per morsel, they count every row and end at 100%; off, they print nothing."""

import math
import queue
import threading
import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import parafeat
from parafeat import Pipeline
from parafeat._threads import MORSEL_ROWS
from parafeat.text import CountVectorizer, HashingVectorizer, TfidfVectorizer

ROWS = 900  # a few morsels, and few enough rows for tqdm to print the count unscaled
DOCUMENTS = [f"document {i} about foxes and dogs" for i in range(ROWS)]

SPEC = """
version: 1
extractors:
  - name: count_vectorizer
    column: text
    output: counts
  - name: hashing_vectorizer
    column: text
    params: {n_features: 64}
"""


def _table():
    batch = pa.record_batch({"text": DOCUMENTS})
    return pa.Table.from_batches([batch.slice(0, 300), batch.slice(300)])  # two batches


CALLS = {
    "HashingVectorizer.transform": lambda p: HashingVectorizer(n_jobs=2).transform(
        DOCUMENTS, progress=p
    ),
    "CountVectorizer.fit": lambda p: CountVectorizer(n_jobs=2).fit(DOCUMENTS, progress=p),
    "CountVectorizer.transform": lambda p: CountVectorizer().fit(DOCUMENTS).transform(
        DOCUMENTS, progress=p
    ),
    "CountVectorizer.partial_fit": lambda p: CountVectorizer().partial_fit(DOCUMENTS, progress=p),
    "TfidfVectorizer.fit": lambda p: TfidfVectorizer().fit_transform(DOCUMENTS, progress=p),
    "TfidfVectorizer.transform": lambda p: TfidfVectorizer().fit(DOCUMENTS).transform(
        DOCUMENTS, progress=p
    ),
    "Pipeline.fit": lambda p: Pipeline.from_yaml(SPEC).fit(_table(), n_jobs=2, progress=p),
    "Pipeline.transform": lambda p: Pipeline.from_yaml(SPEC).fit(_table()).transform(
        _table(), progress=p
    ),
}


def test_time_series_features_bar_counts_every_series(capsys):
    from parafeat.timeseries import TimeSeriesFeatures

    frame = pd.DataFrame({"id": np.repeat(np.arange(40), 5), "value": np.arange(200.0)})
    transformer = TimeSeriesFeatures(default_fc_parameters={"mean": None}, n_jobs=2)
    transformer.fit_transform(frame, progress=True)
    transformer.transform(frame, progress=False)
    err = capsys.readouterr().err
    assert err.count("TimeSeriesFeatures.transform: 100%") == 1 and "| 40/40 " in err, err


@pytest.mark.parametrize("call", list(CALLS))
def test_a_progress_bar_counts_every_row_and_ends_at_100_percent(call, capsys):
    CALLS[call](True)
    err = capsys.readouterr().err
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.strip()]
    assert lines and all(line.startswith(f"{call}:") for line in lines), err
    assert "100%" in lines[-1] and f"| {ROWS}/{ROWS} " in lines[-1], err
    assert err.endswith("\n")  # the bar is closed


def test_a_scikit_learn_pipeline_passes_progress_to_its_step(capsys):
    labels = [i % 2 for i in range(ROWS)]
    model = make_pipeline(TfidfVectorizer(), LogisticRegression())
    model.fit(DOCUMENTS, labels, tfidfvectorizer__progress=True)
    assert "TfidfVectorizer.fit: 100%" in capsys.readouterr().err


@pytest.mark.parametrize("call", list(CALLS))
def test_progress_false_prints_nothing(call, capsys):
    CALLS[call](False)
    CALLS[call](None)  # parafeat.config(progress=...) is off by default
    assert capsys.readouterr().err == ""


def _time_series_features(progress):
    from parafeat.timeseries import TimeSeriesFeatures

    frame = pd.DataFrame({"id": np.repeat(np.arange(4), 5), "value": np.arange(20.0)})
    TimeSeriesFeatures(default_fc_parameters={"mean": None}).fit_transform(frame, progress=progress)


def _counted(done, total):
    pass


@pytest.mark.parametrize("progress", ["no", 1, _counted], ids=["'no'", "1", "a callable"])
@pytest.mark.parametrize(
    "call",
    [*CALLS.values(), _time_series_features, lambda p: list(parafeat.parallel_map(abs, [1], progress=p))],
    ids=[*CALLS, "TimeSeriesFeatures.fit_transform", "parallel_map"],
)  # fmt: skip
def test_progress_other_than_true_false_or_none_is_a_type_error_naming_it(call, progress, capsys):
    with pytest.raises(TypeError, match="progress must be True or False .* or None .*, got"):
        call(progress)
    assert capsys.readouterr().err == ""  # no bar was drawn


def test_extract_features_takes_true_or_false_for_a_bar_and_a_callable_as_documented(capsys):
    from parafeat.timeseries import extract_features

    frame = pd.DataFrame({"id": np.repeat(np.arange(40), 5), "value": np.arange(200.0)})
    run = lambda progress: extract_features(  # noqa: E731
        frame, column_id="id", default_fc_parameters={"mean": None}, progress=progress
    )
    expected = run(None)
    pd.testing.assert_frame_equal(run(True), expected)
    err = capsys.readouterr().err
    assert "extract_features: 100%" in err and "| 40/40 " in err, err
    pd.testing.assert_frame_equal(run(False), expected)
    assert capsys.readouterr().err == ""
    calls = []
    run(lambda done, total: calls.append((done, total)))
    assert calls[-1] == (40, 40)
    with pytest.raises(TypeError, match=r"progress must be .* or a callable\(series_done, series_total\), got str"):
        run("no")


def test_parafeat_config_turns_the_bar_on_unless_the_call_says_false(capsys):
    with parafeat.config(progress=True):
        CountVectorizer().fit(DOCUMENTS)
        HashingVectorizer().transform(DOCUMENTS, progress=False)
    err = capsys.readouterr().err
    assert "CountVectorizer.fit:" in err and "HashingVectorizer" not in err


def in_thread(steps):
    """Runs ``steps`` (a list of callables) on a new thread, one per ``next()`` of the returned
    generator, which yields each step's result: two threads' steps can then interleave exactly."""
    requests, results = queue.Queue(), queue.Queue()

    def serve():
        for step in iter(requests.get, None):
            results.put(step())

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        for step in steps:
            requests.put(step)
            yield results.get(timeout=60)
    finally:
        requests.put(None)
        thread.join()


def test_a_config_block_holds_in_its_own_thread_whatever_the_order_blocks_end():
    progress = lambda: parafeat.config()["progress"]  # noqa: E731
    a_block, b_block = parafeat.config(progress=True), None
    a = in_thread([a_block.__enter__, progress, lambda: a_block.__exit__(None, None, None), progress])
    assert next(a) is a_block and progress() is False  # A's block is not this thread's
    b_block = parafeat.config(progress=True)
    b_exit = lambda: b_block.__exit__(None, None, None)  # noqa: E731
    b = in_thread([b_block.__enter__, progress, progress, b_exit, progress])
    assert next(b) is b_block and (next(a), next(b)) == (True, True)
    next(a)  # A's block ends first, B's is still open
    assert (next(a), next(b), progress()) == (False, True, False)
    next(b)
    assert (next(b), progress()) == (False, False)


def test_a_config_call_outside_a_block_sets_every_threads_default():
    try:
        parafeat.config(progress=True)
        assert next(in_thread([lambda: parafeat.config()["progress"]])) is True
    finally:
        parafeat.config(progress=False)
    assert next(in_thread([lambda: parafeat.config()["progress"]])) is False


def test_the_engine_reports_progress_at_most_every_50_ms_and_at_the_end():
    # What keeps the bar off the hot path: the executor reports each morsel, but Python (and its
    # GIL) hears of it at most every 50 ms, plus once when every row is done.
    rows = 200_000
    reports = []
    batch = pa.record_batch({"text": [f"row {i}" for i in range(rows)]})
    started = time.perf_counter()
    CountVectorizer(n_jobs=2).count_arrow_state(
        batch, "text", progress=lambda done, total: reports.append((done, total))
    )
    elapsed = time.perf_counter() - started
    assert len(reports) <= 2 + elapsed / 0.05 < math.ceil(rows / MORSEL_ROWS)
    assert [done for done, _ in reports] == sorted(done for done, _ in reports)
    assert reports[-1] == (rows, rows) and {total for _, total in reports} == {rows}


def test_an_error_in_the_progress_callback_stops_the_run_and_is_raised():
    def failing(done, total):
        raise RuntimeError(f"bar broke at {done}")

    with pytest.raises(RuntimeError, match="bar broke at"):
        Pipeline.from_yaml(SPEC).fit(_table()).transform_batch(
            _table().to_batches()[1], progress=failing
        )
