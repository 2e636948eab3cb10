// Intra-series parallelism: one long series computed by several threads (its calculators as
// tasks, the row chunks of ADF's QR, the widths and noise blocks of number_cwt_peaks) gives the
// bytes of the unsplit computation, for any thread count, through both doors (extract_features
// and the timeseries_features pipeline step).
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "exec/idle_thread_fork_join.h"
#include "extractors/timeseries/nested_ols.h"
#include "parafeat/fork_join.h"
#include "parafeat/pipeline.h"
#include "parafeat/timeseries.h"
#include "test_support.h"

namespace parafeat {
namespace {

// Long enough to be split (ExecutorOptions::split_series_length) and for ADF's QR to span ten row
// chunks, short enough to keep the test quick.
constexpr int kLongLength = 20000;

std::vector<double> random_walk(int length, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> step;
  std::vector<double> x;
  double level = 0;
  for (int t = 0; t < length; ++t) x.push_back(level += step(rng));
  return x;
}

std::vector<double> seasonal(int length, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 0.3);
  std::vector<double> x;
  for (int t = 0; t < length; ++t) x.push_back(std::sin(t * 0.05) * 3 + noise(rng));
  return x;
}

timeseries::KindSettings efficient_settings() {
  timeseries::KindSettings settings;
  for (const timeseries::CalculatorInfo& info : timeseries::calculator_infos()) {
    if (info.implemented && !info.high_comp_cost && !info.needs_datetime_index) {
      settings.push_back({info.name, info.default_sets.value_or(std::vector<Params>{})});
    }
  }
  return settings;
}

Executor executor_with(int threads, std::int64_t split_series_length) {
  ExecutorOptions options;
  options.num_threads = threads;
  options.split_series_length = split_series_length;
  return Executor(std::move(options));
}

bool same_bytes(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

TEST(SeriesSplit, EfficientFeaturesOfLongSeriesAreTheSameBytesOnOneTwoAndSevenThreads) {
  // Two long series and a short one: fewer series than threads, so the long ones are split.
  const testing::OwnedLongSeries input(
      {random_walk(kLongLength, 1), seasonal(kLongLength, 2), seasonal(50, 3)}, "value");
  const timeseries::KindSettings settings = efficient_settings();
  auto unsplit = timeseries::extract_features(input.view, {settings}, {0}, executor_with(1, 0));
  ASSERT_TRUE(unsplit.ok()) << unsplit.status().to_string();
  for (int threads : {1, 2, 7}) {
    auto split =
        timeseries::extract_features(input.view, {settings}, {0}, executor_with(threads, 1000));
    ASSERT_TRUE(split.ok()) << split.status().to_string();
    EXPECT_EQ(split->names, unsplit->names);
    EXPECT_TRUE(same_bytes(split->values, unsplit->values)) << threads << " threads";
  }
}

TEST(SeriesSplit, ThePipelineStepSplitsLongSeriesToTheSameBytesAsExtractFeatures) {
  Result<Pipeline> pipeline = Pipeline::from_yaml(
      "version: 1\nextractors:\n  - name: timeseries_features\n    column: value\n"
      "    params: {features: {augmented_dickey_fuller: [{attr: teststat}, {attr: usedlag}], "
      "number_cwt_peaks: [{n: 1}, {n: 5}], mean: null, fft_coefficient: [{coeff: 7, attr: abs}]}}"
      "\n");
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().to_string();
  const std::vector<std::vector<double>> series{random_walk(kLongLength, 4), seasonal(30, 5),
                                                seasonal(kLongLength, 6)};
  testing::OwnedSeries owned;
  for (const std::vector<double>& x : series) owned.add(x);
  const SeriesColumn column = owned.view();
  const auto run = [&](const Executor& executor) {
    return pipeline->extract(
        [](std::string_view) -> Result<StringColumn> { return Status::KeyError("no strings"); },
        [&](std::string_view) { return column; }, executor);
  };
  auto unsplit = run(executor_with(1, 0));
  ASSERT_TRUE(unsplit.ok()) << unsplit.status().to_string();
  const std::vector<double>& expected = unsplit->front().dense->values;
  for (int threads : {2, 7}) {
    auto split = run(executor_with(threads, 1000));
    ASSERT_TRUE(split.ok()) << split.status().to_string();
    EXPECT_TRUE(same_bytes(split->front().dense->values, expected)) << threads << " threads";
  }

  timeseries::KindSettings settings;
  settings.push_back(
      {"augmented_dickey_fuller", {Params{{"attr", "teststat"}}, Params{{"attr", "usedlag"}}}});
  settings.push_back({"number_cwt_peaks", {Params{{"n", 1}}, Params{{"n", 5}}}});
  settings.push_back({"mean", {}});
  settings.push_back({"fft_coefficient", {Params{{"coeff", 7}, {"attr", "abs"}}}});
  const testing::OwnedLongSeries input(series, "value");
  auto features = timeseries::extract_features(input.view, {settings}, {0}, executor_with(2, 1000));
  ASSERT_TRUE(features.ok()) << features.status().to_string();
  EXPECT_TRUE(same_bytes(features->values, expected));
}

TEST(SeriesSplit, TheIdleThreadForkJoinRunsEveryTaskOnceAndTheSerialOneInOrder) {
  std::vector<std::atomic<int>> calls(1000);
  exec::idle_thread_fork_join().run(calls.size(), [&](std::size_t i) { ++calls[i]; });
  for (const std::atomic<int>& count : calls) EXPECT_EQ(count.load(), 1);
  std::vector<std::size_t> order;
  serial_fork_join().run(5, [&](std::size_t i) { order.push_back(i); });
  EXPECT_EQ(order, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
  EXPECT_FALSE(serial_fork_join().parallel());
  EXPECT_TRUE(exec::idle_thread_fork_join().parallel());
}

// A series extractor whose long series are kTasks tasks, the first of which cancels the run:
// it counts the tasks that ran.
class CancellingSeriesExtractor final : public Extractor {
 public:
  static constexpr std::size_t kTasks = 100;

  explicit CancellingSeriesExtractor(std::shared_ptr<CancellationToken> cancel)
      : cancel_(std::move(cancel)) {}

  std::string_view name() const override { return "cancelling_series"; }
  const Params& params() const override { return params_; }
  OutputSpec output_spec() const override { return {1, FeatureDType::kFloat64, true}; }
  InputKind input_kind() const override { return InputKind::kSeries; }
  Status extract(const StringColumn&, RowRange, SparseRows&) const override {
    return Status::TypeError("reads series");
  }
  Status extract_series(const SeriesColumn&, RowRange rows, DenseRows& out) const override {
    for (std::int64_t row = rows.begin; row < rows.end; ++row) out.values.push_back(0.0);
    out.num_rows += rows.size();
    return Status::OK();
  }
  Status extract_long_series(const SeriesColumn&, std::int64_t, DenseRows& out,
                             const ForkJoin& fork) const override {
    fork.run(kTasks, [&](std::size_t) {
      cancel_->cancel();
      ++tasks_run_;
    });
    out.values.push_back(1.0);
    ++out.num_rows;
    return Status::OK();
  }
  int tasks_run() const { return tasks_run_.load(); }

 private:
  Params params_;
  std::shared_ptr<CancellationToken> cancel_;
  mutable std::atomic<int> tasks_run_{0};
};

TEST(SeriesSplit, ACancellationIsHeardWithinOneTaskOfALongSeries) {
  testing::OwnedSeries owned;
  owned.add(random_walk(50, 8));
  owned.add(random_walk(2000, 9));  // long: split_series_length is 1000
  for (int threads : {1, 2}) {
    auto cancel = std::make_shared<CancellationToken>();
    const CancellingSeriesExtractor extractor(cancel);
    ExecutorOptions options;
    options.num_threads = threads;
    options.split_series_length = 1000;
    options.cancel = cancel;
    const Result<DenseRows> rows = Executor(options).extract_series(extractor, owned.view());
    EXPECT_EQ(rows.status().code(), StatusCode::kCancelled) << threads << " threads";
    // Every task after the first is skipped, but for those another thread had already begun.
    EXPECT_GE(extractor.tasks_run(), 1);
    EXPECT_LE(extractor.tasks_run(), threads) << threads << " threads";
  }
}

TEST(SeriesSplit, ARunThatCanBeCancelledButIsNotGivesTheSameBytes) {
  const testing::OwnedLongSeries input({random_walk(kLongLength, 10), seasonal(40, 11)}, "value");
  const timeseries::KindSettings settings = efficient_settings();
  auto plain = timeseries::extract_features(input.view, {settings}, {0}, executor_with(1, 0));
  ASSERT_TRUE(plain.ok()) << plain.status().to_string();
  for (int threads : {1, 2}) {
    ExecutorOptions options;
    options.num_threads = threads;
    options.split_series_length = 1000;
    options.cancel = std::make_shared<CancellationToken>();
    auto cancellable = timeseries::extract_features(input.view, {settings}, {0}, Executor(options));
    ASSERT_TRUE(cancellable.ok()) << cancellable.status().to_string();
    EXPECT_TRUE(same_bytes(cancellable->values, plain->values)) << threads << " threads";
  }
}

TEST(SeriesSplit, TallSkinnyQrOverManyChunksFitsAsThePseudoInverseDoes) {
  // 7000 rows: four row chunks combined in a tree, the last one not full.
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  timeseries::Matrix x{7000, 6, std::vector<double>(7000 * 6)};
  std::vector<double> y(x.rows);
  for (std::size_t r = 0; r < x.rows; ++r) {
    x.at(r, 0) = 1.0;
    for (std::size_t c = 1; c < x.cols; ++c) x.at(r, c) = normal(rng) * static_cast<double>(c);
    y[r] = 2.0 - x.at(r, 1) + 0.5 * x.at(r, 4) + normal(rng);
  }
  const timeseries::NestedOls serial(x, y);
  const timeseries::NestedOls parallel(x, y, exec::idle_thread_fork_join());
  for (std::size_t cols : {std::size_t{1}, std::size_t{3}, std::size_t{6}}) {
    timeseries::Matrix block{x.rows, cols, std::vector<double>(x.rows * cols)};
    for (std::size_t r = 0; r < x.rows; ++r) {
      for (std::size_t c = 0; c < cols; ++c) block.at(r, c) = x.at(r, c);
    }
    const timeseries::OlsFit want = timeseries::ols_fit(block, y);
    const timeseries::OlsFit got = serial.fit(cols);
    ASSERT_EQ(got.params.size(), cols);
    for (std::size_t c = 0; c < cols; ++c) {
      EXPECT_NEAR(got.params[c], want.params[c], 1e-11 * (1 + std::abs(want.params[c])));
      EXPECT_NEAR(got.unscaled_variances[c], want.unscaled_variances[c],
                  1e-9 * want.unscaled_variances[c]);
    }
    EXPECT_NEAR(got.ssr, want.ssr, 1e-11 * want.ssr);
    const timeseries::OlsFit same = parallel.fit(cols);
    EXPECT_TRUE(same_bytes(same.params, got.params));
    EXPECT_EQ(same.ssr, got.ssr);
  }
}

}  // namespace
}  // namespace parafeat
