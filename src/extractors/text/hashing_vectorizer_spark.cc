// hashing_vectorizer with compat="spark": scikit-learn's HashingVectorizer parameters mapped onto
// Spark ML's Tokenizer or RegexTokenizer followed by HashingTF (spark_hashing_tf.h).
//   n_features     -> HashingTF.numFeatures (the default stays scikit-learn's 2**20)
//   binary         -> HashingTF.binary
//   token_pattern  -> at scikit-learn's default: Tokenizer (split on \s, empty tokens kept);
//                     otherwise RegexTokenizer(pattern=token_pattern, gaps=True,
//                     minTokenLength=1, toLowercase=lowercase)
//   lowercase      -> RegexTokenizer.toLowercase (Tokenizer always lower-cases)
// Options Spark has no counterpart for are accepted only at their default (or, for norm and
// alternate_sign, at the value that does what Spark does): Spark neither signs nor normalizes.
#include <limits>
#include <memory>
#include <string>

#include "common/param_reader.h"
#include "extractors/row_kernel_extractor.h"
#include "extractors/text/spark_hashing_tf.h"
#include "extractors/text/text_extractors.h"

namespace parafeat::text {
namespace {

// Spark's kernel under the name of the extractor it serves.
struct SparkCompatHashingVectorizerKernel : SparkHashingTfKernel {
  static constexpr std::string_view kName = "hashing_vectorizer";
};

constexpr std::string_view kSklearnTokenPattern = R"((?u)\b\w\w+\b)";
constexpr std::string_view kNoSparkCounterpart =
    "with compat='spark': Spark's Tokenizer, RegexTokenizer and HashingTF have no such option";

}  // namespace

Result<std::unique_ptr<Extractor>> make_spark_compat_hashing_vectorizer(const Params& params) {
  ParamReader reader(SparkCompatHashingVectorizerKernel::kName, params);
  PARAFEAT_RETURN_NOT_OK(reader.choice("compat", "spark", {"spark"}).status());
  // Parameters that act before the engine sees text: the Python front decodes bytes with them.
  PARAFEAT_RETURN_NOT_OK(reader.only_default("input", "content"));
  PARAFEAT_RETURN_NOT_OK(reader.string("encoding", "utf-8").status());
  PARAFEAT_RETURN_NOT_OK(
      reader.choice("decode_error", "strict", {"strict", "ignore", "replace"}).status());
  PARAFEAT_RETURN_NOT_OK(reader.restricted("strip_accents", {nullptr}, kNoSparkCounterpart));
  PARAFEAT_ASSIGN_OR_RAISE(bool lowercase, reader.boolean("lowercase", true));
  PARAFEAT_RETURN_NOT_OK(reader.restricted("preprocessor", {nullptr}, kNoSparkCounterpart));
  PARAFEAT_RETURN_NOT_OK(reader.restricted("tokenizer", {nullptr}, kNoSparkCounterpart));
  PARAFEAT_RETURN_NOT_OK(reader.restricted("stop_words", {nullptr}, kNoSparkCounterpart));
  PARAFEAT_ASSIGN_OR_RAISE(std::string token_pattern,
                           reader.string("token_pattern", std::string(kSklearnTokenPattern)));
  PARAFEAT_RETURN_NOT_OK(
      reader.restricted("ngram_range", {ParamValue(ParamValue::List{1, 1})}, kNoSparkCounterpart));
  PARAFEAT_RETURN_NOT_OK(reader.restricted("analyzer", {"word"}, kNoSparkCounterpart));
  PARAFEAT_ASSIGN_OR_RAISE(std::int64_t n_features,
                           reader.integer("n_features", std::int64_t{1} << 20, 1,
                                          std::numeric_limits<std::int32_t>::max()));
  PARAFEAT_ASSIGN_OR_RAISE(bool binary, reader.boolean("binary", false));
  PARAFEAT_RETURN_NOT_OK(reader.restricted("norm", {"l2", nullptr}, kNoSparkCounterpart));
  PARAFEAT_RETURN_NOT_OK(reader.restricted("alternate_sign", {true, false}, kNoSparkCounterpart));
  PARAFEAT_RETURN_NOT_OK(reader.restricted("dtype", {"float64"}, kNoSparkCounterpart));
  PARAFEAT_RETURN_NOT_OK(reader.finish());

  SparkTokenizerOptions options = spark_tokenizer_options();
  if (token_pattern != kSklearnTokenPattern) {
    options = {
        .pattern = token_pattern, .gaps = true, .min_token_length = 1, .to_lowercase = lowercase};
  } else if (!lowercase) {
    return Status::Invalid(
        "hashing_vectorizer: lowercase=False needs a token_pattern with compat='spark': Spark's "
        "Tokenizer always lower-cases; a token_pattern such as r'\\s+' selects RegexTokenizer, "
        "whose toLowercase follows lowercase");
  }
  PARAFEAT_ASSIGN_OR_RAISE(SparkTokenizer tokenizer,
                           SparkTokenizer::make(options, "hashing_vectorizer: token_pattern"));
  SparkCompatHashingVectorizerKernel kernel{{.tokenizer = tokenizer,
                                             .num_features = static_cast<std::int32_t>(n_features),
                                             .binary = binary}};
  return std::unique_ptr<Extractor>(
      std::make_unique<RowKernelExtractor<SparkCompatHashingVectorizerKernel>>(kernel,
                                                                               reader.resolved()));
}

}  // namespace parafeat::text
