"""TfidfTransformer and TfidfVectorizer: scikit-learn's TF-IDF weighting on the native engine.

The logarithms (idf_ and sublinear tf) are numpy's, as in scikit-learn: numpy's vectorised log
differs from the C library's in the last bit for some inputs on CPUs with AVX-512, so taking it
from numpy is what makes idf_ and the matrices equal to scikit-learn's to the last bit on every
machine. The engine counts the document frequencies (fit) and does the per-value weighting and
the row normalisation (transform), in parallel.
"""

import warnings

import numpy as np
import scipy.sparse as sp

from parafeat import _core
from parafeat._estimator import (
    BaseEstimator,
    NotFittedError,
    SparseOutputMixin,
    TransformerMixin,
)
from parafeat._progress import RowsProgress
from parafeat._threads import MORSEL_ROWS, resolve_n_jobs
from parafeat.text._count import CountVectorizer
from parafeat.text._params import is_spark_mode, native_params, output_dtype
from parafeat.text._spark_idf import SparkIdf

_FLOAT_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))


def _idf(n_samples, df, dtype, smooth_idf):
    """scikit-learn's idf: log((n + smooth) / (df + smooth)) + 1, in ``dtype``."""
    df = df.astype(dtype, copy=False)
    df += float(smooth_idf)
    n_samples += int(smooth_idf)
    idf = np.full_like(df, fill_value=n_samples, dtype=dtype)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return idf


def _as_csr(X):
    """``X`` as a CSR matrix of its own dtype (a view when it is one already)."""
    if sp.issparse(X):
        return sp.csr_matrix(X)
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(
            f"Expected a 2D array, got an array of shape {X.shape} instead. Reshape your data "
            "either using array.reshape(-1, 1) if your data has a single feature or "
            "array.reshape(1, -1) if it contains a single sample."
        )  # scikit-learn's advice, which its estimator checks look for
    return sp.csr_matrix(X)


def _float_dtype(dtype):
    """The dtype a count matrix of ``dtype`` is weighted in: its own if float64 or float32,
    else float64."""
    return dtype if dtype in _FLOAT_DTYPES else np.dtype(np.float64)


def _as_float_csr(X, copy):
    """``X`` as a CSR matrix of float64 or float32, converted as scikit-learn's validation
    converts it: other dtypes become float64 through scipy's ``astype``, which also sorts each
    row's indices (and sums duplicates), so a count matrix of integers comes out sorted."""
    X = _as_csr(X)
    if X.dtype not in _FLOAT_DTYPES:
        return X.astype(np.float64)
    return X.copy() if copy else X


def _check_count_matrix(X, estimator):
    """``X`` as a CSR matrix of its own dtype, after refusing, as scikit-learn's validation
    does, a matrix ``estimator`` cannot weigh: one of strings or complex numbers, without rows
    or columns, or holding NaN or an infinity. A matrix of dtype object (numbers held as Python
    objects) becomes float64, as scikit-learn converts it; a value that is not a number is a
    TypeError or ValueError from that conversion."""
    if not sp.issparse(X):
        X = np.asarray(X)
    if X.dtype == object:
        X = X.astype(np.float64)
    dtype = X.dtype
    if dtype.kind == "c":
        raise ValueError("Complex data not supported")
    if dtype.kind not in "biuf":
        raise ValueError(
            f"{type(estimator).__name__} takes a matrix of counts (numbers), got dtype {dtype}"
        )
    X = _as_csr(X)
    for axis, what in enumerate(("sample(s)", "feature(s)")):
        if X.shape[axis] == 0:
            raise ValueError(
                f"Found array with 0 {what} (shape={X.shape}) while a minimum of 1 is required "
                f"by {type(estimator).__name__}."
            )
    if dtype.kind == "f" and not np.isfinite(X.data).all():
        if np.isnan(X.data).any():
            raise ValueError("Input X contains NaN.")
        raise ValueError(f"Input X contains infinity or a value too large for {X.dtype!r}.")
    return X


def _column_names(X):
    """The column names of a table ``X`` (pandas or polars) when all are strings, else None."""
    names = getattr(X, "columns", None)
    if names is None or not all(isinstance(name, str) for name in names):
        return None
    return np.asarray(list(names), dtype=object)


