"""One long series split across threads: every Efficient feature is the same bytes for any
n_jobs (the calculators of a series run as tasks; ADF's QR and number_cwt_peaks' noise floor in
fixed blocks), and the split kernels still match statsmodels and scipy (through tsfresh) on
series long enough to span two of those blocks (2 048 rows or columns each; statsmodels' lag
search takes seconds on longer ones)."""

import warnings

import numpy as np
import pandas as pd
import pytest

import parafeat.timeseries as pt

LENGTH = 20_000  # above the executor's split_series_length (16 384); ten ADF row chunks
ORACLE_LENGTH = 3_000  # two ADF row chunks (2 970 rows at 29 lags), two noise-floor blocks


def frame_of(collection):
    return pd.concat(
        [pd.DataFrame({"id": name, "time": np.arange(len(x)), "value": x}) for name, x in collection],
        ignore_index=True,
    )


def long_collection(length=LENGTH, seed=23):
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    return [
        ("walk", np.cumsum(rng.normal(size=length))),
        ("seasonal", 3 * np.sin(2 * np.pi * t / 170) + rng.normal(scale=0.3, size=length)),
        ("short", rng.normal(size=40)),
    ]


def test_long_series_give_the_same_bytes_for_1_2_and_7_jobs():
    frame = frame_of(long_collection())
    settings = {k: v for k, v in pt.EfficientFCParameters().items()
                if k in pt.implemented_calculators()}
    results = [
        pt.extract_features(frame, column_id="id", column_sort="time",
                            default_fc_parameters=settings, n_jobs=n_jobs)
        for n_jobs in (1, 2, 7)
    ]  # fmt: skip
    for other in results[1:]:
        assert list(other.columns) == list(results[0].columns)
        assert other.to_numpy().tobytes() == results[0].to_numpy().tobytes()


def test_augmented_dickey_fuller_and_cwt_peaks_of_long_series_match_tsfresh():
    # Tolerances of test_timeseries_oracle: ADF statistic and p-value rtol 1e-9, the lag and the
    # peak counts exactly (random floats: no ties between neighbouring wavelet coefficients).
    pytest.importorskip("tsfresh")
    from tsfresh.feature_extraction.feature_calculators import (
        augmented_dickey_fuller,
        number_cwt_peaks,
    )

    collection = long_collection(ORACLE_LENGTH)[:2]
    adf_sets = [{"attr": a, "autolag": "AIC"} for a in ("teststat", "pvalue", "usedlag")]
    settings = {"augmented_dickey_fuller": adf_sets, "number_cwt_peaks": [{"n": 1}, {"n": 5}]}
    actual = pt.extract_features(frame_of(collection), column_id="id", column_sort="time",
                                 default_fc_parameters=settings, n_jobs=2)
    for name, values in collection[:1]:  # statsmodels' lag search is the slow part
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = dict(augmented_dickey_fuller(values, adf_sets))
        for key, want in expected.items():
            got = actual.loc[name, f"value__augmented_dickey_fuller__{key}"]
            if key.startswith('attr_"usedlag"'):
                assert got == want, (name, key)
            else:
                np.testing.assert_allclose(got, want, rtol=1e-9, err_msg=f"{name} {key}")
    for name, values in collection:
        for n in (1, 5):
            assert actual.loc[name, f"value__number_cwt_peaks__n_{n}"] == number_cwt_peaks(
                values, n
            ), (name, n)
