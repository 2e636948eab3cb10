// Java's character data as String.toLowerCase() uses it, from tables measured on the JDK that
// Spark runs on (java_unicode_tables.inc, made by unicode/GenerateJavaTables.java on JDK 17,
// whose Unicode version is 13.0; Python's own tables follow the building interpreter instead).
#pragma once

#include <cstdint>

namespace parafeat::java {

/// Classes of a code point as the JDK's legacy word BreakIterator sees them (one bit each; a
/// code point may be in several), plus whether ConditionalSpecialCasing counts it as cased.
enum JavaCharClass : std::uint32_t {
  kLetter = 1U << 0,      ///< letters and spacing marks, except kana, kanji and CJK diacritics
  kDigit = 1U << 1,       ///< numbers (Nd, Nl, No)
  kEnclosing = 1U << 2,   ///< non-spacing and enclosing marks (Mn, Me)
  kIgnore = 1U << 3,      ///< format characters (Cf) no rule names, invisible to the iterator
  kMidWord = 1U << 4,     ///< dashes, connectors, U+00AD, U+2027, '"', '\'', '.'
  kMidNum = 1U << 5,      ///< '"', '\'', ',', U+066B, '.'
  kPreNum = 1U << 6,      ///< currency symbols but the cent sign, '#', '.'
  kPostNum = 1U << 7,     ///< '%', '&', cent sign, U+066A, U+2030, U+2031
  kDanda = 1U << 8,       ///< U+0964, U+0965
  kWhitespace = 1U << 9,  ///< space separators (Zs) and tab
  kCarriageReturn = 1U << 10,
  kLineSeparator = 1U << 11,  ///< '\n', '\f', U+2028, U+2029
  kKatakana = 1U << 12,
  kHiragana = 1U << 13,
  kCjkDiacritic = 1U << 14,
  kKanji = 1U << 15,
  kBase = 1U << 16,   ///< anything an enclosing mark may follow: not Mn, Me, Cc, Cf, Zl, Zp
  kCased = 1U << 17,  ///< java.lang.ConditionalSpecialCasing.isCased()
};

/// java.lang.Character.toLowerCase(int): the simple lower-case mapping (itself if none).
char32_t simple_lower(char32_t cp);

/// The JavaCharClass bits of `cp` (0 beyond U+10FFFF).
std::uint32_t char_classes(char32_t cp);

}  // namespace parafeat::java
