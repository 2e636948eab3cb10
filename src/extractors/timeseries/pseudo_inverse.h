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

/// A thin singular value decomposition x = U diag(sigma) V^T by one-sided Jacobi rotations, the
/// singular values in no particular order.
struct ThinSvd {
  std::vector<double> sigma;            ///< Singular values, one per column of x.
  std::vector<std::vector<double>> us;  ///< us[c] = U's column c times sigma[c] (x.rows long).
  std::vector<std::vector<double>> v;   ///< v[c] = V's column c (x.cols long).
  /// rcond times the largest singular value: values at or below it count as zero.
  double cutoff(double rcond) const;
  /// pinv(x) @ y with that cutoff.
  std::vector<double> solve(const std::vector<double>& y, double rcond = 1e-15) const;
};

/// The decomposition of x (rows >= 1, cols >= 1).
ThinSvd thin_svd(const Matrix& x);

/// pinv(x) @ y, the singular value decomposition done by one-sided Jacobi rotations; singular
/// values at or below `rcond` times the largest count as zero (statsmodels' pinv: 1e-15).
std::vector<double> pinv_solve(const Matrix& x, const std::vector<double>& y, double rcond = 1e-15);

/// What statsmodels' OLS(y, x).fit() reports, as far as the calculators use it.
struct OlsFit {
  std::vector<double> params;              ///< pinv(x) @ y.
  std::vector<double> unscaled_variances;  ///< diag(pinv(x) @ pinv(x).T).
  double ssr = 0;                          ///< Sum of squared residuals.
  std::size_t rank = 0;  ///< Singular values above max * cols * eps (numpy's matrix_rank).
  std::size_t nobs = 0;  ///< Rows of x.
  /// The profile log-likelihood: -n/2 (log(2 pi) + log(ssr / n) + 1).
  double llf() const;
  /// params[i] over its standard error, the scale being ssr / (nobs - rank).
  double tvalue(std::size_t i) const;
};

/// statsmodels' OLS(y, x).fit() (method "pinv"): the fit, its rank and unscaled covariances.
OlsFit ols_fit(const Matrix& x, const std::vector<double>& y);

/// np.polyfit(x, y, degree): coefficients, highest power first, of the least-squares polynomial
/// (columns of the Vandermonde matrix scaled to unit norm, lstsq's cutoff len(x) * eps).
std::vector<double> polyfit(const std::vector<double>& x, const std::vector<double>& y,
                            std::size_t degree);

}  // namespace parafeat::timeseries
