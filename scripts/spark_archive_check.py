#!/usr/bin/env python3
"""Ships parafeat to a real Spark cluster the way the README says ("Spark on a cluster") and checks
that the result equals the local pipeline's.

1. Builds parafeat's wheel from this checkout (``pip wheel --no-deps``; the native build is
   reused from ``build/python-*``).
2. Makes a fresh virtualenv holding that wheel and its runtime dependencies (pinned by
   ``requirements/runtime.txt``), and packs it: ``tar -czf pf.tar.gz -C pf .``
3. Starts the standalone cluster (``scripts/spark-cluster start``; stopped at the end if it was
   not running before) and a session with ``spark.archives=pf.tar.gz#environment`` and
   ``PYSPARK_PYTHON=./environment/bin/python``: each executor unpacks the archive and runs its
   Python workers from it, not from this checkout's ``.venv``.
4. Fits a CountVectorizer + TF-IDF pipeline with ``parafeat.spark.fit`` and transforms with it
   and with a HashingVectorizer in 3 partitions; checks that the executors' parafeat came from
   the archive and that every collected feature equals the local pipeline's, bit for bit.

Everything goes under ``build/spark-archive`` (``--work-dir``). Exits non-zero on any failure or
difference; prints how long each step took. Needs JDK 17 and the registry (pip) for the
dependencies; run with this checkout's ``.venv/bin/python`` after ``make python``.

It is not part of ``make test``: building, installing and packing a ~400 MB environment and
unpacking it on both workers takes longer than the Spark tests' time budget.
"""

import argparse
import contextlib
import os
import pathlib
import shutil
import subprocess
import sys
import time

REPO_DIR = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_DIR / "tests" / "python"))  # the tests' session and frame helpers

from spark_corpora import word_documents  # noqa: E402
from spark_frames import assert_same_features, text_frame  # noqa: E402
from spark_sessions import (  # noqa: E402
    CLUSTER_CONF,
    CLUSTER_SCRIPT,
    SparkSessions,
    prepare_environment,
    start_cluster,
    stop_cluster,
)

SPEC = """
version: 1
extractors:
  - {name: hashing_vectorizer, column: text, output: words, params: {n_features: 1024}}
  - {name: tfidf_vectorizer, column: text, output: tfidf, params: {min_df: 2}}
"""
PARTITIONS = 3


@contextlib.contextmanager
def step(title):
    started = time.perf_counter()
    print(f"spark-archive: {title} ...", flush=True)
    yield
    print(f"spark-archive: {title}: {time.perf_counter() - started:.1f} s", flush=True)


def run(*command, **kwargs):
    subprocess.run([str(part) for part in command], check=True, **kwargs)


def build_archive(work_dir: pathlib.Path) -> pathlib.Path:
    """The README's venv archive, with the wheel built from this checkout."""
    dist, venv, archive = work_dir / "dist", work_dir / "pf", work_dir / "pf.tar.gz"
    for path in (dist, venv):
        shutil.rmtree(path, ignore_errors=True)
    with step("building the parafeat wheel"):
        run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
            "-w", dist, REPO_DIR)  # fmt: skip
    (wheel,) = dist.glob("parafeat-*.whl")
    with step(f"a virtualenv with {wheel.name} and its runtime dependencies"):
        run(sys.executable, "-m", "venv", venv)
        run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel,
            "-c", REPO_DIR / "requirements" / "runtime.txt")  # fmt: skip
    with step("packing it"):
        run("tar", "-czf", archive, "-C", venv, ".")
    print(f"spark-archive: {archive} is {archive.stat().st_size / 1e6:.0f} MB", flush=True)
    return archive


def executor_pythons(spark):
    """The Python executables and parafeat files the executors' workers run (one row a task)."""
    import pyarrow as pa

    def where(batches):
        import parafeat

        for _ in batches:
            yield pa.RecordBatch.from_pydict(
                {"python": [sys.executable], "parafeat": [parafeat.__file__]}
            )

    rows = spark.range(0, 4, 1, numPartitions=2).mapInArrow(where, "python string, parafeat string")
    return {(row.python, row.parafeat) for row in rows.collect()}


def check_on_cluster(master_url, archive: pathlib.Path):
    import parafeat
    import parafeat.spark

    os.environ["PYSPARK_PYTHON"] = "./environment/bin/python"  # the executors' Python
    sessions = SparkSessions()
    try:
        with step("a session on the cluster with spark.archives"):
            spark = sessions.get(master_url, **CLUSTER_CONF,
                                 **{"spark.archives": f"{archive}#environment"})  # fmt: skip
            pythons = executor_pythons(spark)
        print(f"spark-archive: executors run {sorted(pythons)}", flush=True)
        for python, module in pythons:
            if "environment" not in python or "environment" not in module:
                raise SystemExit(f"an executor ran {python} with {module}, not the archive's")
        texts = word_documents(seed=3, count=1500)
        with step(f"fit and transform in {PARTITIONS} partitions"):
            frame = text_frame(spark, texts, PARTITIONS)
            fitted = parafeat.spark.fit(frame, SPEC)
            features = parafeat.spark.transform(frame, fitted, output_format="arrow")
            collected = features.toArrow()
        local_fit = parafeat.Pipeline.from_yaml(SPEC).fit({"text": texts})
        if fitted.to_bytes() != local_fit.to_bytes():
            raise SystemExit("the pipeline fitted on the cluster differs from the local fit")
        local = local_fit.transform({"text": texts})
        if collected.column("id").to_pylist() != list(range(len(texts))):
            raise SystemExit("the collected rows are not the DataFrame's rows in order")
        for output in ("words", "tfidf"):
            assert_same_features(collected.column(output), local.column(output))
        print(f"spark-archive: fit and {len(texts)} rows of features equal the local pipeline's")
    finally:
        sessions.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work-dir", type=pathlib.Path,
                        default=REPO_DIR / "build" / "spark-archive")  # fmt: skip
    args = parser.parse_args(argv)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    archive = build_archive(args.work_dir)
    prepare_environment()
    was_running = subprocess.run([CLUSTER_SCRIPT, "status"], capture_output=True).returncode == 0
    with step("starting the standalone cluster"):
        master_url = start_cluster()
    try:
        check_on_cluster(master_url, archive)
    finally:
        if not was_running:
            stop_cluster()
    print(f"spark-archive: all checks passed in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
