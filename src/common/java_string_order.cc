#include "common/java_string_order.h"

#include <algorithm>
#include <cstddef>

#include "common/check.h"
#include "common/prefix_key.h"
#include "common/unicode.h"

namespace parafeat::java {
namespace {

// A code point's rank in UTF-16 order: U+E000..U+FFFF move above every supplementary code
// point; the rest keep code point order (surrogate pairs sort as their code points do).
char32_t utf16_rank(char32_t cp) {
  return cp >= 0xE000 && cp <= 0xFFFF ? cp + 0x110000 : cp;
}

// The UTF-8 lead bytes of U+E000..U+FFFF (0xEE, 0xEF) moved above those of the supplementary
// code points (0xF0..0xF4), into byte values UTF-8 never uses: then byte order is UTF-16 order.
// Only lead bytes take those values, and two strings with equal bytes before their first
// difference differ there in bytes of the same role, so remapping bytes one by one is enough.
unsigned utf16_byte_rank(unsigned char byte) {
  return byte == 0xEE || byte == 0xEF ? byte + 0x07U : byte;
}

}  // namespace

std::uint64_t string_prefix_key(std::string_view s) {
  return prefix_key(s, utf16_byte_rank);
}

bool string_less(std::string_view a, std::string_view b) {
  const auto [in_a, in_b] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  if (in_b == b.end()) return false;  // b is a prefix of a, or equal to it
  if (in_a == a.end()) return true;   // a is a proper prefix of b
  // Both strings agree up to here, so the code point holding the first difference starts at
  // the same offset in both.
  auto start = static_cast<std::size_t>(in_a - a.begin());
  while (start > 0 && (static_cast<unsigned char>(a[start]) & 0xC0) == 0x80) --start;
  char32_t cp_a = 0;
  char32_t cp_b = 0;
  const int length_a = unicode::decode_utf8(a, start, cp_a);
  const int length_b = unicode::decode_utf8(b, start, cp_b);
  PARAFEAT_DCHECK(length_a > 0 && length_b > 0);
  return utf16_rank(cp_a) < utf16_rank(cp_b);
}

}  // namespace parafeat::java
