// TF-IDF weighting of CSR rows: values times idf, then unit norm, rounded as scikit-learn rounds.
#include "extractors/text/tfidf.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace parafeat::text {
namespace {

TEST(WeightRows, MultipliesByIdfThenNormalisesEachRow) {
  std::vector<double> data{1, 2, 3, 4};
  const std::vector<std::int32_t> indices{0, 2, 1, 2};
  const std::vector<std::int32_t> indptr{0, 2, 2, 4};
  const std::vector<double> idf{2.0, 0.5, 1.5};
  weight_rows<double, std::int32_t>(data, indices, indptr, RowRange{0, 3}, idf, Norm::kL1);
  // Row 0: {2, 3} / 5; row 2: {1.5, 6} / 7.5.
  EXPECT_EQ(data, (std::vector<double>{2.0 / 5, 3.0 / 5, 1.5 / 7.5, 6.0 / 7.5}));
}

TEST(WeightRows, RoundsFloat32ProductsOnceLikeNumpy) {
  std::vector<float> data{3.0F, 7.0F};
  const std::vector<std::int64_t> indices{0, 1};
  const std::vector<std::int64_t> indptr{0, 2};
  const std::vector<double> idf{0.1, 1.0 / 3.0};
  weight_rows<float, std::int64_t>(data, indices, indptr, RowRange{0, 1}, idf, Norm::kNone);
  EXPECT_EQ(data[0], static_cast<float>(3.0 * 0.1));
  EXPECT_EQ(data[1], static_cast<float>(7.0 / 3.0 * 1.0));
}

TEST(WeightRows, L2NormLeavesZeroRowsAlone) {
  std::vector<double> data{0.0, 0.0, 3.0, 4.0};
  const std::vector<std::int32_t> indices{0, 1, 0, 1};
  const std::vector<std::int32_t> indptr{0, 2, 4};
  weight_rows<double, std::int32_t>(data, indices, indptr, RowRange{0, 2}, {}, Norm::kL2);
  EXPECT_EQ(data, (std::vector<double>{0.0, 0.0, 0.6, 0.8}));
}

}  // namespace
}  // namespace parafeat::text
