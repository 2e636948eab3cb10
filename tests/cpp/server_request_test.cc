// The server's request parsing and response encoding: what each body becomes, and the HTTP status
// and message every bad body gets.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "server/metrics.h"
#include "server/request.h"
#include "server/response.h"

namespace parafeat::server {
namespace {

Documents parsed(std::string_view body) {
  auto result = parse_features_json(body);
  EXPECT_TRUE(std::holds_alternative<Documents>(result)) << std::get<RequestError>(result).message;
  return std::get<Documents>(std::move(result));
}

// The response body of `columns`, written on `threads` threads.
std::string encoded(const std::vector<FeatureColumn>& columns, int threads = 1) {
  ExecutorOptions options;
  options.num_threads = threads;
  std::vector<std::string> names;
  for (const FeatureColumn& column : columns) names.push_back(column.name);
  Result<std::string> json = features_json(columns, names, Executor(options));
  EXPECT_TRUE(json.ok()) << json.status().message();
  return json.ok() ? json.move_value() : std::string();
}

// The error a parse of `body` gave (an empty one, and a failed expectation, when it gave none).
template <typename Parsed>
RequestError error_of(const std::variant<Parsed, RequestError>& result, std::string_view body) {
  EXPECT_TRUE(std::holds_alternative<RequestError>(result)) << body;
  return std::holds_alternative<RequestError>(result) ? std::get<RequestError>(result)
                                                      : RequestError{0, ""};
}

RequestError refused(std::string_view body) {
  return error_of(parse_features_json(body), body);
}

TEST(ServerRequest, inputs_become_a_string_column_in_order_with_escapes_decoded) {
  const Documents documents =
      parsed(R"({"inputs": ["a b", "", "caf\u00e9 \"q\"\n", "😀"], "other": 1})");
  ASSERT_EQ(documents.column().length(), 4);
  EXPECT_EQ(documents.offsets, (std::vector<std::int64_t>{0, 3, 3, 13, 17}));
  EXPECT_EQ(documents.data, "a bcafé \"q\"\n😀");
  EXPECT_FALSE(documents.column().is_null(1));
}

TEST(ServerRequest, malformed_json_invalid_utf8_and_deep_nesting_are_400) {
  EXPECT_EQ(refused(R"({"inputs": ["a",)").http_status, 400);
  EXPECT_EQ(refused("").http_status, 400);
  EXPECT_EQ(refused("{\"inputs\": [\"caf\xe9\"]}").http_status, 400);
  const std::string deep = "{\"inputs\": " + std::string(kMaxJsonDepth + 1, '[') +
                           std::string(kMaxJsonDepth + 1, ']') + "}";
  const RequestError error = refused(deep);
  EXPECT_EQ(error.http_status, 400);
  EXPECT_NE(error.message.find("malformed JSON"), std::string::npos);
}

TEST(ServerRequest, wrong_shapes_are_422_naming_the_field_and_index) {
  EXPECT_EQ(refused("[]").http_status, 422);
  EXPECT_EQ(refused(R"({"input": ["a"]})").message,
            "the body has no \"inputs\" field: send {\"inputs\": [\"text\", ...]}");
  EXPECT_EQ(refused(R"({"inputs": {"a": 1}})").message,
            "\"inputs\" must be an array of strings, got an object");
  EXPECT_EQ(refused(R"({"inputs": ["a", "b", true]})").message,
            "\"inputs\"[2] must be a string, got a boolean");
  EXPECT_EQ(refused(R"({"inputs": [["a"]]})").message,
            "\"inputs\"[0] must be a string, got an array");
  const RequestError empty = refused(R"({"inputs": []})");
  EXPECT_EQ(empty.http_status, 422);
  EXPECT_NE(empty.message.find("empty"), std::string::npos);
}

// `body` in a buffer with kJsonPadding readable bytes after it.
std::string padded(std::string_view body) {
  std::string out;
  out.reserve(body.size() + kJsonPadding);
  out.append(body);
  return out;
}

