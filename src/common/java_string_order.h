// The order of java.lang.String.compareTo, which compares UTF-16 code units, for UTF-8 text.
// It differs from UTF-8 byte order (code point order) only where a code point from U+E000 to
// U+FFFF meets one beyond U+FFFF: Java puts the latter's surrogates (U+D800..U+DBFF) first.
// Spark ML orders strings this way, e.g. CountVectorizer's vocabulary among equal counts.
#pragma once

#include <cstdint>
#include <string_view>

namespace parafeat::java {

/// Whether `a` sorts before `b` as Java's String.compareTo sorts them; both valid UTF-8.
bool string_less(std::string_view a, std::string_view b);

/// A sort key of the first 8 bytes of `s` (valid UTF-8), zero-padded: where the keys of two
/// strings differ, the smaller key's string is string_less than the other; equal keys decide
/// nothing (compare the strings). Sorting by it first spares most whole-string comparisons.
std::uint64_t string_prefix_key(std::string_view s);

}  // namespace parafeat::java
