#include "extractors/timeseries/nested_ols.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace parafeat::timeseries {
namespace {

// Below this condition number (over cols * eps) numpy's matrix_rank surely counts every column
// and the QR solution equals the pseudo-inverse one up to rounding.
constexpr double kConditionMargin = 1e3;

// sqrt(sum v^2) without overflow or underflow on the way.
double norm2(const double* v, std::size_t n) {
  double scale = 0;
  for (std::size_t i = 0; i < n; ++i) scale = std::max(scale, std::abs(v[i]));
  if (scale == 0 || !std::isfinite(scale)) return scale;
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += (v[i] / scale) * (v[i] / scale);
  return scale * std::sqrt(sum);
}

}  // namespace

NestedOls::NestedOls(const Matrix& x, const std::vector<double>& y)
    : x_(&x), y_(&y), cols_(x.cols) {
  const std::size_t m = x.rows;
  const std::size_t k = cols_;
  std::vector<std::vector<double>> a(k, std::vector<double>(m));
  for (std::size_t row = 0; row < m; ++row) {
    for (std::size_t c = 0; c < k; ++c) a[c][row] = x.at(row, c);
  }
  std::vector<double> b = y;
  r_.assign(k * k, 0.0);
  for (std::size_t c = 0; c < k; ++c) {
    double* v = a[c].data() + c;
    const std::size_t len = m - c;
    const double norm = norm2(v, len);
    if (norm == 0) continue;  // a zero pivot: R(c, c) = 0
    const double alpha = v[0] > 0 ? -norm : norm;
    const double beta = 1.0 / (norm * (norm + std::abs(v[0])));  // 2 / |v|^2
    v[0] -= alpha;
    auto reflect = [&](double* w) {
      double s = 0;
      for (std::size_t i = 0; i < len; ++i) s += v[i] * w[i];
      s *= beta;
      for (std::size_t i = 0; i < len; ++i) w[i] -= s * v[i];
    };
    for (std::size_t j = c + 1; j < k; ++j) reflect(a[j].data() + c);
    reflect(b.data() + c);
    r_[c * k + c] = alpha;
    for (std::size_t j = c + 1; j < k; ++j) r_[c * k + j] = a[j][c];
  }
  qty_.assign(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(k));
  ssr_.assign(k + 1, 0.0);
  for (std::size_t i = k; i < m; ++i) ssr_[k] += b[i] * b[i];
  for (std::size_t j = k; j-- > 0;) ssr_[j] = ssr_[j + 1] + qty_[j] * qty_[j];
  // R^-1 column by column (back substitution on the unit vectors).
  r_inverse_.assign(k * k, 0.0);
  for (std::size_t col = 0; col < k; ++col) {
    for (std::size_t i = col + 1; i-- > 0;) {
      double s = i == col ? 1.0 : 0.0;
      for (std::size_t l = i + 1; l <= col; ++l) s -= r(i, l) * r_inverse_[l * k + col];
      r_inverse_[i * k + col] = s / r(i, i);
    }
  }
  norm2_r_.assign(k + 1, 0.0);
  norm2_r_inverse_.assign(k + 1, 0.0);
  for (std::size_t j = 1; j <= k; ++j) {
    double added = 0;
    double added_inverse = 0;
    for (std::size_t i = 0; i < j; ++i) {
      added += r(i, j - 1) * r(i, j - 1);
      added_inverse += r_inverse(i, j - 1) * r_inverse(i, j - 1);
    }
    norm2_r_[j] = norm2_r_[j - 1] + added;
    norm2_r_inverse_[j] = norm2_r_inverse_[j - 1] + added_inverse;
  }
}

OlsFit NestedOls::fit(std::size_t cols) const {
  const double condition_bound = std::sqrt(norm2_r_[cols]) * std::sqrt(norm2_r_inverse_[cols]);
  const double tolerance = static_cast<double>(cols) * std::numeric_limits<double>::epsilon();
  if (!(condition_bound * tolerance * kConditionMargin < 1.0)) {
    Matrix block{x_->rows, cols, std::vector<double>(x_->rows * cols)};
    for (std::size_t row = 0; row < x_->rows; ++row) {
      for (std::size_t c = 0; c < cols; ++c) block.at(row, c) = x_->at(row, c);
    }
    return ols_fit(block, *y_);
  }
  OlsFit out;
  out.nobs = x_->rows;
  out.rank = cols;
  out.ssr = ssr_[cols];
  out.params.assign(cols, 0.0);
  for (std::size_t i = cols; i-- > 0;) {
    double s = qty_[i];
    for (std::size_t l = i + 1; l < cols; ++l) s -= r(i, l) * out.params[l];
    out.params[i] = s / r(i, i);
  }
  out.unscaled_variances.assign(cols, 0.0);
  for (std::size_t i = 0; i < cols; ++i) {
    for (std::size_t l = i; l < cols; ++l)
      out.unscaled_variances[i] += r_inverse(i, l) * r_inverse(i, l);
  }
  return out;
}

}  // namespace parafeat::timeseries
