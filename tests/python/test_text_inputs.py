"""The text vectorizers take the columns of numpy, pyarrow, pandas and polars, and one-column
tables of them, as they take a list of str, with the same matrices; a null or a value that is
not a string is an error naming its row."""

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from sklearn.base import clone

from parafeat.text import CountVectorizer, HashingVectorizer, TfidfVectorizer

DOCUMENTS = ["the quick brown fox", "jumps over the lazy dog", "Grüße aus Köln", "the fox"]

COLUMNS = {
    "numpy": lambda: np.array(DOCUMENTS),
    "numpy object": lambda: np.array(DOCUMENTS, dtype=object),
    "pyarrow": lambda: pa.array(DOCUMENTS),
    "pyarrow chunked large_string": lambda: pa.chunked_array(
        [DOCUMENTS[:1], DOCUMENTS[1:]], type=pa.large_string()
    ),
    "pandas": lambda: pd.Series(DOCUMENTS),
    "pandas with an index": lambda: pd.Series(DOCUMENTS, index=[10, 3, 7, 1]),
    "pandas object": lambda: pd.Series(DOCUMENTS, dtype=object),
    "polars": lambda: pl.Series(DOCUMENTS),
    # One-column tables: the column is the documents.
    "numpy (n, 1)": lambda: np.array(DOCUMENTS)[:, None],
    "pandas DataFrame": lambda: pd.DataFrame({"text": DOCUMENTS}, index=[10, 3, 7, 1]),
    "polars DataFrame": lambda: pl.DataFrame({"text": DOCUMENTS}),
    "pyarrow Table": lambda: pa.table({"text": DOCUMENTS}),
    "pyarrow RecordBatch": lambda: pa.record_batch({"text": DOCUMENTS}),
}

VECTORIZERS = [HashingVectorizer(n_features=64), CountVectorizer(), TfidfVectorizer()]


@pytest.mark.parametrize("kind", list(COLUMNS))
@pytest.mark.parametrize("vectorizer", VECTORIZERS)
def test_a_column_gives_the_matrix_of_the_same_list_of_str(vectorizer, kind):
    expected = clone(vectorizer).fit_transform(DOCUMENTS)
    fitted = clone(vectorizer)
    got = fitted.fit_transform(COLUMNS[kind]())
    assert got.shape == expected.shape and (got != expected).nnz == 0
    assert (fitted.transform(COLUMNS[kind]()) != fitted.transform(DOCUMENTS)).nnz == 0
    refitted = clone(vectorizer).fit(COLUMNS[kind]()).transform(DOCUMENTS)
    assert (refitted != clone(vectorizer).fit(DOCUMENTS).transform(DOCUMENTS)).nnz == 0


NULLS = {
    "pyarrow null": (lambda: pa.array(["a text", None]), TypeError, "got NoneType"),
    "pandas None": (lambda: pd.Series(["a text", None], dtype=object), TypeError, "NoneType"),
    "pandas str NaN": (lambda: pd.Series(["a text", None]), ValueError, "np.nan is an invalid"),
    "pandas NA": (lambda: pd.Series(["a text", None], dtype="string[python]"), TypeError, "NAType"),
    "polars null": (lambda: pl.Series(["a text", None]), TypeError, "got NoneType"),
    "numpy None": (lambda: np.array(["a text", None]), TypeError, "got NoneType"),
    "pandas DataFrame None": (
        lambda: pd.DataFrame({"text": ["a text", None]}, dtype=object), TypeError, "NoneType"
    ),
    "polars DataFrame null": (
        lambda: pl.DataFrame({"text": ["a text", None]}), TypeError, "got NoneType"
    ),
    "pyarrow Table null": (lambda: pa.table({"text": ["a text", None]}), TypeError, "NoneType"),
}


