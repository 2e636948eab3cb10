#include "server/request.h"

#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

// Strings of "inputs" at least this long are unescaped in pieces on the request's threads.
constexpr std::size_t kLongInputBytes = std::size_t{64} << 10;

// A long string of "inputs": where its content (between the quotes) lies in the body, and the
// content unescaped.
struct LongInput {
  std::size_t index = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;
};

// The "inputs" array of a JSON body, parsed by `parser`. Messages say that its items must be
// `items` ("strings"), such as `example` ("\"text\"").
std::variant<simdjson::dom::array, RequestError> inputs_array(simdjson::dom::parser& parser,
                                                              std::string_view body, bool padded,
                                                              std::string_view items,
                                                              std::string_view example) {
  if (parser.capacity() < body.size() || parser.max_depth() != kMaxJsonDepth) {
    const std::size_t capacity = std::max(body.size(), parser.capacity());
    if (parser.allocate(capacity, kMaxJsonDepth) != simdjson::SUCCESS) {
      return RequestError{413, "the request body is too large to parse"};
    }
  }
  simdjson::dom::element root;
  if (const auto error = parser.parse(body.data(), body.size(), !padded).get(root)) {
    std::string message = std::string("malformed JSON: ") + simdjson::error_message(error);
    if (error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE) {
      // The parser cannot tell a number it cannot hold (well-formed JSON) from a malformed one.
      message +=
          " (numbers must be well formed, integers must fit in 64 bits and other numbers "
          "in a double, under 1.8e308)";
    }
    return RequestError{400, std::move(message)};
  }
  simdjson::dom::object object;
  if (root.get(object) != simdjson::SUCCESS) {
    return unprocessable("the body must be a JSON object {\"inputs\": [...]}, got " +
                         std::string(json_type_phrase(root.type())));
  }
  simdjson::dom::element inputs_value;
  if (object["inputs"].get(inputs_value) != simdjson::SUCCESS) {
    return unprocessable("the body has no \"inputs\" field: send {\"inputs\": [" +
                         std::string(example) + ", ...]}");
  }
  simdjson::dom::array inputs;
  if (inputs_value.get(inputs) != simdjson::SUCCESS) {
    return unprocessable("\"inputs\" must be an array of " + std::string(items) + ", got " +
                         std::string(json_type_phrase(inputs_value.type())));
  }
  return inputs;
}

// The parser for a body of `size` bytes: the calling thread's, or `own` for a large body.
simdjson::dom::parser& parser_for(std::size_t size, std::optional<simdjson::dom::parser>& own) {
  return size <= kKeepParserBytes ? thread_parser() : own.emplace();
}

// Reads a body whose long inputs (if any) have been unescaped already: in `body` their contents
// are left out (each is ""), and their text is taken from `long_inputs` (in input order). Sets
// `mismatch` if an input in `long_inputs` is not such an empty string.
std::variant<Documents, RequestError> parse_with_dom(std::string_view body, bool padded,
                                                     std::vector<LongInput>& long_inputs,
                                                     bool& mismatch) {
  std::optional<simdjson::dom::parser> own;
  auto found = inputs_array(parser_for(body.size(), own), body, padded, "strings", "\"text\"");
  if (auto* error = std::get_if<RequestError>(&found)) return std::move(*error);
  const simdjson::dom::array inputs = std::get<simdjson::dom::array>(found);
  Documents documents;
  std::size_t long_text_bytes = 0;
  for (const LongInput& input : long_inputs) long_text_bytes += input.text.size();
  const bool first_is_long = !long_inputs.empty() && long_inputs.front().index == 0;
  if (!first_is_long) {
    documents.data.reserve(body.size() + long_text_bytes);  // an upper bound of the texts' size
  }
  std::size_t index = 0;
  auto next_long = long_inputs.begin();
  for (simdjson::dom::element input : inputs) {
    std::string_view text;
    if (input.get(text) != simdjson::SUCCESS) {
      return unprocessable("\"inputs\"[" + std::to_string(index) + "] must be a string, got " +
                           std::string(json_type_phrase(input.type())));
    }
    if (next_long != long_inputs.end() && next_long->index == index) {
      mismatch = mismatch || !text.empty();
      if (index == 0) {
        // The first input's text becomes the buffer (a one-document request is not copied).
        documents.data = std::move(next_long->text);
        text = {};
      } else {
        text = next_long->text;
      }
      ++next_long;
    }
    documents.data.append(text);
    documents.offsets.push_back(static_cast<std::int64_t>(documents.data.size()));
    ++index;
  }
  mismatch = mismatch || next_long != long_inputs.end();
  if (documents.size() == 0) {
    return unprocessable("\"inputs\" is empty: send at least one string");
  }
  return documents;
}

