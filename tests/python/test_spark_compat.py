"""compat="spark": parafeat's rows equal pyspark.ml.feature's, run in a real local Spark session.

Every test builds one DataFrame for its whole corpus and runs Spark's Tokenizer or
RegexTokenizer and HashingTF on it, then compares each row's SparseVector with parafeat's CSR
row: same indices, same values, bit for bit.
"""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parafeat import Pipeline
from parafeat.text import HashingVectorizer

from csr_assertions import column_to_csr
from spark_corpora import ADVERSARIAL_DOCUMENTS, ALPHABET, random_documents

pytestmark = pytest.mark.spark

SPARK_DEFAULT_NUM_FEATURES = 2**18
MAX_NUM_FEATURES = 2**31 - 1  # the widest HashingTF: distinct hashes almost never collide

def spark_rows(spark, documents, tokenizer, num_features, binary=False):
    """Runs `tokenizer` then HashingTF(numFeatures, binary) in Spark; returns a CSR matrix."""
    from pyspark.ml.feature import HashingTF

    frame = spark.createDataFrame(list(enumerate(documents)), "id long, text string")
    tokenizer.setInputCol("text").setOutputCol("terms")
    hashing = HashingTF(inputCol="terms", outputCol="features", numFeatures=num_features)
    rows = hashing.setBinary(binary).transform(tokenizer.transform(frame)).orderBy("id").collect()
    vectors = [row.features for row in rows]
    indptr = np.cumsum([0] + [len(vector.indices) for vector in vectors])
    indices = np.concatenate([vector.indices for vector in vectors] + [np.zeros(0, np.int32)])
    values = np.concatenate([vector.values for vector in vectors] + [np.zeros(0)])
    return sp.csr_matrix((values, indices, indptr), shape=(len(vectors), num_features))


def assert_same_rows(actual, expected):
    """Asserts parafeat's CSR matrix has Spark's shape, row boundaries, indices and values."""
    assert actual.shape == expected.shape
    assert actual.dtype == np.float64
    np.testing.assert_array_equal(actual.indptr, expected.indptr)
    np.testing.assert_array_equal(actual.indices, expected.indices)
    assert actual.data.tobytes() == expected.data.astype(np.float64).tobytes()


def tokenizer():
    from pyspark.ml.feature import Tokenizer

    return Tokenizer()


def regex_tokenizer(**params):
    from pyspark.ml.feature import RegexTokenizer

    return RegexTokenizer(**params)


CORPUS = ADVERSARIAL_DOCUMENTS + random_documents(seed=4, count=3000)


def test_tokenizer_and_hashing_tf_match_spark_with_spark_defaults(spark):
    expected = spark_rows(spark, CORPUS, tokenizer(), SPARK_DEFAULT_NUM_FEATURES)
    actual = HashingVectorizer(compat="spark", n_features=SPARK_DEFAULT_NUM_FEATURES)
    assert_same_rows(actual.transform(CORPUS), expected)


def test_binary_hashing_into_a_width_that_is_not_a_power_of_two_matches_spark(spark):
    expected = spark_rows(spark, CORPUS, tokenizer(), 1000, binary=True)
    actual = HashingVectorizer(compat="spark", n_features=1000, binary=True, n_jobs=2)
    assert_same_rows(actual.transform(CORPUS), expected)


def test_regex_tokenizer_defaults_match_spark(spark):
    expected = spark_rows(spark, CORPUS, regex_tokenizer(), 2**20)
    actual = HashingVectorizer(compat="spark", token_pattern=r"\s+")
    assert_same_rows(actual.transform(CORPUS), expected)


def test_regex_tokenizer_on_non_word_characters_without_lowercasing_matches_spark(spark):
    expected = spark_rows(
        spark, CORPUS, regex_tokenizer(pattern=r"\W", toLowercase=False), 2**16
    )
    actual = HashingVectorizer(compat="spark", n_features=2**16, token_pattern=r"\W", lowercase=False)
    assert_same_rows(actual.transform(CORPUS), expected)


