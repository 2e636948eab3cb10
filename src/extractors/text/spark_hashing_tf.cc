// spark_hashing_tf: Spark ML's Tokenizer or RegexTokenizer followed by HashingTF, with Spark's
// parameter names (snake_case): num_features, binary, tokenizer ("tokenizer" or
// "regex_tokenizer") and, for RegexTokenizer, pattern, gaps, min_token_length and to_lowercase.
#include "extractors/text/spark_hashing_tf.h"

#include <limits>
#include <memory>
#include <string>

#include "common/murmurhash3.h"
#include "common/param_reader.h"
#include "common/radix_sort.h"
#include "extractors/row_kernel_extractor.h"
#include "extractors/text/text_extractors.h"

namespace parafeat::text {
namespace {

// Spark's seed for hashing terms (FeatureHasher.seed, used by HashingTF).
constexpr std::uint32_t kSparkSeed = 42;

}  // namespace

SparkTermColumns::SparkTermColumns(std::int32_t num_features)
    : modulo_(static_cast<std::uint32_t>(num_features)),
      wrap_(static_cast<std::uint32_t>((std::uint64_t{1} << 32) %
                                       static_cast<std::uint64_t>(num_features))) {}

std::int32_t SparkTermColumns::operator()(std::string_view term) const {
  // Spark's Utils.nonNegativeMod is the floor modulo of the signed hash (Java's remainder takes
  // the dividend's sign; negative ones are moved up by the divisor). A negative hash read as
  // unsigned is 2**32 larger, so its remainder is wrap_ too large (mod numFeatures).
  const std::int32_t hash = murmurhash3_x86_32_signed(term, kSparkSeed);
  const std::uint32_t remainder = modulo_(static_cast<std::uint32_t>(hash));
  if (hash >= 0) return static_cast<std::int32_t>(remainder);
  return static_cast<std::int32_t>(remainder >= wrap_ ? remainder - wrap_
                                                      : remainder + (modulo_.divisor() - wrap_));
}

std::int32_t spark_term_column(std::string_view term, std::int32_t num_features) {
  return SparkTermColumns(num_features)(term);
}

Status SparkHashingTfKernel::call(std::string_view document, TextForm form, Scratch& scratch,
                                  SparseRows& out) const {
  PARAFEAT_RETURN_NOT_OK(tokenizer.tokenize(document, form, scratch.tokens));
  std::vector<std::uint32_t>& columns = scratch.columns;
  columns.clear();
  for (const std::string_view term : scratch.tokens.tokens()) {
    columns.push_back(static_cast<std::uint32_t>(term_columns(term)));
  }
  radix_sort(columns, static_cast<std::uint32_t>(term_columns.num_features() - 1),
             scratch.sort_scratch);
  for (std::size_t begin = 0; begin < columns.size();) {
    std::size_t end = begin + 1;
    while (end < columns.size() && columns[end] == columns[begin]) ++end;
    out.indices.push_back(static_cast<std::int32_t>(columns[begin]));
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
  SparkHashingTfKernel kernel{
      .tokenizer = tokenizer,
      .term_columns = SparkTermColumns(static_cast<std::int32_t>(num_features)),
      .binary = binary};
  return std::unique_ptr<Extractor>(
      std::make_unique<RowKernelExtractor<SparkHashingTfKernel>>(kernel, reader.resolved()));
}

}  // namespace parafeat::text
