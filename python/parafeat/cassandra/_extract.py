"""parafeat.cassandra.extract: a pipeline run from one Cassandra table into another, one token
range at a time (read, extract, write), recording each finished range in a progress table so
that a rerun after a crash skips what is done. Upserts make redoing an unfinished range harmless:
no row is lost and none is duplicated."""

import contextlib
import dataclasses
import hashlib
import time

import pyarrow as pa

from parafeat.cassandra._ranges import TokenRange, ring_tokens, split_ring
from parafeat.cassandra._read import scan_workers
from parafeat.cassandra._retry import call_with_retry
from parafeat.cassandra._scan import RangeScan, run_parallel
from parafeat.cassandra._session import connect, parse_uri, quote, table_id, table_metadata
from parafeat.cassandra._write import (
    Writer, describe_key, prepare_insert, prepare_table, requests_at_once, wanted_columns,
)

PROGRESS_TABLE = "parafeat_progress"


def job_id(source: str, target: str, spec: str, where, target_id: str) -> str:
    """Names a run: the same source, target table (``target_id``: its id in
    ``system_schema.tables``, new when the table is dropped and created again), resolved spec
    and filter give the same job."""
    text = "\n".join([source, target, spec, where or "", target_id])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class _Progress:
    """The progress table ``<target keyspace>.parafeat_progress``: one row per finished range."""

    def __init__(self, session, keyspace, job, retry_seconds):
        self.session, self.job, self.retry_seconds = session, job, retry_seconds
        name = f"{quote(keyspace)}.{PROGRESS_TABLE}"
        call_with_retry(
            lambda: session.execute(
                f"CREATE TABLE IF NOT EXISTS {name} (job text, range_start bigint, "
                "range_end bigint, rows bigint, finished_at timestamp, "
                "PRIMARY KEY (job, range_start, range_end))"
            ),
            lambda: f"creating the progress table {keyspace}.{PROGRESS_TABLE}", retry_seconds,
        )  # fmt: skip
        self.insert = session.prepare(
            f"INSERT INTO {name} (job, range_start, range_end, rows, finished_at) "
            "VALUES (?, ?, ?, ?, toTimestamp(now()))"
        )
        self.select = session.prepare(
            f"SELECT range_start, range_end, rows FROM {name} WHERE job = ?"
        )
        self.clear = session.prepare(f"DELETE FROM {name} WHERE job = ?")

    def finished(self) -> dict:
        rows = call_with_retry(
            lambda: list(self.session.execute(self.select, (self.job,))),
            lambda: "reading the progress table", self.retry_seconds,
        )  # fmt: skip
        return {TokenRange(r.range_start, r.range_end): r.rows for r in rows}

    def record(self, token_range, rows) -> None:
        call_with_retry(
            lambda: self.session.execute(
                self.insert, (self.job, token_range.start, token_range.end, rows)
            ),
            lambda: f"recording token range {token_range} as done", self.retry_seconds,
        )  # fmt: skip

    def restart(self) -> None:
        self.session.execute(self.clear, (self.job,))

    def stale(self, done: dict, target) -> bool:
        """Whether ranges are recorded as done with rows although the ``target`` table holds
        none (it was truncated after they were written)."""
        if not any(done.values()):
            return False
        keyspace, table, key = target
        empty = call_with_retry(
            lambda: self.session.execute(
                f"SELECT {quote(key)} FROM {quote(keyspace)}.{quote(table)} LIMIT 1"
            ).one() is None,
            lambda: f"checking whether {keyspace}.{table} is empty", self.retry_seconds,
        )  # fmt: skip
        return empty


