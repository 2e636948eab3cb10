"""parafeat.spark on bad input, in a local[2] session: null rows are reported with their
partition and row (or skipped and counted), a bad spec, column or column type fails on the driver
before any job starts, and executors with another parafeat are refused clearly."""

import pytest
from pyspark.sql.functions import col

import parafeat
import parafeat.spark
from parafeat import __version__
from spark_corpora import word_documents
from spark_frames import assert_same_features, text_frame
from spark_sessions import assert_fails_before_any_job

pytestmark = pytest.mark.spark

HASHING_SPEC = """
version: 1
extractors:
  - {name: hashing_vectorizer, column: text, params: {n_features: 256}}
"""
COUNT_SPEC = "version: 1\nextractors:\n  - {name: count_vectorizer, column: text}\n"

# 300 rows in 3 partitions of 100 (spark.range splits evenly): global row 130 is row 30 of
# partition 1.
TEXTS = word_documents(seed=11, count=300)
NULL_ROWS = [0, 130, 131, 299]
WITH_NULLS = [None if i in NULL_ROWS else text for i, text in enumerate(TEXTS)]
WITHOUT_NULLS = [text for text in WITH_NULLS if text is not None]


def test_a_null_row_fails_the_transform_naming_its_partition_and_row(spark):
    frame = text_frame(spark, [None if i == 130 else t for i, t in enumerate(TEXTS)], 3)
    features = parafeat.spark.transform(frame, HASHING_SPEC)
    with pytest.raises(Exception, match=r"partition 1, row 30, column 'text': null input") as error:
        features.collect()
    assert "on_error='skip'" in str(error.value)


def test_a_null_row_fails_the_fit_naming_its_partition_and_row(spark):
    frame = text_frame(spark, [None if i == 299 else t for i, t in enumerate(TEXTS)], 3)
    with pytest.raises(Exception, match=r"partition 2, row 99, column 'text': null input"):
        parafeat.spark.fit(frame, COUNT_SPEC)


def test_skip_gives_null_rows_null_features_and_the_others_their_local_ones(spark):
    pipeline = parafeat.Pipeline.from_yaml(HASHING_SPEC)
    frame = text_frame(spark, WITH_NULLS, 3)
    features = parafeat.spark.transform(frame, pipeline, on_error="skip", output_format="arrow")
    collected = features.toArrow().column("hashing_vectorizer").combine_chunks()
    assert [i for i, row in enumerate(collected.to_pylist()) if row is None] == NULL_ROWS
    local = pipeline.transform({"text": WITHOUT_NULLS}).column("hashing_vectorizer")
    assert_same_features(collected.filter(collected.is_valid()), local, 256)

    vectors = parafeat.spark.transform(frame, pipeline, on_error="skip")  # Spark ML vectors
    assert vectors.where(col("hashing_vectorizer").isNull()).count() == len(NULL_ROWS)


def test_fit_with_skip_leaves_null_rows_out_and_warns_how_many_by_partition(spark):
    frame = text_frame(spark, WITH_NULLS, 3)
    with pytest.warns(parafeat.spark.SkippedRowsWarning) as caught:
        fitted = parafeat.spark.fit(frame, COUNT_SPEC, on_error="skip")
    (skipped,) = [
        w.message for w in caught if isinstance(w.message, parafeat.spark.SkippedRowsWarning)
    ]
    assert skipped.count == 4
    assert skipped.by_partition == {0: 1, 1: 2, 2: 1}
    local = parafeat.Pipeline.from_yaml(COUNT_SPEC).fit({"text": WITHOUT_NULLS})
    assert fitted.to_bytes() == local.to_bytes()


def test_fit_with_skip_leaves_out_every_row_transform_skips_and_counts_them(spark):
    """Rows the engine rejects (here: invalid UTF-8, which Spark's binary-to-string cast lets
    through) are skipped by fit as by transform, besides null rows."""
    from pyspark.sql.functions import concat, lit, unhex, when

    invalid_rows = [5, 130 + 40, 250]
    frame = text_frame(spark, WITH_NULLS, 3)
    garbled = concat(col("text"), unhex(lit("FF")).cast("string"))
    garbled_where_invalid = when(col("id").isin(invalid_rows), garbled).otherwise(col("text"))
    frame = frame.withColumn("text", garbled_where_invalid)
    with pytest.warns(parafeat.spark.SkippedRowsWarning) as caught:
        fitted = parafeat.spark.fit(frame, COUNT_SPEC, on_error="skip")
    (skipped,) = [
        w.message for w in caught if isinstance(w.message, parafeat.spark.SkippedRowsWarning)
    ]
    assert skipped.count == len(NULL_ROWS) + len(invalid_rows)
    assert skipped.by_partition == {0: 2, 1: 3, 2: 2}
    kept = [t for i, t in enumerate(WITH_NULLS) if t is not None and i not in invalid_rows]
    local = parafeat.Pipeline.from_yaml(COUNT_SPEC).fit({"text": kept})
    assert fitted.to_bytes() == local.to_bytes()

    features = parafeat.spark.transform(frame, fitted, on_error="skip", output_format="arrow")
    collected = features.toArrow().column("count_vectorizer").combine_chunks()
    assert [i for i, row in enumerate(collected.to_pylist()) if row is None] == sorted(
        NULL_ROWS + invalid_rows
    )


