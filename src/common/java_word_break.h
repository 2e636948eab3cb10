// The word boundaries of the JDK's legacy word BreakIterator (java.text.BreakIterator
// .getWordInstance() for every locale but Thai), which String.toLowerCase() consults to decide
// whether a capital sigma ends a word.
#pragma once

#include <cstddef>
#include <span>

namespace parafeat::java {

/// A word of the text, as code point indices [begin, end).
struct Segment {
  std::size_t begin;
  std::size_t end;
};

/// The segment that holds code point `at` (< text.size()) of `text`. Segments are the longest
/// matches, from each boundary on, of the JDK's WordBreakRules: words of letters joined by single
/// mid-word punctuation, numbers of digits joined by single mid-number punctuation, both
/// alternating, with a currency or '#' prefix and a '%'-like suffix; runs of whitespace ending in
/// an optional line break; runs of katakana, of hiragana and of kanji; a character with its
/// enclosing marks; else one character. Format characters (Cf) never start a segment: they join
/// the one before them. Only the text from the last space before `at` that a boundary is sure to
/// follow is read.
Segment segment_containing(std::span<const char32_t> text, std::size_t at);

}  // namespace parafeat::java
