#include "extractors/timeseries/calculator.h"

#include <limits>
#include <string>
#include <vector>

#include "common/text_format.h"
#include "extractors/timeseries/feature_names.h"

namespace parafeat::timeseries {

namespace detail {

Status no_params_expected(std::string_view name, std::span<const Params> sets) {
  if (sets.empty()) return Status::OK();
  return Status::Invalid("calculator '" + std::string(name) +
                         "' takes no parameters; give it None in the settings, not " +
                         std::to_string(sets.size()) + " parameter set(s)");
}

Status params_expected(std::string_view name, std::span<const Params> sets) {
  if (!sets.empty()) return Status::OK();
  return Status::Invalid("calculator '" + std::string(name) +
                         "' needs a list of parameter sets, got None or an empty list");
}

}  // namespace detail

Status require_keys(std::string_view calculator, const Params& set,
                    std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    if (set.find(key) == set.end()) {
      return Status::Invalid("calculator '" + std::string(calculator) + "': parameter set lacks '" +
                             std::string(key) + "' (it needs " + quoted_list(keys) + ")");
    }
  }
  return Status::OK();
}

Result<std::size_t> read_count(ParamReader& reader, const Params& set, std::string_view key,
                               std::int64_t minimum) {
  PARAFEAT_RETURN_NOT_OK(require_keys(reader.owner(), set, {key}));
  PARAFEAT_ASSIGN_OR_RAISE(
      const std::int64_t value,
      reader.integer(key, minimum, minimum, std::numeric_limits<std::int32_t>::max()));
  return static_cast<std::size_t>(value);
}

Result<double> read_number(ParamReader& reader, const Params& set, std::string_view key) {
  PARAFEAT_RETURN_NOT_OK(require_keys(reader.owner(), set, {key}));
  return reader.number(key, 0);
}

Result<std::unique_ptr<Calculator>> bind_calculator(const CalculatorDef& def,
                                                    std::span<const Params> sets) {
  if (def.bind == nullptr) {
    return Status::NotImplemented("calculator '" + std::string(def.name) +
                                  "' is not implemented in parafeat yet; remove it from the "
                                  "settings (or use a settings object without it)");
  }
  return def.bind(def.name, sets);
}

std::vector<std::string> feature_suffixes(const CalculatorDef& def, std::span<const Params> sets) {
  std::vector<std::string> names;
  if (sets.empty()) {
    names.emplace_back(def.name);
    return names;
  }
  for (const Params& set : sets) {
    const std::string suffix = def.suffix != nullptr ? def.suffix(set) : sorted_suffix(set);
    names.push_back(std::string(def.name) + (suffix.empty() ? "" : "__" + suffix));
  }
  return names;
}

Result<const CalculatorDef*> find_calculator(std::string_view name) {
  for (const CalculatorDef& def : calculator_table()) {
    if (def.name == name) return &def;
  }
  std::vector<std::string_view> known;
  for (const CalculatorDef& def : calculator_table()) known.push_back(def.name);
  return Status::KeyError("unknown time-series calculator '" + std::string(name) +
                          "'; known calculators: " + quoted_list(known));
}

}  // namespace parafeat::timeseries
