// count_vectorizer and tfidf_vectorizer with compat="spark", and the pieces under them
// (TermCutter, spark_idf). The count rows, tokens and idf weights below were produced by
// pyspark.ml.feature (Tokenizer, CountVectorizerModel.from_vocabulary, IDF) of Spark 4.3.0 in a
// local session on JDK 17; the state's statistics and the TF-IDF rows are hand-derived from them.
#include <gtest/gtest.h>

#include <bit>
#include <string>
#include <vector>

#include "extractors/text/count_vectorizer.h"
#include "extractors/text/counted_corpus.h"
#include "extractors/text/spark_idf.h"
#include "extractors/text/term_cutter.h"
#include "parafeat/extractor.h"
#include "test_support.h"

namespace parafeat::text {
namespace {

using testing::OwnedStrings;

const OwnedStrings& documents() {
  static const OwnedStrings kDocuments{"b a a", "A b c",       "c c  c d",
                                       "",      "a A a b b c", "ΣΑΣ σας İ"};
  return kDocuments;
}

// The vocabulary of CountVectorizerModel.from_vocabulary(["c", "a", "", "b"]).
Params spark_params(Params extra) {
  extra.insert_or_assign("compat", "spark");
  extra.insert_or_assign("vocabulary", ParamValue::List{"c", "a", "", "b"});
  return extra;
}

SparseRows run(std::string_view name, const Params& params) {
  Result<std::unique_ptr<Extractor>> made = make_extractor(name, params);
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  Result<SparseRows> rows = testing::make_executor(2, 2).extract(*made.value(), documents().view());
  EXPECT_TRUE(rows.ok()) << rows.status().to_string();
  return rows.move_value();
}

TEST(SparkCountVectorizer, CountsSparkTokensOfTheVocabulary) {
  const SparseRows rows = run("count_vectorizer", spark_params({{"dtype", "float64"}}));
  EXPECT_EQ(rows.indptr, (std::vector<std::int64_t>{0, 2, 5, 7, 8, 11, 11}));
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{1, 3, 0, 1, 3, 0, 2, 2, 0, 1, 3}));
  EXPECT_EQ(rows.values, (std::vector<double>{2, 1, 1, 1, 1, 3, 1, 1, 1, 3, 2}));
}

TEST(SparkCountVectorizer, MinTfAsACountDropsRarerTermsOfEachDocument) {
  const SparseRows rows = run("count_vectorizer", spark_params({{"min_tf", 2}}));
  EXPECT_EQ(rows.indptr, (std::vector<std::int64_t>{0, 1, 1, 2, 2, 4, 4}));
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{1, 0, 1, 3}));
  EXPECT_EQ(rows.values, (std::vector<double>{2, 3, 3, 2}));
}

TEST(SparkCountVectorizer, MinTfAsAFractionCountsTokensOutsideTheVocabularyToo) {
  // "c c  c d" has 5 tokens ("d" is not in the vocabulary): c (3) >= 2 stays, "" (1) goes.
  const SparseRows rows = run("count_vectorizer", spark_params({{"min_tf", 0.4}}));
  EXPECT_EQ(rows.indptr, (std::vector<std::int64_t>{0, 1, 1, 2, 3, 4, 4}));
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{1, 0, 2, 1}));
  EXPECT_EQ(rows.values, (std::vector<double>{2, 3, 1, 3}));
}

TEST(SparkCountVectorizer, BinarySetsEveryCountToOne) {
  const SparseRows rows = run("count_vectorizer", spark_params({{"binary", true}}));
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{1, 3, 0, 1, 3, 0, 2, 2, 0, 1, 3}));
  EXPECT_EQ(rows.values, std::vector<double>(11, 1.0));
}

TEST(SparkCountVectorizer, RejectsOptionsOfTheOtherMode) {
  const auto message = [](const Params& params) {
    return make_extractor("count_vectorizer", params).status().message();
  };
  EXPECT_NE(message({{"min_tf", 2}}).find("'min_tf' = 2 is not available with compat='sklearn'"),
            std::string::npos);
  EXPECT_NE(message(spark_params({{"stop_words", ParamValue::List{"a"}}}))
                .find("'stop_words' = ['a'] is not available with compat='spark'"),
            std::string::npos)
      << message(spark_params({{"stop_words", ParamValue::List{"a"}}}));
  EXPECT_NE(message(spark_params({{"min_tf", -1}})).find("min_tf"), std::string::npos);
  EXPECT_NE(make_extractor("tfidf_vectorizer", spark_params({{"norm", "l1"}}))
                .status()
                .message()
                .find("'norm' = 'l1' is not available with compat='spark'"),
            std::string::npos);
  EXPECT_NE(make_extractor("tfidf_vectorizer", {{"min_doc_freq", 2}})
                .status()
                .message()
                .find("'min_doc_freq' = 2 is not available with compat='sklearn'"),
            std::string::npos);
}

