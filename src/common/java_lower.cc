// String.toLowerCase(): code point by code point, with the word context only for capital sigma.
#include "common/java_lower.h"

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

// Whether ConditionalSpecialCasing sees a word boundary before code point `i` of `text`. It asks
// BreakIterator.isBoundary(), which answers from following(i - 1): from inside a surrogate pair
// that also reports a boundary after every supplementary code point but one at the very start
// (measured on JDK 17), besides the boundaries of the forward segmentation.
bool sees_boundary(std::span<const char32_t> text, std::span<const std::uint8_t> boundary,
                   std::size_t i) {
  return boundary[i] || (i >= 2 && text[i - 1] > 0xFFFF);
}

// ConditionalSpecialCasing's final-sigma test for the sigma at index `at` of `text`: a cased
// code point lies between the start of its word and it, and none between it and the word's end.
bool is_final_sigma(std::span<const char32_t> text, std::span<const std::uint8_t> boundary,
                    std::size_t at) {
  bool cased_before = false;
  for (std::size_t i = at; !sees_boundary(text, boundary, i) && !cased_before; --i) {
    cased_before = is_cased(text[i - 1]);
  }
  if (!cased_before) return false;
  for (std::size_t i = at + 1; i < text.size() && !sees_boundary(text, boundary, i); ++i) {
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
    const auto byte = static_cast<unsigned char>(utf8[pos]);
    if (byte < 0x80) {
      out.push_back(static_cast<char>(byte >= 'A' && byte <= 'Z' ? byte + ('a' - 'A') : byte));
      if (has_sigma) text.push_back(byte);
      ++pos;
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

  word_boundaries(text, scratch.word_boundaries);
  for (const auto& [index, offset] : scratch.sigmas) {
    if (is_final_sigma(text, scratch.word_boundaries, index)) {
      out.replace(offset, kSmallFinalSigmaUtf8.size(), kSmallFinalSigmaUtf8);
    }
  }
  return Status::OK();
}

}  // namespace parafeat::java
