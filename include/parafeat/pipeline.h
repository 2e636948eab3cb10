// Pipeline: the extractors a YAML spec names, each reading one input column and writing one
// output column. One spec format serves Python, the CLI, Spark and the server.
//
//   version: 1
//   extractors:
//     - name: hashing_vectorizer   # registry name
//       column: text               # input column
//       params: {n_features: 4096} # the Python class's constructor arguments
//       output: text_hash          # optional output column name (default: the name)
//
// Steps that read series (timeseries_features) read one series per row: an Arrow list of numbers.
// A spec may start with a `long_format` stage for long-format input (one observation per row):
//
//   long_format:
//     column_id: id        # required: rows of one id form its series
//     column_sort: time    # optional: order within a series (default: row order)
//     column_kind: kind    # optional: several series per id, one per kind
//     column_value: value  # required: the observed numbers
//
// The doors that read files group such input first (rows by id, sorted by the sort key, a repeated
// sort key within an id an error) into one row per id holding one list column per kind (named by
// the kind, or by column_value without column_kind); the steps read those columns.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parafeat/batch.h"
#include "parafeat/executor.h"
#include "parafeat/extractor.h"
#include "parafeat/status.h"

namespace parafeat {

/// One extractor of a pipeline and the columns it reads and writes.
struct PipelineStep {
  std::string column;  ///< Input column name.
  std::string output;  ///< Output column name.
  std::unique_ptr<Extractor> extractor;
};

/// The columns of long-format input, from a spec's `long_format` stage.
struct LongFormat {
  std::string column_id;
  std::string column_sort;  ///< Empty: keep row order.
  std::string column_kind;  ///< Empty: one series per id, named by column_value.
  std::string column_value;
};

/// An ordered list of configured extractors.
class Pipeline {
 public:
  Pipeline(Pipeline&&) = default;
  Pipeline& operator=(Pipeline&&) = default;
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  /// Fitted parameters (a vocabulary, idf weights) to add to the spec's, by output name.
  using FittedParams = std::map<std::string, Params, std::less<>>;

  /// Parses and validates a YAML spec. Unknown keys, extractor names and parameters, a missing
  /// `column`, an unsupported `version` and duplicate output names are errors naming them and the
  /// extractor's position in the list. `fitted` adds the parameters a fit produced to the steps
  /// writing those outputs (an output no step writes is an error).
  static Result<Pipeline> from_yaml(std::string_view yaml, const FittedParams& fitted = {});

  const std::vector<PipelineStep>& steps() const { return steps_; }
  /// The spec's `long_format` stage, if any.
  const std::optional<LongFormat>& long_format() const { return long_format_; }
  /// The distinct input columns the steps read, in first-use order.
  std::vector<std::string> input_columns() const;

  /// Whether every step can run (see Extractor::is_fitted).
  bool is_fitted() const;

  /// Runs every step over `input`, returning one output column per step, in step order. Errors
  /// name the output, the input column and the row.
  Result<Batch> transform(const Batch& input, const Executor& executor) const;

  /// The column named `name` of some input, or an error (a KeyError naming the columns there are).
  using ColumnLookup = std::function<Result<StringColumn>(std::string_view name)>;
  /// The series column named `name` of some input, or an error (as ColumnLookup).
  using SeriesLookup = std::function<Result<SeriesColumn>(std::string_view name)>;
  /// Runs every step over the columns `columns` finds, returning one feature column per step, in
  /// step order (what transform() puts in its batch). Errors name the output, column and row. A
  /// step that reads series is a TypeError here (this door supplies strings only).
  Result<std::vector<FeatureColumn>> extract(const ColumnLookup& columns,
                                             const Executor& executor) const;
  /// As above; steps that read series read the columns `series` finds (dense outputs).
  Result<std::vector<FeatureColumn>> extract(const ColumnLookup& columns,
                                             const SeriesLookup& series,
                                             const Executor& executor) const;

  /// The spec back as YAML, with every parameter resolved to the value in use.
  std::string to_yaml() const;

 private:
  Pipeline() = default;

  std::vector<PipelineStep> steps_;
  std::optional<LongFormat> long_format_;
};

}  // namespace parafeat
