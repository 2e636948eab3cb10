// OLS fits of y on every leading block of columns of a design (the nested models of a lag
// search), from one Householder QR decomposition: each fit then costs a triangular solve. The
// decomposition is a tall-skinny QR over fixed row chunks, which may run in parallel; the chunks
// depend on the design's shape only, so the result is the same bytes on any number of threads.
#pragma once

#include <cstddef>
#include <vector>

#include "extractors/timeseries/pseudo_inverse.h"
#include "parafeat/fork_join.h"

namespace parafeat::timeseries {

/// Fits y on x[:, :cols] for any cols, equal (up to rounding) to ols_fit on those columns. A
/// block whose condition number is not clearly below numpy's rank tolerance is fitted by
/// ols_fit itself, so rank-deficient blocks get statsmodels' pseudo-inverse solution. x and y
/// must outlive the object.
class NestedOls {
 public:
  /// Decomposes x (rows >= cols >= 1, finite) with y carried along; `fork` runs the row chunks.
  NestedOls(const Matrix& x, const std::vector<double>& y,
            const ForkJoin& fork = serial_fork_join());
  /// statsmodels' OLS(y, x[:, :cols]).fit() quantities, 1 <= cols <= x.cols.
  OlsFit fit(std::size_t cols) const;

 private:
  double r(std::size_t i, std::size_t j) const { return r_[i * cols_ + j]; }
  double r_inverse(std::size_t i, std::size_t j) const { return r_inverse_[i * cols_ + j]; }

  const Matrix* x_;
  const std::vector<double>* y_;
  std::size_t cols_;
  std::vector<double> r_;                // R, cols x cols upper triangular, row-major
  std::vector<double> r_inverse_;        // R^-1 (upper triangular; inf/NaN past a zero pivot)
  std::vector<double> qty_;              // the first cols entries of Q^T y
  std::vector<double> ssr_;              // ssr_[j]: residual sum of squares on j columns
  std::vector<double> norm2_r_;          // squared Frobenius norms of R's leading blocks
  std::vector<double> norm2_r_inverse_;  // and of R^-1's
};

}  // namespace parafeat::timeseries
