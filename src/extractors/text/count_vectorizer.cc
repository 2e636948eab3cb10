// count_vectorizer: scikit-learn's CountVectorizer (see count_vectorizer.h). The extractor
// counts, per document, the terms found in the vocabulary, columns sorted as
// CountVectorizer.transform sorts them; count_corpus() and CountedCorpus::matrix() are the
// fitting side, which reproduces fit_transform's row layout (terms in order of first occurrence
// in the corpus). With compat="spark" documents are cut by Spark's tokenizer and counts below
// min_tf (Spark's minTF) are left out.
#include "extractors/text/count_vectorizer.h"

#include <algorithm>
#include <atomic>
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

// The distinct term ids of one document, in order of first occurrence, with their counts.
// Working memory for one thread, reused from document to document.
class DocumentTermCounter {
 public:
  // Counts `terms`, interning them into `state`.
  void count(const std::vector<std::string_view>& terms, state::VocabularyState& state) {
    for (const TermTable::Id id : ids_) slot_of_id_[static_cast<std::size_t>(id)] = -1;
    ids_.clear();
    counts_.clear();
    term_ids_.clear();
    state.intern_all(terms, term_ids_, hashes_);
    if (static_cast<std::size_t>(state.terms().size()) > slot_of_id_.size()) {
      slot_of_id_.resize(std::max<std::size_t>(slot_of_id_.size() * 2, state.terms().size()), -1);
    }
    for (const TermTable::Id id : term_ids_) {
      std::int64_t& slot = slot_of_id_[static_cast<std::size_t>(id)];
      if (slot < 0) {
        slot = static_cast<std::int64_t>(ids_.size());
        ids_.push_back(id);
        counts_.push_back(0);
      }
      ++counts_[static_cast<std::size_t>(slot)];
    }
  }

  const std::vector<TermTable::Id>& ids() const { return ids_; }
  const std::vector<std::int64_t>& counts() const { return counts_; }

 private:
  std::vector<std::int64_t> slot_of_id_;  // by term id: its index in ids_, or -1
  std::vector<TermTable::Id> ids_;
  std::vector<std::int64_t> counts_;
  std::vector<TermTable::Id> term_ids_;  // the id of each term, in document order
  std::vector<std::uint32_t> hashes_;    // working memory of intern_all
};

// count_vectorizer's extractor kernel: the counting kernel as a RowKernelExtractor kernel.
struct CountVectorizerKernel {
  static constexpr std::string_view kName = text::kName;
  using Scratch = CountKernel::Scratch;

  CountKernel counter;

  OutputSpec output_spec() const { return {counter.num_columns(), counter.dtype}; }
  Status fitted() const { return counter.fitted(); }
  Status call(std::string_view document, Scratch& scratch, SparseRows& out) const {
    return counter.count(document, scratch, out);
  }

