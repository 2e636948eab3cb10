// The JSON Lines reader: batching, lines across read chunks, string decoding, and every error.
#include "io/jsonl_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/arrow_c_internal.h"

namespace parafeat {
namespace {

using Strings = std::vector<std::optional<std::string>>;

// Writes `content` to a fresh file in the test temp directory and returns its path.
std::string write_file(const std::string& content) {
  static int counter = 0;
  const std::string path = testing::TempDir() + "jsonl_reader_test_" + std::to_string(::getpid()) +
                           "_" + std::to_string(counter++) + ".jsonl";
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

// Everything a reader yields until its end or first error.
struct Outcome {
  std::vector<std::int64_t> batch_rows;
  std::vector<Strings> columns;  // One per requested column, all batches concatenated.
  Status status;
};

Outcome read_all(const std::string& content, const std::vector<std::string>& columns,
                 JsonlOptions options = {}) {
  Outcome outcome;
  outcome.columns.resize(columns.size());
  const std::string path = write_file(content);
  Result<std::unique_ptr<BatchReader>> reader = open_jsonl(path, columns, options);
  if (!reader.ok()) {
    outcome.status = reader.status();
    return outcome;
  }
  while (true) {
    Result<std::optional<Batch>> batch = (*reader)->next();
    if (!batch.ok()) {
      outcome.status = batch.status();
      // The reader keeps reporting its error.
      EXPECT_EQ((*reader)->next().status(), outcome.status);
      break;
    }
    if (!batch->has_value()) break;
    const Batch& b = **batch;
    outcome.batch_rows.push_back(b.num_rows());
    for (std::size_t c = 0; c < columns.size(); ++c) {
      EXPECT_EQ(b.column_name(static_cast<int>(c)), columns[c]);
      EXPECT_EQ(b.column_format(static_cast<int>(c)), "U");
      StringColumn column = *b.string_column(columns[c]);
      for (std::int64_t i = 0; i < column.length(); ++i) {
        outcome.columns[c].push_back(
            column.is_null(i) ? std::nullopt : std::optional<std::string>(column.value(i)));
      }
    }
  }
  std::remove(path.c_str());
  return outcome;
}

JsonlOptions with_batch_rows(std::int64_t rows) {
  JsonlOptions options;
  options.batch_rows = rows;
  return options;
}

TEST(JsonlReader, SplitsBatchesAtBatchRows) {
  const std::string content =
      "{\"id\": \"1\", \"text\": \"a\"}\n{\"id\": \"2\", \"text\": \"b\"}\n"
      "{\"id\": \"3\", \"text\": \"c\"}\n{\"id\": \"4\", \"text\": \"d\"}\n"
      "{\"id\": \"5\", \"text\": \"e\"}\n";
  Outcome outcome = read_all(content, {"text", "id"}, with_batch_rows(2));
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.to_string();
  EXPECT_EQ(outcome.batch_rows, (std::vector<std::int64_t>{2, 2, 1}));
  EXPECT_EQ(outcome.columns[0], (Strings{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(outcome.columns[1], (Strings{"1", "2", "3", "4", "5"}));

  outcome = read_all(content, {"text"}, with_batch_rows(5));
  EXPECT_EQ(outcome.batch_rows, (std::vector<std::int64_t>{5}));
}

TEST(JsonlReader, ThreeArgumentOpenUsesBatchRows) {
  const std::string path = write_file("{\"t\":\"a\"}\n{\"t\":\"b\"}\n{\"t\":\"c\"}\n");
  Result<std::unique_ptr<BatchReader>> reader = open_jsonl(path, {"t"}, 2);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*(*reader)->next())->num_rows(), 2);
  EXPECT_EQ((*(*reader)->next())->num_rows(), 1);
  EXPECT_FALSE((*reader)->next()->has_value());
  std::remove(path.c_str());
}

TEST(JsonlReader, LinesAcrossReadChunksReadTheSameForAnyChunkSize) {
  // Lines of many lengths, one far longer than the tiny chunks so the buffer must grow, and a
  // last line without '\n'.
  std::string content;
  Strings expected;
  for (int i = 0; i < 40; ++i) {
    std::string text(static_cast<std::size_t>(i * 7 % 23), static_cast<char>('a' + i % 26));
    if (i == 17) text = std::string(5000, 'L');
    content += "{\"n\": " + std::to_string(i) + ", \"text\": \"" + text + "\"}";
    if (i != 39) content += "\n";
    expected.emplace_back(text);
  }
  for (std::int64_t read_bytes : {1, 2, 3, 7, 64, 4096, 1 << 20}) {
    JsonlOptions options;
    options.batch_rows = 8;
    options.read_bytes = read_bytes;
    Outcome outcome = read_all(content, {"text"}, options);
    ASSERT_TRUE(outcome.status.ok())
        << "read_bytes " << read_bytes << ": " << outcome.status.to_string();
    EXPECT_EQ(outcome.columns[0], expected) << "read_bytes " << read_bytes;
    EXPECT_EQ(outcome.batch_rows, (std::vector<std::int64_t>{8, 8, 8, 8, 8}));
  }
}

TEST(JsonlReader, VeryLongLinesWork) {
  const std::string text(5 << 20, 'x');  // Past the size after which the parser is replaced.
  JsonlOptions options;
  options.read_bytes = 4096;
  Outcome outcome = read_all(
      "{\"text\": \"short\"}\n{\"text\": \"" + text + "\"}\n{\"text\": \"\"}", {"text"}, options);
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.to_string();
  EXPECT_EQ(outcome.columns[0], (Strings{"short", text, ""}));
}

TEST(JsonlReader, DecodesEscapesAndUnicode) {
  const std::string content = R"({"text": "quote \" backslash \\ slash \/ tab \t newline \n"})"
                              "\n"
                              R"({"text": "caf\u00e9 \u00E9"})"
                              "\n"
                              R"({"text": "smile \ud83d\ude00"})"
                              "\n"
                              "{\"text\": \"raw caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"}\n";
  Outcome outcome = read_all(content, {"text"});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.to_string();
  EXPECT_EQ(outcome.columns[0],
            (Strings{"quote \" backslash \\ slash / tab \t newline \n", "caf\xC3\xA9 \xC3\xA9",
                     "smile \xF0\x9F\x98\x80", "raw caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"}));
}

TEST(JsonlReader, FieldsMayComeInAnyOrderAndTheLastOfARepeatedKeyCounts) {
  const std::string content =
      "{\"text\": \"a\", \"id\": \"1\"}\n"
      "{\"other\": [1, {\"text\": 5}], \"id\": \"2\", \"text\": \"b\"}\n"
      "{\"text\": \"first\", \"id\": \"3\", \"text\": \"last\"}\n";
  Outcome outcome = read_all(content, {"id", "text"});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.to_string();
  EXPECT_EQ(outcome.columns[0], (Strings{"1", "2", "3"}));
  EXPECT_EQ(outcome.columns[1], (Strings{"a", "b", "last"}));
}

TEST(JsonlReader, ANullFieldIsATypeErrorNamingItsLineBlankLinesCounted) {
  Outcome outcome = read_all("{\"text\": \"a\"}\n\n{\"text\": null}\n", {"text"});
  EXPECT_EQ(outcome.status.code(), StatusCode::kTypeError);
  EXPECT_EQ(outcome.status.message(), "line 3: field 'text' is null; expected a string");
}

TEST(JsonlReader, SkipsBlankLinesCrlfAndAByteOrderMark) {
  const std::string content =
      "\xEF\xBB\xBF{\"text\": \"a\"}\r\n\n   \n\t\r\n{\"text\": \"b\"}\r\n\n";
  Outcome outcome = read_all(content, {"text"});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.to_string();
  EXPECT_EQ(outcome.columns[0], (Strings{"a", "b"}));
}

TEST(JsonlReader, EmptyAndBlankFilesHaveNoBatches) {
  for (const char* content : {"", "\n\n  \n"}) {
    Outcome outcome = read_all(content, {"text"});
    EXPECT_TRUE(outcome.status.ok()) << outcome.status.to_string();
    EXPECT_TRUE(outcome.batch_rows.empty());
  }
}

TEST(JsonlReader, NonStringFieldNamesLineFieldAndType) {
  const std::string good = "{\"text\": \"ok\"}\n";
  const std::pair<const char*, const char*> cases[] = {
      {"1842", "a number"},  {"-1.5e3", "a number"},  {"18446744073709551615", "a number"},
      {"true", "a boolean"}, {"[\"a\"]", "an array"}, {"{\"a\": \"b\"}", "an object"},
  };
  for (const auto& [value, phrase] : cases) {
    // Line 4: two good lines and a blank one come first; blank lines count.
    Outcome outcome = read_all(good + good + "\n{\"text\": " + value + "}\n" + good, {"text"});
    EXPECT_EQ(outcome.status.code(), StatusCode::kTypeError) << value;
    EXPECT_EQ(outcome.status.message(),
              std::string("line 4: field 'text' is ") + phrase + "; expected a string");
  }
}

TEST(JsonlReader, MissingFieldListsTheFieldsTheLineHas) {
  Outcome outcome = read_all("{\"text\": \"a\"}\n{\"id\": \"7\", \"body\": \"b\"}\n", {"text"},
                             with_batch_rows(1));
  EXPECT_EQ(outcome.batch_rows, (std::vector<std::int64_t>{1}));  // The first batch got out.
  EXPECT_EQ(outcome.status.code(), StatusCode::kKeyError);
  EXPECT_EQ(outcome.status.message(), "line 2: no field 'text' (fields: 'id', 'body')");

  outcome = read_all("{}\n", {"text"});
  EXPECT_EQ(outcome.status.message(), "line 1: no field 'text' (the object has no fields)");
}

TEST(JsonlReader, NonObjectLinesAreTypeErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {"[1, 2]", "an array"}, {"\"text\"", "a string"}, {"42", "a number"}, {"null", "null"}};
  for (const auto& [line, phrase] : cases) {
    Outcome outcome = read_all(std::string(line) + "\n", {"text"});
    EXPECT_EQ(outcome.status.code(), StatusCode::kTypeError) << line;
    EXPECT_EQ(outcome.status.message(),
              std::string("line 1: expected a JSON object, got ") + phrase);
  }
}

