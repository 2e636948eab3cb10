"""Time series through a real Cassandra node (scripts/cassandra-node): one series per row in a
``list<double>`` column, read by token ranges, turned into tsfresh features by the pipeline's
``timeseries_features`` step and written back as a ``list<double>`` per row: equal to the local
pipeline's and to ``parafeat.timeseries.extract_features`` on the same series, row by row."""

import zlib

import numpy as np
import pandas as pd
import pyarrow as pa

import parafeat
import parafeat.cassandra as pc
from cassandra_node import KEYSPACE
from parafeat.timeseries import extract_features
from timeseries_specs import dense_values, step_spec

SERIES_ROWS = 50_000
# Cheap calculators, some NaN on short or constant series (NaN must survive the round trip).
SETTINGS = {
    "mean": None, "variance": None, "maximum": None, "length": None,
    "autocorrelation": [{"lag": 1}, {"lag": 3}], "number_peaks": [{"n": 1}],
    "fft_coefficient": [{"coeff": 1, "attr": "abs"}],
}  # fmt: skip


def random_series(count: int, seed: int = 17) -> list:
    """Random walks of 1 to 60 points at magnitudes 1e-3 to 1e3; every 97th row constant."""
    rng = np.random.default_rng(seed)
    series = []
    for row, length in enumerate(rng.integers(1, 61, size=count)):
        if row % 97 == 0:
            series.append(np.full(length, 2.5))
        else:
            series.append(np.cumsum(rng.normal(size=length)) * 10.0 ** rng.integers(-3, 4))
    return series


def checksum(matrix: np.ndarray) -> tuple:
    """(rows, sum of the finite values, CRC of every value's bytes in row order)."""
    return len(matrix), float(np.nansum(matrix)), zlib.crc32(matrix.tobytes())


def test_time_series_round_trip_equals_the_local_pipeline_and_extract_features(cassandra):
    series = random_series(SERIES_ROWS)
    column = pa.array(series, pa.list_(pa.float64()))
    inputs = pa.table({"id": pa.array(range(SERIES_ROWS), pa.int32()), "series": column})
    pc.write(inputs, KEYSPACE, "series", key=["id"], create=True)
    pipeline = parafeat.Pipeline.from_yaml(step_spec("series", SETTINGS, output="features"))
    summary = pc.extract(
        pipeline, f"cassandra://127.0.0.1/{KEYSPACE}/series",
        f"cassandra://127.0.0.1/{KEYSPACE}/series_features",
    )  # fmt: skip
    assert summary["rows"] == SERIES_ROWS

    local = pipeline.transform({"series": column}).column("features")
    stored = pc.read(KEYSPACE, "series_features", ["features"]).read_all().sort_by("id")
    assert stored.column("id").to_pylist() == list(range(SERIES_ROWS))
    stored = dense_values(stored.column("features").cast(local.type))
    local = dense_values(local)
    assert np.isnan(stored).any()  # short and constant series
    assert checksum(stored) == checksum(local)
    np.testing.assert_array_equal(stored, local)

    long = pd.DataFrame({
        "id": np.repeat(np.arange(SERIES_ROWS), [len(s) for s in series]),
        "time": np.concatenate([np.arange(len(s)) for s in series]),
        "series": np.concatenate(series),
    })  # fmt: skip
    reference = extract_features(long, default_fc_parameters=SETTINGS, column_id="id",
                                 column_sort="time")  # fmt: skip
    assert pipeline.feature_names["features"] == list(reference.columns)
    np.testing.assert_array_equal(stored, reference.to_numpy())
