#include "server/response.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace parafeat::server {
namespace {

template <typename T>
void append_number(T value, std::string& out) {
  std::array<char, 32> text{};
  const auto result = std::to_chars(text.data(), text.data() + text.size(), value);
  out.append(text.data(), result.ptr);
}

void append_value(double value, FeatureDType dtype, std::string& out) {
  if (!std::isfinite(value)) {
    out += "null";  // JSON has no NaN or infinity; features are finite
    return;
  }
  switch (dtype) {
    case FeatureDType::kInt64:
    case FeatureDType::kInt32: append_number(static_cast<std::int64_t>(value), out); return;
    case FeatureDType::kFloat32: append_number(static_cast<float>(value), out); return;
    case FeatureDType::kFloat64: append_number(value, out); return;
  }
}

}  // namespace

void append_json_string(std::string_view text, std::string& out) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  out.push_back('"');
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20) {
      out += "\\u00";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

std::string features_json(const std::vector<FeatureColumn>& columns) {
  std::string out = "{\"names\":[";
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c > 0) out.push_back(',');
    append_json_string(columns[c].name, out);
  }
  out += "],\"features\":[";
  const std::int64_t num_rows = columns.empty() ? 0 : columns.front().rows.num_rows();
  for (std::int64_t row = 0; row < num_rows; ++row) {
    if (row > 0) out.push_back(',');
    out.push_back('[');
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const SparseRows& rows = columns[c].rows;
      const auto begin = static_cast<std::size_t>(rows.indptr[static_cast<std::size_t>(row)]);
      const auto end = static_cast<std::size_t>(rows.indptr[static_cast<std::size_t>(row) + 1]);
      if (c > 0) out.push_back(',');
      out += "{\"indices\":[";
      for (std::size_t k = begin; k < end; ++k) {
        if (k > begin) out.push_back(',');
        append_number(rows.indices[k], out);
      }
      out += "],\"values\":[";
      for (std::size_t k = begin; k < end; ++k) {
        if (k > begin) out.push_back(',');
        append_value(rows.values[k], columns[c].dtype, out);
      }
      out += "]}";
    }
    out.push_back(']');
  }
  out += "]}";
  return out;
}

std::string error_json(std::string_view message) {
  std::string out = "{\"error\":";
  append_json_string(message, out);
  out.push_back('}');
  return out;
}

}  // namespace parafeat::server
