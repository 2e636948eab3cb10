"""VocabularyState: the mergeable statistics CountVectorizer and TfidfVectorizer fit from, and
the choice of a vocabulary from them exactly as scikit-learn makes it."""

import numbers

import numpy as np

from parafeat import _core
from parafeat._atomic import atomic_write_bytes


class VocabularyState:
    """Corpus statistics a vocabulary is fitted from, mergeable across parts of a corpus.

    For each distinct term (in order of first occurrence) it holds the number of documents
    containing it and its total count, plus the number of documents. States of consecutive
    parts of a corpus, merged in corpus order, equal the state of the whole corpus byte for
    byte; ``to_bytes`` gives a versioned, checksummed encoding that also records the analysis
    parameters, so states counted under different parameters refuse to merge.
    """

    def __init__(self, native):
        self._native = native

    @classmethod
    def from_bytes(cls, data):
        """Reads a state from ``to_bytes`` output; a truncated, corrupted or foreign input, or
        one from another format version, raises ValueError saying which."""
        return cls(_core.VocabularyState.from_bytes(bytes(data)))

    def to_bytes(self) -> bytes:
        return self._native.to_bytes()

    @classmethod
    def load(cls, path):
        """Reads a state saved with :meth:`save`."""
        with open(path, "rb") as state_file:
            return cls.from_bytes(state_file.read())

    def save(self, path):
        """Writes the state to ``path`` atomically (a temporary file renamed on success)."""
        atomic_write_bytes(path, self.to_bytes())

    def copy(self):
        """An independent copy: merging into it leaves this state as it is."""
        return VocabularyState(self._native.copy())

    def merge(self, later):
        """Adds the statistics of ``later``, the state of the part of the corpus that follows
        this one's. Returns self."""
        self._native.merge(later._native)
        return self

    def merge_bytes(self, data):
        """``merge(VocabularyState.from_bytes(data))``, faster: the later state's terms go
        straight into this one's. Damaged data raises ValueError and leaves this state unusable
        (merge into a state you can drop, as fitting does). Returns self."""
        self._native.merge_bytes(bytes(data))
        return self

    @property
    def spec(self) -> str:
        """The analysis parameters the state was counted under, as canonical text."""
        return self._native.spec

    @property
    def n_documents(self) -> int:
        return self._native.num_documents

    def terms(self) -> list:
        """The distinct terms, in order of first occurrence in the corpus."""
        return self._native.terms()

    def document_frequency(self) -> np.ndarray:
        """Documents containing each term, in the order of :meth:`terms`."""
        return self._native.document_frequency()

    def term_frequency(self) -> np.ndarray:
        """Total count of each term, in the order of :meth:`terms`."""
        return self._native.term_frequency()

    def vocabulary(self, kept) -> dict:
        """{term: column} for the terms with indices ``kept`` (in ``terms()``), the term
        ``kept[c]`` taking column c: a vectorizer's vocabulary_."""
        return self._native.vocabulary(kept)

    def __reduce__(self):
        return (VocabularyState.from_bytes, (self.to_bytes(),))

    def __eq__(self, other):
        return isinstance(other, VocabularyState) and self.to_bytes() == other.to_bytes()

    def __repr__(self):
        return f"VocabularyState(n_documents={self.n_documents}, n_terms={len(self.terms())})"


class NoVocabularyError(ValueError):
    """The corpus statistics give no vocabulary: no terms, or none within ``min_df`` and
    ``max_df``. ``fit`` raises it; ``partial_fit`` waits for more of the corpus instead."""


def _sum_dtype(dtype):
    """The dtype scipy sums a count matrix of ``dtype`` in (integers widen to int64)."""
    dtype = np.dtype(dtype)
    return dtype if dtype.kind == "f" else np.dtype(np.int64)


def bounds_error(max_df, min_df):
    """The class of the error for a ``max_df`` below ``min_df``: NoVocabularyError when more
    documents can lift it above (a fraction ``max_df`` over a number ``min_df``), else
    ValueError, as no larger corpus can."""
    can_grow = not isinstance(max_df, numbers.Integral) and isinstance(min_df, numbers.Integral)
    return NoVocabularyError if can_grow else ValueError


def select_columns(state, *, max_df, min_df, max_features, binary, dtype):
    """The vocabulary CountVectorizer.fit keeps from ``state``'s corpus.

    Returns ``(columns, kept)``: ``columns[i]`` is the column of the i-th term of
    ``state.terms()`` (-1 if pruned) and ``kept[c]`` the index in ``state.terms()`` of the term
    of column c (``state.vocabulary(kept)`` is then the vocabulary_ dict). Follows
    scikit-learn's _limit_features on the alphabetically sorted features: document-frequency
    bounds, then the ``max_features`` most frequent terms chosen with numpy's
    argsort of the negated column sums (in the matrix dtype's sum type), so ties break exactly as
    there.
    """
    native = state._native
    if native.num_documents == 0 or native.num_terms == 0:
        raise NoVocabularyError("empty vocabulary; perhaps the documents only contain stop words")
    n_doc = native.num_documents
    max_doc_count = max_df if isinstance(max_df, numbers.Integral) else max_df * n_doc
    min_doc_count = min_df if isinstance(min_df, numbers.Integral) else min_df * n_doc
    if max_doc_count < min_doc_count:
        raise bounds_error(max_df, min_df)("max_df corresponds to < documents than min_df")

    order = native.sorted_order()
    dfs = native.document_frequency()[order]
    mask = (dfs <= max_doc_count) & (dfs >= min_doc_count)
    if max_features is not None and mask.sum() > max_features:
        counts = dfs if binary else native.term_frequency()[order]
        tfs = counts.astype(_sum_dtype(dtype))
        mask_inds = (-tfs[mask]).argsort()[:max_features]
        new_mask = np.zeros(len(dfs), dtype=bool)
        new_mask[np.where(mask)[0][mask_inds]] = True
        mask = new_mask
    kept = order[mask]
    if len(kept) == 0:
        raise NoVocabularyError(
            "After pruning, no terms remain. Try a lower min_df or a higher max_df."
        )
    columns = np.full(len(order), -1, dtype=np.int32)
    columns[kept] = np.arange(len(kept), dtype=np.int32)
    return columns, kept
