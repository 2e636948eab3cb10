"""parafeat-serve with a time-series pipeline (a timeseries_features step): one series per input,
in JSON (arrays of numbers, null for a missing point) or Arrow IPC (a list column), tsfresh's
features back, equal to Pipeline.transform bit for bit; every bad series refused with 422 naming
the input and the point; good and bad requests at once."""

import json
import struct
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pytest

import parafeat
from serve_support import ARROW_STREAM, RunningServer, arrow_body, post_arrow, with_bytes_replaced
from timeseries_data import series_collection, varied_series
from timeseries_specs import dense_values, efficient_settings, step_spec

OUTPUT = "features"
COLLECTION = series_collection()


@pytest.fixture(scope="module")
def spec_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve_ts") / "spec.yaml"
    path.write_text(step_spec("value", efficient_settings(), output=OUTPUT))
    return path


@pytest.fixture(scope="module")
def pipeline(spec_path):
    return parafeat.Pipeline.from_yaml(str(spec_path))


@pytest.fixture(scope="module")
def server(spec_path):
    with RunningServer(["--spec", str(spec_path), "--threads", "2"]) as running:
        yield running


def library_rows(pipeline, series, list_type=pa.large_list(pa.float64())):
    """The library's features of ``series`` (lists of numbers) as a 2-d float64 array."""
    table = pa.table({"value": pa.array([list(s) for s in series], list_type)})
    return dense_values(pipeline.transform(table).column(OUTPUT))


def served_rows(body):
    """The "features" of a JSON response as a 2-d float64 array (null read as NaN)."""
    return np.array([[np.nan if v is None else v for v in row] for row in body["features"]])


def assert_json_equals_library(served, expected):
    """Bit for bit where the library's feature is finite; null exactly where it is NaN or
    infinite (JSON has neither)."""
    finite = np.isfinite(expected)
    assert served.shape == expected.shape
    np.testing.assert_array_equal(np.isnan(served), ~finite)
    assert served[finite].tobytes() == expected[finite].tobytes()


def test_json_series_get_the_pipelines_features_bit_for_bit_with_tsfresh_names(server, pipeline):
    series = [values.tolist() for _, values in COLLECTION]
    status, body = server.features(series)
    assert status == 200, body
    assert body["names"] == pipeline.feature_names[OUTPUT]
    assert body["names"][0].startswith("value__")
    expected = library_rows(pipeline, series)
    assert not np.isfinite(expected).all()  # some features are NaN: the null rule is exercised
    assert_json_equals_library(served_rows(body), expected)


def test_integer_points_in_json_are_the_same_series_as_their_floats(server):
    as_integers = server.features([[1, 4, -2, 8, 3]])
    as_floats = server.features([[1.0, 4.0, -2.0, 8.0, 3.0]])
    assert as_integers == as_floats
    assert as_integers[0] == 200


def test_a_long_series_split_across_threads_equals_the_library(server, pipeline):
    long_series = np.cumsum(np.random.default_rng(5).normal(size=20_000)).tolist()
    status, body = server.features([long_series, [0.5, 1.5, 1.0]])
    assert status == 200, body
    assert_json_equals_library(served_rows(body), library_rows(pipeline, [long_series, [0.5, 1.5, 1.0]]))


@pytest.mark.parametrize("list_type", [
    pa.large_list(pa.float64()), pa.list_(pa.float64()), pa.list_(pa.float32()),
    pa.list_(pa.int64()), pa.large_list(pa.int32()),
])  # fmt: skip
def test_arrow_series_in_and_features_out_equal_the_pipeline(server, pipeline, list_type):
    collection = COLLECTION if pa.types.is_floating(list_type.value_type) else [
        (name, np.round(values * 10).clip(-1e9, 1e9)) for name, values in varied_series(12)
    ]  # fmt: skip
    table = pa.table({
        "id": [name for name, _ in collection],
        "value": pa.array([values.tolist() for _, values in collection], list_type),
    })  # fmt: skip
    status, content_type, body = post_arrow(server, arrow_body(table))
    assert status == 200, body
    assert content_type == ARROW_STREAM
    served = pa.ipc.open_stream(body).read_all()
    expected = pipeline.transform(table.select(["value"]))
    assert served.schema.names == [OUTPUT]
    assert dense_values(served.column(0)).tobytes() == dense_values(expected.column(0)).tobytes()
    names = json.loads(served.schema.field(OUTPUT).metadata[b"parafeat.feature_names"])
    assert names == pipeline.feature_names[OUTPUT]


