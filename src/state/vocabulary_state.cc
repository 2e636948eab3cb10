#include "state/vocabulary_state.h"

#include "common/check.h"
#include "state/byte_codec.h"

namespace parafeat::state {

void VocabularyState::add_document(std::span<const TermTable::Id> term_ids,
                                   std::span<const std::int64_t> counts) {
  PARAFEAT_DCHECK(term_ids.size() == counts.size());
  for (std::size_t i = 0; i < term_ids.size(); ++i) {
    const auto id = static_cast<std::size_t>(term_ids[i]);
    document_frequency_[id] += 1;
    term_frequency_[id] += counts[i];
  }
  ++num_documents_;
}

std::vector<TermTable::Id> VocabularyState::merge(const VocabularyState& later) {
  std::vector<TermTable::Id> ids = terms_.intern_table(later.terms());
  document_frequency_.resize(static_cast<std::size_t>(terms_.size()), 0);
  term_frequency_.resize(static_cast<std::size_t>(terms_.size()), 0);
  for (std::size_t from = 0; from < ids.size(); ++from) {
    const auto id = static_cast<std::size_t>(ids[from]);
    document_frequency_[id] += later.document_frequency_[from];
    term_frequency_[id] += later.term_frequency_[from];
  }
  num_documents_ += later.num_documents_;
  return ids;
}

std::string VocabularyState::serialize() const {
  ByteWriter writer;
  writer.i64(num_documents_);
  writer.u64(static_cast<std::uint64_t>(terms_.size()));
  for (TermTable::Id id = 0; id < terms_.size(); ++id) {
    const auto index = static_cast<std::size_t>(id);
    writer.bytes(terms_.term(id));
    writer.i64(document_frequency_[index]);
    writer.i64(term_frequency_[index]);
  }
  return writer.take();
}

Result<VocabularyState> VocabularyState::deserialize(std::string_view payload) {
  ByteReader reader(payload, "vocabulary state");
  VocabularyState state;
  PARAFEAT_ASSIGN_OR_RAISE(state.num_documents_, reader.i64("the document count"));
  PARAFEAT_ASSIGN_OR_RAISE(std::uint64_t num_terms, reader.u64("the term count"));
  for (std::uint64_t i = 0; i < num_terms; ++i) {
    PARAFEAT_ASSIGN_OR_RAISE(std::string_view term, reader.bytes("a term"));
    PARAFEAT_ASSIGN_OR_RAISE(std::int64_t df, reader.i64("a document frequency"));
    PARAFEAT_ASSIGN_OR_RAISE(std::int64_t tf, reader.i64("a term frequency"));
    if (state.intern(term) != static_cast<TermTable::Id>(i)) {
      return reader.invalid("term " + std::to_string(i) + " repeats an earlier term");
    }
    if (df < 1 || df > state.num_documents_ || tf < df) {
      return reader.invalid("term " + std::to_string(i) + " has inconsistent counts");
    }
    state.document_frequency_[i] = df;
    state.term_frequency_[i] = tf;
  }
  if (reader.remaining() != 0) return reader.invalid("unexpected bytes after the last term");
  return state;
}

}  // namespace parafeat::state
