// hashing_vectorizer: scikit-learn's HashingVectorizer. Each term of the analyzed document is
// hashed with MurmurHash3 x86_32 (seed 0) over its UTF-8 bytes; the column is |h| mod n_features
// and, with alternate_sign, the sign of h gives the sign of the count. Counts are summed per
// column (explicit zeros kept, as scipy's sum_duplicates keeps them), optionally set to 1
// (binary), then each row is scaled to unit l1 or l2 norm in the output dtype's arithmetic.
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/fast_modulo.h"
#include "common/murmurhash3.h"
#include "common/param_reader.h"
#include "common/radix_sort.h"
#include "extractors/row_kernel_extractor.h"
#include "extractors/text/analyzer.h"
#include "extractors/text/analyzer_params.h"
#include "extractors/text/column_counting.h"
#include "extractors/text/row_norm.h"
#include "extractors/text/spark_analysis_params.h"
#include "extractors/text/text_extractors.h"
#include "extractors/text/text_splitter.h"

namespace parafeat::text {
namespace {

// The sort key of hash `h`: its column << 1 | whether it counts negatively. The column is what
// scikit-learn computes, |h| mod n_features, where abs(-2**31) is taken as 2**31 (scikit-learn
// special-cases that value to (2**31 - 1 - (n_features - 1)) % n_features, the same number).
std::uint32_t key_of(std::int32_t h, const FastModulo& n_features, bool alternate_sign) {
  const auto bits = static_cast<std::uint32_t>(h);
  const bool negative = h < 0;
  const std::uint32_t magnitude = negative ? 0U - bits : bits;
  return n_features(magnitude) << 1 | static_cast<std::uint32_t>(negative && alternate_sign);
}

// Per-row working memory of append_column_counts(), reused from row to row.
struct RowPairs {
  std::vector<std::int32_t> indices;
  std::vector<std::int32_t> counts;
};

// Appends one (column, count) pair per run of equal columns of the sorted `keys` (column << 1 |
// negative) to `out`: count is the number of positive keys minus the negative ones (0 is kept,
// as scipy's sum_duplicates keeps it), or 1 if `binary`. Without a branch per key: where a run
// ends is as good as random, so each key stores its run's pair so far into `row` and only moves
// the write position on. `row` only grows, so it is not cleared for every row; `out` grows by the
// pairs only, their counts becoming values as they are appended.
inline void append_column_counts(const std::vector<std::uint32_t>& keys, RowPairs& row,
                                 SparseRows& out, bool binary) {
  if (keys.empty()) return;
  if (row.indices.size() < keys.size()) {
    row.indices.resize(keys.size());
    row.counts.resize(keys.size());
  }
  std::int32_t* const indices = row.indices.data();
  std::int32_t* const counts = row.counts.data();
  std::size_t pair = 0;
  std::uint32_t column = keys[0] >> 1;
  std::int32_t count = 0;
  for (const std::uint32_t key : keys) {
    const bool new_run = (key >> 1) != column;
    pair += new_run;
    count = new_run ? 0 : count;
    column = key >> 1;
    count += 1 - 2 * static_cast<std::int32_t>(key & 1);  // the sign is the low bit
    indices[pair] = static_cast<std::int32_t>(column);
    counts[pair] = count;
  }
  const std::size_t pairs = pair + 1;
  out.indices.insert(out.indices.end(), indices, indices + pairs);
  const std::size_t values_begin = out.values.size();
  out.values.resize(values_begin + pairs);
  double* const values = out.values.data() + values_begin;
  for (std::size_t i = 0; i < pairs; ++i) values[i] = binary ? 1.0 : counts[i];
}

struct HashingVectorizerKernel {
  static constexpr std::string_view kName = "hashing_vectorizer";

  struct Scratch {
    AnalyzerScratch analysis;
    std::vector<std::uint32_t> keys;  // column << 1 | negative, sorted to group equal columns
    std::vector<std::uint32_t> sort_scratch;
    RowPairs row;
  };

  Analyzer analyzer;
  FastModulo n_features;
  bool alternate_sign;
  bool binary;
  Norm norm;
  FeatureDType dtype;

  OutputSpec output_spec() const { return {n_features.divisor(), dtype}; }

  std::optional<TextSplitter> splitter;  // nullopt when documents cannot be split

