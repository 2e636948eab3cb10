// Counting sorted column keys into ColumnCounts, the partial result of one piece of a document
// that the executor split (see parafeat/document_splitting.h).
#pragma once

#include <cstdint>
#include <span>

#include "parafeat/document_splitting.h"

namespace parafeat::text {

/// Sets `out` to the counts of the sorted `keys`. With `signed_keys` a key is column << 1 |
/// negative and counts +1 or -1 by its low bit (a column whose signs cancel stays, with 0);
/// else a key is the column and counts +1.
inline void count_sorted_keys(std::span<const std::uint32_t> keys, bool signed_keys,
                              ColumnCounts& out) {
  out.columns.clear();
  out.counts.clear();
  const int shift = signed_keys ? 1 : 0;
  for (const std::uint32_t key : keys) {
    const auto column = static_cast<std::int32_t>(key >> shift);
    if (out.columns.empty() || out.columns.back() != column) {
      out.columns.push_back(column);
      out.counts.push_back(0);
    }
    out.counts.back() += signed_keys ? 1 - 2 * static_cast<std::int64_t>(key & 1) : 1;
  }
}

}  // namespace parafeat::text