  bool splittable() const { return counter.splitter.has_value(); }
  std::vector<DocumentPiece> split(std::string_view document, std::int64_t piece_bytes) const {
    return counter.splitter->split(document, piece_bytes);
  }
  Status count_piece(std::string_view piece, Scratch& scratch, ColumnCounts& out) const {
    return counter.count_piece(piece, scratch, out);
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

Status CountKernel::find_columns(std::string_view document, Scratch& scratch) const {
  PARAFEAT_RETURN_NOT_OK(cutter.cut(document, scratch.terms));
  scratch.ids.clear();
  vocabulary->find_all(scratch.terms.terms(), scratch.ids, scratch.hashes);
  return Status::OK();
}

Status CountKernel::sorted_columns(std::string_view document, Scratch& scratch) const {
  PARAFEAT_RETURN_NOT_OK(find_columns(document, scratch));
  std::vector<std::uint32_t>& columns = scratch.columns;
  columns.clear();
  for (const TermTable::Id column : scratch.ids) {
    if (column != TermTable::kNotFound) columns.push_back(static_cast<std::uint32_t>(column));
  }
  radix_sort(columns, static_cast<std::uint32_t>(vocabulary->size()), scratch.sort_scratch);
  return Status::OK();
}

// Counts each column in an array indexed by column and marks it in a bitmap, then visits the
// marked columns in ascending order through a bitmap of the bitmap's nonzero words: no sort
// (a fitted vocabulary puts the frequent terms first, so a document's columns cluster at the
// low end, which a radix sort handles badly), and only the document's own entries are reset.
Status CountKernel::count(std::string_view document, Scratch& scratch, SparseRows& out) const {
  PARAFEAT_RETURN_NOT_OK(find_columns(document, scratch));
  constexpr std::size_t kWordBits = 64;
  const auto num_columns = static_cast<std::size_t>(vocabulary->size());
  const std::size_t num_words = (num_columns + kWordBits - 1) / kWordBits;
  if (scratch.column_counts.size() != num_columns) {
    scratch.column_counts.assign(num_columns, 0);
    scratch.present.assign(num_words, 0);
    scratch.present_words.assign((num_words + kWordBits - 1) / kWordBits, 0);
  }
  std::uint32_t* counts = scratch.column_counts.data();
  std::uint64_t* present = scratch.present.data();
  std::uint64_t* present_words = scratch.present_words.data();
  for (const TermTable::Id id : scratch.ids) {
    if (id == TermTable::kNotFound) continue;
    const auto column = static_cast<std::size_t>(id);
    if (counts[column]++ == 0) {
      const std::size_t word = column / kWordBits;
      present[word] |= std::uint64_t{1} << (column % kWordBits);
      present_words[word / kWordBits] |= std::uint64_t{1} << (word % kWordBits);
    }
  }
  // Spark's effective minTF: a count, or the fraction of all the document's tokens.
  const double least_count = min_tf.fraction
                                 ? static_cast<double>(scratch.terms.terms().size()) * min_tf.value
                                 : min_tf.value;
  for (std::size_t group = 0; group < scratch.present_words.size(); ++group) {
    for (std::uint64_t words = std::exchange(present_words[group], 0); words != 0;
         words &= words - 1) {
      const std::size_t word =
          group * kWordBits + static_cast<std::size_t>(std::countr_zero(words));
      for (std::uint64_t bits = std::exchange(present[word], 0); bits != 0; bits &= bits - 1) {
        const std::size_t column =
            word * kWordBits + static_cast<std::size_t>(std::countr_zero(bits));
        const auto count = static_cast<double>(std::exchange(counts[column], 0));
        if (count >= least_count) {
          out.indices.push_back(static_cast<std::int32_t>(column));
          out.values.push_back(binary ? 1.0 : count);
        }
      }
    }
  }
  return Status::OK();
}

Status CountKernel::count_piece(std::string_view piece, Scratch& scratch, ColumnCounts& out) const {
  PARAFEAT_RETURN_NOT_OK(sorted_columns(piece, scratch));
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
      CountVectorizerKernel{std::move(counter)}, std::move(read.resolved)));
}

Result<CountedCorpus> count_corpus(const TermCutter& cutter, const DocumentSource& documents,
                                   const Executor& executor, bool keep_counts) {
  struct CountedMorsel {
    state::VocabularyState state;
    CountedCorpus::DocumentCounts counts;  // by the morsel's term ids
  };
  CountedCorpus corpus;
  corpus.kept_counts_ = keep_counts;
  // The distinct terms and their bytes in the last morsel counted: a morsel's state makes room
  // for about as many up front. Only a capacity hint: results do not depend on it.
  std::atomic<std::size_t> last_terms{0};
  std::atomic<std::size_t> last_text_bytes{0};
  Status status = executor.for_each_document_morsel<CountedMorsel>(
      documents,
      [&](const Morsel& morsel, const StringColumn& column) -> Result<CountedMorsel> {
        CountedMorsel counted;
        counted.state.reserve(last_terms.load(std::memory_order_relaxed) * 5 / 4,
                              last_text_bytes.load(std::memory_order_relaxed) * 5 / 4);
        TermCutterScratch scratch;
        DocumentTermCounter counter;
        for (std::int64_t row = 0; row < morsel.rows.size(); ++row) {
          if (column.is_null(row)) return null_document_error(row);
          Status cut = cutter.cut(column.value(row), scratch);
          if (!cut.ok()) return cut.with_row(row);
          counter.count(scratch.terms(), counted.state);
          counted.state.add_document(counter.ids(), counter.counts());
          if (keep_counts) {
            counted.counts.ids.insert(counted.counts.ids.end(), counter.ids().begin(),
                                      counter.ids().end());
            for (const std::int64_t count : counter.counts()) {
              counted.counts.counts.push_back(static_cast<std::uint32_t>(count));
            }
            counted.counts.indptr.push_back(counted.counts.num_values());
          }
        }
        last_terms.store(static_cast<std::size_t>(counted.state.terms().size()),
                         std::memory_order_relaxed);
        last_text_bytes.store(counted.state.terms().text_bytes(), std::memory_order_relaxed);
        return counted;
      },
      [&](const Morsel&, CountedMorsel&& counted) {
        std::vector<TermTable::Id> corpus_ids = corpus.state_.merge(counted.state);
        if (keep_counts) {
          corpus.parts_.push_back({std::move(counted.counts), std::move(corpus_ids)});
        }
        return Status::OK();
      });
  PARAFEAT_RETURN_NOT_OK(status);
  return corpus;
}

