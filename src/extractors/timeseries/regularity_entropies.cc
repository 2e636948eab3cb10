// sample_entropy and approximate_entropy: how often windows that are close stay close one value
// later (Chebyshev distance within a tolerance of r standard deviations). O(n^2) in the length,
// which is why tsfresh marks them as of high computational cost.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/numpy_reductions.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool within(Series x, std::size_t i, std::size_t j, std::size_t length, double tolerance) {
  double distance = 0;
  for (std::size_t k = 0; k < length; ++k)
    distance = std::max(distance, std::abs(x[i + k] - x[j + k]));
  return distance <= tolerance;
}

// Pairs (i, j), i != j, of windows of `length` within `tolerance` (each pair counted twice).
std::int64_t close_pairs(Series x, std::size_t length, double tolerance) {
  if (x.size() < length) return 0;
  const std::size_t windows = x.size() - length + 1;
  std::int64_t count = 0;
  for (std::size_t i = 0; i < windows; ++i) {
    for (std::size_t j = 0; j < windows; ++j) {
      if (i != j && within(x, i, j, length, tolerance)) ++count;
    }
  }
  return count;
}

struct EntropyParam {
  std::size_t m;
  double r;
};

Result<EntropyParam> read_entropy(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t m, read_count(reader, set, "m"));
  PARAFEAT_ASSIGN_OR_RAISE(const double r, read_number(reader, set, "r"));
  if (r < 0) return Status::Invalid("calculator '" + reader.owner() + "': 'r' must be positive");
  return EntropyParam{m, r};
}

// Pincus' phi: the mean log fraction of windows close to each window (itself included).
double phi(Series x, std::size_t length, double tolerance) {
  const std::size_t windows = x.size() - length + 1;
  std::vector<double> logs(windows);
  for (std::size_t i = 0; i < windows; ++i) {
    std::size_t close = 0;
    for (std::size_t j = 0; j < windows; ++j) close += within(x, i, j, length, tolerance) ? 1 : 0;
    logs[i] = std::log(static_cast<double>(close) / static_cast<double>(windows));
  }
  return pairwise_sum(logs) / static_cast<double>(windows);
}

double approximate_entropy(Series x, const EntropyParam& p) {
  const double tolerance = p.r * np_std(x);
  if (x.size() <= p.m + 1) return 0.0;
  return std::abs(phi(x, p.m, tolerance) - phi(x, p.m + 1, tolerance));
}

}  // namespace

double sample_entropy(Series x) {
  for (double v : x) {
    if (std::isnan(v)) return kNaN;
  }
  const double tolerance = 0.2 * np_std(x);
  const auto b = static_cast<double>(close_pairs(x, 2, tolerance));
  const auto a = static_cast<double>(close_pairs(x, 3, tolerance));
  return -std::log(a / b);
}

BindResult bind_approximate_entropy(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<EntropyParam, &read_entropy, &approximate_entropy>(name, sets);
}

}  // namespace parafeat::timeseries
