"""parafeat.timeseries.extract_features: input shapes, determinism and errors on bad input."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import parafeat.timeseries as pt

SETTINGS = {"mean": None, "quantile": [{"q": 0.3}], "fft_coefficient": [{"coeff": 1, "attr": "abs"}]}


def walk_frame(ids=50, length=64, seed=1):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "id": np.repeat(np.arange(ids), length),
        "time": np.tile(np.arange(length), ids),
        "value": np.cumsum(rng.normal(size=ids * length)),
    })


def test_output_is_identical_for_any_thread_count():
    frame = walk_frame(ids=300, length=50)
    settings = dict(pt.EfficientFCParameters())
    settings = {k: v for k, v in settings.items() if k in pt.implemented_calculators()}
    one = pt.extract_features(frame, column_id="id", column_sort="time",
                              default_fc_parameters=settings, n_jobs=1)
    two = pt.extract_features(frame, column_id="id", column_sort="time",
                              default_fc_parameters=settings, n_jobs=2)
    assert one.to_numpy().tobytes() == two.to_numpy().tobytes()


def test_numpy_integer_n_jobs_is_taken_as_joblib_takes_it():
    frame = walk_frame(ids=20, length=10)
    one = pt.extract_features(frame, column_id="id", default_fc_parameters=SETTINGS, n_jobs=1)
    for n_jobs in (np.int64(2), np.int32(-1)):
        ours = pt.TimeSeriesFeatures(default_fc_parameters=SETTINGS, n_jobs=n_jobs)
        pd.testing.assert_frame_equal(ours.fit_transform(frame), one)


def test_pyarrow_and_polars_inputs_give_the_pandas_result():
    frame = walk_frame(ids=5, length=20)
    expected = pt.extract_features(frame, column_id="id", column_sort="time",
                                   default_fc_parameters=SETTINGS)
    table = pa.Table.from_pandas(frame)
    from_arrow = pt.extract_features(table, column_id="id", column_sort="time",
                                     default_fc_parameters=SETTINGS)
    pd.testing.assert_frame_equal(from_arrow, expected)
    polars = pytest.importorskip("polars")
    from_polars = pt.extract_features(polars.from_pandas(frame), column_id="id",
                                      column_sort="time", default_fc_parameters=SETTINGS)
    pd.testing.assert_frame_equal(from_polars, expected)


def test_rows_in_any_order_give_the_same_features_when_sorted():
    frame = walk_frame(ids=4, length=30)
    shuffled = frame.sample(frac=1.0, random_state=0)
    a = pt.extract_features(frame, column_id="id", column_sort="time", default_fc_parameters=SETTINGS)
    b = pt.extract_features(shuffled, column_id="id", column_sort="time", default_fc_parameters=SETTINGS)
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("as_sort_column", [
    lambda t: -t,  # rows in falling time order: each series must be reversed
    lambda t: (t * 7).astype(np.uint32),
    lambda t: t.astype(np.float64) / 3,
    lambda t: pd.Timestamp("2026-01-01") + pd.to_timedelta(t, unit="s"),
])  # fmt: skip
def test_sort_columns_of_any_dtype_order_each_series_by_their_values(as_sort_column):
    frame = walk_frame(ids=4, length=30)
    order = frame.assign(time=as_sort_column(frame["time"]))
    expected_values = frame.copy()
    if (order["time"].iloc[1] < order["time"].iloc[0]):  # the falling order reverses each series
        expected_values["value"] = frame.groupby("id")["value"].transform(lambda v: v[::-1].values)
    expected = pt.extract_features(expected_values, column_id="id", column_sort="time",
                                   default_fc_parameters=SETTINGS)
    actual = pt.extract_features(order, column_id="id", column_sort="time",
                                 default_fc_parameters=SETTINGS)
    pd.testing.assert_frame_equal(actual, expected)


def test_string_ids_index_the_result_in_sorted_order():
    frame = pd.DataFrame({"id": ["b", "a", "b", "a"], "value": [1.0, 2.0, 3.0, 5.0]})
    result = pt.extract_features(frame, column_id="id", default_fc_parameters={"mean": None})
    assert list(result.index) == ["a", "b"]
    assert list(result["value__mean"]) == [3.5, 2.0]


def test_progress_reports_series_done():
    calls = []
    pt.extract_features(walk_frame(ids=20, length=10), column_id="id", column_sort="time",
                        default_fc_parameters={"mean": None}, n_jobs=1,
                        progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (20, 20)


def test_missing_id_column_is_an_error_naming_it():
    with pytest.raises(ValueError, match="'ident'"):
        pt.extract_features(walk_frame(), column_id="ident", default_fc_parameters=SETTINGS)


def test_no_id_column_given_is_an_error():
    with pytest.raises(ValueError, match="column_id"):
        pt.extract_features(walk_frame(), default_fc_parameters=SETTINGS)


def test_missing_value_column_is_an_error_naming_it():
    with pytest.raises(ValueError, match="'reading'"):
        pt.extract_features(walk_frame(), column_id="id", column_value="reading",
                            default_fc_parameters=SETTINGS)


def test_missing_sort_column_is_an_error_naming_it():
    with pytest.raises(ValueError, match="'when'"):
        pt.extract_features(walk_frame(), column_id="id", column_sort="when",
                            default_fc_parameters=SETTINGS)


def test_nan_values_are_an_error_naming_the_column_as_tsfresh_does():
    frame = walk_frame(ids=2, length=5)
    frame.loc[3, "value"] = np.nan
    with pytest.raises(ValueError, match="NaN.*'value'"):
        pt.extract_features(frame, column_id="id", column_sort="time", default_fc_parameters=SETTINGS)


def test_non_numeric_values_are_an_error_naming_the_column():
    frame = pd.DataFrame({"id": [1, 1], "value": ["a", "b"]})
    with pytest.raises(TypeError, match="'value' must be numeric"):
        pt.extract_features(frame, column_id="id", default_fc_parameters=SETTINGS)


def test_repeated_sort_key_within_an_id_is_an_error_naming_the_id():
    frame = pd.DataFrame({"id": [1, 1, 2, 2, 2], "time": [0, 1, 0, 1, 1],
                          "value": [1.0, 2.0, 3.0, 4.0, 5.0]})
    with pytest.raises(ValueError, match="repeated sort key.*id 2"):
        pt.extract_features(frame, column_id="id", column_sort="time", default_fc_parameters=SETTINGS)


def test_kinds_without_a_value_column_and_several_candidates_is_an_error():
    frame = pd.DataFrame({"id": [1, 1], "kind": ["a", "b"], "x": [1.0, 2.0], "y": [3.0, 4.0]})
    with pytest.raises(ValueError, match="column_value"):
        pt.extract_features(frame, column_id="id", column_kind="kind", default_fc_parameters=SETTINGS)


def test_unknown_calculator_is_an_error_naming_it():
    with pytest.raises(KeyError, match="'mean_of_everything'"):
        pt.extract_features(walk_frame(), column_id="id",
                            default_fc_parameters={"mean_of_everything": None})


def test_unknown_parameter_is_an_error_naming_calculator_and_parameter():
    with pytest.raises(ValueError, match="quantile.*'quantile_level'"):
        pt.extract_features(walk_frame(), column_id="id",
                            default_fc_parameters={"quantile": [{"q": 0.1, "quantile_level": 2}]})


def test_missing_parameter_is_an_error_naming_it():
    with pytest.raises(ValueError, match="c3.*'lag'"):
        pt.extract_features(walk_frame(), column_id="id", default_fc_parameters={"c3": [{}]})


def test_parameters_given_to_a_calculator_without_any_is_an_error():
    with pytest.raises(ValueError, match="'mean' takes no parameters"):
        pt.extract_features(walk_frame(), column_id="id",
                            default_fc_parameters={"mean": [{"q": 1}]})


def test_comprehensive_settings_run_as_a_whole():
    assert set(pt.implemented_calculators()) == set(pt.ComprehensiveFCParameters())
    features = pt.extract_features(walk_frame(ids=3, length=40), column_id="id",
                                   default_fc_parameters=pt.ComprehensiveFCParameters())
    assert "value__number_cwt_peaks__n_5" in features.columns
    assert 'value__augmented_dickey_fuller__attr_"usedlag"__autolag_"AIC"' in features.columns


def test_unknown_augmented_dickey_fuller_attribute_names_the_key():
    settings = {"augmented_dickey_fuller": [{"attr": "critvalues"}]}
    with pytest.raises(ValueError, match="attr"):
        pt.extract_features(walk_frame(), column_id="id", default_fc_parameters=settings)


def test_custom_calculator_functions_are_not_supported():
    with pytest.raises(NotImplementedError, match="custom calculator"):
        pt.extract_features(walk_frame(), column_id="id", default_fc_parameters={np.mean: None})


def test_kind_names_tsfresh_cannot_parse_back_are_errors():
    frame = pd.DataFrame({"id": [1, 1], "temp__max": [1.0, 2.0]})
    with pytest.raises(ValueError, match="'__'"):
        pt.extract_features(frame, column_id="id", default_fc_parameters=SETTINGS)


def test_transformer_gives_extract_features_result_and_names():
    from sklearn.base import clone

    frame = walk_frame(ids=6, length=30)
    transformer = pt.TimeSeriesFeatures(default_fc_parameters=SETTINGS, column_sort="time", n_jobs=1)
    result = clone(transformer).fit(frame).transform(frame)
    expected = pt.extract_features(frame, column_id="id", column_sort="time",
                                   default_fc_parameters=SETTINGS)
    pd.testing.assert_frame_equal(result, expected)
    assert list(transformer.fit(frame).get_feature_names_out()) == list(expected.columns)


def test_transformer_used_before_fit_raises_not_fitted_error():
    from sklearn.exceptions import NotFittedError

    transformer = pt.TimeSeriesFeatures(default_fc_parameters={"mean": None})
    with pytest.raises(NotFittedError, match="TimeSeriesFeatures instance is not fitted yet"):
        transformer.transform(walk_frame(ids=2, length=5))
    with pytest.raises(NotFittedError, match="TimeSeriesFeatures instance is not fitted yet"):
        transformer.get_feature_names_out()


def test_transformer_refuses_series_with_other_kinds_than_fitted():
    frame = walk_frame(ids=3, length=10)
    transformer = pt.TimeSeriesFeatures(default_fc_parameters={"mean": None}).fit(frame)
    with pytest.raises(ValueError, match="kinds differ"):
        transformer.transform(frame.rename(columns={"value": "reading"}))


def kinds_frame(series):
    """Long format with kinds: (id, kind, length) per series, values counting up from 1."""
    return pd.DataFrame(
        [(i, kind, t, float(t + 1)) for i, kind, length in series for t in range(length)],
        columns=["id", "kind", "time", "value"],
    )


KIND_COLUMNS = {"column_kind": "kind", "column_sort": "time", "column_value": "value"}


def test_transformer_gives_fitted_column_order_when_the_first_id_lacks_a_kind():
    # extract_features orders kinds as tsfresh does, by first appearance from the smallest id, so
    # these kinds come out as b, a; transform gives fit's a, b.
    train = kinds_frame([(1, "a", 3), (1, "b", 3), (2, "a", 3), (2, "b", 4)])
    test = kinds_frame([(1, "b", 3), (2, "a", 3), (2, "b", 4)])
    transformer = pt.TimeSeriesFeatures(default_fc_parameters={"mean": None}, n_jobs=1,
                                        **KIND_COLUMNS).fit(train)
    extracted = pt.extract_features(test, default_fc_parameters={"mean": None}, column_id="id",
                                    **KIND_COLUMNS)
    assert list(extracted.columns) == ["b__mean", "a__mean"]
    result = transformer.transform(test)
    assert list(result.columns) == list(transformer.get_feature_names_out())
    assert list(result.columns) == ["a__mean", "b__mean"]
    pd.testing.assert_frame_equal(result, extracted[["a__mean", "b__mean"]])


def test_transformer_error_names_the_missing_and_unexpected_features():
    train = kinds_frame([(1, "a", 3), (1, "b", 3)])
    test = kinds_frame([(1, "b", 3), (1, "c", 3)])
    transformer = pt.TimeSeriesFeatures(default_fc_parameters={"mean": None}, n_jobs=1,
                                        **KIND_COLUMNS).fit(train)
    with pytest.raises(ValueError, match="kinds differ") as raised:
        transformer.transform(test)
    assert "missing ['a__mean']" in str(raised.value)
    assert "unexpected ['c__mean']" in str(raised.value)
