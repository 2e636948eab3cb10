// Writing responses: features and errors as JSON text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parafeat/batch.h"
#include "parafeat/executor.h"

namespace parafeat::server {

/// Appends `text` (UTF-8) to `out` as a JSON string literal, quotes included.
void append_json_string(std::string_view text, std::string& out);

/// {"names": [name, ...], "features": [[{"indices": [...], "values": [...]}, ...], ...]}:
/// one entry of "features" per input row, holding one sparse vector per column, in column order
/// (`names`: the output names). When the columns are dense (all of them), an entry is one array of
/// every column's values in turn: {"names": [feature, ...], "features": [[1.5, null, ...], ...]}
/// (`names`: the feature names of every column in turn).
/// Values print as integers for integer dtypes, else as the shortest text that reads back as the
/// same float32 or float64; NaN and infinities (which JSON lacks) as null. Large outputs are
/// written in pieces on `executor`'s threads (rows in blocks, a long row's number arrays in runs)
/// and joined in order: the same bytes for any thread count. Fails only when the executor is
/// cancelled.
Result<std::string> features_json(const std::vector<FeatureColumn>& columns,
                                  const std::vector<std::string>& names, const Executor& executor);

/// {"error": message}.
std::string error_json(std::string_view message);

}  // namespace parafeat::server
