#include "extractors/text/text_splitter.h"

#include <algorithm>
#include <utility>

#include "common/unicode.h"

namespace parafeat::text {
namespace {

constexpr std::size_t kNoCut = std::string_view::npos;

// Whether the code point that ends at byte `end` of `text` is whitespace (false at the start).
bool space_before(std::string_view text, std::size_t end) {
  if (end == 0) return false;
  std::size_t begin = end - 1;
  // Step back over continuation bytes to the sequence's lead (at most 3 of them).
  while (begin > 0 && end - begin < 4 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80)
    --begin;
  char32_t cp = 0;
  const int length = unicode::decode_utf8(text, begin, cp);
  return length > 0 && begin + static_cast<std::size_t>(length) == end && unicode::is_space(cp);
}

// The first cut at or after byte `from` of `text`: a byte offset where a single whitespace
// code point starts that has a non-whitespace code point on each side; kNoCut if there is none
// (or the text is not valid UTF-8 there, or `from` is past its end).
std::size_t find_cut(std::string_view text, std::size_t from) {
  if (from >= text.size()) return kNoCut;
  std::size_t pos = from;
  while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
  bool previous_space = space_before(text, pos);
  bool previous_exists = pos > 0;
  while (pos < text.size()) {
    char32_t cp = 0;
    const int length = unicode::decode_utf8(text, pos, cp);
    if (length == 0) return kNoCut;
    const bool space = unicode::is_space(cp);
    const std::size_t next = pos + static_cast<std::size_t>(length);
    if (space && previous_exists && !previous_space && next < text.size()) {
      char32_t after = 0;
      const int after_length = unicode::decode_utf8(text, next, after);
      if (after_length == 0) return kNoCut;
      if (!unicode::is_space(after)) return pos;
    }
    previous_space = space;
    previous_exists = true;
    pos = next;
  }
  return kNoCut;
}

}  // namespace

std::optional<TextSplitter> TextSplitter::make(const AnalyzerOptions& options) {
  if (options.token_pattern) return std::nullopt;
  AnalyzerOptions units = options;
  units.ngram_min = 1;
  units.ngram_max = 1;
  const int overlap = options.kind == AnalyzerKind::kCharWb ? 0 : options.ngram_max - 1;
  return TextSplitter(Analyzer(std::move(units)), overlap);
}

std::optional<std::size_t> TextSplitter::overlap_end(std::string_view document, TextForm form,
                                                     std::size_t begin,
                                                     AnalyzerScratch& scratch) const {
  std::size_t span = 16 * static_cast<std::size_t>(overlap_units_);
  while (true) {
    std::size_t end = find_cut(document, begin + span);
    if (end == kNoCut) end = document.size();
    if (!units_.analyze(document.substr(begin, end - begin), form, scratch).ok()) {
      return std::nullopt;
    }
    if (end == document.size() ||
        scratch.terms().size() >= static_cast<std::size_t>(overlap_units_)) {
      return end;
    }
    span = std::max(span * 2, end - begin + 1);
  }
}

std::vector<DocumentPiece> TextSplitter::split(std::string_view document, TextForm form,
                                               std::int64_t piece_bytes) const {
  const auto piece = static_cast<std::size_t>(std::max<std::int64_t>(piece_bytes, 1));
  if (document.size() < 2 * piece) return {};
  std::vector<std::size_t> cuts{0};
  for (std::size_t from = piece; from + piece / 2 < document.size();) {
    const std::size_t cut = find_cut(document, from);
    if (cut == kNoCut || cut + piece / 2 >= document.size()) break;
    cuts.push_back(cut);
    from = cut + piece;
  }
  cuts.push_back(document.size());
  if (cuts.size() < 3) return {};

  std::vector<DocumentPiece> pieces;
  AnalyzerScratch scratch;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    std::size_t end = cuts[k + 1];
    if (overlap_units_ > 0 && end < document.size()) {
      const std::optional<std::size_t> overlap = overlap_end(document, form, end, scratch);
      if (!overlap) return {};
      pieces.push_back({document.substr(end, *overlap - end), true});
      end = *overlap;
    }
    pieces.push_back({document.substr(cuts[k], end - cuts[k]), false});
  }
  return pieces;
}

}  // namespace parafeat::text
