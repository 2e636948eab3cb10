#include "extractors/timeseries/pseudo_inverse.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

namespace parafeat::timeseries {

ThinSvd thin_svd(const Matrix& x) {
  const std::size_t m = x.rows;
  const std::size_t n = x.cols;
  // Columns of A = x, rotated until orthogonal: A V = U S.
  std::vector<std::vector<double>> a(n, std::vector<double>(m));
  for (std::size_t r = 0; r < m; ++r) {
    for (std::size_t c = 0; c < n; ++c) a[c][r] = x.at(r, c);
  }
  std::vector<std::vector<double>> v(n, std::vector<double>(n, 0.0));
  for (std::size_t c = 0; c < n; ++c) v[c][c] = 1.0;
  constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
  for (int sweep = 0; sweep < 60; ++sweep) {
    bool rotated = false;
    for (std::size_t p = 0; p + 1 < n; ++p) {
      for (std::size_t q = p + 1; q < n; ++q) {
        double alpha = 0, beta = 0, gamma = 0;
        for (std::size_t r = 0; r < m; ++r) {
          alpha += a[p][r] * a[p][r];
          beta += a[q][r] * a[q][r];
          gamma += a[p][r] * a[q][r];
        }
        if (gamma == 0 || std::abs(gamma) <= kEpsilon * std::sqrt(alpha) * std::sqrt(beta))
          continue;
        rotated = true;
        const double zeta = (beta - alpha) / (2 * gamma);
        const double t = std::copysign(1.0, zeta) / (std::abs(zeta) + std::sqrt(1 + zeta * zeta));
        const double c = 1 / std::sqrt(1 + t * t);
        const double s = c * t;
        for (std::size_t r = 0; r < m; ++r) {
          const double ap = a[p][r];
          const double aq = a[q][r];
          a[p][r] = c * ap - s * aq;
          a[q][r] = s * ap + c * aq;
        }
        for (std::size_t r = 0; r < n; ++r) {
          const double vp = v[p][r];
          const double vq = v[q][r];
          v[p][r] = c * vp - s * vq;
          v[q][r] = s * vp + c * vq;
        }
      }
    }
    if (!rotated) break;
  }
  std::vector<double> sigma(n);
  for (std::size_t c = 0; c < n; ++c) {
    double norm = 0;
    for (double value : a[c]) norm += value * value;
    sigma[c] = std::sqrt(norm);
  }
  return ThinSvd{std::move(sigma), std::move(a), std::move(v)};
}

double ThinSvd::cutoff(double rcond) const {
  return sigma.empty() ? 0.0 : rcond * *std::max_element(sigma.begin(), sigma.end());
}

std::vector<double> ThinSvd::solve(const std::vector<double>& y, double rcond) const {
  const std::size_t n = sigma.size();
  const double threshold = cutoff(rcond);
  std::vector<double> beta(n, 0.0);
  for (std::size_t c = 0; c < n; ++c) {
    if (!(sigma[c] > threshold)) continue;
    // (u_c . y) / sigma_c, with u_c = us_c / sigma_c.
    double projection = 0;
    for (std::size_t r = 0; r < us[c].size(); ++r) projection += us[c][r] * y[r];
    const double weight = projection / sigma[c] / sigma[c];
    for (std::size_t r = 0; r < n; ++r) beta[r] += v[c][r] * weight;
  }
  return beta;
}

std::vector<double> pinv_solve(const Matrix& x, const std::vector<double>& y, double rcond) {
  return thin_svd(x).solve(y, rcond);
}

OlsFit ols_fit(const Matrix& x, const std::vector<double>& y) {
  constexpr double kRcond = 1e-15;
  const ThinSvd svd = thin_svd(x);
  OlsFit fit;
  fit.nobs = x.rows;
  fit.params = svd.solve(y, kRcond);
  const double pinv_cutoff = svd.cutoff(kRcond);
  const double rank_cutoff =
      svd.cutoff(static_cast<double>(x.cols) * std::numeric_limits<double>::epsilon());
  fit.unscaled_variances.assign(x.cols, 0.0);
  for (std::size_t c = 0; c < x.cols; ++c) {
    if (svd.sigma[c] > rank_cutoff) ++fit.rank;
    if (!(svd.sigma[c] > pinv_cutoff)) continue;
    const double inverse_square = 1.0 / (svd.sigma[c] * svd.sigma[c]);
    for (std::size_t i = 0; i < x.cols; ++i)
      fit.unscaled_variances[i] += svd.v[c][i] * svd.v[c][i] * inverse_square;
  }
  for (std::size_t r = 0; r < x.rows; ++r) {
    double predicted = 0;
    for (std::size_t c = 0; c < x.cols; ++c) predicted += x.at(r, c) * fit.params[c];
    const double residual = y[r] - predicted;
    fit.ssr += residual * residual;
  }
  return fit;
}

double OlsFit::llf() const {
  const double n = static_cast<double>(nobs);
  const double half = n / 2.0;
  return -half * std::log(2 * std::numbers::pi) - half * std::log(ssr / n) - half;
}

double OlsFit::tvalue(std::size_t i) const {
  const double scale = ssr / static_cast<double>(nobs - rank);
  return params[i] / std::sqrt(unscaled_variances[i] * scale);
}

std::vector<double> polyfit(const std::vector<double>& x, const std::vector<double>& y,
                            std::size_t degree) {
  const std::size_t cols = degree + 1;
  Matrix vander{x.size(), cols, std::vector<double>(x.size() * cols)};
  for (std::size_t r = 0; r < x.size(); ++r) {
    double power = 1.0;
    for (std::size_t c = cols; c-- > 0;) {
      vander.at(r, c) = power;
      power *= x[r];
    }
  }
  std::vector<double> scale(cols, 0.0);
  for (std::size_t c = 0; c < cols; ++c) {
    for (std::size_t r = 0; r < x.size(); ++r) scale[c] += vander.at(r, c) * vander.at(r, c);
    scale[c] = std::sqrt(scale[c]);
    // A column that overflowed or vanished makes numpy's scaled matrix NaN, and lstsq fails.
    if (!std::isfinite(scale[c]) || scale[c] == 0) {
      return std::vector<double>(cols, std::numeric_limits<double>::quiet_NaN());
    }
    for (std::size_t r = 0; r < x.size(); ++r) vander.at(r, c) /= scale[c];
  }
  const double rcond = static_cast<double>(x.size()) * std::numeric_limits<double>::epsilon();
  std::vector<double> coefficients = pinv_solve(vander, y, rcond);
  for (std::size_t c = 0; c < cols; ++c) coefficients[c] /= scale[c];
  return coefficients;
}

}  // namespace parafeat::timeseries
