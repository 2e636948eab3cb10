"""CountVectorizer and TfidfVectorizer with compat="spark" equal pyspark.ml.feature's Tokenizer or
RegexTokenizer, CountVectorizer and IDF, run in a real local Spark session.

Spark 4 orders the vocabulary by descending total count and equal counts by Java's
String.compareTo, whatever the partitioning (test_equal_counts_...), so vocabularies are
compared as ordered lists and rows by column, exactly. Spark's idf comes from HotSpot's
Math.log, which is not correctly rounded; parafeat's from the C library's: idf weights are
compared to one ulp, and TF-IDF rows as Spark's count rows times parafeat's idf, exactly.
"""

import math

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parafeat import Pipeline
from parafeat.text import CountVectorizer, TfidfVectorizer, VocabularyState

from csr_assertions import column_to_csr
from spark_corpora import ADVERSARIAL_DOCUMENTS, ALPHABET, random_documents, word_documents

pytestmark = pytest.mark.spark

CORPUS = ADVERSARIAL_DOCUMENTS + word_documents(seed=11, count=1500) + random_documents(5, 300)


def to_csr(vectors, width):
    """Spark's SparseVectors as a float64 CSR matrix of `width` columns."""
    indptr = np.cumsum([0] + [len(vector.indices) for vector in vectors])
    indices = np.concatenate([vector.indices for vector in vectors] + [np.zeros(0, np.int32)])
    values = np.concatenate([vector.values for vector in vectors] + [np.zeros(0)])
    return sp.csr_matrix((values, indices, indptr), shape=(len(vectors), width))


def tokenized(spark, documents, tokenizer=None, partitions=2):
    """A DataFrame (id, text, terms) of `documents` cut by `tokenizer` (default: Tokenizer)."""
    from pyspark.ml.feature import Tokenizer

    frame = spark.createDataFrame(list(enumerate(documents)), "id long, text string")
    tokenizer = tokenizer or Tokenizer()
    tokenizer.setInputCol("text").setOutputCol("terms")
    return tokenizer.transform(frame.repartition(partitions)).cache()


def spark_count(frame, idf=None, **params):
    """Fits Spark's CountVectorizer(**params) (then IDF(**idf) when given) on `frame`; returns
    (vocabulary, count rows, idf vector or None, TF-IDF rows or None), rows in id order."""
    from pyspark.ml.feature import IDF
    from pyspark.ml.feature import CountVectorizer as SparkCountVectorizer

    model = SparkCountVectorizer(inputCol="terms", outputCol="counts", **params).fit(frame)
    counted = model.transform(frame)
    idf_model = None
    if idf is not None:
        idf_model = IDF(inputCol="counts", outputCol="tfidf", **idf).fit(counted)
        counted = idf_model.transform(counted)
    rows = counted.orderBy("id").collect()
    width = len(model.vocabulary)
    counts = to_csr([row.counts for row in rows], width)
    if idf_model is None:
        return list(model.vocabulary), counts, None, None
    return (
        list(model.vocabulary),
        counts,
        idf_model.idf.toArray(),
        to_csr([row.tfidf for row in rows], width),
    )


def assert_same_rows(actual, expected):
    """Same shape, row boundaries, columns and float64 values, bit for bit."""
    assert actual.shape == expected.shape
    np.testing.assert_array_equal(actual.indptr, expected.indptr)
    np.testing.assert_array_equal(actual.indices, expected.indices)
    assert actual.data.astype(np.float64).tobytes() == expected.data.tobytes()


def vocabulary_list(vectorizer):
    return list(vectorizer.get_feature_names_out())


@pytest.fixture(scope="module")
def corpus_frame(spark):
    return tokenized(spark, CORPUS)


