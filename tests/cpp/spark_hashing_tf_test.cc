// Golden tests for Spark ML's HashingTF: every expected column and row below was produced by
// pyspark.ml.feature.HashingTF (and Tokenizer) of Spark 4.3.0 in a local session on JDK 17.
#include "extractors/text/spark_hashing_tf.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parafeat/executor.h"
#include "parafeat/extractor.h"
#include "test_support.h"

namespace parafeat {
namespace {

using testing::OwnedStrings;

SparseRows run(std::string_view name, const Params& params, const OwnedStrings& documents) {
  Result<std::unique_ptr<Extractor>> made = make_extractor(name, params);
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  Result<SparseRows> rows = testing::make_executor(2, 2).extract(*made.value(), documents.view());
  EXPECT_TRUE(rows.ok()) << rows.status().to_string();
  return rows.move_value();
}

TEST(SparkHashingTf, TermColumnsMatchSparkForEveryTailLength) {
  // Terms of 0-5 bytes exercise each MurmurHash3 tail length; then multi-byte UTF-8.
  struct Golden {
    const char* term;
    std::int32_t max_int_column;  // numFeatures = 2**31 - 1
    std::int32_t column_1000;     // numFeatures = 1000 (negative hashes move up)
    std::int32_t column_2_18;     // numFeatures = 2**18, Spark's default
  };
  const std::vector<Golden> goldens = {
      {"", 142593372, 372, 249180},         {"a", 853910114, 467, 107107},
      {"ab", 1462570566, 919, 69191},       {"abc", 1313807976, 976, 204392},
      {"abcd", 1751180747, 100, 58828},     {"abcde", 786050031, 384, 142320},
      {"spark", 1921426933, 286, 173558},   {"\u00E9", 1023967903, 903, 33439},
      {"\u03C3", 1433058429, 429, 179325},  {"\U0001F600", 1877935379, 379, 197907},
      {"i\u0307", 1920051176, 529, 108521},
  };
  for (const Golden& golden : goldens) {
    EXPECT_EQ(text::spark_term_column(golden.term, 2147483647), golden.max_int_column)
        << golden.term;
    EXPECT_EQ(text::spark_term_column(golden.term, 1000), golden.column_1000) << golden.term;
    EXPECT_EQ(text::spark_term_column(golden.term, 1 << 18), golden.column_2_18) << golden.term;
  }
}

TEST(SparkHashingTf, TokenizerThenHashingTfCountsTermsPerColumn) {
  const OwnedStrings documents{"  Hello\tWORLD  ", "", "   ", "a  b", "ΟΔΟΣ ΟΔΟΣ.",
                               "AΣ.B A.Σ AΣ..B"};
  SparseRows rows = run("spark_hashing_tf", {{"num_features", 16}}, documents);
  EXPECT_EQ(rows.num_columns, 16);
  EXPECT_EQ(rows.indptr, (std::vector<std::int64_t>{0, 3, 4, 4, 7, 9, 11}));
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{0, 1, 12, 12, 3, 5, 12, 1, 12, 8, 13}));
  EXPECT_EQ(rows.values, (std::vector<double>{1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1}));
}

TEST(SparkHashingTf, BinarySetsEveryPresentTermToOne) {
  SparseRows rows =
      run("spark_hashing_tf", {{"num_features", 16}, {"binary", true}}, {"  Hello\tWORLD  "});
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{0, 1, 12}));
  EXPECT_EQ(rows.values, (std::vector<double>{1, 1, 1}));
}

TEST(SparkHashingTf, RegexTokenizerDropsTheEmptyTokens) {
  SparseRows rows =
      run("spark_hashing_tf", {{"num_features", 16}, {"tokenizer", "regex_tokenizer"}},
          {"  Hello\tWORLD  ", "a  b"});
  EXPECT_EQ(rows.indptr, (std::vector<std::int64_t>{0, 2, 4}));
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{0, 1, 3, 5}));
}

TEST(SparkHashingTf, DefaultsAreSparks) {
  Result<std::unique_ptr<Extractor>> made = make_extractor("spark_hashing_tf", {});
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(made.value()->output_spec().num_columns, 262144);
  EXPECT_EQ(made.value()->params().at("tokenizer"), ParamValue("tokenizer"));
  EXPECT_EQ(made.value()->params().at("binary"), ParamValue(false));
}

TEST(SparkHashingTf, RegexTokenizerParametersNeedTheRegexTokenizer) {
  Result<std::unique_ptr<Extractor>> made = make_extractor("spark_hashing_tf", {{"gaps", false}});
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.status().message().find("'gaps'"), std::string::npos);
}

TEST(HashingVectorizerSparkCompat, MapsScikitLearnParametersOntoSparks) {
  // token_pattern selects RegexTokenizer; n_features is numFeatures; norm and alternate_sign at
  // their defaults do what Spark does: nothing.
  SparseRows rows = run("hashing_vectorizer",
                        {{"compat", "spark"}, {"n_features", 16}, {"token_pattern", "\\s+"}},
                        {"  Hello\tWORLD  "});
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{0, 1}));
  EXPECT_EQ(rows.values, (std::vector<double>{1, 1}));
}

TEST(HashingVectorizerSparkCompat, RejectsOptionsSparkHasNotWithValueErrors) {
  const std::vector<std::pair<std::string, ParamValue>> rejected = {
      {"norm", "l1"},
      {"strip_accents", "ascii"},
      {"stop_words", ParamValue::List{"a"}},
      {"ngram_range", ParamValue::List{1, 2}},
      {"analyzer", "char"},
      {"dtype", "float32"},
  };
  for (const auto& [key, value] : rejected) {
    Result<std::unique_ptr<Extractor>> made =
        make_extractor("hashing_vectorizer", {{"compat", "spark"}, {key, value}});
    ASSERT_FALSE(made.ok()) << key;
    EXPECT_EQ(made.status().code(), StatusCode::kInvalid) << key;
    EXPECT_NE(made.status().message().find("'" + key + "'"), std::string::npos)
        << made.status().message();
  }
  Result<std::unique_ptr<Extractor>> no_lowercase =
      make_extractor("hashing_vectorizer", {{"compat", "spark"}, {"lowercase", false}});
  EXPECT_EQ(no_lowercase.status().code(), StatusCode::kInvalid);
}

}  // namespace
}  // namespace parafeat
