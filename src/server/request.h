// Reading the body of POST /v1/features: {"inputs": ["document", ...]}, or {"inputs": [[1.5, 2,
// ...], ...]} for a pipeline of series, in JSON (simdjson's DOM parser, which validates UTF-8 and
// bounds nesting depth).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "parafeat/column.h"
#include "parafeat/executor.h"

namespace parafeat::server {

/// A request the server refuses: the HTTP status to answer with and a message for the client.
struct RequestError {
  int http_status = 400;
  std::string message;
};

/// The documents of one request, in one buffer (Arrow large_utf8 layout).
struct Documents {
  std::string data;
  std::vector<std::int64_t> offsets{0};

  std::int64_t size() const { return static_cast<std::int64_t>(offsets.size()) - 1; }
  /// A view of the documents as a string column, valid while this object is unchanged.
  StringColumn column() const {
    return StringColumn::with_offsets64(data.data(), offsets.data(), nullptr, size());
  }
};

/// The series of one request, in one buffer (Arrow large_list<float64> layout). A point written
/// as JSON null is a null value (a missing point, as an Arrow null or a NaN is for the library).
struct SeriesInputs {
  std::vector<double> values;
  std::vector<std::int64_t> offsets{0};
  std::vector<std::uint8_t>
      validity;  ///< Of `values`, least-significant bit first; empty: none null

  std::int64_t size() const { return static_cast<std::int64_t>(offsets.size()) - 1; }
  /// Marks point `point` (an index into `values`) null.
  void mark_null(std::size_t point);
  /// A view of the series as a series column, valid while this object is unchanged.
  SeriesColumn column() const;
};

/// How deeply a request's JSON may nest; deeper bodies are malformed requests.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// How many readable bytes past the end of a body let the JSON parser read it in place (without
/// them it copies the body into a padded buffer first).
inline constexpr std::size_t kJsonPadding = 64;

/// Reads a JSON request body. 400 when it is not JSON (malformed, invalid UTF-8, nested deeper
/// than kMaxJsonDepth); 422 when it is JSON of the wrong shape: not an object, no "inputs"
/// array, an empty one, or an input that is not a string (the message names its index).
/// `padded`: kJsonPadding bytes after the body may be read. The parser's buffers are kept by the
/// calling thread for its next body (unless this one was larger than a few MiB). With an
/// `executor` of several threads, long strings of a padded body are unescaped in pieces on them.
std::variant<Documents, RequestError> parse_features_json(std::string_view body,
                                                          bool padded = false,
                                                          const Executor* executor = nullptr);

/// Reads a JSON request body of series: {"inputs": [[1.5, 2, ...], ...]}, one series per input,
/// its points numbers or null (a missing point, which the pipeline's steps judge as they judge an
/// Arrow null). 400 as parse_features_json; 422 when it is JSON of the wrong shape: no "inputs"
/// array, an empty one, an input that is not an array or is empty, a point that is not a number
/// or null (the message names the input's index and the point's position).
std::variant<SeriesInputs, RequestError> parse_series_json(std::string_view body,
                                                           bool padded = false);

}  // namespace parafeat::server
