// The JDK's RuleBasedBreakIterator, method by method, over its own state tables.
#include "common/java_word_break.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

#include "common/java_unicode.h"

namespace parafeat::java {
namespace {

// Code points (and lone surrogates) from `first` up to the next run's first are of `category`.
struct CategoryRun {
  char32_t first;
  std::int8_t category;
};

#include "common/java_word_break_tables.inc"

constexpr int kDoneBreak = -1;  // BreakIterator.DONE
// More than the number of states of either table, to key (position, state) pairs.
constexpr std::int64_t kStatesBound = 64;
static_assert(std::size(kForwardStates) / kCategories <= kStatesBound &&
              std::size(kBackwardStates) / kCategories <= kStatesBound);
constexpr char32_t kDoneChar = 0xFFFF;  // CharacterIterator.DONE, also a character of the text

int category_of(char32_t c) {
  const auto* run = std::upper_bound(std::begin(kCategoryRuns), std::end(kCategoryRuns), c,
                                     [](char32_t x, const CategoryRun& r) { return x < r.first; });
  return std::prev(run)->category;  // the first run starts at U+0000
}

}  // namespace

bool WordBreakIterator::is_boundary(std::size_t offset) {
  const auto at = static_cast<int>(offset);
  return at == 0 || following(at - 1) == at;
}

int WordBreakIterator::following(int offset) {
  index_ = offset;
  if (offset == 0) {
    cached_break_ = handle_next();
    return cached_break_;
  }
  int result = cached_break_;
  if (result >= offset || result <= kDoneBreak) {
    result = handle_previous();
  } else {
    index_ = result;
  }
  while (result != kDoneBreak && result <= offset) result = handle_next();
  cached_break_ = result;
  return result;
}

int WordBreakIterator::handle_next() {
  if (index_ == end()) return kDoneBreak;
  const auto [known, inserted] = memo_.next_.try_emplace(index_, 0);
  if (inserted) known->second = scan_next();
  index_ = known->second;
  return index_;
}

// handleNext() proper: its result depends on the position only.
int WordBreakIterator::scan_next() {
  int result = next_index();  // a segment holds at least one character
  int state = kStartState;
  for (char32_t c = current_code_point(); c != kDoneChar && state != kStopState;
       c = next_code_point()) {
    const int category = category_of(c);
    if (category != kIgnoredCategory) state = kForwardStates[state * kCategories + category];
    if (kEndStates[state]) result = next_index();
  }
  return result;
}

// From its third step on, the backward scan reads code points where they start, so what it does
// next depends only on the position and its state there (the step before read the code point
// after the position): each such (position, state) it passes is remembered with the result.
int WordBreakIterator::handle_previous() {
  std::vector<std::int64_t>& passed = memo_.passed_;
  passed.clear();
  int state = kStartState;
  int category = 0;
  int last_category = 0;
  char32_t c = current_code_point();
  int result = kDoneBreak;
  for (int step = 0; c != kDoneChar && state != kStopState; ++step) {
    if (step >= 2) {
      const std::int64_t key = std::int64_t{index_} * kStatesBound + state;
      if (const auto known = memo_.previous_.find(key); known != memo_.previous_.end()) {
        result = known->second;
        break;
      }
      passed.push_back(key);
    }
    last_category = category;
    category = category_of(c);
    if (category != kIgnoredCategory) state = kBackwardStates[state * kCategories + category];
    c = previous_code_point();
  }
  if (result == kDoneBreak) {
    // Unless the start was reached, the break is one or two characters ahead.
    if (c != kDoneChar) {
      next_code_point();
      if (last_category != kIgnoredCategory) next_code_point();
    }
    result = index_;
  }
  for (const std::int64_t key : passed) memo_.previous_.emplace(key, result);
  index_ = result;
  return result;
}

char32_t WordBreakIterator::current_code_point() const {
  const char32_t c = current();
  if (is_high_surrogate(c) && index_ + 1 < end() && is_low_surrogate(text_[index_ + 1])) {
    return combine_surrogates(c, text_[index_ + 1]);
  }
  return c;
}

int WordBreakIterator::current_count() const {
  return current_code_point() > 0xFFFF ? 2 : 1;
}

char32_t WordBreakIterator::next_code_point() {
  const int index = index_ + current_count();
  if (index_ == end() || index >= end()) return kDoneChar;
  index_ = index;
  return current_code_point();
}

int WordBreakIterator::next_index() const {
  return std::min(index_ + current_count(), end());
}

char32_t WordBreakIterator::previous_code_point() {
  const char32_t low = previous();
  if (is_low_surrogate(low) && index_ > 0) {
    const char32_t high = previous();
    if (is_high_surrogate(high)) return combine_surrogates(high, low);
    next();
  }
  return low;
}

char32_t WordBreakIterator::current() const {
  return index_ < end() ? text_[index_] : kDoneChar;
}

char32_t WordBreakIterator::next() {
  if (index_ < end() - 1) return text_[++index_];
  index_ = end();
  return kDoneChar;
}

char32_t WordBreakIterator::previous() {
  return index_ > 0 ? text_[--index_] : kDoneChar;
}

}  // namespace parafeat::java
