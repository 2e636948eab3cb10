"""Writing Arrow batches to a Cassandra table: the table's schema checked (or the table created)
before anything is written, then concurrent prepared upserts with a bound on in-flight requests,
each retried with backoff on timeouts and unavailable nodes. An upsert of the same row gives the
same result, so writing again (after a crash, say) never duplicates."""

import heapq
import itertools
import logging
import threading
import time

import numpy as np
import pyarrow as pa
from cassandra.query import BatchStatement, BatchType, BoundStatement

from parafeat._threads import is_integer
from parafeat.cassandra._retry import Backoff, call_with_retry, transient_errors
from parafeat.cassandra._session import DEFAULT_HOSTS, DEFAULT_PORT, key_columns, quote
from parafeat.cassandra._serialize import UnencodableValue, serialize_column
from parafeat.cassandra._types import field_cql_type, same_cql_type

_log = logging.getLogger("parafeat.cassandra")
# A batch's size as the node counts it (against batch_size_fail_threshold), measured on
# Cassandra 5: about 50 bytes a row, plus each cell's value and 20 bytes (its timestamp, TTL and
# deletion time); an unfrozen collection holds a cell per entry, with the entry's key (or a
# 16-byte list position) besides its value. The partition key is not counted. Rounded up, so
# that batches stay under the limit.
_ROW_OVERHEAD = 64
_CELL_OVERHEAD = 24
_ENTRY_OVERHEAD = 32  # beyond the entry's bytes in the collection's encoded value


def requests_at_once(max_in_flight) -> int:
    """``max_in_flight`` checked: a positive count of write requests, else ValueError."""
    if not is_integer(max_in_flight) or max_in_flight < 1:
        raise ValueError(
            f"max_in_flight must be a positive count of write requests, got {max_in_flight!r}"
        )
    return int(max_in_flight)


def wanted_columns(schema: pa.Schema, where: str, overrides=None) -> dict:
    """{column: CQL type} for an Arrow schema (``overrides`` fixes some columns' CQL types)."""
    overrides = overrides or {}
    return {
        f.name: overrides.get(f.name) or field_cql_type(f, f"{where}, column {f.name!r}")
        for f in schema
    }


def prepare_table(session, keyspace, table, columns: dict, key, *, create=False, retry_seconds=120):
    """Checks that ``keyspace.table`` has exactly the wanted column types and primary key, or
    creates it when it is missing and ``create`` is true (then returns True). ValueError or
    KeyError before any write."""
    where = f"{keyspace}.{table}"
    metadata = session.cluster.metadata
    if keyspace not in metadata.keyspaces:
        raise KeyError(f"Cassandra has no keyspace {keyspace!r}; create it first")
    existing = metadata.keyspaces[keyspace].tables.get(table)
    if existing is None:
        if not create:
            raise KeyError(
                f"Cassandra has no table {where}; pass create=True (the command line creates it) "
                f"to create it from the pipeline's output"
            )
        if not key:
            raise ValueError(f"name the primary key columns of the new table {where} (key=[...])")
        missing = [k for k in key if k not in columns]
        if missing:
            raise ValueError(f"primary key columns {missing} of {where} are not in the features")
        definitions = ", ".join(f"{quote(name)} {cql}" for name, cql in columns.items())
        statement = (
            f"CREATE TABLE IF NOT EXISTS {quote(keyspace)}.{quote(table)} ({definitions}, "
            f"PRIMARY KEY (({', '.join(quote(k) for k in key)})))"
        )
        call_with_retry(
            lambda: session.execute(statement), lambda: f"creating {where}", retry_seconds
        )
        session.cluster.refresh_table_metadata(keyspace, table)
        return True
    problems = []
    for name, cql in columns.items():
        if name not in existing.columns:
            problems.append(f"no column {name!r} (the output needs {cql})")
        elif not same_cql_type(existing.columns[name].cql_type, cql):
            problems.append(
                f"column {name!r} is {existing.columns[name].cql_type}, the output is {cql}"
            )
    table_key = key_columns(existing)
    if key and list(key) != table_key:
        problems.append(f"primary key is {table_key}, the output's is {list(key)}")
    for name in table_key:
        if name not in columns:
            problems.append(f"primary key column {name!r} is not in the output")
    if problems:
        raise ValueError(
            f"table {where} does not match the features to write: {'; '.join(problems)}; "
            "drop it, or write to a new table"
        )
    return False


