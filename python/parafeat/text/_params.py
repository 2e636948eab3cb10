"""What every text vectorizer does with its parameters and input before the engine runs."""

import functools
import warnings

import numpy as np

from parafeat import _core
from parafeat._threads import MORSEL_ROWS

_CALLABLE_PARAMETERS = ("preprocessor", "tokenizer", "analyzer", "strip_accents")

# Numbers that scikit-learn checks as numbers.Integral or Real, which a bool is: True is 1.
_NUMBER_PARAMETERS = ("max_df", "min_df", "max_features", "n_features")

# The parameters that decide how a document becomes terms, shared by every vectorizer.
ANALYSIS_PARAMETERS = (
    "input", "encoding", "decode_error", "strip_accents", "lowercase", "preprocessor",
    "tokenizer", "stop_words", "token_pattern", "ngram_range", "analyzer",
)  # fmt: skip


def english_stop_words():
    """scikit-learn's English stop word list, sorted (parafeat does not ship a copy)."""
    return list(_sorted_english_stop_words())


@functools.cache
def _sorted_english_stop_words():
    """Sorted once: the parameters are read on every call, a short transform's included."""
    try:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    except ImportError:
        raise ImportError(
            "stop_words='english' is scikit-learn's list; install scikit-learn to use it, or "
            "pass your own list of words"
        ) from None
    return tuple(sorted(ENGLISH_STOP_WORDS))


def is_spark_mode(estimator):
    """Whether the estimator reproduces Spark ML (compat="spark")."""
    return getattr(estimator, "compat", "sklearn") == "spark"


def output_dtype(estimator):
    """``estimator.dtype`` as a numpy dtype. For ``dtype=None`` scikit-learn lets scipy keep the
    dtype of the values it builds, the vectorizer's ``_DTYPE_OF_VALUES``."""
    dtype = estimator.dtype
    return np.dtype(estimator._DTYPE_OF_VALUES if dtype is None else dtype)


def native_params(estimator, names):
    """The estimator's parameters ``names`` in the form the native extractor validates."""
    params = {}
    for name in names:
        value = getattr(estimator, name)
        if name in _CALLABLE_PARAMETERS and callable(value) and is_spark_mode(estimator):
            value = "<callable>"  # the engine rejects it: Spark has no such option
        elif name in _CALLABLE_PARAMETERS and callable(value):
            raise NotImplementedError(
                f"{type(estimator).__name__}({name}=<callable>) is not supported: the native "
                f"engine runs its built-in text processing only; pass a built-in option for {name}"
            )
        if name == "dtype":
            value = output_dtype(estimator).name
        elif name in _NUMBER_PARAMETERS and isinstance(value, bool):
            value = int(value)
        elif name == "stop_words" and isinstance(value, str) and value == "english":
            value = english_stop_words()
        elif name == "stop_words" and value is not None and not isinstance(value, str):
            value = list(value)  # any collection of words, as scikit-learn accepts
        params[name] = value
    return params


def python_scalar(value):
    """``value`` as the native calls that take a bare bool, int or float read it: a numpy
    scalar (``np.True_``, ``np.int64(2)``, as grid searches over numpy arrays give) becomes the
    Python value it holds; other values are returned as they are. (Parameters passed in a dict,
    through native_params, are converted by the engine.)"""
    return value.item() if isinstance(value, np.generic) else value


_DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"


def warn_for_unused_params(estimator):
    """scikit-learn's warnings (its _warn_for_unused_params, run where it runs it: at the start
    of fitting) for the parameters that ``analyzer`` or ``tokenizer`` make unused."""
    unused = []
    if estimator.tokenizer is not None and estimator.token_pattern is not None:
        unused.append(("token_pattern", "'tokenizer' is not None'"))
    if estimator.preprocessor is not None and callable(estimator.analyzer):
        unused.append(("preprocessor", "'analyzer' is callable'"))
    ngram_range = estimator.ngram_range
    if isinstance(ngram_range, np.ndarray):  # any sequence of two ints, checked by the engine
        ngram_range = tuple(ngram_range.tolist())
    if ngram_range != (1, 1) and ngram_range is not None and callable(estimator.analyzer):
        unused.append(("ngram_range", "'analyzer' is callable'"))
    if estimator.analyzer != "word" or callable(estimator.analyzer):
        if estimator.stop_words is not None:
            unused.append(("stop_words", "'analyzer' != 'word'"))
        pattern = estimator.token_pattern
        if pattern is not None and pattern != _DEFAULT_TOKEN_PATTERN:
            unused.append(("token_pattern", "'analyzer' != 'word'"))
        if estimator.tokenizer is not None:
            unused.append(("tokenizer", "'analyzer' != 'word'"))
    for name, reason in unused:
        warnings.warn(f"The parameter '{name}' will not be used since {reason}")


