// The Extractor interface: a configured, immutable feature function over one input column.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parafeat/column.h"
#include "parafeat/document_splitting.h"
#include "parafeat/features.h"
#include "parafeat/fork_join.h"
#include "parafeat/params.h"
#include "parafeat/status.h"

namespace parafeat {

/// What an extractor reads: a column of strings (text) or a column of numeric series (one series
/// per row, an Arrow list of numbers).
enum class InputKind : std::uint8_t { kStrings, kSeries };

/// The shape and element type of an extractor's output.
struct OutputSpec {
  std::int64_t num_columns = 0;  ///< Width of the feature space.
  FeatureDType dtype = FeatureDType::kFloat64;
  bool dense = false;  ///< Dense rows (DenseRows, named columns) rather than sparse (SparseRows).
};

/// A feature function over one column of strings (or, for InputKind::kSeries, of series), made
/// from validated parameters. Extractors hold no mutable state: the executor calls extract() /
/// extract_series() from many threads at once on disjoint rows.
class Extractor {
 public:
  virtual ~Extractor() = default;

  /// The registry name, e.g. "hashing_vectorizer".
  virtual std::string_view name() const = 0;
  /// The parameters the extractor was made with, every default filled in.
  virtual const Params& params() const = 0;
  /// The output's width and element type.
  virtual OutputSpec output_spec() const = 0;
  /// False for an extractor that must be fitted before extract() can run (a CountVectorizer
  /// without a vocabulary): fitting makes a new extractor from the fitted parameters.
  virtual bool is_fitted() const { return true; }
  /// Appends one output row to `out` for each row of `input` in `rows`, in order. A failure is
  /// about one row and names it (Status::row()); `out` is then unspecified.
  virtual Status extract(const StringColumn& input, RowRange rows, SparseRows& out) const = 0;
  /// The form of text extract() reads fastest. A DocumentSource that can give it at little cost
  /// (Python strs are lowered while they are encoded) saves the extractor a pass over the text;
  /// extract() still takes columns in TextForm::kAsGiven.
  virtual TextForm preferred_text_form() const { return TextForm::kAsGiven; }
  /// What the extractor reads; kSeries extractors implement extract_series() and their extract()
  /// is a TypeError.
  virtual InputKind input_kind() const { return InputKind::kStrings; }
  /// Appends one dense output row (output_spec().num_columns values) to `out.values` for each
  /// row of `input` in `rows`, in order, and counts it in `out.num_rows`. Errors as extract().
  virtual Status extract_series(const SeriesColumn& input, RowRange rows, DenseRows& out) const;
  /// Appends the dense row of the one long series `row` of `input`, as extract_series() does,
  /// running its independent parts through `fork` (the executor's idle threads). Must give the
  /// same bytes as extract_series(); the default is extract_series() on that row alone.
  virtual Status extract_long_series(const SeriesColumn& input, std::int64_t row, DenseRows& out,
                                     const ForkJoin& fork) const;
  /// The names of a dense output's columns, in order (empty for sparse outputs).
  virtual std::vector<std::string> feature_names() const { return {}; }
  /// The hooks that let the executor split one large document across threads, or null when this
  /// extractor (with these parameters) cannot be split.
  virtual const DocumentSplitting* document_splitting() const { return nullptr; }
};

/// A registered extractor: its name and a one-line description.
struct ExtractorInfo {
  std::string_view name;
  std::string_view summary;
};

/// Makes the extractor registered as `name` from `params`. Unknown names, unknown parameter keys,
/// and values of the wrong type or range are errors that name the offending key and what was
/// expected; missing keys take their defaults (scikit-learn's, for scikit-learn-style extractors).
Result<std::unique_ptr<Extractor>> make_extractor(std::string_view name, const Params& params);

/// Every registered extractor, in registration order.
std::span<const ExtractorInfo> registered_extractors();

}  // namespace parafeat