// The long strings of the "inputs" of a padded body, found with simdjson's On-Demand parser
// (which indexes the body and validates its UTF-8, but does not unescape what it skips); empty
// when there are none or the body is not well formed (the DOM parser then says what is wrong).
std::vector<LongInput> find_long_inputs(std::string_view body) {
  // The thread's parser, as thread_parser(): its buffers (several times the body) are reused.
  thread_local simdjson::ondemand::parser kept;
  std::optional<simdjson::ondemand::parser> own;
  simdjson::ondemand::parser& parser = body.size() <= kKeepParserBytes ? kept : own.emplace();
  std::vector<LongInput> found;
  simdjson::ondemand::document document;
  const simdjson::padded_string_view view(body.data(), body.size(), body.size() + kJsonPadding);
  simdjson::ondemand::array inputs;
  if (parser.iterate(view).get(document) != simdjson::SUCCESS ||
      document.find_field("inputs").get_array().get(inputs) != simdjson::SUCCESS) {
    return {};
  }
  std::size_t index = 0;
  for (auto element : inputs) {
    simdjson::ondemand::value value;
    simdjson::ondemand::json_type type{};
    if (element.get(value) != simdjson::SUCCESS || value.type().get(type) != simdjson::SUCCESS) {
      return {};
    }
    if (type == simdjson::ondemand::json_type::string) {
      // The token is the quoted string and the blanks that follow it.
      std::string_view token = value.raw_json_token();
      while (!token.empty() && (token.back() == ' ' || token.back() == '\t' ||
                                token.back() == '\n' || token.back() == '\r')) {
        token.remove_suffix(1);
      }
      if (token.size() >= kLongInputBytes + 2 && token.front() == '"' && token.back() == '"') {
        const auto begin = static_cast<std::size_t>(token.data() + 1 - body.data());
        found.push_back({index, begin, begin + token.size() - 2, {}});
      }
    }
    ++index;
  }
  return found;
}

// The text of a piece of a JSON string's content that starts and ends outside any escape.
Result<std::string> unescape_piece(std::string_view content) {
  thread_local simdjson::dom::parser parser;
  std::string quoted;
  quoted.reserve(content.size() + 2 + kJsonPadding);
  quoted.push_back('"');
  quoted.append(content);
  quoted.push_back('"');
  std::string_view text;
  if (parser.parse(quoted.data(), quoted.size(), false).get_string().get(text) !=
      simdjson::SUCCESS) {
    return Status::Invalid("not a JSON string");
  }
  return std::string(text);
}

// Reads a body with long inputs by unescaping those in pieces on `executor`'s threads, cut before
// a space (which no escape sequence contains, nor any UTF-8 sequence), while the DOM parser reads
// the rest. Nullopt when there is nothing to gain or anything is amiss: the caller then parses
// the body whole, which also gives the error messages.
std::optional<std::variant<Documents, RequestError>> parse_long_inputs_apart(
    std::string_view body, const Executor& executor) {
  std::vector<LongInput> long_inputs = find_long_inputs(body);
  if (long_inputs.empty()) return std::nullopt;
  struct Piece {
    std::size_t input;
    std::size_t begin;
    std::size_t end;
  };
  std::vector<Piece> pieces;
  const auto threads = static_cast<std::size_t>(executor.num_threads());
  for (std::size_t i = 0; i < long_inputs.size(); ++i) {
    const auto [begin, end] = std::pair(long_inputs[i].begin, long_inputs[i].end);
    long_inputs[i].text.reserve(end - begin);  // unescaping never lengthens a string
    const std::size_t piece =
        std::clamp((end - begin) / (4 * threads), kLongInputBytes / 2, std::size_t{1} << 20);
    std::size_t from = begin;
    while (from < end) {
      std::size_t cut = end;
      if (end - from > piece + piece / 2) {
        cut = body.find(' ', from + piece);
        if (cut == std::string_view::npos || cut > end) cut = end;
      }
      pieces.push_back({i, from, cut});
      from = cut;
    }
  }
  ExecutorOptions options = executor.options();
  options.morsel_rows = 1;  // a morsel is a piece
  options.on_progress = nullptr;
  const Status unescaped =
      Executor(std::move(options))
          .for_each_morsel<std::string>(
              static_cast<std::int64_t>(pieces.size()),
              [&](const Morsel& morsel) {
                const Piece& piece = pieces[static_cast<std::size_t>(morsel.index)];
                return unescape_piece(body.substr(piece.begin, piece.end - piece.begin));
              },
              [&](const Morsel& morsel, std::string&& text) {
                const Piece& piece = pieces[static_cast<std::size_t>(morsel.index)];
                long_inputs[piece.input].text += text;
                return Status::OK();
              });
  if (!unescaped.ok()) return std::nullopt;
  std::string rest;
  rest.reserve(body.size() + kJsonPadding);
  std::size_t from = 0;
  for (const LongInput& input : long_inputs) {
    rest.append(body.substr(from, input.begin - from));
    from = input.end;
  }
  rest.append(body.substr(from));
  bool mismatch = false;
  std::variant<Documents, RequestError> parsed =
      parse_with_dom(rest, /*padded=*/true, long_inputs, mismatch);
  if (mismatch || std::holds_alternative<RequestError>(parsed)) return std::nullopt;
  return parsed;
}

}  // namespace

