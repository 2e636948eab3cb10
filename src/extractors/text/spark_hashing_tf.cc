// spark_hashing_tf: Spark ML's Tokenizer or RegexTokenizer followed by HashingTF, with Spark's
// parameter names (snake_case): num_features, binary, tokenizer ("tokenizer" or
// "regex_tokenizer") and, for RegexTokenizer, pattern, gaps, min_token_length and to_lowercase.
#include "extractors/text/spark_hashing_tf.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <string>

#include "common/murmurhash3.h"
#include "common/param_reader.h"
#include "extractors/row_kernel_extractor.h"
#include "extractors/text/text_extractors.h"

namespace parafeat::text {
namespace {

// Spark's seed for hashing terms (FeatureHasher.seed, used by HashingTF).
constexpr std::uint32_t kSparkSeed = 42;

}  // namespace

std::int32_t spark_term_column(std::string_view term, std::int32_t num_features) {
  // Spark's Utils.nonNegativeMod: Java's remainder takes the dividend's sign; negative ones
  // are moved up by the divisor.
  const std::int32_t remainder = murmurhash3_x86_32_signed(term, kSparkSeed) % num_features;
  return remainder < 0 ? remainder + num_features : remainder;
}

Status SparkHashingTfKernel::call(std::string_view document, Scratch& scratch,
                                  SparseRows& out) const {
  PARAFEAT_RETURN_NOT_OK(tokenizer.tokenize(document, scratch.tokens));
  std::vector<std::int32_t>& columns = scratch.columns;
  columns.clear();
  for (const std::string_view term : scratch.tokens.tokens()) {
    columns.push_back(spark_term_column(term, num_features));
  }
  std::sort(columns.begin(), columns.end());
  for (std::size_t begin = 0; begin < columns.size();) {
    const auto end = static_cast<std::size_t>(
        std::upper_bound(columns.begin() + static_cast<std::ptrdiff_t>(begin), columns.end(),
                         columns[begin]) -
        columns.begin());
    out.indices.push_back(columns[begin]);
    out.values.push_back(binary ? 1.0 : static_cast<double>(end - begin));
    begin = end;
  }
  return Status::OK();
}

Result<std::unique_ptr<Extractor>> make_spark_hashing_tf(const Params& params) {
  ParamReader reader(SparkHashingTfKernel::kName, params);
  PARAFEAT_ASSIGN_OR_RAISE(std::int64_t num_features,
                           reader.integer("num_features", kSparkDefaultNumFeatures, 1,
                                          std::numeric_limits<std::int32_t>::max()));
  PARAFEAT_ASSIGN_OR_RAISE(bool binary, reader.boolean("binary", false));
  PARAFEAT_ASSIGN_OR_RAISE(
      std::string tokenizer_name,
      reader.choice("tokenizer", "tokenizer", {"tokenizer", "regex_tokenizer"}));
  SparkTokenizerOptions options;
  if (tokenizer_name == "regex_tokenizer") {
    PARAFEAT_ASSIGN_OR_RAISE(options.pattern, reader.string("pattern", options.pattern));
    PARAFEAT_ASSIGN_OR_RAISE(options.gaps, reader.boolean("gaps", options.gaps));
    PARAFEAT_ASSIGN_OR_RAISE(options.min_token_length,
                             reader.integer("min_token_length", options.min_token_length, 0,
                                            std::numeric_limits<std::int32_t>::max()));
    PARAFEAT_ASSIGN_OR_RAISE(options.to_lowercase,
                             reader.boolean("to_lowercase", options.to_lowercase));
  } else {
    options = spark_tokenizer_options();
  }
  PARAFEAT_RETURN_NOT_OK(reader.finish());
  PARAFEAT_ASSIGN_OR_RAISE(SparkTokenizer tokenizer,
                           SparkTokenizer::make(options, "spark_hashing_tf: pattern"));
  SparkHashingTfKernel kernel{.tokenizer = tokenizer,
                              .num_features = static_cast<std::int32_t>(num_features),
                              .binary = binary};
  return std::unique_ptr<Extractor>(
      std::make_unique<RowKernelExtractor<SparkHashingTfKernel>>(kernel, reader.resolved()));
}

}  // namespace parafeat::text