class TfidfTransformer(
    SparseOutputMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None
):
    """Transform a count matrix to a normalized tf or tf-idf representation.

    A drop-in for :class:`sklearn.feature_extraction.text.TfidfTransformer` with the same
    parameters, ``idf_`` and output (CSR, same indices, indptr, data and dtype); the document
    frequencies, the weighting and the normalisation are computed in parallel by the native
    engine.

    Parameters
    ----------
    norm : {"l1", "l2"} or None, default="l2"
    use_idf : bool, default=True
    smooth_idf : bool, default=True
    sublinear_tf : bool, default=False
    n_jobs : int or None, default=-1
        Threads to use: -1 (or None) for all CPUs, -2 for all but one, or a positive count.
    """

    def __init__(self, *, norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=False, n_jobs=-1):
        self.norm = norm
        self.use_idf = use_idf
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf
        self.n_jobs = n_jobs

    def _check_params(self):
        if self.norm not in ("l1", "l2", None):
            raise ValueError(f"The 'norm' parameter must be 'l1', 'l2' or None, got {self.norm!r}")
        for name in ("use_idf", "smooth_idf", "sublinear_tf"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ValueError(f"The '{name}' parameter must be a bool, got {getattr(self, name)!r}")

    def fit(self, X, y=None):
        """Learn the idf vector (global term weights) from the count matrix ``X``."""
        self._check_params()
        names = _column_names(X)
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        # Not converted to float: a repeated entry counts twice, as in scikit-learn.
        X = _check_count_matrix(X, self)
        self.n_features_in_ = X.shape[1]
        if self.use_idf:
            df = _core.count_columns(X.indices, X.shape[1], resolve_n_jobs(self.n_jobs))
            self.idf_ = _idf(X.shape[0], df, _float_dtype(X.dtype), self.smooth_idf)
        elif hasattr(self, "idf_"):
            del self.idf_
        return self

    def transform(self, X, copy=True):
        """Weight and normalise the count matrix ``X``; returns a CSR matrix."""
        self._check_sparse_output()
        self._check_params()
        self._check_fitted()
        names = _column_names(X)
        fitted_names = getattr(self, "feature_names_in_", None)
        if names is not None and fitted_names is not None and list(names) != list(fitted_names):
            raise ValueError(
                "The feature names should match those that were passed during fit: got "
                f"{list(names)}, fitted on {list(fitted_names)}"
            )
        X = _as_float_csr(_check_count_matrix(X, self), copy=copy)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input."
            )
        return self._weigh(X)

    def _weigh(self, X):
        """Weights and normalises the float CSR matrix ``X`` in place; returns it."""
        if self.sublinear_tf:
            np.log(X.data, X.data)
            X.data += 1.0
        idf = getattr(self, "idf_", None)
        _core.weight_rows(
            X.data,
            X.indices,
            X.indptr,
            None if idf is None else np.ascontiguousarray(idf, dtype=np.float64),
            X.shape[1],
            self.norm,
            resolve_n_jobs(self.n_jobs),
            MORSEL_ROWS,
        )
        return X

    def _check_fitted(self):
        if not hasattr(self, "n_features_in_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # count matrices are sparse, as CountVectorizer gives them
        return tags

    def get_feature_names_out(self, input_features=None):
        """The output's column names: those of the input, as scikit-learn's one-to-one
        transformers give them (``input_features``, the fitted DataFrame's columns, or x0,
        x1, ...)."""
        self._check_fitted()
        fitted_names = getattr(self, "feature_names_in_", None)
        if input_features is None:
            if fitted_names is not None:
                return fitted_names.copy()
            return np.asarray([f"x{i}" for i in range(self.n_features_in_)], dtype=object)
        input_features = np.asarray(input_features, dtype=object)
        if fitted_names is not None and not np.array_equal(input_features, fitted_names):
            raise ValueError("input_features is not equal to feature_names_in_")
        if len(input_features) != self.n_features_in_:
            raise ValueError(
                "input_features should have length equal to number of features "
                f"({self.n_features_in_}), got {len(input_features)}"
            )
        return input_features


class TfidfVectorizer(CountVectorizer, auto_wrap_output_keys=None):
    """Convert text documents to a matrix of TF-IDF features.

    A drop-in for :class:`sklearn.feature_extraction.text.TfidfVectorizer`: CountVectorizer
    followed by TfidfTransformer, with both classes' parameters, ``vocabulary_``, ``idf_`` and
    matrices equal to scikit-learn's to the last bit. ``dtype`` is float64 or float32.

    With ``compat="spark"`` it is Spark ML's tokenizer, ``CountVectorizer`` and ``IDF``: the
    counting parameters (``min_df``, ``max_df``, ``max_features``, ``min_tf``, ``binary``,
    ``token_pattern``, ``lowercase``) as in :class:`CountVectorizer`'s Spark mode, then each
    count times ``idf_ = log((m + 1) / (df + 1))`` (m documents, df of them with the term after
    ``min_tf``), 0 for terms in fewer than ``min_doc_freq`` documents (Spark's
    ``minDocFreq``). Spark does not normalise: ``norm`` is accepted at ``"l2"`` (its default)
    or None and does nothing, ``smooth_idf`` at True (Spark's formula); ``use_idf=False``,
    ``sublinear_tf=True`` and a dtype other than float64 raise ``ValueError``. The log is the C
    library's; Spark's (HotSpot's Math.log) differs from it in the last bit for some
    arguments, so an idf weight can be 1 ulp from Spark's. With a ``min_tf`` other than 1 the
    idf depends on every document's counts: fit with ``fit``/``fit_transform``, not
    ``partial_fit`` or ``fit_from_state``.

    Parameters
    ----------
    See :class:`CountVectorizer` and :class:`TfidfTransformer`, and:
    min_doc_freq : int, default=0
        Spark's ``IDF.minDocFreq`` (``compat="spark"`` only).
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
        analyzer="word",
        stop_words=None,
        token_pattern=r"(?u)\b\w\w+\b",
        ngram_range=(1, 1),
        max_df=1.0,
        min_df=1,
        max_features=None,
        vocabulary=None,
        binary=False,
        dtype=np.float64,
        norm="l2",
        use_idf=True,
        smooth_idf=True,
        sublinear_tf=False,
        n_jobs=-1,
        compat="sklearn",
        min_tf=1,
        min_doc_freq=0,
    ):
        super().__init__(
            input=input,
            encoding=encoding,
            decode_error=decode_error,
            strip_accents=strip_accents,
            lowercase=lowercase,
            preprocessor=preprocessor,
            tokenizer=tokenizer,
            analyzer=analyzer,
            stop_words=stop_words,
            token_pattern=token_pattern,
            ngram_range=ngram_range,
            max_df=max_df,
            min_df=min_df,
            max_features=max_features,
            vocabulary=vocabulary,
            binary=binary,
            dtype=dtype,
            n_jobs=n_jobs,
            compat=compat,
            min_tf=min_tf,
        )
        self.min_doc_freq = min_doc_freq
        self.norm = norm
        self.use_idf = use_idf
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf

    _WEIGHTING_PARAMETERS = ("norm", "use_idf", "smooth_idf", "sublinear_tf", "min_doc_freq")

    def _params(self):
        params = native_params(self, self._NATIVE_PARAMETERS + self._WEIGHTING_PARAMETERS)
        if not is_spark_mode(self):
            self._check_sklearn_mode_params()
            params["dtype"] = self._weights_dtype().name  # other dtypes become float64, warned
        self._validate_in_engine(params)
        return super()._params()

    def _check_sklearn_mode_params(self):
        """Refuses a Spark-only min_doc_freq and warns, as scikit-learn does, of a dtype that is
        not a float type."""
        if self.min_doc_freq != 0:
            raise ValueError(
                f"min_doc_freq={self.min_doc_freq!r} is Spark's IDF.minDocFreq: it needs "
                "compat='spark'"
            )
        if output_dtype(self) not in _FLOAT_DTYPES:
            warnings.warn(
                f"Only float64 and float32 'dtype' should be used. {self.dtype!r} 'dtype' will "
                "be converted to np.float64.",
                UserWarning,
            )

    def _validate_in_engine(self, params):
        """Builds the engine's tfidf_vectorizer of ``params`` (counting and weighting
        parameters), as a pipeline runs it, so that every parameter error names tfidf_vectorizer
        (the counting itself runs a count_vectorizer); once per distinct ``params``: building
        one reads the stop words and compiles the token pattern, several times the cost of
        transforming a short document."""
        if vars(self).get("_params_validated") != params:
            _core.Extractor("tfidf_vectorizer", params)
            self._params_validated = params

    def _weights_dtype(self):
        """The dtype of idf_ and of the output: dtype if it is a float type, else float64."""
        return _float_dtype(output_dtype(self))

    def _new_tfidf(self):
        if is_spark_mode(self):
            return SparkIdf(min_doc_freq=self.min_doc_freq, n_jobs=self.n_jobs)
        return TfidfTransformer(
            norm=self.norm,
            use_idf=self.use_idf,
            smooth_idf=self.smooth_idf,
            sublinear_tf=self.sublinear_tf,
            n_jobs=self.n_jobs,
        )

    def _use_state(self, state, chosen=None):
        if is_spark_mode(self) and self.min_tf != 1:
            raise ValueError(
                "with compat='spark' and min_tf other than 1, Spark's idf counts documents after "
                "min_tf, which a vocabulary state does not record: fit on the documents instead"
            )
        tfidf = self._new_tfidf()  # its parameters were validated by _params, before counting
        columns = super()._use_state(state, chosen)
        kept = columns >= 0
        df = np.zeros(len(self.vocabulary_), dtype=np.int64)
        df[columns[kept]] = state.document_frequency()[kept]
        if is_spark_mode(self):
            tfidf.fit_counts(state.n_documents, df)
        else:
            # What TfidfTransformer.fit counts from the matrix, known here without a pass over it.
            tfidf.n_features_in_ = len(self.vocabulary_)
            if self.use_idf:
                tfidf.idf_ = _idf(state.n_documents, df, self._weights_dtype(), self.smooth_idf)
        self._tfidf = tfidf
        return columns

    def _await_vocabulary(self, state):
        super()._await_vocabulary(state)
        vars(self).pop("_tfidf", None)

    @property
    def idf_(self):
        """Inverse document frequency vector, by column (only with use_idf=True)."""
        if not hasattr(self, "_tfidf"):
            raise NotFittedError(
                f"{type(self).__name__} is not fitted yet: idf_ is set by fit"
            )
        return self._tfidf.idf_

    @idf_.setter
    def idf_(self, value):
        if not self.use_idf:
            raise ValueError("`idf_` cannot be set when `user_idf=False`.")
        if not hasattr(self, "_tfidf"):
            self._tfidf = self._new_tfidf()  # idf_ may be set before fitting, as in scikit-learn
        if not hasattr(self, "vocabulary_"):
            self._use_given_vocabulary()
        if hasattr(self, "vocabulary_") and len(self.vocabulary_) != len(value):
            raise ValueError(
                f"idf length = {len(value)} must be equal to vocabulary size = "
                f"{len(self.vocabulary_)}"
            )
        self._tfidf.idf_ = value
        self._tfidf.n_features_in_ = len(value)

    def fit(self, raw_documents, y=None, progress=None):
        """Learn the vocabulary and idf of ``raw_documents`` (``progress`` as in
        CountVectorizer.fit)."""
        self.fit_transform(raw_documents, progress=progress)
        return self

    def fit_transform(self, raw_documents, y=None, progress=None):
        """Learn the vocabulary and idf, and return the TF-IDF matrix."""
        X = super().fit_transform(raw_documents, progress=progress)
        if self.fixed_vocabulary_ or is_spark_mode(self):
            self._tfidf = self._new_tfidf().fit(X)
        return self._weigh_counts(X)

    def transform(self, raw_documents, progress=None):
        """The TF-IDF matrix of ``raw_documents`` with the fitted vocabulary and idf."""
        if not hasattr(self, "_tfidf"):
            if hasattr(self, "fit_state_"):
                raise self._not_fitted_error()  # says why partial_fit has no vocabulary yet
            raise NotFittedError("The TF-IDF vectorizer is not fitted")
        X = super().transform(raw_documents, progress=progress)
        return self._weigh_counts(X)

    def __sklearn_is_fitted__(self):
        """Whether ``transform`` can run, as ``check_is_fitted`` asks: the weighting is set, by
        fitting (or by setting ``idf_`` with a given vocabulary)."""
        return hasattr(self, "_tfidf")

    def _weigh_counts(self, X):
        """The TF-IDF matrix of this vectorizer's own count matrix ``X``, which needs none of
        TfidfTransformer's checks of its input."""
        if is_spark_mode(self):
            return self._tfidf.transform(X, copy=False)
        return self._tfidf._weigh(_as_float_csr(X, copy=False))
