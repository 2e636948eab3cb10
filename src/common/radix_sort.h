// Sorting of short lists of small unsigned keys, such as the hashed terms of one document.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace parafeat {

/// Sorts `keys` in ascending order. Every key must be <= `max_key`. Made for keys spread evenly
/// over [0, max_key] (hashes): one counting pass distributes them by their top bits into about
/// half as many buckets as there are keys, then an insertion sort puts each bucket in order.
/// Lists too long for that (over twice the largest bucket count) are sorted by stable counting
/// passes over all the key's bits instead, lowest digit first. Any keys sort correctly; clustered
/// keys that would make the insertion sort slow are sorted with std::sort instead. `scratch` is
/// working memory, reused between calls to avoid allocations.
void radix_sort(std::vector<std::uint32_t>& keys, std::uint32_t max_key,
                std::vector<std::uint32_t>& scratch);

/// The widest digit stable_radix_sort() sorts by in one pass: 2^12 bucket counters.
inline constexpr int kMaxRadixDigitBits = 12;

/// Sorts `keys` stably by digit_of(key), an unsigned value below 2^digit_bits, with counting
/// passes of equal width (at most kMaxRadixDigitBits bits each), lowest digit first. `scratch`
/// is working memory.
template <typename Key, typename DigitOf>
void stable_radix_sort(std::vector<Key>& keys, int digit_bits, DigitOf&& digit_of,
                       std::vector<Key>& scratch) {
  const int passes = (digit_bits + kMaxRadixDigitBits - 1) / kMaxRadixDigitBits;
  if (passes == 0) return;
  const int pass_bits = (digit_bits + passes - 1) / passes;
  const std::size_t pass_mask = (std::size_t{1} << pass_bits) - 1;
  std::array<std::size_t, std::size_t{1} << kMaxRadixDigitBits> bucket_begin;
  scratch.resize(keys.size());
  for (int shift = 0; shift < digit_bits; shift += pass_bits) {
    const auto bucket = [&](const Key& key) {
      return static_cast<std::size_t>(digit_of(key) >> shift) & pass_mask;
    };
    std::fill_n(bucket_begin.begin(), pass_mask + 1, std::size_t{0});
    for (const Key& key : keys) ++bucket_begin[bucket(key)];
    std::size_t offset = 0;
    for (std::size_t b = 0; b <= pass_mask; ++b) offset += std::exchange(bucket_begin[b], offset);
    for (const Key& key : keys) scratch[bucket_begin[bucket(key)]++] = key;
    keys.swap(scratch);
  }
}

}  // namespace parafeat
