// The fitting side of count_vectorizer (and tfidf_vectorizer): count_corpus() counts a corpus on
// many threads into the statistics a vocabulary is chosen from (a VocabularyState) and, for
// fit_transform, every document's term counts; CountedCorpus::matrix() then lays those counts
// out as scikit-learn's fit_transform does, once the vocabulary is chosen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "common/csr_matrix.h"
#include "common/term_table.h"
#include "extractors/text/term_cutter.h"
#include "parafeat/executor.h"
#include "state/vocabulary_state.h"

namespace parafeat::text {

/// Documents' term counts in CSR form: document r counts terms ids[k] counts[k] times, for k in
/// [indptr[r], indptr[r + 1]). 8 bytes a count where a SparseRows takes 12 (double values): a term
/// occurs fewer than 2^32 times in one document (an analyzed one has fewer code points).
struct DocumentTermCounts {
  std::vector<std::int64_t> indptr{0};
  std::vector<TermTable::Id> ids;
  std::vector<std::uint32_t> counts;

  std::int64_t num_rows() const { return static_cast<std::int64_t>(indptr.size()) - 1; }
  std::int64_t num_values() const { return static_cast<std::int64_t>(ids.size()); }
  /// Appends one document's counts: row_counts[i] of term row_ids[i].
  void add_row(std::span<const TermTable::Id> row_ids, std::span<const std::int64_t> row_counts);
};

/// A corpus counted for fitting: the merged statistics of all documents and, when kept, every
/// document's term counts, from which matrix() builds the document-term matrix once the
/// vocabulary is chosen.
class CountedCorpus {
 public:
  const state::VocabularyState& state() const { return state_; }
  /// The statistics, moved out: state() is empty afterwards; matrix() works as before.
  state::VocabularyState take_state() { return std::exchange(state_, {}); }

  /// The document-term matrix with `column_of_term[id]` the column of the term with `id` in
  /// state() (-1 leaves the term out), laid out as scikit-learn's CountVectorizer.fit_transform
  /// lays it out: within a row, the terms in order of first occurrence in the corpus. Values
  /// are counts, or 1 with `binary`, of `dtype`. Every part of the corpus writes its rows into
  /// the matrix's final arrays in parallel. Needs the counts kept by count_corpus().
  Result<CsrMatrix> matrix(std::span<const std::int32_t> column_of_term, std::int64_t num_columns,
                           bool binary, FeatureDType dtype, const Executor& executor) const;

 private:
  // One morsel's document counts, by the morsel's own term ids (0, 1, ... in order of first
  // occurrence in the morsel), and the ids in state_ of those ids.
  struct Part {
    DocumentTermCounts counts;
    std::vector<TermTable::Id> corpus_ids;
  };

  friend Result<CountedCorpus> count_corpus(const TermCutter&, const DocumentSource&,
                                            const Executor&, bool);

  state::VocabularyState state_;
  TermTable::Id num_terms_ = 0;  // in the state counted, whether or not taken since
  std::vector<Part> parts_;
  bool kept_counts_ = false;
};

/// Counts every document of `documents` as `cutter` cuts it. Morsels are counted in parallel
/// into partial states that merge in morsel order, so the result is the same for any thread
/// count and morsel size. With `keep_counts`, every document's counts are kept for matrix().
Result<CountedCorpus> count_corpus(const TermCutter& cutter, const DocumentSource& documents,
                                   const Executor& executor, bool keep_counts);

}  // namespace parafeat::text
