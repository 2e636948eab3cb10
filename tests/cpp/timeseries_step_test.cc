// The timeseries_features pipeline step: one series per row in, tsfresh's features out, equal to
// extract_features on the same series; series columns; dense feature batches.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "common/arrow_c_internal.h"
#include "parafeat/pipeline.h"
#include "parafeat/timeseries.h"
#include "test_support.h"

namespace parafeat {
namespace {

using testing::OwnedSeries;

Result<std::vector<FeatureColumn>> run(const Pipeline& pipeline, const SeriesColumn& series,
                                       int threads = 2) {
  return pipeline.extract(
      [](std::string_view) -> Result<StringColumn> { return Status::KeyError("no strings"); },
      [&](std::string_view) { return series; }, testing::make_executor(threads, 4));
}

Pipeline make_pipeline(const std::string& features) {
  Result<Pipeline> pipeline = Pipeline::from_yaml(
      "version: 1\nextractors:\n  - name: timeseries_features\n    column: temp\n"
      "    params: {features: " +
      features + "}\n");
  EXPECT_TRUE(pipeline.ok()) << pipeline.status().to_string();
  return std::move(pipeline).value();
}

std::vector<double> wave(int length, double phase) {
  std::vector<double> x;
  for (int t = 0; t < length; ++t) x.push_back(std::sin(phase + t * 0.7) * (t % 5 + 1));
  return x;
}

TEST(TimeseriesStep, FeaturesEqualExtractFeaturesOnTheSameSeriesBitForBit) {
  const Pipeline pipeline = make_pipeline("minimal");
  OwnedSeries series;
  std::vector<std::vector<double>> waves;
  const std::vector<int> lengths{1, 2, 3, 10, 40, 7, 1, 25, 9, 3};
  for (std::size_t s = 0; s < lengths.size(); ++s) {
    waves.push_back(wave(lengths[s], static_cast<double>(s)));
    series.add(waves.back());
  }
  const testing::OwnedLongSeries long_input(waves, "temp");
  timeseries::KindSettings minimal;
  for (const timeseries::CalculatorInfo& info : timeseries::calculator_infos()) {
    if (info.minimal)
      minimal.push_back({info.name, info.default_sets.value_or(std::vector<Params>{})});
  }
  auto expected =
      timeseries::extract_features(long_input.view, {minimal}, {0}, testing::make_executor(1));
  ASSERT_TRUE(expected.ok()) << expected.status().to_string();

  auto columns = run(pipeline, series.view());
  ASSERT_TRUE(columns.ok()) << columns.status().to_string();
  const FeatureColumn& column = columns->front();
  ASSERT_TRUE(column.dense.has_value());
  EXPECT_EQ(pipeline.steps()[0].extractor->feature_names(), expected->names);
  EXPECT_EQ(column.dense->num_rows, static_cast<std::int64_t>(lengths.size()));
  ASSERT_EQ(column.dense->values.size(), expected->values.size());
  EXPECT_EQ(std::memcmp(column.dense->values.data(), expected->values.data(),
                        expected->values.size() * sizeof(double)),
            0);
}

TEST(TimeseriesStep, KindDefaultsToTheColumnAndASettingsMappingKeepsItsOrder) {
  const Pipeline pipeline =
      make_pipeline("{maximum: null, quantile: [{q: 0.9}, {q: 0.1}], mean: ~}");
  EXPECT_EQ(pipeline.steps()[0].extractor->feature_names(),
            (std::vector<std::string>{"temp__maximum", "temp__quantile__q_0.9",
                                      "temp__quantile__q_0.1", "temp__mean"}));
  Result<Pipeline> again = Pipeline::from_yaml(pipeline.to_yaml());
  ASSERT_TRUE(again.ok()) << again.status().to_string() << "\n" << pipeline.to_yaml();
  EXPECT_EQ(again->to_yaml(), pipeline.to_yaml());
  EXPECT_EQ(again->steps()[0].extractor->feature_names(),
            pipeline.steps()[0].extractor->feature_names());
}

TEST(TimeseriesStep, EmptySeriesGetNanAndNullOrNanSeriesAreErrorsNamingTheRow) {
  const Pipeline pipeline = make_pipeline("{mean: null}");
  OwnedSeries series;
  series.add({1.0, 3.0});
  series.add({});
  series.add({2.0});
  auto columns = run(pipeline, series.view());
  ASSERT_TRUE(columns.ok());
  EXPECT_EQ(columns->front().dense->values[0], 2.0);
  EXPECT_TRUE(std::isnan(columns->front().dense->values[1]));

  series.validity = {0b101};  // row 1 null
  auto null_row = run(pipeline, series.view());
  ASSERT_EQ(null_row.status().code(), StatusCode::kTypeError);
  EXPECT_EQ(null_row.status().row(), 1);
  EXPECT_NE(null_row.status().message().find("column 'temp'"), std::string::npos);

  OwnedSeries with_nan;
  for (int i = 0; i < 9; ++i) with_nan.add({1.0, i == 6 ? std::nan("") : 2.0});
  auto nan_row = run(pipeline, with_nan.view());
  ASSERT_EQ(nan_row.status().code(), StatusCode::kInvalid);
  EXPECT_EQ(nan_row.status().row(), 6);
}

TEST(TimeseriesStep, Float32AndIntegerListsAreReadAsDoubles) {
  const Pipeline pipeline = make_pipeline("{sum_values: null, maximum: null}");
  const std::vector<float> floats{0.5F, 1.25F, 3.0F};
  const std::vector<std::int32_t> ints{4, -2, 7};
  const std::vector<std::int32_t> offsets{0, 2, 3};
  const SeriesColumn f32 = SeriesColumn::with_offsets32(
      offsets.data(), {.data = floats.data(), .type = SeriesValueType::kFloat32}, nullptr, 2);
  const SeriesColumn i32 = SeriesColumn::with_offsets32(
      offsets.data(), {.data = ints.data(), .type = SeriesValueType::kInt32}, nullptr, 2);
  auto from_floats = run(pipeline, f32);
  auto from_ints = run(pipeline, i32);
  ASSERT_TRUE(from_floats.ok() && from_ints.ok());
  EXPECT_EQ(from_floats->front().dense->values, (std::vector<double>{1.75, 1.25, 3.0, 3.0}));
  EXPECT_EQ(from_ints->front().dense->values, (std::vector<double>{2.0, 4.0, 7.0, 7.0}));
}

TEST(TimeseriesStep, StringOnlyDoorsRefuseSeriesStepsAndBadSettingsAreNamed) {
  const Pipeline pipeline = make_pipeline("minimal");
  auto refused =
      pipeline.extract([](std::string_view) -> Result<StringColumn> { return StringColumn(); },
                       testing::make_executor(1));
  EXPECT_EQ(refused.status().code(), StatusCode::kTypeError);

  for (const char* bad :
       {"fast", "{no_such_calculator: null}", "{quantile: [{r: 1}]}", "{quantile: 3}"}) {
    Result<Pipeline> made = Pipeline::from_yaml(
        std::string("version: 1\nextractors: [{name: timeseries_features, column: x, "
                    "params: {features: ") +
        bad + "}}]");
    ASSERT_FALSE(made.ok()) << bad;
    EXPECT_NE(made.status().message().find("extractors[0]"), std::string::npos)
        << made.status().message();
  }
}

TEST(TimeseriesStep, SameBytesForOneAndThreeThreads) {
  const Pipeline pipeline = make_pipeline(
      "{mean: null, fft_aggregated: [{aggtype: skew}], "
      "autocorrelation: [{lag: 2}]}");
  OwnedSeries series;
  for (int s = 0; s < 300; ++s) series.add(wave(5 + s % 50, s * 0.1));
  auto one = run(pipeline, series.view(), 1);
  auto three = run(pipeline, series.view(), 3);
  ASSERT_TRUE(one.ok() && three.ok());
  EXPECT_EQ(std::memcmp(one->front().dense->values.data(), three->front().dense->values.data(),
                        one->front().dense->values.size() * sizeof(double)),
            0);
}

TEST(TimeseriesStep, DenseColumnsBecomeFixedSizeListsOfDoubles) {
  DenseRows rows{.num_rows = 2, .num_columns = 3, .values = {1, 2, 3, 4, 5, 6}};
  std::vector<FeatureColumn> columns;
  columns.push_back({"ts", SparseRows{}, FeatureDType::kFloat64, std::move(rows)});
  Result<Batch> batch = make_feature_batch(std::move(columns));
  ASSERT_TRUE(batch.ok()) << batch.status().to_string();
  EXPECT_EQ(batch->num_rows(), 2);
  EXPECT_EQ(batch->column_format(0), "+w:3");

  DenseRows short_rows{.num_rows = 2, .num_columns = 3, .values = {1, 2}};
  std::vector<FeatureColumn> broken;
  broken.push_back({"ts", SparseRows{}, FeatureDType::kFloat64, std::move(short_rows)});
  EXPECT_FALSE(make_feature_batch(std::move(broken)).ok());
}

}  // namespace
}  // namespace parafeat