  TextForm preferred_text_form() const { return analyzer.preferred_text_form(); }
  Status call(std::string_view document, TextForm form, Scratch& scratch, SparseRows& out) const {
    const std::size_t row_begin = out.values.size();
    PARAFEAT_RETURN_NOT_OK(sorted_keys(document, form, scratch));
    append_column_counts(scratch.keys, scratch.row, out, binary);
    normalize(std::span(out.values).subspan(row_begin));
    return Status::OK();
  }

  bool splittable() const { return splitter.has_value(); }
  std::vector<DocumentPiece> split(std::string_view document, TextForm form,
                                   std::int64_t piece_bytes) const {
    return splitter->split(document, form, piece_bytes);
  }
  Status count_piece(std::string_view piece, TextForm form, Scratch& scratch,
                     ColumnCounts& out) const {
    PARAFEAT_RETURN_NOT_OK(sorted_keys(piece, form, scratch));
    count_sorted_keys(scratch.keys, /*signed_keys=*/true, out);
    return Status::OK();
  }
  Status finish_row(const ColumnCounts& counts, SparseRows& out) const {
    const std::size_t row_begin = out.values.size();
    out.indices.insert(out.indices.end(), counts.columns.begin(), counts.columns.end());
    for (const std::int64_t count : counts.counts) {
      out.values.push_back(binary ? 1.0 : static_cast<double>(count));
    }
    normalize(std::span(out.values).subspan(row_begin));
    return Status::OK();
  }

  // Analyzes `document` into scratch.keys, each term's column << 1 | negative, sorted.
  Status sorted_keys(std::string_view document, TextForm form, Scratch& scratch) const {
    PARAFEAT_RETURN_NOT_OK(analyzer.analyze(document, form, scratch.analysis));
    const std::vector<std::string_view>& terms = scratch.analysis.terms();
    std::vector<std::uint32_t>& keys = scratch.keys;
    keys.resize(terms.size());
    for (std::size_t i = 0; i < terms.size(); ++i) {
      keys[i] = key_of(murmurhash3_x86_32_signed(terms[i], 0), n_features, alternate_sign);
    }
    radix_sort(keys, (n_features.divisor() - 1) << 1 | 1, scratch.sort_scratch);
    return Status::OK();
  }

  // Scales one row's values to unit norm in the output dtype's arithmetic.
  void normalize(std::span<double> row) const {
    if (dtype == FeatureDType::kFloat32) {
      normalize_row<float>(row, norm);
    } else {
      normalize_row<double>(row, norm);
    }
  }
};

}  // namespace

Result<std::unique_ptr<Extractor>> make_hashing_vectorizer(const Params& params) {
  if (is_spark_compat(params)) {
    return make_spark_compat_hashing_vectorizer(params);
  }
  ParamReader reader(HashingVectorizerKernel::kName, params);
  PARAFEAT_RETURN_NOT_OK(reader.choice("compat", "sklearn", {"sklearn", "spark"}).status());
  PARAFEAT_ASSIGN_OR_RAISE(AnalyzerOptions analysis, read_analyzer_options(reader, params));
  PARAFEAT_ASSIGN_OR_RAISE(std::int64_t n_features,
                           reader.integer("n_features", std::int64_t{1} << 20, 1,
                                          std::numeric_limits<std::int32_t>::max()));
  PARAFEAT_ASSIGN_OR_RAISE(bool binary, reader.boolean("binary", false));
  PARAFEAT_ASSIGN_OR_RAISE(std::optional<std::string> norm,
                           reader.optional_choice("norm", "l2", {"l1", "l2"}));
  PARAFEAT_ASSIGN_OR_RAISE(bool alternate_sign, reader.boolean("alternate_sign", true));
  PARAFEAT_ASSIGN_OR_RAISE(std::string dtype,
                           reader.choice("dtype", "float64", {"float64", "float32"}));
  PARAFEAT_RETURN_NOT_OK(reader.finish());

  std::optional<TextSplitter> splitter = TextSplitter::make(analysis);
  HashingVectorizerKernel kernel{
      .analyzer = Analyzer(std::move(analysis)),
      .n_features = FastModulo(static_cast<std::uint32_t>(n_features)),
      .alternate_sign = alternate_sign,
      .binary = binary,
      .norm = !norm ? Norm::kNone : (*norm == "l1" ? Norm::kL1 : Norm::kL2),
      .dtype = dtype == "float32" ? FeatureDType::kFloat32 : FeatureDType::kFloat64,
      .splitter = std::move(splitter),
  };
  return std::unique_ptr<Extractor>(
      std::make_unique<RowKernelExtractor<HashingVectorizerKernel>>(kernel, reader.resolved()));
}

}  // namespace parafeat::text