TEST(ServerRequest, long_inputs_unescaped_in_pieces_on_threads_equal_the_whole_parse) {
  // Escapes of every kind, a surrogate pair and multi-byte UTF-8 next to the spaces where
  // pieces may be cut, in two long inputs around short ones.
  std::string text;
  for (int i = 0; text.size() < 300'000; ++i) {
    text += i % 3 == 0 ? R"(a\"b \\ \ud83d\ude00 caf\u00e9 )" : "mot\\n\\t\\/ Σοφία ";
  }
  const std::string body = R"({"x": [1, {"y": null}], "inputs": ["short", ")" + text + R"(", )" +
                           R"("", ")" + text.substr(1000) + R"("  , "end"]})";
  ExecutorOptions options;
  options.num_threads = 3;
  const Executor executor(options);
  const std::string buffer = padded(body);
  auto whole = parse_features_json(buffer, true);
  auto apart = parse_features_json(buffer, true, &executor);
  ASSERT_TRUE(std::holds_alternative<Documents>(whole));
  ASSERT_TRUE(std::holds_alternative<Documents>(apart));
  EXPECT_EQ(std::get<Documents>(apart).offsets, std::get<Documents>(whole).offsets);
  EXPECT_TRUE(std::get<Documents>(apart).data == std::get<Documents>(whole).data);
  EXPECT_EQ(std::get<Documents>(whole).size(), 5);
}

