"""Time series on Spark: a timeseries_features spec over an array<double> column gives,
collected, exactly the local pipeline's features (tsfresh's Efficient set), on local[2] and on the
standalone cluster, for 1, 3 and 16 partitions."""

import pyarrow as pa
import pytest
from pyspark.ml.linalg import VectorUDT
from pyspark.sql.functions import spark_partition_id

import parafeat
import parafeat.spark
from spark_frames import series_frame
from timeseries_data import series_collection
from timeseries_specs import dense_values, efficient_settings, step_spec

pytestmark = pytest.mark.spark

# Every Efficient calculator parafeat implements (the whole Efficient set once the last ones
# land: efficient_settings filters on the calculator table's `implemented` flag).
SETTINGS = efficient_settings()
SERIES = [values.tolist() for _, values in series_collection(seed=11)] * 2


@pytest.fixture(scope="module")
def session(spark_local_or_cluster):
    """Each test runs on local[2] and on the standalone cluster."""
    return spark_local_or_cluster


@pytest.fixture(scope="module")
def pipeline():
    return parafeat.Pipeline.from_yaml(step_spec("series", SETTINGS, output="features"))


@pytest.fixture(scope="module")
def local(pipeline):
    table = pa.table({"series": pa.array(SERIES, pa.list_(pa.float64()))})
    return dense_values(pipeline.transform(table).column("features"))


@pytest.mark.parametrize("partitions", [1, 3, 16])
def test_efficient_features_on_spark_equal_the_local_pipeline(session, pipeline, local, partitions):
    features = parafeat.spark.transform(series_frame(session, SERIES, partitions), pipeline)
    assert isinstance(features.schema["features"].dataType, VectorUDT)
    table = features.withColumn("partition", spark_partition_id()).toArrow()
    assert len(set(table.column("partition").to_pylist())) == partitions
    assert table.column("id").to_pylist() == list(range(len(SERIES)))
    vectors = table.column("features").combine_chunks()
    assert set(vectors.field("type").to_pylist()) == {1}  # DenseVector
    values = vectors.field("values")
    collected = values.flatten().to_numpy().reshape(len(SERIES), -1)
    assert collected.tobytes() == local.tobytes()


def test_arrow_output_is_a_list_of_doubles_equal_to_the_local_pipeline(session, pipeline, local):
    features = parafeat.spark.transform(
        series_frame(session, SERIES, 3), pipeline, output_format="arrow"
    )
    assert features.schema["features"].dataType.simpleString() == "array<double>"
    column = features.toArrow().column("features").combine_chunks()
    assert column.flatten().to_numpy().reshape(len(SERIES), -1).tobytes() == local.tobytes()


def test_a_long_format_spec_is_refused_on_the_driver(session):
    # session, not spark: the tests of a module share one open SparkSession at a time.
    spec = step_spec("value", {"mean": None}, long_format={"column_id": "id", "column_value": "value"})
    frame = session.createDataFrame([(1, 0.5)], "id long, value double")
    with pytest.raises(ValueError, match="long_format"):
        parafeat.spark.transform(frame, spec)
