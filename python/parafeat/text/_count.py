"""CountVectorizer: scikit-learn's vocabulary counting, fitted and run by the native engine."""

import warnings
from collections.abc import Mapping

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
from parafeat._threads import MORSEL_ROWS, resolve_n_jobs, start_beside
from parafeat.text._params import (
    ANALYSIS_PARAMETERS,
    check_raw_documents,
    is_spark_mode,
    native_params,
    output_dtype,
    python_scalar,
    warn_for_unused_params,
    warn_if_stop_words_inconsistent,
)
from parafeat.text._spark_vocabulary import select_spark_columns
from parafeat.text._vocabulary import NoVocabularyError, VocabularyState, select_columns

def _csr(arrays, shape):
    data, indices, indptr = arrays
    return sp.csr_matrix((data, indices, indptr), shape=shape, copy=False)


def _validated_vocabulary(vocabulary):
    """A user-given vocabulary as {term: column}, checked as scikit-learn checks it."""
    if isinstance(vocabulary, set):
        vocabulary = sorted(vocabulary)
    if not isinstance(vocabulary, Mapping):
        mapping = {}
        for i, term in enumerate(vocabulary):
            if mapping.setdefault(term, i) != i:
                raise ValueError(f"Duplicate term in vocabulary: {term!r}")
        vocabulary = mapping
    else:
        indices = set(vocabulary.values())
        if len(indices) != len(vocabulary):
            raise ValueError("Vocabulary contains repeated indices.")
        for i in range(len(vocabulary)):
            if i not in indices:
                raise ValueError(
                    f"Vocabulary of size {len(vocabulary)} doesn't contain index {i}."
                )
    if not vocabulary:
        raise ValueError("empty vocabulary passed to fit")
    for term in vocabulary:
        if not isinstance(term, str):
            raise TypeError(f"vocabulary terms must be str, got {type(term).__name__} {term!r}")
    return dict(vocabulary)


