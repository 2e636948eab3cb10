// MurmurHash3 x86_32 (Austin Appleby's public-domain algorithm), as scikit-learn and Spark use it.
#pragma once

#include <cstdint>
#include <string_view>

namespace parafeat {

/// MurmurHash3 x86_32 of `bytes` with `seed`, as an unsigned 32-bit value.
std::uint32_t murmurhash3_x86_32(std::string_view bytes, std::uint32_t seed);

/// The same hash read as a signed 32-bit integer (scikit-learn's murmurhash3_bytes_s32).
inline std::int32_t murmurhash3_x86_32_signed(std::string_view bytes, std::uint32_t seed) {
  return static_cast<std::int32_t>(murmurhash3_x86_32(bytes, seed));
}

}  // namespace parafeat
