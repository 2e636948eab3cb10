// java.text.BreakIterator.getWordInstance() of the JDK (sun.text.RuleBasedBreakIterator, the
// word iterator of every locale but Thai), which String.toLowerCase() consults to decide whether
// a capital sigma ends a word. It runs the JDK's own state tables (java_word_break_tables.inc)
// the way the JDK does, quirks included: isBoundary() resumes from the last boundary it found or
// backs up to a safe position first, a U+FFFF in the text reads as its end, and a surrogate pair
// entered from its second half reads as two lone surrogates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace parafeat::java {

/// What the iterators over one text have found, shared between them so that the JDK's
/// re-scans of long words (quadratic in the JDK) are each done once: where a forward scan from
/// a position ends, and where a backward scan reaching a position in a state ends.
class WordBreakMemo {
 public:
  /// Forgets everything: for a new text.
  void clear() {
    next_.clear();
    previous_.clear();
  }

 private:
  friend class WordBreakIterator;
  std::unordered_map<int, int> next_;
  std::unordered_map<std::int64_t, int> previous_;  // by position * 64 + state
  std::vector<std::int64_t> passed_;                // scratch of handle_previous()
};

class WordBreakIterator {
 public:
  /// An iterator over `text` (UTF-16; it and `memo`, which must be for this text, outlive the
  /// iterator), as after BreakIterator.setText().
  WordBreakIterator(std::u16string_view text, WordBreakMemo& memo) : text_(text), memo_(memo) {}

  /// BreakIterator.isBoundary(offset) for 0 <= offset <= text.size(); like the JDK's, the answer
  /// may depend on the calls made before.
  bool is_boundary(std::size_t offset);

 private:
  // RuleBasedBreakIterator's methods, over text_ and the position index_.
  int following(int offset);
  int handle_next();
  int scan_next();
  int handle_previous();
  char32_t current_code_point() const;
  int current_count() const;
  char32_t next_code_point();
  int next_index() const;
  char32_t previous_code_point();
  // StringCharacterIterator's.
  char32_t current() const;
  char32_t next();
  char32_t previous();
  int end() const { return static_cast<int>(text_.size()); }

  std::u16string_view text_;
  WordBreakMemo& memo_;
  int index_ = 0;
  int cached_break_ = -1;  // the last boundary following() found, or BreakIterator.DONE
};

}  // namespace parafeat::java
