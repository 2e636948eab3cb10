// Least squares by the pseudo-inverse, as statsmodels' OLS fits (pinv with singular values below
// 1e-15 of the largest treated as zero, so a rank-deficient design gets the minimum-norm
// solution).
#pragma once

#include <cstddef>
#include <vector>

namespace parafeat::timeseries {

/// A dense row-major matrix.
struct Matrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> values;
  double& at(std::size_t r, std::size_t c) { return values[r * cols + c]; }
  double at(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
};

/// pinv(x) @ y, the singular value decomposition done by one-sided Jacobi rotations; singular
/// values at or below `rcond` times the largest count as zero (statsmodels' pinv: 1e-15).
std::vector<double> pinv_solve(const Matrix& x, const std::vector<double>& y, double rcond = 1e-15);

/// The same solution as pinv_solve, faster: by Householder QR when the columns are clearly
/// independent (every diagonal of R above 1e-10 of the largest: the solution is unique and both
/// ways agree to rounding), else by pinv_solve (the minimum-norm solution of a rank-deficient
/// design).
std::vector<double> least_squares(const Matrix& x, const std::vector<double>& y,
                                  double rcond = 1e-15);

/// np.polyfit(x, y, degree): coefficients, highest power first, of the least-squares polynomial
/// (columns of the Vandermonde matrix scaled to unit norm, lstsq's cutoff len(x) * eps).
std::vector<double> polyfit(const std::vector<double>& x, const std::vector<double>& y,
                            std::size_t degree);

}  // namespace parafeat::timeseries
