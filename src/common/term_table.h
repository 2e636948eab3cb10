// TermTable: the distinct terms of a vocabulary, each with a dense id in order of first insertion.
// The bytes of all terms live back to back in one buffer and an open-addressing table of
// (hash, id) slots finds them, so interning a term costs one hash and, almost always, one compare.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/murmurhash3.h"

namespace parafeat {

class TermTable {
 public:
  using Id = std::int32_t;
  static constexpr Id kNotFound = -1;

  TermTable();

  /// The id of `term`, after adding it with the next free id if it is new.
  Id intern(std::string_view term) {
    const std::uint32_t hash = hash_of(term);
    const std::size_t index = probe(term, hash);
    return slots_[index].id != kNotFound ? slots_[index].id : insert(term, hash, index);
  }
  /// The id of `term`, or kNotFound.
  Id find(std::string_view term) const { return slots_[probe(term, hash_of(term))].id; }

  /// The term with id `id` (0 <= id < size()).
  std::string_view term(Id id) const {
    const auto index = static_cast<std::size_t>(id);
    return std::string_view(text_).substr(ends_[index], ends_[index + 1] - ends_[index]);
  }
  /// The number of distinct terms.
  Id size() const { return static_cast<Id>(ends_.size() - 1); }
  /// The bytes of all terms together.
  std::size_t text_bytes() const { return text_.size(); }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    Id id = kNotFound;
  };

  static std::uint32_t hash_of(std::string_view term) {
    return murmurhash3_x86_32(term, 0x9747b28cU);
  }

  // Whether the term with id `id` is `term`. Inline and word by word: terms are mostly a few
  // bytes long, and a call to memcmp would cost more than the comparison.
  bool holds(Id id, std::string_view term) const {
    const auto index = static_cast<std::size_t>(id);
    const std::uint64_t begin = ends_[index];
    if (ends_[index + 1] - begin != term.size()) return false;
    const char* stored = text_.data() + begin;
    std::size_t i = 0;
    for (; i + 8 <= term.size(); i += 8) {
      std::uint64_t a = 0;
      std::uint64_t b = 0;
      std::memcpy(&a, stored + i, 8);
      std::memcpy(&b, term.data() + i, 8);
      if (a != b) return false;
    }
    for (; i < term.size(); ++i) {
      if (stored[i] != term[i]) return false;
    }
    return true;
  }

  // The slot holding `term` (whose hash is `hash`), or the empty slot where it would go.
  std::size_t probe(std::string_view term, std::uint32_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.id == kNotFound || (slot.hash == hash && holds(slot.id, term))) return i;
    }
  }

  // Adds `term` (hash `hash`) in the empty slot `index`; returns its new id.
  Id insert(std::string_view term, std::uint32_t hash, std::size_t index);
  void grow();

  std::string text_;                 // every term's bytes, in id order
  std::vector<std::uint64_t> ends_;  // term i is text_[ends_[i], ends_[i + 1])
  std::vector<Slot> slots_;          // a power of two in size, at most half full
};

}  // namespace parafeat
