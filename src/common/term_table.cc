#include "common/term_table.h"

#include <limits>

#include "common/check.h"

namespace parafeat {
namespace {

constexpr std::size_t kInitialSlots = 64;

}  // namespace

TermTable::TermTable() : ends_{0}, slots_(kInitialSlots) {}

TermTable::Id TermTable::insert(std::string_view term, std::uint32_t hash, std::size_t index) {
  PARAFEAT_DCHECK(size() < std::numeric_limits<Id>::max());
  const Id id = size();
  text_.append(term);
  ends_.push_back(text_.size());
  slots_[index] = Slot{hash, id};
  if (static_cast<std::size_t>(size()) * 2 > slots_.size()) grow();
  return id;
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
