// AscendingMarks: a set of integers below a fixed bound, visited in ascending order. A bit per
// member, and a bit per nonzero word of those bits, so that visiting (and clearing) the marks
// skips empty stretches 4096 values at a time: what sorts a document's few hundred distinct
// columns among many thousands without a comparison sort.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace parafeat {

class AscendingMarks {
 public:
  /// An empty set of values below 0: reset() gives it a bound.
  AscendingMarks() = default;
  /// An empty set of values below `bound`.
  explicit AscendingMarks(std::size_t bound) { reset(bound); }

  /// Empties the set and makes its bound `bound`.
  void reset(std::size_t bound) {
    bound_ = bound;
    const std::size_t words = (bound + kWordBits - 1) / kWordBits;
    members_.assign(words, 0);
    nonzero_words_.assign((words + kWordBits - 1) / kWordBits, 0);
  }

  /// The bound given to the constructor or to reset().
  std::size_t bound() const { return bound_; }

  /// Adds `value` (< bound()); adding a member again changes nothing.
  void mark(std::size_t value) {
    const std::size_t word = value / kWordBits;
    members_[word] |= std::uint64_t{1} << (value % kWordBits);
    nonzero_words_[word / kWordBits] |= std::uint64_t{1} << (word % kWordBits);
  }

  /// Calls visit(value) for each member in ascending order, leaving the set empty.
  template <typename Visit>
  void drain(Visit&& visit) {
    for (std::size_t group = 0; group < nonzero_words_.size(); ++group) {
      for (std::uint64_t words = std::exchange(nonzero_words_[group], 0); words != 0;
           words &= words - 1) {
        const std::size_t word =
            group * kWordBits + static_cast<std::size_t>(std::countr_zero(words));
        for (std::uint64_t bits = std::exchange(members_[word], 0); bits != 0; bits &= bits - 1) {
          visit(word * kWordBits + static_cast<std::size_t>(std::countr_zero(bits)));
        }
      }
    }
  }

 private:
  static constexpr std::size_t kWordBits = 64;

  std::size_t bound_ = 0;
  std::vector<std::uint64_t> members_;        // bit v % 64 of word v / 64: whether v is a member
  std::vector<std::uint64_t> nonzero_words_;  // bit w % 64 of word w / 64: members_[w] != 0
};

}  // namespace parafeat
