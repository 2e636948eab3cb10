// counted_corpus: count_corpus() and CountedCorpus::matrix() (see counted_corpus.h). Each morsel
// is counted into a state of its own, whose table of terms is small enough to stay in cache, and
// the states merge in morsel order. (One state per thread, tried instead, looked every term up
// in one large table and took about a third more CPU time.)
#include "extractors/text/counted_corpus.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <numeric>
#include <string>
#include <utility>

#include "common/ascending_marks.h"
#include "common/radix_sort.h"
#include "extractors/row_kernel_extractor.h"

namespace parafeat::text {

void DocumentTermCounts::add_row(std::span<const TermTable::Id> row_ids,
                                 std::span<const std::int64_t> row_counts) {
  ids.insert(ids.end(), row_ids.begin(), row_ids.end());
  for (const std::int64_t count : row_counts) counts.push_back(static_cast<std::uint32_t>(count));
  indptr.push_back(num_values());
}

namespace {

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

}  // namespace

Result<CountedCorpus> count_corpus(const TermCutter& cutter, const DocumentSource& documents,
                                   const Executor& executor, bool keep_counts) {
  struct CountedMorsel {
    state::VocabularyState state;
    DocumentTermCounts counts;  // by the morsel's term ids
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
          Status cut = cutter.cut(column.value(row), column.text_form(), scratch);
          if (!cut.ok()) return cut.with_row(row);
          counter.count(scratch.terms(), counted.state);
          counted.state.add_document(counter.ids(), counter.counts());
          if (keep_counts) counted.counts.add_row(counter.ids(), counter.counts());
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
  corpus.num_terms_ = corpus.state_.terms().size();
  return corpus;
}

namespace {

// Lays out one counted part (`counts` by the part's own term ids, `corpus_ids` their ids in the
// corpus) as fit_transform lays out its rows: each row's kept terms (column_of_term[corpus id]
// >= 0) in ascending corpus id, that is, in order of first occurrence in the corpus. Calls
// write(position, column, count) for each kept term in order, position counted from the part's
// first value, and end_row(values so far) after each row. The part's kept terms are ranked by
// corpus id once; then each row marks its terms' ranks and visits them in ascending order, so
// the output is written front to back.
template <typename EndRow, typename Write>
void lay_out_part(const DocumentTermCounts& counts, const std::vector<TermTable::Id>& corpus_ids,
                  std::span<const std::int32_t> column_of_term, EndRow&& end_row, Write&& write) {
  const std::size_t num_terms = corpus_ids.size();
  // The kept terms in corpus order, as (corpus id << 32 | local id).
  std::vector<std::uint64_t> order;
  order.reserve(num_terms);
  std::uint64_t largest = 0;
  for (std::size_t local = 0; local < num_terms; ++local) {
    const auto corpus_id = static_cast<std::size_t>(corpus_ids[local]);
    if (column_of_term[corpus_id] >= 0) {
      order.push_back(static_cast<std::uint64_t>(corpus_id) << 32 | local);
      largest = std::max(largest, order.back());
    }
  }
  std::vector<std::uint64_t> scratch;
  stable_radix_sort(
      order, static_cast<int>(std::bit_width(largest >> 32)),
      [](std::uint64_t key) { return key >> 32; }, scratch);
  constexpr std::int32_t kLeftOut = -1;
  std::vector<std::int32_t> rank_of_local(num_terms, kLeftOut);
  std::vector<std::int32_t> column_of_rank(order.size());
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const auto local = static_cast<std::size_t>(order[rank] & 0xFFFFFFFFU);
    rank_of_local[local] = static_cast<std::int32_t>(rank);
    column_of_rank[rank] = column_of_term[static_cast<std::size_t>(corpus_ids[local])];
  }

  std::vector<std::uint32_t> count_of_rank(order.size());
  AscendingMarks row_ranks(order.size());
  std::size_t position = 0;
  const auto num_rows = static_cast<std::size_t>(counts.num_rows());
  for (std::size_t row = 0; row < num_rows; ++row) {
    // A row holds each of its terms once.
    for (auto k = static_cast<std::size_t>(counts.indptr[row]);
         k < static_cast<std::size_t>(counts.indptr[row + 1]); ++k) {
      const std::int32_t rank = rank_of_local[static_cast<std::size_t>(counts.ids[k])];
      if (rank == kLeftOut) continue;
      count_of_rank[static_cast<std::size_t>(rank)] = counts.counts[k];
      row_ranks.mark(static_cast<std::size_t>(rank));
    }
    row_ranks.drain(
        [&](std::size_t rank) { write(position++, column_of_rank[rank], count_of_rank[rank]); });
    end_row(position);
  }
}

}  // namespace

Result<CsrMatrix> CountedCorpus::matrix(std::span<const std::int32_t> column_of_term,
                                        std::int64_t num_columns, bool binary, FeatureDType dtype,
                                        const Executor& executor) const {
  if (!kept_counts_) {
    return Status::Invalid("count_vectorizer: the corpus was counted without keeping its counts");
  }
  if (column_of_term.size() != static_cast<std::size_t>(num_terms_)) {
    return Status::Invalid("count_vectorizer: expected a column for each of the " +
                           std::to_string(num_terms_) + " terms, got " +
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
