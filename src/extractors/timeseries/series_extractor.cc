// The time-series extractor: groups long-format rows into series, binds the calculators of each
// kind once, and runs them over the series on the executor's threads.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/check.h"
#include "common/morsel_sizes.h"
#include "common/text_format.h"
#include "extractors/timeseries/bound_settings.h"
#include "extractors/timeseries/calculator.h"
#include "parafeat/timeseries.h"

namespace parafeat::timeseries {
namespace {

// One (id, kind) series: rows[begin, end) of the grouped row order.
struct SeriesSlice {
  std::int64_t id;
  std::int32_t kind;
  std::size_t begin;
  std::size_t end;
};

// The calculators of one kind, bound, and where its columns start.
struct BoundKind {
  BoundSettings settings;
  std::size_t first_column = 0;
};

std::string describe(const LongSeries& input, std::int64_t id, std::int32_t kind) {
  return "id " + input.id_labels[static_cast<std::size_t>(id)] + ", kind '" +
         input.kind_labels[static_cast<std::size_t>(kind)] + "'";
}

Status check_input(const LongSeries& input) {
  const std::size_t n = input.value.size();
  if (input.id.size() != n || input.kind.size() != n ||
      (!input.sort.empty() && input.sort.size() != n)) {
    return Status::Invalid("id, kind, sort and value columns must have the same length");
  }
  const auto num_ids = static_cast<std::int64_t>(input.id_labels.size());
  const auto num_kinds = static_cast<std::int32_t>(input.kind_labels.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (input.id[i] < 0 || input.id[i] >= num_ids || input.kind[i] < 0 ||
        input.kind[i] >= num_kinds) {
      return Status::Invalid("id or kind code out of range").with_row(static_cast<std::int64_t>(i));
    }
    if (std::isnan(input.value[i])) {
      return Status::Invalid(
                 "value column must not contain NaN (tsfresh rejects NaN values too): " +
                 describe(input, input.id[i], input.kind[i]))
          .with_row(static_cast<std::int64_t>(i));
    }
  }
  return Status::OK();
}

// True when the rows already come grouped by (id, kind) in that order, each series sorted by a
// strictly increasing sort key (the usual long frame): then the slices are runs of rows and no
// row order is needed. Sets `slices`.
bool rows_already_grouped(const LongSeries& input, std::vector<SeriesSlice>& slices) {
  const std::size_t n = input.value.size();
  const auto group_of = [&](std::size_t row) {
    return input.id[row] * static_cast<std::int64_t>(input.kind_labels.size()) + input.kind[row];
  };
  std::size_t begin = 0;
  for (std::size_t i = 1; i <= n; ++i) {
    if (i < n && group_of(i) == group_of(i - 1)) {
      if (!input.sort.empty() && !(input.sort[i - 1] < input.sort[i])) return false;
      continue;
    }
    if (i < n && group_of(i) < group_of(i - 1)) return false;
    slices.push_back(SeriesSlice{input.id[begin], input.kind[begin], begin, i});
    begin = i;
  }
  return true;
}

// Rows grouped by (id, kind) in that order (stable: row order kept within a series), then sorted
// by the sort key within each series. Empty when the rows already are in that order.
Result<std::vector<std::size_t>> group_rows(const LongSeries& input,
                                            std::vector<SeriesSlice>& slices) {
  const std::size_t n = input.value.size();
  if (rows_already_grouped(input, slices)) return std::vector<std::size_t>();
  slices.clear();
  const auto num_kinds = static_cast<std::int64_t>(input.kind_labels.size());
  const std::size_t num_groups = input.id_labels.size() * input.kind_labels.size();
  std::vector<std::size_t> start(num_groups + 1, 0);
  const auto group_of = [&](std::size_t row) {
    return static_cast<std::size_t>(input.id[row] * num_kinds + input.kind[row]);
  };
  for (std::size_t i = 0; i < n; ++i) ++start[group_of(i) + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::size_t> order(n);
  std::vector<std::size_t> next(start.begin(), start.end() - 1);
  for (std::size_t i = 0; i < n; ++i) order[next[group_of(i)]++] = i;
  for (std::size_t g = 0; g < num_groups; ++g) {
    if (start[g] == start[g + 1]) continue;
    const SeriesSlice slice{static_cast<std::int64_t>(g / input.kind_labels.size()),
                            static_cast<std::int32_t>(g % input.kind_labels.size()), start[g],
                            start[g + 1]};
    if (!input.sort.empty()) {
      const auto first = order.begin() + static_cast<std::ptrdiff_t>(slice.begin);
      const auto last = order.begin() + static_cast<std::ptrdiff_t>(slice.end);
      std::stable_sort(first, last,
                       [&](std::size_t a, std::size_t b) { return input.sort[a] < input.sort[b]; });
      const auto repeated = std::adjacent_find(first, last, [&](std::size_t a, std::size_t b) {
        return input.sort[a] == input.sort[b];
      });
      if (repeated != last) {
        return Status::Invalid("repeated sort key within one series (" +
                               describe(input, slice.id, slice.kind) +
                               "): each time point may occur once per id and kind")
            .with_row(static_cast<std::int64_t>(*(repeated + 1)));
      }
    }
    slices.push_back(slice);
  }
  return order;
}

}  // namespace

Result<std::vector<std::string>> feature_names(const std::string& kind_label,
                                               const KindSettings& settings) {
  std::vector<std::string> names;
  for (const CalculatorRequest& request : settings) {
    PARAFEAT_ASSIGN_OR_RAISE(const CalculatorDef* def, find_calculator(request.name));
    if (def->needs_datetime_index) continue;
    for (const std::string& suffix : feature_suffixes(*def, request.sets)) {
      names.push_back(kind_label + "__" + suffix);
    }
  }
  return names;
}

Result<SeriesFeatures> extract_features(const LongSeries& input,
                                        const std::vector<KindSettings>& settings,
                                        const std::vector<std::int32_t>& kind_order,
                                        const Executor& executor) {
  if (settings.size() != input.kind_labels.size()) {
    return Status::Invalid("one settings entry per kind is needed");
  }
  PARAFEAT_RETURN_NOT_OK(check_input(input));

  SeriesFeatures features;
  features.num_rows = static_cast<std::int64_t>(input.id_labels.size());
  std::vector<BoundKind> kinds(settings.size());
  std::size_t column = 0;
  for (std::int32_t k : kind_order) {
    const auto index = static_cast<std::size_t>(k);
    PARAFEAT_ASSIGN_OR_RAISE(kinds[index].settings, BoundSettings::bind(settings[index]));
    kinds[index].first_column = column;
    column += kinds[index].settings.num_columns();
    PARAFEAT_ASSIGN_OR_RAISE(std::vector<std::string> names,
                             feature_names(input.kind_labels[index], settings[index]));
    features.names.insert(features.names.end(), names.begin(), names.end());
  }
  PARAFEAT_DCHECK(column == features.names.size());

  std::vector<SeriesSlice> slices;
  PARAFEAT_ASSIGN_OR_RAISE(const std::vector<std::size_t> order, group_rows(input, slices));
  features.values.assign(static_cast<std::size_t>(features.num_rows) * column,
                         std::numeric_limits<double>::quiet_NaN());

  ExecutorOptions options = executor.options();
  options.morsel_rows =
      series_per_morsel(static_cast<std::int64_t>(input.value.size()),
                        static_cast<std::int64_t>(slices.size()), executor.num_threads());
  const Executor series_executor(options);
  using Block = std::vector<double>;  // the morsel's series' features, one after the other
  const std::function<Result<Block>(const Morsel&)> produce = [&](const Morsel& morsel) {
    Block block;
    std::vector<double> gathered;
    for (std::int64_t s = morsel.rows.begin; s < morsel.rows.end; ++s) {
      const SeriesSlice& slice = slices[static_cast<std::size_t>(s)];
      const BoundKind& kind = kinds[static_cast<std::size_t>(slice.kind)];
      Series values = input.value.subspan(slice.begin, slice.end - slice.begin);
      if (!order.empty()) {
        gathered.resize(slice.end - slice.begin);
        for (std::size_t i = slice.begin; i < slice.end; ++i) {
          gathered[i - slice.begin] = input.value[order[i]];
        }
        values = gathered;
      }
      const std::size_t offset = block.size();
      block.resize(offset + kind.settings.num_columns());
      kind.settings.compute(
          values, {block.data() + offset, kind.settings.num_columns()},
          series_executor.series_fork_join(static_cast<std::int64_t>(values.size())));
    }
    return block;
  };
  const std::function<Status(const Morsel&, Block&&)> consume = [&](const Morsel& morsel,
                                                                    Block&& block) {
    std::size_t offset = 0;
    for (std::int64_t s = morsel.rows.begin; s < morsel.rows.end; ++s) {
      const SeriesSlice& slice = slices[static_cast<std::size_t>(s)];
      const BoundKind& kind = kinds[static_cast<std::size_t>(slice.kind)];
      double* row = features.values.data() + static_cast<std::size_t>(slice.id) * column;
      std::copy_n(block.data() + offset, kind.settings.num_columns(), row + kind.first_column);
      offset += kind.settings.num_columns();
    }
    return Status::OK();
  };
  PARAFEAT_RETURN_NOT_OK(series_executor.for_each_morsel<Block>(
      static_cast<std::int64_t>(slices.size()), produce, consume));
  return features;
}

Result<SeriesGroups> group_series(const LongSeries& input) {
  PARAFEAT_RETURN_NOT_OK(check_input(input));
  std::vector<SeriesSlice> slices;
  PARAFEAT_ASSIGN_OR_RAISE(const std::vector<std::size_t> order, group_rows(input, slices));
  SeriesGroups groups;
  if (order.empty()) {  // the rows are grouped already: each is where it stands
    groups.order.resize(input.value.size());
    std::iota(groups.order.begin(), groups.order.end(), std::int64_t{0});
  } else {
    groups.order.assign(order.begin(), order.end());
  }
  const std::size_t num_kinds = input.kind_labels.size();
  groups.starts.assign(input.id_labels.size() * num_kinds + 1, 0);
  for (const SeriesSlice& slice : slices) {
    const std::size_t g =
        static_cast<std::size_t>(slice.id) * num_kinds + static_cast<std::size_t>(slice.kind);
    groups.starts[g + 1] = static_cast<std::int64_t>(slice.end - slice.begin);
  }
  std::partial_sum(groups.starts.begin(), groups.starts.end(), groups.starts.begin());
  return groups;
}

std::vector<CalculatorInfo> calculator_infos() {
  std::vector<CalculatorInfo> infos;
  for (const CalculatorDef& def : calculator_table()) {
    CalculatorInfo info;
    info.name = std::string(def.name);
    info.combiner = def.combiner;
    info.minimal = def.minimal;
    info.high_comp_cost = def.high_comp_cost;
    info.implemented = def.bind != nullptr || def.needs_datetime_index;
    info.needs_datetime_index = def.needs_datetime_index;
    if (def.defaults != nullptr) info.default_sets = def.defaults();
    infos.push_back(std::move(info));
  }
  return infos;
}

}  // namespace parafeat::timeseries