def prepare_insert(session, keyspace, table, names, retry_seconds=120):
    """The prepared ``INSERT INTO keyspace.table (names...) VALUES (?...)``."""
    text = (
        f"INSERT INTO {quote(keyspace)}.{quote(table)} "
        f"({', '.join(quote(n) for n in names)}) VALUES ({', '.join('?' * len(names))})"
    )
    return call_with_retry(
        lambda: session.prepare(text), lambda: f"preparing {text!r}", retry_seconds
    )


def describe_key(names, values) -> str:
    """``(id=5, day='x')``: a row's primary key for error messages."""
    return "(" + ", ".join(f"{n}={v!r}" for n, v in zip(names, values)) + ")"


class Writer:
    """Upserts the rows of Arrow batches into a table: rows go in unlogged batches of at most
    ``batch_rows`` rows and about ``batch_bytes`` bytes (one request, many partitions; each row
    is still an idempotent upsert), at most ``max_in_flight`` requests at once. A request that
    fails for a passing reason is retried with backoff for up to ``retry_seconds``; one refused
    for good is split into single rows so that the error names the row's primary key.
    :meth:`flush` waits for every request and raises the first failure. One Writer per thread.
    """

    def __init__(self, session, statement, key, *, max_in_flight=32, batch_rows=256,
                 batch_bytes=40 * 1024, retry_seconds=120):  # fmt: skip
        """``statement``: the INSERT from :func:`prepare_insert`; ``key``: the primary key's
        columns, named in errors."""
        self.session = session
        self.statement = statement
        columns = statement.column_metadata
        self.names = [c.name for c in columns]
        self.key = list(key)
        self.where = f"{columns[0].keyspace_name}.{columns[0].table_name}"
        self.unfrozen = _unfrozen_collections(session, columns)
        self.retry_seconds = retry_seconds
        self.max_in_flight = requests_at_once(max_in_flight)
        self.batch_rows = batch_rows
        self.batch_bytes = batch_bytes
        self.changed = threading.Condition()
        self.in_flight = 0  # requests sent or waiting to be retried
        self.sending = 0  # requests sent and not answered yet
        self.retries = []  # heap of (due time, sequence number, rows, backoff)
        self.sequence = itertools.count()
        self.error = None
        self.transient = transient_errors()
        self.rows_written = 0
        self.rows_given = 0  # rows of the batches given to write_batch, to name a row in errors

    def write_batch(self, batch) -> None:
        """Sends every row of ``batch`` (it holds this writer's columns); blocks while
        ``max_in_flight`` requests are pending."""
        if batch.num_rows == 0:
            return
        metadata = self.statement.column_metadata
        columns = [self._encoded(batch, name, c.type) for name, c in zip(self.names, metadata)]
        self.rows_given += batch.num_rows
        keys = zip(*(batch.column(k).to_pylist() for k in self.key))
        rows = list(zip(zip(*columns), keys))  # (encoded values, primary key values)
        for start, end in self._chunks(columns):
            self._wait(lambda: self.in_flight < self.max_in_flight)
            with self.changed:
                self.in_flight += 1
            self._send(rows[start:end], Backoff(self.retry_seconds))
        self._raise_if_failed()

    def _encoded(self, batch, name, driver_type) -> list:
        """Column ``name`` of ``batch`` encoded for the statement; a value that the column's
        CQL type cannot take is a ValueError naming the column, the row and its primary key."""
        cql = driver_type.cql_parameterized_type()
        version = self.session.cluster.protocol_version
        try:
            return serialize_column(batch.column(name), cql, driver_type, version)
        except UnencodableValue as error:
            key = describe_key(self.key, [batch.column(k)[error.row].as_py() for k in self.key])
            raise ValueError(
                f"{self.where}, column {name!r} of the row with primary key {key} (row "
                f"{self.rows_given + error.row} of the features): {error}"
            ) from error

    def _chunks(self, columns):
        """(start, end) of consecutive rows forming batches of at most ``batch_rows`` rows and
        at most ``batch_bytes`` bytes as the node counts them (see ``_ROW_OVERHEAD``)."""
        sizes = np.full(len(columns[0]), _ROW_OVERHEAD, np.int64)
        for values, unfrozen in zip(columns, self.unfrozen):
            sizes += np.fromiter((_cell_size(v, unfrozen) for v in values), np.int64, len(sizes))
        ends = np.cumsum(sizes)
        start = 0
        while start < len(sizes):
            budget = (ends[start - 1] if start else 0) + self.batch_bytes
            end = min(int(np.searchsorted(ends, budget, side="right")), start + self.batch_rows)
            end = max(end, start + 1)
            yield start, end
            start = end

    def flush(self) -> int:
        """Waits until every row sent is written; returns the rows written so far."""
        self._wait(lambda: self.in_flight == 0)
        return self.rows_written

    def _wait(self, ready) -> None:
        while True:
            self._raise_if_failed()
            self._resend_due()
            with self.changed:
                if ready():
                    return
                self.changed.wait(timeout=0.05)

    def _send(self, rows, backoff) -> None:
        with self.changed:
            self.sending += 1
        try:
            bound = []
            for values, _key in rows:
                statement = BoundStatement(self.statement)
                statement.values = list(values)
                bound.append(statement)
            if len(bound) > 1:
                statement = BatchStatement(batch_type=BatchType.UNLOGGED)
                for one in bound:
                    statement.add(one)
            future = self.session.execute_async(statement)
        except Exception as error:  # the driver can refuse a value before sending
            self._failed(error, rows, backoff)
            return
        future.add_callbacks(
            self._succeeded, self._failed, callback_args=(len(rows),), errback_args=(rows, backoff)
        )

    def _succeeded(self, _result, count) -> None:
        with self.changed:
            self.rows_written += count
            self.in_flight -= 1
            self.sending -= 1
            self.changed.notify_all()

    def _failed(self, error, rows, backoff) -> None:
        delay = backoff.next_delay() if isinstance(error, self.transient) else None
        with self.changed:
            self.sending -= 1
            if delay is not None:
                _log.info(
                    "retrying %d rows of %s in %.2f s (attempt %d) after %s: %s", len(rows),
                    self.where, delay, backoff.attempts + 2, type(error).__name__, error,
                )  # fmt: skip
                heapq.heappush(
                    self.retries, (time.monotonic() + delay, next(self.sequence), rows, backoff)
                )
            elif len(rows) > 1:  # find the row at fault: retry each row on its own
                self.in_flight += len(rows) - 1
                for row in rows:
                    heapq.heappush(self.retries, (0.0, next(self.sequence), [row], backoff))
            else:
                if self.error is None:
                    key = describe_key(self.key, rows[0][1])
                    self.error = (error, key, backoff.attempts)
                self.in_flight -= 1
            self.changed.notify_all()

    def _resend_due(self) -> None:
        """Sends the retries that are due, at most ``max_in_flight`` requests at once."""
        while True:
            with self.changed:
                if not self.retries or self.retries[0][0] > time.monotonic():
                    return
                if self.sending >= self.max_in_flight:
                    return
                _, _, rows, backoff = heapq.heappop(self.retries)
            backoff.attempts += 1
            self._send(rows, backoff)

    def _raise_if_failed(self) -> None:
        if self.error is None:
            return
        error, key, attempts = self.error
        message = f"writing the row with primary key {key} to {self.where} failed"
        if isinstance(error, self.transient):
            raise TimeoutError(
                f"{message} {attempts + 1} times over {self.retry_seconds:g} s; last error: "
                f"{type(error).__name__}: {error}"
            ) from error
        raise ValueError(f"{message}: {type(error).__name__}: {error}") from error


