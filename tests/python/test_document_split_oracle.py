"""Large documents split across threads (the executor's intra-document parallelism, used for
documents of 64 KiB and more when n_jobs > 1) give exactly scikit-learn's rows."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction import text as sk

from corpora import ADVERSARIAL_CORPUS
from csr_assertions import assert_same_csr
from parafeat.text import CountVectorizer, HashingVectorizer, TfidfVectorizer

# Pieces of text whose joins exercise every cut rule: words, runs of (non-ASCII) whitespace,
# final sigmas, combining marks, and the adversarial corpus's lines.
PIECES = ADVERSARIAL_CORPUS[:14] + ["ΑΣ ", "Σ.", " e\u0301", "\u3000", "  ", "\n", "ab cd ef "]


def large_documents(seed_lists):
    """Documents over 64 KiB built from the pieces chosen by hypothesis, repeated."""
    documents = []
    for choice in seed_lists:
        unit = "".join(PIECES[i % len(PIECES)] for i in choice) or "empty"
        repeats = 70_000 // max(len(unit.encode()), 1) + 1
        documents.append(unit * repeats)
    return documents


ANALYZERS = [
    {"analyzer": "word", "ngram_range": (1, 1)},
    {"analyzer": "word", "ngram_range": (1, 3), "stop_words": ["ab"]},
    {"analyzer": "char", "ngram_range": (2, 5)},
    {"analyzer": "char_wb", "ngram_range": (1, 4)},
    {"analyzer": "word", "ngram_range": (2, 2), "strip_accents": "unicode", "lowercase": False},
]


@pytest.mark.parametrize("params", ANALYZERS, ids=lambda p: f"{p['analyzer']}{p['ngram_range']}")
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(choices=st.lists(st.lists(st.integers(0, 100), min_size=1, max_size=30), min_size=1,
                        max_size=2))  # fmt: skip
def test_split_large_documents_match_sklearn(params, choices):
    documents = large_documents(choices)
    ours = HashingVectorizer(n_features=2**12, n_jobs=2, **params).transform(documents)
    theirs = sk.HashingVectorizer(n_features=2**12, **params).transform(documents)
    assert_same_csr(ours, theirs)


@pytest.mark.parametrize("params", ANALYZERS[1:3], ids=lambda p: p["analyzer"])
def test_split_count_and_tfidf_transform_match_sklearn(params):
    fit_on = large_documents([[1, 5, 9, 14, 20], [3, 4, 5, 30, 31, 60]])
    queries = large_documents([[9, 5, 1, 2], [31, 30, 61, 7]])
    for ours, theirs in [
        (CountVectorizer(n_jobs=2, **params), sk.CountVectorizer(**params)),
        (TfidfVectorizer(n_jobs=2, sublinear_tf=True, **params),
         sk.TfidfVectorizer(sublinear_tf=True, **params)),
    ]:  # fmt: skip
        ours.fit(fit_on)
        theirs.fit(fit_on)
        assert_same_csr(ours.transform(queries), theirs.transform(queries))
