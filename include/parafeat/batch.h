// Batch: an owned record batch in the Arrow C Data Interface, the unit every front door hands to
// the engine and gets back. A batch is a struct array whose children are its named columns.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parafeat/arrow_c_abi.h"
#include "parafeat/column.h"
#include "parafeat/features.h"
#include "parafeat/status.h"

namespace parafeat {

/// An owned Arrow record batch. Move-only; releases its Arrow structs when destroyed.
class Batch {
 public:
  Batch() = default;
  ~Batch();
  Batch(Batch&& other) noexcept;
  Batch& operator=(Batch&& other) noexcept;
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  /// Takes ownership of an exported record batch: a struct-typed `array` with its `schema`. On
  /// success both structs are marked released (moved into the batch), as the C Data Interface
  /// prescribes; on failure they are left untouched for the caller to release.
  static Result<Batch> import(ArrowArray* array, ArrowSchema* schema);

  std::int64_t num_rows() const;
  int num_columns() const;
  /// The name of column i.
  std::string_view column_name(int i) const;
  /// The Arrow format string of column i (e.g. "U" for large_utf8).
  std::string_view column_format(int i) const;

  /// A view of the string column `name` (Arrow utf8 or large_utf8), valid while the batch lives.
  /// KeyError naming the available columns when there is no such column; TypeError naming its
  /// Arrow type when it is not a string column.
  Result<StringColumn> string_column(std::string_view name) const;
  /// A view of the series column `name` (Arrow list or large_list of float64, float32, int64 or
  /// int32), valid while the batch lives. KeyError as string_column(); TypeError naming its Arrow
  /// type when it is no such list column.
  Result<SeriesColumn> series_column(std::string_view name) const;

  /// Moves the batch out through the C Data Interface; the batch is empty afterwards. An empty
  /// (default-constructed or moved-from) batch exports as zero rows and zero columns.
  void export_to(ArrowArray* array, ArrowSchema* schema) &&;

 private:
  Batch(ArrowArray array, ArrowSchema schema);
  std::optional<int> find_column(std::string_view name) const;
  Result<int> require_column(std::string_view name) const;

  ArrowArray array_{};
  ArrowSchema schema_{};
};

/// One named output column of features with the element type it is delivered in.
struct FeatureColumn {
  std::string name;
  SparseRows rows;
  FeatureDType dtype = FeatureDType::kFloat64;
  /// Set for a dense output (then `rows` is unused): float64 rows of named features.
  std::optional<DenseRows> dense{};
};

/// Builds a batch with one column per feature column, each of Arrow type
/// struct<indices: list<int32>, values: list<float64 | float32>> (one list entry per row), or
/// fixed_size_list<float64>[num_columns] for a dense column.
/// All columns must have the same number of rows. The rows' buffers are moved into the batch.
Result<Batch> make_feature_batch(std::vector<FeatureColumn> columns);

/// Builds a batch of large_utf8 columns from owned strings (nullopt = null), all the same length.
/// Used by readers and tests.
Result<Batch> make_string_batch(
    std::vector<std::pair<std::string, std::vector<std::optional<std::string>>>> columns);

/// A source of batches that share one schema.
class BatchReader {
 public:
  virtual ~BatchReader() = default;
  /// Exports the schema every batch of this reader has (a struct type whose children are the
  /// columns) into `out`. Available before the first batch and for readers that yield none.
  virtual Status schema(ArrowSchema* out) = 0;
  /// The next batch, or nullopt at the end of the stream.
  virtual Result<std::optional<Batch>> next() = 0;
};

/// Exports `reader` as an Arrow C stream; the stream owns the reader. Errors from next() surface
/// through the stream's get_last_error with their full message.
void export_batch_stream(std::unique_ptr<BatchReader> reader, ArrowArrayStream* out);

}  // namespace parafeat
