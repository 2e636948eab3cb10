// Features of the changes between consecutive values and of lagged products.
#include <cmath>
#include <limits>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/numpy_reductions.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> abs_diff(Series x) {
  std::vector<double> diff = np_diff(x);
  for (double& d : diff) d = std::abs(d);
  return diff;
}

double time_reversal_asymmetry_statistic(Series x, const LagParam& p) {
  const std::size_t n = x.size();
  if (2 * p.lag >= n) return 0.0;
  std::vector<double> terms(n - 2 * p.lag);
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const double one = x[i + p.lag];
    const double two = x[i + 2 * p.lag];
    terms[i] = two * two * one - one * x[i] * x[i];
  }
  return np_mean(terms);
}

double c3(Series x, const LagParam& p) {
  const std::size_t n = x.size();
  if (2 * p.lag >= n) return 0.0;
  std::vector<double> terms(n - 2 * p.lag);
  for (std::size_t i = 0; i < terms.size(); ++i) {
    terms[i] = x[i + 2 * p.lag] * x[i + p.lag] * x[i];
  }
  return np_mean(terms);
}

struct NormalizeParam {
  bool normalize;
};

Result<NormalizeParam> read_normalize(ParamReader& reader, const Params& set) {
  PARAFEAT_RETURN_NOT_OK(require_keys(reader.owner(), set, {"normalize"}));
  PARAFEAT_ASSIGN_OR_RAISE(const bool normalize, reader.boolean("normalize", false));
  return NormalizeParam{normalize};
}

double cid_ce(Series x, const NormalizeParam& p) {
  std::vector<double> values(x.begin(), x.end());
  if (p.normalize) {
    const double s = np_std(x);
    if (s == 0) return 0.0;
    const double m = np_mean(x);
    for (double& v : values) v = (v - m) / s;
  }
  std::vector<double> squares = np_diff(values);
  for (double& d : squares) d = d * d;
  return std::sqrt(pairwise_sum(squares));
}

}  // namespace

Result<LagParam> read_lag(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t lag, read_count(reader, set, "lag"));
  return LagParam{lag};
}

double mean_abs_change(Series x) {
  return np_mean(abs_diff(x));
}

double mean_change(Series x) {
  const std::size_t n = x.size();
  return n > 1 ? (x[n - 1] - x[0]) / static_cast<double>(n - 1) : kNaN;
}

double mean_second_derivative_central(Series x) {
  const std::size_t n = x.size();
  if (n <= 2) return kNaN;
  return (x[n - 1] - x[n - 2] - x[1] + x[0]) / static_cast<double>(2 * (n - 2));
}

double absolute_sum_of_changes(Series x) {
  return pairwise_sum(abs_diff(x));
}

BindResult bind_time_reversal_asymmetry_statistic(std::string_view name,
                                                  std::span<const Params> sets) {
  return bind_per_set<LagParam, &read_lag, &time_reversal_asymmetry_statistic>(name, sets);
}

BindResult bind_c3(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<LagParam, &read_lag, &c3>(name, sets);
}

BindResult bind_cid_ce(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<NormalizeParam, &read_normalize, &cid_ce>(name, sets);
}

}  // namespace parafeat::timeseries
