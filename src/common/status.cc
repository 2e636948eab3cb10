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

Status::Status(StatusCode code, std::string message) : code_(code), detail_(std::move(message)) {}

std::string Status::message() const {
  std::string text = context_;
  if (row_) text.append("row ").append(std::to_string(*row_)).append(": ");
  return text.append(detail_);
}

Status Status::with_row(std::int64_t row) const {
  Status result = *this;
  if (!ok() && !row_.has_value()) result.row_ = row;
  return result;
}

Status Status::with_row_offset(std::int64_t offset) const {
  Status result = *this;
  if (result.row_) *result.row_ += offset;
  return result;
}

Status Status::with_context(const std::string& context) const {
  Status result = *this;
  if (!ok()) result.context_.insert(0, context + ": ");
  return result;
}

std::string Status::to_string() const {
  if (ok()) return "OK";
  return std::string(status_code_name(code_)) + ": " + message();
}

}  // namespace parafeat
