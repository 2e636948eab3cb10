#include "extractors/timeseries/fft_transform.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace parafeat::timeseries {
namespace {

using Complex = std::complex<double>;

// (a * b) without std::complex's inf/NaN recovery (a library call per product); the inputs are
// finite or the result is NaN either way.
inline Complex multiply(Complex a, Complex b) {
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

bool is_power_of_two(std::size_t n) {
  return n != 0 && (n & (n - 1)) == 0;
}

// e^{sign 2 pi i k / n}, from the exact angle each time (no accumulated rotation error).
Complex unit_root(std::size_t k, std::size_t n, double sign) {
  const double angle =
      sign * 2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(n);
  return {std::cos(angle), std::sin(angle)};
}

// The last few results of a pure function of a size, kept per thread: the twiddle factors and
// chirps below cost a sin and a cos each, more than the transform that uses them, and every
// series of a batch usually has the same length. Memoising changes no bit of any result.
template <typename Value, std::size_t kSlots = 4>
class SizeMemo {
 public:
  template <typename Make>
  const Value& get(std::size_t key, Make make) {
    const auto end = slots_.begin() + static_cast<std::ptrdiff_t>(used_);
    const auto hit =
        std::find_if(slots_.begin(), end, [key](const Slot& slot) { return slot.key == key; });
    if (hit != end) return hit->value;
    Slot& slot = slots_[next_];
    next_ = (next_ + 1) % kSlots;
    used_ = std::min(used_ + 1, kSlots);
    slot.key = key;
    slot.value = make();
    return slot.value;
  }

 private:
  struct Slot {
    std::size_t key = 0;
    Value value;
  };
  std::array<Slot, kSlots> slots_{};
  std::size_t used_ = 0;
  std::size_t next_ = 0;
};

// e^{sign 2 pi i k / n} for k < n / 2, memoised per thread.
const std::vector<Complex>& roots_of(std::size_t n, double sign) {
  thread_local SizeMemo<std::vector<Complex>> forward;
  thread_local SizeMemo<std::vector<Complex>> inverse;
  return (sign < 0 ? forward : inverse).get(n, [n, sign] {
    std::vector<Complex> roots(n / 2);
    for (std::size_t k = 0; k < n / 2; ++k) roots[k] = unit_root(k, n, sign);
    return roots;
  });
}

// In-place iterative radix-2 FFT; sign -1 forward, +1 inverse (unscaled).
void fft_power_of_two(std::vector<Complex>& a, double sign) {
  const std::size_t n = a.size();
  for (std::size_t i = 1, j = 0; i < n; ++i) {
    std::size_t bit = n >> 1;
    for (; (j & bit) != 0; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  const std::vector<Complex>& roots = roots_of(n, sign);
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const std::size_t step = n / len;
    for (std::size_t start = 0; start < n; start += len) {
      for (std::size_t k = 0; k < len / 2; ++k) {
        const Complex u = a[start + k];
        const Complex v = multiply(a[start + k + len / 2], roots[k * step]);
        a[start + k] = u + v;
        a[start + k + len / 2] = u - v;
      }
    }
  }
}

// What Bluestein's algorithm needs for one length n: the chirp w_j = e^{pi i j^2 / n} and the
// transform of its circular extension to the power of two m >= 2n - 1.
struct Chirp {
  std::vector<Complex> w;
  std::vector<Complex> extended_fft;
};

const Chirp& chirp_of(std::size_t n) {
  thread_local SizeMemo<Chirp> memo;
  return memo.get(n, [n] {
    Chirp chirp{std::vector<Complex>(n), {}};
    for (std::size_t j = 0; j < n; ++j) {
      // j^2 mod 2n keeps the angle small and exact.
      const auto j2 = static_cast<std::uint64_t>(j) * j % (2 * static_cast<std::uint64_t>(n));
      chirp.w[j] = unit_root(static_cast<std::size_t>(j2), 2 * n, 1.0);
    }
    std::size_t m = 1;
    while (m < 2 * n - 1) m <<= 1;
    std::vector<Complex>& b = chirp.extended_fft;
    b.assign(m, Complex());
    b[0] = chirp.w[0];
    for (std::size_t j = 1; j < n; ++j) b[j] = b[m - j] = chirp.w[j];
    fft_power_of_two(b, -1.0);
    return chirp;
  });
}

// Bluestein: X_k = conj(w_k) * sum_j (x_j conj(w_j)) w_{k-j}, with w_j = e^{pi i j^2 / n}, as a
// circular convolution of power-of-two length.
std::vector<Complex> fft_any(std::span<const Complex> x) {
  const std::size_t n = x.size();
  const Chirp& chirp_data = chirp_of(n);
  const std::vector<Complex>& chirp = chirp_data.w;
  const std::vector<Complex>& b = chirp_data.extended_fft;
  const std::size_t m = b.size();
  std::vector<Complex> a(m);
  for (std::size_t j = 0; j < n; ++j) a[j] = multiply(x[j], std::conj(chirp[j]));
  fft_power_of_two(a, -1.0);
  for (std::size_t i = 0; i < m; ++i) a[i] = multiply(a[i], b[i]);
  fft_power_of_two(a, 1.0);
  std::vector<Complex> out(n);
  for (std::size_t k = 0; k < n; ++k) {
    out[k] = multiply(std::conj(chirp[k]), a[k]) / static_cast<double>(m);
  }
  return out;
}

// The DFT of a complex sequence of any length.
std::vector<Complex> complex_fft(std::vector<Complex> z) {
  if (is_power_of_two(z.size())) {
    fft_power_of_two(z, -1.0);
    return z;
  }
  return fft_any(z);
}

// e^{-2 pi i k / n} for k <= n / 2, memoised per thread.
const std::vector<Complex>& half_turn_roots(std::size_t n) {
  thread_local SizeMemo<std::vector<Complex>> memo;
  return memo.get(n, [n] {
    std::vector<Complex> roots(n / 2 + 1);
    for (std::size_t k = 0; k <= n / 2; ++k) roots[k] = unit_root(k, n, -1.0);
    return roots;
  });
}

// An even-length real series is transformed as a complex one of half the length, z_j = x_2j +
// i x_2j+1, and split: X_k = E_k + e^{-2 pi i k / n} O_k with E_k = (Z_k + conj(Z_h-k)) / 2 the
// transform of the even values and O_k = (Z_k - conj(Z_h-k)) / 2i that of the odd ones.
std::vector<Complex> unscaled_real_fft(std::span<const double> x) {
  const std::size_t n = x.size();
  if (n < 2 || n % 2 != 0) {
    std::vector<Complex> full(x.begin(), x.end());
    full = complex_fft(std::move(full));
    full.resize(n / 2 + 1);
    if (n > 0) full[0].imag(0.0);
    return full;
  }
  const std::size_t half = n / 2;
  std::vector<Complex> z(half);
  for (std::size_t j = 0; j < half; ++j) z[j] = Complex(x[2 * j], x[2 * j + 1]);
  z = complex_fft(std::move(z));
  const std::vector<Complex>& roots = half_turn_roots(n);
  std::vector<Complex> out(half + 1);
  for (std::size_t k = 0; k <= half; ++k) {
    const Complex zk = z[k % half];
    const Complex zc = std::conj(z[(half - k) % half]);
    const Complex even = 0.5 * (zk + zc);
    const Complex odd_times_i = 0.5 * (zk - zc);  // i O_k
    // X_k = E_k + w_k O_k = E_k - i w_k (i O_k)
    const Complex w_odd = multiply(roots[k], odd_times_i);
    out[k] = Complex(even.real() + w_odd.imag(), even.imag() - w_odd.real());
  }
  out[0].imag(0.0);
  out[half].imag(0.0);
  return out;
}

// A series whose largest magnitude reaches 2^(kLargeExponent + 1) is transformed scaled down by
// a power of two into [2^kLargeExponent, 2^(kLargeExponent + 1)): the transform's partial sums
// grow to about n times the largest value (Bluestein's to about 2 n m^2 before its division by
// m), so values numpy transforms to finite coefficients would overflow to inf or NaN. That
// leaves 2^511 of room for the growth, and only values over 2^1500 times smaller than the
// largest lose bits to subnormals.
constexpr int kLargeExponent = 512;

// The power of two to divide `x` by before transforming (0: none). A series holding inf is left
// alone: its coefficients are inf or NaN at any scale.
int downscale_exponent(std::span<const double> x) {
  double largest = 0.0;
  for (double v : x) largest = std::max(largest, std::abs(v));
  if (!std::isfinite(largest) || largest == 0.0) return 0;
  return std::max(0, std::ilogb(largest) - kLargeExponent);
}

}  // namespace

// Scaling by a power of two is exact: a large series gets the coefficients of the unscaled
// transform wherever that one does not overflow (bar values that become subnormal at the smaller
// scale), and a series below the threshold is transformed as given, bit for bit as before.
std::vector<Complex> real_fft(std::span<const double> x) {
  const int exponent = downscale_exponent(x);
  if (exponent == 0) return unscaled_real_fft(x);
  std::vector<double> scaled(x.size());
  for (std::size_t j = 0; j < x.size(); ++j) scaled[j] = std::ldexp(x[j], -exponent);
  std::vector<Complex> out = unscaled_real_fft(scaled);
  for (Complex& c : out) c = {std::ldexp(c.real(), exponent), std::ldexp(c.imag(), exponent)};
  return out;
}

}  // namespace parafeat::timeseries
