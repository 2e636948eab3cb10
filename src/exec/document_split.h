// Intra-document parallelism: one large document cut into pieces (DocumentSplitting::split),
// the pieces counted in parallel and their integer counts summed column by column (in column
// ranges, in parallel), so the row is the same bytes whatever the thread count or timing.
#pragma once

#include <cstdint>
#include <string_view>

#include "parafeat/extractor.h"
#include "parafeat/features.h"
#include "parafeat/status.h"

namespace parafeat::exec {

/// Appends the row of `document` (text in `form`) to `out` (and ends it), counting its pieces of
/// about `piece_bytes` in parallel on the current task arena (of `threads` threads), then summing
/// their counts in column ranges in parallel. Returns false, leaving `out` alone, when the
/// document was not split (too short, no safe cut, or a piece failed: the caller then runs the
/// extractor on the whole row, which reports the failure as usual).
Result<bool> extract_split_row(const DocumentSplitting& splitting, std::string_view document,
                               TextForm form, std::int64_t piece_bytes, int threads,
                               SparseRows& out);

}  // namespace parafeat::exec
