"""parafeat.spark on local[2] and on a real standalone cluster (a master and two workers on
loopback): what Spark collects equals the local pipeline's result bit for bit, for any number of
partitions, and a task whose Python worker is killed mid-stage is retried to the same result."""

import os
import signal
import threading
import time

import pyarrow as pa
import pytest
from pyspark.ml.linalg import VectorUDT
from pyspark.sql.functions import spark_partition_id

import parafeat
import parafeat.spark
from corpora import ADVERSARIAL_CORPUS
from spark_corpora import word_documents
from spark_frames import assert_same_features, text_frame

pytestmark = pytest.mark.spark

TEXTS = ADVERSARIAL_CORPUS + word_documents(seed=7, count=2500)

HASHING_SPEC = """
version: 1
extractors:
  - {name: hashing_vectorizer, column: text, output: words,
     params: {n_features: 4096, ngram_range: [1, 2]}}
  - {name: hashing_vectorizer, column: text, output: chars,
     params: {n_features: 512, analyzer: char_wb, ngram_range: [2, 3], dtype: float32}}
  - {name: spark_hashing_tf, column: text, output: spark_words, params: {num_features: 1000}}
"""

FIT_SPEC = """
version: 1
extractors:
  - {name: count_vectorizer, column: text, output: counts, params: {min_df: 2}}
  - {name: tfidf_vectorizer, column: text, output: tfidf,
     params: {sublinear_tf: true, max_features: 500, ngram_range: [1, 2]}}
  - {name: tfidf_vectorizer, column: text, output: spark_tfidf,
     params: {compat: spark, min_doc_freq: 2}}
"""

PARTITIONS = [1, 3, 16]


@pytest.fixture(scope="module")
def session(spark_local_or_cluster):
    """Each test runs on local[2] and on the standalone cluster (all local ones first)."""
    return spark_local_or_cluster


@pytest.fixture(scope="module")
def fitted_locally():
    return parafeat.Pipeline.from_yaml(FIT_SPEC).fit({"text": TEXTS})


def assert_same_as_local(collected: pa.Table, pipeline, texts=TEXTS):
    local = pipeline.transform({"text": texts})
    assert collected.column("id").to_pylist() == list(range(len(texts)))
    assert collected.column("text").to_pylist() == texts
    widths = pipeline.output_widths
    for output in pipeline.output_columns:
        assert_same_features(collected.column(output), local.column(output), widths[output])


def collect_with_partitions(features):
    """The collected table, and the number of partitions its rows came from (same job)."""
    table = features.withColumn("partition", spark_partition_id()).toArrow()
    return table, len(set(table.column("partition").to_pylist()))


@pytest.mark.parametrize("partitions", PARTITIONS)
def test_hashing_vectors_equal_the_local_pipeline(session, partitions):
    pipeline = parafeat.Pipeline.from_yaml(HASHING_SPEC)
    features = parafeat.spark.transform(text_frame(session, TEXTS, partitions), pipeline)
    assert features.columns == ["id", "text", "words", "chars", "spark_words"]
    assert all(isinstance(features.schema[name].dataType, VectorUDT) for name in ["words", "chars"])
    collected, used = collect_with_partitions(features)
    assert used == partitions
    assert_same_as_local(collected, pipeline)


def test_hashing_arrow_columns_equal_the_local_pipeline(session):
    pipeline = parafeat.Pipeline.from_yaml(HASHING_SPEC)
    features = parafeat.spark.transform(
        text_frame(session, TEXTS, 3), pipeline, output_format="arrow"
    )
    assert features.schema["chars"].dataType.simpleString() == (
        "struct<indices:array<int>,values:array<float>>"
    )
    assert_same_as_local(features.toArrow(), pipeline)


@pytest.mark.parametrize("partitions", PARTITIONS)
def test_fit_equals_the_local_fit_byte_for_byte_and_transforms_alike(
    session, partitions, fitted_locally
):
    frame = text_frame(session, TEXTS, partitions)
    fitted = parafeat.spark.fit(frame, parafeat.Pipeline.from_yaml(FIT_SPEC))
    assert fitted.to_bytes() == fitted_locally.to_bytes()
    features = parafeat.spark.transform(frame, fitted, output_format="arrow")
    collected, used = collect_with_partitions(features)
    assert used == partitions
    assert_same_as_local(collected, fitted_locally)


def test_vectors_of_a_fitted_pipeline_have_the_vocabulary_size(session, fitted_locally):
    features = parafeat.spark.transform(text_frame(session, TEXTS, 3), fitted_locally)
    assert_same_as_local(features.toArrow(), fitted_locally)
    first = features.orderBy("id").first()
    assert first.counts.size == fitted_locally.output_widths["counts"]


