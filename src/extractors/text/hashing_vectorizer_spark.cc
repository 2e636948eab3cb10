// hashing_vectorizer with compat="spark": scikit-learn's HashingVectorizer parameters mapped onto
// Spark ML's Tokenizer or RegexTokenizer (see spark_analysis_params.h) followed by HashingTF
// (spark_hashing_tf.h).
//   n_features     -> HashingTF.numFeatures (the default stays scikit-learn's 2**20)
//   binary         -> HashingTF.binary
// Options Spark has no counterpart for are accepted only at their default (or, for norm and
// alternate_sign, at the value that does what Spark does): Spark neither signs nor normalizes.
#include <limits>
#include <memory>
#include <string>

#include "common/param_reader.h"
#include "extractors/row_kernel_extractor.h"
#include "extractors/text/spark_analysis_params.h"
#include "extractors/text/spark_hashing_tf.h"
#include "extractors/text/text_extractors.h"

namespace parafeat::text {
namespace {

// Spark's kernel under the name of the extractor it serves.
struct SparkCompatHashingVectorizerKernel : SparkHashingTfKernel {
  static constexpr std::string_view kName = "hashing_vectorizer";
};

}  // namespace

Result<std::unique_ptr<Extractor>> make_spark_compat_hashing_vectorizer(const Params& params) {
  ParamReader reader(SparkCompatHashingVectorizerKernel::kName, params);
  PARAFEAT_ASSIGN_OR_RAISE(SparkTokenizer tokenizer, read_spark_analysis(reader));
  PARAFEAT_ASSIGN_OR_RAISE(std::int64_t n_features,
                           reader.integer("n_features", std::int64_t{1} << 20, 1,
                                          std::numeric_limits<std::int32_t>::max()));
  PARAFEAT_ASSIGN_OR_RAISE(bool binary, reader.boolean("binary", false));
  PARAFEAT_RETURN_NOT_OK(reader.restricted("norm", {"l2", nullptr}, kNoSparkCounterpart));
  PARAFEAT_RETURN_NOT_OK(reader.restricted("alternate_sign", {true, false}, kNoSparkCounterpart));
  PARAFEAT_RETURN_NOT_OK(reader.restricted("dtype", {"float64"}, kNoSparkCounterpart));
  PARAFEAT_RETURN_NOT_OK(reader.finish());

  SparkCompatHashingVectorizerKernel kernel{
      {.tokenizer = tokenizer,
       .term_columns = SparkTermColumns(static_cast<std::int32_t>(n_features)),
       .binary = binary}};
  return std::unique_ptr<Extractor>(
      std::make_unique<RowKernelExtractor<SparkCompatHashingVectorizerKernel>>(kernel,
                                                                               reader.resolved()));
}

}  // namespace parafeat::text
