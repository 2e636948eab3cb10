"""The timeseries_features pipeline step and the long_format stage: one series per row (an Arrow
list of numbers) in, tsfresh's features out, equal to parafeat.timeseries.extract_features on the
same series, bit for bit; through Pipeline.transform and the command line."""

import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import parafeat
import parafeat.timeseries as pt
from timeseries_data import long_frame, series_collection
from timeseries_specs import dense_values, efficient_settings, step_spec

COLLECTION = series_collection()


def series_table(collection=COLLECTION, list_type=pa.large_list(pa.float64())):
    return pa.table({
        "id": [name for name, _ in collection],
        "value": pa.array([values.tolist() for _, values in collection], list_type),
    })  # fmt: skip


def expected_features(settings, collection=COLLECTION):
    frame = long_frame(collection)
    return pt.extract_features(
        frame, column_id="id", column_sort="time", column_value="value",
        default_fc_parameters=settings,
    )  # fmt: skip


def assert_same_as_extract_features(values, names, expected, ids):
    assert names == list(expected.columns)
    np.testing.assert_array_equal(values, expected.loc[ids].to_numpy())


def test_step_gives_extract_features_numbers_for_every_efficient_feature():
    settings = efficient_settings()
    pipeline = parafeat.Pipeline.from_yaml(step_spec("value", settings))
    table = series_table()
    features = pipeline.transform(table)
    expected = expected_features(settings)
    names = pipeline.feature_names["timeseries_features"]
    assert features.schema.field("timeseries_features").type == pa.list_(pa.float64(), len(names))
    ids = table.column("id").to_pylist()
    assert_same_as_extract_features(dense_values(features.column(0)), names, expected, ids)
    assert pipeline.output_widths == {"timeseries_features": len(names)}


def test_output_is_the_same_for_any_thread_count_and_batching():
    pipeline = parafeat.Pipeline.from_yaml(step_spec("value", efficient_settings()))
    table = series_table()
    one = pipeline.transform(table, n_jobs=1)
    batched = pa.concat_tables(
        pipeline.transform(table.slice(start, 4), n_jobs=2) for start in range(0, len(table), 4)
    )
    assert dense_values(one.column(0)).tobytes() == dense_values(batched.column(0)).tobytes()


@pytest.mark.parametrize("list_type", [
    pa.list_(pa.float32()), pa.list_(pa.int32()), pa.large_list(pa.int64()),
])  # fmt: skip
def test_float32_and_integer_lists_give_the_features_of_their_float64_values(list_type):
    collection = [("a", np.array([1.0, 4.0, -2.0, 8.0])), ("b", np.array([3.0]))]
    pipeline = parafeat.Pipeline.from_yaml(step_spec("value", {"mean": None, "variance": None}))
    got = pipeline.transform(series_table(collection, list_type))
    want = pipeline.transform(series_table(collection))
    assert dense_values(got.column(0)).tobytes() == dense_values(want.column(0)).tobytes()


def test_kind_names_the_features_after_the_column_unless_given():
    spec = step_spec("temperature", {"maximum": None, "quantile": [{"q": 0.9}, {"q": 0.1}]})
    pipeline = parafeat.Pipeline.from_yaml(spec)
    assert pipeline.feature_names == {"timeseries_features": [
        "temperature__maximum", "temperature__quantile__q_0.9", "temperature__quantile__q_0.1",
    ]}  # fmt: skip
    renamed = parafeat.Pipeline.from_yaml(spec.replace("params: {", "params: {kind: t, "))
    assert renamed.feature_names["timeseries_features"][0] == "t__maximum"


def test_field_metadata_and_a_saved_pipeline_keep_the_feature_names(tmp_path):
    pipeline = parafeat.Pipeline.from_yaml(step_spec("value", {"minimum": None}, output="ts"))
    features = pipeline.transform(series_table())
    metadata = features.schema.field("ts").metadata[b"parafeat.feature_names"]
    assert json.loads(metadata) == ["value__minimum"]
    pipeline.save(tmp_path / "ts.pfstate")
    loaded = parafeat.Pipeline.load(tmp_path / "ts.pfstate")
    assert loaded.feature_names == pipeline.feature_names
    assert loaded.to_yaml() == pipeline.to_yaml()