# (Spark's CountVectorizer params, the same in parafeat's names)
COUNT_CASES = [
    ({}, {}),
    ({"minDF": 3.0}, {"min_df": 3}),
    ({"minDF": 0.01}, {"min_df": 0.01}),
    ({"maxDF": 40.0}, {"max_df": 40}),
    ({"maxDF": 0.05, "minDF": 2.0}, {"max_df": 0.05, "min_df": 2}),
    ({"vocabSize": 25}, {"max_features": 25}),
    ({"minTF": 2.0}, {"min_tf": 2}),
    ({"minTF": 0.25, "vocabSize": 60}, {"min_tf": 0.25, "max_features": 60}),
    ({"binary": True, "vocabSize": 40, "minDF": 5.0}, {"binary": True, "max_features": 40, "min_df": 5}),
]


@pytest.mark.parametrize(("spark_params", "params"), COUNT_CASES)
def test_count_vectorizer_matches_spark_vocabulary_and_rows(corpus_frame, spark_params, params):
    vocabulary, expected, _, _ = spark_count(corpus_frame, **spark_params)
    vectorizer = CountVectorizer(compat="spark", dtype=np.float64, n_jobs=2, **params)
    actual = vectorizer.fit_transform(CORPUS)
    assert vocabulary_list(vectorizer) == vocabulary
    assert_same_rows(actual, expected)
    assert_same_rows(vectorizer.transform(CORPUS), expected)


@pytest.mark.parametrize(
    ("regex", "params"),
    [
        ({"pattern": r"\W", "toLowercase": False}, {"token_pattern": r"\W", "lowercase": False}),
        ({"pattern": r"[,;\s]+"}, {"token_pattern": r"[,;\s]+"}),
    ],
)
def test_regex_tokenizer_counts_match_spark(spark, regex, params):
    from pyspark.ml.feature import RegexTokenizer

    frame = tokenized(spark, CORPUS, RegexTokenizer(**regex))
    vocabulary, expected, _, _ = spark_count(frame, minDF=2.0, minTF=0.1, vocabSize=200)
    vectorizer = CountVectorizer(
        compat="spark", min_df=2, min_tf=0.1, max_features=200, n_jobs=2, **params
    )
    actual = vectorizer.fit_transform(CORPUS)
    assert vocabulary_list(vectorizer) == vocabulary
    assert_same_rows(actual, expected)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    documents=st.lists(
        st.lists(st.text(st.sampled_from(ALPHABET), max_size=3), max_size=12).map(" ".join),
        min_size=1,
        max_size=30,
    ),
    min_df=st.sampled_from([1, 2, 0.1]),
    min_tf=st.sampled_from([1, 2, 0.2]),
    max_features=st.sampled_from([None, 3, 10]),
)
def test_generated_corpora_count_as_in_spark(spark, documents, min_df, min_tf, max_features):
    frame = tokenized(spark, documents)
    spark_params = {"minDF": float(min_df), "minTF": float(min_tf)}
    if max_features is not None:
        spark_params["vocabSize"] = max_features
    vectorizer = CountVectorizer(
        compat="spark", min_df=min_df, min_tf=min_tf, max_features=max_features
    )
    vocabulary, expected, _, _ = spark_count(frame, **spark_params)
    if not vocabulary:  # Spark fits an empty vocabulary (with a warning); parafeat refuses to
        with pytest.raises(ValueError, match="no terms remain"):
            vectorizer.fit(documents)
        return
    actual = vectorizer.fit_transform(documents)
    assert vocabulary_list(vectorizer) == vocabulary
    assert_same_rows(actual, expected)


def test_equal_counts_are_ordered_as_java_compares_strings_on_any_partitioning(spark):
    # Nine terms of three occurrences each; U+E000 and U+FF01 sort after the supplementary
    # code points in Java's (UTF-16) order, before them in code point order. vocabSize=4 cuts
    # the group of equal counts.
    terms = ["\uff01", "\U0001f600", "\ue000", "\U00010428x", "a", "\u00e9", "b", "\ud7ff", "zz"]
    documents = [" ".join(terms[i % 9] for i in range(k, k + 3)) for k in range(0, 27, 3)]
    documents += ["zz zz"]  # zz is the most frequent
    vectorizer = CountVectorizer(compat="spark", max_features=4)
    actual = vectorizer.fit_transform(documents)
    assert vocabulary_list(vectorizer) == ["zz", "a", "b", "\u00e9"]
    for partitions in (1, 3):
        vocabulary, expected, _, _ = spark_count(
            tokenized(spark, documents, partitions=partitions), vocabSize=4
        )
        assert vocabulary == vocabulary_list(vectorizer)
        assert_same_rows(actual, expected)
    full = CountVectorizer(compat="spark").fit(documents)
    vocabulary, _, _, _ = spark_count(tokenized(spark, documents, partitions=3))
    assert vocabulary_list(full) == vocabulary
    assert vocabulary.index("\U0001f600") < vocabulary.index("\ue000")


