#include "parafeat/pipeline.h"

#include <algorithm>
#include <set>

#include "common/text_format.h"
#include "pipeline/yaml_params.h"

namespace parafeat {
namespace {

constexpr int kSpecVersion = 1;

Status reject_unknown_keys(const YAML::Node& map, std::initializer_list<std::string_view> known,
                           const std::string& where) {
  PARAFEAT_ASSIGN_OR_RAISE(const MappingEntries entries, mapping_entries(map, where));
  for (const auto& [key, value] : entries) {
    bool found = false;
    for (std::string_view k : known) found = found || key == k;
    if (!found) {
      return Status::Invalid(where + ": unknown key '" + key + "' (expected one of " +
                             quoted_list(known) + ")");
    }
  }
  return Status::OK();
}

Result<std::string> required_string(const YAML::Node& map, const char* key,
                                    const std::string& where) {
  const YAML::Node node = map[key];
  if (!node) return Status::Invalid(where + ": missing key '" + key + "'");
  if (!node.IsScalar()) return Status::Invalid(where + ": '" + key + "' must be a string");
  return node.as<std::string>();
}

Result<PipelineStep> parse_step(const YAML::Node& node, std::size_t position,
                                const Pipeline::FittedParams& fitted, ValueBudget& budget) {
  const std::string where = "extractors[" + std::to_string(position) + "]";
  if (!node.IsMap())
    return Status::Invalid(where + ": expected a mapping with 'name' and 'column'");
  PARAFEAT_RETURN_NOT_OK(reject_unknown_keys(node, {"name", "column", "params", "output"}, where));
  PARAFEAT_ASSIGN_OR_RAISE(std::string name, required_string(node, "name", where));
  PARAFEAT_ASSIGN_OR_RAISE(std::string column, required_string(node, "column", where));
  std::string output = name;
  if (node["output"]) {
    PARAFEAT_ASSIGN_OR_RAISE(output, required_string(node, "output", where));
  }
  Params params;
  if (const YAML::Node params_node = node["params"]; params_node && !params_node.IsNull()) {
    PARAFEAT_ASSIGN_OR_RAISE(params, params_from_yaml(params_node, where + ".params", budget));
  }
  if (auto it = fitted.find(output); it != fitted.end()) {
    for (const auto& [key, value] : it->second) params.insert_or_assign(key, value);
  }
  Result<std::unique_ptr<Extractor>> extractor = make_extractor(name, params);
  if (extractor.ok() && (*extractor)->input_kind() == InputKind::kSeries &&
      !params.contains("kind")) {
    // A series step names its features after its input column unless told otherwise.
    params.emplace("kind", column);
    extractor = make_extractor(name, params);
  }
  if (!extractor.ok()) return extractor.status().with_context(where);
  return PipelineStep{std::move(column), std::move(output), extractor.move_value()};
}

constexpr std::string_view kLongFormatKeys[] = {"column_id", "column_sort", "column_kind",
                                                "column_value"};

Result<LongFormat> parse_long_format(const YAML::Node& node) {
  const std::string where = "long_format";
  if (!node.IsMap()) {
    return Status::Invalid(where + ": expected a mapping with 'column_id' and 'column_value'");
  }
  PARAFEAT_RETURN_NOT_OK(reject_unknown_keys(
      node, {kLongFormatKeys[0], kLongFormatKeys[1], kLongFormatKeys[2], kLongFormatKeys[3]},
      where));
  LongFormat format;
  PARAFEAT_ASSIGN_OR_RAISE(format.column_id, required_string(node, "column_id", where));
  PARAFEAT_ASSIGN_OR_RAISE(format.column_value, required_string(node, "column_value", where));
  if (node["column_sort"]) {
    PARAFEAT_ASSIGN_OR_RAISE(format.column_sort, required_string(node, "column_sort", where));
  }
  if (node["column_kind"]) {
    PARAFEAT_ASSIGN_OR_RAISE(format.column_kind, required_string(node, "column_kind", where));
  }
  return format;
}

}  // namespace

Result<Pipeline> Pipeline::from_yaml(std::string_view yaml, const FittedParams& fitted) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& error) {
    return Status::Invalid(std::string("pipeline spec is not valid YAML: ") + error.what());
  }
  if (!root.IsMap()) {
    return Status::Invalid("pipeline spec must be a mapping with 'version' and 'extractors'");
  }
  PARAFEAT_RETURN_NOT_OK(
      reject_unknown_keys(root, {"version", "long_format", "extractors"}, "pipeline spec"));
  const YAML::Node version = root["version"];
  if (!version || !version.IsScalar() ||
      version.as<std::string>() != std::to_string(kSpecVersion)) {
    return Status::Invalid("pipeline spec: 'version' must be " + std::to_string(kSpecVersion));
  }
  const YAML::Node extractors = root["extractors"];
  if (!extractors || !extractors.IsSequence() || extractors.size() == 0) {
    return Status::Invalid("pipeline spec: 'extractors' must be a non-empty list");
  }
  Pipeline pipeline;
  if (const YAML::Node long_format = root["long_format"]; long_format) {
    PARAFEAT_ASSIGN_OR_RAISE(pipeline.long_format_, parse_long_format(long_format));
  }
  std::set<std::string> outputs;
  ValueBudget budget(yaml.size());
  for (std::size_t i = 0; i < extractors.size(); ++i) {
    PARAFEAT_ASSIGN_OR_RAISE(PipelineStep step, parse_step(extractors[i], i, fitted, budget));
    if (!outputs.insert(step.output).second) {
      return Status::Invalid("extractors[" + std::to_string(i) + "]: output '" + step.output +
                             "' is already written by an earlier extractor; give it another "
                             "'output' name");
    }
    pipeline.steps_.push_back(std::move(step));
  }
  for (const auto& [output, params] : fitted) {
    if (!outputs.contains(output)) {
      return Status::Invalid("fitted parameters for output '" + output +
                             "', which no extractor of the spec writes");
    }
  }
  return pipeline;
}

