#include "extractors/timeseries/feature_names.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace parafeat::timeseries {

std::string python_float(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  char buffer[64];
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  const std::string scientific(buffer, end);  // "-d.ddde+XX"
  const std::size_t e = scientific.find('e');
  const int exponent = std::atoi(scientific.c_str() + e + 1);
  const bool negative = scientific[0] == '-';
  std::string digits;
  for (std::size_t i = negative ? 1 : 0; i < e; ++i) {
    if (scientific[i] != '.') digits.push_back(scientific[i]);
  }
  std::string text = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    text.push_back(digits[0]);
    if (digits.size() > 1) text.append(".").append(digits.substr(1));
    char exp_text[8];
    const auto [exp_end, exp_ec] =
        std::to_chars(exp_text, exp_text + sizeof(exp_text), exponent < 0 ? -exponent : exponent);
    text.append(exponent < 0 ? "e-" : "e+");
    if (exp_end - exp_text < 2) text.push_back('0');
    return text.append(exp_text, exp_end);
  }
  if (exponent < 0) {
    text.append("0.").append(static_cast<std::size_t>(-exponent - 1), '0').append(digits);
    return text;
  }
  const auto integer_digits = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= integer_digits) {
    text.append(digits).append(integer_digits - digits.size(), '0').append(".0");
  } else {
    text.append(digits.substr(0, integer_digits)).append(".").append(digits.substr(integer_digits));
  }
  return text;
}

std::string python_value(const ParamValue& value, ListStyle lists) {
  struct Visitor {
    ListStyle lists;
    std::string operator()(std::monostate) const { return "None"; }
    std::string operator()(bool v) const { return v ? "True" : "False"; }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return python_float(v); }
    std::string operator()(const std::string& v) const { return "\"" + v + "\""; }
    std::string operator()(const ParamValue::List& v) const {
      const bool tuple = lists == ListStyle::kTuple;
      std::string text = tuple ? "(" : "[";
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) text += ", ";
        text += python_value(v[i], lists);
      }
      if (!tuple) return text + "]";
      return text + (v.size() == 1 ? ",)" : ")");
    }
    std::string operator()(const ParamValue::Map& v) const {
      std::string text = "{";
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) text += ", ";
        text += "'" + v[i].first + "': " + python_value(v[i].second, lists);
      }
      return text + "}";
    }
  };
  return std::visit(Visitor{lists}, value.storage());
}

std::string sorted_suffix(const Params& set, ListStyle lists) {
  std::string text;
  for (const auto& [key, value] : set) {  // Params is ordered by key, as tsfresh sorts them
    if (!text.empty()) text.append("__");
    text.append(key).append("_").append(python_value(value, lists));
  }
  return text;
}

}  // namespace parafeat::timeseries
