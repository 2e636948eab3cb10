// How many series go in one morsel: about 64K values each (long series get small morsels, so
// a few very long series still spread over the threads), at most `max_series`, and enough
// morsels for four per thread.
#pragma once

#include <cstdint>

namespace parafeat {

/// Series per morsel for `num_series` series holding `num_values` values in all.
std::int64_t series_per_morsel(std::int64_t num_values, std::int64_t num_series, int threads,
                               std::int64_t max_series = 1024);

}  // namespace parafeat