def test_a_spec_that_fails_validation_is_an_error_on_the_driver_before_any_job(spark):
    frame = text_frame(spark, TEXTS, 3)
    bad = COUNT_SPEC.replace("column: text}", "column: text, params: {min_dff: 2}}")
    assert_fails_before_any_job(spark, lambda: parafeat.spark.fit(frame, bad), ValueError, "'min_dff'")
    assert_fails_before_any_job(
        spark, lambda: parafeat.spark.transform(frame, bad), ValueError, "'min_dff'"
    )


def test_a_non_string_input_column_is_an_error_on_the_driver_before_any_job(spark):
    frame = text_frame(spark, TEXTS, 3)
    message = r"column 'text' has Arrow type int64"
    assert_fails_before_any_job(
        spark, lambda: parafeat.spark.fit(frame, COUNT_SPEC, input_col="id"), TypeError, message
    )
    assert_fails_before_any_job(
        spark, lambda: parafeat.spark.transform(frame, HASHING_SPEC, input_col="id"), TypeError,
        message,
    )  # fmt: skip


def test_transform_refuses_a_pipeline_that_is_not_fitted(spark):
    with pytest.raises(ValueError, match=r"not fitted: fit it first.*parafeat.spark.fit"):
        parafeat.spark.transform(text_frame(spark, TEXTS, 3), COUNT_SPEC)


def test_missing_and_clashing_columns_are_named(spark):
    frame = text_frame(spark, TEXTS, 3)
    with pytest.raises(KeyError, match=r"no column 'body'; it has \['id', 'text'\]"):
        parafeat.spark.transform(frame, HASHING_SPEC, input_col="body")
    with pytest.raises(ValueError, match=r"output column 'id' already exists"):
        parafeat.spark.transform(frame, HASHING_SPEC, output_col="id")
    with pytest.raises(KeyError, match=r"keep_columns names 'key', which the DataFrame does not"):
        parafeat.spark.transform(frame, HASHING_SPEC, keep_columns=["id", "key"])
    with pytest.raises(ValueError, match="output_format must be one of"):
        parafeat.spark.transform(frame, HASHING_SPEC, output_format="dense")
    with pytest.raises(ValueError, match="on_error must be one of"):
        parafeat.spark.fit(frame, COUNT_SPEC, on_error="ignore")


def test_two_outputs_named_alike_are_an_error_on_the_driver_before_any_job(spark):
    frame = text_frame(spark, TEXTS, 3)
    two = HASHING_SPEC + "  - {name: hashing_vectorizer, column: text, output: b}\n"
    assert_fails_before_any_job(
        spark, lambda: parafeat.spark.transform(frame, two, output_col={"hashing_vectorizer": "x",
                                                                         "b": "x"}),
        ValueError, r"output_col names column 'x' for the outputs \['hashing_vectorizer', 'b'\]",
    )  # fmt: skip


def test_an_int_is_no_pipeline_and_its_file_descriptor_is_left_alone(spark, tmp_path):
    frame = text_frame(spark, TEXTS, 3)
    with open(tmp_path / "log", "w") as log:
        for action in (parafeat.spark.transform, parafeat.spark.fit):
            with pytest.raises(TypeError, match="pipeline must be a parafeat.Pipeline or a YAML"):
                action(frame, log.fileno())
        log.write("still open\n")


def test_executors_with_another_parafeat_version_are_refused_with_a_clear_error(spark, tmp_path):
    """The executors' Python finds another parafeat distribution (0.0.1) ahead of the driver's,
    as on a node where an older wheel is installed: each task refuses to run."""
    other_site = tmp_path / "other-site"
    (other_site / "parafeat-0.0.1.dist-info").mkdir(parents=True)
    (other_site / "parafeat-0.0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: parafeat\nVersion: 0.0.1\n"
    )
    frame = text_frame(spark, TEXTS, 3)
    executor_env = spark.sparkContext.environment  # what Python UDFs made from now on run with
    executor_env["PYTHONPATH"] = str(other_site)
    try:
        features = parafeat.spark.transform(frame, HASHING_SPEC)
    finally:
        del executor_env["PYTHONPATH"]
    with pytest.raises(Exception, match=(
        rf"VersionMismatchError: parafeat version mismatch: the driver runs parafeat "
        rf"{__version__}, but this worker \(host .*\) has parafeat 0.0.1"
    )):  # fmt: skip
        features.collect()
    # The same frame, with the driver's parafeat on the executors, runs.
    assert parafeat.spark.transform(frame, HASHING_SPEC).count() == len(TEXTS)
