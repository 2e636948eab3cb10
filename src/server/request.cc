#include "server/request.h"

#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "common/json_type_phrase.h"

namespace parafeat::server {
namespace {

RequestError unprocessable(std::string message) {
  return {422, std::move(message)};
}

static_assert(kJsonPadding == simdjson::SIMDJSON_PADDING);

// Bodies up to this size are parsed with a parser the thread keeps (with its buffers, about six
// times the body) for the next one; larger ones with a parser of their own.
constexpr std::size_t kKeepParserBytes = std::size_t{4} << 20;

simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

}  // namespace

std::variant<Documents, RequestError> parse_features_json(std::string_view body, bool padded) {
  std::optional<simdjson::dom::parser> own;
  simdjson::dom::parser& parser =
      body.size() <= kKeepParserBytes ? thread_parser() : own.emplace();
  if (parser.capacity() < body.size() || parser.max_depth() != kMaxJsonDepth) {
    const std::size_t capacity = std::max(body.size(), parser.capacity());
    if (parser.allocate(capacity, kMaxJsonDepth) != simdjson::SUCCESS) {
      return RequestError{413, "the request body is too large to parse"};
    }
  }
  simdjson::dom::element root;
  if (const auto error = parser.parse(body.data(), body.size(), !padded).get(root)) {
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
  documents.data.reserve(body.size());  // the strings are never longer than the body
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
