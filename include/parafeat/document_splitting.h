// Intra-document parallelism: the hooks an extractor offers so that the executor can cut one
// large document into pieces, count the pieces on several threads and combine the counts into
// the row the whole document gives, byte for byte.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "parafeat/column.h"
#include "parafeat/features.h"
#include "parafeat/status.h"

namespace parafeat {

/// One piece of a document cut for parallel counting. A piece marked `subtract` is an overlap
/// that two neighbouring pieces both count: its counts are taken away once, which is how
/// overlapping pieces are de-duplicated.
struct DocumentPiece {
  std::string_view text;
  bool subtract = false;
};

/// Integer counts by column, columns strictly ascending. A column present with a zero count
/// (terms whose signs cancelled) stays present, as it does in the unsplit row.
struct ColumnCounts {
  std::vector<std::int32_t> columns;
  std::vector<std::int64_t> counts;

  /// Adds `other` column by column into this.
  void merge(const ColumnCounts& other);
  /// Negates every count (for a piece marked `subtract`).
  void negate();
};

/// What an extractor whose row is a function of integer term counts offers the executor. The
/// executor cuts a document with split(), counts every piece with count_piece() (in parallel),
/// merges the counts in a fixed tree and lets finish_row() turn them into the row (weights and
/// normalisation are applied once, there).
class DocumentSplitting {
 public:
  virtual ~DocumentSplitting() = default;
  /// Cuts `document` (text in `form`) into pieces of about `piece_bytes` at boundaries no term
  /// crosses, with the overlaps n-grams need; empty (or one piece) when it cannot be cut safely.
  virtual std::vector<DocumentPiece> split(std::string_view document, TextForm form,
                                           std::int64_t piece_bytes) const = 0;
  /// The counts of the terms of `piece` (of a document in `form`) analysed on its own.
  virtual Status count_piece(std::string_view piece, TextForm form, ColumnCounts& out) const = 0;
  /// Appends the row whose merged counts are `counts` to out.indices / out.values (the caller
  /// ends the row).
  virtual Status finish_row(const ColumnCounts& counts, SparseRows& out) const = 0;
};

}  // namespace parafeat
