"""set_output as scikit-learn defines it. The text vectorizers' output is a sparse matrix: left as
it is by sklearn.set_config(transform_output=...) (as scikit-learn's own vectorizers), and
scikit-learn's own error when set_output asks for a DataFrame. Dense outputs (TimeSeriesFeatures)
become the frames scikit-learn's wrapping makes."""

import re

import numpy as np
import pandas as pd
import polars as pl
import pytest
import scipy.sparse as sp
import sklearn
from sklearn.base import clone
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction import text as sklearn_text
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from parafeat.text import CountVectorizer, HashingVectorizer, TfidfTransformer, TfidfVectorizer

DOCUMENTS = [
    "the quick brown fox", "jumps over the lazy dog", "the dog sleeps", "a fox and a dog",
    "quick quick quick", "lazy afternoon for the fox",
]  # fmt: skip

# Each parafeat vectorizer with its scikit-learn counterpart.
PAIRS = [
    (HashingVectorizer(n_features=64), sklearn_text.HashingVectorizer(n_features=64)),
    (CountVectorizer(), sklearn_text.CountVectorizer()),
    (TfidfVectorizer(), sklearn_text.TfidfVectorizer()),
]
VECTORIZERS = [ours for ours, _ in PAIRS]


def sklearn_sparse_output_error(container):
    """What scikit-learn raises when a transformer's sparse output is asked to be a DataFrame."""
    oracle = FunctionTransformer(sp.csr_matrix, feature_names_out="one-to-one", accept_sparse=True)
    with pytest.raises(ValueError) as raised:
        oracle.set_output(transform=container).fit_transform(np.eye(2))
    return str(raised.value)


@pytest.mark.parametrize("container", ["pandas", "polars"])
@pytest.mark.parametrize("vectorizer", VECTORIZERS)
def test_dataframe_output_of_a_sparse_matrix_is_sklearns_error(vectorizer, container):
    expected = re.escape(sklearn_sparse_output_error(container))
    with pytest.raises(ValueError, match=f"^{expected}$"):
        clone(vectorizer).set_output(transform=container).fit_transform(DOCUMENTS)
    fitted = clone(vectorizer).fit(DOCUMENTS).set_output(transform=container)
    with pytest.raises(ValueError, match=f"^{expected}$"):
        fitted.transform(DOCUMENTS)
    with pytest.raises(ValueError, match=f"^{expected}$"):
        clone(fitted).fit_transform(DOCUMENTS)  # clone keeps the output setting, as scikit-learn's


@pytest.mark.parametrize("container", ["pandas", "polars"])
def test_tfidf_transformer_dataframe_output_is_sklearns_error(container):
    counts = CountVectorizer().fit_transform(DOCUMENTS)
    transformer = TfidfTransformer().fit(counts).set_output(transform=container)
    with pytest.raises(ValueError, match=f"^{re.escape(sklearn_sparse_output_error(container))}$"):
        transformer.transform(counts)


@pytest.mark.parametrize("vectorizer", VECTORIZERS)
def test_default_output_is_the_sparse_matrix(vectorizer):
    expected = clone(vectorizer).fit_transform(DOCUMENTS)
    configured = clone(vectorizer).set_output(transform="pandas").set_output(transform="default")
    got = configured.fit_transform(DOCUMENTS)
    assert sp.issparse(got) and (got != expected).nnz == 0
    assert configured.set_output() is configured  # transform=None changes nothing


@pytest.mark.parametrize("container", ["pandas", "polars"])
@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
def test_global_transform_output_leaves_the_matrix_sparse_as_for_sklearns_vectorizers(
    ours, theirs, container
):
    with sklearn.config_context(transform_output=container):
        expected = clone(theirs).fit_transform(DOCUMENTS)
        got = clone(ours).fit_transform(DOCUMENTS)
    assert sp.issparse(expected) and sp.issparse(got)
    np.testing.assert_allclose(got.toarray(), expected.toarray(), rtol=0, atol=0)


def test_an_unknown_container_is_rejected():
    with pytest.raises(ValueError, match=r"output config must be in \['default', 'pandas', "):
        HashingVectorizer().set_output(transform="arrow")


def test_a_dense_step_after_a_vectorizer_gives_the_frame_sklearn_gives():
    def pipeline(vectorizer):
        svd = TruncatedSVD(n_components=2, random_state=0).set_output(transform="pandas")
        return make_pipeline(vectorizer, svd)

    series = pd.Series(DOCUMENTS, index=[f"doc{i}" for i in range(len(DOCUMENTS))])
    expected = pipeline(sklearn_text.TfidfVectorizer()).fit_transform(DOCUMENTS)
    got = pipeline(TfidfVectorizer()).fit_transform(series)
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("container", ["default", "pandas", "polars"])
def test_time_series_features_follow_set_output_as_sklearn_wraps_frames(container):
    from parafeat import timeseries
    frame = pd.DataFrame({
        "id": np.repeat(["b", "a", "c"], 6), "time": np.tile(np.arange(6), 3),
        "value": np.sin(np.arange(18.0)),
    })  # fmt: skip
    transformer = timeseries.TimeSeriesFeatures(
        default_fc_parameters={"mean": None, "maximum": None}, column_sort="time", n_jobs=1
    )
    default = clone(transformer).fit_transform(frame)
    # scikit-learn's wrapping of that frame, by a transformer that returns it.
    oracle = FunctionTransformer(
        lambda X: default, feature_names_out=lambda self, names: np.asarray(default.columns)
    )
    expected = oracle.set_output(transform=container).fit_transform(frame)
    got = clone(transformer).set_output(transform=container).fit_transform(frame)
    if container == "polars":
        assert isinstance(got, pl.DataFrame) and got.equals(expected)
    else:
        pd.testing.assert_frame_equal(got, expected)
        assert list(got.columns) == list(transformer.fit(frame).get_feature_names_out())
