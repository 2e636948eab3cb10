// Borrowed views of input columns. A view points into memory someone else owns (an imported Arrow
// array, a Python buffer) and is cheap to copy.
#pragma once

#include <cstdint>
#include <string_view>

namespace parafeat {

/// A half-open range of row indices [begin, end).
struct RowRange {
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::int64_t size() const { return end - begin; }
};

/// A column of UTF-8 strings in the Arrow `utf8` (32-bit offsets) or `large_utf8` (64-bit
/// offsets) layout: value i is data[offsets[i], offsets[i + 1]); bit i of `validity`
/// (least-significant bit first) is 0 for a null. `validity` may be null: no nulls.
class StringColumn {
 public:
  StringColumn() = default;
  /// A view of an Arrow `utf8` array; `row_offset` is the Arrow array offset.
  static StringColumn with_offsets32(const char* data, const std::int32_t* offsets,
                                     const std::uint8_t* validity, std::int64_t length,
                                     std::int64_t row_offset = 0) {
    return {data, offsets, nullptr, validity, length, row_offset};
  }
  /// A view of an Arrow `large_utf8` array; `row_offset` is the Arrow array offset.
  static StringColumn with_offsets64(const char* data, const std::int64_t* offsets,
                                     const std::uint8_t* validity, std::int64_t length,
                                     std::int64_t row_offset = 0) {
    return {data, nullptr, offsets, validity, length, row_offset};
  }

  std::int64_t length() const { return length_; }
  /// The rows `rows` of this column as a column of their own (row rows.begin becomes row 0).
  StringColumn slice(RowRange rows) const {
    StringColumn part = *this;
    part.row_offset_ += rows.begin;
    part.length_ = rows.size();
    return part;
  }
  /// True when row i is null.
  bool is_null(std::int64_t i) const {
    if (validity_ == nullptr) return false;
    const std::int64_t bit = i + row_offset_;
    return ((validity_[bit >> 3] >> (bit & 7)) & 1) == 0;
  }
  /// The bytes of row i (empty for a null row).
  std::string_view value(std::int64_t i) const {
    const std::int64_t k = i + row_offset_;
    const std::int64_t begin = offsets64_ ? offsets64_[k] : offsets32_[k];
    const std::int64_t end = offsets64_ ? offsets64_[k + 1] : offsets32_[k + 1];
    return {data_ + begin, static_cast<std::size_t>(end - begin)};
  }

 private:
  StringColumn(const char* data, const std::int32_t* offsets32, const std::int64_t* offsets64,
               const std::uint8_t* validity, std::int64_t length, std::int64_t row_offset)
      : data_(data),
        offsets32_(offsets32),
        offsets64_(offsets64),
        validity_(validity),
        length_(length),
        row_offset_(row_offset) {}

  const char* data_ = nullptr;
  const std::int32_t* offsets32_ = nullptr;
  const std::int64_t* offsets64_ = nullptr;
  const std::uint8_t* validity_ = nullptr;
  std::int64_t length_ = 0;
  std::int64_t row_offset_ = 0;
};

}  // namespace parafeat
