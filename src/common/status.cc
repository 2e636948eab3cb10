#include "parafeat/status.h"

namespace parafeat {

const char* status_code_name(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalid: return "Invalid";
    case StatusCode::kTypeError: return "TypeError";
    case StatusCode::kKeyError: return "KeyError";
    case StatusCode::kIOError: return "IOError";
    case StatusCode::kCancelled: return "Cancelled";
    case StatusCode::kNotImplemented: return "NotImplemented";
    case StatusCode::kInternal: return "Internal";
  }
  return "Unknown";
}

Status::Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

Status Status::with_row(std::int64_t row) const {
  if (ok() || row_.has_value()) return *this;
  Status result(code_, "row " + std::to_string(row) + ": " + message_);
  result.row_ = row;
  return result;
}

Status Status::with_context(const std::string& context) const {
  if (ok()) return *this;
  Status result(code_, context + ": " + message_);
  result.row_ = row_;
  return result;
}

std::string Status::to_string() const {
  if (ok()) return "OK";
  return std::string(status_code_name(code_)) + ": " + message_;
}

}  // namespace parafeat
