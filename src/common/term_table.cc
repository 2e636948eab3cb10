#include "common/term_table.h"

#include <algorithm>
#include <limits>

#include "common/check.h"

namespace parafeat {
namespace {

constexpr std::size_t kInitialSlots = 64;
// How far ahead of its lookup intern_table() fetches a slot.
constexpr std::size_t kAhead = 16;

}  // namespace

TermTable::TermTable() : ends_{0}, slots_(kInitialSlots) {}

TermTable::Id TermTable::insert(std::string_view term, std::uint32_t hash, std::size_t index) {
  PARAFEAT_DCHECK(size() < std::numeric_limits<Id>::max());
  const Id id = size();
  text_.append(term);
  ends_.push_back(text_.size());
  hashes_.push_back(hash);
  slots_[index] = slot_of(term, hash, id);
  if (static_cast<std::size_t>(size()) * 2 > slots_.size()) grow();
  return id;
}

void TermTable::intern_all(std::span<const std::string_view> terms, std::vector<Id>& ids,
                           std::vector<std::uint32_t>& hashes) {
  for_each_prefetched(terms, hashes, [&](std::string_view term, std::uint32_t hash) {
    ids.push_back(intern_hashed(term, hash));
  });
}

void TermTable::find_all(std::span<const std::string_view> terms, std::vector<Id>& ids,
                         std::vector<std::uint32_t>& hashes) const {
  for_each_prefetched(terms, hashes, [&](std::string_view term, std::uint32_t hash) {
    ids.push_back(slots_[probe(term, hash)].id);
  });
}

std::vector<TermTable::Id> TermTable::intern_table(const TermTable& other) {
  const auto count = static_cast<std::size_t>(other.size());
  std::vector<Id> ids(count);
  for (std::size_t i = 0; i < std::min(kAhead, count); ++i) prefetch_slot(other.hashes_[i]);
  for (std::size_t i = 0; i < count; ++i) {
    if (i + kAhead < count) prefetch_slot(other.hashes_[i + kAhead]);
    ids[i] = intern_hashed(other.term(static_cast<Id>(i)), other.hashes_[i]);
  }
  return ids;
}

void TermTable::reserve(std::size_t count, std::size_t text_bytes) {
  text_.reserve(text_bytes);
  ends_.reserve(count + 1);
  hashes_.reserve(count);
  if (count * 2 > slots_.size()) {
    std::size_t slots = slots_.size();
    while (count * 2 > slots) slots *= 2;
    rehash(slots);
  }
}

void TermTable::grow() {
  rehash(slots_.size() * 2);
}

void TermTable::rehash(std::size_t num_slots) {
  std::vector<Slot> old(num_slots);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id == kNotFound) continue;
    std::size_t i = hashes_[static_cast<std::size_t>(slot.id)] & mask;
    while (slots_[i].id != kNotFound) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

}  // namespace parafeat
