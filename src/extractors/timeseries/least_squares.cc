#include "extractors/timeseries/least_squares.h"

#include <cmath>
#include <limits>
#include <vector>

#include "extractors/timeseries/numpy_reductions.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The continued fraction of I_x(a, b) (modified Lentz), converging for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEpsilon = 1e-16;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::abs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double result = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double numerator = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + numerator * d;
    if (std::abs(d) < kTiny) d = kTiny;
    c = 1.0 + numerator / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    result *= d * c;
    numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + numerator * d;
    if (std::abs(d) < kTiny) d = kTiny;
    c = 1.0 + numerator / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    result *= delta;
    if (std::abs(delta - 1.0) < kEpsilon) break;
  }
  return result;
}

}  // namespace

double regularized_incomplete_beta(double a, double b, double x) {
  if (std::isnan(x) || x < 0 || x > 1) return kNaN;
  if (x == 0 || x == 1) return x;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) {
    return std::exp(log_front) * beta_continued_fraction(a, b, x) / a;
  }
  return 1.0 - std::exp(log_front) * beta_continued_fraction(b, a, 1.0 - x) / b;
}

LinearFit linregress_on_index(std::span<const double> y) {
  const std::size_t n = y.size();
  for (double v : y) {
    if (std::isnan(v)) return {kNaN, kNaN, kNaN, kNaN, kNaN};  // scipy's nan_policy="propagate"
  }
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<double>(i);
  const double xmean = np_mean(x);
  const double ymean = np_mean(y);
  double sxx = 0;
  double sxy = 0;
  double syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = x[i] - xmean;
    const double dy = y[i] - ymean;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const auto count = static_cast<double>(n);
  const double ssxm = sxx / count;
  const double ssxym = sxy / count;
  const double ssym = syy / count;
  double r = 0;
  if (ssxm == 0.0 || ssym == 0.0) {
    r = ssxym == 0 ? kNaN : 0.0;
  } else {
    r = ssxym / std::sqrt(ssxm * ssym);
    r = r > 1.0 ? 1.0 : (r < -1.0 ? -1.0 : r);
  }
  LinearFit fit{};
  fit.rvalue = r;
  fit.slope = ssxym / ssxm;
  fit.intercept = ymean - fit.slope * xmean;
  if (n == 2) {
    fit.pvalue = y[0] == y[1] ? 1.0 : 0.0;
    fit.standard_error = 0.0;
    return fit;
  }
  constexpr double kTinyR = 1.0e-20;
  const double df = count - 2;
  const double t = r * std::sqrt(df / ((1.0 - r + kTinyR) * (1.0 + r + kTinyR)));
  // Two-sided p of Student's t: I_{df / (df + t^2)}(df / 2, 1 / 2).
  fit.pvalue =
      std::isnan(t) || df <= 0
          ? kNaN
          : (std::isinf(t) ? 0.0 : regularized_incomplete_beta(df / 2, 0.5, df / (df + t * t)));
  fit.standard_error = std::sqrt((1 - r * r) * ssym / ssxm / df);
  return fit;
}

}  // namespace parafeat::timeseries
