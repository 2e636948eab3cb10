"""Shared fixtures: a real local Spark session, the oracle of the compat="spark" tests."""

import os
import sys

import pytest

from jdk import java17_home


@pytest.fixture(scope="session")
def spark():
    """A ``local[2]`` SparkSession bound to loopback, started once for the whole test session.

    JAVA_HOME is set to a JDK 17 when unset. The tests that use this fixture are skipped, with
    the reason in pytest's summary, only when Spark cannot start at all.
    """
    if "JAVA_HOME" not in os.environ:
        home = java17_home()
        if home is None:
            pytest.skip("Spark tests need JDK 17: none found under /usr/lib/jvm and JAVA_HOME is unset")
        os.environ["JAVA_HOME"] = home
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        pytest.skip(f"Spark tests need pyspark (requirements/test.txt): {error}")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    try:
        session = (
            SparkSession.builder.master("local[2]")
            .appName("parafeat-tests")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.memory", "1g")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .getOrCreate()
        )
    except Exception as error:  # any failure to start is reported as the skip reason
        pytest.skip(f"Spark could not start a local session: {type(error).__name__}: {error}")
    yield session
    session.stop()


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
            reason = f"the Cassandra node could not start: {result.stderr.strip()[-2000:]}"
            print(f"\nSKIPPING Cassandra tests: {reason}", file=sys.stderr)
            pytest.skip(reason)
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
