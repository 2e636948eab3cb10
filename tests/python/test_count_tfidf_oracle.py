"""parafeat.text CountVectorizer, TfidfVectorizer and TfidfTransformer give scikit-learn's
vocabulary_, idf_ and matrices, bit for bit."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction import text as sklearn_text

from corpora import ADVERSARIAL_CORPUS, documents_strategy
from csr_assertions import assert_same_csr
from parafeat import text as parafeat_text


def zipf_corpus(n_documents, seed, vocabulary_size=400, words_per_document=30):
    """Documents of Zipf-distributed words: many ties in document and term frequencies."""
    rng = np.random.default_rng(seed)
    words = np.array([f"w{i}" for i in range(vocabulary_size)] + ["Straße", "ΟΔΟΣ", "数据"])
    ranks = np.minimum(rng.zipf(1.3, size=(n_documents, words_per_document)), len(words)) - 1
    return [" ".join(words[row]) for row in ranks]


TRAIN = ADVERSARIAL_CORPUS + zipf_corpus(300, seed=1)
TEST = zipf_corpus(50, seed=2) + ["unseen words only", "", "w1 w1 W1 ΟΔΟΣ"]

COUNT_GRID = [
    {},
    {"ngram_range": (1, 2)},
    {"analyzer": "char", "ngram_range": (2, 4)},
    {"analyzer": "char_wb", "ngram_range": (1, 3)},
    {"max_features": 10},
    {"max_features": 1},
    {"max_features": 57, "ngram_range": (1, 2)},
    {"max_features": 25, "binary": True},
    {"min_df": 2},
    {"min_df": 0.05},
    {"max_df": 0.5},
    {"max_df": 10, "min_df": 3},
    {"max_df": 0.9, "min_df": 0.01, "max_features": 40},
    {"binary": True},
    {"lowercase": False},
    {"strip_accents": "unicode"},
    {"stop_words": "english"},
    {"stop_words": ["w1", "w2", "straße"]},
    {"dtype": np.int32},
    {"dtype": np.float32, "max_features": 30},
    {"dtype": np.float64},
    {"dtype": None},  # scipy keeps scikit-learn's C int counts: int32
    {"min_df": True},  # a bool is an int to scikit-learn: 1
    {"max_features": True},
]

TFIDF_GRID = [
    {},
    {"norm": "l1"},
    {"norm": None},
    {"use_idf": False},
    {"smooth_idf": False},
    {"sublinear_tf": True},
    {"sublinear_tf": True, "norm": None, "smooth_idf": False},
    {"dtype": np.float32},
    {"dtype": np.float32, "sublinear_tf": True, "norm": "l1"},
    {"dtype": None},
    {"binary": True},
    {"max_features": 20, "ngram_range": (1, 2)},
    {"min_df": 2, "max_df": 0.8},
    {"analyzer": "char_wb", "ngram_range": (2, 3)},
]


def assert_same_vocabulary(ours, theirs):
    assert ours.vocabulary_ == theirs.vocabulary_
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())


def fit_both(ours_class, theirs_class, params, documents, n_jobs=2):
    ours = ours_class(n_jobs=n_jobs, **params)
    theirs = theirs_class(**params)
    return ours, theirs, ours.fit_transform(documents), theirs.fit_transform(documents)


@pytest.mark.parametrize("params", COUNT_GRID, ids=repr)
def test_count_vectorizer_matches_sklearn(params):
    ours, theirs, ours_x, theirs_x = fit_both(
        parafeat_text.CountVectorizer, sklearn_text.CountVectorizer, params, TRAIN
    )
    assert_same_vocabulary(ours, theirs)
    assert_same_csr(ours_x, theirs_x)
    assert_same_csr(ours.transform(TEST), theirs.transform(TEST))


@pytest.mark.parametrize("params", TFIDF_GRID, ids=repr)
def test_tfidf_vectorizer_matches_sklearn(params):
    ours, theirs, ours_x, theirs_x = fit_both(
        parafeat_text.TfidfVectorizer, sklearn_text.TfidfVectorizer, params, TRAIN
    )
    assert_same_vocabulary(ours, theirs)
    if ours.use_idf:
        assert ours.idf_.dtype == theirs.idf_.dtype
        assert ours.idf_.tobytes() == theirs.idf_.tobytes()
    assert_same_csr(ours_x, theirs_x)
    assert_same_csr(ours.transform(TEST), theirs.transform(TEST))


@pytest.mark.parametrize(
    "vocabulary",
    [
        ["w1", "w2", "straße", "absent"],
        {"w3": 1, "w1": 0, "数据": 2},
        {"w5", "w0", "w9"},
        {"w3": 1.0, "w1": 0.0, "数据": 2},  # columns equal to ints, as scikit-learn checks them
    ],
    ids=["list", "dict", "set", "float columns"],
)
@pytest.mark.parametrize("vectorizer", ["CountVectorizer", "TfidfVectorizer"])
def test_given_vocabulary_matches_sklearn(vocabulary, vectorizer):
    assert_fit_and_transform_match_sklearn(vectorizer, {"vocabulary": vocabulary})


def assert_fit_and_transform_match_sklearn(vectorizer, params):
    """``vectorizer`` (a class name) with ``params``: the same vocabulary and matrices as
    scikit-learn's on TRAIN (fit_transform) and TEST (transform)."""
    ours, theirs, ours_x, theirs_x = fit_both(
        getattr(parafeat_text, vectorizer), getattr(sklearn_text, vectorizer), params, TRAIN
    )
    assert_same_vocabulary(ours, theirs)
    assert_same_csr(ours_x, theirs_x)
    assert_same_csr(ours.transform(TEST), theirs.transform(TEST))


