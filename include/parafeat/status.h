// Status and Result<T>: how parafeat reports errors without exceptions.
//
// Core code returns Status (no value) or Result<T> (a value or an error). Bindings and the CLI
// turn a failed Status into an exception or an exit code at the edge.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace parafeat {

/// What kind of failure a Status reports; bindings map each code to an exception type.
enum class StatusCode : std::uint8_t {
  kOk = 0,
  kInvalid,         ///< Bad user input or parameters (ValueError in Python).
  kTypeError,       ///< A value of the wrong type (TypeError in Python).
  kKeyError,        ///< A missing column, key or registry name.
  kIOError,         ///< A file or stream could not be read or written.
  kCancelled,       ///< The caller cancelled the work.
  kNotImplemented,  ///< A valid request parafeat does not support (yet).
  kInternal,        ///< A broken invariant: a parafeat bug.
};

/// Returns the code's name, e.g. "Invalid".
const char* status_code_name(StatusCode code);

/// The outcome of an operation: OK, or an error code with a message a user can act on.
/// Errors about one input row also carry that row's index.
class [[nodiscard]] Status {
 public:
  /// An OK status.
  Status() = default;
  Status(StatusCode code, std::string message);

  static Status OK() { return {}; }
  static Status Invalid(std::string message) { return {StatusCode::kInvalid, std::move(message)}; }
  static Status TypeError(std::string message) {
    return {StatusCode::kTypeError, std::move(message)};
  }
  static Status KeyError(std::string message) {
    return {StatusCode::kKeyError, std::move(message)};
  }
  static Status IOError(std::string message) { return {StatusCode::kIOError, std::move(message)}; }
  static Status Cancelled(std::string message) {
    return {StatusCode::kCancelled, std::move(message)};
  }
  static Status NotImplemented(std::string message) {
    return {StatusCode::kNotImplemented, std::move(message)};
  }
  static Status Internal(std::string message) {
    return {StatusCode::kInternal, std::move(message)};
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  /// The full message: "context: row N: detail" (context and row when present).
  std::string message() const;
  /// The message without context and row.
  const std::string& detail() const { return detail_; }
  /// The input row the error is about, when it is about one row.
  std::optional<std::int64_t> row() const { return row_; }

  /// Returns this error about input row `row`. An OK status stays OK; a status that already
  /// names a row is returned unchanged (the innermost row is the true one).
  Status with_row(std::int64_t row) const;
  /// Returns this error with its row (if any) shifted by `offset`: for work on a slice of a
  /// larger input that starts at row `offset`.
  Status with_row_offset(std::int64_t offset) const;
  /// Returns this error with `context` put before its message ("context: message").
  Status with_context(const std::string& context) const;

  /// "Invalid: row 3: expected a string, got null" (or "OK").
  std::string to_string() const;

  friend bool operator==(const Status& a, const Status& b) = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string context_;  // outermost first, each followed by ": "
  std::string detail_;
  std::optional<std::int64_t> row_;
};

/// A value of type T, or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : storage_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : storage_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (std::get<Status>(storage_).ok()) {
      storage_ = Status::Internal("Result constructed from an OK Status without a value");
    }
  }

  bool ok() const { return std::holds_alternative<T>(storage_); }
  /// The error, or OK when there is a value.
  Status status() const { return ok() ? Status::OK() : std::get<Status>(storage_); }

  /// The value; only valid when ok().
  const T& value() const& { return std::get<T>(storage_); }
  T& value() & { return std::get<T>(storage_); }
  T&& value() && { return std::get<T>(std::move(storage_)); }
  /// Moves the value out; only valid when ok().
  T move_value() { return std::get<T>(std::move(storage_)); }

  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> storage_;
};

}  // namespace parafeat

#define PARAFEAT_CONCAT_INNER(a, b) a##b
#define PARAFEAT_CONCAT(a, b) PARAFEAT_CONCAT_INNER(a, b)

/// Returns from the enclosing function when `expr` (a Status) is not OK.
#define PARAFEAT_RETURN_NOT_OK(expr)                     \
  do {                                                   \
    ::parafeat::Status _parafeat_status = (expr);        \
    if (!_parafeat_status.ok()) return _parafeat_status; \
  } while (false)

// `lhs` is a declaration or an lvalue, so it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define PARAFEAT_ASSIGN_OR_RAISE_IMPL(result_name, lhs, rexpr) \
  auto result_name = (rexpr);                                  \
  if (!result_name.ok()) return result_name.status();          \
  lhs = std::move(result_name).value()
// NOLINTEND(bugprone-macro-parentheses)

/// Evaluates `rexpr` (a Result<T>); on error returns its Status, else moves the value into `lhs`.
#define PARAFEAT_ASSIGN_OR_RAISE(lhs, rexpr) \
  PARAFEAT_ASSIGN_OR_RAISE_IMPL(PARAFEAT_CONCAT(_parafeat_result_, __LINE__), lhs, rexpr)
