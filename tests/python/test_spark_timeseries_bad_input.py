"""Time series on Spark on bad input, in a local[2] session: a null series, or one holding NaN or
a null value, is reported with its partition and row (or, under on_error="skip", gets null
features while every other row gets its local ones); a column that holds no series fails on the
driver before any job starts."""

import pyarrow as pa
import pytest
from pyspark.sql.functions import col

import parafeat
import parafeat.spark
from spark_frames import series_frame
from spark_sessions import assert_fails_before_any_job
from timeseries_specs import dense_values, step_spec

pytestmark = pytest.mark.spark

SPEC = step_spec("series", {"mean": None, "maximum": None, "abs_energy": None}, output="features")
NAN = float("nan")

# 300 series in 3 partitions of 100 (spark.range splits evenly): global row 130 is row 30 of
# partition 1.
SERIES = [[float(i % 7), i / 3.0, -float(i % 5), 2.5] for i in range(300)]
BAD = {0: None, 64: [1.0, NAN], 130: [None, 1.0, 2.0], 131: None, 250: [NAN], 299: [2.0, None]}
WITH_BAD = [BAD.get(i, values) for i, values in enumerate(SERIES)]
GOOD = [values for i, values in enumerate(SERIES) if i not in BAD]


@pytest.fixture(scope="module")
def pipeline():
    return parafeat.Pipeline.from_yaml(SPEC)


def as_rows(column):
    """A column of list<double> collected from Spark (every row of one length) as a 2-d array."""
    return column.flatten().to_numpy().reshape(len(column), -1)


def with_one_bad_row(row, values):
    return [values if i == row else series for i, series in enumerate(SERIES)]


def test_a_null_series_fails_the_transform_naming_its_partition_and_row(spark, pipeline):
    frame = series_frame(spark, with_one_bad_row(130, None), 3)
    with pytest.raises(Exception, match=r"partition 1, row 30, column 'series': null input"):
        parafeat.spark.transform(frame, pipeline).collect()


@pytest.mark.parametrize(("row", "values", "message"), [
    (250, [1.0, NAN, 3.0], r"partition 2: .*column 'series': row 50: series contains NaN"),
    (130, [1.0, None], r"partition 1: .*column 'series': row 30: series contains a null value"),
])  # fmt: skip
def test_a_series_holding_nan_or_a_null_value_fails_naming_its_partition_and_row(
    spark, pipeline, row, values, message
):
    frame = series_frame(spark, with_one_bad_row(row, values), 3)
    with pytest.raises(Exception, match=message) as error:
        parafeat.spark.transform(frame, pipeline, output_format="arrow").collect()
    assert "drop or fill it" in str(error.value)


def test_skip_gives_bad_series_null_features_and_the_others_their_local_ones(spark, pipeline):
    local = dense_values(
        pipeline.transform({"series": pa.array(GOOD, pa.list_(pa.float64()))}).column("features")
    )
    frame = series_frame(spark, WITH_BAD, 3)
    features = parafeat.spark.transform(frame, pipeline, on_error="skip", output_format="arrow")
    column = features.toArrow().column("features").combine_chunks()
    assert [i for i, row in enumerate(column.to_pylist()) if row is None] == sorted(BAD)
    assert as_rows(column.filter(column.is_valid())).tobytes() == local.tobytes()

    vectors = parafeat.spark.transform(frame, pipeline, on_error="skip")  # Spark ML vectors
    assert vectors.where(col("features").isNull()).count() == len(BAD)
    values = vectors.where(col("features").isNotNull()).toArrow().column("features")
    assert as_rows(values.combine_chunks().field("values")).tobytes() == local.tobytes()


def test_series_of_integers_or_floats_give_the_features_of_the_same_numbers(spark, pipeline):
    integers = [[int(value) for value in values] for values in SERIES]
    as_doubles = pa.array(integers, pa.list_(pa.float64()))
    local = dense_values(pipeline.transform({"series": as_doubles}).column("features"))
    for element in (pa.int32(), pa.int64(), pa.float32()):
        frame = series_frame(spark, integers, 3, pa.list_(element))
        features = parafeat.spark.transform(frame, pipeline, output_format="arrow")
        collected = as_rows(features.toArrow().column("features").combine_chunks())
        assert collected.tobytes() == local.tobytes(), element


@pytest.mark.parametrize(("schema", "row", "arrow_type"), [
    ("id long, series double", (1, 0.5), "float64"),
    ("id long, series string", (1, "1.0 2.0"), "utf8"),
    ("id long, series array<string>", (1, ["1.0"]), "list<utf8>"),
    ("id long, series array<array<double>>", (1, [[1.0]]), "list<list<float64>>"),
])  # fmt: skip
def test_a_column_that_holds_no_series_is_an_error_on_the_driver_before_any_job(
    spark, pipeline, schema, row, arrow_type
):
    frame = spark.createDataFrame([row], schema)
    assert_fails_before_any_job(
        spark, lambda: parafeat.spark.transform(frame, pipeline), TypeError,
        rf"column 'series' has Arrow type {arrow_type}; expected one series per row",
    )  # fmt: skip
