#include "extractors/timeseries/pseudo_inverse.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace parafeat::timeseries {

std::vector<double> pinv_solve(const Matrix& x, const std::vector<double>& y) {
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
        if (gamma == 0 || std::abs(gamma) <= kEpsilon * std::sqrt(alpha) * std::sqrt(beta)) continue;
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
  const double cutoff = 1e-15 * *std::max_element(sigma.begin(), sigma.end());
  std::vector<double> beta(n, 0.0);
  for (std::size_t c = 0; c < n; ++c) {
    if (!(sigma[c] > cutoff)) continue;
    // (u_c . y) / sigma_c, with u_c = a_c / sigma_c.
    double projection = 0;
    for (std::size_t r = 0; r < m; ++r) projection += a[c][r] * y[r];
    const double weight = projection / sigma[c] / sigma[c];
    for (std::size_t r = 0; r < n; ++r) beta[r] += v[c][r] * weight;
  }
  return beta;
}

}  // namespace parafeat::timeseries