TEST(JsonlReader, MalformedJsonNamesTheLine) {
  for (const char* line : {"{\"text\": \"a\"", "{\"text\": \"a\",}", "{\"text\": tru}",
                           "{\"text\": \"a\"} {\"text\": \"b\"}", "{\"text\": \"unterminated}",
                           "{text: \"a\"}", "{\"text\": \"a\"} x"}) {
    Outcome outcome = read_all("{\"text\": \"ok\"}\n" + std::string(line) + "\n", {"text"});
    EXPECT_EQ(outcome.status.code(), StatusCode::kInvalid) << line;
    EXPECT_TRUE(outcome.status.message().starts_with("line 2: invalid JSON: "))
        << line << " -> " << outcome.status.to_string();
  }
}

TEST(JsonlReader, InvalidUtf8NamesTheLine) {
  for (const char* line : {"{\"text\": \"bad \xFF byte\"}", "{\"text\": \"cut \xC3\"}",
                           "{\"text\": \"surrogate \xED\xA0\x80\"}"}) {
    Outcome outcome = read_all("\n{\"text\": \"ok\"}\n" + std::string(line) + "\n", {"text"});
    EXPECT_EQ(outcome.status.to_string(), "Invalid: line 3: invalid UTF-8") << line;
  }
}

TEST(JsonlReader, MissingFileIsAnIOErrorNamingThePath) {
  Result<std::unique_ptr<BatchReader>> reader =
      open_jsonl("/nonexistent/dir/input.jsonl", {"text"}, 10);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().to_string(),
            "IOError: cannot open '/nonexistent/dir/input.jsonl': No such file or directory");
}

