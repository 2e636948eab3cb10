#include "exec/document_split.h"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <atomic>
#include <utility>
#include <vector>

namespace parafeat {

void ColumnCounts::merge(const ColumnCounts& other) {
  ColumnCounts merged;
  merged.columns.reserve(columns.size() + other.columns.size());
  merged.counts.reserve(columns.size() + other.columns.size());
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < columns.size() || j < other.columns.size()) {
    const bool take_left =
        j == other.columns.size() || (i < columns.size() && columns[i] <= other.columns[j]);
    const bool take_right =
        i == columns.size() || (j < other.columns.size() && other.columns[j] <= columns[i]);
    merged.columns.push_back(take_left ? columns[i] : other.columns[j]);
    merged.counts.push_back((take_left ? counts[i] : 0) + (take_right ? other.counts[j] : 0));
    i += take_left;
    j += take_right;
  }
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
