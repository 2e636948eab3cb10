// Counts: peaks, crossings, values at, above or below a threshold or within a range.
#include <cmath>
#include <vector>

#include "extractors/timeseries/calculators.h"

namespace parafeat::timeseries {
namespace {

struct NParam {
  std::size_t n;
};

Result<NParam> read_n(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t n, read_count(reader, set, "n"));
  return NParam{n};
}

// A peak of support n is bigger than the n values on each side of it.
double number_peaks(Series x, const NParam& p) {
  const std::size_t n = p.n;
  if (n == 0 || x.size() < 2 * n + 1) return 0.0;
  std::size_t peaks = 0;
  for (std::size_t i = n; i + n < x.size(); ++i) {
    bool peak = true;
    for (std::size_t k = 1; k <= n && peak; ++k) peak = x[i] > x[i - k] && x[i] > x[i + k];
    peaks += peak ? 1 : 0;
  }
  return static_cast<double>(peaks);
}

struct NumberParam {
  double value;
};

template <const char* kKey>
Result<NumberParam> read_threshold(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const double value, read_number(reader, set, kKey));
  return NumberParam{value};
}

constexpr char kM[] = "m";
constexpr char kT[] = "t";
constexpr char kValue[] = "value";

double number_crossing_m(Series x, const NumberParam& p) {
  std::size_t crossings = 0;
  for (std::size_t i = 1; i < x.size(); ++i) {
    crossings += (x[i] > p.value) != (x[i - 1] > p.value) ? 1 : 0;
  }
  return static_cast<double>(crossings);
}

double count_above(Series x, const NumberParam& p) {
  std::size_t count = 0;
  for (double v : x) count += v >= p.value ? 1 : 0;
  return static_cast<double>(count) / static_cast<double>(x.size());
}

double count_below(Series x, const NumberParam& p) {
  std::size_t count = 0;
  for (double v : x) count += v <= p.value ? 1 : 0;
  return static_cast<double>(count) / static_cast<double>(x.size());
}

double value_count(Series x, const NumberParam& p) {
  std::size_t count = 0;
  if (std::isnan(p.value)) {
    for (double v : x) count += std::isnan(v) ? 1 : 0;
  } else {
    for (double v : x) count += v == p.value ? 1 : 0;
  }
  return static_cast<double>(count);
}

struct RangeParam {
  double min;
  double max;
};

Result<RangeParam> read_range(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const double min, read_number(reader, set, "min"));
  PARAFEAT_ASSIGN_OR_RAISE(const double max, read_number(reader, set, "max"));
  return RangeParam{min, max};
}

double range_count(Series x, const RangeParam& p) {
  std::size_t count = 0;
  for (double v : x) count += v >= p.min && v < p.max ? 1 : 0;
  return static_cast<double>(count);
}

}  // namespace

BindResult bind_number_peaks(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<NParam, &read_n, &number_peaks>(name, sets);
}

BindResult bind_number_crossing_m(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<NumberParam, &read_threshold<kM>, &number_crossing_m>(name, sets);
}

BindResult bind_count_above(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<NumberParam, &read_threshold<kT>, &count_above>(name, sets);
}

BindResult bind_count_below(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<NumberParam, &read_threshold<kT>, &count_below>(name, sets);
}

BindResult bind_value_count(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<NumberParam, &read_threshold<kValue>, &value_count>(name, sets);
}

BindResult bind_range_count(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<RangeParam, &read_range, &range_count>(name, sets);
}

}  // namespace parafeat::timeseries