@pytest.mark.parametrize("binary", [np.True_, np.False_], ids=["np.True_", "np.False_"])
@pytest.mark.parametrize("vectorizer", ["CountVectorizer", "TfidfVectorizer"])
def test_numpy_bool_binary_matches_sklearn(binary, vectorizer):
    # As a grid search over np.array([True, False]) sets it.
    assert_fit_and_transform_match_sklearn(vectorizer, {"binary": binary})


def test_tfidf_vectorizer_dtype_none_warns_as_sklearn_warns():
    with pytest.warns(UserWarning, match="None 'dtype' will be converted to np.float64"):
        parafeat_text.TfidfVectorizer(dtype=None).fit(TRAIN)


@pytest.mark.parametrize("vectorizer", ["CountVectorizer", "TfidfVectorizer"])
def test_inverse_transform_gives_sklearns_arrays_of_str(vectorizer):
    ours, theirs, ours_x, theirs_x = fit_both(
        getattr(parafeat_text, vectorizer), getattr(sklearn_text, vectorizer), {}, TRAIN
    )
    for X in (theirs.transform(TEST), theirs.transform(TEST).toarray()):
        for ours_row, theirs_row in zip(ours.inverse_transform(X), theirs.inverse_transform(X)):
            assert ours_row.dtype == theirs_row.dtype
            np.testing.assert_array_equal(ours_row, theirs_row)


def test_tfidf_vectorizer_idf_can_be_set_before_fitting_as_in_sklearn():
    idf = np.array([1.0, 2.0, 3.0])
    ours, theirs = parafeat_text.TfidfVectorizer(), sklearn_text.TfidfVectorizer()
    ours.idf_ = theirs.idf_ = idf
    np.testing.assert_array_equal(ours.idf_, theirs.idf_)
    given = {"vocabulary": ["w1", "w2", "w3"]}
    ours, theirs = parafeat_text.TfidfVectorizer(**given), sklearn_text.TfidfVectorizer(**given)
    ours.idf_ = theirs.idf_ = idf
    assert_same_csr(ours.transform(TEST), theirs.transform(TEST))
    with pytest.raises(ValueError, match="idf length = 2 must be equal to vocabulary size = 3"):
        parafeat_text.TfidfVectorizer(**given).idf_ = idf[:2]


