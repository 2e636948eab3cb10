// Golden tests of the time-series calculators and extractor: small inputs with hand-checked
// outputs, numpy's summation order, tsfresh's names, grouping, errors and thread independence.
#include "parafeat/timeseries.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "extractors/timeseries/calculator.h"
#include "extractors/timeseries/feature_names.h"
#include "extractors/timeseries/numpy_reductions.h"
#include "test_support.h"

namespace parafeat::timeseries {
namespace {

std::vector<double> compute(const std::string& name, const std::vector<Params>& sets,
                            const std::vector<double>& x) {
  const CalculatorDef* def = find_calculator(name).value();
  auto calculator = bind_calculator(*def, sets);
  EXPECT_TRUE(calculator.ok()) << calculator.status().to_string();
  std::vector<double> out(sets.empty() ? 1 : sets.size());
  (*calculator)->compute(x, out);
  return out;
}

TEST(TimeseriesNumpy, PairwiseSumUsesEightAccumulatorsLikeNumpy) {
  // 1e16 + 1 + ... loses the ones sequentially but not when the eight lanes add them first.
  std::vector<double> x(16, 1.0);
  x[0] = 1e16;
  x[8] = -1e16;
  EXPECT_EQ(pairwise_sum(x), 14.0);  // lanes: (1e16 - 1e16) and pairs of ones
}

TEST(TimeseriesNumpy, QuantileInterpolatesLinearly) {
  const std::vector<double> sorted{1.0, 2.0, 4.0, 8.0};
  EXPECT_DOUBLE_EQ(np_quantile_sorted(sorted, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(np_quantile_sorted(sorted, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(np_quantile_sorted(sorted, 1.0), 8.0);
  EXPECT_DOUBLE_EQ(np_median(std::vector<double>{5.0, 1.0, 3.0}), 3.0);
}

TEST(TimeseriesNumpy, ANanAmongTheValuesIsWhatEveryReductionGivesAsInNumpy) {
  // numpy on [3, nan, 1, 2, nan]: median, quantile, mean and var are nan; np.sort puts the NaNs
  // last; argmax and argmin give the first NaN's index, 1.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> x{3.0, nan, 1.0, 2.0, nan};
  EXPECT_TRUE(std::isnan(np_median(x)));
  EXPECT_TRUE(std::isnan(np_median(std::span(x).first(4))));
  const std::vector<double> sorted = sorted_copy(x);
  EXPECT_EQ(std::vector<double>(sorted.begin(), sorted.begin() + 3),
            (std::vector<double>{1.0, 2.0, 3.0}));
  EXPECT_TRUE(std::isnan(sorted[3]) && std::isnan(sorted[4]));
  EXPECT_TRUE(std::isnan(np_quantile_sorted(sorted, 0.0)));
  EXPECT_TRUE(std::isnan(np_quantile_sorted(sorted, 0.5)));
  EXPECT_TRUE(std::isnan(np_mean(x)));
  EXPECT_TRUE(std::isnan(np_var(x)));
  EXPECT_EQ(np_argmax(x), 1U);
  EXPECT_EQ(np_argmin(x), 1U);
}

TEST(TimeseriesNames, FloatsAreWrittenAsPythonWritesThem) {
  EXPECT_EQ(python_float(0.05), "0.05");
  EXPECT_EQ(python_float(3 * 0.05), "0.15000000000000002");
  EXPECT_EQ(python_float(-1e12), "-1000000000000.0");
  EXPECT_EQ(python_float(1e16), "1e+16");
  EXPECT_EQ(python_float(1e-5), "1e-05");
  EXPECT_EQ(python_float(0.0001), "0.0001");
  EXPECT_EQ(python_float(2.0), "2.0");
}

TEST(TimeseriesNames, ParametersAreSortedAndStringsQuoted) {
  const CalculatorDef* fft = find_calculator("fft_coefficient").value();
  EXPECT_EQ(feature_suffixes(*fft, std::vector<Params>{Params{{"coeff", 3}, {"attr", "real"}}}),
            std::vector<std::string>{"fft_coefficient__attr_\"real\"__coeff_3"});
  const CalculatorDef* mean = find_calculator("mean").value();
  EXPECT_EQ(feature_suffixes(*mean, std::vector<Params>{}), std::vector<std::string>{"mean"});
  const CalculatorDef* adf = find_calculator("augmented_dickey_fuller").value();
  EXPECT_EQ(feature_suffixes(*adf, std::vector<Params>{Params{{"attr", "pvalue"}}}),
            std::vector<std::string>{"augmented_dickey_fuller__attr_\"pvalue\"__autolag_\"AIC\""});
}

TEST(TimeseriesCalculators, MomentsOfASmallSeries) {
  const std::vector<double> x{1.0, 2.0, 4.0, 7.0};
  EXPECT_EQ(compute("mean", {}, x)[0], 3.5);
  EXPECT_EQ(compute("median", {}, x)[0], 3.0);
  EXPECT_EQ(compute("variance", {}, x)[0], 5.25);
  EXPECT_EQ(compute("sum_values", {}, x)[0], 14.0);
  EXPECT_EQ(compute("abs_energy", {}, x)[0], 70.0);
  EXPECT_EQ(compute("absolute_sum_of_changes", {}, x)[0], 6.0);
  EXPECT_EQ(compute("mean_change", {}, x)[0], 2.0);
  EXPECT_EQ(compute("length", {}, x)[0], 4.0);
}

TEST(TimeseriesCalculators, CountsAndLocations) {
  const std::vector<double> x{0.0, 3.0, 1.0, 3.0, -2.0, 0.5};
  EXPECT_EQ(compute("count_above_mean", {}, x)[0], 3.0);  // mean 0.9166
  EXPECT_EQ(compute("first_location_of_maximum", {}, x)[0], 1.0 / 6.0);
  EXPECT_EQ(compute("last_location_of_maximum", {}, x)[0], 1.0 - 2.0 / 6.0);
  EXPECT_EQ(compute("has_duplicate_max", {}, x)[0], 1.0);
  EXPECT_EQ(compute("number_peaks", {Params{{"n", 1}}}, x)[0], 2.0);
  EXPECT_EQ(compute("number_crossing_m", {Params{{"m", 0}}}, x)[0], 3.0);
  EXPECT_EQ(compute("range_count", {Params{{"min", 0}, {"max", 3}}}, x)[0], 3.0);
  EXPECT_EQ(compute("value_count", {Params{{"value", 3}}}, x)[0], 2.0);
}

TEST(TimeseriesCalculators, FftOfAPowerOfTwoAndOfAnOddLength) {
  // rfft([1, 2, 3, 4]) = [10, -2+2j, -2]; rfft([1, 0, 0]) = [1, 1].
  const std::vector<double> x{1.0, 2.0, 3.0, 4.0};
  const auto real = compute("fft_coefficient", {Params{{"coeff", 1}, {"attr", "real"}}}, x);
  const auto imag = compute("fft_coefficient", {Params{{"coeff", 1}, {"attr", "imag"}}}, x);
  EXPECT_NEAR(real[0], -2.0, 1e-14);
  EXPECT_NEAR(imag[0], 2.0, 1e-14);
  const auto beyond = compute("fft_coefficient", {Params{{"coeff", 3}, {"attr", "abs"}}}, x);
  EXPECT_TRUE(std::isnan(beyond[0]));
  const auto odd =
      compute("fft_coefficient", {Params{{"coeff", 1}, {"attr", "abs"}}}, {1.0, 0.0, 0.0});
  EXPECT_NEAR(odd[0], 1.0, 1e-14);
}

TEST(TimeseriesCalculators, FftOfLargeFiniteValuesIsFiniteAsNumpys) {
  // np.fft.rfft([4e307, 0, 0]) = [4e307, 4e307]; np.fft.rfft([1e308, 1, 0, 0]) = [1e308,
  // 1e308 - 1j, 1e308]: the transform's partial sums must not overflow.
  const auto odd =
      compute("fft_coefficient", {Params{{"coeff", 1}, {"attr", "abs"}}}, {4e307, 0.0, 0.0});
  EXPECT_DOUBLE_EQ(odd[0], 4e307);
  const auto even =
      compute("fft_coefficient",
              {Params{{"coeff", 0}, {"attr", "real"}}, Params{{"coeff", 1}, {"attr", "real"}},
               Params{{"coeff", 1}, {"attr", "imag"}}},
              {1e308, 1.0, 0.0, 0.0});
  EXPECT_DOUBLE_EQ(even[0], 1e308);
  EXPECT_DOUBLE_EQ(even[1], 1e308);
  EXPECT_NEAR(even[2], -1.0, 1e-14);
}

TEST(TimeseriesCalculators, LinearTrendOfALine) {
  const std::vector<double> x{1.0, 3.0, 5.0, 7.0, 9.0};
  const auto fit = compute(
      "linear_trend",
      {Params{{"attr", "slope"}}, Params{{"attr", "intercept"}}, Params{{"attr", "rvalue"}}}, x);
  EXPECT_DOUBLE_EQ(fit[0], 2.0);
  EXPECT_DOUBLE_EQ(fit[1], 1.0);
  EXPECT_DOUBLE_EQ(fit[2], 1.0);
}

std::vector<Params> adf_sets() {
  return {Params{{"attr", "teststat"}}, Params{{"attr", "pvalue"}}, Params{{"attr", "usedlag"}}};
}

TEST(TimeseriesCalculators, AugmentedDickeyFullerOfFourPointsIsTheLevelSlopeTStatistic) {
  // Four points leave no room for lags: d = (2, -1, 3) on levels (1, 3, 2) and a constant has
  // slope -1.5, residuals (-5/6, -5/6, 5/3), one degree of freedom, so t = -1.5 / sqrt(25/12).
  const auto adf = compute("augmented_dickey_fuller", adf_sets(), {1.0, 3.0, 2.0, 5.0});
  EXPECT_NEAR(adf[0], -1.5 / std::sqrt(25.0 / 12.0), 1e-13);
  // MacKinnon's large-p polynomial at t, through the normal CDF (statsmodels: 0.73868842...).
  EXPECT_NEAR(adf[1], 0.7386884227973187, 1e-12);
  EXPECT_EQ(adf[2], 0.0);
}

TEST(TimeseriesCalculators, AugmentedDickeyFullerIsNanWhereStatsmodelsRaises) {
  const double inf = std::numeric_limits<double>::infinity();
  for (const std::vector<double>& x : std::vector<std::vector<double>>{
           {2.0, 2.0, 2.0, 2.0, 2.0},                          // constant
           {1.0, 3.0, 2.0},                                    // too short for the lag search
           {1.0, 2.0, 3.0, -inf, 5.0, 2.0, 7.0, 4.0, 3.0}}) {  // non-finite regressor
    for (double v : compute("augmented_dickey_fuller", adf_sets(), x)) EXPECT_TRUE(std::isnan(v));
  }
}

TEST(TimeseriesCalculators, NumberCwtPeaksCountsRidgesAboveTheNoise) {
  const std::vector<Params> widths{Params{{"n", 1}}, Params{{"n", 5}}};
  std::vector<double> spikes(41, 0.0);
  spikes[10] = 1.0;
  spikes[30] = 1.0;
  // The width-1 wavelet has ten points, so a spike gives two equal neighbours: no strict
  // maximum; from width 2 on each spike is one ridge (scipy: 0 and 2).
  EXPECT_EQ(compute("number_cwt_peaks", widths, spikes), (std::vector<double>{0.0, 2.0}));
  // A constant series peaks only where the wavelet is cut by the ends (scipy: 1 and 2).
  EXPECT_EQ(compute("number_cwt_peaks", widths, std::vector<double>(50, 2.0)),
            (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(compute("number_cwt_peaks", widths, {1.0, 2.0}), (std::vector<double>{0.0, 0.0}));
}

Params query_set(ParamValue query, double threshold, bool normalize = true) {
  return Params{{"query", std::move(query)}, {"threshold", threshold}, {"normalize", normalize}};
}

TEST(TimeseriesCalculators, QuerySimilarityCountsWindowsWithinTheThreshold) {
  // Windows of 3: (0 1 0) (1 0 5) (0 5 10) (5 10 5) (10 5 10) (5 10 0). z-normalized, (5 10 5)
  // is (0 1 0) scaled and shifted: distance 0. (10 5 10) is its mirror image: correlation -1,
  // distance sqrt(2 * 3 * 2) = sqrt(12).
  const std::vector<double> x{0.0, 1.0, 0.0, 5.0, 10.0, 5.0, 10.0, 0.0};
  const ParamValue::List bump{0.0, 1.0, 0.0};
  const std::vector<Params> sets{query_set(bump, 0.0), query_set(bump, 1e-6),
                                 query_set(bump, std::sqrt(12.0) + 1e-9),
                                 query_set(bump, 0.5, /*normalize=*/false)};
  const std::vector<double> counts = compute("query_similarity_count", sets, x);
  EXPECT_GE(counts[0], 0.0);  // an exact copy may be at 0 or at rounding noise: not asserted
  EXPECT_EQ(counts[1], 2.0);  // (0 1 0) and (5 10 5)
  EXPECT_EQ(counts[2], 6.0);  // every window
  EXPECT_EQ(counts[3], 1.0);  // Euclidean: only (0 1 0) itself
}

TEST(TimeseriesCalculators, QuerySimilarityFollowsStumpyForConstantAndInfiniteWindows) {
  const double inf = std::numeric_limits<double>::infinity();
  // Windows of 3: (2 2 2) constant, (2 2 inf) and (2 inf 1) infinite, (inf 1 3) infinite,
  // (1 3 5) a rising line.
  const std::vector<double> x{2.0, 2.0, 2.0, inf, 1.0, 3.0, 5.0};
  const ParamValue::List flat{7.0, 7.0, 7.0};
  const ParamValue::List rising{-1.0, 0.0, 1.0};
  const std::vector<Params> sets{
      query_set(flat, 0.0),                               // constant against constant: 0
      query_set(flat, std::sqrt(3.0)),                    // constant against varying: sqrt(m)
      query_set(rising, 1e-6),                            // (1 3 5) z-normalizes to the query
      query_set(rising, inf),                             // infinite windows are at +inf, counted
      query_set(ParamValue::List{0.0, inf, 0.0}, 1e300),  // a non-finite query: all at +inf
  };
  EXPECT_EQ(compute("query_similarity_count", sets, x),
            (std::vector<double>{1.0, 2.0, 1.0, 5.0, 0.0}));
}

TEST(TimeseriesCalculators, QuerySimilarityIsNanWithoutAQueryOfThreeValuesOrAWindow) {
  const std::vector<double> x{1.0, 2.0, 3.0, 4.0};
  const std::vector<Params> sets{
      Params{{"query", nullptr}, {"threshold", 0.0}},              // tsfresh's default
      query_set(ParamValue::List{1.0, 2.0}, 10.0),                 // shorter than stumpy's 3
      query_set(ParamValue::List{1.0, 2.0, 3.0, 4.0, 5.0}, 10.0),  // longer than the series
      query_set(ParamValue::List{1, 2, 3, 4}, 0.5),                // ints, the whole series
  };
  const std::vector<double> counts = compute("query_similarity_count", sets, x);
  EXPECT_TRUE(std::isnan(counts[0]));
  EXPECT_TRUE(std::isnan(counts[1]));
  EXPECT_TRUE(std::isnan(counts[2]));
  EXPECT_EQ(counts[3], 1.0);
}

TEST(TimeseriesNames, QuerySimilarityShowsItsQueryAsAList) {
  const CalculatorDef* def = find_calculator("query_similarity_count").value();
  EXPECT_EQ(feature_suffixes(*def, std::vector<Params>{query_set(ParamValue::List{0.0, 1, 0.5}, 0.0,
                                                                 /*normalize=*/false)}),
            std::vector<std::string>{
                "query_similarity_count__normalize_False__query_[0.0, 1, 0.5]__threshold_0.0"});
  EXPECT_EQ(
      feature_suffixes(*def, std::vector<Params>{Params{{"query", nullptr}, {"threshold", 0.0}}}),
      std::vector<std::string>{"query_similarity_count__query_None__threshold_0.0"});
}

TEST(TimeseriesCalculators, QuerySimilarityRefusesAQueryThatIsNotAListOfNumbers) {
  const CalculatorDef* def = find_calculator("query_similarity_count").value();
  const auto bound =
      bind_calculator(*def, std::vector<Params>{Params{{"query", "abc"}, {"threshold", 0.0}}});
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(bound.status().message().find("'query'"), std::string::npos)
      << bound.status().message();
}

TEST(TimeseriesCalculators, BadParametersNameTheCalculatorAndKey) {
  const CalculatorDef* quantile = find_calculator("quantile").value();
  const auto unknown =
      bind_calculator(*quantile, std::vector<Params>{Params{{"q", 0.5}, {"level", 1}}});
  EXPECT_NE(unknown.status().message().find("'level'"), std::string::npos);
  const auto missing = bind_calculator(*quantile, std::vector<Params>{Params{}});
  EXPECT_NE(missing.status().message().find("'q'"), std::string::npos);
  EXPECT_EQ(find_calculator("median_of_medians").status().code(), StatusCode::kKeyError);
}

TEST(TimeseriesCalculators, CountsThatMustBePositiveRefuseZeroNamingCalculatorAndKey) {
  struct ZeroCount {
    std::string calculator;
    std::string key;
    Params params;
  };
  const std::vector<ZeroCount> cases = {
      {"binned_entropy", "max_bins", Params{{"max_bins", 0}}},
      {"fourier_entropy", "bins", Params{{"bins", 0}}},
      {"mean_n_absolute_max", "number_of_maxima", Params{{"number_of_maxima", 0}}},
      {"agg_linear_trend", "chunk_len",
       Params{{"attr", "slope"}, {"chunk_len", 0}, {"f_agg", "max"}}},
  };
  for (const ZeroCount& zero : cases) {
    const auto calculator = find_calculator(zero.calculator);
    ASSERT_TRUE(calculator.ok()) << zero.calculator;
    const auto bound = bind_calculator(**calculator, std::vector<Params>{zero.params});
    ASSERT_FALSE(bound.ok()) << zero.calculator;
    const std::string& message = bound.status().message();
    EXPECT_NE(message.find(zero.calculator), std::string::npos) << message;
    EXPECT_NE(message.find("'" + zero.key + "'"), std::string::npos) << message;
  }
}

struct OwnedLong {
  std::vector<std::int64_t> id;
  std::vector<std::int32_t> kind;
  std::vector<std::int64_t> sort;
  std::vector<double> value;
  LongSeries view() const { return {id, kind, sort, value, {"10", "20"}, {"x", "y"}}; }
};

TEST(TimeseriesExtractor, GroupsSortsAndLaysOutColumnsKindByKind) {
  // id 10: x = [1, 2] (given in reverse time order), y = [5]; id 20: x = [4], no y.
  const OwnedLong input{{0, 0, 1, 0}, {0, 0, 0, 1}, {1, 0, 0, 0}, {2.0, 1.0, 4.0, 5.0}};
  const std::vector<KindSettings> settings{{{"mean", {}}, {"first_location_of_maximum", {}}},
                                           {{"maximum", {}}}};
  auto result = extract_features(input.view(), settings, {1, 0}, testing::make_executor(2));
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_EQ(result->names,
            (std::vector<std::string>{"y__maximum", "x__mean", "x__first_location_of_maximum"}));
  EXPECT_EQ(result->values[0], 5.0);
  EXPECT_EQ(result->values[1], 1.5);
  EXPECT_EQ(result->values[2], 0.5);  // sorted by time: [1, 2], maximum at index 1 of 2
  EXPECT_TRUE(std::isnan(result->values[3]));
  EXPECT_EQ(result->values[4], 4.0);
}

TEST(TimeseriesExtractor, RepeatedSortKeyNamesTheIdAndKind) {
  const OwnedLong input{{1, 1}, {0, 0}, {3, 3}, {1.0, 2.0}};
  auto result =
      extract_features(input.view(), {{{"mean", {}}}, {}}, {0, 1}, testing::make_executor(1));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("id 20, kind 'x'"), std::string::npos);
}

TEST(TimeseriesExtractor, NanValueNamesTheRow) {
  const OwnedLong input{{0, 0}, {0, 0}, {}, {1.0, std::nan("")}};
  auto result =
      extract_features(input.view(), {{{"mean", {}}}, {}}, {0, 1}, testing::make_executor(1));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().row(), 1);
}

TEST(TimeseriesExtractor, EveryComprehensiveCalculatorIsImplemented) {
  for (const CalculatorInfo& info : calculator_infos()) EXPECT_TRUE(info.implemented) << info.name;
}

TEST(TimeseriesExtractor, SameBytesForOneAndFourThreads) {
  OwnedLong input;
  for (int s = 0; s < 200; ++s) {
    for (int t = 0; t < 37; ++t) {
      input.id.push_back(s % 2);
      input.kind.push_back(static_cast<std::int32_t>(s % 2));
      input.sort.push_back(s * 100 + t);
      input.value.push_back(std::sin(s * 0.37 + t * 1.3) * (t + 1));
    }
  }
  std::vector<KindSettings> settings(2);
  for (const CalculatorInfo& info : calculator_infos()) {
    if (!info.implemented || info.needs_datetime_index) continue;
    settings[0].push_back({info.name, info.default_sets.value_or(std::vector<Params>{})});
  }
  settings[1] = settings[0];
  auto one = extract_features(input.view(), settings, {0, 1}, testing::make_executor(1));
  auto four = extract_features(input.view(), settings, {0, 1}, testing::make_executor(4));
  ASSERT_TRUE(one.ok()) << one.status().to_string();
  ASSERT_TRUE(four.ok());
  ASSERT_EQ(one->values.size(), four->values.size());
  EXPECT_EQ(
      0, std::memcmp(one->values.data(), four->values.data(), one->values.size() * sizeof(double)));
}

}  // namespace
}  // namespace parafeat::timeseries
