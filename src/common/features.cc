#include "parafeat/features.h"

#include "common/check.h"

namespace parafeat {

void SparseRows::append_rows(const SparseRows& other) {
  PARAFEAT_DCHECK(other.num_columns == num_columns);
  const std::int64_t base = static_cast<std::int64_t>(indices.size());
  indices.insert(indices.end(), other.indices.begin(), other.indices.end());
  values.insert(values.end(), other.values.begin(), other.values.end());
  indptr.reserve(indptr.size() + other.indptr.size() - 1);
  for (std::size_t r = 1; r < other.indptr.size(); ++r) indptr.push_back(base + other.indptr[r]);
}

}  // namespace parafeat
