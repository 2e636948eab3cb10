#include "common/csr_matrix.h"

#include <limits>

namespace parafeat {
namespace {

std::size_t value_bytes(FeatureDType dtype) {
  switch (dtype) {
    case FeatureDType::kFloat32:
    case FeatureDType::kInt32: return 4;
    case FeatureDType::kFloat64:
    case FeatureDType::kInt64: break;
  }
  return 8;
}

}  // namespace

bool CsrMatrix::needs_wide_index(std::int64_t num_values) {
  return num_values > std::numeric_limits<std::int32_t>::max();
}

CsrMatrix CsrMatrix::allocate(std::int64_t num_rows, std::int64_t num_columns,
                              std::int64_t num_values, FeatureDType dtype) {
  CsrMatrix matrix;
  matrix.num_rows = num_rows;
  matrix.num_columns = num_columns;
  matrix.num_values = num_values;
  matrix.dtype = dtype;
  matrix.wide_index = needs_wide_index(num_values);
  const std::size_t index_bytes = matrix.wide_index ? 8 : 4;
  const auto values = static_cast<std::size_t>(num_values);
  matrix.data = RawBuffer(values * value_bytes(dtype));
  matrix.indices = RawBuffer(values * index_bytes);
  matrix.indptr = RawBuffer((static_cast<std::size_t>(num_rows) + 1) * index_bytes);
  return matrix;
}

}  // namespace parafeat
