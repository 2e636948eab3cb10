// Time-series features, tsfresh-compatible: long-format series in, one row of features per id
// out, with tsfresh's feature names and column order. Calculators are scalar kernels over one
// series; the executor runs them over many series at once (deterministic for any thread count:
// every series is computed on its own, in a fixed order of operations).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "parafeat/executor.h"
#include "parafeat/params.h"
#include "parafeat/status.h"

namespace parafeat::timeseries {

/// Long-format input, borrowed: one entry per observation. Ids and kinds are dense codes (the
/// caller factorises its labels; the labels only name things in messages).
struct LongSeries {
  std::span<const std::int64_t> id;      ///< Id code of each row, in [0, id_labels.size()).
  std::span<const std::int32_t> kind;    ///< Kind code of each row, in [0, kind_labels.size()).
  std::span<const std::int64_t> sort;    ///< Sort key of each row; empty: keep row order.
  std::span<const double> value;         ///< The observed values.
  std::vector<std::string> id_labels;    ///< Printable id of each code, for messages.
  std::vector<std::string> kind_labels;  ///< Kind names: the feature name prefixes.
};

/// One calculator of a settings dict: its tsfresh name and parameter sets (empty: None).
struct CalculatorRequest {
  std::string name;
  std::vector<Params> sets;
};

/// The settings of one kind: calculators in the order their features appear.
using KindSettings = std::vector<CalculatorRequest>;

/// The feature matrix: row i holds id code i; NaN where an id has no series of a kind.
struct SeriesFeatures {
  std::int64_t num_rows = 0;
  std::vector<std::string> names;  ///< Column names, "<kind>__<calculator>[__<params>]".
  std::vector<double> values;      ///< Row-major, num_rows * names.size().
};

/// Column names of `settings` for kind `kind_label`, without computing anything. KeyError for
/// an unknown calculator name (naming it and the known ones).
Result<std::vector<std::string>> feature_names(const std::string& kind_label,
                                               const KindSettings& settings);

/// Extracts features of every (id, kind) series of `input`. `settings[k]` applies to kind code
/// k; columns come kind by kind in `kind_order` (kind codes), each kind's in settings order.
/// Errors: Invalid for a NaN value or a repeated sort key within one series (naming the id and
/// kind), KeyError for unknown calculators, Invalid for bad parameters, NotImplemented naming
/// every requested calculator parafeat does not have yet.
Result<SeriesFeatures> extract_features(const LongSeries& input,
                                        const std::vector<KindSettings>& settings,
                                        const std::vector<std::int32_t>& kind_order,
                                        const Executor& executor);

/// Long-format rows grouped into series, as extract_features groups them.
struct SeriesGroups {
  /// Row indices grouped by id, then kind; within a series sorted by the sort key (or in row
  /// order without one).
  std::vector<std::int64_t> order;
  /// id_labels.size() * kind_labels.size() + 1 offsets: the series of id code i and kind code k
  /// is order[starts[g], starts[g + 1]) with g = i * kind_labels.size() + k (empty if absent).
  std::vector<std::int64_t> starts;
};

/// Groups the rows of `input` into series, checked as extract_features checks them: Invalid for
/// a NaN value or a repeated sort key within one series, naming the id, the kind and the row.
Result<SeriesGroups> group_series(const LongSeries& input);

/// A calculator of the table, as the Python settings objects are built from it.
struct CalculatorInfo {
  std::string name;
  bool combiner = false;
  bool minimal = false;
  bool high_comp_cost = false;
  bool implemented = false;
  bool needs_datetime_index = false;
  std::optional<std::vector<Params>> default_sets;  ///< nullopt: takes no parameters.
};

/// Every calculator of tsfresh's ComprehensiveFCParameters, in its order.
std::vector<CalculatorInfo> calculator_infos();

}  // namespace parafeat::timeseries
