"""The text vectorizers take the columns of numpy, pyarrow, pandas and polars as they take a
list of str, with the same matrices."""

import numpy as np
import pyarrow as pa
import pytest
from sklearn.base import clone

from parafeat.text import CountVectorizer, HashingVectorizer, TfidfVectorizer

DOCUMENTS = ["the quick brown fox", "jumps over the lazy dog", "Grüße aus Köln", "the fox"]


def _column(kind):
    if kind == "numpy":
        return np.array(DOCUMENTS)
    if kind == "pyarrow":
        return pa.array(DOCUMENTS)
    if kind == "pyarrow chunked large_string":
        return pa.chunked_array([DOCUMENTS[:1], DOCUMENTS[1:]], type=pa.large_string())
    if kind == "pandas":
        return pytest.importorskip("pandas").Series(DOCUMENTS)
    return pytest.importorskip("polars").Series(DOCUMENTS)


@pytest.mark.parametrize(
    "kind", ["numpy", "pyarrow", "pyarrow chunked large_string", "pandas", "polars"]
)
@pytest.mark.parametrize(
    "vectorizer", [HashingVectorizer(n_features=64), CountVectorizer(), TfidfVectorizer()]
)
def test_a_column_gives_the_matrix_of_the_same_list_of_str(vectorizer, kind):
    expected = clone(vectorizer).fit_transform(DOCUMENTS)
    fitted = clone(vectorizer)
    got = fitted.fit_transform(_column(kind))
    assert got.shape == expected.shape and (got != expected).nnz == 0
    assert (fitted.transform(_column(kind)) != fitted.transform(DOCUMENTS)).nnz == 0


def test_a_null_in_an_arrow_column_is_an_error_naming_its_row():
    with pytest.raises(TypeError, match="row 1"):
        HashingVectorizer(n_features=64).transform(pa.array(["a text", None]))
