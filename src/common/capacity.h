// Capacity estimates for output that grows morsel by morsel: the whole is sized once from the
// first part, so that appending the rest rarely moves it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace parafeat {

/// The number of values to reserve for `total_rows` rows when the first `sample_rows` rows held
/// `sample_values`: their values per row, a quarter more as a margin, and a little more.
/// Reserved pages that are never written cost address space, not memory.
inline std::size_t estimated_capacity(std::int64_t sample_values, std::int64_t sample_rows,
                                      std::int64_t total_rows) {
  const double values_per_row = static_cast<double>(sample_values) /
                                static_cast<double>(std::max<std::int64_t>(sample_rows, 1));
  return static_cast<std::size_t>(values_per_row * 1.25 * static_cast<double>(total_rows)) + 1024;
}

}  // namespace parafeat
