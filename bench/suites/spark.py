"""Suite ``spark``: parafeat.spark against Spark ML and against a pandas UDF calling scikit-learn,
in one Spark session (``local[2]``) on the same cached DataFrame.

Input: the generated corpus of suite ``text-hashing`` as a DataFrame of (id, text), cut into
PARTITIONS partitions and cached in memory before anything is timed. Each contender does its
whole job end to end (fit where there is one, then transform) and Spark writes the features to
the ``noop`` sink, which computes every row and keeps none:

- Spark ML ``Tokenizer`` + ``HashingTF`` vs parafeat ``spark_hashing_tf``;
- Spark ML ``Tokenizer`` + ``CountVectorizer`` vs parafeat ``count_vectorizer`` (compat spark);
- Spark ML ``Tokenizer`` + ``CountVectorizer`` + ``IDF`` vs parafeat ``tfidf_vectorizer``
  (compat spark);
- a pandas UDF running scikit-learn's ``HashingVectorizer`` vs parafeat ``hashing_vectorizer``,
  both giving struct<indices, values> columns;
- and, for scale, the floor of any ``mapInArrow`` contender: each Arrow batch of (id, text) sent to
  a Python worker, which sends its ids straight back (no work), into the same sink.

parafeat keeps only the ``id`` column (``keep_columns``); every contender writes (id, features).

Outputs are compared on the documents with id < CHECKED_ROWS (collected, by id): parafeat's must
equal its peer's exactly, except that an IDF weight may be one ulp from Spark's (the JVM's log is
not the C library's; see the README).
"""

import importlib.util
import os
import sys

import numpy as np

from bench.runner import REPO_DIR, UNCHECKED, Contender, Goal, SuitePlan
from bench.suites.text_hashing import make_corpus

TITLE = "parafeat.spark vs Spark ML and a scikit-learn pandas UDF (local[2], one session)"
DEFAULT_SIZE_MB = 50.0
QUICK_SIZE_MB = 1.0
PARTITIONS = 4
CHECKED_ROWS = 5_000
SPARK_ML_GOAL = 5.0
PANDAS_UDF_GOAL = 20.0
VOCABULARY_SIZE = 2**18  # Spark ML's default vocabSize and numFeatures
TASK_SLOTS = 2  # local[2]: plotted as the "threads" of every contender


def _session():
    jdk = importlib.util.spec_from_file_location("jdk", REPO_DIR / "tests" / "python" / "jdk.py")
    module = importlib.util.module_from_spec(jdk)
    jdk.loader.exec_module(module)
    if "JAVA_HOME" not in os.environ:
        os.environ["JAVA_HOME"] = module.java17_home() or ""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(f"local[{TASK_SLOTS}]")
        .appName("parafeat-bench-spark")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.memory", "6g")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(PARTITIONS))
        .getOrCreate()
    )


def _computed(task, frame):
    """Runs ``frame``'s whole plan (the noop sink keeps nothing); returns (task, frame) for the
    output check."""
    frame.write.format("noop").mode("overwrite").save()
    return task, frame


def _spark_ml(task, frame, stages):
    from pyspark.ml import Pipeline as SparkPipeline
    from pyspark.ml.feature import Tokenizer

    def run():
        tokenizer = Tokenizer(inputCol="text", outputCol="words")
        model = SparkPipeline(stages=[tokenizer, *stages()]).fit(frame)
        return _computed(task, model.transform(frame).select("id", "features"))

    return run


def _parafeat(task, frame, spec, output_format="vector"):
    import parafeat
    import parafeat.spark

    def run():
        pipeline = parafeat.Pipeline.from_yaml(spec)
        if not pipeline.is_fitted:
            pipeline = parafeat.spark.fit(frame, pipeline)
        features = parafeat.spark.transform(
            frame, pipeline, output_format=output_format, keep_columns=["id"]
        )
        return _computed(task, features)

    return run