bool Pipeline::is_fitted() const {
  return std::all_of(steps_.begin(), steps_.end(),
                     [](const PipelineStep& step) { return step.extractor->is_fitted(); });
}

std::vector<std::string> Pipeline::input_columns() const {
  std::vector<std::string> columns;
  for (const PipelineStep& step : steps_) {
    if (std::find(columns.begin(), columns.end(), step.column) == columns.end()) {
      columns.push_back(step.column);
    }
  }
  return columns;
}

Result<Batch> Pipeline::transform(const Batch& input, const Executor& executor) const {
  PARAFEAT_ASSIGN_OR_RAISE(
      std::vector<FeatureColumn> outputs,
      extract([&input](std::string_view name) { return input.string_column(name); },
              [&input](std::string_view name) { return input.series_column(name); }, executor));
  return make_feature_batch(std::move(outputs));
}

Result<std::vector<FeatureColumn>> Pipeline::extract(const ColumnLookup& columns,
                                                     const Executor& executor) const {
  return extract(
      columns,
      [](std::string_view) -> Result<SeriesColumn> {
        return Status::TypeError(
            "this step reads series (lists of numbers), which this input does not provide");
      },
      executor);
}

Result<std::vector<FeatureColumn>> Pipeline::extract(const ColumnLookup& columns,
                                                     const SeriesLookup& series,
                                                     const Executor& executor) const {
  std::vector<FeatureColumn> outputs;
  outputs.reserve(steps_.size());
  for (const PipelineStep& step : steps_) {
    const std::string where = "extractor '" + step.output + "', column '" + step.column + "'";
    const FeatureDType dtype = step.extractor->output_spec().dtype;
    if (step.extractor->input_kind() == InputKind::kSeries) {
      Result<SeriesColumn> column = series(step.column);
      if (!column.ok()) return column.status().with_context(where);
      Result<DenseRows> rows = executor.extract_series(*step.extractor, *column);
      if (!rows.ok()) return rows.status().with_context(where);
      outputs.push_back({step.output, SparseRows{}, dtype, rows.move_value()});
      continue;
    }
    Result<StringColumn> column = columns(step.column);
    if (!column.ok()) return column.status().with_context(where);
    Result<SparseRows> rows = executor.extract(*step.extractor, *column);
    if (!rows.ok()) return rows.status().with_context(where);
    outputs.push_back({step.output, rows.move_value(), dtype});
  }
  return outputs;
}

std::string Pipeline::to_yaml() const {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "version" << YAML::Value << kSpecVersion;
  if (long_format_) {
    out << YAML::Key << "long_format" << YAML::Value << YAML::BeginMap;
    const std::string* values[] = {&long_format_->column_id, &long_format_->column_sort,
                                   &long_format_->column_kind, &long_format_->column_value};
    for (std::size_t i = 0; i < std::size(values); ++i) {
      if (!values[i]->empty())
        out << YAML::Key << std::string(kLongFormatKeys[i]) << YAML::Value << *values[i];
    }
    out << YAML::EndMap;
  }
  out << YAML::Key << "extractors" << YAML::Value << YAML::BeginSeq;
  for (const PipelineStep& step : steps_) {
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << std::string(step.extractor->name());
    out << YAML::Key << "column" << YAML::Value << step.column;
    out << YAML::Key << "params" << YAML::Value;
    emit_params(out, step.extractor->params());
    out << YAML::Key << "output" << YAML::Value << step.output;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace parafeat
