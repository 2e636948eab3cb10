// TextSplitter: where one large document may be cut so that the terms of its pieces, analysed on
// their own, add up to the terms of the whole (see DocumentSplitting in parafeat/
// document_splitting.h). The text family's extractors hand their pieces to the executor.
//
// A cut is made before a single whitespace code point that has non-whitespace on both sides.
// There no token, word or run of whitespace is broken, str.lower()'s one context rule (the final
// sigma) sees the same neighbours, and the whitespace folding of analyzer="char" is unchanged.
// Terms never cross whitespace for analyzer="char_wb", so its pieces need no overlap. Word
// n-grams and char n-grams do cross it: each piece then also covers the start of the next one,
// up to a cut past at least ngram_max - 1 tokens (characters), and that overlap, counted again
// by the next piece, is subtracted once. A custom token_pattern may match across whitespace, so
// an analyzer with one is never split.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "extractors/text/analyzer.h"
#include "parafeat/document_splitting.h"

namespace parafeat::text {

/// Cuts documents for the analyzer it was made for. Immutable, safe to share between threads.
class TextSplitter {
 public:
  /// The splitter of an analyzer with `options`, or nullopt when such documents cannot be cut
  /// safely (a custom token_pattern).
  static std::optional<TextSplitter> make(const AnalyzerOptions& options);

  /// The pieces of `document` (text in `form`), about `piece_bytes` each, overlaps marked
  /// `subtract`; empty when the document is too short or has no place to cut (or is not valid
  /// UTF-8).
  std::vector<DocumentPiece> split(std::string_view document, TextForm form,
                                   std::int64_t piece_bytes) const;

 private:
  TextSplitter(Analyzer units, int overlap_units)
      : units_(std::move(units)), overlap_units_(overlap_units) {}

  /// The end of the overlap that follows the cut at `begin`: the first cut (or the document's
  /// end) past at least overlap_units_ units; nullopt on invalid UTF-8.
  std::optional<std::size_t> overlap_end(std::string_view document, TextForm form,
                                         std::size_t begin, AnalyzerScratch& scratch) const;

  Analyzer units_;     // the analyzer with ngram_range (1, 1): its terms are the overlap's units
  int overlap_units_;  // ngram_max - 1, or 0 for char_wb
};

}  // namespace parafeat::text
