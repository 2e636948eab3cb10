// Borrowed views of input columns. A view points into memory someone else owns (an imported Arrow
// array, a Python buffer) and is cheap to copy.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace parafeat {

/// A half-open range of row indices [begin, end).
struct RowRange {
  std::int64_t begin = 0;
  std::int64_t end = 0;
  std::int64_t size() const { return end - begin; }
};

/// What is known of a string column's text beyond its bytes.
enum class TextForm : std::uint8_t {
  kAsGiven,      ///< The documents as given: UTF-8 not yet checked, nothing applied.
  kPythonLower,  ///< Valid UTF-8 that is Python's str.lower() of each document already.
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
  /// What is known of the text (TextForm::kAsGiven unless the column's maker says more).
  TextForm text_form() const { return text_form_; }
  /// This column, its text known to be in `form`.
  StringColumn with_text_form(TextForm form) const {
    StringColumn column = *this;
    column.text_form_ = form;
    return column;
  }
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
  /// The bytes of all rows together.
  std::int64_t data_bytes() const {
    if (length_ == 0) return 0;
    const std::int64_t first = row_offset_;
    const std::int64_t last = row_offset_ + length_;
    return offsets64_ ? offsets64_[last] - offsets64_[first]
                      : std::int64_t{offsets32_[last]} - offsets32_[first];
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
  TextForm text_form_ = TextForm::kAsGiven;
};

/// The element type of a SeriesColumn's values.
enum class SeriesValueType : std::uint8_t { kFloat64, kFloat32, kInt64, kInt32 };

/// A column of numeric series, one per row, in the Arrow `list` (32-bit offsets) or `large_list`
/// (64-bit offsets) layout over a float64, float32, int64 or int32 child: row i holds values
/// [offsets[i], offsets[i + 1]) of the child. `validity` marks null rows, `value_validity` null
/// values inside a series; either may be null (no nulls).
class SeriesColumn {
 public:
  /// The child array's values: its data buffer, element type, validity and Arrow offset.
  struct Values {
    const void* data = nullptr;
    SeriesValueType type = SeriesValueType::kFloat64;
    const std::uint8_t* validity = nullptr;
    std::int64_t offset = 0;
  };

  SeriesColumn() = default;
  /// A view of an Arrow `list` array; `row_offset` is the list array's Arrow offset.
  static SeriesColumn with_offsets32(const std::int32_t* offsets, Values values,
                                     const std::uint8_t* validity, std::int64_t length,
                                     std::int64_t row_offset = 0) {
    return {offsets, nullptr, values, validity, length, row_offset};
  }
  /// A view of an Arrow `large_list` array; `row_offset` is the list array's Arrow offset.
  static SeriesColumn with_offsets64(const std::int64_t* offsets, Values values,
                                     const std::uint8_t* validity, std::int64_t length,
                                     std::int64_t row_offset = 0) {
    return {nullptr, offsets, values, validity, length, row_offset};
  }

  std::int64_t length() const { return length_; }
  /// The rows `rows` of this column as a column of their own (row rows.begin becomes row 0).
  SeriesColumn slice(RowRange rows) const {
    SeriesColumn part = *this;
    part.row_offset_ += rows.begin;
    part.length_ = rows.size();
    return part;
  }
  /// True when row i is null (no series at all).
  bool is_null(std::int64_t i) const { return bit_unset(validity_, i + row_offset_); }
  /// The number of values of row i.
  std::int64_t size(std::int64_t i) const { return end(i) - begin(i); }
  /// True when some value of row i is null.
  bool has_null_value(std::int64_t i) const {
    if (values_.validity == nullptr) return false;
    for (std::int64_t k = begin(i); k < end(i); ++k) {
      if (bit_unset(values_.validity, k + values_.offset)) return true;
    }
    return false;
  }
  /// True when value k of row i (counted from the row's first value) is null.
  bool is_null_value(std::int64_t i, std::int64_t k) const {
    return bit_unset(values_.validity, begin(i) + k + values_.offset);
  }
  /// The values of row i as doubles: a view into the column when it holds float64, otherwise
  /// converted into `scratch` (and valid until `scratch` changes).
  std::span<const double> values(std::int64_t i, std::vector<double>& scratch) const {
    const std::int64_t first = begin(i) + values_.offset;
    const auto count = static_cast<std::size_t>(end(i) - begin(i));
    switch (values_.type) {
      case SeriesValueType::kFloat64:
        return {static_cast<const double*>(values_.data) + first, count};
      case SeriesValueType::kFloat32: return convert<float>(first, count, scratch);
      case SeriesValueType::kInt64: return convert<std::int64_t>(first, count, scratch);
      case SeriesValueType::kInt32: return convert<std::int32_t>(first, count, scratch);
    }
    return {};
  }

 private:
  SeriesColumn(const std::int32_t* offsets32, const std::int64_t* offsets64, Values values,
               const std::uint8_t* validity, std::int64_t length, std::int64_t row_offset)
      : offsets32_(offsets32),
        offsets64_(offsets64),
        values_(values),
        validity_(validity),
        length_(length),
        row_offset_(row_offset) {}

  static bool bit_unset(const std::uint8_t* bitmap, std::int64_t bit) {
    return bitmap != nullptr && ((bitmap[bit >> 3] >> (bit & 7)) & 1) == 0;
  }
  std::int64_t begin(std::int64_t i) const {
    const std::int64_t k = i + row_offset_;
    return offsets64_ ? offsets64_[k] : offsets32_[k];
  }
  std::int64_t end(std::int64_t i) const { return begin(i + 1); }
  template <typename T>
  std::span<const double> convert(std::int64_t first, std::size_t count,
                                  std::vector<double>& scratch) const {
    const T* data = static_cast<const T*>(values_.data) + first;
    scratch.assign(data, data + count);
    return scratch;
  }

  const std::int32_t* offsets32_ = nullptr;
  const std::int64_t* offsets64_ = nullptr;
  Values values_;
  const std::uint8_t* validity_ = nullptr;
  std::int64_t length_ = 0;
  std::int64_t row_offset_ = 0;
};

}  // namespace parafeat
