// timeseries_features: the pipeline step of the time-series family. Each input row holds one
// series (an Arrow list of numbers, in time order); the output row holds its tsfresh features,
// dense float64, named "<kind>__<calculator>[__<parameters>]" in tsfresh's order. The calculators
// are bound once (BoundSettings, as extract_features binds them), so a row's numbers are those
// extract_features gives for the same series.
//
//   params:
//     features: efficient   # minimal | efficient | comprehensive, or a tsfresh settings mapping
//                           # {calculator: null | [{param: value, ...}, ...]}
//     kind: value           # the feature-name prefix (the pipeline defaults it to the column)
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/param_reader.h"
#include "extractors/timeseries/bound_settings.h"
#include "extractors/timeseries/calculator.h"
#include "extractors/timeseries/timeseries_extractors.h"
#include "parafeat/timeseries.h"

namespace parafeat::timeseries {
namespace {

constexpr std::string_view kName = "timeseries_features";

// The calculators (with tsfresh's default parameter sets) of a named settings object, as
// parafeat.timeseries builds MinimalFCParameters, EfficientFCParameters and
// ComprehensiveFCParameters from the same table.
KindSettings preset_settings(std::string_view preset) {
  KindSettings settings;
  for (const CalculatorDef& def : calculator_table()) {
    const bool keep = preset == "comprehensive" || (preset == "minimal" && def.minimal) ||
                      (preset == "efficient" && !def.high_comp_cost);
    if (!keep) continue;
    settings.push_back(
        {std::string(def.name), def.defaults ? def.defaults() : std::vector<Params>{}});
  }
  return settings;
}

Status bad_features(const ParamValue& given, const std::string& why) {
  return Status::Invalid(std::string(kName) + ": parameter 'features' " + why + ", got " +
                         given.repr());
}

// A tsfresh settings mapping {calculator: None | [{param: value}, ...]} as calculator requests.
Result<KindSettings> mapping_settings(const ParamValue::Map& mapping, const ParamValue& given) {
  KindSettings settings;
  for (const auto& [name, sets] : mapping) {
    CalculatorRequest request{name, {}};
    if (const auto* list = std::get_if<ParamValue::List>(&sets.storage())) {
      for (const ParamValue& set : *list) {
        const auto* entries = std::get_if<ParamValue::Map>(&set.storage());
        if (entries == nullptr) {
          return bad_features(given,
                              "calculator '" + name + "': each parameter set must be a mapping");
        }
        Params params;
        for (const auto& [key, value] : *entries) params.insert_or_assign(key, value);
        request.sets.push_back(std::move(params));
      }
    } else if (!sets.is_null()) {
      return bad_features(
          given, "calculator '" + name + "': parameters must be null or a list of mappings");
    }
    settings.push_back(std::move(request));
  }
  return settings;
}

Result<KindSettings> read_settings(const ParamValue& features) {
  if (const auto* preset = std::get_if<std::string>(&features.storage())) {
    if (*preset == "minimal" || *preset == "efficient" || *preset == "comprehensive") {
      return preset_settings(*preset);
    }
  } else if (const auto* mapping = std::get_if<ParamValue::Map>(&features.storage())) {
    return mapping_settings(*mapping, features);
  }
  return bad_features(features,
                      "must be 'minimal', 'efficient', 'comprehensive' or a mapping of "
                      "calculator names to parameter sets");
}

class TimeSeriesFeatures final : public Extractor {
 public:
  TimeSeriesFeatures(BoundSettings bound, std::vector<std::string> names, Params params)
      : bound_(std::move(bound)), names_(std::move(names)), params_(std::move(params)) {}

  std::string_view name() const override { return kName; }
  const Params& params() const override { return params_; }
  OutputSpec output_spec() const override {
    return {.num_columns = static_cast<std::int64_t>(names_.size()),
            .dtype = FeatureDType::kFloat64,
            .dense = true};
  }
  InputKind input_kind() const override { return InputKind::kSeries; }
  std::vector<std::string> feature_names() const override { return names_; }

  Status extract(const StringColumn& /*input*/, RowRange /*rows*/,
                 SparseRows& /*out*/) const override {
    return Status::TypeError(std::string(kName) +
                             " reads one series per row (a list of numbers), not strings");
  }

  Status extract_series(const SeriesColumn& input, RowRange rows, DenseRows& out) const override {
    std::vector<double> scratch;
    for (std::int64_t row = rows.begin; row < rows.end; ++row) {
      PARAFEAT_RETURN_NOT_OK(extract_row(input, row, out, serial_fork_join(), scratch));
    }
    return Status::OK();
  }

  Status extract_long_series(const SeriesColumn& input, std::int64_t row, DenseRows& out,
                             const ForkJoin& fork) const override {
    std::vector<double> scratch;
    return extract_row(input, row, out, fork, scratch);
  }

 private:
  // Appends the row of series `row`; `scratch` holds its values when they must be converted.
  Status extract_row(const SeriesColumn& input, std::int64_t row, DenseRows& out,
                     const ForkJoin& fork, std::vector<double>& scratch) const {
    const std::size_t width = names_.size();
    PARAFEAT_RETURN_NOT_OK(check_row(input, row));
    const std::size_t offset = out.values.size();
    out.values.resize(offset + width, std::numeric_limits<double>::quiet_NaN());
    ++out.num_rows;
    // A series without values has no features, as an id without a series of a kind gets NaN
    // from extract_features.
    if (input.size(row) == 0) return Status::OK();
    const Series series = input.values(row, scratch);
    for (const double value : series) {
      if (std::isnan(value)) {
        return Status::Invalid(
                   "series contains NaN (tsfresh rejects NaN values too); drop or fill it")
            .with_row(row);
      }
    }
    bound_.compute(series, {out.values.data() + offset, width}, fork);
    return Status::OK();
  }

  static Status check_row(const SeriesColumn& input, std::int64_t row) {
    if (input.is_null(row)) {
      return Status::TypeError("expected a series (a list of numbers), got null").with_row(row);
    }
    if (input.has_null_value(row)) {
      return Status::Invalid("series contains a null value; drop or fill it").with_row(row);
    }
    return Status::OK();
  }

  BoundSettings bound_;
  std::vector<std::string> names_;
  Params params_;
};

}  // namespace

Result<std::unique_ptr<Extractor>> make_timeseries_features(const Params& params) {
  ParamReader reader(kName, params);
  const ParamValue features = reader.any("features", ParamValue("efficient"));
  PARAFEAT_ASSIGN_OR_RAISE(const std::string kind, reader.string("kind", "value"));
  PARAFEAT_RETURN_NOT_OK(reader.finish());
  if (kind.empty() || kind.ends_with('_') || kind.find("__") != std::string::npos) {
    return Status::Invalid(std::string(kName) + ": parameter 'kind' must be non-empty, not end " +
                           "with '_' and not contain '__' (tsfresh's rule for kind names), got '" +
                           kind + "'");
  }
  PARAFEAT_ASSIGN_OR_RAISE(const KindSettings settings, read_settings(features));
  Result<BoundSettings> bound = BoundSettings::bind(settings);
  if (!bound.ok()) return bound.status().with_context(std::string(kName));
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<std::string> names, feature_names(kind, settings));
  return std::unique_ptr<Extractor>(std::make_unique<TimeSeriesFeatures>(
      bound.move_value(), std::move(names), reader.resolved()));
}

}  // namespace parafeat::timeseries
