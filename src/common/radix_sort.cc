#include "common/radix_sort.h"

#include <algorithm>
#include <array>
#include <bit>

namespace parafeat {
namespace {

// Below this many keys a comparison sort is faster than clearing and scanning histograms.
constexpr std::size_t kComparisonSortBelow = 64;

}  // namespace

void radix_sort(std::vector<std::uint32_t>& keys, std::uint32_t max_key,
                std::vector<std::uint32_t>& scratch) {
  if (keys.size() < kComparisonSortBelow) {
    std::sort(keys.begin(), keys.end());
    return;
  }
  const int passes = (std::bit_width(max_key) + 7) / 8;
  std::array<std::array<std::uint32_t, 256>, 4> counts{};
  for (std::uint32_t key : keys) {
    for (int pass = 0; pass < passes; ++pass) ++counts[pass][(key >> (8 * pass)) & 0xFF];
  }
  scratch.resize(keys.size());
  for (int pass = 0; pass < passes; ++pass) {
    std::array<std::uint32_t, 256>& bucket_start = counts[pass];
    if (bucket_start[(keys[0] >> (8 * pass)) & 0xFF] == keys.size()) continue;  // one bucket
    std::uint32_t offset = 0;
    for (std::uint32_t& count : bucket_start) {
      const std::uint32_t size = count;
      count = offset;
      offset += size;
    }
    for (std::uint32_t key : keys) scratch[bucket_start[(key >> (8 * pass)) & 0xFF]++] = key;
    keys.swap(scratch);
  }
}

}  // namespace parafeat