@pytest.mark.parametrize(
    "params",
    [{}, {"norm": "l1", "sublinear_tf": True}, {"use_idf": False}, {"smooth_idf": False}],
    ids=repr,
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_tfidf_transformer_matches_sklearn_on_count_matrices(params, dtype):
    rng = np.random.default_rng(3)
    counts = sp.random(200, 60, density=0.1, format="csr", random_state=rng) * 7
    counts.data = np.ceil(counts.data)
    counts = counts.astype(dtype)
    ours = parafeat_text.TfidfTransformer(**params).fit(counts)
    theirs = sklearn_text.TfidfTransformer(**params).fit(counts)
    if ours.use_idf:
        assert ours.idf_.tobytes() == theirs.idf_.tobytes()
    assert_same_csr(ours.transform(counts), theirs.transform(counts))
    dense = counts[:7].toarray()
    assert_same_csr(ours.transform(dense), sp.csr_matrix(theirs.transform(dense)))


def test_tfidf_of_integer_counts_with_unsorted_rows_matches_sklearn():
    # CountVectorizer's rows are in order of first occurrence, not sorted; converting integer
    # counts to float sorts them in scikit-learn (scipy's astype), and so in parafeat.
    counts = sklearn_text.CountVectorizer().fit_transform(TRAIN)
    assert counts.dtype == np.int64 and not counts.has_sorted_indices
    theirs = sklearn_text.TfidfTransformer().fit(counts).transform(counts)
    assert_same_csr(parafeat_text.TfidfTransformer().fit(counts).transform(counts), theirs)
    with pytest.warns(UserWarning, match="float64"):
        ours = parafeat_text.TfidfVectorizer(dtype=np.int64).fit_transform(TRAIN)
    with pytest.warns(UserWarning, match="float64"):
        assert_same_csr(ours, sklearn_text.TfidfVectorizer(dtype=np.int64).fit_transform(TRAIN))
    # A repeated entry: counted twice in the document frequencies, summed in the weighting.
    repeated = sp.csr_matrix(
        (np.array([1, 2, 1, 1, 3]), np.array([0, 2, 0, 1, 3]), np.array([0, 3, 5])), shape=(2, 4)
    )
    theirs = sklearn_text.TfidfTransformer().fit(repeated)
    ours = parafeat_text.TfidfTransformer().fit(repeated)
    assert ours.idf_.tobytes() == theirs.idf_.tobytes()
    assert_same_csr(ours.transform(repeated), theirs.transform(repeated))


def _with_first_value(value):
    matrix = sp.csr_matrix(np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0]]))
    matrix.data[0] = value
    return matrix


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        (_with_first_value(np.nan), "Input X contains NaN"),
        (_with_first_value(np.inf), "Input X contains infinity"),
        (sp.csr_matrix(np.array([[1.0 + 1j, 0.0]])), "Complex data not supported"),
        (sp.csr_matrix((0, 3)), r"Found array with 0 sample\(s\) \(shape=\(0, 3\)\)"),
        (sp.csr_matrix((2, 0)), r"Found array with 0 feature\(s\) \(shape=\(2, 0\)\)"),
    ],
    ids=["nan", "infinity", "complex", "no rows", "no columns"],
)
def test_tfidf_transformer_refuses_what_sklearn_refuses(matrix, message):
    for transformer in (sklearn_text.TfidfTransformer(), parafeat_text.TfidfTransformer()):
        with pytest.raises(ValueError, match=message):
            transformer.fit(matrix)
    fitted = parafeat_text.TfidfTransformer().fit(_with_first_value(1.0))
    if matrix.shape[1] == 3:
        with pytest.raises(ValueError, match=message):
            fitted.transform(matrix)


@pytest.mark.parametrize(
    "check", ["check_dtype_object", "check_estimator_sparse_tag", "check_fit2d_predict1d"]
)
def test_tfidf_transformer_passes_the_sklearn_estimator_checks_sklearns_own_passes(check):
    from sklearn.utils import estimator_checks

    for module in (sklearn_text, parafeat_text):
        getattr(estimator_checks, check)("TfidfTransformer", module.TfidfTransformer())


