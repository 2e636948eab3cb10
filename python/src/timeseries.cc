#include "timeseries.h"

#include <nanobind/ndarray.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine_run.h"
#include "errors.h"
#include "numpy_arrays.h"
#include "parafeat/timeseries.h"
#include "params.h"

namespace nb = nanobind;
using namespace nb::literals;

namespace parafeat::python {
namespace {

template <typename T>
using Column = nb::ndarray<const T, nb::ndim<1>, nb::c_contig, nb::device::cpu>;

template <typename T>
std::span<const T> view(const Column<T>& column) {
  return {column.data(), column.shape(0)};
}

nb::list calculators() {
  nb::list rows;
  for (const timeseries::CalculatorInfo& info : timeseries::calculator_infos()) {
    nb::dict row;
    row["name"] = info.name;
    row["combiner"] = info.combiner;
    row["minimal"] = info.minimal;
    row["high_comp_cost"] = info.high_comp_cost;
    row["implemented"] = info.implemented;
    row["needs_datetime_index"] = info.needs_datetime_index;
    if (info.default_sets) {
      nb::list sets;
      for (const Params& set : *info.default_sets) sets.append(params_to_python(set));
      row["defaults"] = sets;
    } else {
      row["defaults"] = nb::none();
    }
    rows.append(row);
  }
  return rows;
}

// settings: for each kind code, a list of (calculator name, list of parameter dicts).
std::vector<timeseries::KindSettings> settings_from_python(const nb::list& settings) {
  std::vector<timeseries::KindSettings> kinds;
  for (nb::handle kind : settings) {
    timeseries::KindSettings requests;
    for (nb::handle entry : kind) {
      auto pair = nb::cast<nb::tuple>(entry);
      timeseries::CalculatorRequest request;
      request.name = nb::cast<std::string>(pair[0]);
      for (nb::handle set : pair[1]) {
        request.sets.push_back(params_from_python(nb::cast<nb::dict>(set)));
      }
      requests.push_back(std::move(request));
    }
    kinds.push_back(std::move(requests));
  }
  return kinds;
}

// The long-format input the arrays describe; `sort_keys` holds the sort array (None: no sort
// column) alive while the input is used.
timeseries::LongSeries long_series(const Column<std::int64_t>& id, const Column<std::int32_t>& kind,
                                   const nb::object& sort, Column<std::int64_t>& sort_keys,
                                   const Column<double>& value, std::vector<std::string> id_labels,
                                   std::vector<std::string> kind_labels) {
  timeseries::LongSeries input;
  input.id = view(id);
  input.kind = view(kind);
  if (!sort.is_none()) {
    sort_keys = nb::cast<Column<std::int64_t>>(sort);
    input.sort = view(sort_keys);
  }
  input.value = view(value);
  input.id_labels = std::move(id_labels);
  input.kind_labels = std::move(kind_labels);
  return input;
}

nb::tuple extract(const Column<std::int64_t>& id, const Column<std::int32_t>& kind,
                  const nb::object& sort, const Column<double>& value,
                  std::vector<std::string> id_labels, std::vector<std::string> kind_labels,
                  const nb::list& settings, const std::vector<std::int32_t>& kind_order,
                  int num_threads, nb::object progress) {
  Column<std::int64_t> sort_keys;
  const timeseries::LongSeries input =
      long_series(id, kind, sort, sort_keys, value, std::move(id_labels), std::move(kind_labels));
  const std::vector<timeseries::KindSettings> kinds = settings_from_python(settings);

  EngineRun run(num_threads, 1, std::move(progress));
  timeseries::SeriesFeatures features;
  run.run([&] {
    Result<timeseries::SeriesFeatures> result =
        timeseries::extract_features(input, kinds, kind_order, Executor(run.options()));
    if (!result.ok()) return result.status();
    features = result.move_value();
    return Status::OK();
  });
  nb::object values = to_numpy(std::move(features.values));
  const auto columns = static_cast<std::int64_t>(features.names.size());
  values = values.attr("reshape")(nb::make_tuple(features.num_rows, columns));
  return nb::make_tuple(values, features.names);
}

// Long-format rows grouped into series: (order, starts) as numpy int64 arrays (see
// timeseries::SeriesGroups).
nb::tuple group(const Column<std::int64_t>& id, const Column<std::int32_t>& kind,
                const nb::object& sort, const Column<double>& value,
                std::vector<std::string> id_labels, std::vector<std::string> kind_labels) {
  Column<std::int64_t> sort_keys;
  const timeseries::LongSeries input =
      long_series(id, kind, sort, sort_keys, value, std::move(id_labels), std::move(kind_labels));
  Result<timeseries::SeriesGroups> grouped = Status::Internal("not grouped");
  {
    const nb::gil_scoped_release release;
    grouped = timeseries::group_series(input);
  }
  timeseries::SeriesGroups groups = value_or_raise(std::move(grouped));
  return nb::make_tuple(to_numpy(std::move(groups.order)), to_numpy(std::move(groups.starts)));
}

std::vector<std::string> names(const std::string& kind, const nb::list& settings) {
  nb::list one;
  one.append(settings);
  return value_or_raise(timeseries::feature_names(kind, settings_from_python(one)[0]));
}

}  // namespace

void bind_timeseries(nb::module_& m) {
  m.def("ts_calculators", &calculators,
        "Every tsfresh calculator: name, flags, implemented, default parameter sets");
  m.def("ts_feature_names", &names, "kind"_a, "settings"_a,
        "Column names the settings give a kind, without computing anything");
  m.def("ts_group", &group, "id"_a, "kind"_a, "sort"_a.none(), "value"_a, "id_labels"_a,
        "kind_labels"_a,
        "Long-format rows grouped into series: (order, starts), checked as ts_extract checks");
  m.def("ts_extract", &extract, "id"_a, "kind"_a, "sort"_a.none(), "value"_a, "id_labels"_a,
        "kind_labels"_a, "settings"_a, "kind_order"_a, "num_threads"_a, "progress"_a = nb::none(),
        "Features of long-format series as (matrix[id, feature], feature names)");
}

}  // namespace parafeat::python
