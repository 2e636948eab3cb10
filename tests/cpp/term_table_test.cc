// TermTable: distinct terms get dense ids in order of first insertion and are found again.
#include "common/term_table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace parafeat {
namespace {

TEST(TermTable, GivesDenseIdsInOrderOfFirstInsertion) {
  TermTable table;
  EXPECT_EQ(table.intern("zeta"), 0);
  EXPECT_EQ(table.intern("alpha"), 1);
  EXPECT_EQ(table.intern("zeta"), 0);
  EXPECT_EQ(table.intern(""), 2);
  EXPECT_EQ(table.size(), 3);
  EXPECT_EQ(table.term(0), "zeta");
  EXPECT_EQ(table.term(1), "alpha");
  EXPECT_EQ(table.term(2), "");
  EXPECT_EQ(table.text_bytes(), 9U);
}

TEST(TermTable, FindsOnlyInternedTerms) {
  TermTable table;
  table.intern("σς");
  EXPECT_EQ(table.find("σς"), 0);
  EXPECT_EQ(table.find("σ"), TermTable::kNotFound);
  EXPECT_EQ(table.find(std::string("σς\0", 5)), TermTable::kNotFound);
}

TEST(TermTable, KeepsEveryTermThroughManyGrowths) {
  TermTable table;
  constexpr int kTerms = 100000;
  for (int i = 0; i < kTerms; ++i) ASSERT_EQ(table.intern("t" + std::to_string(i)), i);
  for (int i = 0; i < kTerms; ++i) {
    ASSERT_EQ(table.find("t" + std::to_string(i)), i);
    ASSERT_EQ(table.term(i), "t" + std::to_string(i));
  }
  EXPECT_EQ(table.find("t" + std::to_string(kTerms)), TermTable::kNotFound);
}

// Appends, for each size in [min_size, max_size], the term of `size` 'a's and each term that
// differs from it in one byte (a 'b').
void add_terms_differing_in_one_byte(std::size_t min_size, std::size_t max_size,
                                     std::vector<std::string>& terms) {
  for (std::size_t size = min_size; size <= max_size; ++size) {
    terms.emplace_back(size, 'a');
    for (std::size_t i = 0; i < size; ++i) {
      std::string changed(size, 'a');
      changed[i] = 'b';
      terms.push_back(changed);
    }
  }
}

// Interns `terms` into a new table, expecting ids 0, 1, 2, ... (all distinct), and finds each
// again.
void expect_all_distinct(const std::vector<std::string>& terms) {
  TermTable table;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    ASSERT_EQ(table.intern(terms[i]), static_cast<TermTable::Id>(i)) << "term " << i;
  }
  for (std::size_t i = 0; i < terms.size(); ++i) {
    EXPECT_EQ(table.find(terms[i]), static_cast<TermTable::Id>(i)) << "term " << i;
  }
}

TEST(TermTable, TellsApartShortTermsThatDifferOnlyInSizeOrOneByte) {
  // Terms of up to 8 bytes are decided by their slot alone (prefix, size, hash bits): terms that
  // pad to the same prefix, or differ in one byte at any position, stay distinct.
  std::vector<std::string> terms{""};
  for (std::size_t size = 1; size <= 10; ++size) terms.emplace_back(size, '\0');
  add_terms_differing_in_one_byte(1, 10, terms);
  expect_all_distinct(terms);
}

TEST(TermTable, TellsApartLongTermsThatDifferInAnyOneByte) {
  // Terms longer than 8 bytes are hashed word by word, the last word overlapping the one before
  // it, and compared byte by byte: a change in any one byte, at any length, is another term.
  std::vector<std::string> terms;
  add_terms_differing_in_one_byte(9, 40, terms);
  expect_all_distinct(terms);
}

TEST(TermTable, BatchInterningAndFindingEqualOneTermAtATime) {
  std::vector<std::string> owned;
  for (int i = 0; i < 5000; ++i) owned.push_back("w" + std::to_string((i * 7919) % 1300));
  const std::vector<std::string_view> terms(owned.begin(), owned.end());
  TermTable one_by_one;
  std::vector<TermTable::Id> expected;
  for (std::string_view term : terms) expected.push_back(one_by_one.intern(term));

  TermTable batched;
  std::vector<TermTable::Id> ids;
  std::vector<std::uint32_t> hashes;
  batched.intern_all(std::span(terms).first(100), ids, hashes);
  batched.intern_all(std::span(terms).subspan(100), ids, hashes);
  EXPECT_EQ(ids, expected);

  std::vector<TermTable::Id> found;
  const std::vector<std::string_view> queries{"w0", "w1299", "w1300", "", "zzz"};
  batched.find_all(queries, found, hashes);
  EXPECT_EQ(found, (std::vector<TermTable::Id>{one_by_one.find("w0"), one_by_one.find("w1299"),
                                               TermTable::kNotFound, TermTable::kNotFound,
                                               TermTable::kNotFound}));
}

TEST(TermTable, InterningAnotherTableAddsItsNewTermsInItsOrder) {
  TermTable earlier;
  earlier.intern("beta");
  earlier.intern("alpha");
  TermTable later;
  later.reserve(3, 16);
  later.intern("gamma");
  later.intern("alpha");
  later.intern("delta");
  EXPECT_EQ(earlier.intern_table(later), (std::vector<TermTable::Id>{2, 1, 3}));
  EXPECT_EQ(earlier.term(2), "gamma");
  EXPECT_EQ(earlier.term(3), "delta");
}

TEST(TermTable, ReservingKeepsTheTermsAlreadyThere) {
  TermTable table;
  for (int i = 0; i < 100; ++i) table.intern("t" + std::to_string(i));
  table.reserve(10000, 60000);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(table.find("t" + std::to_string(i)), i);
  EXPECT_EQ(table.intern("new"), 100);
}

}  // namespace
}  // namespace parafeat