def test_input_and_output_columns_can_be_renamed_and_kept_columns_chosen(session):
    pipeline = parafeat.Pipeline.from_yaml(
        "version: 1\nextractors:\n  - {name: hashing_vectorizer, column: text}\n"
    )
    frame = text_frame(session, TEXTS[:50], 2).withColumnRenamed("text", "body")
    features = parafeat.spark.transform(frame, pipeline, input_col="body", output_col="features")
    assert features.columns == ["id", "body", "features"]
    local = pipeline.transform({"text": TEXTS[:50]})
    assert_same_features(
        features.toArrow().column("features"), local.column("hashing_vectorizer"), 2**20
    )
    # keep_columns: only the key comes back with the features, not the input text.
    keyed = parafeat.spark.transform(frame, pipeline, input_col="body", keep_columns=["id"])
    assert keyed.columns == ["id", "hashing_vectorizer"]
    table = keyed.toArrow()
    assert table.column("id").to_pylist() == list(range(50))
    assert_same_features(table.column("hashing_vectorizer"), local.column("hashing_vectorizer"),
                         2**20)  # fmt: skip


def test_columns_with_a_dot_or_backtick_in_their_name_are_read_and_kept_whole(session):
    """'my.text' is one column, not the field 'text' of a struct column 'my'."""
    count_spec = "version: 1\nextractors:\n  - {name: count_vectorizer, column: text}\n"
    frame = text_frame(session, TEXTS[:50], 2).toDF("the `id`", "my.text")
    fitted = parafeat.spark.fit(frame, count_spec, input_col="my.text")
    local = parafeat.Pipeline.from_yaml(count_spec).fit({"text": TEXTS[:50]})
    assert fitted.to_bytes() == local.to_bytes()
    features = parafeat.spark.transform(frame, fitted, input_col="my.text", output_col="c.v",
                                        output_format="arrow")  # fmt: skip
    assert features.columns == ["the `id`", "my.text", "c.v"]
    table = features.toArrow()
    assert table.column("my.text").to_pylist() == TEXTS[:50]
    assert_same_features(table.column("c.v"), local.transform({"text": TEXTS[:50]}).column(0))
    keyed = parafeat.spark.transform(frame, fitted, input_col="my.text", keep_columns="the `id`")
    assert keyed.toArrow().column_names == ["the `id`", "count_vectorizer"]


def test_fit_after_a_round_robin_repartition_equals_the_local_fit_in_collect_order(session):
    """df.repartition(n) deals rows out in an order that depends on all their columns: fit
    counts them in df.collect()'s order all the same."""
    frame = text_frame(session, TEXTS[:400], 1).repartition(3)
    in_collect_order = [row.text for row in frame.collect()]
    fitted = parafeat.spark.fit(frame, FIT_SPEC)
    local = parafeat.Pipeline.from_yaml(FIT_SPEC).fit({"text": in_collect_order})
    assert fitted.to_bytes() == local.to_bytes()


def _hold_first_attempt_of(partition, pid_file):
    """A task hook: the first attempt of ``partition`` writes its Python worker's pid and waits
    (at most a minute) to be killed; every other task and attempt runs straight through."""

    def hold(task_partition, attempt):
        if task_partition == partition and attempt == 0:
            with open(pid_file, "w") as out:
                out.write(str(os.getpid()))
            time.sleep(60)

    return hold


def _wait_for_pid(pid_file, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.path.exists(pid_file) and open(pid_file).read():
            return int(open(pid_file).read())
        time.sleep(0.1)
    raise AssertionError(f"no task wrote {pid_file} within {seconds} s")


def test_a_task_whose_python_worker_is_killed_mid_stage_is_retried_to_the_same_result(
    session, tmp_path, fitted_locally
):
    """SIGKILL hits a Python worker of an executor while its task is half way through its
    partition (the rest of the stage running or done); Spark retries the task and the collected
    result is still complete and equal to the local one."""
    if session.sparkContext.master.startswith("local"):
        pytest.skip("local mode never retries a task: this runs on the standalone cluster")
    pid_file = str(tmp_path / "worker.pid")
    frame = text_frame(session, TEXTS, 8, before_rows=_hold_first_attempt_of(5, pid_file))
    features = parafeat.spark.transform(frame, fitted_locally, output_format="arrow")

    context = session.sparkContext
    session.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
    outcome = {}

    def collect():
        context.setJobGroup("killed-worker", "a task's Python worker is killed")  # per thread
        try:
            outcome["table"] = features.toArrow()
        except Exception as error:  # reported by the main thread
            outcome["error"] = error

    try:
        collecting = threading.Thread(target=collect)
        collecting.start()
        victim = _wait_for_pid(pid_file)
        os.kill(victim, signal.SIGKILL)
        collecting.join(timeout=180)
        assert not collecting.is_alive(), "the job did not finish after the retry"
    finally:
        session.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    assert "error" not in outcome, outcome.get("error")
    assert_same_as_local(outcome["table"], fitted_locally)

    tracker = context.statusTracker()
    stages = [
        tracker.getStageInfo(stage)
        for job in tracker.getJobIdsForGroup("killed-worker")
        for stage in tracker.getJobInfo(job).stageIds
    ]
    assert sum(stage.numFailedTasks for stage in stages if stage) >= 1
