"""compat="spark" fitting through VocabularyState, without Spark: partial_fit and fit_from_state
equal one fit, states never mix modes, and options of the other mode are errors."""

import numpy as np
import pytest

from csr_assertions import assert_same_csr
from parafeat.text import CountVectorizer, TfidfVectorizer
from spark_corpora import word_documents

CORPUS = word_documents(seed=3, count=2000)
SPARK = {"compat": "spark", "min_df": 2, "max_df": 0.5, "max_features": 150}


def split(documents, parts):
    bounds = np.linspace(0, len(documents), parts + 1).astype(int)
    return [documents[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


@pytest.mark.parametrize("parts", [1, 4, 13])
def test_partial_fit_over_parts_equals_one_spark_fit(parts):
    whole = TfidfVectorizer(min_doc_freq=3, **SPARK).fit(CORPUS)
    incremental = TfidfVectorizer(min_doc_freq=3, **SPARK)
    for part in split(CORPUS, parts):
        incremental.partial_fit(part)
    assert incremental.vocabulary_ == whole.vocabulary_
    assert incremental.idf_.tobytes() == whole.idf_.tobytes()
    assert_same_csr(incremental.transform(CORPUS), whole.transform(CORPUS))


def test_fit_from_merged_states_equals_one_spark_fit_and_fit_transform_equals_transform():
    vectorizer = CountVectorizer(min_tf=0.2, **SPARK)
    merged = vectorizer.count_state(CORPUS[:700]).merge(vectorizer.count_state(CORPUS[700:]))
    fitted = CountVectorizer(min_tf=0.2, **SPARK).fit_from_state(merged)
    whole = CountVectorizer(min_tf=0.2, **SPARK)
    matrix = whole.fit_transform(iter(CORPUS))  # an iterator is read once, as scikit-learn does
    assert fitted.vocabulary_ == whole.vocabulary_
    assert_same_csr(matrix, fitted.transform(CORPUS))


def test_spark_and_scikit_learn_states_never_merge():
    spark_state = CountVectorizer(compat="spark").count_state(CORPUS[:10])
    sklearn_state = CountVectorizer().count_state(CORPUS[:10])
    assert "compat='spark'" in spark_state.spec
    assert "compat" not in sklearn_state.spec  # as before compat existed: old states still merge
    with pytest.raises(ValueError, match="different parameters"):
        spark_state.merge(sklearn_state)
    with pytest.raises(ValueError, match="different text parameters"):
        CountVectorizer().fit_from_state(spark_state)


def test_spark_idf_after_min_tf_needs_the_documents():
    vectorizer = TfidfVectorizer(compat="spark", min_tf=2)
    with pytest.raises(ValueError, match="fit on the documents instead"):
        vectorizer.partial_fit(CORPUS[:10])
    assert TfidfVectorizer(compat="spark", min_tf=2).fit(CORPUS).idf_.shape == (
        len(TfidfVectorizer(compat="spark", min_tf=2).fit(CORPUS).vocabulary_),
    )


@pytest.mark.parametrize(
    ("cls", "params", "message"),
    [
        (CountVectorizer, {"min_tf": 2}, "'min_tf' = 2 is not available with compat='sklearn'"),
        (TfidfVectorizer, {"min_doc_freq": 1}, "min_doc_freq=1 is Spark's IDF.minDocFreq"),
        (CountVectorizer, {"compat": "spark", "stop_words": ["a"]}, "'stop_words'"),
        (CountVectorizer, {"compat": "spark", "ngram_range": (1, 2)}, "'ngram_range'"),
        (CountVectorizer, {"compat": "spark", "lowercase": False}, "Tokenizer always lower-cases"),
        (CountVectorizer, {"compat": "spark", "min_df": 5, "max_df": 2}, "maxDF must be >= minDF"),
        (TfidfVectorizer, {"compat": "spark", "norm": "l1"}, "'norm' = 'l1'"),
        (TfidfVectorizer, {"compat": "spark", "use_idf": False}, "'use_idf' = False"),
        (TfidfVectorizer, {"compat": "spark", "smooth_idf": False}, "'smooth_idf' = False"),
        (TfidfVectorizer, {"compat": "spark", "sublinear_tf": True}, "'sublinear_tf' = True"),
        (TfidfVectorizer, {"compat": "spark", "dtype": np.float32}, "'dtype' = 'float32'"),
        (TfidfVectorizer, {"compat": "spark", "min_doc_freq": -1}, "min_doc_freq"),
    ],
)
def test_options_of_the_other_mode_are_errors(cls, params, message):
    with pytest.raises(ValueError, match=message):
        cls(**params).fit(["a b", "b c"])


def test_an_empty_spark_vocabulary_is_an_error_naming_min_df():
    # Spark 4 fits an empty vocabulary here, with a warning: a deviation kept on purpose.
    with pytest.raises(ValueError, match="Lower min_df"):
        CountVectorizer(compat="spark", min_df=3).fit(["a b", "b c"])


def test_min_df_as_the_fraction_one_keeps_the_terms_of_every_document():
    vectorizer = CountVectorizer(compat="spark", min_df=1.0).fit(["a b", "b c", "b a"])
    assert vectorizer.vocabulary_ == {"b": 0}