def _unfrozen_collections(session, columns) -> list:
    """For each column of a prepared statement, whether the table declares it an unfrozen
    collection (a cell per entry)."""
    keyspace = session.cluster.metadata.keyspaces.get(columns[0].keyspace_name)
    table = keyspace.tables.get(columns[0].table_name) if keyspace else None
    declared = [table.columns[c.name].cql_type if table else "" for c in columns]
    return [
        cql.replace(" ", "").startswith(("map<", "list<", "set<")) for cql in declared
    ]  # fmt: skip


def _cell_size(value, unfrozen: bool) -> int:
    """What one encoded value adds to a batch's size as the node counts it (a null too: it is
    written as a tombstone)."""
    if value is None:
        return _CELL_OVERHEAD
    if unfrozen:  # [entries][entry]...: a cell per entry
        return _CELL_OVERHEAD + len(value) + _ENTRY_OVERHEAD * int.from_bytes(value[:4], "big")
    return _CELL_OVERHEAD + len(value)


def _batches_of(features):
    if isinstance(features, pa.Table):
        return features.schema, features.to_batches()
    if isinstance(features, pa.RecordBatch):
        return features.schema, [features]
    if isinstance(features, pa.RecordBatchReader):
        return features.schema, features
    from parafeat.pipeline import as_arrow_table

    table = as_arrow_table(features)
    return table.schema, table.to_batches()


