// radix_sort sorts like std::sort for any key width and list length; stable_radix_sort sorts
// like std::stable_sort by the digit it is given.
#include "common/radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace parafeat {
namespace {

std::vector<std::uint32_t> random_keys(std::size_t count, std::uint32_t max_key, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::uint32_t> key(0, max_key);
  std::vector<std::uint32_t> keys(count);
  for (auto& k : keys) k = key(rng);
  return keys;
}

TEST(RadixSort, SortsLikeStdSortForEveryKeyWidthAndLength) {
  std::vector<std::uint32_t> scratch;
  for (std::uint32_t max_key : {1u, 255u, 256u, 65535u, (1u << 21) - 1, 0xFFFFFFFFu}) {
    for (std::size_t count : {0u, 1u, 2u, 63u, 64u, 65u, 1000u, 8192u, 8193u, 100000u}) {
      std::vector<std::uint32_t> keys = random_keys(count, max_key, max_key ^ count);
      std::vector<std::uint32_t> expected = keys;
      std::sort(expected.begin(), expected.end());
      radix_sort(keys, max_key, scratch);
      EXPECT_EQ(keys, expected) << "max_key " << max_key << ", " << count << " keys";
    }
  }
}

TEST(RadixSort, HandlesKeysThatShareTheirLowBytes) {
  std::vector<std::uint32_t> keys;
  for (std::uint32_t i = 0; i < 500; ++i) keys.push_back(((499 - i) << 8) | 0x7F);
  std::vector<std::uint32_t> expected = keys;
  std::sort(expected.begin(), expected.end());
  std::vector<std::uint32_t> scratch;
  radix_sort(keys, 0xFFFFFF, scratch);
  EXPECT_EQ(keys, expected);
}

TEST(RadixSort, SortsClusteredKeysThatFallIntoFewBuckets) {
  // Keys sharing their top bits land in one bucket; narrow clusters in a few large ones.
  std::vector<std::uint32_t> scratch;
  for (std::uint32_t spread : {0u, 1u, 15u, 16u, 17u, 1000u}) {
    std::vector<std::uint32_t> keys = random_keys(3000, spread, spread);
    for (auto& k : keys) k += 0x1FF000;
    std::vector<std::uint32_t> expected = keys;
    std::sort(expected.begin(), expected.end());
    radix_sort(keys, (1u << 21) - 1, scratch);
    EXPECT_EQ(keys, expected) << "spread " << spread;
  }
}

TEST(StableRadixSort, SortsLikeStdStableSortByTheGivenDigit) {
  // 64-bit keys sorted by their top word: the low word, in input order, tells ties apart.
  const auto high_word = [](std::uint64_t key) { return key >> 32; };
  std::vector<std::uint64_t> scratch;
  for (int digit_bits : {0, 1, 11, 12, 13, 24, 32}) {
    const std::uint32_t max_digit =
        digit_bits == 32 ? 0xFFFFFFFFu
                         : static_cast<std::uint32_t>((std::uint64_t{1} << digit_bits) - 1);
    for (std::size_t count : {0u, 1u, 5000u}) {
      std::vector<std::uint32_t> digits = random_keys(count, max_digit, digit_bits * 31 + count);
      std::vector<std::uint64_t> keys;
      for (std::size_t i = 0; i < count; ++i) {
        keys.push_back(std::uint64_t{digits[i]} << 32 | static_cast<std::uint32_t>(i));
      }
      std::vector<std::uint64_t> expected = keys;
      std::stable_sort(expected.begin(), expected.end(),
                       [&](auto a, auto b) { return high_word(a) < high_word(b); });
      stable_radix_sort(keys, digit_bits, high_word, scratch);
      EXPECT_EQ(keys, expected) << digit_bits << " digit bits, " << count << " keys";
    }
  }
}

TEST(StableRadixSort, KeepsTheInputOrderOfEqualDigits) {
  std::vector<std::pair<std::uint32_t, char>> keys = {{2, 'a'}, {1, 'b'}, {2, 'c'}, {1, 'd'}};
  std::vector<std::pair<std::uint32_t, char>> scratch;
  stable_radix_sort(
      keys, 2, [](const auto& key) { return key.first; }, scratch);
  const std::vector<std::pair<std::uint32_t, char>> expected = {
      {1, 'b'}, {1, 'd'}, {2, 'a'}, {2, 'c'}};
  EXPECT_EQ(keys, expected);
}

}  // namespace
}  // namespace parafeat
