#include "common/morsel_sizes.h"

#include <algorithm>

namespace parafeat {

std::int64_t series_per_morsel(std::int64_t num_values, std::int64_t num_series, int threads,
                               std::int64_t max_series) {
  const double mean_length =
      static_cast<double>(num_values) / static_cast<double>(std::max<std::int64_t>(num_series, 1));
  const auto by_size = static_cast<std::int64_t>(65536.0 / std::max(mean_length, 1.0));
  const std::int64_t morsels = std::int64_t{4} * std::max(threads, 1);
  const std::int64_t by_threads = (num_series + morsels - 1) / morsels;
  return std::max<std::int64_t>(1, std::min({by_size, max_series, by_threads}));
}

std::int64_t documents_per_morsel(std::int64_t num_bytes, std::int64_t num_documents, int threads,
                                  std::int64_t min_documents) {
  constexpr double kMorselBytes = 1024.0 * 1024.0;
  const double mean_bytes = static_cast<double>(num_bytes) /
                            static_cast<double>(std::max<std::int64_t>(num_documents, 1));
  const auto by_size = static_cast<std::int64_t>(kMorselBytes / std::max(mean_bytes, 1.0));
  const std::int64_t morsels = std::int64_t{8} * std::max(threads, 1);
  const std::int64_t by_threads = (num_documents + morsels - 1) / morsels;
  return std::max(min_documents, std::min(by_size, by_threads));
}

}  // namespace parafeat
