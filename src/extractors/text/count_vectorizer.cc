// count_vectorizer: scikit-learn's CountVectorizer (see count_vectorizer.h). The extractor
// counts, per document, the terms found in the vocabulary, columns sorted as
// CountVectorizer.transform sorts them (the fitting side is counted_corpus.cc). With compat="spark"
// documents are cut by Spark's tokenizer and counts below min_tf (Spark's minTF) are left out.
#include "extractors/text/count_vectorizer.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>
#include <utility>
#include <variant>

#include "common/param_reader.h"
#include "common/radix_sort.h"
#include "extractors/row_kernel_extractor.h"
#include "extractors/text/analyzer_params.h"
#include "extractors/text/column_counting.h"
#include "extractors/text/spark_analysis_params.h"
#include "extractors/text/text_extractors.h"

namespace parafeat::text {
namespace {

constexpr std::string_view kName = "count_vectorizer";

// count_vectorizer's extractor kernel: the counting kernel as a RowKernelExtractor kernel.
struct CountVectorizerKernel : CountingKernelBase {
  static constexpr std::string_view kName = text::kName;

  OutputSpec output_spec() const { return {counter.num_columns(), counter.dtype}; }
  Status fitted() const { return counter.fitted(); }
  Status call(std::string_view document, TextForm form, Scratch& scratch, SparseRows& out) const {
    return counter.count(document, form, scratch, out);
  }
  Status finish_row(const ColumnCounts& counts, SparseRows& out) const {
    counter.append_counts(counts, out);
    return Status::OK();
  }
};

// The canonical text of the parameters that decide a document's terms.
std::string spec_text(const Params& analysis) {
  std::string text;
  for (const auto& [key, value] : analysis)
    text.append(key).append("=").append(value.repr() + "\n");
  return text;
}

// Reads the parameters that decide a document's terms. In Spark mode compat is read among them,
// so that the spec of a Spark-mode vocabulary state names it (scikit-learn mode's spec does
// not, as before compat existed).
Result<TermCutter> read_term_cutter(ParamReader& reader, const Params& params, bool spark) {
  if (spark) {
    PARAFEAT_ASSIGN_OR_RAISE(SparkTokenizer tokenizer, read_spark_analysis(reader));
    return TermCutter(tokenizer);
  }
  PARAFEAT_ASSIGN_OR_RAISE(AnalyzerOptions analysis, read_analyzer_options(reader, params));
  return TermCutter(Analyzer(std::move(analysis)));
}

// Reads min_tf: Spark's minTF, an int count or a float fraction of the document's tokens.
Result<MinTermFrequency> read_min_tf(ParamReader& reader, bool spark) {
  if (!spark) {
    PARAFEAT_RETURN_NOT_OK(
        reader.restricted("min_tf", {std::int64_t{1}},
                          "with compat='sklearn': min_tf is Spark's minTF, for compat='spark'"));
    return MinTermFrequency{};
  }
  PARAFEAT_ASSIGN_OR_RAISE(auto min_tf, reader.count_or_fraction("min_tf", std::int64_t{1}));
  if (const auto* count = std::get_if<std::int64_t>(&min_tf)) {
    return MinTermFrequency{.value = static_cast<double>(*count), .fraction = false};
  }
  return MinTermFrequency{.value = std::get<double>(min_tf), .fraction = true};
}

}  // namespace

Result<CountVectorizerOptions> read_count_vectorizer_options(ParamReader& reader,
                                                             const Params& params,
                                                             std::string_view default_dtype) {
  const bool spark = is_spark_compat(params);
  PARAFEAT_ASSIGN_OR_RAISE(TermCutter cutter, read_term_cutter(reader, params, spark));
  std::string analysis_spec = spec_text(reader.resolved());
  if (!spark) {
    PARAFEAT_RETURN_NOT_OK(reader.choice("compat", "sklearn", {"sklearn", "spark"}).status());
  }
  PARAFEAT_RETURN_NOT_OK(reader.count_or_fraction("max_df", 1.0).status());
  PARAFEAT_RETURN_NOT_OK(reader.count_or_fraction("min_df", std::int64_t{1}).status());
  PARAFEAT_RETURN_NOT_OK(
      reader.optional_integer("max_features", 1, std::numeric_limits<std::int64_t>::max())
          .status());
  PARAFEAT_ASSIGN_OR_RAISE(MinTermFrequency min_tf, read_min_tf(reader, spark));
  PARAFEAT_ASSIGN_OR_RAISE(std::optional<std::vector<std::string>> vocabulary,
                           reader.optional_string_list("vocabulary"));
  PARAFEAT_ASSIGN_OR_RAISE(bool binary, reader.boolean("binary", false));
  PARAFEAT_ASSIGN_OR_RAISE(
      std::string dtype,
      reader.choice("dtype", std::string(default_dtype), {"int64", "int32", "float64", "float32"}));
  if (vocabulary && vocabulary->empty()) {
    return Status::Invalid(reader.owner() + ": empty vocabulary passed");
  }
  return CountVectorizerOptions{
      .cutter = std::move(cutter),
      .min_tf = min_tf,
      .binary = binary,
      .dtype = *dtype_from_name(dtype),
      .vocabulary = vocabulary ? std::move(*vocabulary) : std::vector<std::string>{},
      .analysis_spec = std::move(analysis_spec)};
}

Status CountKernel::fitted() const {
  if (vocabulary) return Status::OK();
  return Status::Invalid(owner +
                         " is not fitted: fit it first (Pipeline.fit, parafeat fit) or pass "
                         "'vocabulary'");
}

Status CountKernel::find_columns(std::string_view document, TextForm form, Scratch& scratch) const {
  PARAFEAT_RETURN_NOT_OK(cutter.cut(document, form, scratch.terms));
  scratch.ids.clear();
  vocabulary->find_all(scratch.terms.terms(), scratch.ids, scratch.hashes);
  return Status::OK();
}

Status CountKernel::sorted_columns(std::string_view document, TextForm form,
                                   Scratch& scratch) const {
  PARAFEAT_RETURN_NOT_OK(find_columns(document, form, scratch));
  std::vector<std::uint32_t>& columns = scratch.columns;
  columns.clear();
  for (const TermTable::Id column : scratch.ids) {
    if (column != TermTable::kNotFound) columns.push_back(static_cast<std::uint32_t>(column));
  }
  radix_sort(columns, static_cast<std::uint32_t>(vocabulary->size()), scratch.sort_scratch);
  return Status::OK();
}

// Counts each column in an array indexed by column and marks it, then visits the marked columns
// in ascending order: no sort (a fitted vocabulary puts the frequent terms first, so a
// document's columns cluster at the low end, which a radix sort handles badly), and only the
// document's own entries are reset.
Status CountKernel::count(std::string_view document, TextForm form, Scratch& scratch,
                          SparseRows& out) const {
  PARAFEAT_RETURN_NOT_OK(find_columns(document, form, scratch));
  const auto num_columns = static_cast<std::size_t>(vocabulary->size());
  if (scratch.column_counts.size() != num_columns) {
    scratch.column_counts.assign(num_columns, 0);
    scratch.present.reset(num_columns);
  }
  std::uint32_t* counts = scratch.column_counts.data();
  for (const TermTable::Id id : scratch.ids) {
    if (id == TermTable::kNotFound) continue;
    const auto column = static_cast<std::size_t>(id);
    if (counts[column]++ == 0) scratch.present.mark(column);
  }
  // Spark's effective minTF: a count, or the fraction of all the document's tokens.
  const double least_count = min_tf.fraction
                                 ? static_cast<double>(scratch.terms.terms().size()) * min_tf.value
                                 : min_tf.value;
  scratch.present.drain([&](std::size_t column) {
    const auto count = static_cast<double>(std::exchange(counts[column], 0));
    if (count >= least_count) {
      out.indices.push_back(static_cast<std::int32_t>(column));
      out.values.push_back(binary ? 1.0 : count);
    }
  });
  return Status::OK();
}

Status CountKernel::count_piece(std::string_view piece, TextForm form, Scratch& scratch,
                                ColumnCounts& out) const {
  PARAFEAT_RETURN_NOT_OK(sorted_columns(piece, form, scratch));
  count_sorted_keys(scratch.columns, /*signed_keys=*/false, out);
  return Status::OK();
}

void CountKernel::append_counts(const ColumnCounts& counts, SparseRows& out) const {
  // Only made splittable in scikit-learn mode, where min_tf is 1: every counted term stays.
  out.indices.insert(out.indices.end(), counts.columns.begin(), counts.columns.end());
  for (const std::int64_t count : counts.counts) {
    out.values.push_back(binary ? 1.0 : static_cast<double>(count));
  }
}

Result<CountKernel> make_count_kernel(CountVectorizerOptions options, std::string owner) {
  std::shared_ptr<TermTable> vocabulary;
  if (!options.vocabulary.empty()) {
    vocabulary = std::make_shared<TermTable>();
    std::size_t text_bytes = 0;
    for (const std::string& term : options.vocabulary) text_bytes += term.size();
    vocabulary->reserve(options.vocabulary.size(), text_bytes);
    for (const std::string& term : options.vocabulary) {
      const TermTable::Id size_before = vocabulary->size();
      if (vocabulary->intern(term) != size_before) {
        return Status::Invalid(owner + ": vocabulary repeats the term '" + term + "'");
      }
    }
  }
  std::optional<TextSplitter> splitter;
  if (const Analyzer* analyzer = options.cutter.analyzer()) {
    splitter = TextSplitter::make(analyzer->options());
  }
  return CountKernel{.cutter = std::move(options.cutter),
                     .min_tf = options.min_tf,
                     .vocabulary = std::move(vocabulary),
                     .binary = options.binary,
                     .dtype = options.dtype,
                     .owner = std::move(owner),
                     .splitter = std::move(splitter)};
}

Result<CountVectorizerParams> read_count_vectorizer_params(const Params& params) {
  ParamReader reader(kName, params);
  PARAFEAT_ASSIGN_OR_RAISE(CountVectorizerOptions options,
                           read_count_vectorizer_options(reader, params, "int64"));
  PARAFEAT_RETURN_NOT_OK(reader.finish());
  return CountVectorizerParams{std::move(options), reader.resolved()};
}

Result<std::unique_ptr<Extractor>> make_count_vectorizer(const Params& params) {
  PARAFEAT_ASSIGN_OR_RAISE(CountVectorizerParams read, read_count_vectorizer_params(params));
  PARAFEAT_ASSIGN_OR_RAISE(CountKernel counter,
                           make_count_kernel(std::move(read.options), std::string(kName)));
  return std::unique_ptr<Extractor>(std::make_unique<RowKernelExtractor<CountVectorizerKernel>>(
      CountVectorizerKernel{{std::move(counter)}}, std::move(read.resolved)));
}

}  // namespace parafeat::text
