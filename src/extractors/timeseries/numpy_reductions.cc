#include "extractors/timeseries/numpy_reductions.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace parafeat::timeseries {
namespace {

constexpr std::size_t kBlock = 128;  // numpy's PW_BLOCKSIZE
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double pairwise(const double* a, std::size_t n) {
  if (n < 8) {
    double sum = -0.0;
    for (std::size_t i = 0; i < n; ++i) sum += a[i];
    return sum;
  }
  if (n <= kBlock) {
    double r[8];
    for (std::size_t j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (std::size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += a[i];
    return sum;
  }
  std::size_t half = n / 2;
  half -= half % 8;
  return pairwise(a, half) + pairwise(a + half, n - half);
}

bool has_nan(std::span<const double> values) {
  return std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); });
}

// np.sort's order: ascending with every NaN after all numbers (a strict weak order, which
// operator< is not once a NaN is present).
bool sorts_before(double a, double b) {
  return a < b || (std::isnan(b) && !std::isnan(a));
}

// numpy's arg-reductions stop at the first NaN: it is the answer whatever follows.
template <typename Better>
std::size_t first_best_or_nan(std::span<const double> values, Better better) {
  std::size_t best = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) return i;
    if (better(values[i], values[best])) best = i;
  }
  return best;
}

}  // namespace

double pairwise_sum(std::span<const double> values) {
  return pairwise(values.data(), values.size());
}

double np_mean(std::span<const double> values) {
  return pairwise_sum(values) / static_cast<double>(values.size());
}

double np_var(std::span<const double> values) {
  const double mean = np_mean(values);
  std::vector<double> squares(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double d = values[i] - mean;
    squares[i] = d * d;
  }
  return pairwise_sum(squares) / static_cast<double>(values.size());
}

double np_std(std::span<const double> values) {
  return std::sqrt(np_var(values));
}

std::vector<double> sorted_copy(std::span<const double> values) {
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end(), sorts_before);
  return sorted;
}

double np_median(std::span<const double> values) {
  const std::size_t n = values.size();
  if (n == 0 || has_nan(values)) return kNaN;
  std::vector<double> copy(values.begin(), values.end());
  const std::size_t mid = n / 2;
  std::nth_element(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(mid), copy.end());
  const double upper = copy[mid];
  if (n % 2 == 1) return upper;
  const double lower =
      *std::max_element(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(mid));
  return (-0.0 + lower + upper) / 2.0;
}

double np_quantile_sorted(std::span<const double> sorted, double q) {
  const std::size_t n = sorted.size();
  if (n == 0 || std::isnan(sorted.back())) return kNaN;  // np.sort puts any NaN last
  const double virtual_index = static_cast<double>(n - 1) * q;
  // numpy's _get_indexes: at or past the last value both neighbours become index -1 (the last),
  // and the weight is measured from -1, as numpy does.
  double previous = std::floor(virtual_index);
  double next = previous + 1.0;
  if (virtual_index >= static_cast<double>(n - 1)) {
    previous = -1.0;
    next = -1.0;
  }
  if (virtual_index < 0) {
    previous = 0.0;
    next = 0.0;
  }
  const auto at = [&](double index) {
    return index < 0 ? sorted[n - 1] : sorted[static_cast<std::size_t>(index)];
  };
  const double a = at(previous);
  const double b = at(next);
  const double t = virtual_index - previous;
  const double diff = b - a;
  if (t >= 0.5) return b - diff * (1.0 - t);
  return a + diff * t;
}

std::size_t np_argmax(std::span<const double> values) {
  return first_best_or_nan(values, std::greater<>());
}

std::size_t np_argmin(std::span<const double> values) {
  return first_best_or_nan(values, std::less<>());
}

std::vector<double> np_diff(std::span<const double> values) {
  std::vector<double> diff(values.empty() ? 0 : values.size() - 1);
  for (std::size_t i = 0; i < diff.size(); ++i) diff[i] = values[i + 1] - values[i];
  return diff;
}

}  // namespace parafeat::timeseries
