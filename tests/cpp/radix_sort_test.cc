// radix_sort sorts like std::sort for any key width and list length.
#include "common/radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
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

}  // namespace
}  // namespace parafeat
