"""parafeat.cassandra on Spark (local[2]) against the real Cassandra node: token ranges read as
Spark tasks give exactly the rows the local reader gives, and features extracted and written by
Spark tasks equal the local pipeline's for every row."""

import collections
import zlib

import pytest

import parafeat
import parafeat.cassandra as pc
from cassandra_node import KEYSPACE
from test_cassandra import (
    SPEC, cassandra_uri, checksum, count_rows, documents, load_documents, local_features,
    stored_features,
)  # fmt: skip

ROWS = 5_000


@pytest.fixture(scope="module")
def spark_docs(cassandra):
    """ROWS documents in the table ``spark_docs``."""
    texts = documents(ROWS, seed=23)
    load_documents(KEYSPACE, "spark_docs", texts)
    return texts


def rows_checksum(pairs) -> tuple:
    """(count, CRC of every (id, text) in id order)."""
    crc = 0
    for pair in sorted(pairs):
        crc = zlib.crc32(repr(pair).encode(), crc)
    return len(pairs), crc


def test_rows_read_by_spark_tasks_equal_the_local_read(spark, spark_docs):
    frame = pc.spark_read(spark, KEYSPACE, "spark_docs", ["text"], partitions=3, fetch_size=700)
    assert frame.columns == ["id", "text"]
    through_spark = [(row.id, row.text) for row in frame.collect()]
    local = pc.read(KEYSPACE, "spark_docs", ["text"], n_jobs=2).read_all()
    locally = list(zip(local.column("id").to_pylist(), local.column("text").to_pylist()))
    assert collections.Counter(through_spark) == collections.Counter(locally)
    assert rows_checksum(through_spark) == rows_checksum(locally)
    assert dict(through_spark) == dict(enumerate(spark_docs))


def test_features_extracted_by_spark_tasks_equal_the_local_pipeline(spark, cassandra, spark_docs):
    pipeline = parafeat.Pipeline.from_yaml(SPEC)
    source, target = cassandra_uri("spark_docs"), cassandra_uri("spark_features")
    summary = pc.spark_extract(spark, pipeline, source, target, partitions=2, threads=1)
    assert summary["rows"] == len(spark_docs) and summary["skipped_ranges"] == 0
    expected = local_features(pipeline, spark_docs)
    stored = stored_features("spark_features", pipeline.output_columns)
    assert count_rows(cassandra, "spark_features") == len(spark_docs)
    assert checksum(stored) == checksum(expected)
    assert stored == expected

    rerun = pc.spark_extract(spark, pipeline, source, target, partitions=2)
    assert rerun["rows"] == 0 and rerun["skipped_rows"] == len(spark_docs)


def test_timestamp_and_date_columns_are_read_by_spark_tasks_to_the_millisecond(spark, cassandra):
    cassandra.execute(
        f"CREATE TABLE {KEYSPACE}.spark_times (at timestamp PRIMARY KEY, day date, text text)"
    )
    for ms in (253402300799999, 18661950659418, 1714557600123, -1):
        cassandra.execute(
            f"INSERT INTO {KEYSPACE}.spark_times (at, day, text) VALUES (%s, '2024-05-01', 'x')",
            (ms,),
        )
    frame = pc.spark_read(spark, KEYSPACE, "spark_times", ["day", "text"], partitions=2)
    rows = frame.selectExpr("unix_millis(at) AS ms", "cast(day AS string) AS day").collect()
    assert sorted(row.ms for row in rows) == [-1, 1714557600123, 18661950659418, 253402300799999]
    assert {row.day for row in rows} == {"2024-05-01"}


def test_unreachable_host_is_a_clear_error_on_the_driver(spark):
    with pytest.raises(ConnectionError, match=r"cannot reach Cassandra at 127\.0\.0\.1 port 9"):
        pc.spark_read(spark, "ks", "t", ["text"], "127.0.0.1", port=9, connect_timeout=2)
    with pytest.raises(ConnectionError, match=r"cannot reach Cassandra at 127\.0\.0\.1 port 9"):
        pc.spark_extract(
            spark, SPEC, "cassandra://127.0.0.1:9/ks/t", "cassandra://127.0.0.1:9/ks/f",
            connect_timeout=2,
        )  # fmt: skip