TEST(SparkTfidfVectorizer, MultipliesSparkCountsByTheIdfWithoutNormalising) {
  const SparseRows rows =
      run("tfidf_vectorizer",
          spark_params({{"idf", ParamValue::List{0.5, 2.0, 0.0, 1.0}}, {"min_doc_freq", 2}}));
  // The counts of CountsSparkTokensOfTheVocabulary times idf[column].
  EXPECT_EQ(rows.indices, (std::vector<std::int32_t>{1, 3, 0, 1, 3, 0, 2, 2, 0, 1, 3}));
  EXPECT_EQ(rows.values, (std::vector<double>{4, 1, 0.5, 2, 1, 1.5, 0, 0, 0.5, 6, 2}));
}

TEST(SparkCountCorpus, CountsSparkTokensInOrderOfFirstOccurrence) {
  // Spark's Tokenizer: ["b","a","a"], ["a","b","c"], ["c","c","","c","d"], [""],
  // ["a","a","a","b","b","c"], ["σας","σας","i̇"].
  Result<SparkTokenizer> tokenizer = SparkTokenizer::make(spark_tokenizer_options(), "pattern");
  ASSERT_TRUE(tokenizer.ok());
  const ColumnSource source(documents().view());
  Result<CountedCorpus> counted =
      count_corpus(TermCutter(tokenizer.value()), source, testing::make_executor(2, 1), false);
  ASSERT_TRUE(counted.ok()) << counted.status().to_string();
  const state::VocabularyState& state = counted.value().state();
  std::vector<std::string> terms;
  for (TermTable::Id id = 0; id < state.terms().size(); ++id) {
    terms.emplace_back(state.terms().term(id));
  }
  EXPECT_EQ(terms, (std::vector<std::string>{"b", "a", "c", "", "d", "σας", "i̇"}));
  EXPECT_EQ(state.document_frequency(), (std::vector<std::int64_t>{3, 3, 3, 2, 1, 1, 1}));
  EXPECT_EQ(state.term_frequency(), (std::vector<std::int64_t>{4, 6, 5, 2, 1, 2, 1}));
  EXPECT_EQ(state.num_documents(), 6);
}

TEST(TermCutter, CutsAsTheAnalyzerOrTheTokenizerItHolds) {
  const std::string document = "Hello  WORLD, hello";
  TermCutterScratch scratch;
  const TermCutter analyzer{Analyzer(AnalyzerOptions{})};
  ASSERT_TRUE(analyzer.cut(document, TextForm::kAsGiven, scratch).ok());
  EXPECT_EQ(scratch.terms(), (std::vector<std::string_view>{"hello", "world", "hello"}));
  Result<SparkTokenizer> tokenizer = SparkTokenizer::make(spark_tokenizer_options(), "pattern");
  ASSERT_TRUE(tokenizer.ok());
  const TermCutter spark{tokenizer.value()};
  ASSERT_TRUE(spark.cut(document, TextForm::kAsGiven, scratch).ok());
  EXPECT_EQ(scratch.terms(), (std::vector<std::string_view>{"hello", "", "world,", "hello"}));
  EXPECT_FALSE(spark.cut("bad \xff", TextForm::kAsGiven, scratch).ok());
}

TEST(TermCutter, AsksForPythonLoweredTextOnlyForALoweringAnalyzer) {
  EXPECT_EQ(TermCutter(Analyzer(AnalyzerOptions{})).preferred_text_form(), TextForm::kPythonLower);
  EXPECT_EQ(TermCutter(Analyzer(AnalyzerOptions{.lowercase = false})).preferred_text_form(),
            TextForm::kAsGiven);
  // Spark lowers as Java does: text lowered by Python's rules is refused, not misread.
  Result<SparkTokenizer> tokenizer = SparkTokenizer::make(spark_tokenizer_options(), "pattern");
  ASSERT_TRUE(tokenizer.ok());
  const TermCutter spark{tokenizer.value()};
  EXPECT_EQ(spark.preferred_text_form(), TextForm::kAsGiven);
  TermCutterScratch scratch;
  EXPECT_EQ(spark.cut("text", TextForm::kPythonLower, scratch).code(), StatusCode::kInternal);
}

TEST(SparkIdf, IsLogOfDocumentsPlusOneOverDfPlusOneAndZeroBelowMinDocFreq) {
  // 40 documents, terms in 40 and 34 of them (Spark's idf: 0 and 0x1.440af27eb8887p-3), and
  // one in 1 below min_doc_freq 2.
  const std::vector<std::int64_t> df{40, 34, 1};
  const std::vector<double> idf = spark_idf(40, df, 2);
  EXPECT_EQ(idf[0], 0.0);
  EXPECT_EQ(idf[2], 0.0);
  // The C library's log(41 / 35) is one ulp below HotSpot's Math.log, which Spark uses.
  const double spark = 0x1.440af27eb8887p-3;
  EXPECT_EQ(std::bit_cast<std::int64_t>(spark) - std::bit_cast<std::int64_t>(idf[1]), 1);
  EXPECT_GT(spark_idf(40, df, 0)[2], idf[1]);
}

}  // namespace
}  // namespace parafeat::text
