// CsrMatrix: the three arrays of a CSR matrix in the types numpy will hold them in (data of the
// output dtype, indices and indptr of scikit-learn's index type), allocated once at their final
// size and left uninitialised, so that the threads writing disjoint parts of them are the first
// to touch their pages. What a large result is built in when it goes to Python without copies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>

#include "parafeat/features.h"

namespace parafeat {

/// An uninitialised array of `size` bytes, aligned for any scalar type.
class RawBuffer {
 public:
  RawBuffer() = default;
  explicit RawBuffer(std::size_t size)
      : bytes_(std::make_unique_for_overwrite<std::byte[]>(size)), size_(size) {}

  std::byte* data() { return bytes_.get(); }
  const std::byte* data() const { return bytes_.get(); }
  std::size_t size() const { return size_; }
  /// Gives up ownership (to a numpy array's owner); the caller frees it with delete[].
  std::byte* release() { return bytes_.release(); }

 private:
  std::unique_ptr<std::byte[]> bytes_;
  std::size_t size_ = 0;
};

/// A CSR matrix of `num_rows` rows and `num_values` stored values whose arrays are written in
/// place: data of `dtype`; indices and indptr of int32, or int64 when there are more values
/// than int32 can index (scikit-learn's choice).
struct CsrMatrix {
  std::int64_t num_rows = 0;
  std::int64_t num_columns = 0;
  std::int64_t num_values = 0;
  FeatureDType dtype = FeatureDType::kFloat64;
  bool wide_index = false;  ///< indices and indptr are int64 (else int32)
  RawBuffer data;
  RawBuffer indices;
  RawBuffer indptr;

  /// Whether a matrix of `num_values` values needs int64 indices and indptr: more values than
  /// int32 can index (scikit-learn's rule).
  static bool needs_wide_index(std::int64_t num_values);

  /// The arrays for the given shape, uninitialised.
  static CsrMatrix allocate(std::int64_t num_rows, std::int64_t num_columns,
                            std::int64_t num_values, FeatureDType dtype);

  /// Calls fn(data, indices, indptr) with the arrays as typed spans.
  template <typename Fn>
  decltype(auto) visit(Fn&& fn) {
    return wide_index ? visit_index<std::int64_t>(std::forward<Fn>(fn))
                      : visit_index<std::int32_t>(std::forward<Fn>(fn));
  }

 private:
  template <typename T>
  static std::span<T> typed(RawBuffer& buffer) {
    return {reinterpret_cast<T*>(buffer.data()), buffer.size() / sizeof(T)};
  }

  template <typename Index, typename Fn>
  decltype(auto) visit_index(Fn&& fn) {
    const auto call = [&]<typename Value>() {
      return fn(typed<Value>(data), typed<Index>(indices), typed<Index>(indptr));
    };
    switch (dtype) {
      case FeatureDType::kFloat32: return call.template operator()<float>();
      case FeatureDType::kInt64: return call.template operator()<std::int64_t>();
      case FeatureDType::kInt32: return call.template operator()<std::int32_t>();
      case FeatureDType::kFloat64: break;
    }
    return call.template operator()<double>();
  }
};

}  // namespace parafeat