@pytest.mark.parametrize("kind", list(NULLS))
@pytest.mark.parametrize("vectorizer", VECTORIZERS)
def test_a_null_is_an_error_naming_its_row(vectorizer, kind):
    column, error, message = NULLS[kind]
    with pytest.raises(error, match=f"row 1: .*{message}") as raised:
        clone(vectorizer).fit_transform(column())
    assert raised.value.row == 1


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (lambda: pd.Series(["a text", 42], dtype=object), "got int"),
        (lambda: pl.Series(["a text", 2.5], dtype=pl.Object), "got float"),
        (lambda: np.array(["a text", ["nested"]], dtype=object), "got list"),
    ],
)
def test_a_value_that_is_not_a_string_is_an_error_naming_its_row(column, message):
    expected = f"row 1: expected a document of type str or bytes, {message}"
    with pytest.raises(TypeError, match=expected):
        CountVectorizer().fit(column())


@pytest.mark.parametrize(
    "table",
    [
        lambda: pd.DataFrame({"text": DOCUMENTS, "title": DOCUMENTS}),
        lambda: pl.DataFrame({"text": DOCUMENTS, "title": DOCUMENTS}),
        lambda: pa.table({"text": DOCUMENTS, "title": DOCUMENTS}),
    ],
)
def test_a_table_of_several_columns_is_an_error_naming_them(table):
    expected = r"one column of documents, .* 2 columns \['text', 'title'\]; select the text"
    with pytest.raises(ValueError, match=expected):
        HashingVectorizer().transform(table())


@pytest.mark.parametrize("vectorizer", [HashingVectorizer, CountVectorizer, TfidfVectorizer])
def test_a_polars_lazy_frame_is_a_type_error_saying_to_collect_it(vectorizer):
    with pytest.raises(TypeError, match=r"polars LazyFrame.*call \.collect\(\) on it"):
        vectorizer().fit_transform(pl.LazyFrame({"text": DOCUMENTS}))


@pytest.mark.parametrize("vectorizer", ["CountVectorizer", "TfidfVectorizer"])
def test_an_ngram_range_of_any_sequence_of_two_ints_is_taken(vectorizer):
    from sklearn.feature_extraction import text as sklearn_text

    import parafeat.text as parafeat_text

    ours = getattr(parafeat_text, vectorizer)(ngram_range=np.array([1, 2]))
    theirs = getattr(sklearn_text, vectorizer)(ngram_range=(1, 2))
    assert (ours.fit_transform(DOCUMENTS) != theirs.fit_transform(DOCUMENTS)).nnz == 0
    assert ours.vocabulary_ == theirs.vocabulary_


def test_a_numpy_matrix_of_several_columns_is_an_error():
    with pytest.raises(ValueError, match=r"one column of documents, got a ndarray with 2 columns"):
        HashingVectorizer().transform(np.array([DOCUMENTS, DOCUMENTS]).T)


def _sigma_at(position, after, lead=""):
    """A str whose capital sigma is code point ``position``: cased letters before it (after
    ``lead``), then ``after``."""
    return lead + "Α" * (position - len(lead)) + "Σ" + after


# A str is lowered while it is encoded, 2**16 code points at a time: these put a capital sigma,
# whose lower case depends on its neighbours, and a dotted capital I, whose lower case is two code
# points, on both sides of the first piece boundary, in 2-byte and 4-byte strs (the emoji lead).
PIECE = 2**16
PIECE_EDGE_DOCUMENTS = [
    doc
    for lead in ("", "😀 ")
    for doc in (
        _sigma_at(PIECE - 1, " final", lead),
        _sigma_at(PIECE, " final", lead),
        _sigma_at(PIECE - 1, "Β not final", lead),
        _sigma_at(PIECE - 1, "'Β not final past an apostrophe", lead),
        lead + " " * (PIECE - 1 - len(lead)) + "ΣΑ after a space",
        lead + "x" * (PIECE - 1 - len(lead)) + "İİ dotted",
    )
]