def test_tfidf_transformer_takes_an_object_count_matrix_as_float64_as_sklearn_does():
    counts = np.array([[1, 0, 2], [0, 3, 1]], dtype=object)
    theirs = sklearn_text.TfidfTransformer().fit_transform(counts)
    assert_same_csr(parafeat_text.TfidfTransformer().fit_transform(counts), theirs)


def test_tfidf_transformer_feature_names_are_sklearn_one_to_one_names():
    pd = pytest.importorskip("pandas")
    matrix = _with_first_value(1.0)
    frame = pd.DataFrame(matrix.toarray(), columns=["u", "v", "w"])
    for module in (sklearn_text, parafeat_text):
        with pytest.raises(NotFittedError):
            module.TfidfTransformer().get_feature_names_out()
        with pytest.raises(ValueError, match=r"length equal to number of features \(3\), got 2"):
            module.TfidfTransformer().fit(matrix).get_feature_names_out(["a", "b"])
    for fitted_on in (matrix, frame):
        theirs = sklearn_text.TfidfTransformer().fit(fitted_on).get_feature_names_out()
        ours = parafeat_text.TfidfTransformer().fit(fitted_on).get_feature_names_out()
        assert list(ours) == list(theirs)


@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
def test_tfidf_transformer_idf_of_a_large_matrix_matches_sklearn_at_any_thread_count(index_dtype):
    # Over two million stored values: the document frequencies are counted in slices, in parallel.
    rng = np.random.default_rng(11)
    num_rows, num_columns, per_row = 12_000, 5_000, 200
    indices = np.sort(rng.integers(0, num_columns, size=(num_rows, per_row)), axis=1)
    counts = sp.csr_matrix(
        (
            np.ones(num_rows * per_row),
            indices.ravel().astype(index_dtype),
            np.arange(0, num_rows * per_row + 1, per_row, dtype=index_dtype),
        ),
        shape=(num_rows, num_columns),
    )
    theirs = sklearn_text.TfidfTransformer().fit(counts).idf_
    for n_jobs in (1, 2, 3):
        ours = parafeat_text.TfidfTransformer(n_jobs=n_jobs).fit(counts).idf_
        assert ours.tobytes() == theirs.tobytes()


def test_tfidf_transformer_fit_names_a_column_index_out_of_range():
    counts = sp.csr_matrix(
        (np.ones(3), np.array([0, 7, 2], dtype=np.int32), np.array([0, 2, 3], dtype=np.int32)),
        shape=(2, 5),
    )
    with pytest.raises(ValueError, match="column index 7 is out of range for 5 columns"):
        parafeat_text.TfidfTransformer().fit(counts)


count_params = st.fixed_dictionaries(
    {
        "analyzer": st.sampled_from(["word", "char", "char_wb"]),
        "ngram_range": st.tuples(st.integers(1, 2), st.integers(0, 2)).map(
            lambda t: (t[0], t[0] + t[1])
        ),
        "lowercase": st.booleans(),
        "binary": st.booleans(),
        "strip_accents": st.sampled_from([None, "ascii", "unicode"]),
        "max_features": st.sampled_from([None, 1, 3, 50]),
        "min_df": st.sampled_from([1, 2, 0.0, 0.2]),
        "max_df": st.sampled_from([1.0, 0.7, 5]),
    }
)
tfidf_params = st.fixed_dictionaries(
    {
        "norm": st.sampled_from(["l1", "l2", None]),
        "sublinear_tf": st.booleans(),
        "smooth_idf": st.booleans(),
        "dtype": st.sampled_from([np.float64, np.float32]),
    }
)


def outcome(vectorizer, documents):
    """(matrix, vocabulary_, idf_ bytes) or the error scikit-learn-style fitting raised."""
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError as error:
        return ("error", str(error))
    idf = vectorizer.idf_.tobytes() if vectorizer.use_idf else None
    return ("fitted", matrix, vectorizer.vocabulary_, idf)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents=documents_strategy, count=count_params, tfidf=tfidf_params)
def test_matches_sklearn_on_generated_unicode(documents, count, tfidf):
    ours = outcome(parafeat_text.TfidfVectorizer(n_jobs=2, **count, **tfidf), documents)
    theirs = outcome(sklearn_text.TfidfVectorizer(**count, **tfidf), documents)
    assert ours[0] == theirs[0]
    if theirs[0] == "error":
        assert ours == theirs
        return
    assert_same_csr(ours[1], theirs[1])
    assert ours[2:] == theirs[2:]


