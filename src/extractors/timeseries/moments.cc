// Moments and spread: mean, median, variance and the features built on them.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/numpy_reductions.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// pandas' _zero_out_fperr: a sum of powers below `tolerance` is taken as exactly zero.
double zero_out_fperr(double value, double tolerance) {
  return std::abs(value) < tolerance ? 0.0 : value;
}

// pandas' central power sums (pairwise, as numpy sums) and its tolerance for a constant series:
// (eps * max|x|)^k * n for the k-th power.
struct CentralSums {
  double m2;
  double m3;
  double m4;
  double max_abs;
};

CentralSums central_sums(Series x) {
  const double mean_value = pairwise_sum(x) / static_cast<double>(x.size());
  std::vector<double> p2(x.size()), p3(x.size()), p4(x.size());
  double max_abs = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double d = x[i] - mean_value;
    p2[i] = d * d;
    p3[i] = p2[i] * d;
    p4[i] = p2[i] * p2[i];
    max_abs = std::max(max_abs, std::abs(x[i]));
  }
  return {pairwise_sum(p2), pairwise_sum(p3), pairwise_sum(p4), max_abs};
}

double constant_tolerance(const CentralSums& sums, int power, double count) {
  return std::pow(std::numeric_limits<double>::epsilon() * sums.max_abs, power) * count;
}

struct RParam {
  double r;
};

Result<RParam> read_r(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const double r, read_number(reader, set, "r"));
  return RParam{r};
}

double large_standard_deviation(Series x, const RParam& p) {
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  return np_std(x) > p.r * (*hi - *lo) ? 1.0 : 0.0;
}

double ratio_beyond_r_sigma(Series x, const RParam& p) {
  const double m = np_mean(x);
  const double limit = p.r * np_std(x);
  std::size_t count = 0;
  for (double v : x) count += std::abs(v - m) > limit ? 1 : 0;
  return static_cast<double>(count) / static_cast<double>(x.size());
}

// All thresholds share the mean, median and range.
class SymmetryLooking final : public Calculator {
 public:
  explicit SymmetryLooking(std::vector<RParam> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    const double difference = std::abs(np_mean(x) - np_median(x));
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    const double range = *hi - *lo;
    for (std::size_t i = 0; i < sets_.size(); ++i) {
      out[i] = difference < sets_[i].r * range ? 1.0 : 0.0;
    }
  }

 private:
  std::vector<RParam> sets_;
};

}  // namespace

double variance_larger_than_standard_deviation(Series x) {
  const double y = np_var(x);
  return y > std::sqrt(y) ? 1.0 : 0.0;
}

double sum_values(Series x) {
  return x.empty() ? 0.0 : pairwise_sum(x);
}

double abs_energy(Series x) {
  std::vector<double> squares(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) squares[i] = x[i] * x[i];
  return pairwise_sum(squares);
}

double median(Series x) {
  return np_median(x);
}

double mean(Series x) {
  return np_mean(x);
}

double length(Series x) {
  return static_cast<double>(x.size());
}

double standard_deviation(Series x) {
  return np_std(x);
}

double variation_coefficient(Series x) {
  const double avg = np_mean(x);
  if (avg == 0) return kNaN;
  return np_std(x) / avg;
}

double variance(Series x) {
  return np_var(x);
}

// pandas' Series.skew (bias-corrected Fisher-Pearson): 0 without spread, NaN under three values.
double skewness(Series x) {
  const auto n = static_cast<double>(x.size());
  if (x.size() < 3) return kNaN;
  const CentralSums sums = central_sums(x);
  const double m2 = zero_out_fperr(sums.m2, constant_tolerance(sums, 2, n));
  const double m3 = zero_out_fperr(sums.m3, constant_tolerance(sums, 3, n));
  if (m2 == 0) return 0.0;
  return n * std::sqrt(n - 1) / (n - 2) * (m3 / std::pow(m2, 1.5));
}

// pandas' Series.kurtosis (bias-corrected excess): 0 without spread, NaN under four values.
double kurtosis(Series x) {
  const auto n = static_cast<double>(x.size());
  if (x.size() < 4) return kNaN;
  const CentralSums sums = central_sums(x);
  const double m2 = zero_out_fperr(sums.m2, constant_tolerance(sums, 2, n));
  const double m4 = zero_out_fperr(sums.m4, constant_tolerance(sums, 4, n));
  const double adj = 3 * (n - 1) * (n - 1) / ((n - 2) * (n - 3));
  const double numerator = n * (n + 1) * (n - 1) * m4;
  const double denominator = (n - 2) * (n - 3) * (m2 * m2);
  if (denominator == 0) return 0.0;
  return numerator / denominator - adj;
}

double root_mean_square(Series x) {
  if (x.empty()) return kNaN;
  std::vector<double> squares(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) squares[i] = x[i] * x[i];
  return std::sqrt(np_mean(squares));
}

BindResult bind_symmetry_looking(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<RParam> parsed, read_sets<RParam>(name, sets, &read_r));
  return std::unique_ptr<Calculator>(std::make_unique<SymmetryLooking>(std::move(parsed)));
}

BindResult bind_large_standard_deviation(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<RParam, &read_r, &large_standard_deviation>(name, sets);
}

BindResult bind_ratio_beyond_r_sigma(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<RParam, &read_r, &ratio_beyond_r_sigma>(name, sets);
}

}  // namespace parafeat::timeseries