def _sklearn_pandas_udf(frame):
    import pandas as pd
    from pyspark.sql.functions import pandas_udf
    from sklearn.feature_extraction.text import HashingVectorizer

    @pandas_udf("struct<indices: array<int>, values: array<double>>")
    def hashed(texts: pd.Series) -> pd.DataFrame:
        matrix = HashingVectorizer().transform(texts)
        cuts = matrix.indptr[1:-1]
        return pd.DataFrame({
            "indices": np.split(matrix.indices.astype(np.int32), cuts),
            "values": np.split(matrix.data, cuts),
        })  # fmt: skip

    return lambda: _computed("hashing", frame.select("id", hashed("text").alias("features")))


def _floor(frame):
    """The plumbing of a mapInArrow contender with no work: each batch of (id, text) goes to a
    Python worker, which sends back its ids."""
    import pyarrow as pa

    def ids_only(batches):
        for batch in batches:
            yield pa.RecordBatch.from_arrays([batch.column("id")], names=["id"])

    return lambda: _computed("floor", frame.mapInArrow(ids_only, "id long"))


def _rows(frame):
    """(indices, values) of each checked row, by id."""
    rows = frame.where(f"id < {CHECKED_ROWS}").orderBy("id").collect()
    return [(np.asarray(r.features.indices), np.asarray(r.features.values)) for r in rows]


def _first_difference(output, reference):
    """Where the checked rows of two (task, frame) outputs differ, or None. IDF weights may be
    one ulp apart (the JVM's log vs the C library's)."""
    (task, frame), (_, reference_frame) = output, reference
    ulps = 1 if task == "IDF" else 0
    actual, expected = _rows(frame), _rows(reference_frame)
    if len(actual) != len(expected):
        return f"{len(actual)} checked rows, expected {len(expected)}"
    for row, ((indices, values), (want_indices, want_values)) in enumerate(zip(actual, expected)):
        if not np.array_equal(indices, want_indices):
            return f"row {row}: indices differ"
        apart = np.abs(values.view(np.int64) - want_values.view(np.int64))
        if len(values) != len(want_values) or (apart > ulps).any():
            return f"row {row}: values differ by up to {apart.max()} ulps"
    return None


def prepare(size_mb: float, seed: int) -> SuitePlan:
    import pyarrow as pa
    import pyspark
    from pyspark.ml.feature import IDF, CountVectorizer, HashingTF

    documents = make_corpus(size_mb, seed)
    spark = _session()
    frame = spark.createDataFrame(pa.table({"id": range(len(documents)), "text": documents}))
    frame = frame.repartition(PARTITIONS).cache()
    frame.count()

    spec = "version: 1\nextractors:\n  - {{name: {}, column: text, output: features, params: {}}}\n"
    spark_hashing = spec.format("spark_hashing_tf", "{}")
    fitted_params = f"{{compat: spark, max_features: {VOCABULARY_SIZE}}}"
    count = spec.format("count_vectorizer", fitted_params)
    tfidf = spec.format("tfidf_vectorizer", fitted_params)
    sklearn_hashing = spec.format("hashing_vectorizer", "{}")

    peers = {
        "HashingTF": lambda: [HashingTF(inputCol="words", outputCol="features")],
        "CountVectorizer": lambda: [
            CountVectorizer(inputCol="words", outputCol="features", vocabSize=VOCABULARY_SIZE)
        ],
        "IDF": lambda: [
            CountVectorizer(inputCol="words", outputCol="counts", vocabSize=VOCABULARY_SIZE),
            IDF(inputCol="counts", outputCol="features"),
        ],
    }
    ours = {
        "HashingTF": ("spark_hashing_tf", spark_hashing),
        "CountVectorizer": ("count_vectorizer", count),
        "IDF": ("tfidf_vectorizer", tfidf),
    }
    contenders, goals = [], []
    for task, stages in peers.items():
        stage_names = " + ".join(type(stage).__name__ for stage in stages())
        peer = Contender(f"Spark ML Tokenizer + {stage_names}", _spark_ml(task, frame, stages),
                         TASK_SLOTS)  # fmt: skip
        name, spec = ours[task]
        mine = Contender(f"parafeat.spark {name}", _parafeat(task, frame, spec), TASK_SLOTS,
                         reference=peer)  # fmt: skip
        contenders += [peer, mine]
        goals.append(Goal(mine, peer, SPARK_ML_GOAL))
    udf = Contender("pandas UDF: scikit-learn HashingVectorizer", _sklearn_pandas_udf(frame),
                    TASK_SLOTS)  # fmt: skip
    mine = Contender("parafeat.spark hashing_vectorizer",
                     _parafeat("hashing", frame, sklearn_hashing, "arrow"), TASK_SLOTS,
                     reference=udf)  # fmt: skip
    contenders += [udf, mine]
    goals.append(Goal(mine, udf, PANDAS_UDF_GOAL))
    contenders.append(Contender("floor: mapInArrow sending (id, text), getting ids back",
                                _floor(frame), TASK_SLOTS, reference=UNCHECKED))  # fmt: skip

    return SuitePlan(
        title=TITLE,
        description=(
            f"generated corpus of suite text-hashing (seed {seed}) as a cached DataFrame of "
            f"(id, text) in {PARTITIONS} partitions, local[{TASK_SLOTS}]; each contender fits "
            "(where it has to) and transforms end to end into Spark's noop sink; outputs "
            f"compared on the first {CHECKED_ROWS:,} documents"
        ),
        input={
            "generator": "bench/suites/text_hashing.py:make_corpus",
            "seed": seed,
            "partitions": PARTITIONS,
            "spark_master": f"local[{TASK_SLOTS}]",
            "pyspark": pyspark.__version__,
            "java_home": os.environ.get("JAVA_HOME"),
            "checked_rows": CHECKED_ROWS,
        },
        input_bytes=sum(len(d.encode("utf-8")) for d in documents),
        input_items=len(documents),
        item_unit="docs",
        contenders=contenders,
        reference=contenders[0],
        first_difference=_first_difference,
        goals=goals,
    )


