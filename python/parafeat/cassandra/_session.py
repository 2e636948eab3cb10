"""Connecting to Cassandra and looking up tables: clear errors for an unreachable host and for a
missing keyspace, table or column."""

import contextlib
import urllib.parse

DEFAULT_HOSTS = ("127.0.0.1",)
DEFAULT_PORT = 9042


def _driver():
    try:
        import cassandra.cluster
    except ImportError as error:  # pragma: no cover - the driver is in requirements/test.txt
        raise ImportError(
            "parafeat.cassandra needs the cassandra-driver package (pip install cassandra-driver)"
        ) from error
    return cassandra.cluster


def parse_uri(uri: str):
    """``cassandra://host[:port][,host2...]/keyspace/table`` -> (hosts, port, keyspace, table).
    An IPv6 address is written in brackets (``[::1]:9042``); every host is dialled on the same
    port (the driver's), so hosts given different ports are refused, and so is a query."""
    try:
        parts = urllib.parse.urlsplit(uri)
    except ValueError:  # an unclosed [IPv6 address]
        parts = urllib.parse.SplitResult("", "", "", "", "")
    path = [p for p in parts.path.split("/") if p]
    if not is_uri(uri) or not parts.netloc or len(path) != 2:
        raise ValueError(
            f"{uri!r} is not a Cassandra table address; write "
            "cassandra://host[:port]/keyspace/table"
        )
    if parts.query or parts.fragment:
        raise ValueError(
            f"{uri!r}: a Cassandra table address takes no ?query or #fragment "
            f"({parts.query or parts.fragment!r}); write cassandra://host[:port]/keyspace/table"
        )
    hosts, ports = zip(*(_host_and_port(uri, item) for item in parts.netloc.split(",")))
    if len(set(ports) - {None}) > 1:
        raise ValueError(
            f"{uri!r}: the hosts have different ports {sorted(set(ports) - {None})}; the driver "
            "dials every host on one port: give them all the same port"
        )
    port = next((p for p in ports if p is not None), DEFAULT_PORT)
    return tuple(hosts), port, path[0], path[1]


def _host_and_port(uri: str, item: str):
    """(host, port or None) of one ``host[:port]`` or ``[ipv6][:port]`` of ``uri``."""
    if item.startswith("["):
        host, bracket, port_text = item[1:].partition("]")
        if not bracket or (port_text and not port_text.startswith(":")):
            raise ValueError(f"{uri!r}: {item!r} is not an [IPv6 address] with an optional :port")
        port_text = port_text[1:]
    else:
        host, _, port_text = item.partition(":")
    if not host:
        raise ValueError(f"{uri!r}: a host name is empty; write cassandra://host[:port]/...")
    if port_text and not port_text.isdigit():
        raise ValueError(f"{uri!r}: port {port_text!r} is not a number")
    return host, int(port_text) if port_text else None


def is_uri(text) -> bool:
    """Whether ``text`` is a ``cassandra://`` address rather than a file path."""
    return isinstance(text, str) and text.startswith("cassandra://")


@contextlib.contextmanager
def connect(hosts=DEFAULT_HOSTS, port=DEFAULT_PORT, *, connect_timeout=10.0, request_timeout=30.0):
    """Yields a driver Session; raises ConnectionError naming the hosts when none answers within
    ``connect_timeout`` seconds, or when none of their names resolves. The cluster is shut down
    when the block ends."""
    cluster_module = _driver()
    from cassandra import UnresolvableContactPoints
    from cassandra.policies import RoundRobinPolicy

    if isinstance(hosts, str):
        hosts = (hosts,)
    profile = cluster_module.ExecutionProfile(
        request_timeout=request_timeout, load_balancing_policy=RoundRobinPolicy()
    )
    try:
        cluster = _cluster(cluster_module, hosts, port, profile, connect_timeout)
    except UnresolvableContactPoints:
        raise ConnectionError(
            f"cannot resolve the Cassandra host name {', '.join(hosts)}: check its spelling, or "
            "give an IP address"
        ) from None
    try:
        try:
            session = cluster.connect()
        except cluster_module.NoHostAvailable as error:
            raise ConnectionError(
                f"cannot reach Cassandra at {', '.join(hosts)} port {port} within "
                f"{connect_timeout:g} s: {_first_reason(error)}"
            ) from None
        yield session
    finally:
        cluster.shutdown()


def _cluster(cluster_module, hosts, port, profile, connect_timeout):
    """The driver's Cluster of ``hosts`` (not connected yet)."""
    from cassandra.policies import ExponentialReconnectionPolicy

    return cluster_module.Cluster(
        list(hosts), port=port, connect_timeout=connect_timeout, protocol_version=5,
        execution_profiles={cluster_module.EXEC_PROFILE_DEFAULT: profile},
        control_connection_timeout=connect_timeout,
        # A node back after a restart is reconnected to within seconds (the driver's default
        # backoff doubles up to 10 minutes), so reads retried across the restart can finish.
        reconnection_policy=ExponentialReconnectionPolicy(base_delay=0.5, max_delay=5.0),
    )  # fmt: skip


def _first_reason(error) -> str:
    errors = getattr(error, "errors", None) or {}
    for reason in errors.values():
        return str(reason)
    return str(error)


def table_metadata(session, keyspace: str, table: str):
    """The driver's TableMetadata; KeyError naming what is missing and what exists."""
    metadata = session.cluster.metadata
    if keyspace not in metadata.keyspaces:
        raise KeyError(
            f"Cassandra has no keyspace {keyspace!r}; it has: {sorted(metadata.keyspaces)}"
        )
    tables = metadata.keyspaces[keyspace].tables
    if table not in tables:
        raise KeyError(f"keyspace {keyspace!r} has no table {table!r}; it has: {sorted(tables)}")
    return tables[table]


def table_id(session, keyspace: str, table: str) -> str:
    """The id Cassandra gave ``keyspace.table`` when it was created (dropping the table and
    creating it again gives it a new one)."""
    row = session.execute(
        "SELECT id FROM system_schema.tables WHERE keyspace_name = %s AND table_name = %s",
        (keyspace, table),
    ).one()
    return str(row.id)


def column_names(columns) -> list:
    """The columns to read as a list: one name given as a string is that one column."""
    return [columns] if isinstance(columns, str) else list(columns)


def check_columns(table, columns) -> None:
    """KeyError naming the first column ``table`` lacks."""
    for column in columns:
        if column not in table.columns:
            raise KeyError(
                f"table {table.keyspace_name}.{table.name} has no column {column!r}; it has "
                f"columns: {list(table.columns)}"
            )


def key_columns(table) -> list:
    """The primary key's column names: partition key, then clustering columns."""
    return [c.name for c in table.partition_key] + [c.name for c in table.clustering_key]


def quote(name: str) -> str:
    """A CQL identifier, quoted (so case and reserved words are kept)."""
    return '"' + name.replace('"', '""') + '"'
