// TermTable: distinct terms get dense ids in order of first insertion and are found again.
#include "common/term_table.h"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace parafeat
