// AscendingMarks visits what was marked, in ascending order, once, and is empty afterwards.
#include "common/ascending_marks.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <set>
#include <vector>

namespace parafeat {
namespace {

std::vector<std::size_t> drained(AscendingMarks& marks) {
  std::vector<std::size_t> values;
  marks.drain([&](std::size_t value) { values.push_back(value); });
  return values;
}

TEST(AscendingMarks, VisitsEachMarkedValueOnceInAscendingOrder) {
  AscendingMarks marks(10'000);
  for (std::size_t value : {9'999U, 0U, 64U, 63U, 4'096U, 4'095U, 64U, 1U}) marks.mark(value);
  EXPECT_EQ(drained(marks), (std::vector<std::size_t>{0, 1, 63, 64, 4'095, 4'096, 9'999}));
}

TEST(AscendingMarks, IsEmptyAfterADrainAndCanBeUsedAgain) {
  AscendingMarks marks(200);
  marks.mark(150);
  EXPECT_EQ(drained(marks), (std::vector<std::size_t>{150}));
  EXPECT_TRUE(drained(marks).empty());
  marks.mark(3);
  EXPECT_EQ(drained(marks), (std::vector<std::size_t>{3}));
}

TEST(AscendingMarks, AgreesWithASortedSetOnRandomMarks) {
  std::mt19937 random(20261126);
  AscendingMarks marks;
  for (std::size_t bound : {1U, 63U, 64U, 65U, 4'096U, 4'097U, 300'000U}) {
    marks.reset(bound);
    EXPECT_EQ(marks.bound(), bound);
    std::uniform_int_distribution<std::size_t> value(0, bound - 1);
    for (int round = 0; round < 3; ++round) {
      std::set<std::size_t> expected;
      for (int i = 0; i < 500; ++i) {
        const std::size_t v = value(random);
        expected.insert(v);
        marks.mark(v);
      }
      EXPECT_EQ(drained(marks), std::vector<std::size_t>(expected.begin(), expected.end()));
    }
  }
}

}  // namespace
}  // namespace parafeat
