// ar_coefficient: the coefficients of an autoregressive model with a constant, fitted by least
// squares as statsmodels' AutoReg(x, lags=k, trend="c").fit() fits it.
#include <cmath>
#include <limits>
#include <map>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/nested_ols.h"
#include "extractors/timeseries/pseudo_inverse.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct ArParam {
  std::size_t coeff;
  std::size_t k;
};

Result<ArParam> read_ar(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t coeff, read_count(reader, set, "coeff"));
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t k, read_count(reader, set, "k"));
  return ArParam{coeff, k};
}

// [const, phi_1, ..., phi_k], or empty when there are fewer observations than parameters
// (statsmodels raises; tsfresh then reports NaN, and 0 for coefficient k).
std::vector<double> fit_ar(Series x, std::size_t k) {
  const std::size_t n = x.size();
  if (n < k || n - k < k + 1) return {};
  Matrix design{n - k, k + 1, std::vector<double>((n - k) * (k + 1))};
  std::vector<double> target(n - k);
  for (std::size_t t = k; t < n; ++t) {
    design.at(t - k, 0) = 1.0;
    for (std::size_t lag = 1; lag <= k; ++lag) design.at(t - k, lag) = x[t - lag];
    target[t - k] = x[t];
  }
  // One QR solve when the columns are clearly independent, statsmodels' pinv fit otherwise
  // (and for infinite values, which NestedOls does not take).
  for (const double v : x) {
    if (!std::isfinite(v)) return pinv_solve(design, target);
  }
  return NestedOls(design, target).fit(k + 1).params;
}

class ArCoefficient final : public Calculator {
 public:
  explicit ArCoefficient(std::vector<ArParam> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    std::map<std::size_t, std::vector<double>> fits;
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      const ArParam& p = sets_[s];
      auto it = fits.find(p.k);
      if (it == fits.end()) it = fits.emplace(p.k, fit_ar(x, p.k)).first;
      const std::vector<double>& params = it->second;
      if (p.coeff > p.k) {
        out[s] = kNaN;
      } else if (params.empty()) {
        out[s] = p.coeff == p.k ? 0.0 : kNaN;
      } else {
        out[s] = params[p.coeff];
      }
    }
  }

 private:
  std::vector<ArParam> sets_;
};

}  // namespace

BindResult bind_ar_coefficient(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<ArParam> parsed, read_sets<ArParam>(name, sets, &read_ar));
  return std::unique_ptr<Calculator>(std::make_unique<ArCoefficient>(std::move(parsed)));
}

}  // namespace parafeat::timeseries