namespace {

// Lays out one counted part (`counts` by the part's own term ids, `corpus_ids` their ids in the
// corpus) as fit_transform lays out its rows: each row's kept terms (column_of_term[corpus id]
// >= 0) in ascending corpus id, that is, in order of first occurrence in the corpus. Calls
// end_row(values so far) after each row, and write(position, column, count) for each kept term,
// position counted from the part's first value. Instead of sorting each row, the part's entries
// are grouped by term (rows ascending within a term), and the terms are visited in corpus order,
// each entry going to the next free position of its row.
template <typename Counts, typename EndRow, typename Write>
void lay_out_part(const Counts& counts, const std::vector<TermTable::Id>& corpus_ids,
                  std::span<const std::int32_t> column_of_term, EndRow&& end_row, Write&& write) {
  const std::size_t num_terms = corpus_ids.size();
  std::vector<std::int32_t> column_of_local(num_terms);
  for (std::size_t local = 0; local < num_terms; ++local) {
    column_of_local[local] = column_of_term[static_cast<std::size_t>(corpus_ids[local])];
  }
  // Each row's first position, and the number of entries of each term.
  const auto num_rows = static_cast<std::size_t>(counts.num_rows());
  std::vector<std::size_t> next_of_row(num_rows);
  std::vector<std::size_t> term_begin(num_terms + 1, 0);
  std::size_t values = 0;
  for (std::size_t row = 0; row < num_rows; ++row) {
    next_of_row[row] = values;
    for (auto k = static_cast<std::size_t>(counts.indptr[row]);
         k < static_cast<std::size_t>(counts.indptr[row + 1]); ++k) {
      const auto local = static_cast<std::size_t>(counts.ids[k]);
      if (column_of_local[local] >= 0) {
        ++term_begin[local + 1];
        ++values;
      }
    }
    end_row(values);
  }
  std::partial_sum(term_begin.begin(), term_begin.end(), term_begin.begin());
  // The entries grouped by term: (row, count), rows ascending within a term.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> by_term(values);
  std::vector<std::size_t> term_next(term_begin.begin(), term_begin.end() - 1);
  for (std::size_t row = 0; row < num_rows; ++row) {
    for (auto k = static_cast<std::size_t>(counts.indptr[row]);
         k < static_cast<std::size_t>(counts.indptr[row + 1]); ++k) {
      const auto local = static_cast<std::size_t>(counts.ids[k]);
      if (column_of_local[local] >= 0) {
        by_term[term_next[local]++] = {static_cast<std::uint32_t>(row), counts.counts[k]};
      }
    }
  }
  // The kept terms in corpus order, as (corpus id << 32 | local id).
  std::vector<std::uint64_t> order;
  order.reserve(num_terms);
  for (std::size_t local = 0; local < num_terms; ++local) {
    if (column_of_local[local] >= 0 && term_begin[local + 1] > term_begin[local]) {
      order.push_back(static_cast<std::uint64_t>(corpus_ids[local]) << 32 | local);
    }
  }
  std::uint64_t largest = 0;
  for (const std::uint64_t key : order) largest = std::max(largest, key);
  std::vector<std::uint64_t> scratch;
  stable_radix_sort(
      order, static_cast<int>(std::bit_width(largest >> 32)),
      [](std::uint64_t key) { return key >> 32; }, scratch);
  for (const std::uint64_t key : order) {
    const auto local = static_cast<std::size_t>(key & 0xFFFFFFFFU);
    for (std::size_t e = term_begin[local]; e < term_begin[local + 1]; ++e) {
      const auto [row, count] = by_term[e];
      write(next_of_row[row]++, column_of_local[local], count);
    }
  }
}

}  // namespace