def warn_if_stop_words_inconsistent(estimator):
    """scikit-learn's warning when the preprocessing and tokenizing turn stop words into tokens
    that are not stop words (such stop words are never removed), given where it gives it: when
    documents are analysed, once per ``stop_words`` object. The engine analyses the stop words
    as documents, in one small pass."""
    if estimator.stop_words is None or estimator.analyzer != "word" or is_spark_mode(estimator):
        return
    if id(estimator.stop_words) == getattr(estimator, "_stop_words_id", None):
        return
    params = native_params(estimator, ANALYSIS_PARAMETERS)
    stop_words = params["stop_words"]
    params.update(stop_words=None, ngram_range=(1, 1))
    counted = _core.count_documents(params, stop_words, 1, MORSEL_ROWS, False, None)
    estimator._stop_words_id = id(estimator.stop_words)
    inconsistent = sorted(set(counted.take_state().terms()).difference(stop_words))
    if inconsistent:
        warnings.warn(
            "Your stop_words may be inconsistent with your preprocessing. Tokenizing the stop "
            f"words generated tokens {inconsistent!r} not in stop_words."
        )


def check_documents(documents):
    """Raises the error the vectorizers raise for the first value of ``documents`` that is not
    a str (or bytes): a TypeError or ValueError naming its row, from the engine's own reading of
    documents."""
    _core.Extractor("hashing_vectorizer", {}).transform_documents(documents, 1, MORSEL_ROWS, None)


def _library(data):
    """The top-level package of ``data``'s type ("pandas", "polars", "pyarrow", "numpy"...)."""
    return type(data).__module__.split(".")[0]


def _only_column(data):
    """The one column of a one-column table (pandas or polars DataFrame, pyarrow Table or
    RecordBatch, 2-D numpy array); other values are returned as they are."""
    library = _library(data)
    if library == "numpy" and getattr(data, "ndim", 1) == 2:
        columns = [f"column {i}" for i in range(data.shape[1])]
        take = lambda: data[:, 0]  # noqa: E731
    elif library == "pandas" and hasattr(data, "columns"):
        columns = [str(c) for c in data.columns]
        take = lambda: data.iloc[:, 0]  # noqa: E731
    elif library == "polars" and hasattr(data, "columns"):
        columns = list(data.columns)
        take = data.to_series
    elif library == "pyarrow" and hasattr(data, "column_names"):
        columns = list(data.column_names)
        take = lambda: data.column(0)  # noqa: E731
    else:
        return data
    if len(columns) != 1:
        raise ValueError(
            f"expected one column of documents, got a {type(data).__name__} with "
            f"{len(columns)} columns {columns[:5]}; select the text column (e.g. X['text'])"
        )
    return take()


def check_raw_documents(raw_documents):
    """Rejects a single string where an iterable of documents is expected, as scikit-learn does;
    returns the documents as the engine reads them. Takes a column of documents (a list, numpy
    array, pandas or polars Series, pyarrow Array or ChunkedArray) or a one-column table (pandas
    or polars DataFrame, pyarrow Table or RecordBatch, numpy array of shape (n, 1)). A pyarrow
    column becomes a list of str; nulls (None, NaN) and values that are not str or bytes are
    errors naming their row, raised by the engine."""
    if isinstance(raw_documents, str):
        raise ValueError("Iterable over raw text documents expected, string object received.")
    if _library(raw_documents) == "polars" and type(raw_documents).__name__ == "LazyFrame":
        raise TypeError(
            "got a polars LazyFrame, a query not yet run: call .collect() on it and pass the "
            "DataFrame (or its text column)"
        )
    raw_documents = _only_column(raw_documents)
    if _library(raw_documents) == "pyarrow" and hasattr(raw_documents, "to_pylist"):
        return raw_documents.to_pylist()
    return raw_documents
