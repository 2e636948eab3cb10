// Small helpers for composing user-facing messages.
#pragma once

#include <string>
#include <string_view>

namespace parafeat {

/// Joins names as a quoted, comma-separated list: 'a', 'b', 'c'.
template <typename Range>
std::string quoted_list(const Range& names) {
  std::string text;
  for (const auto& name : names) {
    if (!text.empty()) text.append(", ");
    text.append("'").append(std::string_view(name)).append("'");
  }
  return text;
}

}  // namespace parafeat
