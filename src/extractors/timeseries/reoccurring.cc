// Features of values that occur more than once (np.unique's values and counts).
#include <limits>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/numpy_reductions.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// np.unique(x, return_counts=True): the distinct values in ascending order and their counts.
struct Distinct {
  std::vector<double> values;
  std::vector<std::size_t> counts;
};

Distinct distinct(Series x) {
  Distinct d;
  for (double v : sorted_copy(x)) {
    if (!d.values.empty() && d.values.back() == v) {
      ++d.counts.back();
    } else {
      d.values.push_back(v);
      d.counts.push_back(1);
    }
  }
  return d;
}

// np.sum(weight(count) * value) over the distinct values, products and sum as numpy does them.
template <typename Weight>
double weighted_distinct_sum(Series x, Weight weight) {
  const Distinct d = distinct(x);
  std::vector<double> terms(d.values.size());
  for (std::size_t i = 0; i < terms.size(); ++i) terms[i] = weight(d.counts[i]) * d.values[i];
  return pairwise_sum(terms);
}

}  // namespace

double percentage_of_reoccurring_values_to_all_values(Series x) {
  if (x.empty()) return kNaN;
  const Distinct d = distinct(x);
  std::size_t reoccurring = 0;
  for (std::size_t count : d.counts) reoccurring += count > 1 ? 1 : 0;
  return static_cast<double>(reoccurring) / static_cast<double>(d.counts.size());
}

double percentage_of_reoccurring_datapoints_to_all_datapoints(Series x) {
  if (x.empty()) return kNaN;
  const Distinct d = distinct(x);
  std::size_t points = 0;
  for (std::size_t count : d.counts) points += count > 1 ? count : 0;
  return static_cast<double>(points) / static_cast<double>(x.size());
}

double sum_of_reoccurring_values(Series x) {
  return weighted_distinct_sum(x, [](std::size_t count) { return count > 1 ? 1.0 : 0.0; });
}

double sum_of_reoccurring_data_points(Series x) {
  return weighted_distinct_sum(
      x, [](std::size_t count) { return count > 1 ? static_cast<double>(count) : 0.0; });
}

double ratio_value_number_to_time_series_length(Series x) {
  if (x.empty()) return kNaN;
  return static_cast<double>(distinct(x).values.size()) / static_cast<double>(x.size());
}

}  // namespace parafeat::timeseries
