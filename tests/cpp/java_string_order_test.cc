// java::string_less orders UTF-8 strings as Java's String.compareTo orders them (by UTF-16 code
// units): the order Spark ML's CountVectorizer breaks count ties in.
#include "common/java_string_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace parafeat::java {
namespace {

TEST(JavaStringOrder, PutsSupplementaryCodePointsBetweenU_D7FFAndU_E000) {
  // Java's order: a BMP code point below the surrogates, then the supplementary ones (their
  // high surrogates), then U+E000..U+FFFF; code point order would put U+E000 and U+FF01 first.
  const std::vector<std::string> java_order{"",       "a",      "ab",          "b",
                                            "\u00e9", "\ud7ff", "\U00010428x", "\U0001f600",
                                            "\ue000", "\uff01", "\uff01a"};
  std::vector<std::string> sorted = java_order;
  std::reverse(sorted.begin(), sorted.end());
  std::sort(sorted.begin(), sorted.end(), string_less);
  EXPECT_EQ(sorted, java_order);
}

TEST(JavaStringOrder, IsAStrictOrderOnPrefixesAndEqualStrings) {
  EXPECT_FALSE(string_less("abc", "abc"));
  EXPECT_TRUE(string_less("ab", "abc"));
  EXPECT_FALSE(string_less("abc", "ab"));
  EXPECT_FALSE(string_less("", ""));
  // A difference inside a multi-byte sequence: U+00E9 vs U+00EA share their lead byte.
  EXPECT_TRUE(string_less("x\u00e9", "x\u00ea"));
  EXPECT_TRUE(string_less("\U0001f600", "\U0001f601"));
}

TEST(JavaStringOrder, PrefixKeysOrderAsTheStringsWhereTheyDiffer) {
  // Strings that differ within and after their first 8 bytes, at lead and continuation bytes,
  // across U+E000..U+FFFF and the supplementary code points, and by a U+0000 against the end.
  const std::vector<std::string> strings{"",
                                         "a",
                                         std::string("a\0", 2),
                                         "ab",
                                         "abcdefgh",
                                         "abcdefghi",
                                         "abcdefgz",
                                         "\u00e9",
                                         "\u00ea",
                                         "\ud7ff",
                                         "\ue000",
                                         "\ue000\ue001",
                                         "\uff01",
                                         "\uffff",
                                         "\U00010428x",
                                         "\U0001f600",
                                         "\U0001f601",
                                         "x\U0001f600",
                                         "x\ue000",
                                         "\u4e00\u4e01\u4e02"};
  for (const std::string& a : strings) {
    for (const std::string& b : strings) {
      const std::uint64_t key_a = string_prefix_key(a);
      const std::uint64_t key_b = string_prefix_key(b);
      if (key_a != key_b) {
        EXPECT_EQ(key_a < key_b, string_less(a, b)) << a << " vs " << b;
      }
    }
  }
  // Equal keys only where the first 8 bytes agree (padding aside).
  EXPECT_EQ(string_prefix_key("a"), string_prefix_key(std::string("a\0", 2)));
  EXPECT_NE(string_prefix_key("\ue000"), string_prefix_key("\U0001f600"));
}

}  // namespace
}  // namespace parafeat::java
