// Golden tests for hashing_vectorizer: expected rows were computed by scikit-learn 1.9.1's
// HashingVectorizer and checked by hand against its definition (MurmurHash3 seed 0 of each
// term's UTF-8 bytes, column |h| mod n_features, sign of h). Values are compared bit for bit.
#include <gtest/gtest.h>

#include <cstring>
#include <ostream>
#include <vector>

#include "parafeat/executor.h"
#include "parafeat/extractor.h"
#include "test_support.h"

namespace parafeat {
namespace {

using testing::OwnedStrings;

std::unique_ptr<Extractor> make(const Params& params) {
  Result<std::unique_ptr<Extractor>> made = make_extractor("hashing_vectorizer", params);
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  return made.move_value();
}

SparseRows run(const Extractor& extractor, const OwnedStrings& documents, int threads = 1) {
  Result<SparseRows> rows = testing::make_executor(threads, 2).extract(extractor, documents.view());
  EXPECT_TRUE(rows.ok()) << rows.status().to_string();
  return rows.move_value();
}

double from_hex(const char* hex) {
  return std::strtod(hex, nullptr);
}

TEST(HashingVectorizer, CountsSignedHashedTokensLikeSklearn) {
  // "hello" twice (once upper-cased, lowered first) and "world" once; "!" is not a token.
  auto extractor = make({{"n_features", 16}, {"norm", nullptr}});
  SparseRows rows = run(*extractor, OwnedStrings{"Hello World! hello"});
  EXPECT_EQ(rows.indptr, (std::vector<std::int64_t>{0, 2}));
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{5, 7}));
  EXPECT_EQ(rows.values, (std::vector<double>{-1.0, 2.0}));
  EXPECT_EQ(extractor->output_spec().num_columns, 16);
}

TEST(HashingVectorizer, CharWbPadsEachWordWithSpaces) {
  // "ab ab" -> " a", "ab", "b " per word: six bigrams over three distinct terms.
  auto extractor = make({{"n_features", 16},
                         {"norm", nullptr},
                         {"alternate_sign", false},
                         {"analyzer", "char_wb"},
                         {"ngram_range", ParamValue::List{2, 2}}});
  SparseRows rows = run(*extractor, OwnedStrings{"ab ab"});
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{1, 6}));
  EXPECT_EQ(rows.values, (std::vector<double>{4.0, 2.0}));
}

TEST(HashingVectorizer, L2NormalisesRowsBitExactly) {
  auto extractor = make({{"n_features", 1024}});
  SparseRows rows = run(*extractor, OwnedStrings{"the cat the ΣΟΦΙΑ"});
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{53, 158, 807}));
  EXPECT_EQ(rows.values, (std::vector<double>{from_hex("-0x1.a20bd700c2c3fp-2"),
                                              from_hex("-0x1.a20bd700c2c3fp-1"),
                                              from_hex("0x1.a20bd700c2c3fp-2")}));
}

TEST(HashingVectorizer, L1NormalisesWordNgrams) {
  auto extractor =
      make({{"n_features", 8}, {"norm", "l1"}, {"ngram_range", ParamValue::List{1, 2}}});
  SparseRows rows = run(*extractor, OwnedStrings{"a bb cc bb cc"});
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{1, 6, 7}));
  EXPECT_EQ(rows.values, (std::vector<double>{from_hex("0x1.999999999999ap-3"),
                                              from_hex("-0x1.999999999999ap-2"),
                                              from_hex("0x1.999999999999ap-2")}));
}

TEST(HashingVectorizer, StopWordsAreDroppedAfterLowerCasingAndAccentStripping) {
  // "Café" lowers to "café", strips to "cafe", which is a stop word; "THE" lowers to "the".
  auto with_stop_words = make({{"n_features", 1024},
                               {"norm", nullptr},
                               {"strip_accents", "unicode"},
                               {"stop_words", ParamValue::List{"the", "cafe"}}});
  auto plain = make({{"n_features", 1024}, {"norm", nullptr}});
  SparseRows filtered = run(*with_stop_words, OwnedStrings{"THE Café sells bread"});
  SparseRows expected = run(*plain, OwnedStrings{"sells bread"});
  EXPECT_EQ(filtered.indices, expected.indices);
  EXPECT_EQ(filtered.values, expected.values);
}

TEST(HashingVectorizer, EmptyAndTokenlessDocumentsGiveEmptyRows) {
  auto extractor = make({});
  SparseRows rows = run(*extractor, OwnedStrings{"", "a ! ?", "  \t"});
  EXPECT_EQ(rows.indptr, (std::vector<std::int64_t>{0, 0, 0, 0}));
  EXPECT_TRUE(rows.values.empty());
}

TEST(HashingVectorizer, SumsRunsOfEqualColumnsKeepingExplicitZeros) {
  // h("aa") > 0 and h("cc") < 0: with one column they cancel, and scikit-learn keeps the 0.
  // Runs of 1-3 equal columns, an empty row and a row with every column distinct in between.
  const OwnedStrings documents{"aa cc", "", "aa aa cc dd dd dd ee", "ff", "aa cc bb dd"};
  auto one_column = make({{"n_features", 1}, {"norm", nullptr}});
  SparseRows rows = run(*one_column, documents);
  EXPECT_EQ(rows.indptr, (std::vector<std::int64_t>{0, 1, 1, 2, 3, 4}));
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{0, 0, 0, 0}));
  EXPECT_EQ(rows.values, (std::vector<double>{0.0, -3.0, 1.0, 0.0}));
  auto four_columns = make({{"n_features", 4}, {"norm", nullptr}});
  rows = run(*four_columns, documents);
  EXPECT_EQ(rows.indptr, (std::vector<std::int64_t>{0, 2, 2, 5, 6, 10}));
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{1, 2, 0, 1, 2, 2, 0, 1, 2, 3}));
  EXPECT_EQ(rows.values,
            (std::vector<double>{1.0, -1.0, -4.0, 2.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0}));
}

