"""parafeat.cassandra.read: a table's rows as a stream of Arrow record batches, read by
token-range scans in parallel."""

import pyarrow as pa

from parafeat.cassandra._ranges import ring_tokens, split_ring
from parafeat.cassandra._scan import RangeScan, run_parallel
from parafeat.cassandra._session import (
    DEFAULT_HOSTS, DEFAULT_PORT, column_names, connect, table_metadata,
)  # fmt: skip


def scan_workers(n_jobs) -> int:
    """Concurrent range scans for ``n_jobs``: a positive count as given (scans wait on the
    network, not on a CPU), -1 for one per CPU, -2 for one fewer, and so on."""
    from parafeat._threads import available_cpus, is_integer

    if not is_integer(n_jobs) or n_jobs == 0:
        raise ValueError(f"n_jobs must be a positive count or -1 for all CPUs, got {n_jobs!r}")
    n_jobs = int(n_jobs)
    return n_jobs if n_jobs > 0 else max(1, available_cpus() + 1 + n_jobs)


def read(keyspace, table, columns, hosts=DEFAULT_HOSTS, *, port=DEFAULT_PORT, where=None,
         n_jobs=-1, fetch_size=5000, min_ranges=64, connect_timeout=10.0,
         retry_seconds=120.0) -> pa.RecordBatchReader:  # fmt: skip
    """Reads ``columns`` (a list of names, or one name) of ``keyspace.table`` as a
    ``pyarrow.RecordBatchReader``.

    The token ring is cut into at least ``min_ranges`` ranges, scanned by ``n_jobs`` concurrent
    ``token(pk) > ? AND token(pk) <= ?`` queries; each page of ``fetch_size`` rows becomes one
    record batch, and at most ``2 * n_jobs`` batches wait for the consumer (bounded memory).
    Batches hold the primary key columns first, then ``columns``; their order across ranges is
    not defined. ``where`` is an extra CQL condition (run with ALLOW FILTERING). uuid, timeuuid
    and inet columns come as strings whose Arrow field metadata ``parafeat.cql_type`` names
    their CQL type, which :func:`parafeat.cassandra.write` gives the columns of a table it
    creates from them (append the field, not just its name, to keep it:
    ``append_column(rows.schema.field("id"), rows.column("id"))``).

    A page that fails for a passing reason (timeout, node down or restarting) is fetched again
    from the same paging state, with backoff, for up to ``retry_seconds``; then the reader raises
    TimeoutError: output is whole or an error, never silently partial. An unreachable host is a
    ConnectionError after ``connect_timeout`` seconds; a missing keyspace, table or column a
    KeyError naming it.
    """
    workers = scan_workers(n_jobs)
    context = connect(hosts, port, connect_timeout=connect_timeout)
    session = context.__enter__()
    try:
        metadata = table_metadata(session, keyspace, table)
        scan = RangeScan(
            session, metadata, column_names(columns), where=where, fetch_size=fetch_size,
            retry_seconds=retry_seconds,
        )  # fmt: skip
        ranges = split_ring(ring_tokens(session), min_ranges)
    except BaseException:
        context.__exit__(None, None, None)
        raise

    def batches():
        try:
            yield from run_parallel(ranges, scan.batches, workers, max_queued=2 * workers)
        finally:
            context.__exit__(None, None, None)

    return pa.RecordBatchReader.from_batches(scan.schema, batches())
