// TermTable: the distinct terms of a vocabulary, each with a dense id in order of first insertion.
// The bytes of all terms live back to back in one buffer and an open-addressing table of
// (hash, id) slots finds them, so interning a term costs one hash and, almost always, one compare.
#pragma once

#include <cstdint>
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
  Id intern(std::string_view term);
  /// The id of `term`, or kNotFound.
  Id find(std::string_view term) const;

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

  // The slot holding `term` (whose hash is `hash`), or the empty slot where it would go.
  std::size_t probe(std::string_view term, std::uint32_t hash) const;
  void grow();

  std::string text_;                // every term's bytes, in id order
  std::vector<std::uint64_t> ends_;  // term i is text_[ends_[i], ends_[i + 1])
  std::vector<Slot> slots_;         // a power of two in size, at most half full
};

}  // namespace parafeat
