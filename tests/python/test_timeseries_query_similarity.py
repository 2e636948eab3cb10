"""query_similarity_count with a query, against tsfresh (which takes its distances from stumpy's
MASS, z-normalized, or from plain Euclidean distances with normalize=False).

Tolerance: stumpy finds each window's correlation with the query from dot products taken by FFT,
parafeat sums them over centred values, so a distance within rounding of the threshold may fall
on either side (an exact copy of the query is at 0, or at rounding noise up to about 1e-7). So a
count must equal tsfresh's wherever no window of stumpy's distance profile lies within 1e-6 of
the threshold, and lie between stumpy's counts at threshold - 1e-6 and threshold + 1e-6 where
one does. Feature names equal tsfresh's for queries given as lists.
"""

import warnings

import numpy as np
import pytest

import parafeat.timeseries as pt
from timeseries_data import long_frame

tsfresh = pytest.importorskip("tsfresh")
stumpy = pytest.importorskip("stumpy")
from tsfresh.utilities.string_manipulation import convert_to_output_format  # noqa: E402

ROUNDING = 1e-6
NAME = "query_similarity_count"


def collection():
    """Series holding exact copies, scaled copies and mirror images of a motif, plateaus
    (constant windows) and an infinity."""
    rng = np.random.default_rng(11)
    motif = np.array([0.0, 1.0, 3.0, 2.0, -1.0, 0.5])
    walk = np.cumsum(rng.normal(size=300))
    for start, scale, shift in [(20, 1.0, 0.0), (90, 3.0, -2.0), (200, -1.0, 4.0)]:
        walk[start:start + 6] = scale * motif + shift
    plateaus = np.repeat(rng.integers(-2, 3, size=40), 5).astype(float)
    with_inf = rng.normal(size=80)
    with_inf[33] = np.inf
    return [
        ("motifs_300", walk),
        ("noise_120", rng.normal(size=120)),
        ("plateaus_200", plateaus),
        ("seasonal_400", np.sin(np.arange(400) * 2 * np.pi / 25)),
        ("with_inf_80", with_inf),
    ]


def parameter_sets(series):
    motif = [0.0, 1.0, 3.0, 2.0, -1.0, 0.5]
    queries = [
        motif,
        [float(v) for v in series[0][1][40:48]],  # a window of the first series
        [1.0, 1.0, 1.0, 1.0],  # constant: matches the plateaus' constant windows only
        [0.0, 1.0, 0.0, -1.0, 0.0],
        [1, 2, 3],  # ints, the shortest query stumpy takes
    ]
    sets = []
    for query in queries:
        for threshold in (0.0, 1e-3, 0.5, 2.0):
            sets.append({"query": query, "threshold": threshold})
        sets.append({"query": query, "threshold": 1.5, "normalize": False})
    sets.append({"query": None, "threshold": 0.0})  # tsfresh's default: NaN
    sets.append({"query": [1.0, 2.0], "threshold": 1.0})  # too short for stumpy: NaN
    return sets


def stumpy_distances(values, params):
    query = np.asarray(params["query"], dtype=float)
    if params.get("normalize", True):
        return stumpy.core.mass(query, values)
    return stumpy.core.mass_absolute(query, values)


@pytest.fixture(scope="module")
def features():
    series = collection()
    frame = long_frame(series)
    settings = {NAME: parameter_sets(series)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = tsfresh.extract_features(frame, column_id="id", column_sort="time",
                                          default_fc_parameters=settings, n_jobs=0,
                                          disable_progressbar=True)  # fmt: skip
    ours = pt.extract_features(frame, column_id="id", column_sort="time",
                               default_fc_parameters=settings, n_jobs=2)  # fmt: skip
    return series, settings, theirs, ours


def test_feature_names_equal_tsfresh_names_for_list_queries(features):
    _, _, theirs, ours = features
    assert list(ours.columns) == list(theirs.columns)


def test_counts_equal_tsfresh_away_from_the_threshold_and_stay_within_rounding_at_it(features):
    series, settings, theirs, ours = features
    checked_exactly = checked_near = 0
    for name, values in series:
        for params in settings[NAME]:
            column = f"value__{NAME}__{convert_to_output_format(params)}"
            mine, peer = ours.loc[name, column], theirs.loc[name, column]
            if params["query"] is None or len(params["query"]) < 3:
                assert np.isnan(mine) and np.isnan(peer), (name, column)
                continue
            distances = stumpy_distances(values, params)
            threshold = params["threshold"]
            low = np.sum(distances <= threshold - ROUNDING)
            high = np.sum(distances <= threshold + ROUNDING)
            if low == high:
                assert mine == peer, (name, column, mine, peer)
                checked_exactly += 1
            else:
                assert low <= mine <= high, (name, column, mine, low, high)
                checked_near += 1
    assert checked_exactly > 100 and checked_near > 0  # both branches were exercised


def test_copies_of_the_motif_are_found_at_any_scale_and_shift(features):
    _, settings, _, ours = features
    query = settings[NAME][0]["query"]
    column = f"value__{NAME}__{convert_to_output_format({'query': query, 'threshold': 1e-3})}"
    # Two copies, one scaled by 3 and shifted; the mirror image (scale -1) is not a match.
    assert ours.loc["motifs_300", column] == 2


def test_a_numpy_query_is_taken_as_its_list(features):
    series, _, _, _ = features
    frame = long_frame(series[:1])
    query = np.array([0.0, 1.0, 3.0, 2.0, -1.0, 0.5])
    as_array = pt.extract_features(
        frame, column_id="id", column_sort="time",
        default_fc_parameters={NAME: [{"query": query, "threshold": 1e-3}]},
    )  # fmt: skip
    as_list = pt.extract_features(
        frame, column_id="id", column_sort="time",
        default_fc_parameters={NAME: [{"query": query.tolist(), "threshold": 1e-3}]},
    )  # fmt: skip
    assert list(as_array.columns) == list(as_list.columns)
    assert as_array.iloc[0, 0] == as_list.iloc[0, 0] == 2


def test_a_query_that_is_not_numbers_names_the_key(features):
    series, _, _, _ = features
    with pytest.raises((TypeError, ValueError), match="'query'"):
        pt.extract_features(
            long_frame(series[:1]), column_id="id", column_sort="time",
            default_fc_parameters={NAME: [{"query": ["a", "b", "c"], "threshold": 0.0}]},
        )  # fmt: skip