Result<CsrMatrix> CountedCorpus::matrix(std::span<const std::int32_t> column_of_term,
                                        std::int64_t num_columns, bool binary, FeatureDType dtype,
                                        const Executor& executor) const {
  if (!kept_counts_) {
    return Status::Invalid("count_vectorizer: the corpus was counted without keeping its counts");
  }
  if (column_of_term.size() != static_cast<std::size_t>(state_.terms().size())) {
    return Status::Invalid("count_vectorizer: expected a column for each of the " +
                           std::to_string(state_.terms().size()) + " terms, got " +
                           std::to_string(column_of_term.size()));
  }
  // Where each part's rows and values start in the matrix: the values it keeps are counted
  // first (in parallel, unless every term is kept), so that every part then writes its rows
  // straight into the matrix's final arrays.
  const std::size_t num_parts = parts_.size();
  std::vector<std::int64_t> first_value(num_parts + 1, 0);
  std::vector<std::int64_t> first_row(num_parts + 1, 0);
  const bool keeps_all = std::all_of(column_of_term.begin(), column_of_term.end(),
                                     [](std::int32_t column) { return column >= 0; });
  for (std::size_t p = 0; p < num_parts; ++p) {
    first_value[p + 1] = parts_[p].counts.num_values();
    first_row[p + 1] = parts_[p].counts.num_rows();
  }
  if (!keeps_all) {
    // One task per part: parts are counted morsels, each already many rows.
    PARAFEAT_RETURN_NOT_OK(
        executor.for_each_task(static_cast<std::int64_t>(num_parts), [&](std::int64_t task) {
          const auto p = static_cast<std::size_t>(task);
          const Part& part = parts_[p];
          first_value[p + 1] = std::count_if(
              part.counts.ids.begin(), part.counts.ids.end(), [&](std::int32_t local) {
                return column_of_term[static_cast<std::size_t>(
                           part.corpus_ids[static_cast<std::size_t>(local)])] >= 0;
              });
          return Status::OK();
        }));
  }
  std::partial_sum(first_value.begin(), first_value.end(), first_value.begin());
  std::partial_sum(first_row.begin(), first_row.end(), first_row.begin());

  CsrMatrix matrix = CsrMatrix::allocate(first_row.back(), num_columns, first_value.back(), dtype);
  PARAFEAT_RETURN_NOT_OK(matrix.visit([&](auto data, auto indices, auto indptr) {
    using Value = typename decltype(data)::element_type;
    using Index = typename decltype(indptr)::element_type;
    indptr[0] = 0;
    return executor.for_each_task(static_cast<std::int64_t>(num_parts), [&](std::int64_t task) {
      const auto p = static_cast<std::size_t>(task);
      const auto first = static_cast<std::size_t>(first_value[p]);
      auto row_end = static_cast<std::size_t>(first_row[p]) + 1;
      lay_out_part(
          parts_[p].counts, parts_[p].corpus_ids, column_of_term,
          [&](std::size_t values) { indptr[row_end++] = static_cast<Index>(first + values); },
          [&](std::size_t position, std::int32_t column, std::int64_t count) {
            indices[first + position] = static_cast<Index>(column);
            data[first + position] = binary ? Value{1} : static_cast<Value>(count);
          });
      return Status::OK();
    });
  }));
  return matrix;
}

}  // namespace parafeat::text
