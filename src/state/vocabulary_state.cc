#include "state/vocabulary_state.h"

#include <algorithm>
#include <cstddef>

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
  VocabularyState state;
  PARAFEAT_RETURN_NOT_OK(state.merge_serialized(payload));
  return state;
}

Status VocabularyState::merge_serialized(std::string_view payload) {
  ByteReader reader(payload, "vocabulary state");
  PARAFEAT_ASSIGN_OR_RAISE(std::int64_t num_documents, reader.i64("the document count"));
  PARAFEAT_ASSIGN_OR_RAISE(std::uint64_t num_terms, reader.u64("the term count"));
  // As many terms as the bytes left can hold: each takes a length and two counts besides its
  // text. All are read first, then interned together (their table slots fetched ahead).
  constexpr std::size_t kTermOverhead = 3 * sizeof(std::uint64_t);
  const std::size_t room = std::min<std::uint64_t>(num_terms, reader.remaining() / kTermOverhead);
  std::vector<std::string_view> terms;
  std::vector<std::int64_t> counts;  // document and term frequency of each term, in turn
  terms.reserve(room);
  counts.reserve(2 * room);
  for (std::uint64_t i = 0; i < num_terms; ++i) {
    PARAFEAT_ASSIGN_OR_RAISE(std::string_view term, reader.bytes("a term"));
    PARAFEAT_ASSIGN_OR_RAISE(std::int64_t df, reader.i64("a document frequency"));
    PARAFEAT_ASSIGN_OR_RAISE(std::int64_t tf, reader.i64("a term frequency"));
    if (df < 1 || df > num_documents || tf < df) {
      return reader.invalid("term " + std::to_string(i) + " has inconsistent counts");
    }
    terms.push_back(term);
    counts.push_back(df);
    counts.push_back(tf);
  }
  if (reader.remaining() != 0) return reader.invalid("unexpected bytes after the last term");

  std::size_t text_bytes = terms_.text_bytes();
  for (const std::string_view term : terms) text_bytes += term.size();
  reserve(static_cast<std::size_t>(terms_.size()) + terms.size(), text_bytes);
  std::vector<TermTable::Id> ids;
  ids.reserve(terms.size());
  std::vector<std::uint32_t> hashes;
  intern_all(terms, ids, hashes);
  std::vector<bool> seen(static_cast<std::size_t>(terms_.size()), false);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto id = static_cast<std::size_t>(ids[i]);
    if (seen[id]) {
      return Status::Invalid("vocabulary state: term " + std::to_string(i) +
                             " repeats an earlier term");
    }
    seen[id] = true;
    document_frequency_[id] += counts[2 * i];
    term_frequency_[id] += counts[2 * i + 1];
  }
  num_documents_ += num_documents;
  return Status::OK();
}

}  // namespace parafeat::state
