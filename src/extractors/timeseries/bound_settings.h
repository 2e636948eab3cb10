// One kind's settings bound to their calculators once, then computed on many series: what both
// extract_features (long-format input) and the timeseries_features pipeline step run, so they
// give the same numbers.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "extractors/timeseries/calculator.h"
#include "parafeat/timeseries.h"

namespace parafeat::timeseries {

/// The calculators of one settings list, bound. Immutable; compute() runs on many threads.
class BoundSettings {
 public:
  /// Binds every calculator of `settings` (skipping those that need a DatetimeIndex, as tsfresh
  /// does). KeyError for unknown names, Invalid for bad parameters, NotImplemented naming every
  /// calculator parafeat lacks.
  static Result<BoundSettings> bind(const KindSettings& settings);

  /// The number of features compute() writes.
  std::size_t num_columns() const { return num_columns_; }
  /// Writes the features of `x` (sorted, without NaN) into `out` (num_columns() values). With a
  /// parallel `fork` the calculators run as tasks (and may split their own work further); each
  /// value is computed exactly as in order, so the bytes are the same.
  void compute(Series x, std::span<double> out, const ForkJoin& fork = serial_fork_join()) const;

 private:
  std::vector<std::shared_ptr<const Calculator>> calculators_;
  std::vector<std::size_t> widths_;
  std::vector<std::size_t> offsets_;  // where each calculator's values start in a row
  std::size_t num_columns_ = 0;
};

}  // namespace parafeat::timeseries
