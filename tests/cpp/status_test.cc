#include "parafeat/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace parafeat {
namespace {

TEST(Status, DefaultIsOk) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.to_string(), "OK");
  EXPECT_FALSE(status.row().has_value());
}

TEST(Status, ErrorCarriesCodeAndMessage) {
  Status status = Status::Invalid("n_features must be positive, got 0");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalid);
  EXPECT_EQ(status.to_string(), "Invalid: n_features must be positive, got 0");
}

TEST(Status, WithRowNamesTheRowOnce) {
  Status status = Status::TypeError("expected a string, got null").with_row(1841);
  EXPECT_EQ(status.row(), 1841);
  EXPECT_EQ(status.message(), "row 1841: expected a string, got null");
  // A status that already names its row keeps it: the innermost row is the true one.
  EXPECT_EQ(status.with_row(7), status);
}

TEST(Status, WithRowLeavesOkAlone) {
  EXPECT_TRUE(Status::OK().with_row(3).ok());
}

TEST(Status, WithRowOffsetRebasesTheRowOfASlice) {
  Status status =
      Status::TypeError("expected a string, got null").with_row(5).with_row_offset(1000);
  EXPECT_EQ(status.row(), 1005);
  EXPECT_EQ(status.message(), "row 1005: expected a string, got null");
  EXPECT_EQ(status.detail(), "expected a string, got null");
}

TEST(Status, WithContextKeepsRowAndCode) {
  Status status = Status::TypeError("expected a string").with_row(2).with_context("column 'text'");
  status = status.with_context("extractor 'hash'");
  EXPECT_EQ(status.code(), StatusCode::kTypeError);
  EXPECT_EQ(status.row(), 2);
  EXPECT_EQ(status.message(), "extractor 'hash': column 'text': row 2: expected a string");
}

Result<int> parse_positive(int v) {
  if (v <= 0) return Status::Invalid("expected a positive number, got " + std::to_string(v));
  return v;
}

Result<int> doubled_positive(int v) {
  PARAFEAT_ASSIGN_OR_RAISE(int parsed, parse_positive(v));
  return parsed * 2;
}

Status check_positive(int v) {
  PARAFEAT_RETURN_NOT_OK(parse_positive(v).status());
  return Status::OK();
}

TEST(Result, HoldsValue) {
  Result<int> result = doubled_positive(21);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 42);
  EXPECT_TRUE(result.status().ok());
}

TEST(Result, AssignOrRaisePropagatesError) {
  Result<int> result = doubled_positive(-1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(), "expected a positive number, got -1");
}

TEST(Result, ReturnNotOkPropagatesError) {
  EXPECT_TRUE(check_positive(1).ok());
  EXPECT_EQ(check_positive(0).code(), StatusCode::kInvalid);
}

TEST(Result, FromOkStatusIsAnInternalError) {
  Result<int> result{Status::OK()};
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInternal);
}

TEST(Result, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> result = std::make_unique<int>(5);
  std::unique_ptr<int> value = result.move_value();
  EXPECT_EQ(*value, 5);
}

}  // namespace
}  // namespace parafeat
