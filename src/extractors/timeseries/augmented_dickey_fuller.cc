// augmented_dickey_fuller: the Augmented Dickey-Fuller unit-root test with a constant, as
// statsmodels' adfuller(x, autolag=...) computes it for tsfresh: the lag length chosen by an
// information criterion over OLS fits on one common sample, the t statistic of the lagged level
// in the regression at that lag, and MacKinnon's approximate p-value. NaN wherever statsmodels
// raises and tsfresh catches: a constant series, one too short for a lag search, non-finite
// regressors.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/nested_ols.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum class Attr { kTeststat, kPvalue, kUsedlag };
enum class Autolag { kNone, kAic, kBic, kTstat };

struct AdfParam {
  Attr attr;
  Autolag autolag;
};

Result<AdfParam> read_adf(ParamReader& reader, const Params& set) {
  PARAFEAT_RETURN_NOT_OK(require_keys(reader.owner(), set, {"attr"}));
  PARAFEAT_ASSIGN_OR_RAISE(const std::string attr,
                           reader.choice("attr", "teststat", {"teststat", "pvalue", "usedlag"}));
  PARAFEAT_ASSIGN_OR_RAISE(
      const std::optional<std::string> autolag,
      reader.optional_choice("autolag", "AIC", {"AIC", "BIC", "t-stat", "aic", "bic"}));
  const Attr a = attr == "teststat" ? Attr::kTeststat
                 : attr == "pvalue" ? Attr::kPvalue
                                    : Attr::kUsedlag;
  Autolag lag = Autolag::kNone;
  if (autolag == "AIC" || autolag == "aic") lag = Autolag::kAic;
  if (autolag == "BIC" || autolag == "bic") lag = Autolag::kBic;
  if (autolag == "t-stat") lag = Autolag::kTstat;
  return AdfParam{a, lag};
}

struct AdfResult {
  double teststat = kNaN;
  double pvalue = kNaN;
  double usedlag = kNaN;
};

