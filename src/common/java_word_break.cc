// The JDK's word rules as a small nondeterministic automaton over JavaCharClass bits: each
// segment is the longest prefix, from its start, that leaves the automaton in an accepting state.
#include "common/java_word_break.h"

#include <cstddef>

#include "common/java_unicode.h"

namespace parafeat::java {
namespace {

// States of the automaton, one bit each; a set of them is the automaton's state.
enum State : std::uint32_t {
  kAfterLetter = 1U << 0,   // in a word, after a letter (and its enclosing marks)
  kAfterMidWord = 1U << 1,  // in a word, after mid-word punctuation: a letter must follow
  kAfterDanda = 1U << 2,    // a word ended by a danda: only a number may follow
  kAfterDigit = 1U << 3,    // in a number, after a digit
  kAfterMidNum = 1U << 4,   // in a number, after mid-number punctuation: a digit must follow
  kAfterPostNum = 1U << 5,  // a number ended by its suffix
  kAfterPreNum = 1U << 6,   // after a number prefix: a number must follow
  kInWhitespace = 1U << 7,  // a run of whitespace
  kAfterCarriageReturn = 1U << 8,
  kAfterLineSeparator = 1U << 9,
  kInKatakana = 1U << 10,
  kInHiragana = 1U << 11,
  kInKanji = 1U << 12,
  kAfterBase = 1U << 13,       // a character that enclosing marks may follow
  kAfterEnclosing = 1U << 14,  // a character followed by its enclosing marks
  kAnyOne = 1U << 15,          // any one character
};

constexpr std::uint32_t kAccepting = ~(kAfterMidWord | kAfterMidNum | kAfterBase);

bool has(std::uint32_t classes, std::uint32_t bits) {
  return (classes & bits) != 0;
}

// The states the first code point of a segment, of classes `c`, leads to.
std::uint32_t start(std::uint32_t c) {
  std::uint32_t next = kAnyOne;
  if (has(c, kLetter)) next |= kAfterLetter;
  if (has(c, kDigit)) next |= kAfterDigit;
  if (has(c, kPreNum)) next |= kAfterPreNum;
  if (has(c, kWhitespace)) next |= kInWhitespace;
  if (has(c, kCarriageReturn)) next |= kAfterCarriageReturn;
  if (has(c, kLineSeparator)) next |= kAfterLineSeparator;
  if (has(c, kKatakana | kCjkDiacritic)) next |= kInKatakana;
  if (has(c, kHiragana | kCjkDiacritic)) next |= kInHiragana;
  if (has(c, kKanji)) next |= kInKanji;
  if (has(c, kBase)) next |= kAfterBase;
  return next;
}

// The states that `states` lead to on a code point of classes `c` (0: the segment has ended).
std::uint32_t step(std::uint32_t states, std::uint32_t c) {
  std::uint32_t next = 0;
  if (has(states, kAfterLetter)) {
    if (has(c, kLetter | kEnclosing)) next |= kAfterLetter;
    if (has(c, kMidWord)) next |= kAfterMidWord;
    if (has(c, kDanda)) next |= kAfterDanda;
  }
  if (has(states, kAfterMidWord | kAfterDigit) && has(c, kLetter)) next |= kAfterLetter;
  if (has(states, kAfterLetter | kAfterDanda | kAfterMidNum | kAfterPreNum) && has(c, kDigit)) {
    next |= kAfterDigit;
  }
  if (has(states, kAfterDigit)) {
    if (has(c, kDigit | kEnclosing)) next |= kAfterDigit;
    if (has(c, kMidNum)) next |= kAfterMidNum;
    if (has(c, kPostNum)) next |= kAfterPostNum;
  }
  if (has(states, kInWhitespace)) {
    if (has(c, kWhitespace | kEnclosing)) next |= kInWhitespace;
    if (has(c, kCarriageReturn)) next |= kAfterCarriageReturn;
  }
  if (has(states, kInWhitespace | kAfterCarriageReturn) && has(c, kLineSeparator)) {
    next |= kAfterLineSeparator;
  }
  if (has(states, kInKatakana) && has(c, kKatakana | kCjkDiacritic)) next |= kInKatakana;
  if (has(states, kInHiragana) && has(c, kHiragana | kCjkDiacritic)) next |= kInHiragana;
  if (has(states, kInKanji) && has(c, kKanji)) next |= kInKanji;
  if (has(states, kAfterBase | kAfterEnclosing) && has(c, kEnclosing)) next |= kAfterEnclosing;
  return next;
}

// The end of the segment that starts at `begin` (< text.size()).
std::size_t segment_end(std::span<const char32_t> text, std::size_t begin) {
  std::size_t end = begin + 1;  // a segment holds at least one code point
  std::uint32_t states = 0;
  bool started = false;  // whether a code point that is not ignored has been read
  for (std::size_t i = begin; i < text.size(); ++i) {
    const std::uint32_t c = char_classes(text[i]);
    if (!has(c, kIgnore)) {
      states = started ? step(states, c) : start(c);
      started = true;
      if (states == 0) break;
    }
    if (has(states, kAccepting)) end = i + 1;
  }
  return end;
}

// Whether a segment surely begins at `p`: after a space, a printable ASCII character can only
// start a new segment (a space ends every segment it is in but runs of whitespace and marks).
bool surely_begins_segment(std::span<const char32_t> text, std::size_t p) {
  return p == 0 || (text[p - 1] == U' ' && text[p] > U' ' && text[p] < 0x7F);
}

}  // namespace

Segment segment_containing(std::span<const char32_t> text, std::size_t at) {
  std::size_t begin = at;
  while (!surely_begins_segment(text, begin)) --begin;
  for (;;) {
    const std::size_t end = segment_end(text, begin);
    if (end > at) return {begin, end};
    begin = end;
  }
}

}  // namespace parafeat::java