def test_empty_series_get_nan_and_null_or_nan_series_are_errors_naming_the_row():
    pipeline = parafeat.Pipeline.from_yaml(step_spec("value", {"mean": None}))
    empty = pipeline.transform({"value": pa.array([[1.0, 2.0], []], pa.list_(pa.float64()))})
    assert dense_values(empty.column(0))[0, 0] == 1.5 and np.isnan(dense_values(empty.column(0))[1, 0])
    with pytest.raises(TypeError, match=r"row 2.*column 'value'|column 'value'.*row 2"):
        pipeline.transform({"value": pa.array([[1.0], [2.0], None], pa.list_(pa.float64()))})
    with pytest.raises(ValueError, match="NaN"):
        pipeline.transform({"value": pa.array([[1.0], [2.0, float("nan")]])})


def test_a_string_column_or_an_unknown_calculator_is_an_error_naming_it():
    pipeline = parafeat.Pipeline.from_yaml(step_spec("value", {"mean": None}))
    with pytest.raises(TypeError, match="column 'value'.*large_utf8|large_utf8.*column 'value'"):
        pipeline.transform({"value": pa.array(["1, 2"], pa.large_string())})
    with pytest.raises(KeyError, match="no_such_calculator"):
        parafeat.Pipeline.from_yaml(step_spec("value", {"no_such_calculator": None}))
    with pytest.raises(ValueError, match="features"):
        parafeat.Pipeline.from_yaml(step_spec("value", "fast"))


LONG = {"column_id": "id", "column_sort": "time", "column_kind": "kind", "column_value": "value"}


def kinds_frame():
    """Two kinds; id 'c' has no 'pressure' series."""
    temperature = long_frame(COLLECTION[:6]).assign(kind="temperature")
    pressure = long_frame(COLLECTION[6:11]).assign(kind="pressure")
    pressure["id"] = pressure["id"].map(dict(zip([n for n, _ in COLLECTION[6:11]], "abdef")))
    temperature["id"] = temperature["id"].map(dict(zip([n for n, _ in COLLECTION[:6]], "abcdef")))
    return pd.concat([temperature, pressure], ignore_index=True)


@pytest.mark.parametrize("grouped", [False, True], ids=["rows by kind", "rows grouped by id, kind, time"])
def test_long_format_groups_by_id_and_kind_as_extract_features_does(grouped):
    settings = efficient_settings()
    minimal = {"mean": None, "length": None}
    spec = "\n".join([
        "version: 1", f"long_format: {json.dumps(LONG)}", "extractors:",
        "  - {name: timeseries_features, column: temperature, output: temperature,",
        f"     params: {{features: {json.dumps(settings)}}}}}",
        "  - {name: timeseries_features, column: pressure, output: pressure,",
        f"     params: {{features: {json.dumps(minimal)}}}}}",
    ])  # fmt: skip
    pipeline = parafeat.Pipeline.from_yaml(spec)
    assert pipeline.input_columns == ["id", "time", "kind", "value"]
    frame = kinds_frame()
    if grouped:  # the usual layout, which needs no reordering
        frame = frame.sort_values(["id", "kind", "time"], ignore_index=True)
    features = pipeline.transform(frame)
    expected = pt.extract_features(
        frame, column_id="id", column_sort="time", column_kind="kind", column_value="value",
        kind_to_fc_parameters={"temperature": settings, "pressure": minimal},
    )  # fmt: skip
    assert features.column_names == ["id", "temperature", "pressure"]
    assert features.column("id").to_pylist() == list(expected.index)
    for output, names in pipeline.feature_names.items():
        np.testing.assert_array_equal(dense_values(features.column(output)), expected[names].to_numpy())


