#include "numpy_arrays.h"

#include <cstddef>

namespace nb = nanobind;

namespace parafeat::python {
namespace {

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

}  // namespace parafeat::python
