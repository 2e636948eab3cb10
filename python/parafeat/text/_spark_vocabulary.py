"""The vocabulary Spark ML's CountVectorizer.fit chooses, from a VocabularyState."""

import math
import numbers

import numpy as np

from parafeat.text._vocabulary import NoVocabularyError, bounds_error


def _document_count(bound, n_documents):
    """A min_df/max_df bound as a number of documents: an int is a count, a float a fraction."""
    return bound if isinstance(bound, numbers.Integral) else bound * n_documents


def select_spark_columns(state, *, max_df, min_df, max_features):
    """The vocabulary of Spark's CountVectorizer.fit on ``state``'s corpus.

    Returns ``(columns, kept)`` as :func:`select_columns` does. Keeps the terms whose
    document frequency is within [min_df, max_df] (Spark's minDF and maxDF, compared in double
    as Spark compares them), then the ``max_features`` (vocabSize) of them with the highest
    total counts, by descending count and, among equal counts, in the order of Java's
    String.compareTo: the order Spark 4 gives, whatever the partitioning. Where Spark would
    keep no term (and fit an empty vocabulary) this raises NoVocabularyError instead.
    """
    native = state._native
    n_documents = native.num_documents
    min_count = _document_count(min_df, n_documents)
    # max_df's default, the fraction 1.0, is Spark's default maxDF: no bound at all.
    no_max = max_df == 1.0 and not isinstance(max_df, numbers.Integral)
    max_count = math.inf if no_max else _document_count(max_df, n_documents)
    if max_count < min_count:
        raise bounds_error(max_df, min_df)(
            "maxDF must be >= minDF: max_df corresponds to fewer documents than min_df"
        )
    dfs = native.document_frequency()
    candidates = np.flatnonzero((dfs >= min_count) & (dfs <= max_count))
    limit = len(candidates) if max_features is None else max_features
    kept = native.spark_vocabulary_order(candidates, limit)
    if len(kept) == 0:
        raise NoVocabularyError(
            "After pruning, no terms remain (Spark 4 would fit an empty vocabulary, with a "
            "warning). Lower min_df or raise max_df."
        )
    columns = np.full(len(dfs), -1, dtype=np.int32)
    columns[kept] = np.arange(len(kept), dtype=np.int32)
    return columns, kept
