#include "exec/document_split.h"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <atomic>
#include <utility>
#include <vector>

namespace parafeat {

void ColumnCounts::merge(const ColumnCounts& other) {
  const std::size_t n = columns.size();
  const std::size_t m = other.columns.size();
  ColumnCounts merged;
  merged.columns.resize(n + m);
  merged.counts.resize(n + m);
  std::int32_t* out_columns = merged.columns.data();
  std::int64_t* out_counts = merged.counts.data();
  std::size_t i = 0;
  std::size_t j = 0;
  std::size_t k = 0;
  while (i < n && j < m) {
    const std::int32_t left = columns[i];
    const std::int32_t right = other.columns[j];
    out_columns[k] = left < right ? left : right;
    out_counts[k] = (left <= right ? counts[i] : 0) + (right <= left ? other.counts[j] : 0);
    i += left <= right;
    j += right <= left;
    ++k;
  }
  for (; i < n; ++i, ++k) {
    out_columns[k] = columns[i];
    out_counts[k] = counts[i];
  }
  for (; j < m; ++j, ++k) {
    out_columns[k] = other.columns[j];
    out_counts[k] = other.counts[j];
  }
  merged.columns.resize(k);
  merged.counts.resize(k);
  *this = std::move(merged);
}

void ColumnCounts::negate() {
  for (std::int64_t& count : counts) count = -count;
}

namespace exec {

Result<bool> extract_split_row(const DocumentSplitting& splitting, std::string_view document,
                               std::int64_t piece_bytes, SparseRows& out) {
  const std::vector<DocumentPiece> pieces = splitting.split(document, piece_bytes);
  if (pieces.size() < 2) return false;
  const std::size_t n = pieces.size();
  std::vector<ColumnCounts> partials(n);
  std::atomic<bool> failed{false};
  // Isolated: while this thread waits for the pieces it must not pick up other work of the
  // arena (another morsel), which could reuse the per-thread buffer `document` lives in.
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
      if (failed.load(std::memory_order_relaxed)) return;
      if (!splitting.count_piece(pieces[i].text, partials[i]).ok()) {
        failed.store(true, std::memory_order_relaxed);
        return;
      }
      if (pieces[i].subtract) partials[i].negate();
    });
    // The fixed tree: at each level, partial i absorbs partial i + step, for every i that is a
    // multiple of 2 * step; which thread merges which pair never changes the result.
    for (std::size_t step = 1; step < n && !failed.load(); step *= 2) {
      const std::size_t pairs = (n - step + 2 * step - 1) / (2 * step);
      tbb::parallel_for(std::size_t{0}, pairs, [&](std::size_t p) {
        const std::size_t left = p * 2 * step;
        partials[left].merge(partials[left + step]);
        partials[left + step] = {};
      });
    }
  });
  if (failed.load()) return false;
  PARAFEAT_RETURN_NOT_OK(splitting.finish_row(partials[0], out));
  out.end_row();
  return true;
}

}  // namespace exec
}  // namespace parafeat
