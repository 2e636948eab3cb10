"""Scanning token ranges in parallel: each worker thread takes the next range, pages through it
(resuming from the driver's paging state after a transient failure, so no row is read twice) and
hands its results to the consumer through a bounded queue (bounded memory)."""

import queue
import threading
import time

import pyarrow as pa

from parafeat.cassandra._deserialize import RawProtocolHandler, from_cells
from parafeat.cassandra._retry import call_with_retry
from parafeat.cassandra._session import check_columns, key_columns, quote
from parafeat.cassandra._types import arrow_field
from parafeat.cassandra._write import describe_key

_DONE = object()


class RangeScan:
    """SELECT of a table's key columns and ``columns`` over one token range at a time."""

    def __init__(self, session, table, columns, *, where=None, fetch_size=5000, retry_seconds=120):
        check_columns(table, columns)
        keys = key_columns(table)
        self.names = keys + [c for c in columns if c not in keys]
        self.key_names = keys
        self.cql_types = [table.columns[c].cql_type for c in self.names]
        where_text = f"{table.keyspace_name}.{table.name}"
        self.schema = pa.schema(
            [
                arrow_field(name, cql, f"column {name!r} of {where_text}")
                for name, cql in zip(self.names, self.cql_types)
            ]
        )
        partition = ", ".join(quote(c.name) for c in table.partition_key)
        condition = f"token({partition}) > ? AND token({partition}) <= ?"
        if where:
            condition += f" AND ({where})"
        text = (
            f"SELECT {', '.join(quote(n) for n in self.names)} FROM "
            f"{quote(table.keyspace_name)}.{quote(table.name)} WHERE {condition}"
            + (" ALLOW FILTERING" if where else "")
        )
        self.table_name = where_text
        self.session = session
        self.fetch_size = fetch_size
        self.retry_seconds = retry_seconds
        self.statement = call_with_retry(
            lambda: session.prepare(text), lambda: f"preparing {text!r}", retry_seconds
        )
        self.driver_types = [column[3] for column in self.statement.result_metadata]
        self._raw_session = None
        self._raw_session_lock = threading.Lock()

    def _pages_session(self):
        """The session pages are read on, opened at the first page (scans made only to plan or
        to check a table never open it): its pages come back as raw cells, decoded a column at
        a time by from_cells. Shared by the threads scanning ranges; the cluster's shutdown
        closes it."""
        with self._raw_session_lock:
            if self._raw_session is None:
                raw = call_with_retry(
                    self.session.cluster.connect,
                    lambda: "opening a session for scans",
                    self.retry_seconds,
                )
                raw.client_protocol_handler = RawProtocolHandler
                self._raw_session = raw
            return self._raw_session

    def batches(self, token_range):
        """Yields one RecordBatch per page of the rows whose token lies in ``token_range``."""
        session = self._pages_session()
        paging_state = None
        page = 0
        while True:
            bound = self.statement.bind((token_range.start, token_range.end))
            bound.fetch_size = self.fetch_size
            state = paging_state
            result = call_with_retry(
                lambda: session.execute(bound, paging_state=state),
                lambda: f"reading page {page} of token range {token_range} of {self.table_name}",
                self.retry_seconds,
            )  # fmt: skip
            rows = result.current_rows
            if rows:
                yield self._to_batch(rows)
            paging_state = result.paging_state
            page += 1
            if paging_state is None:
                return

    def _to_batch(self, rows) -> pa.RecordBatch:
        columns = [list(cells) for cells in zip(*rows)]
        arrays = [self._column(cells, index, rows) for index, cells in enumerate(columns)]
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)

    def _column(self, cells, index, rows) -> pa.Array:
        """The Arrow array of column ``index``'s raw cells; a value its Arrow type cannot hold
        (a varint beyond int64, say) is a ValueError naming the column and the row's key."""
        version = self.session.cluster.protocol_version
        decode = (self.cql_types[index], self.schema.field(index).type, self.driver_types[index],
                  version)  # fmt: skip
        try:
            return from_cells(cells, *decode)
        except (OverflowError, ValueError) as error:  # pyarrow.ArrowInvalid is a ValueError
            row = rows[_first_unreadable(cells, decode)]
            key = [self.driver_types[k].from_binary(row[k], version)
                   for k in range(len(self.key_names))]  # fmt: skip
            raise ValueError(
                f"{self.table_name}, column {self.names[index]!r} of the row with primary key "
                f"{describe_key(self.key_names, key)}: parafeat reads {self.cql_types[index]} "
                f"as {decode[1]}, which cannot hold this value ({error}); leave the column out "
                "of the columns read, or store such values as another type"
            ) from error


def _first_unreadable(cells, decode) -> int:
    """The position of the first cell ``from_cells(..., *decode)`` cannot decode."""
    for position, cell in enumerate(cells):
        try:
            from_cells([cell], *decode)
        except (OverflowError, ValueError):
            return position
    return 0


def run_parallel(ranges, work, n_workers: int, max_queued: int):
    """Runs ``work(range)`` (a generator) for every range on ``n_workers`` threads and yields
    what they yield, at most ``max_queued`` items waiting. The first error stops the workers and
    is raised to the consumer; closing the generator stops them too."""
    todo = queue.SimpleQueue()
    for token_range in ranges:
        todo.put(token_range)
    results = queue.Queue(maxsize=max_queued)
    stop = threading.Event()

    def put(item):
        while not stop.is_set():
            try:
                results.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def worker():
        try:
            while not stop.is_set():
                try:
                    token_range = todo.get_nowait()
                except queue.Empty:
                    break
                for item in work(token_range):
                    if not put(("item", item)):
                        return
        except BaseException as error:  # handed to the consumer, which raises it
            put(("error", error))
        finally:
            put(("done", _DONE))

    threads = [
        threading.Thread(target=worker, name=f"parafeat-cassandra-{i}", daemon=True)
        for i in range(max(1, min(n_workers, len(ranges))))
    ]
    for thread in threads:
        thread.start()
    running = len(threads)
    try:
        while running:
            kind, item = results.get()
            if kind == "done":
                running -= 1
            elif kind == "error":
                raise item
            else:
                yield item
    finally:
        # Workers see this at their next hand-over. They are daemons: one still inside a long
        # request (retrying a node that is down, say) holds up the consumer for 5 s at most.
        stop.set()
        deadline = time.monotonic() + 5
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
