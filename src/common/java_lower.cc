// String.toLowerCase(): code point by code point, with the word context only for capital sigma.
#include "common/java_lower.h"

#include <algorithm>
#include <cstddef>
#include <span>

#include "common/java_unicode.h"
#include "common/java_word_break.h"
#include "common/unicode.h"

namespace parafeat::java {
namespace {

constexpr char32_t kCapitalIWithDot = 0x0130;
constexpr char32_t kCombiningDotAbove = 0x0307;
constexpr char32_t kCapitalSigma = 0x03A3;
constexpr char32_t kSmallSigma = 0x03C3;
constexpr std::string_view kCapitalSigmaUtf8 = "\xCE\xA3";
constexpr std::string_view kSmallFinalSigmaUtf8 = "\xCF\x82";  // as long as U+03C3's "\xCF\x83"

bool is_cased(char32_t cp) {
  return (char_classes(cp) & kCased) != 0;
}

// Whether ConditionalSpecialCasing also sees a word boundary before code point `i` (inside its
// word) of `text`. It asks BreakIterator.isBoundary(), which answers from following(i - 1): from
// inside a surrogate pair that reports a boundary after every supplementary code point but one
// at the very start (measured on JDK 17; the JDK's choice also depends on the text before, which
// is not modelled, so a sigma in the same word as a supplementary code point may differ).
bool after_surrogate_pair(std::span<const char32_t> text, std::size_t i) {
  return i >= 2 && text[i - 1] > 0xFFFF;
}

// ConditionalSpecialCasing's final-sigma test for the sigma at index `at` of `text`: a cased
// code point lies between the start of its word and it, and none between it and the word's end.
bool is_final_sigma(std::span<const char32_t> text, std::size_t at) {
  const Segment word = segment_containing(text, at);
  bool cased_before = false;
  for (std::size_t i = at; i > word.begin && !after_surrogate_pair(text, i) && !cased_before; --i) {
    cased_before = is_cased(text[i - 1]);
  }
  if (!cased_before) return false;
  for (std::size_t i = at + 1; i < word.end && !after_surrogate_pair(text, i); ++i) {
    if (is_cased(text[i])) return false;
  }
  return true;
}

void append_code_point(char32_t cp, std::string& out) {
  char bytes[4];
  out.append(bytes, unicode::encode_utf8(cp, bytes));
}

}  // namespace

Status append_lower(std::string_view utf8, std::string& out, LowerScratch& scratch) {
  const std::size_t original_size = out.size();
  const bool has_sigma = utf8.find(kCapitalSigmaUtf8) != std::string_view::npos;
  std::vector<char32_t>& text = scratch.code_points;
  text.clear();
  scratch.sigmas.clear();
  out.reserve(original_size + utf8.size());
  for (std::size_t pos = 0; pos < utf8.size();) {
    const std::string_view ascii = utf8.substr(pos, unicode::ascii_prefix_length(utf8.substr(pos)));
    if (!ascii.empty()) {
      const std::size_t at = out.size();
      out.resize(at + ascii.size());
      std::transform(ascii.begin(), ascii.end(), out.begin() + static_cast<std::ptrdiff_t>(at),
                     [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
      if (has_sigma) text.insert(text.end(), ascii.begin(), ascii.end());
      pos += ascii.size();
      continue;
    }
    char32_t cp = 0;
    const int length = unicode::decode_utf8(utf8, pos, cp);
    if (length == 0) {
      out.resize(original_size);
      return unicode::invalid_utf8_at(utf8, pos);
    }
    pos += static_cast<std::size_t>(length);
    if (has_sigma) text.push_back(cp);
    if (cp == kCapitalIWithDot) {
      out.push_back('i');
      append_code_point(kCombiningDotAbove, out);
    } else if (cp == kCapitalSigma) {
      scratch.sigmas.emplace_back(text.size() - 1, out.size());
      append_code_point(kSmallSigma, out);  // made final below, once the whole text is known
    } else {
      append_code_point(simple_lower(cp), out);
    }
  }
  if (!has_sigma) return Status::OK();

  for (const auto& [index, offset] : scratch.sigmas) {
    if (is_final_sigma(text, index)) {
      out.replace(offset, kSmallFinalSigmaUtf8.size(), kSmallFinalSigmaUtf8);
    }
  }
  return Status::OK();
}

}  // namespace parafeat::java