def write_plot(report: dict, path) -> None:
    """Throughput (MB/s, median, min–max bars) of each peer and its parafeat counterpart, one
    panel per task, titled with the ratio and its goal; a dashed line marks the floor."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from bench.runner import _write_atomically

    paired = report["contenders"][: 2 * len(report["ratios"])]
    (floor,) = report["contenders"][len(paired) :]
    pairs = [paired[i : i + 2] for i in range(0, len(paired), 2)]
    figure, axes = plt.subplots(1, len(pairs), figsize=(3.4 * len(pairs), 4.4), dpi=120)
    for axis, pair, ratio in zip(np.atleast_1d(axes), pairs, report["ratios"]):
        names = [
            c["series"].replace(": ", ":\n").replace(" + ", " +\n").replace("spark ", "spark\n")
            for c in pair
        ]
        rates = [c["mb_per_s"] for c in pair]
        spread = [[r - c["mb_per_s_min_max"][0] for r, c in zip(rates, pair)],
                  [c["mb_per_s_min_max"][1] - r for r, c in zip(rates, pair)]]  # fmt: skip
        bars = axis.bar(names, rates, yerr=spread, capsize=4, color=["C7", "C0"])
        axis.bar_label(bars, labels=[f"{r:,.1f}" for r in rates], fontsize=8, padding=6)
        axis.set_title(f"{ratio['value']:.2f}× (goal {ratio['goal']:g}×)", fontsize=9)
        axis.axhline(floor["mb_per_s"], color="C3", linestyle="--", linewidth=1)
        axis.annotate(f"floor (mapInArrow, no work): {floor['mb_per_s']:,.1f}",
                      (0.02, floor["mb_per_s"]), xycoords=("axes fraction", "data"),
                      fontsize=7, color="C3", va="bottom")  # fmt: skip
        axis.set_ylabel("MB/s (median; bars: min–max)")
        axis.tick_params(axis="x", labelsize=7)
        axis.grid(axis="y", alpha=0.3)
    m, load = report["machine"], report["load_average"]
    figure.suptitle(
        f"{report['title']}\n{report['input']['bytes'] / 1e6:,.1f} MB, "
        f"{report['input']['partitions']} partitions; {m['cpu_model']}, {m['usable_cpus']} CPUs; "
        f"load {load['start'][0]:.1f} → {load['end'][0]:.1f}",
        fontsize=9,
    )
    figure.tight_layout()
    _write_atomically(path, lambda p: figure.savefig(p, format="png"))
    plt.close(figure)
