#include "common/term_table.h"

#include <limits>

#include "common/check.h"
#include "common/murmurhash3.h"

namespace parafeat {
namespace {

constexpr std::size_t kInitialSlots = 64;

std::uint32_t hash_of(std::string_view term) {
  return murmurhash3_x86_32(term, 0x9747b28cU);
}

}  // namespace

TermTable::TermTable() : ends_{0}, slots_(kInitialSlots) {}

std::size_t TermTable::probe(std::string_view term, std::uint32_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.id == kNotFound || (slot.hash == hash && this->term(slot.id) == term)) return i;
  }
}

TermTable::Id TermTable::intern(std::string_view term) {
  const std::uint32_t hash = hash_of(term);
  std::size_t index = probe(term, hash);
  if (slots_[index].id != kNotFound) return slots_[index].id;

  PARAFEAT_DCHECK(size() < std::numeric_limits<Id>::max());
  const Id id = size();
  text_.append(term);
  ends_.push_back(text_.size());
  slots_[index] = Slot{hash, id};
  if (static_cast<std::size_t>(size()) * 2 > slots_.size()) grow();
  return id;
}

TermTable::Id TermTable::find(std::string_view term) const {
  return slots_[probe(term, hash_of(term))].id;
}

void TermTable::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id == kNotFound) continue;
    std::size_t i = slot.hash & mask;
    while (slots_[i].id != kNotFound) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

}  // namespace parafeat
