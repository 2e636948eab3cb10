"""HashingVectorizer: scikit-learn's stateless hashing of terms, run by the native engine."""

import numpy as np
import scipy.sparse as sp

from parafeat import _core
from parafeat._estimator import BaseEstimator, SparseOutputMixin, TransformerMixin
from parafeat._progress import RowsProgress
from parafeat._threads import MORSEL_ROWS, resolve_n_jobs
from parafeat.text._params import (
    ANALYSIS_PARAMETERS,
    check_raw_documents,
    native_params,
    warn_for_unused_params,
    warn_if_stop_words_inconsistent,
)

class HashingVectorizer(
    SparseOutputMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None
):
    r"""Convert text documents to a matrix of hashed token occurrences.

    A drop-in for :class:`sklearn.feature_extraction.text.HashingVectorizer` with the same
    parameters and defaults and the same output (a ``scipy.sparse.csr_matrix`` with identical
    indices, indptr, data and dtype), computed in parallel by parafeat's native engine.

    Parameters
    ----------
    See scikit-learn's HashingVectorizer. Supported natively: ``encoding``, ``decode_error``,
    ``strip_accents`` ("ascii", "unicode"), ``lowercase``, ``stop_words`` (a list of words, or
    "english" for scikit-learn's list, taken from the installed scikit-learn),
    ``ngram_range``, ``analyzer`` ("word", "char", "char_wb"), ``n_features``, ``binary``,
    ``norm`` ("l1", "l2", None), ``alternate_sign`` and ``dtype`` (float64, float32).
    ``token_pattern``: any pattern, with Python ``re`` semantics (see the README for what is
    not supported). Callables raise a clear error instead of being ignored.
    n_jobs : int or None, default=-1
        Threads to use: -1 (or None) for all CPUs, -2 for all but one, or a positive count.
    compat : {"sklearn", "spark"}, default="sklearn"
        Whose results to reproduce. ``"spark"`` gives exactly what Spark ML's
        ``Tokenizer`` (or ``RegexTokenizer``) followed by ``HashingTF`` gives, as
        ``pyspark.ml.feature`` computes it on JDK 17: Java's ``String.toLowerCase()``,
        MurmurHash3 x86_32 with seed 42 over each term's UTF-8 bytes, the column
        ``nonNegativeMod(hash, n_features)``, term counts as values, no sign and no norm.
        In that mode:

        - ``n_features`` is HashingTF's ``numFeatures``. Its default stays scikit-learn's
          ``2**20``; pass ``n_features=2**18`` to match a HashingTF left at Spark's default.
        - ``binary`` is HashingTF's ``binary``.
        - ``token_pattern`` left at scikit-learn's default selects Spark's ``Tokenizer``
          (lower-case, split on each ASCII whitespace character, empty tokens kept); any
          other value selects ``RegexTokenizer(pattern=token_pattern, gaps=True,
          minTokenLength=1, toLowercase=lowercase)``, e.g. ``token_pattern=r"\s+"`` for
          RegexTokenizer's default. Patterns made of one character class (``\s``, ``\W``,
          ``[,;\s]``, ``[^a-z]``...), optionally followed by ``+``, are supported; others
          raise ``NotImplementedError`` naming ``token_pattern``.
        - ``lowercase=False`` needs a ``token_pattern`` (Spark's ``Tokenizer`` always
          lower-cases).
        - Options Spark has no counterpart for (``strip_accents``, ``stop_words``,
          ``preprocessor``, ``tokenizer``, ``ngram_range`` other than ``(1, 1)``,
          ``analyzer`` other than ``"word"``, ``norm="l1"``, ``dtype`` other than float64)
          raise ``ValueError``. ``norm`` and ``alternate_sign`` at their defaults (or at
          ``None`` and ``False``) are accepted and do what Spark does: nothing.
    """

    def __init__(
        self,
        *,
        input="content",
        encoding="utf-8",
        decode_error="strict",
        strip_accents=None,
        lowercase=True,
        preprocessor=None,
        tokenizer=None,
        stop_words=None,
        token_pattern=r"(?u)\b\w\w+\b",
        ngram_range=(1, 1),
        analyzer="word",
        n_features=(2**20),
        binary=False,
        norm="l2",
        alternate_sign=True,
        dtype=np.float64,
        n_jobs=-1,
        compat="sklearn",
    ):
        self.input = input
        self.encoding = encoding
        self.decode_error = decode_error
        self.strip_accents = strip_accents
        self.lowercase = lowercase
        self.preprocessor = preprocessor
        self.tokenizer = tokenizer
        self.stop_words = stop_words
        self.token_pattern = token_pattern
        self.ngram_range = ngram_range
        self.analyzer = analyzer
        self.n_features = n_features
        self.binary = binary
        self.norm = norm
        self.alternate_sign = alternate_sign
        self.dtype = dtype
        self.n_jobs = n_jobs
        self.compat = compat

    _NATIVE_PARAMETERS = ANALYSIS_PARAMETERS + (
        "n_features", "binary", "norm", "alternate_sign", "dtype", "compat",
    )  # fmt: skip

    # The dtype of scikit-learn's output for dtype=None: its hasher's float64 values.
    _DTYPE_OF_VALUES = np.float64

    def _native(self):
        return _core.Extractor("hashing_vectorizer", native_params(self, self._NATIVE_PARAMETERS))

    def partial_fit(self, X, y=None):
        """Only validates the parameters: hashing needs no fitting."""
        self._native()
        return self

    def fit(self, X, y=None):
        """Only validates the parameters and rejects a single string: hashing needs no fitting."""
        X = check_raw_documents(X)
        warn_for_unused_params(self)
        self._native()
        return self

    def transform(self, X, progress=None):
        """Transform documents (str or bytes) into a sparse matrix.

        ``X`` is a column of documents or a one-column table (see ``check_raw_documents``).
        Returns a ``scipy.sparse.csr_matrix`` of shape (n_samples, n_features). Errors name the
        row: ``TypeError`` for a value that is not str or bytes, ``ValueError`` for NaN, and for
        bytes that do not decode the codec's own error (``UnicodeDecodeError``...), as
        scikit-learn raises it. ``progress``: a progress bar of the rows done (None: as
        ``parafeat.config(progress=...)`` says).
        """
        self._check_sparse_output()
        X = check_raw_documents(X)
        native = self._native()
        warn_if_stop_words_inconsistent(self)
        threads = resolve_n_jobs(self.n_jobs)
        with RowsProgress(progress, "HashingVectorizer.transform") as bar:
            data, indices, indptr = native.transform_documents(X, threads, MORSEL_ROWS, bar.pass_())
        n_samples = len(indptr) - 1
        if n_samples == 0:
            raise ValueError("Cannot vectorize empty sequence.")
        matrix = sp.csr_matrix(
            (data, indices, indptr), shape=(n_samples, native.num_columns), copy=False
        )
        matrix.has_canonical_format = True  # indices are sorted and unique within each row
        return matrix

    def fit_transform(self, X, y=None, progress=None):
        """Same as ``fit(X).transform(X)``."""
        return self.fit(X, y).transform(X, progress=progress)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags
