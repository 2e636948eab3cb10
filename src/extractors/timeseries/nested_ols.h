// OLS fits of y on every leading block of columns of a design (the nested models of a lag
// search), from one Householder QR decomposition: each fit then costs a triangular solve. The
// decomposition is a tall-skinny QR over fixed row chunks, which may run in parallel; the chunks
// depend on the design's shape only, so the result is the same bytes on any number of threads.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "extractors/timeseries/pseudo_inverse.h"
#include "parafeat/fork_join.h"

namespace parafeat::timeseries {

/// The triangular factor R of the QR decomposition of [x | y] (x with cols columns).
struct OlsFactor {
  std::size_t cols = 0;
  std::vector<double> r;  ///< (cols + 1) square, upper triangular, row-major.
};

/// Fits y on x[:, :cols] for any cols, equal (up to rounding) to ols_fit on those columns. A
/// block whose condition number is not clearly below numpy's rank tolerance is fitted by
/// ols_fit itself, so rank-deficient blocks get statsmodels' pseudo-inverse solution. x and y
/// must outlive the object.
class NestedOls {
 public:
  /// Decomposes x (rows >= cols >= 1, finite) with y carried along; `fork` runs the row chunks.
  NestedOls(const Matrix& x, const std::vector<double>& y,
            const ForkJoin& fork = serial_fork_join());
  /// Decomposes x whose column c is column column_of[c] of the design `decomposed` is the
  /// factor of, on the same rows with the same y (a QR of a square matrix of side
  /// decomposed.cols + 1, not a pass over the rows).
  NestedOls(const Matrix& x, const std::vector<double>& y, const OlsFactor& decomposed,
            std::span<const std::size_t> column_of);
  /// The triangular factor of [x | y].
  const OlsFactor& factor() const { return factor_; }
  /// statsmodels' OLS(y, x[:, :cols]).fit() quantities, 1 <= cols <= x.cols.
  OlsFit fit(std::size_t cols) const;

 private:
  // Everything else from factor_.
  void finish();
  double r(std::size_t i, std::size_t j) const { return r_[i * cols_ + j]; }
  double r_inverse(std::size_t i, std::size_t j) const { return r_inverse_[i * cols_ + j]; }

  const Matrix* x_;
  const std::vector<double>* y_;
  std::size_t cols_;
  OlsFactor factor_;
  std::vector<double> r_;                // R, cols x cols upper triangular, row-major
  std::vector<double> r_inverse_;        // R^-1 (upper triangular; inf/NaN past a zero pivot)
  std::vector<double> qty_;              // the first cols entries of Q^T y
  std::vector<double> ssr_;              // ssr_[j]: residual sum of squares on j columns
  std::vector<double> norm2_r_;          // squared Frobenius norms of R's leading blocks
  std::vector<double> norm2_r_inverse_;  // and of R^-1's
};

}  // namespace parafeat::timeseries