def assert_idf_within_one_ulp(actual, expected):
    np.testing.assert_array_max_ulp(np.asarray(actual), np.asarray(expected), maxulp=1)


@pytest.mark.parametrize(
    ("spark_params", "idf", "params"),
    [
        ({}, {}, {}),
        ({"minTF": 2.0, "vocabSize": 100}, {"minDocFreq": 5}, {"min_tf": 2, "max_features": 100, "min_doc_freq": 5}),
        ({"binary": True, "maxDF": 0.5}, {"minDocFreq": 2}, {"binary": True, "max_df": 0.5, "min_doc_freq": 2}),
    ],
)
def test_tfidf_vectorizer_matches_spark_count_vectorizer_then_idf(
    corpus_frame, spark_params, idf, params
):
    vocabulary, counts, spark_idf, spark_tfidf = spark_count(corpus_frame, idf=idf, **spark_params)
    vectorizer = TfidfVectorizer(compat="spark", n_jobs=2, **params)
    actual = vectorizer.fit_transform(CORPUS)
    assert vocabulary_list(vectorizer) == vocabulary
    assert_idf_within_one_ulp(vectorizer.idf_, spark_idf)
    # Spark's rows are its counts times its idf; parafeat's, the same counts times its own.
    assert_same_rows(actual, sp.csr_matrix(counts.multiply(vectorizer.idf_)))
    np.testing.assert_array_max_ulp(actual.data, spark_tfidf.data, maxulp=1)
    assert_same_rows(vectorizer.transform(CORPUS), sp.csr_matrix(counts.multiply(vectorizer.idf_)))


def test_idf_where_the_jvm_log_and_the_c_log_differ_is_one_ulp_from_spark(spark):
    # 40 documents, "x" in 34: log(41 / 35) is one of the arguments where JDK 17's Math.log
    # (HotSpot's x86-64 intrinsic) and the C library's log differ in the last bit.
    documents = ["x y"] * 34 + ["y"] * 6
    _, _, spark_idf, _ = spark_count(tokenized(spark, documents), idf={})
    vectorizer = TfidfVectorizer(compat="spark").fit(documents)
    assert vocabulary_list(vectorizer) == ["y", "x"]
    assert vectorizer.idf_[1] == math.log(41.0 / 35.0)
    assert_idf_within_one_ulp(vectorizer.idf_, spark_idf)


def test_pipeline_count_and_tfidf_steps_with_compat_spark_match_spark(corpus_frame):
    vocabulary, counts, spark_idf, _ = spark_count(
        corpus_frame, idf={"minDocFreq": 3}, minDF=2.0, vocabSize=300
    )
    spec = """
version: 1
extractors:
  - name: count_vectorizer
    column: text
    params: {compat: spark, min_df: 2, max_features: 300, dtype: float64}
  - name: tfidf_vectorizer
    column: text
    params: {compat: spark, min_df: 2, max_features: 300, min_doc_freq: 3}
"""
    pipeline = Pipeline.from_yaml(spec)
    pipeline.fit({"text": CORPUS}, n_jobs=2)
    table = pipeline.transform({"text": CORPUS}, n_jobs=2)
    width = len(vocabulary)
    assert_same_rows(column_to_csr(table.column("count_vectorizer"), width), counts)
    tfidf = column_to_csr(table.column("tfidf_vectorizer"), width)
    idf = TfidfVectorizer(compat="spark", min_df=2, max_features=300, min_doc_freq=3).fit(CORPUS).idf_
    assert_idf_within_one_ulp(idf, spark_idf)
    assert_same_rows(tfidf, sp.csr_matrix(counts.multiply(idf)))