std::variant<Documents, RequestError> parse_features_json(std::string_view body, bool padded,
                                                          const Executor* executor) {
  if (executor != nullptr && executor->num_threads() > 1 && padded &&
      body.size() >= kLongInputBytes) {
    if (auto parsed = parse_long_inputs_apart(body, *executor)) return std::move(*parsed);
  }
  std::vector<LongInput> none;
  bool mismatch = false;
  return parse_with_dom(body, padded, none, mismatch);
}

std::variant<SeriesInputs, RequestError> parse_series_json(std::string_view body, bool padded) {
  std::optional<simdjson::dom::parser> own;
  auto found = inputs_array(parser_for(body.size(), own), body, padded,
                            "series (arrays of numbers)", "[1.5, 2, ...]");
  if (auto* error = std::get_if<RequestError>(&found)) return std::move(*error);
  const simdjson::dom::array inputs = std::get<simdjson::dom::array>(found);
  if (inputs.size() == 0) {
    return unprocessable("\"inputs\" is empty: send at least one series (an array of numbers)");
  }
  SeriesInputs series;
  std::size_t index = 0;
  std::size_t points = 0;
  for (simdjson::dom::element input : inputs) {
    simdjson::dom::array values;
    if (input.get(values) != simdjson::SUCCESS) {
      return unprocessable("\"inputs\"[" + std::to_string(index) +
                           "] must be a series (an array of numbers), got " +
                           std::string(json_type_phrase(input.type())));
    }
    if (values.size() == 0) {
      return unprocessable("\"inputs\"[" + std::to_string(index) +
                           "] is an empty series: send at least one number in each");
    }
    points += values.size();
    ++index;
  }
  series.values.reserve(points);
  series.offsets.reserve(index + 1);
  index = 0;
  for (simdjson::dom::element input : inputs) {
    simdjson::dom::array values;
    if (input.get(values) != simdjson::SUCCESS) continue;  // checked above
    std::size_t position = 0;
    for (simdjson::dom::element point : values) {
      double value = 0;
      if (point.is_null()) {
        series.mark_null(series.values.size());
      } else if (point.get(value) != simdjson::SUCCESS) {
        return unprocessable("\"inputs\"[" + std::to_string(index) + "][" +
                             std::to_string(position) + "] must be a number, got " +
                             std::string(json_type_phrase(point.type())) +
                             " (write a missing point as null)");
      }
      series.values.push_back(value);
      ++position;
    }
    series.offsets.push_back(static_cast<std::int64_t>(series.values.size()));
    ++index;
  }
  if (!series.validity.empty()) series.validity.resize((series.values.size() + 7) / 8, 0xFF);
  return series;
}

void SeriesInputs::mark_null(std::size_t point) {
  if (point / 8 >= validity.size())
    validity.resize(std::max(point, values.capacity()) / 8 + 1, 0xFF);
  validity[point / 8] = static_cast<std::uint8_t>(validity[point / 8] & ~(1U << (point % 8)));
}

SeriesColumn SeriesInputs::column() const {
  const SeriesColumn::Values view{.data = values.data(),
                                  .type = SeriesValueType::kFloat64,
                                  .validity = validity.empty() ? nullptr : validity.data(),
                                  .offset = 0};
  return SeriesColumn::with_offsets64(offsets.data(), view, nullptr, size());
}

}  // namespace parafeat::server
