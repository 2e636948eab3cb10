"""parafeat.text.HashingVectorizer gives scikit-learn's matrix, bit for bit."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import HashingVectorizer as SklearnHashingVectorizer
from sklearn.utils import murmurhash3_32

from corpora import ADVERSARIAL_CORPUS, documents_strategy
from csr_assertions import assert_same_csr
from parafeat.text import HashingVectorizer

PARAMETER_GRID = [
    {},
    {"n_features": 16},
    {"n_features": 2**31 - 1},
    {"ngram_range": (1, 3)},
    {"ngram_range": (2, 2)},
    {"analyzer": "char", "ngram_range": (1, 4)},
    {"analyzer": "char", "ngram_range": (3, 5)},
    {"analyzer": "char_wb", "ngram_range": (1, 3)},
    {"analyzer": "char_wb", "ngram_range": (2, 6)},
    {"norm": "l1"},
    {"norm": None},
    {"alternate_sign": False},
    {"binary": True},
    {"binary": True, "alternate_sign": False, "norm": None},
    {"lowercase": False},
    {"dtype": np.float32},
    {"dtype": np.float32, "norm": "l1", "ngram_range": (1, 2)},
    {"n_features": 7, "alternate_sign": True, "norm": None},  # collisions cancel to explicit 0
    {"strip_accents": "ascii"},
    {"strip_accents": "unicode"},
    {"strip_accents": "unicode", "analyzer": "char_wb", "ngram_range": (1, 3)},
    {"strip_accents": "ascii", "analyzer": "char", "ngram_range": (2, 3), "lowercase": False},
    {"stop_words": ["hello", "world", "straße", "text", "and"]},
    {"stop_words": ["in", "chars"], "ngram_range": (1, 3), "strip_accents": "ascii"},
    {"stop_words": ["ignored", "by", "char", "analyzers"], "analyzer": "char"},
    {"stop_words": "english"},
]


def _both(params, documents, n_jobs=2):
    ours = HashingVectorizer(n_jobs=n_jobs, **params).transform(documents)
    theirs = SklearnHashingVectorizer(**params).transform(documents)
    return ours, theirs


@pytest.mark.parametrize("params", PARAMETER_GRID, ids=repr)
def test_matches_sklearn_on_adversarial_corpus(params):
    ours, theirs = _both(params, ADVERSARIAL_CORPUS)
    assert_same_csr(ours, theirs)


def test_keeps_explicit_zeros_where_signs_cancel():
    # In one column, a token with a positive hash and one with a negative hash sum to an exact
    # zero, which scikit-learn keeps as a stored entry (also under l2 norm and binary).
    tokens = [f"tok{i}" for i in range(100)]
    positive = next(t for t in tokens if murmurhash3_32(t, seed=0) >= 0)
    negative = next(t for t in tokens if murmurhash3_32(t, seed=0) < 0)
    documents = [f"{positive} {negative}", f"{positive} {negative} {positive}"]
    for params in ({"n_features": 1, "norm": None}, {"n_features": 1}, {"n_features": 1, "binary": True}):
        ours, theirs = _both(params, documents)
        assert_same_csr(ours, theirs)
    ours, theirs = _both({"n_features": 1, "norm": None}, documents)
    assert_same_csr(ours, theirs)
    assert (theirs.data == 0).any(), "the corpus should produce an explicit zero"


def test_column_mapping_matches_sklearn_for_odd_n_features():
    # |h| mod n over many terms with negative hashes, for an n_features that is not a power of 2.
    documents = [" ".join(f"w{i:05d}" for i in range(20000))]
    ours, theirs = _both({"n_features": 1_000_003, "norm": None}, documents)
    assert_same_csr(ours, theirs)


def test_very_long_document_matches_sklearn():
    rng = np.random.default_rng(7)
    words = np.array(["alpha", "beta", "γάμμα", "дельта", "エプシロン", "zeta😀", "Eta", "ΘΗΤΑΣ"])
    document = " ".join(rng.choice(words, size=300_000))  # ~2 MB in one row
    ours, theirs = _both({"ngram_range": (1, 2)}, [document, "short"])
    assert_same_csr(ours, theirs)


@pytest.mark.parametrize("n_jobs", [1, 2, 8])
def test_output_bytes_do_not_depend_on_thread_count(n_jobs):
    documents = [f"document {i} " + "token " * (i % 17) + "ΣΟΦΙΑ" * (i % 3) for i in range(5000)]
    reference = HashingVectorizer(n_jobs=1).transform(documents)
    assert_same_csr(HashingVectorizer(n_jobs=n_jobs).transform(documents), reference)


params_strategy = st.fixed_dictionaries(
    {
        "analyzer": st.sampled_from(["word", "char", "char_wb"]),
        "ngram_range": st.tuples(st.integers(1, 3), st.integers(0, 2)).map(
            lambda t: (t[0], t[0] + t[1])
        ),
        "n_features": st.sampled_from([1, 2, 5, 1024, 2**20, 2**31 - 1]),
        "norm": st.sampled_from(["l1", "l2", None]),
        "binary": st.booleans(),
        "alternate_sign": st.booleans(),
        "lowercase": st.booleans(),
        "dtype": st.sampled_from([np.float64, np.float32]),
        "strip_accents": st.sampled_from([None, "ascii", "unicode"]),
        "stop_words": st.sampled_from([None, ["ab", "σς", "ss", "x_y", "数据"], []]),
    }
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents=documents_strategy, params=params_strategy)
def test_matches_sklearn_on_generated_unicode(documents, params):
    ours, theirs = _both(params, documents)
    assert_same_csr(ours, theirs)


def test_accepts_bytes_decoded_like_sklearn():
    documents = ["plain".encode(), "café Σ".encode("utf-8"), b"caf\xe9 latin-1 \xff"]
    for params in ({"decode_error": "replace"}, {"decode_error": "ignore"}):
        ours, theirs = _both(params, documents)
        assert_same_csr(ours, theirs)
    ours, theirs = _both({"encoding": "latin-1"}, [b"caf\xe9 na\xefve"])
    assert_same_csr(ours, theirs)


def test_accepts_generators_and_numpy_arrays():
    documents = ["one two", "three four five", ""]
    expected = SklearnHashingVectorizer().transform(documents)
    assert_same_csr(HashingVectorizer().transform(d for d in documents), expected)
    assert_same_csr(HashingVectorizer().transform(np.array(documents)), expected)
    assert_same_csr(HashingVectorizer().transform(np.array(documents, dtype=object)), expected)
