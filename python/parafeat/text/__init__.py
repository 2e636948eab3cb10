"""Text vectorizers with scikit-learn's signatures and results, run by the native engine.

:class:`HashingVectorizer`, :class:`CountVectorizer`, :class:`TfidfVectorizer` and
:class:`TfidfTransformer` are drop-ins for their scikit-learn namesakes: same parameters and
defaults, same matrices (indices, indptr, data and dtype) and fitted attributes, plus ``n_jobs``.
Fitting is a mergeable :class:`VocabularyState`, so a corpus fitted in parts (``partial_fit``,
Spark partitions) gives exactly the vocabulary and idf of fitting it whole.
"""

from parafeat.text._count import CountVectorizer
from parafeat.text._hashing import HashingVectorizer
from parafeat.text._tfidf import TfidfTransformer, TfidfVectorizer
from parafeat.text._vocabulary import VocabularyState

__all__ = [
    "CountVectorizer",
    "HashingVectorizer",
    "TfidfTransformer",
    "TfidfVectorizer",
    "VocabularyState",
]