def test_long_format_errors_name_the_column_the_id_or_the_kind():
    spec = step_spec("value", {"mean": None}, long_format={"column_id": "id", "column_sort": "time",
                                                            "column_value": "value"})
    pipeline = parafeat.Pipeline.from_yaml(spec)
    frame = long_frame(COLLECTION[:3])
    with pytest.raises(ValueError, match="'time'"):
        pipeline.transform(frame.drop(columns=["time"]))
    with pytest.raises(TypeError, match="'value' must be numeric"):
        pipeline.transform(frame.assign(value=frame["value"].astype(str)))
    repeated = frame.assign(time=0)
    with pytest.raises(ValueError, match="repeated sort key.*id 'length_2'"):
        pipeline.transform(repeated)
    kinds = parafeat.Pipeline.from_yaml(step_spec("humidity", {"mean": None}, long_format=LONG))
    with pytest.raises(KeyError, match="'humidity'"):
        kinds.transform(kinds_frame())


def test_a_long_format_value_that_is_not_a_number_is_named_by_its_row():
    spec = step_spec("value", {"mean": None}, long_format={"column_id": "id", "column_sort": "time",
                                                            "column_value": "value"})
    frame = long_frame(COLLECTION[:3])
    frame.index += 100  # rows are counted by position, not by index label
    values = frame["value"].astype(object)
    values.iloc[5] = "oops"
    with pytest.raises(TypeError, match=re.escape(
        "value column 'value' must be numeric, got dtype object (row 5 holds 'oops'); convert it"
    )) as raised:  # fmt: skip
        parafeat.Pipeline.from_yaml(spec).transform(frame.assign(value=values))
    assert raised.value.row == 5


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "parafeat", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_cli_extracts_a_long_format_file_as_extract_features_does(tmp_path, fmt):
    settings = efficient_settings()
    spec = tmp_path / "ts.yaml"
    long_format = {"column_id": "id", "column_sort": "time", "column_value": "value"}
    spec.write_text(step_spec("value", settings, output="features", long_format=long_format))
    frame = long_frame(COLLECTION)
    source = tmp_path / f"long.{fmt}"
    if fmt == "csv":
        frame.to_csv(source, index=False, float_format="%.17g")
        frame = pd.read_csv(source, float_precision="round_trip")
    else:
        frame.to_parquet(source, index=False)
    result = run_cli("extract", "--spec", str(spec), "--input", str(source), "--output",
                     str(tmp_path / "features.parquet"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    written = pq.read_table(tmp_path / "features.parquet")
    expected = pt.extract_features(
        frame, column_id="id", column_sort="time", column_value="value",
        default_fc_parameters=settings,
    )  # fmt: skip
    names = json.loads(written.schema.field("features").metadata[b"parafeat.feature_names"])
    assert written.column("id").to_pylist() == list(expected.index)
    assert names == list(expected.columns)
    np.testing.assert_array_equal(dense_values(written.column("features")), expected.to_numpy())


@pytest.mark.parametrize(("change", "message"), [
    (lambda frame: frame.drop(columns=["value"]), "'value'"),
    (lambda frame: frame.assign(value=["x"] + list(frame["value"][1:])), "'value' must be numeric"),
    (lambda frame: frame.assign(time=frame["time"] // 2), "repeated sort key.*id '"),
])  # fmt: skip
def test_cli_bad_long_format_input_is_an_error_naming_it_and_writes_nothing(tmp_path, change, message):
    spec = tmp_path / "ts.yaml"
    long_format = {"column_id": "id", "column_sort": "time", "column_value": "value"}
    spec.write_text(step_spec("value", {"mean": None}, long_format=long_format))
    source = tmp_path / "long.csv"
    change(long_frame(COLLECTION[:4])).to_csv(source, index=False)
    output = tmp_path / "features.parquet"
    result = run_cli("extract", "--spec", str(spec), "--input", str(source), "--output", str(output))
    assert result.returncode == 1
    assert re.search(message, result.stderr), result.stderr
    assert not output.exists()
