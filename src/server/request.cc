#include "server/request.h"

#include <simdjson.h>

#include <utility>

namespace parafeat::server {
namespace {

RequestError unprocessable(std::string message) {
  return {422, std::move(message)};
}

std::string_view json_type_name(simdjson::dom::element_type type) {
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
  return "a value";
}

}  // namespace

std::variant<Documents, RequestError> parse_features_json(std::string_view body) {
  simdjson::dom::parser parser;
  if (parser.allocate(body.size(), kMaxJsonDepth) != simdjson::SUCCESS) {
    return RequestError{413, "the request body is too large to parse"};
  }
  simdjson::dom::element root;
  if (const auto error = parser.parse(body.data(), body.size()).get(root)) {
    return RequestError{400, std::string("malformed JSON: ") + simdjson::error_message(error)};
  }
  simdjson::dom::object object;
  if (root.get(object) != simdjson::SUCCESS) {
    return unprocessable("the body must be a JSON object {\"inputs\": [...]}, got " +
                         std::string(json_type_name(root.type())));
  }
  simdjson::dom::element inputs_value;
  if (object["inputs"].get(inputs_value) != simdjson::SUCCESS) {
    return unprocessable("the body has no \"inputs\" field: send {\"inputs\": [\"text\", ...]}");
  }
  simdjson::dom::array inputs;
  if (inputs_value.get(inputs) != simdjson::SUCCESS) {
    return unprocessable("\"inputs\" must be an array of strings, got " +
                         std::string(json_type_name(inputs_value.type())));
  }
  Documents documents;
  std::size_t index = 0;
  for (simdjson::dom::element input : inputs) {
    std::string_view text;
    if (input.get(text) != simdjson::SUCCESS) {
      return unprocessable("\"inputs\"[" + std::to_string(index) + "] must be a string, got " +
                           std::string(json_type_name(input.type())));
    }
    documents.data.append(text);
    documents.offsets.push_back(static_cast<std::int64_t>(documents.data.size()));
    ++index;
  }
  if (documents.size() == 0) {
    return unprocessable("\"inputs\" is empty: send at least one string");
  }
  return documents;
}

}  // namespace parafeat::server
