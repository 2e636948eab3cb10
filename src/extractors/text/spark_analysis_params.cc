#include "extractors/text/spark_analysis_params.h"

#include <string>

namespace parafeat::text {
namespace {

constexpr std::string_view kSklearnTokenPattern = R"((?u)\b\w\w+\b)";

}  // namespace

bool is_spark_compat(const Params& params) {
  const auto it = params.find("compat");
  return it != params.end() && it->second == ParamValue("spark");
}

Result<SparkTokenizer> read_spark_analysis(ParamReader& reader) {
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

  SparkTokenizerOptions options = spark_tokenizer_options();
  if (token_pattern != kSklearnTokenPattern) {
    options = {
        .pattern = token_pattern, .gaps = true, .min_token_length = 1, .to_lowercase = lowercase};
  } else if (!lowercase) {
    return Status::Invalid(
        reader.owner() +
        ": lowercase=False needs a token_pattern with compat='spark': Spark's Tokenizer always "
        "lower-cases; a token_pattern such as r'\\s+' selects RegexTokenizer, whose toLowercase "
        "follows lowercase");
  }
  return SparkTokenizer::make(options, reader.owner() + ": token_pattern");
}

}  // namespace parafeat::text
