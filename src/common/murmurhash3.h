// MurmurHash3 x86_32 (Austin Appleby's public-domain algorithm), as scikit-learn and Spark use it,
// written from the algorithm's description: 4-byte little-endian blocks mixed into the state, a
// 1-3 byte tail folded in little-endian order, then the length and the final avalanche. Blocks
// are read byte by byte (compilers turn that into one load on little-endian hosts), so the result
// does not depend on the host's endianness or on alignment. Defined inline: the vectorizers hash
// millions of short terms, and the call would cost as much as hashing one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace parafeat {

/// MurmurHash3 x86_32 of `bytes` with `seed`, as an unsigned 32-bit value.
inline std::uint32_t murmurhash3_x86_32(std::string_view bytes, std::uint32_t seed);

/// The same hash read as a signed 32-bit integer (scikit-learn's murmurhash3_bytes_s32).
inline std::int32_t murmurhash3_x86_32_signed(std::string_view bytes, std::uint32_t seed) {
  return static_cast<std::int32_t>(murmurhash3_x86_32(bytes, seed));
}

namespace murmurhash3_internal {

inline constexpr std::uint32_t kC1 = 0xcc9e2d51U;
inline constexpr std::uint32_t kC2 = 0x1b873593U;

constexpr std::uint32_t rotate_left(std::uint32_t x, int r) {
  return (x << r) | (x >> (32 - r));
}

// Reads 4 bytes at `p` as a little-endian 32-bit integer.
inline std::uint32_t load_le32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

// Scrambles one 4-byte block (or the zero-padded tail) before it enters the state.
constexpr std::uint32_t scramble(std::uint32_t k) {
  return rotate_left(k * kC1, 15) * kC2;
}

// The final avalanche: every input bit affects every output bit.
constexpr std::uint32_t finalize(std::uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bU;
  h ^= h >> 13;
  h *= 0xc2b2ae35U;
  h ^= h >> 16;
  return h;
}

}  // namespace murmurhash3_internal

inline std::uint32_t murmurhash3_x86_32(std::string_view bytes, std::uint32_t seed) {
  using namespace murmurhash3_internal;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t length = bytes.size();
  const std::size_t block_bytes = length & ~std::size_t{3};

  std::uint32_t h = seed;
  for (std::size_t i = 0; i < block_bytes; i += 4) {
    h ^= scramble(load_le32(data + i));
    h = rotate_left(h, 13) * 5 + 0xe6546b64U;
  }

  // The 0-3 trailing bytes, first byte lowest, as if zero-padded to a full block; scrambling 0
  // gives 0, so no tail changes nothing. Without a branch on the tail's length, which varies from
  // term to term as if at random: bytes 0, r / 2 and r - 1 of an r-byte tail are its bytes
  // (repeats OR-ed in place), and an empty tail reads three zeros instead.
  static constexpr unsigned char kNoTail[1] = {0};
  const std::size_t r = length & 3;
  const unsigned char* tail = r != 0 ? data + block_bytes : kNoTail;
  const std::size_t middle = r >> 1;
  const std::size_t last = r != 0 ? r - 1 : 0;
  const std::uint32_t k = static_cast<std::uint32_t>(tail[0]) |
                          static_cast<std::uint32_t>(tail[middle]) << (8 * middle) |
                          static_cast<std::uint32_t>(tail[last]) << (8 * last);
  h ^= scramble(k);

  // The algorithm mixes in the length modulo 2^32, as the reference implementation does.
  h ^= static_cast<std::uint32_t>(length);
  return finalize(h);
}

}  // namespace parafeat
