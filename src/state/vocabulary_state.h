// VocabularyState: the corpus statistics a vocabulary (CountVectorizer, TfidfVectorizer) is
// fitted from. For every distinct term, in order of first occurrence in the corpus, it holds the
// number of documents containing the term and the term's total count, plus the number of
// documents seen. States of consecutive parts of a corpus, merged in corpus order, equal the
// state of the whole corpus byte for byte, however the corpus was split.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/term_table.h"
#include "parafeat/status.h"

namespace parafeat::state {

class VocabularyState {
 public:
  /// The kind written in the state container.
  static constexpr std::string_view kKind = "vocabulary";

  /// Records one document: its distinct terms (ids from intern()) and how often each occurs.
  void add_document(std::span<const TermTable::Id> term_ids, std::span<const std::int64_t> counts);
  /// The id of `term`, adding it (with zero counts) if it is new.
  TermTable::Id intern(std::string_view term) {
    const TermTable::Id id = terms_.intern(term);
    if (static_cast<std::size_t>(id) == document_frequency_.size()) {
      document_frequency_.push_back(0);
      term_frequency_.push_back(0);
    }
    return id;
  }

  /// Makes room for `count` terms in all, of `text_bytes` bytes.
  void reserve(std::size_t count, std::size_t text_bytes) {
    terms_.reserve(count, text_bytes);
    document_frequency_.reserve(count);
    term_frequency_.reserve(count);
  }

  /// intern() of each of `terms` in order, the ids appended to `ids` (see
  /// TermTable::intern_all; `hashes` is working memory).
  void intern_all(std::span<const std::string_view> terms, std::vector<TermTable::Id>& ids,
                  std::vector<std::uint32_t>& hashes) {
    terms_.intern_all(terms, ids, hashes);
    document_frequency_.resize(static_cast<std::size_t>(terms_.size()), 0);
    term_frequency_.resize(static_cast<std::size_t>(terms_.size()), 0);
  }

  /// Adds the statistics of `later`, a state of the part of the corpus that follows this one:
  /// its new terms take the next ids in its order. Returns the id in this state of each of
  /// later's terms.
  std::vector<TermTable::Id> merge(const VocabularyState& later);

  const TermTable& terms() const { return terms_; }
  std::int64_t num_documents() const { return num_documents_; }
  /// Documents containing each term, by id.
  const std::vector<std::int64_t>& document_frequency() const { return document_frequency_; }
  /// Total occurrences of each term, by id.
  const std::vector<std::int64_t>& term_frequency() const { return term_frequency_; }

  /// The state's payload bytes (see state_file.h for the container around them).
  std::string serialize() const;
  /// Reads a payload written by serialize(); errors name what is truncated or inconsistent.
  static Result<VocabularyState> deserialize(std::string_view payload);
  /// merge(deserialize(payload)) without building the later state: its terms go straight into
  /// this state's table. On error (as deserialize's) this state is left in an unspecified state.
  Status merge_serialized(std::string_view payload);

 private:
  TermTable terms_;
  std::int64_t num_documents_ = 0;
  std::vector<std::int64_t> document_frequency_;
  std::vector<std::int64_t> term_frequency_;
};

}  // namespace parafeat::state
