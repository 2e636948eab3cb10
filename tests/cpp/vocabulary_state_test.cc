// VocabularyState and its container: statistics merge in corpus order into the whole corpus's
// state, and serialised states read back exactly, while damaged ones are clear errors.
#include "state/vocabulary_state.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "state/pipeline_state.h"
#include "state/state_file.h"

namespace parafeat::state {
namespace {

// Adds one document made of `terms` (repeats counted) to `state`.
void add(VocabularyState& state, const std::vector<std::string>& terms) {
  std::vector<TermTable::Id> ids;
  std::vector<std::int64_t> counts;
  for (const std::string& term : terms) {
    const TermTable::Id id = state.intern(term);
    auto found = std::find(ids.begin(), ids.end(), id);
    if (found == ids.end()) {
      ids.push_back(id);
      counts.push_back(1);
    } else {
      ++counts[static_cast<std::size_t>(found - ids.begin())];
    }
  }
  state.add_document(ids, counts);
}

const std::vector<std::vector<std::string>> kCorpus = {
    {"b", "a", "b"}, {"c"}, {}, {"a", "d", "d", "d"}, {"b", "e"}};

VocabularyState state_of(std::size_t begin, std::size_t end) {
  VocabularyState state;
  for (std::size_t i = begin; i < end; ++i) add(state, kCorpus[i]);
  return state;
}

TEST(VocabularyState, CountsDocumentAndTermFrequenciesInFirstOccurrenceOrder) {
  const VocabularyState state = state_of(0, kCorpus.size());
  EXPECT_EQ(state.num_documents(), 5);
  ASSERT_EQ(state.terms().size(), 5);
  EXPECT_EQ(state.terms().term(0), "b");
  EXPECT_EQ(state.terms().term(3), "d");
  EXPECT_EQ(state.document_frequency(), (std::vector<std::int64_t>{2, 2, 1, 1, 1}));
  EXPECT_EQ(state.term_frequency(), (std::vector<std::int64_t>{3, 2, 1, 3, 1}));
}

TEST(VocabularyState, MergingConsecutivePartsGivesTheWholeCorpusStateByteForByte) {
  const std::string whole = state_of(0, kCorpus.size()).serialize();
  for (std::size_t cut = 0; cut <= kCorpus.size(); ++cut) {
    VocabularyState first = state_of(0, cut);
    const std::vector<TermTable::Id> ids = first.merge(state_of(cut, kCorpus.size()));
    EXPECT_EQ(first.serialize(), whole) << "cut at " << cut;
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(state_of(cut, kCorpus.size()).terms().size()));
  }
}

TEST(VocabularyState, SerialisedStateReadsBackExactly) {
  const VocabularyState state = state_of(0, kCorpus.size());
  Result<VocabularyState> read = VocabularyState::deserialize(state.serialize());
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  EXPECT_EQ(read.value().serialize(), state.serialize());
  EXPECT_EQ(read.value().terms().find("e"), 4);
}

TEST(VocabularyState, MergingASerialisedLaterPartEqualsMergingItRead) {
  const std::string whole = state_of(0, kCorpus.size()).serialize();
  for (std::size_t cut = 0; cut <= kCorpus.size(); ++cut) {
    VocabularyState first = state_of(0, cut);
    const Status merged = first.merge_serialized(state_of(cut, kCorpus.size()).serialize());
    ASSERT_TRUE(merged.ok()) << merged.to_string();
    EXPECT_EQ(first.serialize(), whole) << "cut at " << cut;
  }
}

TEST(VocabularyState, APayloadRepeatingATermOrWithImpossibleCountsIsRefused) {
  VocabularyState twice;
  add(twice, {"a"});
  add(twice, {"b"});
  std::string payload = twice.serialize();
  // Both terms are one byte long: make the second term "a" too.
  payload[payload.rfind('b')] = 'a';
  Result<VocabularyState> read = VocabularyState::deserialize(payload);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("term 1 repeats an earlier term"), std::string::npos)
      << read.status().message();
  VocabularyState one;
  add(one, {"a", "a"});
  std::string counts = one.serialize();
  counts[counts.size() - 16] = 5;  // a document frequency above the document count (1)
  read = VocabularyState::deserialize(counts);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("term 0 has inconsistent counts"), std::string::npos)
      << read.status().message();
}

