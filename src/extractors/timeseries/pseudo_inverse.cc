#include "extractors/timeseries/pseudo_inverse.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace parafeat::timeseries {
namespace {

struct ColumnProducts {
  double pp;  // |p|^2
  double qq;  // |q|^2
  double pq;  // p . q
};

// The three dot products of two columns, each summed in two interleaved lanes (even and odd
// rows): a single chain of dependent additions waits for every add; six chains run at once.
// Identical columns still give exactly equal products (the same operations in the same order),
// which keeps a constant series' design exactly rank-deficient.
ColumnProducts column_products(const std::vector<double>& p, const std::vector<double>& q) {
  double pp0 = 0, pp1 = 0, qq0 = 0, qq1 = 0, pq0 = 0, pq1 = 0;
  const std::size_t m = p.size();
  std::size_t r = 0;
  for (; r + 2 <= m; r += 2) {
    pp0 += p[r] * p[r];
    qq0 += q[r] * q[r];
    pq0 += p[r] * q[r];
    pp1 += p[r + 1] * p[r + 1];
    qq1 += q[r + 1] * q[r + 1];
    pq1 += p[r + 1] * q[r + 1];
  }
  if (r < m) {
    pp0 += p[r] * p[r];
    qq0 += q[r] * q[r];
    pq0 += p[r] * q[r];
  }
  return {pp0 + pp1, qq0 + qq1, pq0 + pq1};
}

}  // namespace

std::vector<double> pinv_solve(const Matrix& x, const std::vector<double>& y, double rcond) {
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
        const auto [alpha, beta, gamma] = column_products(a[p], a[q]);
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
  const double cutoff = rcond * *std::max_element(sigma.begin(), sigma.end());
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

namespace {

// Columns whose Householder diagonal falls to this fraction of the largest are taken as
// dependent: least_squares then leaves the design to pinv_solve.
constexpr double kIndependentColumns = 1e-10;

// The least-squares solution by Householder QR (R beta = Q^T y), or empty when a diagonal of R
// is at or below kIndependentColumns of the largest.
std::vector<double> householder_solve(const Matrix& x, const std::vector<double>& y) {
  const std::size_t m = x.rows;
  const std::size_t n = x.cols;
  std::vector<std::vector<double>> a(n, std::vector<double>(m));  // columns
  for (std::size_t r = 0; r < m; ++r) {
    for (std::size_t c = 0; c < n; ++c) a[c][r] = x.at(r, c);
  }
  std::vector<double> b(y);
  std::vector<double> diagonal(n);
  for (std::size_t k = 0; k < n; ++k) {
    std::vector<double>& v = a[k];
    double norm = 0;
    for (std::size_t r = k; r < m; ++r) norm += v[r] * v[r];
    norm = std::sqrt(norm);
    if (norm == 0 || !std::isfinite(norm)) return {};
    const double alpha = v[k] > 0 ? -norm : norm;  // R's diagonal entry
    v[k] -= alpha;                        // v = a_k - alpha e_k, reflecting a_k onto alpha e_k
    const double vv = -2 * alpha * v[k];  // |v|^2 = 2 norm (norm + |a_kk|)
    const auto reflect = [&](std::vector<double>& w) {
      double dot = 0;
      for (std::size_t r = k; r < m; ++r) dot += v[r] * w[r];
      const double scale = 2 * dot / vv;
      for (std::size_t r = k; r < m; ++r) w[r] -= scale * v[r];
    };
    for (std::size_t c = k + 1; c < n; ++c) reflect(a[c]);
    reflect(b);
    diagonal[k] = alpha;
  }
  double largest = 0;
  for (const double d : diagonal) largest = std::max(largest, std::abs(d));
  for (const double d : diagonal) {
    if (!(std::abs(d) > kIndependentColumns * largest)) return {};
  }
  std::vector<double> beta(n);
  for (std::size_t k = n; k-- > 0;) {
    double sum = b[k];
    for (std::size_t c = k + 1; c < n; ++c) sum -= a[c][k] * beta[c];
    beta[k] = sum / diagonal[k];
  }
  return beta;
}

}  // namespace

std::vector<double> least_squares(const Matrix& x, const std::vector<double>& y, double rcond) {
  if (x.rows >= x.cols) {
    std::vector<double> beta = householder_solve(x, y);
    if (!beta.empty()) return beta;
  }
  return pinv_solve(x, y, rcond);
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
