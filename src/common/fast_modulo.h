// x mod d for a fixed divisor without a division instruction (Lemire, Kaser and Kurz, "Faster
// Remainder by Direct Computation", 2019): exact for every 32-bit x and divisor. Powers of two,
// such as scikit-learn's default n_features of 2**20, take a mask instead.
#pragma once

#include <bit>
#include <cstdint>

namespace parafeat {

class FastModulo {
 public:
  /// `divisor` must be at least 1.
  explicit FastModulo(std::uint32_t divisor)
      : divisor_(divisor),
        power_of_two_(std::has_single_bit(divisor)),
        multiplier_(~std::uint64_t{0} / divisor + 1) {}

  std::uint32_t divisor() const { return divisor_; }

  /// x mod divisor.
  std::uint32_t operator()(std::uint32_t x) const {
    if (power_of_two_) return x & (divisor_ - 1);
    // The high 64 bits of the 96-bit product low_bits * divisor, computed in two 32-bit halves.
    const std::uint64_t low_bits = multiplier_ * x;
    const std::uint64_t low_half = ((low_bits & 0xFFFFFFFFu) * divisor_) >> 32;
    return static_cast<std::uint32_t>(((low_bits >> 32) * divisor_ + low_half) >> 32);
  }

 private:
  std::uint32_t divisor_;
  bool power_of_two_;  // x mod divisor is then x & (divisor - 1)
  std::uint64_t multiplier_;
};

}  // namespace parafeat
