"""parafeat.spark under Spark Connect: a real Connect server (``remote("local[2]")`` starts one on
loopback from the pyspark installation), a client session speaking gRPC to it, and the same
guarantee as classic Spark: what the client collects equals the local pipeline bit for bit, and a
fit over the server's partitions equals the local fit byte for byte."""

import os

import pyarrow as pa
import pytest
from pyspark.sql.functions import spark_partition_id

import parafeat
import parafeat.spark
from corpora import ADVERSARIAL_CORPUS
from services import unavailable
from spark_corpora import word_documents
from spark_frames import assert_same_features, text_frame
from spark_sessions import prepare_environment

pytestmark = pytest.mark.spark

TEXTS = ADVERSARIAL_CORPUS + word_documents(seed=11, count=600)

HASHING_SPEC = """
version: 1
extractors:
  - {name: hashing_vectorizer, column: text, output: words,
     params: {n_features: 4096, ngram_range: [1, 2]}}
"""

FIT_SPEC = """
version: 1
extractors:
  - {name: tfidf_vectorizer, column: text, output: tfidf, params: {min_df: 2}}
"""


@pytest.fixture(scope="module")
def connect(spark_sessions):
    """A Spark Connect client session on a local Connect server. A process holds one
    SparkContext, so the classic session is stopped first; the environment the client sets is
    restored afterwards, so later modules get classic sessions again."""
    spark_sessions.stop()
    environment = dict(os.environ)
    prepare_environment()
    from pyspark.sql import SparkSession

    try:
        session = SparkSession.builder.remote("local[2]").getOrCreate()
    except Exception as error:  # any failure to start is reported as the reason
        unavailable(f"Spark Connect could not start: {type(error).__name__}: {error}")
    yield session
    session.stop()
    os.environ.clear()
    os.environ.update(environment)


def test_the_session_is_a_connect_client(connect):
    assert type(connect).__module__ == "pyspark.sql.connect.session"


def test_hashing_vectors_equal_the_local_pipeline(connect):
    pipeline = parafeat.Pipeline.from_yaml(HASHING_SPEC)
    features = parafeat.spark.transform(text_frame(connect, TEXTS, 3), pipeline)
    collected = features.withColumn("partition", spark_partition_id()).toArrow()
    assert len(set(collected.column("partition").to_pylist())) == 3
    assert collected.column("id").to_pylist() == list(range(len(TEXTS)))
    local = pipeline.transform({"text": TEXTS})
    assert_same_features(collected.column("words"), local.column("words"), 4096)


def test_fit_equals_the_local_fit_and_transforms_alike(connect):
    frame = text_frame(connect, TEXTS, 4)
    fitted = parafeat.spark.fit(frame, parafeat.Pipeline.from_yaml(FIT_SPEC))
    fitted_locally = parafeat.Pipeline.from_yaml(FIT_SPEC).fit({"text": TEXTS})
    assert fitted.to_bytes() == fitted_locally.to_bytes()
    collected = parafeat.spark.transform(frame, fitted, output_format="arrow").toArrow()
    local = fitted_locally.transform({"text": TEXTS})
    assert isinstance(collected, pa.Table)
    assert_same_features(collected.column("tfidf"), local.column("tfidf"))
