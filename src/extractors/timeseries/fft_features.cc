// Features of the series' real FFT: single coefficients and moments of the absolute spectrum.
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/fft_transform.h"
#include "extractors/timeseries/numpy_reductions.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct CoefficientParam {
  enum class Attr { kReal, kImag, kAbs, kAngle } attr;
  std::size_t coeff;
};

Result<CoefficientParam> read_coefficient(ParamReader& reader, const Params& set) {
  PARAFEAT_RETURN_NOT_OK(require_keys(reader.owner(), set, {"attr", "coeff"}));
  PARAFEAT_ASSIGN_OR_RAISE(const std::string attr,
                           reader.choice("attr", "real", {"real", "imag", "abs", "angle"}));
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t coeff, read_count(reader, set, "coeff"));
  const auto kind = attr == "real"   ? CoefficientParam::Attr::kReal
                    : attr == "imag" ? CoefficientParam::Attr::kImag
                    : attr == "abs"  ? CoefficientParam::Attr::kAbs
                                     : CoefficientParam::Attr::kAngle;
  return CoefficientParam{kind, coeff};
}

double attribute(std::complex<double> c, CoefficientParam::Attr attr) {
  switch (attr) {
    case CoefficientParam::Attr::kReal: return c.real();
    case CoefficientParam::Attr::kImag: return c.imag();
    case CoefficientParam::Attr::kAbs: return std::abs(c);
    case CoefficientParam::Attr::kAngle:
      return std::atan2(c.imag(), c.real()) * (180.0 / std::numbers::pi);
  }
  return kNaN;
}

class FftCoefficient final : public Calculator {
 public:
  explicit FftCoefficient(std::vector<CoefficientParam> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    const std::vector<std::complex<double>> fft = real_fft(x);
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      const CoefficientParam& p = sets_[s];
      out[s] = p.coeff < fft.size() ? attribute(fft[p.coeff], p.attr) : kNaN;
    }
  }

 private:
  std::vector<CoefficientParam> sets_;
};

struct AggregateParam {
  enum class Type { kCentroid, kVariance, kSkew, kKurtosis } type;
};

Result<AggregateParam> read_aggregate(ParamReader& reader, const Params& set) {
  PARAFEAT_RETURN_NOT_OK(require_keys(reader.owner(), set, {"aggtype"}));
  PARAFEAT_ASSIGN_OR_RAISE(
      const std::string type,
      reader.choice("aggtype", "centroid", {"centroid", "variance", "skew", "kurtosis"}));
  const auto kind = type == "centroid"   ? AggregateParam::Type::kCentroid
                    : type == "variance" ? AggregateParam::Type::kVariance
                    : type == "skew"     ? AggregateParam::Type::kSkew
                                         : AggregateParam::Type::kKurtosis;
  return AggregateParam{kind};
}

// Moments of the absolute spectrum seen as a distribution over frequency indices.
class FftAggregated final : public Calculator {
 public:
  explicit FftAggregated(std::vector<AggregateParam> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    const std::vector<std::complex<double>> fft = real_fft(x);
    std::vector<double> y(fft.size());
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = std::abs(fft[i]);
    const double total = pairwise_sum(y);
    const auto moment = [&](int power) {
      double dot = 0;
      for (std::size_t i = 0; i < y.size(); ++i) {
        dot += y[i] * std::pow(static_cast<double>(i), power);
      }
      return dot / total;
    };
    const double m1 = moment(1);
    const double m2 = moment(2);
    const double variance = m2 - m1 * m1;
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      switch (sets_[s].type) {
        case AggregateParam::Type::kCentroid: out[s] = m1; break;
        case AggregateParam::Type::kVariance: out[s] = variance; break;
        case AggregateParam::Type::kSkew:
          out[s] = variance < 0.5
                       ? kNaN
                       : (moment(3) - 3 * m1 * variance - m1 * m1 * m1) / std::pow(variance, 1.5);
          break;
        case AggregateParam::Type::kKurtosis:
          // tsfresh's formula, kept as it is.
          out[s] = variance < 0.5 ? kNaN
                                  : (moment(4) - 4 * m1 * moment(3) + 6 * m2 * m1 * m1 - 3 * m1) /
                                        (variance * variance);
          break;
      }
    }
  }

 private:
  std::vector<AggregateParam> sets_;
};

}  // namespace

BindResult bind_fft_coefficient(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<CoefficientParam> parsed,
                           read_sets<CoefficientParam>(name, sets, &read_coefficient));
  return std::unique_ptr<Calculator>(std::make_unique<FftCoefficient>(std::move(parsed)));
}

BindResult bind_fft_aggregated(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<AggregateParam> parsed,
                           read_sets<AggregateParam>(name, sets, &read_aggregate));
  return std::unique_ptr<Calculator>(std::make_unique<FftAggregated>(std::move(parsed)));
}

}  // namespace parafeat::timeseries
