// cwt_coefficients: single coefficients of the continuous wavelet transform with the Mexican hat
// wavelet, as pywt.cwt(x, scales=widths, wavelet="mexh") computes it: the integrated wavelet
// sampled at 4096 points of [-8, 8], resampled per scale, convolved with the series and
// differenced.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include "extractors/timeseries/calculators.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kPoints = 4096;  // pywt's precision 12
constexpr double kLower = -8.0;
constexpr double kUpper = 8.0;

// np.linspace(-8, 8, 4096).
std::vector<double> grid() {
  std::vector<double> x(kPoints);
  const double step = (kUpper - kLower) / static_cast<double>(kPoints - 1);
  for (std::size_t i = 0; i < kPoints; ++i) x[i] = static_cast<double>(i) * step + kLower;
  x[kPoints - 1] = kUpper;
  return x;
}

// The running integral of the Mexican hat on the grid: cumsum(psi) * step.
std::vector<double> integrated_mexican_hat(const std::vector<double>& x) {
  const double norm = 2.0 / (std::sqrt(3.0) * std::pow(std::numbers::pi, 0.25));
  std::vector<double> integral(kPoints);
  double sum = 0;
  for (std::size_t i = 0; i < kPoints; ++i) {
    const double t2 = x[i] * x[i];
    sum += norm * (1.0 - t2) * std::exp(-t2 / 2.0);
    integral[i] = sum;
  }
  const double step = x[1] - x[0];
  for (double& v : integral) v *= step;
  return integral;
}

// The wavelet filter of one scale: int_psi at floor(k / (scale * step)), reversed.
std::vector<double> scale_filter(const std::vector<double>& x, const std::vector<double>& int_psi,
                                 double scale) {
  const double step = x[1] - x[0];
  const double stop = scale * (x[kPoints - 1] - x[0]) + 1;
  std::vector<double> filter;
  for (double k = 0; k < stop; k += 1) {
    const auto j = static_cast<std::size_t>(k / (scale * step));
    if (j < kPoints) filter.push_back(int_psi[j]);
  }
  std::reverse(filter.begin(), filter.end());
  return filter;
}

// np.convolve(data, filter)[m] (full mode).
double convolution_at(std::span<const double> data, const std::vector<double>& filter,
                      std::size_t m) {
  double sum = 0;
  const std::size_t first = m + 1 > filter.size() ? m + 1 - filter.size() : 0;
  for (std::size_t i = first; i <= m && i < data.size(); ++i) sum += data[i] * filter[m - i];
  return sum;
}

struct CwtParam {
  std::vector<double> widths;
  std::string widths_key;
  std::size_t w_index;
  std::size_t coeff;
};

Result<CwtParam> read_cwt(ParamReader& reader, const Params& set) {
  PARAFEAT_RETURN_NOT_OK(require_keys(reader.owner(), set, {"widths", "coeff", "w"}));
  PARAFEAT_ASSIGN_OR_RAISE(const std::optional<std::vector<double>> widths,
                           reader.optional_number_list("widths"));
  PARAFEAT_ASSIGN_OR_RAISE(const double w, reader.number("w", 0));
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t coeff, read_count(reader, set, "coeff"));
  if (!widths || widths->empty()) {
    return Status::Invalid("calculator '" + reader.owner() +
                           "': 'widths' must be a list of scales");
  }
  const auto it = std::find(widths->begin(), widths->end(), w);
  if (it == widths->end()) {
    return Status::Invalid("calculator '" + reader.owner() + "': 'w' must be one of 'widths'");
  }
  for (double width : *widths) {
    if (!(width * (kUpper - kLower) + 1 >= 2)) {
      return Status::Invalid("calculator '" + reader.owner() + "': scale " + std::to_string(width) +
                             " is too small");
    }
  }
  std::string key;
  for (double width : *widths) key += std::to_string(width) + ",";
  return CwtParam{*widths, key, static_cast<std::size_t>(it - widths->begin()), coeff};
}

class CwtCoefficients final : public Calculator {
 public:
  explicit CwtCoefficients(std::vector<CwtParam> sets) : sets_(std::move(sets)) {
    const std::vector<double> x = grid();
    const std::vector<double> int_psi = integrated_mexican_hat(x);
    for (const CwtParam& p : sets_) {
      for (double scale : p.widths) {
        if (filters_.count(scale) == 0) filters_.emplace(scale, scale_filter(x, int_psi, scale));
      }
    }
  }
  void compute(Series x, std::span<double> out) const override {
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      const CwtParam& p = sets_[s];
      if (p.coeff >= x.size()) {
        out[s] = kNaN;
        continue;
      }
      const double scale = p.widths[p.w_index];
      const std::vector<double>& filter = filters_.at(scale);
      const auto offset =
          static_cast<std::size_t>(std::floor((static_cast<double>(filter.size()) - 2) / 2));
      const std::size_t m = offset + p.coeff;
      out[s] =
          -std::sqrt(scale) * (convolution_at(x, filter, m + 1) - convolution_at(x, filter, m));
    }
  }

 private:
  std::vector<CwtParam> sets_;
  std::map<double, std::vector<double>> filters_;
};

}  // namespace

BindResult bind_cwt_coefficients(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<CwtParam> parsed,
                           read_sets<CwtParam>(name, sets, &read_cwt));
  return std::unique_ptr<Calculator>(std::make_unique<CwtCoefficients>(std::move(parsed)));
}

}  // namespace parafeat::timeseries
