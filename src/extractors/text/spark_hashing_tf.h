// Spark ML's HashingTF over Spark's tokenizers: the kernel that both spark_hashing_tf (Spark's
// parameter names) and hashing_vectorizer with compat="spark" (scikit-learn's names) run.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/fast_modulo.h"
#include "extractors/text/spark_tokenizer.h"
#include "parafeat/extractor.h"

namespace parafeat::text {

/// Spark's default HashingTF.numFeatures, 2**18.
inline constexpr std::int64_t kSparkDefaultNumFeatures = std::int64_t{1} << 18;

/// One document's tokens to term frequencies, as HashingTF (hashFuncVersion 2, Spark >= 3.0)
/// computes them: each term's column is nonNegativeMod(MurmurHash3 x86_32 of its UTF-8 bytes with
/// seed 42, numFeatures); values are the term counts, or 1.0 with binary; columns ascending.
/// The columns HashingTF gives terms among a fixed numFeatures, with no division per term.
class SparkTermColumns {
 public:
  /// `num_features` must be at least 1.
  explicit SparkTermColumns(std::int32_t num_features);

  std::int32_t num_features() const { return static_cast<std::int32_t>(modulo_.divisor()); }
  /// The column of `term`: Utils.nonNegativeMod(its signed MurmurHash3, numFeatures).
  std::int32_t operator()(std::string_view term) const;

 private:
  FastModulo modulo_;
  std::uint32_t wrap_;  // 2**32 mod numFeatures: what a negative hash gains as an unsigned one
};

struct SparkHashingTfKernel {
  static constexpr std::string_view kName = "spark_hashing_tf";

  struct Scratch {
    SparkTokenizerScratch tokens;
    std::vector<std::uint32_t> columns;  // of the document's terms, sorted to count equal ones
    std::vector<std::uint32_t> sort_scratch;
  };

  SparkTokenizer tokenizer;
  SparkTermColumns term_columns;
  bool binary;

  OutputSpec output_spec() const { return {term_columns.num_features(), FeatureDType::kFloat64}; }
  Status call(std::string_view document, TextForm form, Scratch& scratch, SparseRows& out) const;
};

/// The column HashingTF gives `term` among `num_features` (>= 1).
std::int32_t spark_term_column(std::string_view term, std::int32_t num_features);

}  // namespace parafeat::text