@pytest.mark.parametrize(
    ("inputs", "status", "message"),
    [
        ([[1.0, 2.0], [3.0, "4", 5.0]], 422, '"inputs"[1][1] must be a number, got a string'),
        ([[1.0, 2.0], [3.0, True]], 422, '"inputs"[1][1] must be a number, got a boolean'),
        ([[1.0, 2.0], [3.0, [4.0]]], 422, '"inputs"[1][1] must be a number, got an array'),
        ([[1.0], "1 2 3"], 422, '"inputs"[1] must be a series (an array of numbers), got a string'),
        ([[1.0], 2.0], 422, '"inputs"[1] must be a series'),
        ([[1.0], []], 422, '"inputs"[1] is an empty series'),
        ([], 422, '"inputs" is empty'),
        ([[1.0, 2.0], [3.0, None, 5.0, None]], 422, '"inputs"[1][1])'),
        ([[0.5, None]], 422, "null value; drop or fill it"),
    ],
)
def test_bad_series_get_422_naming_the_input_and_the_point(server, inputs, status, message):
    answered, reply = server.features(inputs)
    assert answered == status, reply
    assert message in reply["error"], reply["error"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        # What json.dumps writes for a NaN or an infinite float is not JSON.
        ('{"inputs": [[1.0, NaN]]}', 400, "malformed JSON"),
        ('{"inputs": [[1.0, Infinity]]}', 400, "malformed JSON"),
        ('{"inputs": {"a": [1.0]}}', 422, '"inputs" must be an array of series'),
        ('{"series": [[1.0]]}', 422, 'send {"inputs": [[1.5, 2, ...], ...]}'),
        # Well-formed JSON, out of a double's or a 64-bit integer's range: said so.
        ('{"inputs": [[1.0, 1e309]]}', 400, "integers must fit in 64 bits"),
        ('{"inputs": [[1.0, 18446744073709551616]]}', 400, "other numbers in a double"),
    ],
)
def test_bad_series_bodies_get_the_right_status(server, body, status, message):
    answered, reply = server.request("POST", "/v1/features", body)
    assert answered == status, reply
    assert message in reply["error"], reply["error"]


def test_bad_arrow_series_get_422_naming_the_row_and_the_point(server):
    def refused(values, value_type=pa.large_list(pa.float64())):
        status, _, body = post_arrow(server, arrow_body(pa.table({"value": pa.array(values, value_type)})))
        assert status == 422, body
        return json.loads(body)["error"]

    assert "row 1, point 2" in refused([[1.0, 2.0], [1.0, 2.0, None]])
    assert "NaN" in refused([[1.0, 2.0], [3.0, float("nan")]])
    assert "row 1, point 1" in refused([[1.0, 2.0], [3.0, float("nan")]])
    assert "row 1 of column 'value' is an empty series" in refused([[1.0], []])
    assert "row 1" in refused([[1.0], None]) and "null" in refused([[1.0], None])
    wrong = refused([["a", "b"]], pa.list_(pa.string()))
    assert "column 'value'" in wrong and "list or large_list of float64" in wrong
    assert "list or large_list" in refused(["1 2 3"], pa.string())
    status, _, body = post_arrow(server, arrow_body(pa.table({"other": [[1.0]]})))
    assert status == 422 and b"no column 'value'" in body


def test_an_arrow_stream_with_corrupt_list_offsets_gets_400_and_the_server_stays_up(server):
    body = arrow_body(pa.table({"value": pa.array([[1.0, 2.0], [3.0, 4.0, 5.0], [6.0]], pa.list_(pa.float64()))}))
    offsets = struct.pack("<4i", 0, 2, 5, 6)
    status, _, answer = post_arrow(server, with_bytes_replaced(body, offsets, struct.pack("<4i", 0, 2, 1 << 30, 6)))
    assert status == 400 and b"corrupt Arrow IPC stream" in answer, answer
    assert post_arrow(server, body)[0] == 200


def test_concurrent_good_and_bad_series_requests_are_each_answered_right(server, pipeline):
    good = [values.tolist() for _, values in varied_series(24, seed=21)]
    expected = library_rows(pipeline, good)
    bad = [([[1.0, "x"]], 422), ([[]], 422), ([[1.0, None]], 422), ("[[", 400)]

    def one(i):
        if i % 3 == 2:
            inputs, status = bad[i % len(bad)]
            if isinstance(inputs, str):
                return server.request("POST", "/v1/features", '{"inputs": ' + inputs)[0] == status
            return server.features(inputs)[0] == status
        rows = [i % len(good), (i * 5) % len(good)]
        status, body = server.features([good[r] for r in rows])
        if status != 200:
            return False
        assert_json_equals_library(served_rows(body), expected[rows])
        return True

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert all(pool.map(one, range(240)))
    assert server.process.poll() is None


def test_a_pipeline_reading_series_and_strings_is_refused_at_start(tmp_path):
    spec = step_spec("value", {"mean": None}) + (
        "  - name: hashing_vectorizer\n    column: value\n    params: {n_features: 16}\n"
    )
    path = tmp_path / "mixed.yaml"
    path.write_text(spec)
    with pytest.raises(RuntimeError, match="all read strings or all read series"):
        RunningServer(["--spec", str(path)])
