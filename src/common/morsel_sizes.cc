#include "common/morsel_sizes.h"

#include <algorithm>

namespace parafeat {
namespace {

// Rows per morsel for morsels of about `target` units, `total` units lying in `num_rows` rows.
std::int64_t rows_holding(double target, std::int64_t total, std::int64_t num_rows) {
  const double mean =
      static_cast<double>(total) / static_cast<double>(std::max<std::int64_t>(num_rows, 1));
  return static_cast<std::int64_t>(target / std::max(mean, 1.0));
}

// Rows per morsel that leave `per_thread` morsels of `num_rows` rows for each of `threads`.
std::int64_t rows_leaving(std::int64_t per_thread, int threads, std::int64_t num_rows) {
  const std::int64_t morsels = per_thread * std::max(threads, 1);
  return (num_rows + morsels - 1) / morsels;
}

}  // namespace

std::int64_t series_per_morsel(std::int64_t num_values, std::int64_t num_series, int threads,
                               std::int64_t max_series) {
  return std::max<std::int64_t>(1, std::min({rows_holding(65536.0, num_values, num_series),
                                             max_series, rows_leaving(4, threads, num_series)}));
}

std::int64_t documents_per_morsel(std::int64_t num_bytes, std::int64_t num_documents, int threads,
                                  std::int64_t min_documents) {
  constexpr double kMorselBytes = 1024.0 * 1024.0;
  return std::max(min_documents, std::min(rows_holding(kMorselBytes, num_bytes, num_documents),
                                          rows_leaving(8, threads, num_documents)));
}

}  // namespace parafeat