// MacKinnon's approximate asymptotic p-value of a Dickey-Fuller t statistic, regression with a
// constant, one I(1) series: the normal CDF of a polynomial in the statistic. The coefficients
// are the published regression-surface estimates of J. G. MacKinnon, "Approximate Asymptotic
// Distribution Functions for Unit-Root and Cointegration Tests", Journal of Business & Economic
// Statistics 12(2), 1994, 167-176 (table 3, "c", N = 1), with the bounds and switch point
// statsmodels applies (statsmodels.tsa.adfvalues.mackinnonp).
double mackinnon_pvalue(double tau) {
  constexpr double kTauMax = 2.74;
  constexpr double kTauMin = -18.83;
  constexpr double kTauStar = -1.61;
  if (tau > kTauMax) return 1.0;
  if (tau < kTauMin) return 0.0;
  // Stored scaled as published: the last small-p coefficient in units of 1e-2, the large-p
  // ones after the first in units of 1e-1, 1e-1 and 1e-2.
  const std::vector<double> coefficients =
      tau <= kTauStar ? std::vector<double>{2.1659, 1.4412, 3.8269 * 1e-2}
                      : std::vector<double>{1.7339, 9.3202 * 1e-1, -1.2745 * 1e-1, -1.0368 * 1e-2};
  double z = 0;  // np.polyval, highest power first
  for (auto it = coefficients.rbegin(); it != coefficients.rend(); ++it) z = z * tau + *it;
  return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

// True when v[0, count) is one nonzero value repeated (add_trend(..., "c") then skips the
// constant).
bool nonzero_constant(const double* v, std::size_t count) {
  return count > 0 && v[0] != 0 && std::all_of(v, v + count, [&](double e) { return e == v[0]; });
}

bool all_finite(const double* v, std::size_t count) {
  return std::all_of(v, v + count, [](double e) { return std::isfinite(e); });
}

// The ADF regressors at `lags` lags over the rows t = first, ..., n - 2: the level x[t], the
// differences d[t-1], ..., d[t-lags], and a constant (first or last, unless a regressor is
// already a nonzero constant); the target is d[t].
struct Regression {
  Matrix design;
  std::vector<double> target;
  std::size_t level_column = 0;  // where the level sits
};

// The regression, or nullopt when a regressor is not finite (statsmodels: MissingDataError).
// Checked and built from x and d directly: the design is large (rows x lags), and is written
// once.
std::optional<Regression> regressors(Series x, const std::vector<double>& d, std::size_t lags,
                                     std::size_t first, bool constant_first) {
  const std::size_t rows = d.size() - first;
  if (!all_finite(x.data() + first, rows) ||
      (lags > 0 && !all_finite(d.data() + first - lags, rows + lags - 1))) {
    return std::nullopt;
  }
  bool has_constant = nonzero_constant(x.data() + first, rows);
  for (std::size_t j = 1; j <= lags && !has_constant; ++j) {
    has_constant = nonzero_constant(d.data() + first - j, rows);
  }
  const std::size_t cols = lags + (has_constant ? 1 : 2);
  const std::size_t offset = !has_constant && constant_first ? 1 : 0;
  Regression regression{Matrix{rows, cols, std::vector<double>(rows * cols)},
                        std::vector<double>(rows), offset};
  for (std::size_t i = 0; i < rows; ++i) {
    const std::size_t t = first + i;
    double* row = regression.design.values.data() + i * cols;
    if (!has_constant) row[constant_first ? 0 : cols - 1] = 1.0;
    row[offset] = x[t];
    for (std::size_t j = 1; j <= lags; ++j) row[offset + j] = d[t - j];
    regression.target[i] = d[t];
  }
  return regression;
}

// The lag statsmodels' _autolag picks: the first smallest criterion (NaN never wins), or for
// "t-stat" the longest lag whose last coefficient is significant at 5% (else lag 0). `nested`
// decomposes the regression at maxlag, its level in column startlag - 1.
std::size_t select_lag(const NestedOls& nested, std::size_t startlag, std::size_t maxlag,
                       Autolag autolag) {
  std::vector<OlsFit> fits;
  for (std::size_t lag = 0; lag <= maxlag; ++lag) fits.push_back(nested.fit(startlag + lag));
  if (autolag == Autolag::kTstat) {
    constexpr double kStop = 1.6448536269514722;  // the normal 95% quantile
    for (std::size_t lag = maxlag + 1; lag-- > 0;) {
      const OlsFit& fit = fits[lag];
      if (std::abs(fit.tvalue(fit.params.size() - 1)) >= kStop) return lag;
    }
    return 0;
  }
  std::size_t best = 0;
  double best_criterion = 0;
  for (std::size_t lag = 0; lag <= maxlag; ++lag) {
    const OlsFit& fit = fits[lag];
    const double penalty = autolag == Autolag::kAic ? 2.0 : std::log(static_cast<double>(fit.nobs));
    const double criterion = -2 * fit.llf() + penalty * static_cast<double>(fit.rank);
    if (lag == 0 || criterion < best_criterion) {
      best = lag;
      best_criterion = criterion;
    }
  }
  return best;
}

AdfResult adfuller(Series x, Autolag autolag, const ForkJoin& fork) {
  const std::size_t n = x.size();
  if (n == 0) return {};
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  if (*lo == *hi) return {};  // statsmodels: "x is constant"
  // Schwert's rule, capped so that the lag search keeps enough observations.
  const auto schwert = static_cast<std::int64_t>(
      std::ceil(12.0 * std::pow(static_cast<double>(n) / 100.0, 1 / 4.0)));
  const std::int64_t cap = static_cast<std::int64_t>(n / 2) - 2;
  const std::int64_t maxlag = std::min(cap, schwert);
  if (maxlag < 0) return {};  // statsmodels: sample size too short
  std::vector<double> d(n - 1);
  for (std::size_t t = 0; t + 1 < n; ++t) d[t] = x[t + 1] - x[t];
  auto lags = static_cast<std::size_t>(maxlag);
  std::optional<OlsFactor> search;  // the lag search's decomposition
  std::size_t search_level = 0;     // and where its level sits
  if (autolag != Autolag::kNone) {
    const std::optional<Regression> full = regressors(x, d, lags, lags, /*constant_first=*/true);
    if (!full) return {};
    const NestedOls nested(full->design, full->target, fork);
    lags = select_lag(nested, full->level_column + 1, lags, autolag);
    search = nested.factor();
    search_level = full->level_column;
  }
  const std::optional<Regression> final_regression =
      regressors(x, d, lags, lags, /*constant_first=*/false);
  if (!final_regression) return {};
  const Matrix& design = final_regression->design;
  OlsFit fit;
  if (search && lags == static_cast<std::size_t>(maxlag)) {
    // The same rows and regressors as the lag search's, the constant (if any) moved from first
    // to last: its decomposition gives this one's without another pass over the rows.
    std::vector<std::size_t> column_of(design.cols);
    for (std::size_t c = 0; c < design.cols; ++c) column_of[c] = (c + search_level) % design.cols;
    fit = NestedOls(design, final_regression->target, *search, column_of).fit(design.cols);
  } else {
    fit = NestedOls(design, final_regression->target, fork).fit(design.cols);
  }
  const double teststat = fit.tvalue(0);
  return AdfResult{teststat, mackinnon_pvalue(teststat), static_cast<double>(lags)};
}

class AugmentedDickeyFuller final : public Calculator {
 public:
  explicit AugmentedDickeyFuller(std::vector<AdfParam> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    compute_forked(x, out, serial_fork_join());
  }
  // The row chunks of the QR decompositions run as tasks.
  void compute_forked(Series x, std::span<double> out, const ForkJoin& fork) const override {
    std::map<Autolag, AdfResult> tests;
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      auto it = tests.find(sets_[s].autolag);
      if (it == tests.end())
        it = tests.emplace(sets_[s].autolag, adfuller(x, sets_[s].autolag, fork)).first;
      const AdfResult& r = it->second;
      switch (sets_[s].attr) {
        case Attr::kTeststat: out[s] = r.teststat; break;
        case Attr::kPvalue: out[s] = r.pvalue; break;
        case Attr::kUsedlag: out[s] = r.usedlag; break;
      }
    }
  }

 private:
  std::vector<AdfParam> sets_;
};

}  // namespace

BindResult bind_augmented_dickey_fuller(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<AdfParam> parsed,
                           read_sets<AdfParam>(name, sets, &read_adf));
  return std::unique_ptr<Calculator>(std::make_unique<AugmentedDickeyFuller>(std::move(parsed)));
}

}  // namespace parafeat::timeseries
