// count_vectorizer: counting with a vocabulary (golden rows as scikit-learn's
// CountVectorizer.transform gives them), and fitting: counted corpora are the same for any thread
// count and morsel size, and matrix() lays rows out as fit_transform does.
#include "extractors/text/count_vectorizer.h"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <vector>

#include "extractors/text/counted_corpus.h"
#include "test_support.h"

namespace parafeat::text {
namespace {

using testing::OwnedStrings;

TEST(CountVectorizer, CountsVocabularyTermsWithSortedColumns) {
  Result<std::unique_ptr<Extractor>> made = make_extractor(
      "count_vectorizer", {{"vocabulary", ParamValue::List{"zeta", "alpha", "beta"}}});
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  const OwnedStrings documents{"zeta alpha beta alpha unknown", "", "BETA"};
  Result<SparseRows> rows = testing::make_executor(2, 1).extract(*made.value(), documents.view());
  ASSERT_TRUE(rows.ok()) << rows.status().to_string();
  EXPECT_EQ(rows.value().indptr, (std::vector<std::int64_t>{0, 3, 3, 4}));
  EXPECT_EQ(rows.value().indices, (std::vector<std::int32_t>{0, 1, 2, 2}));
  EXPECT_EQ(rows.value().values, (std::vector<double>{1, 2, 1, 1}));
  EXPECT_EQ(made.value()->output_spec().num_columns, 3);
  EXPECT_EQ(made.value()->output_spec().dtype, FeatureDType::kInt64);
}

TEST(CountVectorizer, WithoutAVocabularyIsNotFittedAndSaysHowToFit) {
  Result<std::unique_ptr<Extractor>> made = make_extractor("count_vectorizer", {});
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  EXPECT_FALSE(made.value()->is_fitted());
  const OwnedStrings documents{"text"};
  Result<SparseRows> rows = testing::make_executor(1).extract(*made.value(), documents.view());
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().message().find("count_vectorizer is not fitted: fit it first"),
            std::string::npos)
      << rows.status().message();
}

TEST(CountVectorizer, RejectsRepeatedVocabularyTermsAndBadParameters) {
  EXPECT_NE(make_extractor("count_vectorizer", {{"vocabulary", ParamValue::List{"a", "a"}}})
                .status()
                .message()
                .find("repeats the term 'a'"),
            std::string::npos);
  EXPECT_NE(make_extractor("count_vectorizer", {{"min_df", 0}}).status().message().find("min_df"),
            std::string::npos);
}

TEST(TfidfVectorizer, WeighsCountsWithTheGivenIdfAndNormalises) {
  Result<std::unique_ptr<Extractor>> made =
      make_extractor("tfidf_vectorizer", {{"vocabulary", ParamValue::List{"bb", "aa"}},
                                          {"idf", ParamValue::List{2.0, 1.0}},
                                          {"norm", "l1"}});
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  const OwnedStrings documents{"aa bb aa aa"};
  Result<SparseRows> rows = testing::make_executor(1).extract(*made.value(), documents.view());
  ASSERT_TRUE(rows.ok()) << rows.status().to_string();
  // Counts {bb: 1, aa: 3} weighted to {2, 3}, then divided by their sum 5.
  EXPECT_EQ(rows.value().indices, (std::vector<std::int32_t>{0, 1}));
  EXPECT_EQ(rows.value().values, (std::vector<double>{2.0 / 5.0, 3.0 / 5.0}));
  EXPECT_FALSE(make_extractor("tfidf_vectorizer", {{"vocabulary", ParamValue::List{"b"}}})
                   .value()
                   ->is_fitted());
  EXPECT_NE(make_extractor("tfidf_vectorizer", {{"dtype", "int64"}})
                .status()
                .message()
                .find("'dtype' must be 'float64' or 'float32'"),
            std::string::npos);
}

// The arrays of a float64 count matrix (int32 indices) as vectors.
struct MatrixArrays {
  std::vector<double> data;
  std::vector<std::int32_t> indices;
  std::vector<std::int32_t> indptr;
};

MatrixArrays arrays_of(CsrMatrix& matrix) {
  EXPECT_EQ(matrix.dtype, FeatureDType::kFloat64);
  EXPECT_FALSE(matrix.wide_index);
  const auto vector_of = [](const RawBuffer& buffer, auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    const auto* begin = reinterpret_cast<const T*>(buffer.data());
    return std::vector<T>(begin, begin + buffer.size() / sizeof(T));
  };
  return {vector_of(matrix.data, static_cast<double*>(nullptr)),
          vector_of(matrix.indices, static_cast<std::int32_t*>(nullptr)),
          vector_of(matrix.indptr, static_cast<std::int32_t*>(nullptr))};
}

std::vector<std::string> generated_corpus() {
  std::vector<std::string> documents;
  for (int i = 0; i < 500; ++i) {
    std::string document;
    for (int j = 0; j < i % 23; ++j) document += "w" + std::to_string((i * 7 + j * j) % 97) + " ";
    documents.push_back(document + (i % 5 == 0 ? "ΣΟΦΙΑ" : ""));
  }
  return documents;
}

TEST(CountCorpus, IsTheSameForAnyThreadCountAndMorselSize) {
  const OwnedStrings documents(generated_corpus());
  const ColumnSource source(documents.view());
  const TermCutter analyzer(Analyzer(AnalyzerOptions{}));
  Result<CountedCorpus> reference =
      count_corpus(analyzer, source, testing::make_executor(1, 1000), true);
  ASSERT_TRUE(reference.ok()) << reference.status().to_string();
  const std::string expected = reference.value().state().serialize();
  std::vector<std::int32_t> columns(
      static_cast<std::size_t>(reference.value().state().terms().size()));
  for (std::size_t i = 0; i < columns.size(); ++i)
    columns[i] = static_cast<std::int32_t>(i % 3 == 0 ? -1 : i);
  Result<CsrMatrix> expected_matrix =
      reference.value().matrix(columns, static_cast<std::int64_t>(columns.size()), false,
                               FeatureDType::kFloat64, testing::make_executor(1));
  ASSERT_TRUE(expected_matrix.ok());
  const MatrixArrays expected_arrays = arrays_of(expected_matrix.value());

  for (int threads : {1, 2, 4}) {
    for (std::int64_t morsel_rows : {1, 7, 64}) {
      Result<CountedCorpus> counted =
          count_corpus(analyzer, source, testing::make_executor(threads, morsel_rows), true);
      ASSERT_TRUE(counted.ok()) << counted.status().to_string();
      EXPECT_EQ(counted.value().state().serialize(), expected);
      Result<CsrMatrix> matrix =
          counted.value().matrix(columns, static_cast<std::int64_t>(columns.size()), false,
                                 FeatureDType::kFloat64, testing::make_executor(threads));
      ASSERT_TRUE(matrix.ok());
      const MatrixArrays arrays = arrays_of(matrix.value());
      EXPECT_EQ(arrays.indptr, expected_arrays.indptr);
      EXPECT_EQ(arrays.indices, expected_arrays.indices);
      EXPECT_EQ(arrays.data, expected_arrays.data);
    }
  }
}

TEST(CountCorpus, MatrixOrdersEachRowByFirstOccurrenceInTheCorpus) {
  // Corpus order of first occurrence (the term ids): zeta, alpha, beta, omega, gamma.
  const OwnedStrings documents{"zeta alpha beta alpha", "omega gamma beta zeta gamma"};
  const ColumnSource source(documents.view());
  Result<CountedCorpus> counted = count_corpus(TermCutter(Analyzer(AnalyzerOptions{})), source,
                                               testing::make_executor(2, 1), true);
  ASSERT_TRUE(counted.ok());
  // Alphabetical columns, with "omega" pruned: alpha 0, beta 1, gamma 2, zeta 3.
  const std::vector<std::int32_t> columns{3, 0, 1, -1, 2};
  Result<CsrMatrix> matrix =
      counted.value().matrix(columns, 4, false, FeatureDType::kFloat64, testing::make_executor(2));
  ASSERT_TRUE(matrix.ok());
  const MatrixArrays arrays = arrays_of(matrix.value());
  EXPECT_EQ(arrays.indptr, (std::vector<std::int32_t>{0, 3, 6}));
  EXPECT_EQ(arrays.indices, (std::vector<std::int32_t>{3, 0, 1, 3, 1, 2}));
  EXPECT_EQ(arrays.data, (std::vector<double>{1, 2, 1, 1, 1, 2}));
  Result<CsrMatrix> binary =
      counted.value().matrix(columns, 4, true, FeatureDType::kFloat64, testing::make_executor(1));
  ASSERT_TRUE(binary.ok());
  EXPECT_EQ(arrays_of(binary.value()).data, (std::vector<double>{1, 1, 1, 1, 1, 1}));
}

TEST(CountCorpus, FailuresNameTheRow) {
  const OwnedStrings documents{"fine", "also fine", std::nullopt, std::string("bad \xff")};
  const ColumnSource source(documents.view());
  Result<CountedCorpus> counted = count_corpus(TermCutter(Analyzer(AnalyzerOptions{})), source,
                                               testing::make_executor(2, 1), false);
  ASSERT_FALSE(counted.ok());
  EXPECT_EQ(counted.status().row(), 2);
}

}  // namespace
}  // namespace parafeat::text
