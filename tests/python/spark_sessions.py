"""Real Spark for the tests: local sessions, and a standalone cluster on loopback started by
scripts/spark-cluster. A process holds one SparkContext at a time, so one SparkSessions object
keeps at most one session open and restarts it when a test module asks for another master."""

import os
import pathlib
import subprocess
import sys

import pytest

from jdk import java17_home
from services import unavailable

REPO = pathlib.Path(__file__).resolve().parents[2]
CLUSTER_SCRIPT = REPO / "scripts" / "spark-cluster"


def prepare_environment():
    """JAVA_HOME (a JDK 17 when unset) and loopback-only networking; skips when Spark cannot run."""
    if "JAVA_HOME" not in os.environ:
        home = java17_home()
        if home is None:
            unavailable(
                "Spark tests need JDK 17: none found under /usr/lib/jvm and JAVA_HOME is unset"
            )
        os.environ["JAVA_HOME"] = home
    try:
        import pyspark  # noqa: F401
    except ImportError as error:
        unavailable(f"Spark tests need pyspark (requirements/test.txt): {error}")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"


class SparkSessions:
    """At most one open SparkSession; ``get(master)`` stops the open one if its master differs."""

    def __init__(self):
        self._session = None
        self._master = None

    def get(self, master, **conf):
        if self._session is not None and self._master == master:
            return self._session
        self.stop()
        prepare_environment()
        from pyspark.sql import SparkSession

        builder = (
            SparkSession.builder.master(master)
            .appName("parafeat-tests")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.memory", "1g")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
        )
        for key, value in conf.items():
            builder = builder.config(key, value)
        try:
            self._session = builder.getOrCreate()
        except Exception as error:  # any failure to start is reported as the skip reason
            unavailable(
                f"Spark could not start a session on {master}: {type(error).__name__}: {error}"
            )
        self._master = master
        return self._session

    def stop(self):
        if self._session is not None:
            self._session.stop()
        self._session = self._master = None


def start_cluster():
    """Starts the standalone cluster (master + two workers); returns its master URL. Skips, with
    the script's own words, only when the cluster cannot start."""
    prepare_environment()
    started = subprocess.run(
        [str(CLUSTER_SCRIPT), "start"], capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHON": sys.executable},
    )  # fmt: skip
    if started.returncode != 0:
        unavailable(
            f"SPARK STANDALONE CLUSTER COULD NOT START (scripts/spark-cluster start exited "
            f"{started.returncode}): {started.stderr.strip()[-2000:]}"
        )
    return started.stdout.strip().splitlines()[-1]


def stop_cluster():
    subprocess.run([str(CLUSTER_SCRIPT), "stop"], capture_output=True, text=True, timeout=120)


# What a test session asks of the standalone cluster's executors: one core each (one task at a
# time per worker), a small heap, and Spark's default of 4 attempts per task.
CLUSTER_CONF = {
    "spark.executor.memory": "512m",
    "spark.executor.cores": "1",
    "spark.cores.max": "2",
    "spark.task.maxFailures": "4",
}


def assert_fails_before_any_job(spark, action, exception, match):
    """``action`` raises ``exception`` (message matching ``match``) without starting a Spark job."""
    context = spark.sparkContext
    context.setJobGroup("parafeat-bad-input", "jobs of one action")
    try:
        with pytest.raises(exception, match=match):
            action()
    finally:
        context.setJobGroup("", "")
    assert context.statusTracker().getJobIdsForGroup("parafeat-bad-input") == []
