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
