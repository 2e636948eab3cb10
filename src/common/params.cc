#include "parafeat/params.h"

#include <charconv>
#include <cmath>

namespace parafeat {
namespace {

std::string repr_float(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), v);
  std::string text(buffer, end);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

}  // namespace

std::string ParamValue::repr() const {
  struct Visitor {
    std::string operator()(std::monostate) const { return "None"; }
    std::string operator()(bool v) const { return v ? "True" : "False"; }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return repr_float(v); }
    std::string operator()(const std::string& v) const { return "'" + v + "'"; }
    std::string operator()(const List& v) const {
      std::string text = "[";
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) text += ", ";
        text += v[i].repr();
      }
      return text + "]";
    }
    std::string operator()(const Map& v) const {
      std::string text = "{";
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) text += ", ";
        text += "'" + v[i].first + "': " + v[i].second.repr();
      }
      return text + "}";
    }
  };
  return std::visit(Visitor{}, storage_);
}

const char* ParamValue::type_name() const {
  static constexpr const char* kNames[] = {"NoneType", "bool", "int", "float",
                                           "str",      "list", "dict"};
  return kNames[storage_.index()];
}

}  // namespace parafeat