def extract(pipeline, source: str, target: str, *, n_jobs=-1, threads=-1, fetch_size=5000,
            min_ranges=64, create=True, restart=False, where=None, max_in_flight=32,
            connect_timeout=10.0, retry_seconds=120.0, on_rows=None) -> dict:  # fmt: skip
    """Runs ``pipeline`` over the table at ``source`` and upserts the primary key plus the
    features into the table at ``target`` (both ``cassandra://host[:port]/keyspace/table``).

    ``n_jobs`` token ranges are processed at once, each by ``threads`` engine threads. The
    target table is checked (or, with ``create``, created) before anything is written. Each
    finished range is recorded in ``<target keyspace>.parafeat_progress`` under a job id made
    from the source, the target table (its name and its id, so a target dropped and created
    again is a new job), spec and ``where``; a rerun of the same job skips those ranges
    (``restart=True`` forgets them). Records of ranges with rows are forgotten too when the
    target holds no row at all (it was truncated); a target that lost only some of its rows
    (rows deleted, or truncated and then partly written again) is not noticed: rerun with
    ``restart=True``. ``on_rows(n)`` is
    called as rows are written. Returns
    ``{"rows", "ranges", "skipped_ranges", "skipped_rows", "seconds", "job"}``.
    """
    workers = scan_workers(n_jobs)
    requests_at_once(max_in_flight)
    started = time.perf_counter()
    with open_job(
        pipeline, source, target, connect_timeout=connect_timeout, where=where,
        fetch_size=fetch_size, min_ranges=min_ranges, create=create, restart=restart,
        retry_seconds=retry_seconds,
    ) as (session, plan):  # fmt: skip
        run_range = plan.range_runner(session, pipeline, threads, max(1, max_in_flight // workers))
        written = 0
        for rows in run_parallel(plan.todo, run_range, workers, max_queued=4 * workers):
            written += rows
            if on_rows is not None:
                on_rows(rows)
    return plan.summary(written, time.perf_counter() - started)


@contextlib.contextmanager
def open_job(pipeline, source: str, target: str, *, connect_timeout=10.0, **options):
    """Connects to the cluster of ``source`` and ``target`` (``cassandra://`` addresses) and
    yields ``(session, plan)``: the :class:`JobPlan` from :func:`prepare_job` (``options`` are
    its keyword arguments)."""
    if not pipeline.is_fitted:
        raise ValueError("the pipeline has steps that learn from data; fit it first")
    source_hosts, source_port, source_keyspace, source_table = parse_uri(source)
    hosts, port, keyspace, table = parse_uri(target)
    if (source_hosts, source_port) != (hosts, port):
        raise NotImplementedError("source and target must be on the same Cassandra cluster")
    with connect(hosts, port, connect_timeout=connect_timeout) as session:
        yield session, prepare_job(
            session, pipeline, (source_keyspace, source_table), (keyspace, table), **options
        )


@dataclasses.dataclass
class JobPlan:
    """What the driver of an extract settles before anything is written: the source scan, the
    target table (checked or created), the job's id and the token ranges still to do."""

    source: tuple  # (keyspace, table)
    target: tuple  # (keyspace, table)
    where: object
    fetch_size: int
    retry_seconds: float
    scan: RangeScan | None  # on the driver's session (None in a copy sent to workers)
    progress: _Progress | None  # likewise
    names: list  # the target's columns: primary key, then the pipeline's outputs
    job: str
    ranges: list
    done: dict  # finished range -> rows, from the progress table
    todo: list

    def for_workers(self) -> "JobPlan":
        """A copy without the driver's session objects and range lists, to send to workers."""
        return dataclasses.replace(self, scan=None, progress=None, ranges=[], done={}, todo=[])

    def range_runner(self, session, pipeline, threads, max_in_flight):
        """``run_range(token_range)``: a generator that reads, extracts and upserts one range on
        ``session`` (yielding the rows of each page written) and then records it as done."""
        scan, progress = self.scan, self.progress
        if scan is None:  # on a worker's own session: the same scan and progress table
            scan = RangeScan(
                session, table_metadata(session, *self.source), pipeline.input_columns,
                where=self.where, fetch_size=self.fetch_size, retry_seconds=self.retry_seconds,
            )  # fmt: skip
            progress = _Progress(session, self.target[0], self.job, self.retry_seconds)
        key = scan.key_names
        insert = prepare_insert(session, *self.target, self.names, self.retry_seconds)

        def run_range(token_range):
            writer = Writer(session, insert, key, max_in_flight=max_in_flight,
                            retry_seconds=self.retry_seconds)  # fmt: skip
            rows = 0
            for batch in scan.batches(token_range):
                features = _extract_batch(pipeline, batch, key, threads, scan.table_name)
                writer.write_batch(features)
                rows += batch.num_rows
                yield batch.num_rows
            writer.flush()
            progress.record(token_range, rows)

        return run_range

    def summary(self, written, seconds) -> dict:
        return {
            "rows": written, "ranges": len(self.todo),
            "skipped_ranges": len(self.ranges) - len(self.todo),
            "skipped_rows": sum(self.done.get(r, 0) for r in self.ranges), "seconds": seconds,
            "job": self.job,
        }  # fmt: skip


def prepare_job(session, pipeline, source, target, *, where=None, fetch_size=5000, min_ranges=64,
                create=True, restart=False, retry_seconds=120.0) -> JobPlan:  # fmt: skip
    """Checks the source columns and the pipeline's output, checks (or creates) the target table
    before anything is written, and reads which token ranges the job has finished."""
    source_keyspace, source_table = source
    keyspace, table = target
    source_metadata = table_metadata(session, source_keyspace, source_table)
    scan = RangeScan(
        session, source_metadata, pipeline.input_columns, where=where,
        fetch_size=fetch_size, retry_seconds=retry_seconds,
    )  # fmt: skip
    key = scan.key_names
    clashes = [c for c in pipeline.output_columns if c in key]
    if clashes:
        raise ValueError(f"pipeline outputs {clashes} have the names of primary key columns")
    outputs = _output_schema(pipeline, scan)
    key_types = {k: source_metadata.columns[k].cql_type for k in key}
    feature_schema = pa.schema([scan.schema.field(k) for k in key] + list(outputs))
    columns = wanted_columns(feature_schema, f"features for {keyspace}.{table}", key_types)
    prepare_table(session, keyspace, table, columns, key, create=create,
                  retry_seconds=retry_seconds)  # fmt: skip
    job = job_id(f"{source_keyspace}.{source_table}", f"{keyspace}.{table}", pipeline.to_yaml(),
                 where, table_id(session, keyspace, table))  # fmt: skip
    progress = _Progress(session, keyspace, job, retry_seconds)
    if restart:
        progress.restart()
    done = progress.finished()
    if progress.stale(done, (keyspace, table, key[0])):
        progress.restart()
        done = {}
    ranges = split_ring(ring_tokens(session), min_ranges)
    return JobPlan(
        source=tuple(source), target=tuple(target), where=where, fetch_size=fetch_size,
        retry_seconds=retry_seconds, scan=scan, progress=progress, names=key + list(outputs.names), job=job,
        ranges=ranges, done=done, todo=[r for r in ranges if r not in done],
    )  # fmt: skip


def _output_schema(pipeline, scan) -> pa.Schema:
    """The pipeline's output schema on the source's columns; a column of a CQL type the
    pipeline cannot take (every row's value has the wrong type) is an error naming it."""
    empty = pa.RecordBatch.from_pylist([], schema=scan.schema).select(pipeline.input_columns)
    try:
        return pipeline.transform_batch(empty, n_jobs=1).schema
    except (TypeError, ValueError) as error:
        types = ", ".join(
            f"{name!r} is {cql}" for name, cql in zip(scan.names, scan.cql_types)
            if name in pipeline.input_columns
        )  # fmt: skip
        raise type(error)(f"{scan.table_name}: columns {types}: {error}") from error


def _extract_batch(pipeline, batch, key, threads, table_name) -> pa.RecordBatch:
    """The key columns of ``batch`` followed by the pipeline's outputs; an engine error names
    the primary key of the row it is about."""
    try:
        outputs = pipeline.transform_batch(
            batch.select(pipeline.input_columns), n_jobs=threads, first_row=0
        )
    except (TypeError, ValueError) as error:
        row = getattr(error, "row", None)
        position = row if row is not None else 0
        values = [batch.column(k)[position].as_py() for k in key]
        which = "the row with" if row is not None else "the batch starting at the row with"
        raise type(error)(
            f"{table_name}, {which} primary key {describe_key(key, values)}: {error}"
        ) from error
    arrays = [batch.column(k) for k in key] + list(outputs.columns)
    return pa.RecordBatch.from_arrays(arrays, names=key + list(outputs.schema.names))
