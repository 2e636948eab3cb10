// advise_huge_pages: only a hint to the kernel, so whatever the buffer, its contents stay as they
// were and stay writable.
#include "common/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

namespace parafeat {
namespace {

TEST(HugePages, IgnoresEmptyAndSmallBuffers) {
  advise_huge_pages(nullptr, 0);
  advise_huge_pages(nullptr, std::size_t{64} << 20);
  std::vector<std::uint8_t> small(100, 7);
  advise_huge_pages(small.data(), small.size());
  EXPECT_EQ(small, std::vector<std::uint8_t>(100, 7));
}

TEST(HugePages, KeepsTheContentsOfALargeUnalignedBuffer) {
  std::vector<std::uint32_t> values(std::size_t{3} << 20);  // 12 MiB, partly written already
  std::iota(values.begin(), values.begin() + 1000, 0U);
  advise_huge_pages(values.data() + 1, (values.size() - 1) * sizeof(std::uint32_t));
  std::iota(values.begin() + 1000, values.end(), 1000U);
  for (std::size_t i = 0; i < values.size(); i += 4099) {
    ASSERT_EQ(values[i], static_cast<std::uint32_t>(i)) << "value " << i;
  }
  EXPECT_EQ(values.back(), static_cast<std::uint32_t>(values.size() - 1));
}

}  // namespace
}  // namespace parafeat
