#include "pipeline/yaml_params.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_set>

namespace parafeat {
namespace {

bool parse_integer(const std::string& text, std::int64_t& value) {
  const char* begin = text.data() + (text.size() > 1 && text[0] == '+' ? 1 : 0);
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  return ec == std::errc() && ptr == end && begin != end;
}

// A YAML 1.2 core-schema float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, or
// [-+]?.inf / .nan in their three spellings.
bool parse_float(const std::string& text, double& value) {
  const std::string_view unsigned_text =
      std::string_view(text).substr(!text.empty() && (text[0] == '-' || text[0] == '+'));
  if (unsigned_text == ".inf" || unsigned_text == ".Inf" || unsigned_text == ".INF") {
    value = text[0] == '-' ? -std::numeric_limits<double>::infinity()
                           : std::numeric_limits<double>::infinity();
    return true;
  }
  if (text == ".nan" || text == ".NaN" || text == ".NAN") {
    value = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  // from_chars also reads "inf", "nan" and hex digits, which YAML keeps as strings: allow only
  // the characters of a decimal float, with at least one digit.
  const bool decimal_chars = std::all_of(unsigned_text.begin(), unsigned_text.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
  });
  const bool has_digit = std::any_of(unsigned_text.begin(), unsigned_text.end(),
                                     [](char c) { return c >= '0' && c <= '9'; });
  if (!decimal_chars || !has_digit) return false;
  const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
  auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size();
}

Result<ParamValue> value_from_yaml(const YAML::Node& node, const std::string& where,
                                   ValueBudget& budget) {
  PARAFEAT_RETURN_NOT_OK(budget.take(where));
  if (node.IsNull()) return ParamValue();
  if (node.IsSequence()) {
    ParamValue::List list;
    for (std::size_t i = 0; i < node.size(); ++i) {
      PARAFEAT_ASSIGN_OR_RAISE(
          ParamValue item, value_from_yaml(node[i], where + "[" + std::to_string(i) + "]", budget));
      list.push_back(std::move(item));
    }
    return ParamValue(std::move(list));
  }
  if (node.IsMap()) {
    PARAFEAT_ASSIGN_OR_RAISE(MappingEntries entries, mapping_entries(node, where));
    ParamValue::Map map;
    for (auto& [key, value] : entries) {
      PARAFEAT_ASSIGN_OR_RAISE(ParamValue item, value_from_yaml(value, where + "." + key, budget));
      map.emplace_back(std::move(key), std::move(item));
    }
    return ParamValue(std::move(map));
  }
  if (!node.IsScalar()) return Status::Invalid(where + ": expected a scalar, a list or a mapping");
  const std::string& text = node.Scalar();
  if (node.Tag() != "?") return ParamValue(text);  // quoted or explicitly tagged: a string
  if (text == "null" || text == "Null" || text == "NULL" || text == "~") return ParamValue();
  if (text == "true" || text == "True" || text == "TRUE") return ParamValue(true);
  if (text == "false" || text == "False" || text == "FALSE") return ParamValue(false);
  std::int64_t integer = 0;
  if (parse_integer(text, integer)) return ParamValue(integer);
  double number = 0.0;
  if (parse_float(text, number)) return ParamValue(number);
  return ParamValue(text);
}

void emit_value(YAML::Emitter& out, const ParamValue& value) {
  struct Visitor {
    YAML::Emitter& out;
    void operator()(std::monostate) const { out << YAML::Null; }
    void operator()(bool v) const { out << (v ? "true" : "false"); }
    void operator()(std::int64_t v) const { out << v; }
    void operator()(double v) const {
      if (std::isnan(v)) {
        out << ".nan";
      } else if (std::isinf(v)) {
        out << (v > 0 ? ".inf" : "-.inf");
      } else {
        out << ParamValue(v).repr();  // shortest round-trip digits, always with '.' or 'e'
      }
    }
    void operator()(const std::string& v) const { out << YAML::DoubleQuoted << v; }
    void operator()(const ParamValue::List& v) const {
      out << YAML::Flow << YAML::BeginSeq;
      for (const ParamValue& item : v) emit_value(out, item);
      out << YAML::EndSeq;
    }
    void operator()(const ParamValue::Map& v) const {
      out << YAML::BeginMap;
      for (const auto& [key, item] : v) {
        out << YAML::Key << key << YAML::Value;
        emit_value(out, item);
      }
      out << YAML::EndMap;
    }
  };
  std::visit(Visitor{out}, value.storage());
}

}  // namespace

Status ValueBudget::take(const std::string& where) {
  if (left_ == 0) {
    return Status::Invalid(where +
                           ": the spec makes more values than its size allows (are YAML "
                           "aliases expanding a value many times?)");
  }
  --left_;
  return Status::OK();
}

Result<MappingEntries> mapping_entries(const YAML::Node& map, const std::string& where) {
  MappingEntries entries;
  std::unordered_set<std::string> keys;
  for (const auto& entry : map) {
    if (!entry.first.IsScalar()) {
      return Status::Invalid(where + ": keys must be strings, got a " +
                             (entry.first.IsSequence() ? "list" : "mapping"));
    }
    const std::string& key = entry.first.Scalar();
    if (!keys.insert(key).second) {
      return Status::Invalid(where + ": key '" + key + "' is given twice");
    }
    entries.emplace_back(key, entry.second);
  }
  return entries;
}

Result<Params> params_from_yaml(const YAML::Node& node, const std::string& where,
                                ValueBudget& budget) {
  if (!node.IsMap()) return Status::Invalid(where + ": expected a mapping of parameter names");
  PARAFEAT_ASSIGN_OR_RAISE(MappingEntries entries, mapping_entries(node, where));
  Params params;
  for (auto& [key, value] : entries) {
    PARAFEAT_ASSIGN_OR_RAISE(ParamValue item, value_from_yaml(value, where + "." + key, budget));
    params.emplace(std::move(key), std::move(item));
  }
  return params;
}

void emit_params(YAML::Emitter& out, const Params& params) {
  out << YAML::BeginMap;
  for (const auto& [key, value] : params) {
    out << YAML::Key << key << YAML::Value;
    emit_value(out, value);
  }
  out << YAML::EndMap;
}

}  // namespace parafeat
