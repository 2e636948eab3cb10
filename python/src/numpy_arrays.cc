#include "numpy_arrays.h"

namespace nb = nanobind;

namespace parafeat::python {
namespace {

template <typename To, typename From>
std::vector<To> convert_vector(const std::vector<From>& values) {
  return std::vector<To>(values.begin(), values.end());
}

nb::object values_to_numpy(std::vector<double> values, FeatureDType dtype) {
  switch (dtype) {
    case FeatureDType::kFloat32: return to_numpy(convert_vector<float>(values));
    case FeatureDType::kInt64: return to_numpy(convert_vector<std::int64_t>(values));
    case FeatureDType::kInt32: return to_numpy(convert_vector<std::int32_t>(values));
    case FeatureDType::kFloat64: break;
  }
  return to_numpy(std::move(values));
}

// A 1-d numpy array of T that takes ownership of `buffer`.
template <typename T>
nb::object buffer_to_numpy(RawBuffer& buffer) {
  const std::size_t size = buffer.size() / sizeof(T);
  std::byte* bytes = buffer.release();
  nb::capsule owner(bytes, [](void* p) noexcept { delete[] static_cast<std::byte*>(p); });
  return nb::cast(
      nb::ndarray<nb::numpy, T, nb::ndim<1>>(reinterpret_cast<T*>(bytes), {size}, owner));
}

}  // namespace

nb::tuple csr_arrays(CsrMatrix matrix) {
  return matrix.visit([&](auto data, auto indices, auto) {
    using Value = typename decltype(data)::element_type;
    using Index = typename decltype(indices)::element_type;
    nb::object data_array = buffer_to_numpy<Value>(matrix.data);
    nb::object indices_array = buffer_to_numpy<Index>(matrix.indices);
    nb::object indptr_array = buffer_to_numpy<Index>(matrix.indptr);
    return nb::make_tuple(data_array, indices_array, indptr_array);
  });
}

nb::tuple csr_arrays(SparseRows rows, FeatureDType dtype) {
  nb::object data = values_to_numpy(std::move(rows.values), dtype);
  const bool wide = CsrMatrix::needs_wide_index(rows.num_values());
  nb::object indices = wide ? to_numpy(convert_vector<std::int64_t>(rows.indices))
                            : to_numpy(std::move(rows.indices));
  nb::object indptr =
      wide ? to_numpy(std::move(rows.indptr)) : to_numpy(convert_vector<std::int32_t>(rows.indptr));
  return nb::make_tuple(data, indices, indptr);
}

}  // namespace parafeat::python
