// The parameters scikit-learn's vectorizers share for turning documents into terms, read once for
// every text extractor.
#pragma once

#include "common/param_reader.h"
#include "extractors/text/analyzer.h"
#include "parafeat/params.h"

namespace parafeat::text {

/// Reads input, encoding, decode_error, strip_accents, lowercase, preprocessor, tokenizer,
/// stop_words, token_pattern, ngram_range and analyzer from `reader` (over `params`) with
/// scikit-learn's defaults, and returns the analysis they describe. encoding and decode_error act
/// before the engine sees text (the front door decodes bytes with them), so they are only
/// validated here.
Result<AnalyzerOptions> read_analyzer_options(ParamReader& reader, const Params& params);

}  // namespace parafeat::text
