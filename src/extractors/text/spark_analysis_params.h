// scikit-learn's text analysis parameters mapped onto Spark ML's Tokenizer and RegexTokenizer,
// for the vectorizers' compat="spark" mode:
//   token_pattern  -> at scikit-learn's default: Tokenizer (split on \s, empty tokens kept);
//                     otherwise RegexTokenizer(pattern=token_pattern, gaps=True,
//                     minTokenLength=1, toLowercase=lowercase)
//   lowercase      -> RegexTokenizer.toLowercase (Tokenizer always lower-cases)
// input, encoding and decode_error act before the engine sees text; the other analysis options
// have no Spark counterpart and are accepted only at their defaults.
#pragma once

#include <string_view>

#include "common/param_reader.h"
#include "extractors/text/spark_tokenizer.h"

namespace parafeat::text {

/// Why an option is refused in compat="spark" mode, for ParamReader::restricted().
inline constexpr std::string_view kNoSparkCounterpart =
    "with compat='spark': Spark ML's Tokenizer, RegexTokenizer and feature transformers have no "
    "such option";

/// Whether `params` ask for compat="spark".
bool is_spark_compat(const Params& params);

/// Reads compat (which must be "spark") and the analysis parameters from `reader`, and returns
/// the Spark tokenizer they select (see the mapping above).
Result<SparkTokenizer> read_spark_analysis(ParamReader& reader);

}  // namespace parafeat::text
