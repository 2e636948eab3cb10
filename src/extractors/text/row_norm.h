// Row normalisation of sparse feature rows, rounding exactly as scikit-learn's
// inplace_csr_row_normalize_l1 / _l2 do for their element type.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>

namespace parafeat::text {

/// scikit-learn's `norm` choices.
enum class Norm : std::uint8_t { kNone, kL1, kL2 };

/// Scales the row `values` to unit `norm` in the arithmetic of element type T: the norm
/// accumulates in double (each |x| or x * x computed in T), each element is divided by it in
/// double and stored back rounded to T. `values` may be stored wider than T (doubles holding T
/// values). A row whose norm is zero is left as it is.
template <typename T, typename Stored>
void normalize_row(std::span<Stored> values, Norm norm) {
  if (norm == Norm::kNone) return;
  double sum = 0.0;
  for (const Stored stored : values) {
    const T x = static_cast<T>(stored);
    sum += norm == Norm::kL1 ? std::fabs(static_cast<double>(x)) : static_cast<double>(x * x);
  }
  if (sum == 0.0) return;
  if (norm == Norm::kL2) sum = std::sqrt(sum);
  for (Stored& stored : values) {
    stored = static_cast<T>(static_cast<double>(static_cast<T>(stored)) / sum);
  }
}

}  // namespace parafeat::text
