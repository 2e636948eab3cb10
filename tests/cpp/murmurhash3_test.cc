// MurmurHash3 x86_32 against values computed with scikit-learn 1.9.1:
//   from sklearn.utils import murmurhash3_32
//   murmurhash3_32(data, seed=seed, positive=True)   # unsigned
//   murmurhash3_32(data, seed=seed)                  # signed (positive=False)
#include "common/murmurhash3.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace parafeat {
namespace {

struct Golden {
  std::string_view bytes;
  std::uint32_t seed;
  std::uint32_t expected;
};

void expect_goldens(std::initializer_list<Golden> goldens) {
  for (const Golden& golden : goldens) {
    EXPECT_EQ(murmurhash3_x86_32(golden.bytes, golden.seed), golden.expected)
        << "bytes \"" << golden.bytes << "\" seed " << golden.seed;
  }
}

TEST(MurmurHash3, MatchesSklearnOnHelloWorld) {
  expect_goldens({{"Hello World!", 42, 3565178U}, {"the quick brown fox", 0, 519850996U}});
}

TEST(MurmurHash3, EmptyInputHashesTheSeedAlone) {
  expect_goldens({{"", 0, 0U}, {"", 1, 1364076727U}, {"", 0xFFFFFFFFU, 2180083513U}});
}

TEST(MurmurHash3, TailsOfOneToThreeBytesAreReadLittleEndian) {
  expect_goldens({
      {"a", 0, 1009084850U},         // 1-byte tail, no block
      {"ab", 0, 2613040991U},        // 2-byte tail
      {"abc", 0, 3017643002U},       // 3-byte tail
      {"abcd", 0, 1139631978U},      // one block, no tail
      {"abcde", 0, 3902511862U},     // one block and a 1-byte tail
      {"abcdefgh", 0, 1239272644U},  // two blocks
      {"abcdefghi", 7, 538031106U},  // two blocks, a tail and a seed
  });
}

TEST(MurmurHash3, HashesBytesIncludingNulAndHighBytes) {
  expect_goldens({
      {std::string_view("\0", 1), 0, 1364076727U},
      {"\xff\xfe\xfd", 0, 3535729372U},  // high bytes must not be sign-extended
  });
}

TEST(MurmurHash3, HashesUtf8EncodedText) {
  expect_goldens({
      {"\xc3\xbc", 0, 2017519274U},                                              // "ü"
      {"caf\xc3\xa9", 0, 605818632U},                                            // "café"
      {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 0, 2779017879U},                  // "日本語"
      {"\xf0\x9f\x98\x80", 0, 3199479546U},                                      // "😀"
      {"\xcf\x83\xce\xba\xcf\x8d\xce\xbb\xce\xbf\xcf\x82", 12345, 3613037786U},  // "σκύλος"
  });
}

TEST(MurmurHash3, SignedViewMatchesSklearnsDefaultNegativeValues) {
  EXPECT_EQ(murmurhash3_x86_32_signed("ab", 0), -1681926305);
  EXPECT_EQ(murmurhash3_x86_32_signed("abcde", 0), -392455434);
  EXPECT_EQ(murmurhash3_x86_32_signed("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 0), -1515949417);
  EXPECT_EQ(murmurhash3_x86_32_signed("", 0xFFFFFFFFU), -2114883783);
  EXPECT_EQ(murmurhash3_x86_32_signed("Hello World!", 42), 3565178);
}

TEST(MurmurHash3, DoesNotDependOnTheAlignmentOfTheInput) {
  const std::string padded = "xHello World!";
  EXPECT_EQ(murmurhash3_x86_32(std::string_view(padded).substr(1), 42), 3565178U);
}

}  // namespace
}  // namespace parafeat
