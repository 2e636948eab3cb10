// A saved Pipeline (Python's Pipeline.save, a .pfstate file): a state container of kind
// "pipeline" whose payload is a list of entries, each an output name then that step's fit state
// (each a length-prefixed byte string, see byte_codec.h), followed by one entry named "" that
// holds the fitted pipeline's spec with every fitted parameter (vocabulary, idf) resolved. The
// fit states let Python refit or merge; the fitted spec lets a reader without the fitting code
// (the native server) run the pipeline exactly as it was fitted.
#pragma once

#include <string>
#include <string_view>

#include "parafeat/status.h"

namespace parafeat::state {

/// The container kind of a saved pipeline.
inline constexpr std::string_view kPipelineStateKind = "pipeline";
/// The payload entry name under which the fitted spec is saved (no output is named "").
inline constexpr std::string_view kFittedSpecEntry = "";

/// The fitted spec (YAML) saved in the bytes of a .pfstate file. Invalid, saying what is wrong
/// and what to do, for a damaged file, one of another kind or version, or one saved before
/// fitted specs were written.
Result<std::string> read_fitted_pipeline_spec(std::string_view file_bytes);

}  // namespace parafeat::state
