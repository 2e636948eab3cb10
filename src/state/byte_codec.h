// Little-endian binary encoding for state files: a writer that appends fixed-width integers,
// doubles and length-prefixed strings, and a reader that reads them back and reports truncation
// as an error naming what it was reading, never reading past the end.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "parafeat/status.h"

namespace parafeat::state {

class ByteWriter {
 public:
  void u32(std::uint32_t value) { fixed(value); }
  void u64(std::uint64_t value) { fixed(value); }
  void i64(std::int64_t value) { fixed(static_cast<std::uint64_t>(value)); }
  void f64(double value) { fixed(std::bit_cast<std::uint64_t>(value)); }
  /// A length (u64) then the bytes.
  void bytes(std::string_view value) {
    u64(value.size());
    out_.append(value);
  }

  const std::string& data() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  template <typename U>
  void fixed(U value) {
    for (std::size_t i = 0; i < sizeof(U); ++i) {
      out_.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
    }
  }

  std::string out_;
};

class ByteReader {
 public:
  /// Reads `data`; errors say "<owner>: truncated ..." with the field being read.
  ByteReader(std::string_view data, std::string owner) : data_(data), owner_(std::move(owner)) {}

  Result<std::uint32_t> u32(std::string_view field) { return fixed<std::uint32_t>(field); }
  Result<std::uint64_t> u64(std::string_view field) { return fixed<std::uint64_t>(field); }
  Result<std::int64_t> i64(std::string_view field) {
    PARAFEAT_ASSIGN_OR_RAISE(std::uint64_t bits, fixed<std::uint64_t>(field));
    return static_cast<std::int64_t>(bits);
  }
  Result<double> f64(std::string_view field) {
    PARAFEAT_ASSIGN_OR_RAISE(std::uint64_t bits, fixed<std::uint64_t>(field));
    return std::bit_cast<double>(bits);
  }
  /// A length-prefixed byte string, as a view into the data being read.
  Result<std::string_view> bytes(std::string_view field) {
    PARAFEAT_ASSIGN_OR_RAISE(std::uint64_t size, u64(field));
    if (size > remaining()) return truncated(field);
    std::string_view value = data_.substr(position_, size);
    position_ += size;
    return value;
  }

  std::size_t position() const { return position_; }
  std::size_t remaining() const { return data_.size() - position_; }

  /// An Invalid status about the data at the current position.
  Status invalid(std::string_view what) const {
    return Status::Invalid(owner_ + ": " + std::string(what) + " (at byte " +
                           std::to_string(position_) + ")");
  }

 private:
  Status truncated(std::string_view field) const {
    return invalid("truncated while reading " + std::string(field));
  }

  template <typename U>
  Result<U> fixed(std::string_view field) {
    if (remaining() < sizeof(U)) return truncated(field);
    U value = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) {
      value |= static_cast<U>(static_cast<unsigned char>(data_[position_ + i])) << (8 * i);
    }
    position_ += sizeof(U);
    return value;
  }

  std::string_view data_;
  std::string owner_;
  std::size_t position_ = 0;
};

}  // namespace parafeat::state
