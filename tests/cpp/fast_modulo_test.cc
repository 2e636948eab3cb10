// FastModulo computes x % d exactly, for divisors and values across the 32-bit range.
#include "common/fast_modulo.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

namespace parafeat {
namespace {

TEST(FastModulo, EqualsTheRemainderOperator) {
  std::mt19937 rng(42);
  const std::uint32_t divisors[] = {
      1u, 2u, 3u, 7u, 1000u, 1u << 20, 1000003u, (1u << 31) - 1, 1u << 31, 0xFFFFFFFFu};
  for (std::uint32_t d : divisors) {
    const FastModulo modulo(d);
    for (std::uint32_t x : {0u, 1u, d - 1, d, d + 1, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu}) {
      EXPECT_EQ(modulo(x), x % d) << x << " mod " << d;
    }
    for (int i = 0; i < 100000; ++i) {
      const std::uint32_t x = rng();
      ASSERT_EQ(modulo(x), x % d) << x << " mod " << d;
    }
  }
}

TEST(FastModulo, RandomDivisors) {
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const std::uint32_t d = rng() | 1u;
    const FastModulo modulo(d);
    for (int j = 0; j < 100; ++j) {
      const std::uint32_t x = rng();
      ASSERT_EQ(modulo(x), x % d) << x << " mod " << d;
    }
  }
}

}  // namespace
}  // namespace parafeat
