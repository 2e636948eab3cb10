// Extracted features: what an extractor writes and the executor assembles.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace parafeat {

/// The element type a feature matrix is delivered in. Kernels compute in this type's arithmetic
/// (so float32 output is bit-identical to scikit-learn's float32 path) and store the results as
/// doubles, which represent every float32 value exactly; integer types hold counts, which
/// doubles represent exactly up to 2^53.
enum class FeatureDType : std::uint8_t { kFloat64, kFloat32, kInt64, kInt32 };

/// The numpy name of `dtype`: "float64", "float32", "int64" or "int32".
std::string_view dtype_name(FeatureDType dtype);
/// The dtype whose numpy name is `name`, or nullopt when parafeat does not deliver it.
std::optional<FeatureDType> dtype_from_name(std::string_view name);

/// Rows of sparse features in CSR form: row r holds the pairs
/// (indices[k], values[k]) for k in [indptr[r], indptr[r + 1]), indices sorted within a row.
struct SparseRows {
  std::int64_t num_columns = 0;         ///< Width of the feature space (e.g. n_features).
  std::vector<std::int64_t> indptr{0};  ///< num_rows() + 1 entries, starting at 0.
  std::vector<std::int32_t> indices;
  std::vector<double> values;

  std::int64_t num_rows() const { return static_cast<std::int64_t>(indptr.size()) - 1; }
  std::int64_t num_values() const { return static_cast<std::int64_t>(values.size()); }

  /// Closes the current row: the pairs appended since the last call form one row.
  void end_row() { indptr.push_back(static_cast<std::int64_t>(indices.size())); }
  /// Appends all rows of `other` (same num_columns) after the rows of this.
  void append_rows(const SparseRows& other);
};

/// Rows of dense float64 features, row-major: row r is values[r * num_columns, (r + 1) *
/// num_columns). What extractors of series (time-series features) write.
struct DenseRows {
  std::int64_t num_rows = 0;
  std::int64_t num_columns = 0;  ///< Features per row.
  std::vector<double> values;    ///< num_rows * num_columns values.
};

}  // namespace parafeat
