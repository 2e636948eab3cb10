// How many rows a morsel takes: series by their values, documents by their bytes.
#include "common/morsel_sizes.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace parafeat {
namespace {

constexpr std::int64_t kKiB = 1024;

TEST(DocumentsPerMorsel, KeepsTheRowsAskedForWhenDocumentsAreLong) {
  // 10 000 documents of 8 KiB: 256 of them are 2 MiB, more than a morsel needs.
  EXPECT_EQ(documents_per_morsel(10'000 * 8 * kKiB, 10'000, 2, 256), 256);
}

TEST(DocumentsPerMorsel, GivesShortDocumentsAbout1MiBAMorsel) {
  // 1 000 000 documents of 128 bytes: 8 192 of them are 1 MiB.
  EXPECT_EQ(documents_per_morsel(1'000'000 * 128, 1'000'000, 2, 256), 8192);
}

TEST(DocumentsPerMorsel, LeavesEightMorselsPerThread) {
  // 20 000 documents of 100 bytes would fit in two 1 MiB morsels; 2 threads want 16.
  EXPECT_EQ(documents_per_morsel(20'000 * 100, 20'000, 2, 256), 1250);
  EXPECT_EQ(documents_per_morsel(20'000 * 100, 20'000, 1, 256), 2500);
}

TEST(DocumentsPerMorsel, NeverGoesBelowTheRowsAskedFor) {
  EXPECT_EQ(documents_per_morsel(100 * 100, 100, 8, 7), 7);  // small input, many threads
  EXPECT_EQ(documents_per_morsel(0, 1'000, 2, 256), 256);    // empty documents only
  EXPECT_EQ(documents_per_morsel(0, 0, 2, 256), 256);        // no documents
}

TEST(SeriesPerMorsel, GivesAbout64KValuesAMorselAndFourMorselsPerThread) {
  EXPECT_EQ(series_per_morsel(10'000 * 64, 10'000, 2), 1024);    // short series: at most 1 024
  EXPECT_EQ(series_per_morsel(1'000 * 6'553, 1'000, 2), 10);     // 6 553 values: 10 series
  EXPECT_EQ(series_per_morsel(1'000 * 1'000'000, 1'000, 2), 1);  // long series: one each
  EXPECT_EQ(series_per_morsel(40 * 100, 40, 2), 5);              // four morsels per thread
}

}  // namespace
}  // namespace parafeat
