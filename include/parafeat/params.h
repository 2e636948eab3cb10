// Extractor parameters: a small typed tree that both the YAML spec and Python keyword arguments
// convert into, so that one C++ validator serves every front door.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace parafeat {

/// One parameter value: null, bool, integer, float, string, a list of values or a mapping of
/// names to values (kept in the order given, e.g. a tsfresh settings dict).
class ParamValue {
 public:
  using List = std::vector<ParamValue>;
  using Map = std::vector<std::pair<std::string, ParamValue>>;
  using Storage = std::variant<std::monostate, bool, std::int64_t, double, std::string, List, Map>;

  ParamValue() = default;
  ParamValue(std::nullptr_t) {}                            // NOLINT
  ParamValue(bool v) : storage_(v) {}                      // NOLINT
  ParamValue(int v) : storage_(std::int64_t{v}) {}         // NOLINT
  ParamValue(std::int64_t v) : storage_(v) {}              // NOLINT
  ParamValue(double v) : storage_(v) {}                    // NOLINT
  ParamValue(std::string v) : storage_(std::move(v)) {}    // NOLINT
  ParamValue(const char* v) : storage_(std::string(v)) {}  // NOLINT
  ParamValue(List v) : storage_(std::move(v)) {}           // NOLINT
  ParamValue(Map v) : storage_(std::move(v)) {}            // NOLINT

  bool is_null() const { return std::holds_alternative<std::monostate>(storage_); }
  const Storage& storage() const { return storage_; }
  /// A Python-like rendering for error messages: None, True, 3, 0.5, 'l2', [1, 2], {'a': 1}.
  std::string repr() const;
  /// The Python type name of the value, for error messages: "NoneType", "int", "str", ...
  const char* type_name() const;

  friend bool operator==(const ParamValue&, const ParamValue&) = default;

 private:
  Storage storage_;
};

/// Named parameters, ordered by name.
using Params = std::map<std::string, ParamValue, std::less<>>;

}  // namespace parafeat
