"""Shared fixtures: real Spark, local (the oracle of the compat="spark" tests) and a standalone
cluster on loopback (the parafeat.spark tests)."""

import pytest

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