TEST(VocabularyState, TruncatedPayloadNamesWhatWasBeingRead) {
  const std::string payload = state_of(0, kCorpus.size()).serialize();
  for (std::size_t size = 0; size < payload.size(); ++size) {
    Result<VocabularyState> read = VocabularyState::deserialize(payload.substr(0, size));
    ASSERT_FALSE(read.ok()) << "size " << size;
    EXPECT_NE(read.status().message().find("truncated while reading"), std::string::npos)
        << read.status().message();
  }
}

TEST(StateFile, RoundTripsAndRejectsDamage) {
  const StateEnvelope envelope{"vocabulary", "analyzer='word'\n", "payload bytes"};
  const std::string bytes = encode_state(envelope);
  Result<StateEnvelope> read = decode_state(bytes, "vocabulary");
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  EXPECT_EQ(read.value().spec, envelope.spec);
  EXPECT_EQ(read.value().payload, envelope.payload);

  std::string flipped = bytes;
  flipped[flipped.size() - 6] ^= 0x20;
  EXPECT_NE(decode_state(flipped, "vocabulary").status().message().find("corrupted"),
            std::string::npos);
  EXPECT_NE(decode_state(bytes, "hashing").status().message().find("expected a 'hashing' state"),
            std::string::npos);
  EXPECT_NE(decode_state("garbage", "vocabulary").status().message().find("not a parafeat state"),
            std::string::npos);
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_FALSE(decode_state(bytes.substr(0, size), "vocabulary").ok()) << "size " << size;
  }
}

// The bytes of a saved pipeline whose payload holds `entries` (name, value) in order.
std::string pipeline_file(const std::vector<std::pair<std::string, std::string>>& entries) {
  return encode_state(
      {std::string(kPipelineStateKind), "version: 1\n", encode_pipeline_entries(entries)});
}

TEST(PipelineState, EntriesComeBackInOrderAndAnyTruncationIsAnError) {
  const std::vector<PipelineEntry> entries = {
      {"b", "1"}, {"a", std::string("\0\xff", 2)}, {"", ""}};
  const std::string payload = encode_pipeline_entries(entries);
  Result<std::vector<PipelineEntry>> decoded = decode_pipeline_entries(payload);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(decoded.value(), entries);
  for (std::size_t size = 1; size < payload.size(); ++size) {
    const Result<std::vector<PipelineEntry>> cut = decode_pipeline_entries(payload.substr(0, size));
    if (cut.ok()) {
      EXPECT_LT(cut.value().size(), entries.size()) << "size " << size;
    } else {
      EXPECT_NE(cut.status().message().find("truncated"), std::string::npos) << "size " << size;
    }
  }
}

TEST(PipelineState, TheFittedSpecIsReadFromAmongTheStepStates) {
  const std::string bytes =
      pipeline_file({{"counts", "state bytes"}, {"", "version: 1\nextractors: []\n"}});
  Result<std::string> spec = read_fitted_pipeline_spec(bytes);
  ASSERT_TRUE(spec.ok()) << spec.status().to_string();
  EXPECT_EQ(spec.value(), "version: 1\nextractors: []\n");
}

TEST(PipelineState, AFileWithoutAFittedSpecOrOfAnotherKindIsRefusedSayingWhatToDo) {
  const Result<std::string> old = read_fitted_pipeline_spec(pipeline_file({{"counts", "x"}}));
  EXPECT_NE(old.status().message().find("load it and save it again"), std::string::npos)
      << old.status().message();
  const std::string vocabulary = encode_state({"vocabulary", "", ""});
  EXPECT_NE(read_fitted_pipeline_spec(vocabulary).status().message().find("'pipeline'"),
            std::string::npos);
  std::string truncated = pipeline_file({{"counts", "x"}, {"", "spec"}});
  EXPECT_FALSE(read_fitted_pipeline_spec(truncated.substr(0, truncated.size() - 9)).ok());
}

}  // namespace
}  // namespace parafeat::state
