// java.lang.String.toLowerCase(), which Spark ML's Tokenizer and RegexTokenizer apply, over UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/java_word_break.h"
#include "parafeat/status.h"

namespace parafeat::java {

/// Per-thread working memory of append_lower(); reuse one to avoid allocations.
struct LowerScratch {
  std::u16string utf16;  ///< the input as Java holds it, when it has a capital sigma
  WordBreakMemo words;   ///< the word boundaries found in utf16
  /// Each capital sigma's UTF-16 index in the input and byte offset in the output.
  std::vector<std::pair<std::size_t, std::size_t>> sigmas;
};

/// Appends Java's String.toLowerCase() of `utf8` to `out`, in any default locale but Turkish,
/// Azeri and Lithuanian (which add their own rules): each code point takes its simple lower case
/// (Character.toLowerCase), U+0130 becomes "i\u0307", and capital sigma becomes final sigma
/// (U+03C2) when a cased character precedes it and none follows it within its word as the JDK's
/// word BreakIterator answers isBoundary() (java_word_break.h). This differs from Python's
/// str.lower(),
/// which skips case-ignorable characters instead of stopping at word boundaries, and follows the
/// JDK's Unicode version (13.0 on JDK 17). Returns Invalid naming the byte offset when `utf8`
/// is not valid UTF-8; `out` is then left as it was before the call.
Status append_lower(std::string_view utf8, std::string& out, LowerScratch& scratch);

}  // namespace parafeat::java