def test_spark_hashing_tf_pipeline_step_matches_regex_tokenizer_without_gaps(spark):
    spec = r"""
version: 1
extractors:
  - name: spark_hashing_tf
    column: text
    params: {num_features: 4096, tokenizer: regex_tokenizer, pattern: '[^\s,.]+', gaps: false,
             min_token_length: 2}
"""
    expected = spark_rows(
        spark, CORPUS, regex_tokenizer(pattern=r"[^\s,.]+", gaps=False, minTokenLength=2), 4096
    )
    table = Pipeline.from_yaml(spec).transform({"text": CORPUS}, n_jobs=2)
    assert_same_rows(column_to_csr(table.column("spark_hashing_tf"), 4096), expected)


def test_every_code_point_lowercases_and_hashes_as_in_spark(spark):
    # Each code point but the surrogates, alone between spaces: every lower-case mapping of
    # JDK 17 is checked through its term's column in the widest feature space.
    code_points = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    documents = [" ".join(code_points[i : i + 2000]) for i in range(0, len(code_points), 2000)]
    expected = spark_rows(spark, documents, tokenizer(), MAX_NUM_FEATURES)
    actual = HashingVectorizer(compat="spark", n_features=MAX_NUM_FEATURES)
    assert_same_rows(actual.transform(documents), expected)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.text(
            st.one_of(st.sampled_from(ALPHABET), st.characters(exclude_categories=("Cs",))),
            max_size=40,
        ),
        min_size=1,
        max_size=40,
    )
)
def test_generated_corpora_match_spark(spark, documents):
    expected = spark_rows(spark, documents, tokenizer(), 997)
    assert_same_rows(HashingVectorizer(compat="spark", n_features=997).transform(documents), expected)


def test_final_sigma_beside_surrogate_pairs_and_u_ffff_matches_spark(spark):
    # Where the JDK's BreakIterator answers from inside a surrogate pair, or reads U+FFFF as the
    # end of the text, its word boundaries are not those of a forward segmentation.
    documents = [
        "\u2160\uffff\U0001d400\u03a3",
        "x\U0001d400\u03a3 \U00010400\u03a3 a\U00010400\u03a3b",
        "\u03a3\U000e0001\u0345\u03a3\u24b6 A\uffff\u03a3 \U0001d400\U0001d400\u03a3\u03a3",
    ]
    expected = spark_rows(spark, documents, tokenizer(), MAX_NUM_FEATURES)
    actual = HashingVectorizer(compat="spark", n_features=MAX_NUM_FEATURES)
    assert_same_rows(actual.transform(documents), expected)


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        ({"norm": "l1"}, ValueError, "'norm' = 'l1' is not available with compat='spark'"),
        ({"stop_words": ["a"]}, ValueError, "'stop_words'"),
        ({"strip_accents": "ascii"}, ValueError, "'strip_accents'"),
        ({"ngram_range": (1, 2)}, ValueError, "'ngram_range'"),
        ({"analyzer": "char"}, ValueError, "'analyzer'"),
        ({"dtype": np.float32}, ValueError, "'dtype'"),
        ({"lowercase": False}, ValueError, "Tokenizer always lower-cases"),
        ({"tokenizer": str.split}, ValueError, "'tokenizer' = '<callable>'"),
        ({"preprocessor": str.strip}, ValueError, "'preprocessor' = '<callable>'"),
        ({"token_pattern": r"\w+|\d"}, NotImplementedError, "token_pattern="),
    ],
)
def test_options_spark_has_no_counterpart_for_are_errors(params, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(")):
        HashingVectorizer(compat="spark", **params).transform(["a b"])


def test_scikit_learn_defaults_are_accepted_and_do_what_spark_does():
    # norm="l2" and alternate_sign=True are scikit-learn's defaults: Spark neither normalizes
    # nor signs, so neither does compat="spark", whatever these two say.
    documents = ["b a a", "A b"]
    default = HashingVectorizer(compat="spark", n_features=64).transform(documents)
    explicit = HashingVectorizer(
        compat="spark", n_features=64, norm=None, alternate_sign=False
    ).transform(documents)
    assert (default != explicit).nnz == 0
    assert sorted(default[0].data) == [1.0, 2.0]
