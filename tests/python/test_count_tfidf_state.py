"""Fitting as a mergeable state: the same bytes for any thread count and any split of the
corpus, a versioned state format that rejects what it cannot read, and the scikit-learn estimator
conventions (pickle, clone, errors) for CountVectorizer and TfidfVectorizer."""

import pickle
import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction import text as sklearn_text
from sklearn.pipeline import make_pipeline
from sklearn.utils.validation import check_is_fitted

from csr_assertions import assert_same_csr
from parafeat import text
from parafeat.text import CountVectorizer, TfidfVectorizer, VocabularyState
from test_count_tfidf_oracle import TEST, TRAIN, zipf_corpus

CORPUS = zipf_corpus(5000, seed=11) + TRAIN


def split(documents, parts):
    bounds = np.linspace(0, len(documents), parts + 1).astype(int)
    return [documents[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


@pytest.mark.parametrize("n_jobs", [1, 2, 7])
@pytest.mark.parametrize("vectorizer", [CountVectorizer, TfidfVectorizer])
def test_fit_transform_bytes_do_not_depend_on_thread_count(vectorizer, n_jobs):
    params = {"ngram_range": (1, 2), "max_features": 500}
    reference = vectorizer(n_jobs=1, **params)
    expected = reference.fit_transform(CORPUS)
    ours = vectorizer(n_jobs=n_jobs, **params)
    assert_same_csr(ours.fit_transform(CORPUS), expected)
    assert ours.fit_state_.to_bytes() == reference.fit_state_.to_bytes()
    assert ours.vocabulary_ == reference.vocabulary_  # built beside the matrix with n_jobs > 1


@pytest.mark.parametrize("parts", [1, 3, 16])
def test_partial_fit_over_parts_equals_one_fit(parts):
    params = {"min_df": 2, "max_df": 0.9, "max_features": 300, "sublinear_tf": True}
    whole = TfidfVectorizer(**params).fit(CORPUS)
    incremental = TfidfVectorizer(**params)
    for part in split(CORPUS, parts):
        incremental.partial_fit(part)
    assert incremental.vocabulary_ == whole.vocabulary_
    assert incremental.idf_.tobytes() == whole.idf_.tobytes()
    assert incremental.fit_state_.to_bytes() == whole.fit_state_.to_bytes()
    assert_same_csr(incremental.transform(TEST), whole.transform(TEST))
    theirs = sklearn_text.TfidfVectorizer(**params).fit(CORPUS)
    assert incremental.idf_.tobytes() == theirs.idf_.tobytes()


FRUIT = ["apple banana", "apple cherry", "banana cherry", "apple banana cherry"]


@pytest.mark.parametrize(
    "params, parts",
    [
        ({"min_df": 2}, [FRUIT[:1], FRUIT[1:]]),
        ({"min_df": 2, "max_df": 0.9}, [FRUIT[:2], FRUIT[2:]]),
        ({}, [[], FRUIT]),
        ({}, [["a I"], FRUIT]),
        ({"min_df": 2}, [FRUIT[:1], [], FRUIT[1:2], FRUIT[2:]]),
    ],
    ids=["one-document-under-min_df", "max_df-under-min_df", "empty-part", "no-token", "several"],
)
@pytest.mark.parametrize("vectorizer", ["CountVectorizer", "TfidfVectorizer"])
def test_partial_fit_takes_first_parts_that_give_no_vocabulary_yet(vectorizer, params, parts):
    corpus = [document for part in parts for document in part]
    theirs = getattr(sklearn_text, vectorizer)(**params).fit(corpus)
    incremental = getattr(text, vectorizer)(**params)
    incremental.partial_fit(parts[0])
    with pytest.raises(NotFittedError, match="given to partial_fit so far give none"):
        incremental.transform(FRUIT)
    with pytest.raises(NotFittedError):  # what scikit-learn's Pipeline and meta-estimators ask
        check_is_fitted(incremental)
    for part in parts[1:]:
        incremental.partial_fit(part)
    check_is_fitted(incremental)
    assert incremental.vocabulary_ == theirs.vocabulary_
    assert incremental.fit_state_ == getattr(text, vectorizer)(**params).fit(corpus).fit_state_
    expected = theirs.transform(FRUIT)
    assert (incremental.transform(FRUIT) != expected).nnz == 0


@pytest.mark.parametrize(
    "vectorizer, bad_params, message",
    [
        (CountVectorizer, {"min_df": 3, "max_df": 2}, "max_df corresponds to < documents"),
        (TfidfVectorizer, {"norm": "l3"}, "parameter 'norm'"),
    ],
)
def test_a_failing_partial_fit_leaves_the_fit_state_as_it_was(vectorizer, bad_params, message):
    incremental = vectorizer().partial_fit(FRUIT[:2])
    before = incremental.fit_state_.to_bytes()
    good_params = {name: incremental.get_params()[name] for name in bad_params}
    incremental.set_params(**bad_params)
    with pytest.raises(ValueError, match=message):
        incremental.partial_fit(FRUIT[2:])
    assert incremental.fit_state_.to_bytes() == before
    incremental.set_params(**good_params).partial_fit(FRUIT[2:])
    assert incremental.fit_state_ == vectorizer().fit(FRUIT).fit_state_


def test_states_counted_elsewhere_merge_into_the_whole_corpus_state():
    vectorizer = CountVectorizer(max_features=100)
    states = [vectorizer.count_state(part) for part in split(CORPUS, 16)]
    shipped = [VocabularyState.from_bytes(state.to_bytes()) for state in states]  # as Spark would
    merged = shipped[0]
    for state in shipped[1:]:
        merged.merge(state)
    fitted = CountVectorizer(max_features=100).fit_from_state(merged)
    whole = CountVectorizer(max_features=100).fit(CORPUS)
    assert fitted.vocabulary_ == whole.vocabulary_
    assert merged == whole.fit_state_
    assert merged.n_documents == len(CORPUS)


def test_states_merged_from_their_bytes_equal_states_merged_after_reading():
    vectorizer = CountVectorizer(max_features=100)
    data = [vectorizer.count_state(part).to_bytes() for part in split(CORPUS, 16)]
    merged = VocabularyState.from_bytes(data[0])
    for later in data[1:]:
        assert merged.merge_bytes(later) is merged
    assert merged == CountVectorizer(max_features=100).fit(CORPUS).fit_state_
    chars = CountVectorizer(analyzer="char").count_state(TRAIN).to_bytes()
    with pytest.raises(ValueError, match="different parameters"):
        merged.merge_bytes(chars)
    with pytest.raises(ValueError, match="corrupted|truncated"):
        merged.merge_bytes(data[1][:40] + bytes([data[1][40] ^ 1]) + data[1][41:])


def test_state_round_trips_through_a_file(tmp_path):
    state = CountVectorizer().fit(TRAIN).fit_state_
    path = tmp_path / "vocabulary.pfstate"
    state.save(path)
    assert VocabularyState.load(path) == state
    assert pickle.loads(pickle.dumps(state)) == state


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda data: data[: len(data) // 2], "truncated"),
        (lambda data: data[:-1], "truncated"),
        (lambda data: data[:40] + bytes([data[40] ^ 1]) + data[41:], "corrupted|truncated"),
        (lambda data: b"not a state at all", "not a parafeat state"),
        (lambda data: data[:15] + (2).to_bytes(4, "little") + data[19:], "format version 2"),
        (lambda data: data + b"\0", "unexpected bytes"),
    ],
    ids=["half", "last-byte", "flipped-bit", "foreign", "newer-version", "trailing-byte"],
)
def test_damaged_or_foreign_states_are_rejected_clearly(damage, message):
    data = CountVectorizer().fit(TRAIN).fit_state_.to_bytes()
    with pytest.raises(ValueError, match=message):
        VocabularyState.from_bytes(damage(data))


def test_states_of_different_text_parameters_do_not_merge():
    words = CountVectorizer().count_state(TRAIN)
    chars = CountVectorizer(analyzer="char").count_state(TRAIN)
    with pytest.raises(ValueError, match="different parameters"):
        words.merge(chars)
    with pytest.raises(ValueError, match="different text parameters"):
        CountVectorizer(lowercase=False).fit_from_state(words)


@pytest.mark.parametrize("vectorizer", [CountVectorizer, TfidfVectorizer])
def test_pickle_and_clone_round_trip(vectorizer):
    fitted = vectorizer(ngram_range=(1, 2), min_df=2).fit(TRAIN)
    expected = fitted.transform(TEST)
    restored = pickle.loads(pickle.dumps(fitted))
    assert restored.vocabulary_ == fitted.vocabulary_
    assert_same_csr(restored.transform(TEST), expected)
    fresh = clone(fitted)
    assert fresh.get_params() == fitted.get_params()
    assert not hasattr(fresh, "vocabulary_")
    assert_same_csr(fresh.fit(TRAIN).transform(TEST), expected)


@pytest.mark.parametrize("vectorizer", ["CountVectorizer", "TfidfVectorizer"])
def test_discarding_the_fit_state_keeps_the_transform_and_pickles_as_small_as_sklearns(vectorizer):
    ours = getattr(text, vectorizer)(max_features=100).fit(CORPUS)
    theirs = getattr(sklearn_text, vectorizer)(max_features=100).fit(CORPUS)
    expected = ours.transform(TEST)
    kept_size = len(pickle.dumps(ours))
    restored = pickle.loads(pickle.dumps(ours.discard_fit_state()))
    assert not hasattr(restored, "fit_state_")
    assert restored.vocabulary_ == theirs.vocabulary_
    assert_same_csr(restored.transform(TEST), expected)
    small_size, sklearn_size = len(pickle.dumps(restored)), len(pickle.dumps(theirs))
    assert small_size < 2 * sklearn_size < kept_size, (small_size, sklearn_size, kept_size)
    with pytest.raises(ValueError, match="discard_fit_state"):
        restored.partial_fit(TEST)
    assert_same_csr(restored.transform(TEST), expected)  # the refused call changed nothing
    restored.fit(CORPUS[:100]).partial_fit(CORPUS[100:])  # a new fit may be continued again
    assert restored.fit_state_ == ours.fit(CORPUS).fit_state_


def test_an_unfitted_vectorizer_has_no_fit_state_to_discard():
    with pytest.raises(NotFittedError):
        CountVectorizer().discard_fit_state()


@pytest.mark.parametrize("vectorizer", ["CountVectorizer", "TfidfVectorizer"])
@pytest.mark.parametrize(
    "change",
    [{"lowercase": False}, {"stop_words": ["the", "of"]}, {"binary": True}, {"dtype": np.float32}],
)
def test_parameters_set_after_a_transform_apply_to_the_next_one(vectorizer, change):
    ours = getattr(text, vectorizer)().fit(TRAIN)
    theirs = getattr(sklearn_text, vectorizer)().fit(TRAIN)
    ours.transform(TEST)  # the fitted extractor is made and kept here
    ours.set_params(**change)
    theirs.set_params(**change)
    assert_same_csr(ours.transform(TEST), theirs.transform(TEST))


def test_works_inside_a_sklearn_pipeline():
    pipeline = make_pipeline(CountVectorizer(), sklearn_text.TfidfTransformer())
    theirs = make_pipeline(sklearn_text.CountVectorizer(), sklearn_text.TfidfTransformer())
    assert_same_csr(pipeline.fit_transform(TRAIN), theirs.fit_transform(TRAIN))


@pytest.mark.parametrize("vectorizer", [CountVectorizer, TfidfVectorizer])
def test_unfitted_transform_raises_not_fitted(vectorizer):
    with pytest.raises(NotFittedError):
        check_is_fitted(vectorizer())
    with pytest.raises(NotFittedError):
        vectorizer().transform(["text"])


def test_check_is_fitted_says_what_transform_takes_with_a_given_vocabulary():
    given = CountVectorizer(vocabulary=["apple", "pear"])
    check_is_fitted(given)  # transform counts the given vocabulary without a fit
    assert given.transform(["apple pear pear"]).toarray().tolist() == [[1, 2]]
    with pytest.raises(NotFittedError):
        check_is_fitted(TfidfVectorizer(vocabulary=["apple", "pear"]))  # its idf_ needs a fit
    with pytest.raises(NotFittedError):
        TfidfVectorizer(vocabulary=["apple", "pear"]).transform(["apple"])


@pytest.mark.parametrize(
    "params, error, message",
    [
        ({"min_df": -1}, ValueError, "min_df"),
        ({"max_df": 1.5}, ValueError, "max_df"),
        ({"max_features": 0}, ValueError, "max_features"),
        ({"dtype": np.int8}, ValueError, "dtype"),
        ({"vocabulary": ["a", "a"]}, ValueError, "Duplicate term in vocabulary: 'a'"),
        ({"vocabulary": {"a": 0, "b": 0}}, ValueError, "repeated indices"),
        ({"vocabulary": {"a": 0, "b": 2}}, ValueError, "doesn't contain index 1"),
        ({"vocabulary": []}, ValueError, "empty vocabulary passed to fit"),
        ({"vocabulary": [None, "a"]}, TypeError, "vocabulary terms must be str, got NoneType"),
        ({"token_pattern": r"(?i)case"}, NotImplementedError, r"the \(\?i\) flag"),
        ({"token_pattern": r"(a)(b)"}, ValueError, "More than 1 capturing group"),
        ({"token_pattern": r"\p{L}"}, ValueError, r"bad escape \\p"),
        ({"analyzer": str.split}, NotImplementedError, "analyzer"),
    ],
)
def test_bad_parameters_are_named(params, error, message):
    with pytest.raises(error, match=message):
        CountVectorizer(**params).fit(TRAIN)


@pytest.mark.parametrize(
    "params, error",
    [({"min_df": -1}, ValueError), ({"input": "filename"}, NotImplementedError)],
    ids=["min_df", "input"],
)
def test_tfidf_vectorizer_parameter_errors_name_tfidf_vectorizer(params, error):
    with pytest.raises(error, match=f"^tfidf_vectorizer: parameter '{next(iter(params))}'"):
        TfidfVectorizer(**params).fit(TRAIN)


@pytest.mark.parametrize(
    "name, value, allowed",
    [
        ("norm", "l3", "one of 'l1', 'l2' or None"),
        ("use_idf", "yes", "True or False"),
        ("smooth_idf", None, "True or False"),
        ("sublinear_tf", "yes", "True or False"),
    ],
)
def test_tfidf_vectorizer_weighting_errors_name_tfidf_vectorizer_the_value_and_what_is_allowed(
    name, value, allowed
):
    expected = f"tfidf_vectorizer: parameter '{name}' must be {allowed}, got {value!r}"
    with pytest.raises(ValueError, match="^" + re.escape(expected)):
        TfidfVectorizer(**{name: value}).fit(TRAIN)
    with pytest.raises(ValueError):  # scikit-learn's InvalidParameterError is a ValueError too
        sklearn_text.TfidfVectorizer(**{name: value}).fit(TRAIN)


def test_bad_documents_name_the_row():
    with pytest.raises(TypeError, match="row 2") as raised:
        CountVectorizer().fit(["one", "two", 3])
    assert raised.value.row == 2
    with pytest.raises(ValueError, match="row 1"):
        CountVectorizer().fit(["ok", b"\xff\xfe bad utf-8"])
    fitted = CountVectorizer().fit(["ok words"])
    with pytest.raises(TypeError, match="row 0"):
        fitted.transform([None])
    with pytest.raises(ValueError, match="string object received"):
        fitted.transform("a single string")
