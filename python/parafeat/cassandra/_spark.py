"""Cassandra on Spark without a connector jar: the driver lists the token ranges into a small
DataFrame (one row per range), spread over the cluster's tasks; ``mapInArrow`` workers connect to
Cassandra themselves and read (and extract, and write) their ranges with the code the local
reader and extractor use. Only the DataFrame API is used, so this runs under Spark Connect too."""

import functools
import time

import pyarrow as pa

from parafeat.cassandra._extract import open_job
from parafeat.cassandra._ranges import TokenRange, ring_tokens, split_ring
from parafeat.cassandra._scan import RangeScan
from parafeat.cassandra._session import (
    DEFAULT_HOSTS, DEFAULT_PORT, column_names, connect, parse_uri,
)  # fmt: skip
from parafeat.cassandra._session import table_metadata
from parafeat.cassandra._write import requests_at_once

_RANGES_SCHEMA = "range_start long, range_end long"
_EXTRACTED_SCHEMA = "range_start long, range_end long, rows long"


def spark_read(spark, keyspace, table, columns, hosts=DEFAULT_HOSTS, *, port=DEFAULT_PORT,
               where=None, partitions=None, fetch_size=5000, min_ranges=64, connect_timeout=10.0,
               retry_seconds=120.0):  # fmt: skip
    """Reads ``columns`` (a list of names, or one name) of ``keyspace.table`` as a Spark
    DataFrame, the token ranges scanned in parallel by Spark tasks: the primary key columns
    first, then ``columns`` (text as strings, maps as structs of ``indices`` and ``values``
    arrays, timestamps in microseconds), the same rows :func:`parafeat.cassandra.read` gives.

    The ring is cut into at least ``min_ranges`` ranges, spread over ``partitions`` tasks
    (default: the session's default parallelism). Every executor must reach ``hosts``. The
    table, columns and hosts are checked here on the driver before any task starts: an
    unreachable host is a ConnectionError, a missing keyspace, table or column a KeyError. A page
    that keeps failing is retried for up to ``retry_seconds``, then fails its task (and, after
    Spark's attempts, the job): never a silently partial result.
    """
    from pyspark.sql.pandas.types import from_arrow_schema

    from parafeat.spark import _spark_arrow_type

    columns = column_names(columns)
    with connect(hosts, port, connect_timeout=connect_timeout) as session:
        scan = RangeScan(
            session, table_metadata(session, keyspace, table), columns, where=where,
            fetch_size=fetch_size, retry_seconds=retry_seconds,
        )  # fmt: skip
        ranges = split_ring(ring_tokens(session), min_ranges)
    schema = pa.schema([f.with_type(_spark_arrow_type(f.type)) for f in scan.schema])
    work = functools.partial(
        _read_partition, hosts=tuple(hosts) if not isinstance(hosts, str) else (hosts,),
        port=port, keyspace=keyspace, table=table, columns=columns, where=where,
        fetch_size=fetch_size, connect_timeout=connect_timeout, retry_seconds=retry_seconds,
        schema=schema,
    )  # fmt: skip
    return _ranges_frame(spark, ranges, partitions).mapInArrow(work, from_arrow_schema(schema))


def spark_extract(spark, pipeline, source: str, target: str, *, partitions=None, threads=None,
                  fetch_size=5000, min_ranges=64, create=True, restart=False, where=None,
                  max_in_flight=32, connect_timeout=10.0, retry_seconds=120.0) -> dict:  # fmt: skip
    """:func:`parafeat.cassandra.extract` with the token ranges spread over Spark tasks: each
    task reads its ranges, runs the pipeline and upserts the features, then records each range
    in the progress table, so a rerun (or a retried task) redoes only unfinished ranges and an
    upsert written twice leaves the same row.

    ``pipeline``: a fitted :class:`parafeat.Pipeline` or a YAML spec with no step that learns.
    The driver checks the source, the pipeline's input types and the target table (creating it
    with ``create``) before any task starts. ``threads``: engine threads per task (default: the
    task's CPUs). ``max_in_flight``: write requests at once per task. Returns the summary
    :func:`parafeat.cassandra.extract` returns.
    """
    from parafeat._distributed import Shipment, as_pipeline
    from parafeat.spark import _ship

    pipeline = as_pipeline(pipeline)
    requests_at_once(max_in_flight)
    hosts, port, _, _ = parse_uri(target)
    started = time.perf_counter()
    with open_job(
        pipeline, source, target, connect_timeout=connect_timeout, where=where,
        fetch_size=fetch_size, min_ranges=min_ranges, create=create, restart=restart,
        retry_seconds=retry_seconds,
    ) as (_, plan):  # fmt: skip
        pass  # the driver's session serves only to check and plan; each task opens its own
    frame = _ranges_frame(spark, plan.todo, partitions)
    work = functools.partial(
        _extract_partition, shipped=_ship(frame, Shipment.fitted_pipeline(pipeline)),
        plan=plan.for_workers(), hosts=hosts, port=port, threads=threads,
        max_in_flight=max_in_flight, connect_timeout=connect_timeout,
    )  # fmt: skip
    finished = frame.mapInArrow(work, _EXTRACTED_SCHEMA).collect()
    if len(finished) != len(plan.todo):  # each task reports every range it finished, once
        raise RuntimeError(
            f"Spark tasks reported {len(finished)} finished token ranges of {len(plan.todo)}"
        )
    return plan.summary(sum(row.rows for row in finished), time.perf_counter() - started)


def _ranges_frame(spark, ranges, partitions):
    """One row per token range, spread round-robin over ``partitions`` partitions."""
    count = partitions or _default_parallelism(spark)
    rows = [(r.start, r.end) for r in ranges]
    return spark.createDataFrame(rows, _RANGES_SCHEMA).repartition(max(1, min(count, len(rows))))


def _default_parallelism(spark) -> int:
    try:
        return spark.sparkContext.defaultParallelism
    except Exception:  # Spark Connect has no SparkContext; ask its configuration instead
        return int(spark.conf.get("spark.default.parallelism", "2"))


def _token_ranges(batches):
    for batch in batches:
        starts = batch.column("range_start").to_pylist()
        ends = batch.column("range_end").to_pylist()
        yield from (TokenRange(start, end) for start, end in zip(starts, ends))


def _read_partition(batches, *, hosts, port, keyspace, table, columns, where, fetch_size,
                    connect_timeout, retry_seconds, schema):  # fmt: skip
    with connect(hosts, port, connect_timeout=connect_timeout) as session:
        scan = RangeScan(
            session, table_metadata(session, keyspace, table), columns, where=where,
            fetch_size=fetch_size, retry_seconds=retry_seconds,
        )  # fmt: skip
        for token_range in _token_ranges(batches):
            for page in scan.batches(token_range):
                yield page.cast(schema)


def _extract_partition(batches, *, shipped, plan, hosts, port, threads, max_in_flight,
                       connect_timeout):  # fmt: skip
    from parafeat.spark import _received, _task

    pipeline = _received(shipped)
    _, cpus = _task()
    with connect(hosts, port, connect_timeout=connect_timeout) as session:
        run_range = plan.range_runner(session, pipeline, threads or cpus, max_in_flight)
        for token_range in _token_ranges(batches):
            rows = sum(run_range(token_range))
            yield pa.RecordBatch.from_pydict({
                "range_start": pa.array([token_range.start], pa.int64()),
                "range_end": pa.array([token_range.end], pa.int64()),
                "rows": pa.array([rows], pa.int64()),
            })  # fmt: skip
