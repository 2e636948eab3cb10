#include "common/radix_sort.h"

#include <algorithm>
#include <array>
#include <bit>
#include <utility>

namespace parafeat {
namespace {

// Below this many keys a comparison sort is faster than counting.
constexpr std::size_t kComparisonSortBelow = 64;

// At most 2^kMaxBucketBits buckets: their counters stay in L1 (16 KiB).
constexpr int kMaxBucketBits = kMaxRadixDigitBits;

// The insertion sort that finishes the job may move keys at most this many places per key in
// total; keys clustered in few buckets (not hashes) exceed it and are std::sort-ed instead.
constexpr std::size_t kMovesPerKey = 8;

// Insertion-sorts [begin, end) unless that takes more than `budget` moves; returns whether the
// range is sorted (on false it is a permutation of the input, to be sorted otherwise). Made for
// ranges that are nearly sorted: a key already in place costs one comparison.
bool insertion_sort_within(std::uint32_t* begin, std::uint32_t* end, std::size_t budget) {
  for (std::uint32_t* i = begin + 1; i < end; ++i) {
    const std::uint32_t key = *i;
    if (*(i - 1) <= key) continue;
    std::uint32_t* j = i;
    do {
      *j = *(j - 1);
      --j;
    } while (j > begin && *(j - 1) > key);
    *j = key;
    const auto moves = static_cast<std::size_t>(i - j);
    if (moves > budget) return false;
    budget -= moves;
  }
  return true;
}

}  // namespace

void radix_sort(std::vector<std::uint32_t>& keys, std::uint32_t max_key,
                std::vector<std::uint32_t>& scratch) {
  const std::size_t count = keys.size();
  if (count < kComparisonSortBelow) {
    std::sort(keys.begin(), keys.end());
    return;
  }
  // 2^bucket_bits lies in (count / 2, count] below the cap: one or two keys per bucket on average.
  const auto key_bits = static_cast<int>(std::bit_width(max_key));
  const int bucket_bits =
      std::min({key_bits, static_cast<int>(std::bit_width(count)) - 1, kMaxBucketBits});
  const int shift = key_bits - bucket_bits;
  if (shift > 0 && count > (std::size_t{2} << bucket_bits)) {
    // So long that one pass over the top bits would leave many keys per bucket for the
    // insertion sort: sort by every bit instead.
    stable_radix_sort(
        keys, key_bits, [](std::uint32_t key) { return key; }, scratch);
    return;
  }
  const std::size_t buckets = std::size_t{1} << bucket_bits;

  std::array<std::uint32_t, std::size_t{1} << kMaxBucketBits> bucket_end;
  std::fill_n(bucket_end.begin(), buckets, 0U);
  for (std::uint32_t key : keys) ++bucket_end[key >> shift];
  std::uint32_t offset = 0;
  for (std::size_t b = 0; b < buckets; ++b) {
    offset += bucket_end[b];
    bucket_end[b] = offset;
  }
  // Filling each bucket from its end leaves bucket_end[b] at the start of bucket b.
  scratch.resize(count);
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) scratch[--bucket_end[*it >> shift]] = *it;
  keys.swap(scratch);

  // Keys are now out of order only within their bucket, which insertion sort fixes cheaply.
  std::uint32_t* const data = keys.data();
  if (!insertion_sort_within(data, data + count, kMovesPerKey * count)) {
    std::sort(data, data + count);
  }
}

}  // namespace parafeat
