// Sorting of short lists of small unsigned keys, such as the hashed terms of one document.
#pragma once

#include <cstdint>
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

}  // namespace parafeat
