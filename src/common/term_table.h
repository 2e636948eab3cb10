// TermTable: the distinct terms of a vocabulary, each with a dense id in order of first insertion.
// The bytes of all terms live back to back in one buffer and an open-addressing table of
// (hash, id) slots finds them, so interning a term costs one hash and, almost always, one compare.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace parafeat {

class TermTable {
 public:
  using Id = std::int32_t;
  static constexpr Id kNotFound = -1;

  TermTable();

  /// The id of `term`, after adding it with the next free id if it is new.
  Id intern(std::string_view term) { return intern_hashed(term, hash_of(term)); }
  /// Makes room for `count` terms in all (`text_bytes` bytes of them), so that adding them does
  /// not grow the table step by step.
  void reserve(std::size_t count, std::size_t text_bytes);

  /// The id of `term`, or kNotFound.
  Id find(std::string_view term) const { return slots_[probe(term, hash_of(term))].id; }

  /// intern() of each of `terms` in order, the ids appended to `ids`. Faster than a call per
  /// term: the slots of a block of terms are fetched ahead while the block is hashed, so their
  /// cache misses overlap. `hashes` is working memory.
  void intern_all(std::span<const std::string_view> terms, std::vector<Id>& ids,
                  std::vector<std::uint32_t>& hashes);
  /// find() of each of `terms` in order, the ids (or kNotFound) appended to `ids`, fetched ahead
  /// as intern_all() does.
  void find_all(std::span<const std::string_view> terms, std::vector<Id>& ids,
                std::vector<std::uint32_t>& hashes) const;
  /// intern() of each term of `other` in id order: the id here of each of other's terms.
  std::vector<Id> intern_table(const TermTable& other);

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
  // A slot holds what decides, for a term of at most 8 bytes, whether it is the slot's term, so
  // that a lookup reads one cache line and not also the term's bounds and bytes elsewhere.
  struct Slot {
    std::uint64_t prefix = 0;  // the term's first min(size, 8) bytes, zero-padded
    Id id = kNotFound;
    std::uint16_t tag = 0;   // the top 16 bits of the term's hash
    std::uint16_t size = 0;  // the term's size in bytes, kLongSize for kLongSize and more
  };
  static_assert(sizeof(Slot) == 16);
  static_assert(std::endian::native == std::endian::little, "prefix_of assumes little-endian");
  static constexpr std::size_t kLongSize = 0xFFFF;

  // A term's hash: its words (the first 8 bytes as prefix_of() reads them, then each further 8,
  // the last one overlapping) multiplied in, then MurmurHash3's 64-bit finaliser, whose output
  // bits each depend on every input bit. Only this table sees it (slot, tag and growth), so it
  // need not be any published hash, and on short terms it costs less than MurmurHash3 x86_32.
  static std::uint32_t hash_of(std::string_view term) {
    constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ULL;
    const std::size_t size = term.size();
    std::uint64_t h = (prefix_of(term) ^ size) * kMultiplier;
    for (std::size_t i = 8; i < size; i += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, term.data() + std::min(i, size - 8), 8);
      h = (std::rotl(h, 29) ^ word) * kMultiplier;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return static_cast<std::uint32_t>(h);
  }

  // The first min(size, 8) bytes of `term` as a little-endian word, zero-padded. Short terms
  // are read with fixed-size loads (two that may overlap) rather than a byte loop.
  static std::uint64_t prefix_of(std::string_view term) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(term.data());
    const std::size_t size = term.size();
    if (size >= 8) {
      std::uint64_t prefix = 0;
      std::memcpy(&prefix, bytes, 8);
      return prefix;
    }
    if (size >= 4) {
      std::uint32_t low = 0;
      std::uint32_t high = 0;
      std::memcpy(&low, bytes, 4);
      std::memcpy(&high, bytes + size - 4, 4);
      return std::uint64_t{low} | std::uint64_t{high} << (8 * (size - 4));
    }
    if (size == 0) return 0;
    return std::uint64_t{bytes[0]} | std::uint64_t{bytes[size / 2]} << (8 * (size / 2)) |
           std::uint64_t{bytes[size - 1]} << (8 * (size - 1));
  }

  static Slot slot_of(std::string_view term, std::uint32_t hash, Id id) {
    return Slot{prefix_of(term), id, static_cast<std::uint16_t>(hash >> 16),
                static_cast<std::uint16_t>(term.size() < kLongSize ? term.size() : kLongSize)};
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

  // The slot holding `term` (whose hash is `hash`), or the empty slot where it would go. A term
  // of at most 8 bytes is decided by the slot alone: same size, same bytes.
  std::size_t probe(std::string_view term, std::uint32_t hash) const {
    const Slot wanted = slot_of(term, hash, kNotFound);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.id == kNotFound) return i;
      if (slot.tag == wanted.tag && slot.size == wanted.size && slot.prefix == wanted.prefix &&
          (term.size() <= 8 || holds(slot.id, term))) {
        return i;
      }
    }
  }

  // Asks for the cache line of the first slot a term of hash `hash` probes.
  void prefetch_slot(std::uint32_t hash) const {
    __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }
  // Calls fn(term, hash) for each of `terms` in order, a block at a time: the block's terms are
  // hashed and their first slots fetched before any of them is looked up, so that the cache
  // misses overlap. The block is small enough that the lines are still in L1 when used.
  template <typename Fn>
  void for_each_prefetched(std::span<const std::string_view> terms,
                           std::vector<std::uint32_t>& hashes, Fn&& fn) const {
    constexpr std::size_t kBlock = 32;
    hashes.resize(kBlock);
    for (std::size_t begin = 0; begin < terms.size(); begin += kBlock) {
      const std::size_t count = std::min(kBlock, terms.size() - begin);
      for (std::size_t i = 0; i < count; ++i) {
        hashes[i] = hash_of(terms[begin + i]);
        prefetch_slot(hashes[i]);
      }
      for (std::size_t i = 0; i < count; ++i) fn(terms[begin + i], hashes[i]);
    }
  }

  // The id of `term` (hash `hash`), added if new.
  Id intern_hashed(std::string_view term, std::uint32_t hash) {
    const std::size_t index = probe(term, hash);
    return slots_[index].id != kNotFound ? slots_[index].id : insert(term, hash, index);
  }

  // Adds `term` (hash `hash`) in the empty slot `index`; returns its new id.
  Id insert(std::string_view term, std::uint32_t hash, std::size_t index);
  void grow();
  // Moves every slot into a table of `num_slots` slots (a power of two, more than twice size()).
  void rehash(std::size_t num_slots);

  std::string text_;                   // every term's bytes, in id order
  std::vector<std::uint64_t> ends_;    // term i is text_[ends_[i], ends_[i + 1])
  std::vector<std::uint32_t> hashes_;  // each term's hash, by id (to grow the slots)
  std::vector<Slot> slots_;            // a power of two in size, at most half full
};

}  // namespace parafeat
