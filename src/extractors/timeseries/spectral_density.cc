// Features of Welch's power spectral density: single coefficients and the binned entropy of the
// normalised spectrum.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/welch.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct CoeffParam {
  std::size_t coeff;
};

Result<CoeffParam> read_coeff(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t coeff, read_count(reader, set, "coeff"));
  return CoeffParam{coeff};
}

class SpktWelchDensity final : public Calculator {
 public:
  explicit SpktWelchDensity(std::vector<CoeffParam> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    const std::vector<double> density = welch_density(x);
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      out[s] = sets_[s].coeff < density.size() ? density[sets_[s].coeff] : kNaN;
    }
  }

 private:
  std::vector<CoeffParam> sets_;
};

struct BinsParam {
  std::size_t bins;
};

Result<BinsParam> read_bins(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t bins, read_count(reader, set, "bins", 1));
  return BinsParam{bins};
}

// One spectrum for every bin count.
class FourierEntropy final : public Calculator {
 public:
  explicit FourierEntropy(std::vector<BinsParam> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    std::vector<double> density = welch_density(x);
    const double top = *std::max_element(density.begin(), density.end());
    bool has_nan = false;
    for (double& d : density) {
      d /= top;
      has_nan = has_nan || std::isnan(d);
    }
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      out[s] = has_nan ? kNaN : binned_entropy_of(density, sets_[s].bins);
    }
  }

 private:
  std::vector<BinsParam> sets_;
};

}  // namespace

BindResult bind_spkt_welch_density(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<CoeffParam> parsed,
                           read_sets<CoeffParam>(name, sets, &read_coeff));
  return std::unique_ptr<Calculator>(std::make_unique<SpktWelchDensity>(std::move(parsed)));
}

BindResult bind_fourier_entropy(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<BinsParam> parsed,
                           read_sets<BinsParam>(name, sets, &read_bins));
  return std::unique_ptr<Calculator>(std::make_unique<FourierEntropy>(std::move(parsed)));
}

}  // namespace parafeat::timeseries
