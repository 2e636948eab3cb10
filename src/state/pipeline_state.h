// A saved Pipeline (Python's Pipeline.save, a .pfstate file): a state container of kind
// "pipeline" whose payload is a list of entries, each an output name then that step's fit state
// (each a length-prefixed byte string, see byte_codec.h), followed by one entry named "" that
// holds the fitted pipeline's spec with every fitted parameter (vocabulary, idf) resolved. The
// fit states let Python refit or merge; the fitted spec lets a reader without the fitting code
// (the native server) run the pipeline exactly as it was fitted.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parafeat/status.h"

namespace parafeat::state {

/// The container kind of a saved pipeline.
inline constexpr std::string_view kPipelineStateKind = "pipeline";
/// The payload entry name under which the fitted spec is saved (no output is named "").
inline constexpr std::string_view kFittedSpecEntry = "";

/// One payload entry: a step's output name (or kFittedSpecEntry) and its bytes.
using PipelineEntry = std::pair<std::string, std::string>;

/// The payload of a saved pipeline: the entries, in order, each a length-prefixed name then a
/// length-prefixed value.
std::string encode_pipeline_entries(const std::vector<PipelineEntry>& entries);

/// The entries of a pipeline payload, in file order. Invalid, naming what was being read, for a
/// truncated payload.
Result<std::vector<PipelineEntry>> decode_pipeline_entries(std::string_view payload);

/// The fitted spec (YAML) saved in the bytes of a .pfstate file. Invalid, saying what is wrong
/// and what to do, for a damaged file, one of another kind or version, or one saved before
/// fitted specs were written.
Result<std::string> read_fitted_pipeline_spec(std::string_view file_bytes);

}  // namespace parafeat::state