class CountVectorizer(
    SparseOutputMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None
):
    r"""Convert text documents to a matrix of token counts.

    A drop-in for :class:`sklearn.feature_extraction.text.CountVectorizer`: the same parameters
    and defaults, the same matrices (``fit_transform`` keeps scikit-learn's within-row order:
    terms by first occurrence in the corpus; ``transform`` sorts columns) and the same
    ``vocabulary_``, computed in parallel by the native engine.

    Parameters
    ----------
    See scikit-learn's CountVectorizer; the text options are those of
    :class:`parafeat.text.HashingVectorizer`. ``max_df``, ``min_df``, ``max_features``
    (ties broken as scikit-learn breaks them), ``vocabulary``, ``binary`` and ``dtype`` (int64,
    int32, float64, float32) are supported.
    n_jobs : int or None, default=-1
        Threads to use: -1 (or None) for all CPUs, -2 for all but one, or a positive count.
    compat : {"sklearn", "spark"}, default="sklearn"
        Whose results to reproduce. ``"spark"`` gives what Spark ML's ``Tokenizer`` (or
        ``RegexTokenizer``) followed by ``CountVectorizer`` gives (pyspark 4, JDK 17): the
        tokenizer is chosen by ``token_pattern`` and ``lowercase`` exactly as in
        :class:`parafeat.text.HashingVectorizer`'s Spark mode, and

        - ``min_df`` / ``max_df`` are ``minDF`` / ``maxDF`` with scikit-learn's types: an int
          is a number of documents (Spark's ``minDF=2.0`` is ``min_df=2``), a float in
          [0.0, 1.0] a fraction of them (Spark's ``minDF=0.1`` is ``min_df=0.1``); the
          default ``max_df=1.0`` is Spark's default, no upper bound;
        - ``max_features`` is ``vocabSize``; its default stays ``None`` (no limit): pass
          ``max_features=2**18`` to match a CountVectorizer left at Spark's default;
        - ``min_tf`` is ``minTF`` with the same types (an int count, or a float fraction of the
          document's tokens, those outside the vocabulary included);
        - ``binary`` is ``binary``; ``dtype`` is the output dtype (Spark's is float64).

        The vocabulary is ordered as Spark orders it: by descending total count, equal counts
        in the order of Java's ``String.compareTo``. Rows (from ``fit_transform`` too) have
        sorted columns, as Spark's vectors. ``strip_accents``, ``stop_words``,
        ``preprocessor``, ``tokenizer``, ``ngram_range`` other than ``(1, 1)`` and
        ``analyzer`` other than ``"word"`` have no Spark counterpart and raise ``ValueError``.
    min_tf : int or float, default=1
        Spark's ``minTF`` (``compat="spark"`` only): the least count of a term in a document
        for the document's row to count it.

    Attributes
    ----------
    vocabulary_ : dict
        Term to column.
    fixed_vocabulary_ : bool
        True when ``vocabulary`` was given.
    fit_state_ : VocabularyState
        The corpus statistics the vocabulary was chosen from (not set for a given vocabulary);
        ``partial_fit`` adds to it. It holds every term seen, pruned or not, so it can be far
        larger than the vocabulary: see :meth:`discard_fit_state`.
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
        max_df=1.0,
        min_df=1,
        max_features=None,
        vocabulary=None,
        binary=False,
        dtype=np.int64,
        n_jobs=-1,
        compat="sklearn",
        min_tf=1,
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
        self.max_df = max_df
        self.min_df = min_df
        self.max_features = max_features
        self.vocabulary = vocabulary
        self.binary = binary
        self.dtype = dtype
        self.n_jobs = n_jobs
        self.compat = compat
        self.min_tf = min_tf

    _NATIVE_PARAMETERS = ANALYSIS_PARAMETERS + (
        "max_df", "min_df", "max_features", "binary", "dtype", "compat", "min_tf",
    )  # fmt: skip

    # scikit-learn counts into an array("i") (C int), the output's dtype when dtype=None.
    _DTYPE_OF_VALUES = np.intc

    # -- native helpers -------------------------------------------------------------------

    def _params(self):
        """The parameters for the native engine, validated there."""
        return native_params(self, self._NATIVE_PARAMETERS)

    def _count(self, raw_documents, keep_counts, progress=None):
        raw_documents = check_raw_documents(raw_documents)
        warn_if_stop_words_inconsistent(self)
        return _core.count_documents(
            self._params(), raw_documents, resolve_n_jobs(self.n_jobs), MORSEL_ROWS, keep_counts,
            progress,
        )  # fmt: skip

    def _transformer(self):
        """The native extractor of the fitted vocabulary and the current parameters, made again
        when either has changed: parameters set after fitting (``lowercase``, ``binary``,
        ``dtype``...) apply to the next transform, as in scikit-learn."""
        params = self._params()
        cached = getattr(self, "_native_transformer", None)
        if cached is not None and cached[0] is self.vocabulary_ and cached[1] == params:
            return cached[2]
        native = _core.Extractor(
            "count_vectorizer", {**params, "vocabulary": self._terms_by_column()}
        )
        self._native_transformer = (self.vocabulary_, params, native)
        return native

    def _use_state(self, state, chosen=None):
        """Takes the vocabulary from ``state`` (see select_columns), or the given one, and
        keeps ``state`` as fit_state_. Returns the column of each of the state's terms (-1 for a
        term outside the vocabulary). ``chosen``: the ``(columns, kept)`` that _select_columns
        gave for ``state`` already. On error (a state that gives no vocabulary), the vectorizer
        is left as it was."""
        if self._use_given_vocabulary():
            get = self.vocabulary_.get
            columns = np.array([get(term, -1) for term in state.terms()], dtype=np.int32)
        else:
            columns, kept = self._select_columns(state) if chosen is None else chosen
            self.vocabulary_ = state.vocabulary(kept)
            self.fixed_vocabulary_ = False
        self.fit_state_ = state
        return columns

    def _await_vocabulary(self, state):
        """Keeps ``state``, which gives no vocabulary yet, as fit_state_, and leaves the
        vectorizer unfitted until a later part of the corpus makes one (see partial_fit)."""
        self.fit_state_ = state
        vars(self).pop("vocabulary_", None)

    def _select_columns(self, state):
        """(columns, kept) of the vocabulary scikit-learn, or Spark in compat="spark" mode,
        chooses from ``state`` (see select_columns and select_spark_columns)."""
        if is_spark_mode(self):
            return select_spark_columns(
                state, max_df=self.max_df, min_df=self.min_df, max_features=self.max_features
            )
        return select_columns(
            state,
            max_df=self.max_df,
            min_df=self.min_df,
            max_features=self.max_features,
            binary=self.binary,
            dtype=output_dtype(self),
        )

    def _use_given_vocabulary(self):
        """Adopts the constructor's ``vocabulary``; returns whether there is one."""
        if self.vocabulary is None:
            return False
        self._params()  # validates the other parameters first, as fitting would
        self.vocabulary_ = _validated_vocabulary(self.vocabulary)
        if self.lowercase and any(term != term.lower() for term in self.vocabulary_):
            warnings.warn(
                "Upper case characters found in vocabulary while 'lowercase' is True. These "
                "entries will not be matched with any documents"
            )
        self.fixed_vocabulary_ = True
        return True

    # -- scikit-learn API -----------------------------------------------------------------

    def fit(self, raw_documents, y=None, progress=None):
        """Learn the vocabulary of ``raw_documents`` (a column of str or bytes, or a one-column
        table: see ``check_raw_documents``). ``progress``: a progress bar of the rows done (None:
        as ``parafeat.config(progress=...)`` says)."""
        self.fit_transform(raw_documents, progress=progress)
        return self

    def fit_transform(self, raw_documents, y=None, progress=None):
        """Learn the vocabulary and return the document-term matrix (scipy CSR)."""
        self._check_sparse_output()
        raw_documents = check_raw_documents(raw_documents)
        warn_for_unused_params(self)
        vars(self).pop("_fit_state_discarded", None)  # a new fit, which partial_fit may continue
        with RowsProgress(progress, f"{type(self).__name__}.fit") as bar:
            return self._fit_transform(raw_documents, bar)

    def _fit_transform(self, raw_documents, bar):
        if self._use_given_vocabulary():
            return CountVectorizer._transform(self, raw_documents, bar.pass_())
        if is_spark_mode(self):
            return self._spark_fit_transform(raw_documents, bar)
        corpus = self._count(raw_documents, keep_counts=True, progress=bar.pass_())
        state = VocabularyState(corpus.take_state())
        columns, kept = self._select_columns(state)
        threads = resolve_n_jobs(self.n_jobs)

        def lay_out():
            dtype = output_dtype(self).name
            return corpus.matrix(columns, len(kept), python_scalar(self.binary), dtype, threads)

        if threads == 1:
            self._use_state(state, (columns, kept))
            arrays = lay_out()
        else:
            # The matrix needs only the columns: it is laid out (natively, without the GIL)
            # while vocabulary_, a dict of Python strings, is built.
            wait = start_beside(lay_out)
            try:
                self._use_state(state, (columns, kept))
            finally:
                arrays = wait()
        return _csr(arrays, (state.n_documents, len(kept)))

    def _spark_fit_transform(self, raw_documents, bar):
        """Spark's CountVectorizer.fit then transform: the vocabulary from every document's
        counts, then each document's counts of it (minTF applied, columns sorted)."""
        documents = raw_documents if hasattr(raw_documents, "__len__") else list(raw_documents)
        counted = self._count(documents, keep_counts=False, progress=bar.pass_())
        CountVectorizer._use_state(self, VocabularyState(counted.take_state()))
        return CountVectorizer._transform(self, documents, bar.pass_())

    def transform(self, raw_documents, progress=None):
        """Count the vocabulary's terms in ``raw_documents``; columns sorted in each row.
        ``progress`` as in ``fit``."""
        self._check_sparse_output()
        with RowsProgress(progress, f"{type(self).__name__}.transform") as bar:
            return CountVectorizer._transform(self, raw_documents, bar.pass_())

    def _transform(self, raw_documents, progress):
        raw_documents = check_raw_documents(raw_documents)
        self._check_vocabulary()
        warn_if_stop_words_inconsistent(self)
        native = self._transformer()
        data, indices, indptr = native.transform_documents(
            raw_documents, resolve_n_jobs(self.n_jobs), MORSEL_ROWS, progress
        )
        matrix = _csr((data, indices, indptr), (len(indptr) - 1, len(self.vocabulary_)))
        matrix.has_canonical_format = True  # columns are sorted and unique within each row
        return matrix

    def partial_fit(self, raw_documents, y=None, progress=None):
        """Add ``raw_documents`` (the next part of the corpus) to ``fit_state_`` and choose the
        vocabulary from everything seen so far: after fitting a corpus part by part,
        ``vocabulary_`` equals that of one fit on the whole corpus. Parts that give no
        vocabulary yet (no terms, or none within ``min_df`` and ``max_df``, as with a first
        part of one document and ``min_df=2``) are kept, the vectorizer staying unfitted until
        the parts seen give one. On error, ``fit_state_`` is left as it was."""
        if getattr(self, "_fit_state_discarded", False):
            raise ValueError(
                "partial_fit cannot continue this fit: discard_fit_state() dropped the corpus "
                "statistics it adds to. Fit anew, or discard the state only after the last part"
            )
        with RowsProgress(progress, f"{type(self).__name__}.partial_fit") as bar:
            counted = self._count(raw_documents, keep_counts=False, progress=bar.pass_())
        state = VocabularyState(counted.take_state())
        previous = getattr(self, "fit_state_", None)
        merged = state if previous is None else previous.copy().merge(state)
        try:
            self._use_state(merged)
        except NoVocabularyError:
            self._await_vocabulary(merged)
        return self

    def discard_fit_state(self):
        """Drop ``fit_state_``, the statistics of every term seen that ``partial_fit`` needs to
        go on fitting. ``vocabulary_`` (and a TF-IDF vectorizer's ``idf_``) stay, so
        ``transform`` gives the same matrix, and a pickle holds about what scikit-learn's holds:
        with ``max_features=100`` over a corpus of 126,000 distinct terms, kilobytes instead of
        megabytes. Afterwards ``partial_fit`` raises ``ValueError``; ``fit`` starts anew."""
        self._check_vocabulary()
        vars(self).pop("fit_state_", None)
        self._fit_state_discarded = True
        return self

    def count_state(self, raw_documents):
        """The VocabularyState of ``raw_documents`` alone, leaving the vectorizer unchanged (for
        fitting parts of a corpus elsewhere, e.g. on Spark workers; merge them in corpus order
        and pass the result to :meth:`fit_from_state`)."""
        return VocabularyState(self._count(raw_documents, keep_counts=False).take_state())

    def count_arrow_state(self, batch, column, first_row=0, progress=None):
        """The VocabularyState of the string ``column`` of a pyarrow RecordBatch, read in place
        by the engine (no Python strings are made), leaving the vectorizer unchanged. Errors
        name rows counted from ``first_row`` (the batch's position in a larger input).
        ``progress``: None or a callable(rows_done, rows_total) the engine calls as it goes."""
        schema_capsule, array_capsule = batch.select([column]).__arrow_c_array__()
        warn_if_stop_words_inconsistent(self)
        return VocabularyState(
            _core.count_arrow(
                self._params(), schema_capsule, array_capsule, column,
                resolve_n_jobs(self.n_jobs), MORSEL_ROWS, first_row, progress,
            ).take_state()
        )  # fmt: skip

    def fit_from_state(self, state):
        """Choose the vocabulary from a (merged) VocabularyState counted with this vectorizer's
        parameters; equal to fitting on the documents the state counts."""
        expected = _core.count_spec(self._params())
        if state.spec != expected:
            raise ValueError(
                "the vocabulary state was counted with different text parameters:\n"
                f"{state.spec}--- this vectorizer has ---\n{expected}"
            )
        self._use_state(state)
        return self

    def __sklearn_is_fitted__(self):
        """Whether ``transform`` can run, as ``check_is_fitted`` asks: a vocabulary was fitted
        or given. ``fit_state_`` alone, from parts of a corpus that give no vocabulary yet, is
        not fitted."""
        return hasattr(self, "vocabulary_") or self.vocabulary is not None

    def _check_vocabulary(self):
        if not hasattr(self, "vocabulary_"):
            if not self._use_given_vocabulary():
                raise self._not_fitted_error()
        if len(self.vocabulary_) == 0:
            raise ValueError("Vocabulary is empty")

    def _not_fitted_error(self):
        """The NotFittedError of a vectorizer without a vocabulary: after parts of a corpus
        that give none yet, it says why."""
        state = getattr(self, "fit_state_", None)
        try:
            if state is not None:
                self._select_columns(state)
        except NoVocabularyError as reason:
            return NotFittedError(
                f"Vocabulary not fitted: the {state.n_documents} documents given to partial_fit "
                f"so far give none ({reason}); partial_fit more of the corpus"
            )
        return NotFittedError("Vocabulary not fitted or provided")

    def get_feature_names_out(self, input_features=None):
        """The terms, by column, as an object array."""
        self._check_vocabulary()
        return np.asarray(self._terms_by_column(), dtype=object)

    def _terms_by_column(self):
        """The fitted (or given) vocabulary's terms, as a list indexed by column."""
        terms = [None] * len(self.vocabulary_)
        for term, column in self.vocabulary_.items():
            terms[int(column)] = term  # a given vocabulary's columns may be 0.0, 1.0...
        return terms

    def inverse_transform(self, X):
        """The terms with nonzero entries in each row of ``X``, as arrays of str (numpy's
        ``<U`` dtype, as scikit-learn gives them)."""
        self._check_vocabulary()
        X = sp.csr_matrix(X)
        terms = np.asarray(self._terms_by_column(), dtype=str)
        return [terms[X[i].nonzero()[1]] for i in range(X.shape[0])]

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop("_native_transformer", None)  # rebuilt from vocabulary_ on first use
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
