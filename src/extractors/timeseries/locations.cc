// Extremes, where they are, and runs above or below the mean.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/numpy_reductions.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <typename Predicate>
double longest_run(Series x, Predicate inside) {
  std::size_t best = 0;
  std::size_t run = 0;
  for (double v : x) {
    run = inside(v) ? run + 1 : 0;
    best = std::max(best, run);
  }
  return static_cast<double>(best);
}

template <typename Predicate>
double count_where(Series x, Predicate inside) {
  std::size_t count = 0;
  for (double v : x) count += inside(v) ? 1 : 0;
  return static_cast<double>(count);
}

std::vector<double> reversed(Series x) {
  return {x.rbegin(), x.rend()};
}

}  // namespace

double has_duplicate_max(Series x) {
  const double top = *std::max_element(x.begin(), x.end());
  return count_where(x, [top](double v) { return v == top; }) >= 2 ? 1.0 : 0.0;
}

double has_duplicate_min(Series x) {
  const double bottom = *std::min_element(x.begin(), x.end());
  return count_where(x, [bottom](double v) { return v == bottom; }) >= 2 ? 1.0 : 0.0;
}

double has_duplicate(Series x) {
  std::vector<double> sorted = sorted_copy(x);
  return std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end() ? 1.0 : 0.0;
}

double longest_strike_below_mean(Series x) {
  const double m = np_mean(x);
  return longest_run(x, [m](double v) { return v < m; });
}

double longest_strike_above_mean(Series x) {
  const double m = np_mean(x);
  return longest_run(x, [m](double v) { return v > m; });
}

double count_above_mean(Series x) {
  const double m = np_mean(x);
  return count_where(x, [m](double v) { return v > m; });
}

double count_below_mean(Series x) {
  const double m = np_mean(x);
  return count_where(x, [m](double v) { return v < m; });
}

double last_location_of_maximum(Series x) {
  if (x.empty()) return kNaN;
  return 1.0 - static_cast<double>(np_argmax(reversed(x))) / static_cast<double>(x.size());
}

double first_location_of_maximum(Series x) {
  if (x.empty()) return kNaN;
  return static_cast<double>(np_argmax(x)) / static_cast<double>(x.size());
}

double last_location_of_minimum(Series x) {
  if (x.empty()) return kNaN;
  return 1.0 - static_cast<double>(np_argmin(reversed(x))) / static_cast<double>(x.size());
}

double first_location_of_minimum(Series x) {
  if (x.empty()) return kNaN;
  return static_cast<double>(np_argmin(x)) / static_cast<double>(x.size());
}

double maximum(Series x) {
  return *std::max_element(x.begin(), x.end());
}

double absolute_maximum(Series x) {
  double top = 0;
  for (double v : x) top = std::max(top, std::abs(v));
  return top;
}

double minimum(Series x) {
  return *std::min_element(x.begin(), x.end());
}

}  // namespace parafeat::timeseries
