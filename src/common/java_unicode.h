// Java's character data as String.toLowerCase() uses it, from tables read off the JDK that Spark
// runs on (java_lower_tables.inc, made by unicode/GenerateJavaTables.java on JDK 17, whose
// Unicode version is 13.0; Python's own tables follow the building interpreter instead).
#pragma once

namespace parafeat::java {

/// java.lang.Character.toLowerCase(int): the simple lower-case mapping (itself if none).
char32_t simple_lower(char32_t cp);

/// java.lang.ConditionalSpecialCasing.isCased(int), which the final-sigma rule asks.
bool is_cased(char32_t cp);

/// Character.isHighSurrogate(): the first UTF-16 unit of a code point beyond U+FFFF.
constexpr bool is_high_surrogate(char32_t c) {
  return c >= 0xD800 && c <= 0xDBFF;
}

/// Character.isLowSurrogate(): the second UTF-16 unit of a code point beyond U+FFFF.
constexpr bool is_low_surrogate(char32_t c) {
  return c >= 0xDC00 && c <= 0xDFFF;
}

/// Character.toCodePoint(): the code point of a surrogate pair.
constexpr char32_t combine_surrogates(char32_t high, char32_t low) {
  return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
}

}  // namespace parafeat::java
