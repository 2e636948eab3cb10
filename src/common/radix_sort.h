// Radix sorting of short lists of small unsigned keys, such as the hashed terms of one document.
#pragma once

#include <cstdint>
#include <vector>

namespace parafeat {

/// Sorts `keys` in ascending order. Every key must be <= `max_key`; only the bytes that `max_key`
/// needs are sorted on (LSD radix sort, one histogram pass for all of them). `scratch` is working
/// memory, reused between calls to avoid allocations.
void radix_sort(std::vector<std::uint32_t>& keys, std::uint32_t max_key,
                std::vector<std::uint32_t>& scratch);

}  // namespace parafeat
