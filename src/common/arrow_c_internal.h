// Private helpers for producing and consuming Arrow C Data Interface structs without Arrow C++.
//
// Producing: export_array takes an array's buffers (vectors, strings, anything that owns memory,
// wrapped in OwnedBuffer) and its children, export_schema a format, name and children; they return
// ArrowArray / ArrowSchema structs whose release callback frees exactly that C++-owned memory.
// Released structs have release == nullptr; a parent's release releases those of its children that
// the consumer has not moved out.
//
// Consuming: UniqueArray / UniqueSchema own one struct each and release it when destroyed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/check.h"
#include "parafeat/arrow_c_abi.h"
#include "parafeat/batch.h"
#include "parafeat/status.h"

namespace parafeat::internal {

/// Releases an ArrowArray, ArrowSchema or ArrowArrayStream unless it is already released.
template <typename ArrowStruct>
void release_struct(ArrowStruct* s) {
  if (s->release != nullptr) {
    s->release(s);
    PARAFEAT_DCHECK(s->release == nullptr);
  }
}

/// Moves `*src` into `*dst` and marks `src` released. `*dst` is overwritten: it must not own
/// anything (released, or uninitialised memory from a consumer).
template <typename ArrowStruct>
void move_struct(ArrowStruct* src, ArrowStruct* dst) {
  *dst = *src;
  src->release = nullptr;
}

/// Owns one ArrowArray, ArrowSchema or ArrowArrayStream and releases it when destroyed. Moving
/// transfers the struct.
template <typename ArrowStruct>
class UniqueStruct {
 public:
  UniqueStruct() = default;
  /// Takes ownership of `*s`, which is marked released.
  explicit UniqueStruct(ArrowStruct* s) { move_struct(s, &struct_); }
  ~UniqueStruct() { release_struct(&struct_); }
  UniqueStruct(UniqueStruct&& other) noexcept { move_struct(&other.struct_, &struct_); }
  UniqueStruct& operator=(UniqueStruct&& other) noexcept {
    if (this != &other) {
      release_struct(&struct_);
      move_struct(&other.struct_, &struct_);
    }
    return *this;
  }
  UniqueStruct(const UniqueStruct&) = delete;
  UniqueStruct& operator=(const UniqueStruct&) = delete;

  ArrowStruct* get() { return &struct_; }
  const ArrowStruct* get() const { return &struct_; }
  ArrowStruct* operator->() { return &struct_; }
  const ArrowStruct* operator->() const { return &struct_; }
  bool released() const { return struct_.release == nullptr; }

 private:
  ArrowStruct struct_{};
};

using UniqueArray = UniqueStruct<ArrowArray>;
using UniqueSchema = UniqueStruct<ArrowSchema>;

/// The memory behind one Arrow buffer: a pointer and shared ownership of whatever holds it, so
/// several arrays may point at one buffer. A default-constructed OwnedBuffer is absent and
/// exports as a NULL pointer (used for validity bitmaps of arrays without nulls).
class OwnedBuffer {
 public:
  OwnedBuffer() = default;

  /// Takes over a contiguous container (std::vector, std::string) without copying its elements.
  /// An empty container yields a valid pointer to zeroed static memory rather than NULL, since
  /// only validity buffers may be NULL for consumers.
  template <typename Container>
  static OwnedBuffer adopt(Container&& container) {
    auto holder = std::make_shared<std::decay_t<Container>>(std::forward<Container>(container));
    const void* data = holder->empty() ? empty_data() : static_cast<const void*>(holder->data());
    return OwnedBuffer(std::move(holder), data);
  }

  const void* data() const { return data_; }

 private:
  OwnedBuffer(std::shared_ptr<const void> owner, const void* data)
      : owner_(std::move(owner)), data_(data) {}
  /// 64 zeroed, 64-byte-aligned bytes that empty buffers point at.
  static const void* empty_data();

  std::shared_ptr<const void> owner_;
  const void* data_ = nullptr;
};

/// Makes an ArrowArray of `length` rows (and offset 0) that owns `buffers` (in Arrow layout order)
/// and `children`. Its release callback drops its references to the buffers, freeing those it held
/// last, and releases the children the consumer has not moved out.
UniqueArray export_array(std::int64_t length, std::vector<OwnedBuffer> buffers,
                         std::vector<UniqueArray> children = {}, std::int64_t null_count = 0);
/// Makes an ArrowSchema that owns its format, name and `children`. Fields are nullable by default,
/// as in pyarrow.
UniqueSchema export_schema(std::string format, std::string name,
                           std::vector<UniqueSchema> children = {},
                           std::int64_t flags = ARROW_FLAG_NULLABLE);

/// A column on its way into a batch: its schema (carrying the column name) and its data.
struct ColumnArrays {
  UniqueSchema schema;
  UniqueArray array;
};

/// Assembles a batch of `num_rows` rows from columns of that length.
Result<Batch> assemble_batch(std::int64_t num_rows, std::vector<ColumnArrays> columns);

/// make_feature_batch with the list layout threshold exposed: a column with more than
/// `max_list_values` values uses large lists ("+L", int64 offsets, the CSR indptr moved in as is).
/// make_feature_batch passes INT32_MAX, the most a list ("+l", int32 offsets) can address; tests
/// pass small limits to exercise the large layout.
Result<Batch> make_feature_batch(std::vector<FeatureColumn> columns, std::int64_t max_list_values);

/// The schema of a batch of large_utf8 columns with the given names, as readers of text formats
/// produce it.
UniqueSchema string_batch_schema(const std::vector<std::string>& names);

/// A readable name of the Arrow type `schema` describes ("int64", "large_utf8",
/// "list<int32>", "dictionary<values=utf8, indices=int32>", ...). Unknown formats are named by
/// their format string.
std::string arrow_type_name(const ArrowSchema& schema);

/// True when both schemas have the same format, name and children, recursively (flags and
/// metadata are not compared).
bool same_schema(const ArrowSchema& a, const ArrowSchema& b);

/// Appends strings to a large_utf8 column's offsets, data and validity buffers, which finish()
/// then hands to an ArrowArray without copying.
class StringColumnBuilder {
 public:
  StringColumnBuilder() = default;

  /// Reserves room for `rows` more rows and `bytes` more data bytes.
  void reserve(std::int64_t rows, std::int64_t bytes);
  void append(std::string_view value);
  void append_null();

  std::int64_t length() const { return static_cast<std::int64_t>(offsets_.size()) - 1; }
  std::int64_t null_count() const { return null_count_; }
  std::int64_t data_bytes() const { return static_cast<std::int64_t>(data_.size()); }

  /// Moves the rows appended so far into a large_utf8 array named `name`; the builder is empty
  /// afterwards and can be reused.
  ColumnArrays finish(std::string name);

 private:
  void append_validity(bool valid);

  std::vector<std::int64_t> offsets_{0};
  std::string data_;
  std::vector<std::uint8_t> validity_;  // Empty until the first null.
  std::int64_t null_count_ = 0;
};

}  // namespace parafeat::internal