def write(features, keyspace, table, hosts=DEFAULT_HOSTS, *, port=DEFAULT_PORT, key=None,
          create=False, max_in_flight=32, connect_timeout=10.0, request_timeout=30.0,
          retry_seconds=120.0) -> int:  # fmt: skip
    """Upserts the rows of ``features`` into ``keyspace.table``; returns the rows written.

    ``features`` is a pyarrow Table, RecordBatch or RecordBatchReader (or what
    :func:`parafeat.pipeline.as_arrow_table` accepts) holding the primary key columns and the
    feature columns, such as a pipeline's output with the key columns added. Sparse features
    are stored as ``frozen<map<int, double>>`` (``float`` for float32 values), dense vectors
    as ``frozen<list<double>>``, scalars as the matching CQL type (an existing table may use
    the unfrozen collection types); a string column whose Arrow field metadata
    ``parafeat.cql_type`` is uuid, timeuuid or inet (as :func:`parafeat.cassandra.read` gives
    such columns) as that type, so that a table created from read keys has the same keys. A string
    that the table's uuid or timeuuid column cannot take is a ValueError naming the column and
    the row. ``key`` names the primary key columns
    (default: the existing table's; required with ``create=True`` when the table is missing).

    The table's columns must match the features' types exactly, else ValueError before anything
    is written; a missing table is created when ``create`` is true. Up to ``max_in_flight``
    requests (unlogged batches of prepared upserts) run at once; one that gets no answer within
    ``request_timeout`` seconds or finds no node is retried with backoff (logged at INFO level
    on the ``parafeat.cassandra`` logger) for up to ``retry_seconds``. Writing the same rows
    again gives the same table.
    """
    from parafeat.cassandra._session import connect

    requests_at_once(max_in_flight)
    schema, batches = _batches_of(features)
    where = f"{keyspace}.{table}"
    columns = wanted_columns(schema, f"features for {where}")
    with connect(
        hosts, port, connect_timeout=connect_timeout, request_timeout=request_timeout
    ) as session:
        if key is None:
            existing = session.cluster.metadata.keyspaces.get(keyspace)
            existing = existing.tables.get(table) if existing else None
            key = key_columns(existing) if existing else []
        prepare_table(session, keyspace, table, columns, list(key), create=create,
                      retry_seconds=retry_seconds)  # fmt: skip
        insert = prepare_insert(session, keyspace, table, list(columns), retry_seconds)
        writer = Writer(session, insert, key, max_in_flight=max_in_flight,
                        retry_seconds=retry_seconds)  # fmt: skip
        for batch in batches:
            writer.write_batch(batch)
        return writer.flush()