TEST(HashingVectorizer, OutputDoesNotDependOnThreadCount) {
  std::vector<std::string> documents;
  for (int i = 0; i < 500; ++i) documents.push_back("doc " + std::to_string(i) + " ΣΑΣ x y");
  OwnedStrings column(documents);
  auto extractor = make({{"ngram_range", ParamValue::List{1, 3}}});
  SparseRows one = run(*extractor, column, 1);
  SparseRows eight = run(*extractor, column, 8);
  EXPECT_EQ(one.indptr, eight.indptr);
  EXPECT_EQ(one.indices, eight.indices);
  EXPECT_EQ(one.values, eight.values);
}

TEST(HashingVectorizer, NullRowIsATypeErrorNamingTheRow) {
  auto extractor = make({});
  Result<SparseRows> rows =
      testing::make_executor(2, 1).extract(*extractor, OwnedStrings{"a", "b", std::nullopt}.view());
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), StatusCode::kTypeError);
  EXPECT_EQ(rows.status().row(), 2);
  EXPECT_EQ(rows.status().message(), "row 2: expected a string, got null");
}

TEST(HashingVectorizer, InvalidUtf8IsAnErrorNamingTheRow) {
  auto extractor = make({});
  Result<SparseRows> rows =
      testing::make_executor(1).extract(*extractor, OwnedStrings{"ok", "caf\xe9"}.view());
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), StatusCode::kInvalid);
  EXPECT_EQ(rows.status().row(), 1);
}

TEST(HashingVectorizer, ResolvedParamsListEveryDefault) {
  auto extractor = make({{"n_features", 32}});
  const Params& params = extractor->params();
  EXPECT_EQ(params.at("n_features"), ParamValue(32));
  EXPECT_EQ(params.at("norm"), ParamValue("l2"));
  EXPECT_EQ(params.at("alternate_sign"), ParamValue(true));
  EXPECT_EQ(params.at("ngram_range"), ParamValue(ParamValue::List{1, 1}));
  EXPECT_EQ(params.at("dtype"), ParamValue("float64"));
  EXPECT_EQ(params.at("compat"), ParamValue("sklearn"));
  EXPECT_EQ(params.size(), 17u);  // every scikit-learn constructor argument, and compat
}

struct BadParams {
  Params params;
  StatusCode code;
  const char* message;
  friend void PrintTo(const BadParams& bad, std::ostream* out) { *out << bad.message; }
};

class HashingVectorizerRejects : public ::testing::TestWithParam<BadParams> {};

TEST_P(HashingVectorizerRejects, WithAMessageNamingTheKey) {
  Result<std::unique_ptr<Extractor>> made = make_extractor("hashing_vectorizer", GetParam().params);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().code(), GetParam().code);
  EXPECT_EQ(made.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    BadParameters, HashingVectorizerRejects,
    ::testing::Values(
        BadParams{{{"n_features", 0}},
                  StatusCode::kInvalid,
                  "hashing_vectorizer: parameter 'n_features' must be an int in [1, 2147483647], "
                  "got 0 (int)"},
        BadParams{{{"norm", "max"}},
                  StatusCode::kInvalid,
                  "hashing_vectorizer: parameter 'norm' must be one of 'l1', 'l2' or None, got "
                  "'max' (str)"},
        BadParams{{{"ngram_range", ParamValue::List{3, 1}}},
                  StatusCode::kInvalid,
                  "hashing_vectorizer: invalid ngram_range=(3, 1): the lower boundary is larger "
                  "than the upper boundary"},
        BadParams{{{"token_pattern", "(?i)x"}},
                  StatusCode::kNotImplemented,
                  "hashing_vectorizer: token_pattern: the (?i) flag (at position 0 of the "
                  "pattern) is not supported"},
        BadParams{{{"stop_words", "english"}},
                  StatusCode::kNotImplemented,
                  "hashing_vectorizer: stop_words='english' is resolved by the Python front (from "
                  "scikit-learn's list); the engine takes the list of words"},
        BadParams{{{"stop_words", ParamValue::List{"a", 1}}},
                  StatusCode::kInvalid,
                  "hashing_vectorizer: parameter 'stop_words' must be a list of str or None, got "
                  "['a', 1] (list)"},
        BadParams{{{"n_featurs", 8}},
                  StatusCode::kInvalid,
                  "hashing_vectorizer: unknown parameter(s) 'n_featurs'; known parameters: "
                  "'alternate_sign', 'analyzer', 'binary', 'compat', 'decode_error', 'dtype', "
                  "'encoding', 'input', 'lowercase', 'n_features', 'ngram_range', 'norm', "
                  "'preprocessor', 'stop_words', 'strip_accents', 'token_pattern', 'tokenizer'"}));

TEST(Registry, UnknownExtractorIsAKeyErrorListingTheRegisteredOnes) {
  Result<std::unique_ptr<Extractor>> made = make_extractor("hashing", {});
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().code(), StatusCode::kKeyError);
  EXPECT_EQ(made.status().message(),
            "unknown extractor 'hashing'; registered extractors: 'hashing_vectorizer', "
            "'count_vectorizer', 'tfidf_vectorizer', 'spark_hashing_tf', 'timeseries_features'");
}

TEST(Registry, ListsHashingVectorizer) {
  ASSERT_FALSE(registered_extractors().empty());
  EXPECT_EQ(registered_extractors()[0].name, "hashing_vectorizer");
}

}  // namespace
}  // namespace parafeat
