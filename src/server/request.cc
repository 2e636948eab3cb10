#include "server/request.h"

#include <simdjson.h>

#include <utility>

#include "common/json_type_phrase.h"

namespace parafeat::server {
namespace {

RequestError unprocessable(std::string message) {
  return {422, std::move(message)};
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
                         std::string(json_type_phrase(root.type())));
  }
  simdjson::dom::element inputs_value;
  if (object["inputs"].get(inputs_value) != simdjson::SUCCESS) {
    return unprocessable("the body has no \"inputs\" field: send {\"inputs\": [\"text\", ...]}");
  }
  simdjson::dom::array inputs;
  if (inputs_value.get(inputs) != simdjson::SUCCESS) {
    return unprocessable("\"inputs\" must be an array of strings, got " +
                         std::string(json_type_phrase(inputs_value.type())));
  }
  Documents documents;
  std::size_t index = 0;
  for (simdjson::dom::element input : inputs) {
    std::string_view text;
    if (input.get(text) != simdjson::SUCCESS) {
      return unprocessable("\"inputs\"[" + std::to_string(index) + "] must be a string, got " +
                           std::string(json_type_phrase(input.type())));
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