@pytest.mark.parametrize(
    "vectorizer",
    [CountVectorizer(), CountVectorizer(analyzer="char"), HashingVectorizer(n_features=2**12)],
    ids=["count words", "count chars", "hashing"],
)
def test_strs_lowered_while_encoded_match_scikit_learn_at_the_encoders_piece_edges(vectorizer):
    from sklearn.feature_extraction import text as sklearn_text

    ours_only = ("n_jobs", "compat", "min_tf")
    params = {k: v for k, v in vectorizer.get_params().items() if k not in ours_only}
    oracle = getattr(sklearn_text, type(vectorizer).__name__)(**params)
    expected = oracle.fit_transform(PIECE_EDGE_DOCUMENTS)
    for documents in (PIECE_EDGE_DOCUMENTS, pa.array(PIECE_EDGE_DOCUMENTS)):
        fitted = clone(vectorizer)
        got = fitted.fit_transform(documents)
        assert got.shape == expected.shape and (got != expected).nnz == 0
        if isinstance(vectorizer, CountVectorizer):
            assert fitted.vocabulary_ == oracle.vocabulary_
            assert (fitted.transform(documents) != oracle.transform(PIECE_EDGE_DOCUMENTS)).nnz == 0


def test_every_code_point_is_lowered_as_python_lowers_it():
    # Character unigrams of every scalar value, 4096 to a document, next to its neighbours (the
    # final-sigma context), through both encoders: a str lowered while it is encoded, and Arrow's
    # UTF-8 lowered by the analyzer. scikit-learn lowers with Python's str.lower().
    from sklearn.feature_extraction.text import CountVectorizer as SklearnCountVectorizer

    code_points = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    documents = [code_points[i : i + 4096] for i in range(0, len(code_points), 4096)]
    oracle = SklearnCountVectorizer(analyzer="char")
    expected = oracle.fit_transform(documents)
    for given in (documents, pa.array(documents)):
        fitted = CountVectorizer(analyzer="char")
        got = fitted.fit_transform(given)
        assert fitted.vocabulary_ == oracle.vocabulary_
        assert got.shape == expected.shape and (got != expected).nnz == 0


BAD_BYTES = [b"ok doc", b"bad \xff byte"]


def _sklearn_error(vectorizer, documents):
    """The exception scikit-learn's namesake of ``vectorizer`` raises on ``documents``."""
    from sklearn.feature_extraction import text as sklearn_text

    theirs = getattr(sklearn_text, type(vectorizer).__name__)()
    params = {k: v for k, v in vectorizer.get_params().items() if k in theirs.get_params()}
    with pytest.raises(Exception) as raised:
        theirs.set_params(**params).fit_transform(documents)
    return raised.value


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "ascii", "rot13"])
@pytest.mark.parametrize("vectorizer", VECTORIZERS)
def test_bytes_that_do_not_decode_raise_sklearns_error_naming_the_row(vectorizer, encoding):
    # utf-8-sig is a codec written in Python; rot13 is not a text encoding (a LookupError).
    vectorizer = clone(vectorizer).set_params(encoding=encoding)
    theirs = _sklearn_error(vectorizer, BAD_BYTES)
    with pytest.raises(type(theirs)) as raised:
        vectorizer.fit_transform(BAD_BYTES)
    ours = raised.value
    row = 0 if encoding == "rot13" else 1
    assert type(ours) is type(theirs) and ours.row == row
    assert "\n" not in str(ours) and f"row {row}" in str(ours)
    assert str(theirs) in str(ours)
    assert type(ours.__cause__) is type(theirs) and str(ours.__cause__) == str(theirs)
    if isinstance(theirs, UnicodeDecodeError):
        assert ours.args[:4] == theirs.args[:4]  # encoding, object, start, end


@pytest.mark.parametrize("vectorizer", VECTORIZERS)
def test_an_unknown_encoding_is_a_lookup_error_naming_the_parameter(vectorizer):
    vectorizer = clone(vectorizer).set_params(encoding="no-such-codec")
    theirs = _sklearn_error(vectorizer, BAD_BYTES)
    with pytest.raises(LookupError, match="encoding='no-such-codec' names no codec") as raised:
        vectorizer.fit_transform(BAD_BYTES)
    assert type(raised.value) is type(theirs) and str(theirs) in str(raised.value)
    assert raised.value.row is None
    # As in scikit-learn, the encoding is only looked up to decode bytes.
    clone(vectorizer).fit_transform(DOCUMENTS)