@pytest.mark.parametrize(
    "params, documents",
    [
        ({"min_df": 5}, ["one two", "two three"]),
        ({"max_df": 0.1}, ["one two", "two three"]),
        ({"min_df": 3, "max_df": 2}, ["one two", "two three", "three four"]),
        ({"min_df": 0.9, "max_df": 0.5}, ["a1 b2"] * 4),
        ({"stop_words": ["only", "stop", "words"]}, ["only stop words", "stop"]),
        ({}, ["", "!", "a b c"]),
        ({}, []),
    ],
)
@pytest.mark.parametrize("vectorizer", ["CountVectorizer", "TfidfVectorizer"])
def test_fitting_fails_with_sklearns_error(params, documents, vectorizer):
    with pytest.raises(ValueError) as theirs:
        getattr(sklearn_text, vectorizer)(**params).fit_transform(documents)
    with pytest.raises(ValueError) as ours:
        getattr(parafeat_text, vectorizer)(**params).fit_transform(documents)
    assert str(ours.value) == str(theirs.value)


TOKEN_PATTERNS = [
    r"\w+",
    r"(?u)\b\w+\b",
    r"[A-Za-z]+",
    r"\S+",
    r"\d+",
    r"\w*",  # empty matches, counted as the empty term as Python's findall returns them
    r"(?:\w|-)+",
    r"[^\W\d_]+",  # letters only: a class holding a complement
    r"[^\s\W]{2,}",
    r"(\w+)\s",  # one group: the group is the token
    r"\b\w\B",
    r"(?m)^\w+$",
    r"(?s).{3}",
    r"\w{,3}",
    r"\u00e9\w+|σ\w*",
    r"[[:alph]+",  # no POSIX classes in Python: a set of characters
    r"(\w)\1",
    r"\w+(?=\s)",
    r"a|",
]


@pytest.mark.parametrize("token_pattern", TOKEN_PATTERNS)
def test_custom_token_pattern_matches_sklearn(token_pattern):
    params = {"token_pattern": token_pattern, "lowercase": False, "ngram_range": (1, 2)}
    for ours_class, theirs_class in [
        (parafeat_text.CountVectorizer, sklearn_text.CountVectorizer),
        (parafeat_text.HashingVectorizer, sklearn_text.HashingVectorizer),
    ]:
        ours = ours_class(**params).fit(TRAIN)
        theirs = theirs_class(**params).fit(TRAIN)
        if hasattr(theirs, "vocabulary_"):
            assert_same_vocabulary(ours, theirs)
        assert_same_csr(ours.transform(TRAIN), theirs.transform(TRAIN))


def _warnings_of(vectorizer, documents):
    """(category, message) of each warning that fit_transform then transform give."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        vectorizer.fit_transform(documents)
        vectorizer.transform(documents)
    return [(warning.category, str(warning.message)) for warning in caught]


@pytest.mark.parametrize(
    "params",
    [
        {"stop_words": ["Hello", "don't", "fox"]},
        {"stop_words": ["élan"], "strip_accents": "ascii", "lowercase": False},
        {"stop_words": "english", "token_pattern": r"[a-z]+"},
        {"stop_words": ["the"]},
        {"analyzer": "char", "token_pattern": r"\w+"},
        {"analyzer": "char_wb", "stop_words": ["a"]},
        {"analyzer": "char", "stop_words": ["a"], "token_pattern": r"\w+"},
    ],
    ids=repr,
)
@pytest.mark.parametrize("vectorizer", ["CountVectorizer", "TfidfVectorizer", "HashingVectorizer"])
def test_warns_as_sklearn_warns(vectorizer, params):
    documents = ["Hello world, don't", "the fox élan"]
    ours = _warnings_of(getattr(parafeat_text, vectorizer)(**params), documents)
    assert ours == _warnings_of(getattr(sklearn_text, vectorizer)(**params), documents)
