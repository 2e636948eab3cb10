// How error messages name the type of a JSON value (simdjson's DOM types).
#pragma once

#include <simdjson.h>

namespace parafeat {

/// "a number", "an array", "null", ...: the type of a JSON value as a phrase for messages.
inline const char* json_type_phrase(simdjson::dom::element_type type) {
  using simdjson::dom::element_type;
  switch (type) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "an unknown value";
}

}  // namespace parafeat
