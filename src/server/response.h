// Writing responses: features and errors as JSON text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parafeat/batch.h"

namespace parafeat::server {

/// Appends `text` (UTF-8) to `out` as a JSON string literal, quotes included.
void append_json_string(std::string_view text, std::string& out);

/// {"names": [output, ...], "features": [[{"indices": [...], "values": [...]}, ...], ...]}:
/// one entry of "features" per input row, holding one sparse vector per column, in column order.
/// Values print as integers for integer dtypes, else as the shortest text that reads back as the
/// same float32 or float64.
std::string features_json(const std::vector<FeatureColumn>& columns);

/// {"error": message}.
std::string error_json(std::string_view message);

}  // namespace parafeat::server