TEST(ServerRequest, a_bad_body_with_long_inputs_gets_the_same_answer_on_threads) {
  const std::string long_text(100'000, 'a');
  ExecutorOptions options;
  options.num_threads = 2;
  const Executor executor(options);
  for (const std::string& body :
       {R"({"inputs": [")" + long_text + R"( \x"]})", R"({"inputs": [")" + long_text + R"(", 3]})",
        R"({"inputs": [")" + long_text + R"("], "x": [1 2]})",
        R"({"inputs": [")" + long_text + R"( \ud83d "]})"}) {
    const std::string buffer = padded(body);
    auto whole = parse_features_json(buffer, true);
    auto apart = parse_features_json(buffer, true, &executor);
    ASSERT_TRUE(std::holds_alternative<RequestError>(whole)) << body.substr(body.size() - 20);
    ASSERT_TRUE(std::holds_alternative<RequestError>(apart));
    EXPECT_EQ(std::get<RequestError>(apart).http_status, std::get<RequestError>(whole).http_status);
    EXPECT_EQ(std::get<RequestError>(apart).message, std::get<RequestError>(whole).message);
  }
}

SeriesInputs parsed_series(std::string_view body) {
  auto result = parse_series_json(body);
  EXPECT_TRUE(std::holds_alternative<SeriesInputs>(result))
      << std::get<RequestError>(result).message;
  return std::get<SeriesInputs>(std::move(result));
}

RequestError refused_series(std::string_view body) {
  return error_of(parse_series_json(body), body);
}

TEST(ServerRequest, series_become_a_float64_list_column_with_null_points_as_nulls) {
  const SeriesInputs series = parsed_series(R"({"inputs": [[1.5, -2, 3e2], [null, 7], [0.1]]})");
  const SeriesColumn column = series.column();
  ASSERT_EQ(column.length(), 3);
  EXPECT_EQ(series.offsets, (std::vector<std::int64_t>{0, 3, 5, 6}));
  std::vector<double> scratch;
  const auto first = column.values(0, scratch);
  EXPECT_EQ(std::vector<double>(first.begin(), first.end()), (std::vector<double>{1.5, -2, 300}));
  EXPECT_FALSE(column.has_null_value(0));
  EXPECT_TRUE(column.has_null_value(1));
  EXPECT_TRUE(column.is_null_value(1, 0));
  EXPECT_FALSE(column.is_null_value(1, 1));
  EXPECT_EQ(column.values(2, scratch)[0], 0.1);  // the double nearest 0.1, as any JSON reader
  EXPECT_TRUE(parsed_series(R"({"inputs": [[1]]})").validity.empty());  // no nulls, no bitmap
}

TEST(ServerRequest, a_null_point_past_the_first_bitmap_byte_is_marked_exactly) {
  std::string body = R"({"inputs": [[)";
  for (int k = 0; k < 20; ++k) body += (k > 0 ? "," : "") + std::string(k == 13 ? "null" : "1");
  body += "]]}";
  const SeriesInputs series = parsed_series(body);
  const SeriesColumn column = series.column();
  for (int k = 0; k < 20; ++k) EXPECT_EQ(column.is_null_value(0, k), k == 13) << k;
}

TEST(ServerRequest, wrong_series_are_422_naming_the_input_and_the_point) {
  EXPECT_EQ(refused_series(R"({"inputs": [[1], [2, "3"]]})").message,
            "\"inputs\"[1][1] must be a number, got a string (write a missing point as null)");
  EXPECT_EQ(refused_series(R"({"inputs": [[1], {"a": 2}]})").message,
            "\"inputs\"[1] must be a series (an array of numbers), got an object");
  EXPECT_EQ(refused_series(R"({"inputs": [[1], [2], []]})").message,
            "\"inputs\"[2] is an empty series: send at least one number in each");
  EXPECT_EQ(refused_series(R"({"inputs": "1 2"})").message,
            "\"inputs\" must be an array of series (arrays of numbers), got a string");
  EXPECT_EQ(refused_series(R"({"x": 1})").message,
            "the body has no \"inputs\" field: send {\"inputs\": [[1.5, 2, ...], ...]}");
  EXPECT_EQ(refused_series(R"({"inputs": []})").http_status, 422);
  EXPECT_EQ(refused_series(R"({"inputs": [[NaN]]})").http_status, 400);
}

TEST(ServerResponse, dense_features_encode_as_one_array_per_input_with_null_for_nan) {
  FeatureColumn column{"ts", {}, FeatureDType::kFloat64};
  column.dense = DenseRows{2, 3, {1.5, std::nan(""), 2.0, -0.25, HUGE_VAL, -0.0}};
  ExecutorOptions options;
  options.num_threads = 2;
  const Result<std::string> json =
      features_json({column}, {"v__mean", "v__x", "v__y"}, Executor(options));
  ASSERT_TRUE(json.ok()) << json.status().message();
  EXPECT_EQ(*json,
            R"({"names":["v__mean","v__x","v__y"],"features":[[1.5,null,2],[-0.25,null,-0.0]]})");
}

TEST(ServerResponse, features_encode_as_sparse_rows_per_input_and_column) {
  FeatureColumn hashed{"h", {}, FeatureDType::kFloat64};
  hashed.rows.num_columns = 8;
  hashed.rows.indices = {1, 5};
  hashed.rows.values = {-0.5, 0.1};
  hashed.rows.end_row();
  hashed.rows.end_row();  // an empty row
  FeatureColumn counts{"c\"x", {}, FeatureDType::kInt64};
  counts.rows.num_columns = 3;
  counts.rows.indices = {2};
  counts.rows.values = {3.0};
  counts.rows.end_row();
  counts.rows.end_row();
  EXPECT_EQ(encoded({hashed, counts}),
            R"({"names":["h","c\"x"],"features":[)"
            R"([{"indices":[1,5],"values":[-0.5,0.1]},{"indices":[2],"values":[3]}],)"
            R"([{"indices":[],"values":[]},{"indices":[],"values":[]}]]})");
}

TEST(ServerResponse, floats_print_as_the_shortest_text_that_reads_back_exactly) {
  FeatureColumn single{"f", {}, FeatureDType::kFloat32};
  single.rows.indices = {0, 1};
  single.rows.values = {static_cast<double>(0.1F), 1.0 / 3.0};
  single.rows.end_row();
  FeatureColumn dbl{"d", {}, FeatureDType::kFloat64};
  dbl.rows.indices = {0};
  dbl.rows.values = {1.0 / 3.0};
  dbl.rows.end_row();
  const std::string json = encoded({single, dbl});
  EXPECT_NE(json.find("\"values\":[0.1,0.33333334]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"values\":[0.3333333333333333]"), std::string::npos) << json;
}

