#include "extractors/timeseries/nested_ols.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace parafeat::timeseries {
namespace {

// Below this condition number (over cols * eps) numpy's matrix_rank surely counts every column
// and the QR solution equals the pseudo-inverse one up to rounding.
constexpr double kConditionMargin = 1e3;

// Rows of the design copied and absorbed into the triangular factor at a time: a block of
// kBlockRows x (cols + 1) values stays in the first-level cache while every reflector sweeps it.
constexpr std::size_t kBlockRows = 64;
// Rows decomposed by one task. A function of nothing but this constant, so the order of every
// operation (and so every bit of the result) is the same however many threads run the tasks.
constexpr std::size_t kChunkRows = 2048;

// Householder QR of the stacked matrix [R; B] into R: R is width x width upper triangular
// (row-major), B is `rows` x width (row-major) and is overwritten. Reflector c touches row c of R
// and every row of B (the rows of R below c are zero in column c), so the cost is that of a QR
// of B alone. Sums run over the rows in order, each column's in its own accumulator (which is
// what lets the compiler vectorise across columns without reordering any sum).
void absorb(std::vector<double>& r, std::size_t width, double* block, std::size_t rows,
            std::vector<double>& dots) {
  dots.resize(width);
  for (std::size_t c = 0; c < width; ++c) {
    double* r_row = r.data() + c * width;
    // The norm of column c, scaled so that it neither overflows nor underflows on the way.
    double scale = std::abs(r_row[c]);
    for (std::size_t i = 0; i < rows; ++i) scale = std::max(scale, std::abs(block[i * width + c]));
    if (scale == 0) continue;  // a zero pivot so far: R(c, c) stays 0
    double norm = scale;
    if (std::isfinite(scale)) {
      double sum = (r_row[c] / scale) * (r_row[c] / scale);
      for (std::size_t i = 0; i < rows; ++i) {
        const double v = block[i * width + c] / scale;
        sum += v * v;
      }
      norm = scale * std::sqrt(sum);
    }
    const double head = r_row[c];
    const double alpha = head > 0 ? -norm : norm;
    const double beta = 1.0 / (norm * (norm + std::abs(head)));  // 2 / |v|^2
    const double v0 = head - alpha;
    const std::size_t rest = width - c - 1;
    double* r_rest = r_row + c + 1;
    for (std::size_t j = 0; j < rest; ++j) dots[j] = v0 * r_rest[j];
    for (std::size_t i = 0; i < rows; ++i) {
      const double* row = block + i * width;
      const double vi = row[c];
      for (std::size_t j = 0; j < rest; ++j) dots[j] += vi * row[c + 1 + j];
    }
    for (std::size_t j = 0; j < rest; ++j) {
      dots[j] *= beta;
      r_rest[j] -= dots[j] * v0;
    }
    for (std::size_t i = 0; i < rows; ++i) {
      double* row = block + i * width;
      const double vi = row[c];
      for (std::size_t j = 0; j < rest; ++j) row[c + 1 + j] -= dots[j] * vi;
    }
    r_row[c] = alpha;
  }
}

// The triangular factor of [x[first:last] | y[first:last]], absorbed kBlockRows rows at a time.
std::vector<double> chunk_factor(const Matrix& x, const std::vector<double>& y, std::size_t first,
                                 std::size_t last) {
  const std::size_t width = x.cols + 1;
  std::vector<double> r(width * width, 0.0);
  std::vector<double> block(kBlockRows * width);
  std::vector<double> dots;
  for (std::size_t begin = first; begin < last; begin += kBlockRows) {
    const std::size_t rows = std::min(kBlockRows, last - begin);
    for (std::size_t i = 0; i < rows; ++i) {
      std::copy_n(x.values.data() + (begin + i) * x.cols, x.cols, block.data() + i * width);
      block[i * width + x.cols] = y[begin + i];
    }
    absorb(r, width, block.data(), rows, dots);
  }
  return r;
}

}  // namespace

NestedOls::NestedOls(const Matrix& x, const std::vector<double>& y, const ForkJoin& fork)
    : x_(&x), y_(&y), cols_(x.cols) {
  const std::size_t m = x.rows;
  const std::size_t k = cols_;
  const std::size_t width = k + 1;  // y rides along as the last column
  // A tall-skinny QR: the chunks are decomposed independently (in parallel when `fork` allows),
  // then their factors are stacked and decomposed pairwise in a fixed binary tree.
  const std::size_t num_chunks = std::max<std::size_t>(1, (m + kChunkRows - 1) / kChunkRows);
  std::vector<std::vector<double>> factors(num_chunks);
  fork.run(num_chunks, [&](std::size_t chunk) {
    factors[chunk] = chunk_factor(x, y, chunk * kChunkRows, std::min(m, (chunk + 1) * kChunkRows));
  });
  std::vector<double> dots;
  for (std::size_t stride = 1; stride < num_chunks; stride *= 2) {
    for (std::size_t left = 0; left + stride < num_chunks; left += 2 * stride) {
      absorb(factors[left], width, factors[left + stride].data(), width, dots);
    }
  }
  factor_ = OlsFactor{k, std::move(factors[0])};
  finish();
}

NestedOls::NestedOls(const Matrix& x, const std::vector<double>& y, const OlsFactor& decomposed,
                     std::span<const std::size_t> column_of)
    : x_(&x), y_(&y), cols_(x.cols) {
  // [x | y] = Q [R(:, column_of) | R(:, y)] with Q, R those of `decomposed`: the QR of that small
  // matrix finishes the QR of [x | y].
  const std::size_t from_width = decomposed.cols + 1;
  const std::size_t width = cols_ + 1;
  std::vector<double> moved(from_width * width);
  for (std::size_t i = 0; i < from_width; ++i) {
    const double* from = decomposed.r.data() + i * from_width;
    for (std::size_t c = 0; c < cols_; ++c) moved[i * width + c] = from[column_of[c]];
    moved[i * width + cols_] = from[decomposed.cols];
  }
  std::vector<double> factor(width * width, 0.0);
  std::vector<double> dots;
  absorb(factor, width, moved.data(), from_width, dots);
  factor_ = OlsFactor{cols_, std::move(factor)};
  finish();
}

void NestedOls::finish() {
  const std::size_t k = cols_;
  const std::size_t width = k + 1;
  const std::vector<double>& full = factor_.r;
  r_.assign(k * k, 0.0);
  qty_.assign(k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    std::copy_n(full.data() + i * width, k, r_.data() + i * k);
    qty_[i] = full[i * width + k];
  }
  ssr_.assign(k + 1, 0.0);
  ssr_[k] = full[k * width + k] * full[k * width + k];
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
