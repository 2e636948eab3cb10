// The word boundaries of the JDK's legacy word BreakIterator (java.text.BreakIterator
// .getWordInstance() for every locale but Thai), which String.toLowerCase() consults to decide
// whether a capital sigma ends a word.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace parafeat::java {

/// Sets is_boundary[i] (for i = 0..text.size()) to whether a word boundary lies before code
/// point i of `text`. Segments are the longest matches, from each boundary on, of the JDK's
/// WordBreakRules: words of letters joined by single mid-word punctuation, numbers of digits
/// joined by single mid-number punctuation, both alternating, with a currency or '#' prefix and a
/// '%'-like suffix; runs of whitespace ending in an optional line break; runs of katakana, of
/// hiragana and of kanji; a character with its enclosing marks; else one character. Format
/// characters (Cf) never start a segment: they join the one before them.
void word_boundaries(std::span<const char32_t> text, std::vector<std::uint8_t>& is_boundary);

}  // namespace parafeat::java
