// Prefix keys: a string's first 8 bytes as one integer whose order is the bytes' order, so that
// sorting strings by their keys first leaves only the strings with equal keys to compare whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace parafeat {

/// The first 8 bytes of `s`, each mapped through `rank(byte)` (an unsigned value below 256),
/// zero-padded and read as a big-endian word. Where the keys of two strings differ, the smaller
/// key's string sorts first in the order that compares strings byte by byte by rank; equal keys
/// decide nothing. With the identity rank that is byte order, which for UTF-8 is code point
/// order (Python's str order).
template <typename Rank>
std::uint64_t prefix_key(std::string_view s, Rank&& rank) {
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    key = key << 8U | (i < s.size() ? rank(static_cast<unsigned char>(s[i])) : 0U);
  }
  return key;
}

/// prefix_key() in plain byte order.
inline std::uint64_t prefix_key(std::string_view s) {
  return prefix_key(s, [](unsigned char byte) { return unsigned{byte}; });
}

}  // namespace parafeat
