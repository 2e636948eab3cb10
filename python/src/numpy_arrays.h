// Engine vectors handed to numpy without copies, and feature rows as scipy CSR arrays.
#pragma once

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

#include <cstdint>
#include <vector>

#include "common/csr_matrix.h"
#include "parafeat/features.h"

namespace parafeat::python {

/// A 1-d numpy array that takes ownership of `values`.
template <typename T>
nanobind::object to_numpy(std::vector<T> values) {
  auto* owned = new std::vector<T>(std::move(values));
  nanobind::capsule owner(owned, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
  return nanobind::cast(nanobind::ndarray<nanobind::numpy, T, nanobind::ndim<1>>(
      owned->data(), {owned->size()}, owner));
}

/// (data, indices, indptr) arrays for a scipy.sparse CSR matrix of `rows`: data of `dtype`
/// (kernels store values `dtype` holds exactly), indices and indptr with scikit-learn's index
/// dtype (int32 unless there are too many values for it).
nanobind::tuple csr_arrays(SparseRows rows, FeatureDType dtype);

/// (data, indices, indptr) arrays that take ownership of `matrix`'s arrays, without copies.
nanobind::tuple csr_arrays(CsrMatrix matrix);

}  // namespace parafeat::python
