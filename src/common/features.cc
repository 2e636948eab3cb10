#include "parafeat/features.h"

#include "common/check.h"

namespace parafeat {

std::string_view dtype_name(FeatureDType dtype) {
  switch (dtype) {
    case FeatureDType::kFloat64: return "float64";
    case FeatureDType::kFloat32: return "float32";
    case FeatureDType::kInt64: return "int64";
    case FeatureDType::kInt32: return "int32";
  }
  PARAFEAT_DCHECK(false);
  return "float64";
}

std::optional<FeatureDType> dtype_from_name(std::string_view name) {
  for (FeatureDType dtype : {FeatureDType::kFloat64, FeatureDType::kFloat32, FeatureDType::kInt64,
                             FeatureDType::kInt32}) {
    if (dtype_name(dtype) == name) return dtype;
  }
  return std::nullopt;
}

void SparseRows::append_rows(const SparseRows& other) {
  PARAFEAT_DCHECK(other.num_columns == num_columns);
  const std::int64_t base = static_cast<std::int64_t>(indices.size());
  indices.insert(indices.end(), other.indices.begin(), other.indices.end());
  values.insert(values.end(), other.values.begin(), other.values.end());
  indptr.reserve(indptr.size() + other.indptr.size() - 1);
  for (std::size_t r = 1; r < other.indptr.size(); ++r) indptr.push_back(base + other.indptr[r]);
}

}  // namespace parafeat