TEST(JsonlReader, ADirectoryIsAnIOErrorWhenRead) {
  Result<std::unique_ptr<BatchReader>> reader = open_jsonl(testing::TempDir(), {"text"}, 10);
  ASSERT_TRUE(reader.ok());
  Result<std::optional<Batch>> batch = (*reader)->next();
  EXPECT_EQ(batch.status().code(), StatusCode::kIOError);
  EXPECT_TRUE(batch.status().message().starts_with("error reading '" + testing::TempDir()))
      << batch.status().to_string();
}

TEST(JsonlReader, RejectsBadOptions) {
  EXPECT_EQ(open_jsonl("x.jsonl", {"text"}, 0).status().to_string(),
            "Invalid: batch_rows must be positive, got 0");
  EXPECT_EQ(open_jsonl("x.jsonl", {"text", "id", "text"}, 5).status().to_string(),
            "Invalid: column 'text' is requested twice");
}

TEST(JsonlReader, StreamsThroughTheArrowStreamInterface) {
  const std::string path = write_file("{\"text\": \"a\"}\n{\"text\": 1}\n");
  Result<std::unique_ptr<BatchReader>> reader = open_jsonl(path, {"text"}, 1);
  ASSERT_TRUE(reader.ok());
  ArrowArrayStream stream;
  export_batch_stream(std::move(reader).value(), &stream);

  ArrowSchema schema;
  ASSERT_EQ(stream.get_schema(&stream, &schema), 0);
  EXPECT_EQ(internal::arrow_type_name(schema), "struct<text: large_utf8>");
  internal::release_struct(&schema);

  ArrowArray array;
  ASSERT_EQ(stream.get_next(&stream, &array), 0);
  EXPECT_EQ(array.length, 1);
  internal::release_struct(&array);
  EXPECT_EQ(stream.get_next(&stream, &array), EINVAL);
  EXPECT_STREQ(stream.get_last_error(&stream),
               "line 2: field 'text' is a number; expected a string");
  stream.release(&stream);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace parafeat
