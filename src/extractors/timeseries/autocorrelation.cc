// Autocorrelation: at one lag (tsfresh's own estimator), aggregated over lags (statsmodels' acf,
// adjusted) and partial (statsmodels' pacf by Levinson-Durbin on the adjusted autocovariance).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/numpy_reductions.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double autocorrelation(Series x, const LagParam& p) {
  const std::size_t n = x.size();
  if (n < p.lag) return kNaN;
  const double m = np_mean(x);
  std::vector<double> products(n - p.lag);
  for (std::size_t i = 0; i < products.size(); ++i) {
    products[i] = (x[i] - m) * (x[i + p.lag] - m);
  }
  const double sum_product = pairwise_sum(products);
  const double v = np_var(x);
  if (std::abs(v) <= 1e-8) return kNaN;  // np.isclose(v, 0)
  return sum_product / (static_cast<double>(n - p.lag) * v);
}

// statsmodels' acovf(x, adjusted=True, demean=True) for lags 0..max_lag (max_lag < n).
std::vector<double> adjusted_autocovariance(Series x, std::size_t max_lag) {
  const std::size_t n = x.size();
  const double m = np_mean(x);
  std::vector<double> xo(n);
  for (std::size_t i = 0; i < n; ++i) xo[i] = x[i] - m;
  std::vector<double> acov(max_lag + 1);
  for (std::size_t k = 0; k <= max_lag; ++k) {
    double dot = 0;
    for (std::size_t i = 0; i + k < n; ++i) dot += xo[i + k] * xo[i];
    acov[k] = dot / static_cast<double>(n - k);
  }
  return acov;
}

struct AggParam {
  enum class Agg { kMean, kMedian, kVar } agg;
  std::size_t maxlag;
};

Result<AggParam> read_agg(ParamReader& reader, const Params& set) {
  PARAFEAT_RETURN_NOT_OK(require_keys(reader.owner(), set, {"f_agg", "maxlag"}));
  PARAFEAT_ASSIGN_OR_RAISE(const std::string agg,
                           reader.choice("f_agg", "mean", {"mean", "median", "var"}));
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t maxlag, read_count(reader, set, "maxlag"));
  const AggParam::Agg kind = agg == "mean"     ? AggParam::Agg::kMean
                             : agg == "median" ? AggParam::Agg::kMedian
                                               : AggParam::Agg::kVar;
  return AggParam{kind, maxlag};
}

class AggAutocorrelation final : public Calculator {
 public:
  explicit AggAutocorrelation(std::vector<AggParam> sets) : sets_(std::move(sets)) {
    for (const AggParam& p : sets_) max_maxlag_ = std::max(max_maxlag_, p.maxlag);
  }
  void compute(Series x, std::span<double> out) const override {
    const std::size_t n = x.size();
    std::vector<double> a;
    if (std::abs(np_var(x)) < 1e-10 || n == 1) {
      a.assign(n, 0.0);
    } else {
      const std::vector<double> acov = adjusted_autocovariance(x, std::min(max_maxlag_, n - 1));
      for (std::size_t k = 1; k < acov.size(); ++k) a.push_back(acov[k] / acov[0]);
    }
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      const Series head = Series(a).first(std::min(a.size(), sets_[s].maxlag));
      switch (sets_[s].agg) {
        case AggParam::Agg::kMean: out[s] = np_mean(head); break;
        case AggParam::Agg::kMedian: out[s] = np_median(head); break;
        case AggParam::Agg::kVar: out[s] = np_var(head); break;
      }
    }
  }

 private:
  std::vector<AggParam> sets_;
  std::size_t max_maxlag_ = 0;
};

// Partial autocorrelations 0..order by Levinson-Durbin recursion on autocovariances `s`.
std::vector<double> levinson_durbin_pacf(const std::vector<double>& s, std::size_t order) {
  std::vector<std::vector<double>> phi(order + 1, std::vector<double>(order + 1, 0.0));
  std::vector<double> sig(order + 1, 0.0);
  phi[1][1] = s[1] / s[0];
  sig[1] = s[0] - phi[1][1] * s[1];
  for (std::size_t k = 2; k <= order; ++k) {
    double dot = 0;
    for (std::size_t j = 1; j < k; ++j) dot += phi[j][k - 1] * s[k - j];
    phi[k][k] = (s[k] - dot) / sig[k - 1];
    for (std::size_t j = 1; j < k; ++j) {
      phi[j][k] = phi[j][k - 1] - phi[k][k] * phi[k - j][k - 1];
    }
    sig[k] = sig[k - 1] * (1 - phi[k][k] * phi[k][k]);
  }
  std::vector<double> pacf(order + 1);
  pacf[0] = 1.0;
  for (std::size_t k = 1; k <= order; ++k) pacf[k] = phi[k][k];
  return pacf;
}

class PartialAutocorrelation final : public Calculator {
 public:
  explicit PartialAutocorrelation(std::vector<LagParam> sets) : sets_(std::move(sets)) {
    for (const LagParam& p : sets_) max_lag_ = std::max(max_lag_, p.lag);
  }
  void compute(Series x, std::span<double> out) const override {
    const std::size_t n = x.size();
    std::vector<double> pacf(max_lag_ + 1, kNaN);
    if (n > 1) {
      const std::size_t lags = max_lag_ >= n / 2 ? n / 2 - 1 : max_lag_;
      if (lags > 0) {
        const std::vector<double> computed =
            levinson_durbin_pacf(adjusted_autocovariance(x, lags), lags);
        std::copy(computed.begin(), computed.end(), pacf.begin());
      }
    }
    for (std::size_t s = 0; s < sets_.size(); ++s) out[s] = pacf[sets_[s].lag];
  }

 private:
  std::vector<LagParam> sets_;
  std::size_t max_lag_ = 0;
};

}  // namespace

BindResult bind_autocorrelation(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<LagParam, &read_lag, &autocorrelation>(name, sets);
}

BindResult bind_agg_autocorrelation(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<AggParam> parsed,
                           read_sets<AggParam>(name, sets, &read_agg));
  return std::unique_ptr<Calculator>(std::make_unique<AggAutocorrelation>(std::move(parsed)));
}

BindResult bind_partial_autocorrelation(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<LagParam> parsed,
                           read_sets<LagParam>(name, sets, &read_lag));
  return std::unique_ptr<Calculator>(std::make_unique<PartialAutocorrelation>(std::move(parsed)));
}

}  // namespace parafeat::timeseries
