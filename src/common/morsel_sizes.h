// How many rows go in one morsel, the executor's unit of parallel work: enough work in each that
// per-morsel costs stay small, and enough morsels that every thread stays busy to the end.
#pragma once

#include <cstdint>

namespace parafeat {

/// Series per morsel for `num_series` series holding `num_values` values in all: about 64K
/// values each (long series get small morsels, so a few very long series still spread over the
/// threads), at most `max_series`, and enough morsels for four per thread.
std::int64_t series_per_morsel(std::int64_t num_values, std::int64_t num_series, int threads,
                               std::int64_t max_series = 1024);

/// Documents per morsel for `num_documents` documents of `num_bytes` in all: at least
/// `min_documents`, and more where documents are short, up to about 1 MiB of text a morsel
/// (each morsel of a counting vectorizer builds and merges a table of its terms, which small
/// morsels repeat for little text), as long as that leaves eight morsels per thread.
std::int64_t documents_per_morsel(std::int64_t num_bytes, std::int64_t num_documents, int threads,
                                  std::int64_t min_documents);

}  // namespace parafeat