// A column of `rows` rows holding row r's entries (column k, value k) for k < length(r).
template <typename Length>
FeatureColumn counting_column(std::string name, std::int32_t rows, const Length& length) {
  FeatureColumn column{std::move(name), {}, FeatureDType::kInt64};
  for (std::int32_t r = 0; r < rows; ++r) {
    for (std::int32_t k = 0; k < length(r); ++k) {
      column.rows.indices.push_back(k);
      column.rows.values.push_back(k);
    }
    column.rows.end_row();
  }
  return column;
}

// What the encoding of a counting_column row with `length` entries reads.
std::string counting_row_json(std::int32_t length) {
  std::string numbers;
  for (std::int32_t k = 0; k < length; ++k) numbers += (k > 0 ? "," : "") + std::to_string(k);
  return R"({"indices":[)" + numbers + R"(],"values":[)" + numbers + "]}";
}

TEST(ServerResponse, long_rows_and_many_rows_encode_the_same_bytes_on_any_thread_count) {
  // Rows long enough to be written in pieces (the first of "a", the 1001st of "b") among many
  // short rows written in blocks.
  const auto a_length = [](std::int32_t r) { return r == 0 ? 50'000 : r % 7; };
  const auto b_length = [](std::int32_t r) { return r == 1000 ? 20'000 : r % 3; };
  const std::int32_t rows = 3001;
  std::string expected = R"({"names":["a","b"],"features":[)";
  for (std::int32_t r = 0; r < rows; ++r) {
    expected += (r > 0 ? ",[" : "[") + counting_row_json(a_length(r)) + "," +
                counting_row_json(b_length(r)) + "]";
  }
  expected += "]}";
  const std::vector<FeatureColumn> columns = {counting_column("a", rows, a_length),
                                              counting_column("b", rows, b_length)};
  EXPECT_EQ(encoded(columns, 1), expected);
  EXPECT_EQ(encoded(columns, 3), expected);
}

TEST(ServerResponse, a_cancelled_request_is_not_encoded) {
  ExecutorOptions options;
  auto cancel = std::make_shared<CancellationToken>();
  cancel->cancel();
  options.cancel = cancel;
  const Result<std::string> json = features_json(
      {counting_column("a", 10, [](std::int32_t) { return 100'000; })}, {"a"}, Executor(options));
  EXPECT_EQ(json.status().code(), StatusCode::kCancelled);
}

TEST(ServerResponse, error_messages_are_escaped_json) {
  EXPECT_EQ(error_json("bad \"x\"\n\x01"), R"({"error":"bad \"x\"\u000a\u0001"})");
  std::string out;
  append_json_string("tab\there \\", out);
  EXPECT_EQ(out, R"("tab\u0009here \\")");
}

TEST(ServerMetrics, prometheus_text_counts_by_endpoint_and_status_with_cumulative_buckets) {
  Metrics metrics;
  metrics.record("/v1/features", 200, 0.003);
  metrics.record("/v1/features", 200, 0.2);
  metrics.record("/v1/features", 422, 0.0001);
  metrics.record("other", 404, -1);
  metrics.add_in_flight(2);
  metrics.add_in_flight(-1);
  const std::string text = metrics.render();
  EXPECT_NE(text.find("parafeat_requests_total{path=\"/v1/features\",code=\"200\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("parafeat_requests_total{path=\"other\",code=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("parafeat_request_duration_seconds_bucket{le=\"0.0005\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("parafeat_request_duration_seconds_bucket{le=\"0.005\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("parafeat_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("parafeat_request_duration_seconds_count 3\n"), std::string::npos);
  EXPECT_NE(text.find("parafeat_requests_in_flight 1\n"), std::string::npos);
}

}  // namespace
}  // namespace parafeat::server
