// String.toLowerCase(): code point by code point, with the word context only for capital sigma.
#include "common/java_lower.h"

#include <algorithm>
#include <cstddef>
#include <string>

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

// String.codePointAt() and codePointBefore() of UTF-16 `text`.
char32_t code_point_at(std::u16string_view text, std::size_t i) {
  const char32_t c = text[i];
  return is_high_surrogate(c) && i + 1 < text.size() && is_low_surrogate(text[i + 1])
             ? combine_surrogates(c, text[i + 1])
             : c;
}

char32_t code_point_before(std::u16string_view text, std::size_t i) {
  const char32_t c = text[i - 1];
  return is_low_surrogate(c) && i >= 2 && is_high_surrogate(text[i - 2])
             ? combine_surrogates(text[i - 2], c)
             : c;
}

std::size_t utf16_length(char32_t cp) {
  return cp > 0xFFFF ? 2 : 1;
}

// ConditionalSpecialCasing.isFinalCased() for the sigma at UTF-16 index `at` of `text`, step by
// step: back from the sigma to a word boundary, a cased code point must come; then forward from
// it to a word boundary, none may. One iterator answers all the questions, as in the JDK.
bool is_final_sigma(std::u16string_view text, std::size_t at, WordBreakMemo& memo) {
  WordBreakIterator words(text, memo);
  for (std::size_t i = at; !words.is_boundary(i);) {  // the start of the text is a boundary
    const char32_t before = code_point_before(text, i);
    if (is_cased(before)) {
      for (std::size_t j = at + 1; j < text.size() && !words.is_boundary(j);) {
        const char32_t after = code_point_at(text, j);
        if (is_cased(after)) return false;
        j += utf16_length(after);
      }
      return true;
    }
    i -= utf16_length(before);
  }
  return false;
}

void append_utf16(char32_t cp, std::u16string& out) {
  if (cp > 0xFFFF) {
    out.push_back(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
    out.push_back(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
  } else {
    out.push_back(static_cast<char16_t>(cp));
  }
}

void append_code_point(char32_t cp, std::string& out) {
  char bytes[4];
  out.append(bytes, unicode::encode_utf8(cp, bytes));
}

}  // namespace

Status append_lower(std::string_view utf8, std::string& out, LowerScratch& scratch) {
  const std::size_t original_size = out.size();
  const bool has_sigma = utf8.find(kCapitalSigmaUtf8) != std::string_view::npos;
  std::u16string& text = scratch.utf16;
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
    if (cp == kCapitalSigma) scratch.sigmas.emplace_back(text.size(), out.size());
    if (has_sigma) append_utf16(cp, text);
    if (cp == kCapitalIWithDot) {
      out.push_back('i');
      append_code_point(kCombiningDotAbove, out);
    } else if (cp == kCapitalSigma) {
      append_code_point(kSmallSigma, out);  // made final below, once the whole text is known
    } else {
      append_code_point(simple_lower(cp), out);
    }
  }
  if (!has_sigma) return Status::OK();

  scratch.words.clear();
  for (const auto& [index, offset] : scratch.sigmas) {
    if (is_final_sigma(text, index, scratch.words)) {
      out.replace(offset, kSmallFinalSigmaUtf8.size(), kSmallFinalSigmaUtf8);
    }
  }
  return Status::OK();
}

}  // namespace parafeat::java
