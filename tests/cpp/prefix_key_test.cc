// prefix_key orders strings as their bytes do wherever two keys differ.
#include "common/prefix_key.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace parafeat {
namespace {

TEST(PrefixKey, DifferentKeysOrderStringsAsTheirBytesDo) {
  const std::vector<std::string> strings = {
      "",  "a",    "ab",       "abcdefgh",     "abcdefghi",        "abcdefgi",
      "b", "\x7f", "\xc3\xa9", "\xe4\xb8\x80", "\xf0\x9f\x98\x80", std::string("a\0b", 3)};
  for (const std::string& a : strings) {
    for (const std::string& b : strings) {
      const std::uint64_t key_a = prefix_key(a);
      const std::uint64_t key_b = prefix_key(b);
      if (key_a != key_b) {
        EXPECT_EQ(key_a < key_b, a < b) << a << " vs " << b;
      }
    }
  }
  // Keys tie where the first 8 bytes agree, padding aside: only then are the strings compared.
  EXPECT_EQ(prefix_key("abcdefgh"), prefix_key("abcdefghi"));
  EXPECT_EQ(prefix_key("a"), prefix_key(std::string("a\0", 2)));
}

TEST(PrefixKey, MapsEachByteThroughTheRankGiven) {
  const auto reversed = [](unsigned char byte) { return 255U - byte; };
  EXPECT_GT(prefix_key("a", reversed), prefix_key("b", reversed));
  EXPECT_EQ(prefix_key("ab", reversed) >> 48, (255U - 'a') << 8 | (255U - 'b'));
}

}  // namespace
}  // namespace parafeat
