"""Shared fixtures: real Spark, local (the oracle of the compat="spark" tests) and a standalone
cluster on loopback (the parafeat.spark tests), and a real Cassandra node."""

import pytest

from services import unavailable
from spark_sessions import CLUSTER_CONF, SparkSessions, start_cluster, stop_cluster


@pytest.fixture(scope="session")
def spark_sessions():
    """The test session's one open SparkSession at a time (see spark_sessions.py)."""
    sessions = SparkSessions()
    yield sessions
    sessions.stop()


@pytest.fixture(scope="module")
def spark(spark_sessions):
    """A ``local[2]`` SparkSession bound to loopback, shared by every module that uses it (started
    again only after a module that used another master).

    JAVA_HOME is set to a JDK 17 when unset. The tests that use this fixture are skipped, with
    the reason in pytest's summary, only when Spark cannot start at all.
    """
    return spark_sessions.get("local[2]")


@pytest.fixture(scope="session")
def spark_cluster_url():
    """A real Spark standalone cluster on loopback (a master and two workers, started by
    scripts/spark-cluster) for the whole test session, stopped at its end."""
    url = start_cluster()
    yield url
    stop_cluster()


@pytest.fixture(scope="module")
def spark_on_cluster(spark_sessions, spark_cluster_url):
    """A SparkSession whose executors run on the standalone cluster's two workers."""
    return spark_sessions.get(spark_cluster_url, **CLUSTER_CONF)


@pytest.fixture(scope="module", params=["local[2]", "standalone"])
def spark_local_or_cluster(request):
    """Each test that uses it runs on ``local[2]`` and on the standalone cluster."""
    if request.param == "local[2]":
        return request.getfixturevalue("spark")
    return request.getfixturevalue("spark_on_cluster")


@pytest.fixture(scope="session")
def cassandra():
    """A driver session on a real Cassandra node (scripts/cassandra-node) with an empty keyspace
    ``parafeat_test``. The node is started for the test session and stopped after it, unless
    it was already running. Tests that use this fixture are skipped, with the node's own error
    as the reason (printed to stderr too), only when the node cannot start at all."""
    from cassandra_node import KEYSPACE, node, node_pid

    started_here = node_pid() is None
    if started_here:
        result = node("start")
        if result.returncode != 0:
            unavailable(f"the Cassandra node could not start: {result.stderr.strip()[-2000:]}")
    from parafeat.cassandra._session import connect

    try:
        with connect(request_timeout=60) as session:
            session.execute(f"DROP KEYSPACE IF EXISTS {KEYSPACE}")
            session.execute(
                f"CREATE KEYSPACE {KEYSPACE} WITH replication = "
                "{'class': 'SimpleStrategy', 'replication_factor': 1}"
            )
            yield session
    finally:
        if started_here:
            node("stop")
