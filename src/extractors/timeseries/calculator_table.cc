// The calculator table: every calculator of tsfresh 0.21's ComprehensiveFCParameters, in its
// order, with tsfresh's flags and default parameter sets. parafeat.timeseries builds its
// settings objects from this table; a row without a binder is a calculator parafeat does not
// implement yet (asking for it is an error naming it).
#include <array>
#include <string>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/feature_names.h"

namespace parafeat::timeseries {
namespace {

using Sets = std::vector<Params>;

template <typename T>
Sets one_key(const char* key, std::initializer_list<T> values) {
  Sets sets;
  for (const T& v : values) sets.push_back(Params{{key, ParamValue(v)}});
  return sets;
}

Sets lags_1_to_3() {
  return one_key<int>("lag", {1, 2, 3});
}
Sets lags_0_to_9() {
  return one_key<int>("lag", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
}
Sets cid_ce_sets() {
  return one_key<bool>("normalize", {true, false});
}
Sets symmetry_sets() {
  Sets sets;
  for (int r = 0; r < 20; ++r) sets.push_back(Params{{"r", r * 0.05}});
  return sets;
}
Sets large_std_sets() {
  Sets sets;
  for (int r = 1; r < 20; ++r) sets.push_back(Params{{"r", r * 0.05}});
  return sets;
}
Sets quantile_sets() {
  return one_key<double>("q", {0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9});
}
Sets agg_autocorrelation_sets() {
  Sets sets;
  for (const char* agg : {"mean", "median", "var"}) {
    sets.push_back(Params{{"f_agg", agg}, {"maxlag", 40}});
  }
  return sets;
}
Sets number_cwt_peaks_sets() {
  return one_key<int>("n", {1, 5});
}
Sets number_peaks_sets() {
  return one_key<int>("n", {1, 3, 5, 10, 50});
}
Sets binned_entropy_sets() {
  return one_key<int>("max_bins", {10});
}
Sets cwt_sets() {
  Sets sets;
  const ParamValue widths(ParamValue::List{2, 5, 10, 20});
  for (int coeff = 0; coeff < 15; ++coeff) {
    for (int w : {2, 5, 10, 20})
      sets.push_back(Params{{"widths", widths}, {"coeff", coeff}, {"w", w}});
  }
  return sets;
}
Sets spkt_sets() {
  return one_key<int>("coeff", {2, 5, 8});
}
Sets ar_sets() {
  Sets sets;
  for (int coeff = 0; coeff <= 10; ++coeff) sets.push_back(Params{{"coeff", coeff}, {"k", 10}});
  return sets;
}
Sets change_quantiles_sets() {
  Sets sets;
  for (double ql : {0.0, 0.2, 0.4, 0.6, 0.8}) {
    for (double qh : {0.2, 0.4, 0.6, 0.8, 1.0}) {
      for (bool isabs : {false, true}) {
        for (const char* agg : {"mean", "var"}) {
          if (ql < qh)
            sets.push_back(Params{{"ql", ql}, {"qh", qh}, {"isabs", isabs}, {"f_agg", agg}});
        }
      }
    }
  }
  return sets;
}
Sets fft_coefficient_sets() {
  Sets sets;
  for (const char* attr : {"real", "imag", "abs", "angle"}) {
    for (int k = 0; k < 100; ++k) sets.push_back(Params{{"coeff", k}, {"attr", attr}});
  }
  return sets;
}
Sets fft_aggregated_sets() {
  Sets sets;
  for (const char* type : {"centroid", "variance", "skew", "kurtosis"}) {
    sets.push_back(Params{{"aggtype", type}});
  }
  return sets;
}
Sets value_count_sets() {
  return one_key<int>("value", {0, 1, -1});
}
Sets range_count_sets() {
  return {Params{{"min", -1}, {"max", 1}}, Params{{"min", -1e12}, {"max", 0}},
          Params{{"min", 0}, {"max", 1e12}}};
}
Sets approximate_entropy_sets() {
  Sets sets;
  for (double r : {0.1, 0.3, 0.5, 0.7, 0.9}) sets.push_back(Params{{"m", 2}, {"r", r}});
  return sets;
}
Sets friedrich_sets() {
  Sets sets;
  for (int coeff = 0; coeff <= 3; ++coeff)
    sets.push_back(Params{{"coeff", coeff}, {"m", 3}, {"r", 30}});
  return sets;
}
Sets langevin_sets() {
  return {Params{{"m", 3}, {"r", 30}}};
}
Sets trend_attr_sets() {
  return one_key<const char*>("attr", {"pvalue", "rvalue", "intercept", "slope", "stderr"});
}
Sets agg_linear_trend_sets() {
  Sets sets;
  for (const char* attr : {"rvalue", "intercept", "slope", "stderr"}) {
    for (int chunk : {5, 10, 50}) {
      for (const char* agg : {"max", "min", "mean", "var"}) {
        sets.push_back(Params{{"attr", attr}, {"chunk_len", chunk}, {"f_agg", agg}});
      }
    }
  }
  return sets;
}
Sets adf_sets() {
  return one_key<const char*>("attr", {"teststat", "pvalue", "usedlag"});
}
Sets crossing_sets() {
  return one_key<int>("m", {0, -1, 1});
}
Sets energy_sets() {
  Sets sets;
  for (int focus = 0; focus < 10; ++focus) {
    sets.push_back(Params{{"num_segments", 10}, {"segment_focus", focus}});
  }
  return sets;
}
Sets beyond_sigma_sets() {
  return {Params{{"r", 0.5}}, Params{{"r", 1}}, Params{{"r", 1.5}}, Params{{"r", 2}},
          Params{{"r", 2.5}}, Params{{"r", 3}}, Params{{"r", 5}},   Params{{"r", 6}},
          Params{{"r", 7}},   Params{{"r", 10}}};
}
Sets threshold_t_sets() {
  return one_key<int>("t", {0});
}
Sets bins_sets() {
  return one_key<int>("bins", {2, 3, 5, 10, 100});
}
Sets permutation_sets() {
  Sets sets;
  for (int d = 3; d <= 7; ++d) sets.push_back(Params{{"tau", 1}, {"dimension", d}});
  return sets;
}
Sets query_sets() {
  return {Params{{"query", nullptr}, {"threshold", 0.0}}};
}
Sets maxima_sets() {
  return one_key<int>("number_of_maxima", {7});
}

// augmented_dickey_fuller names its features with the autolag it used ("AIC" by default),
// always in quotes (tsfresh formats it into the name: autolag=None gives "None").
std::string adf_suffix(const Params& set) {
  const auto attr = set.find("attr");
  const auto autolag = set.find("autolag");
  std::string lag = "\"AIC\"";
  if (autolag != set.end()) {
    lag = autolag->second.is_null() ? "\"None\"" : python_value(autolag->second);
  }
  return "attr_" + (attr == set.end() ? std::string("None") : python_value(attr->second)) +
         "__autolag_" + lag;
}

// query_similarity_count shows its query as Python shows the list a user gives it.
std::string query_suffix(const Params& set) {
  return sorted_suffix(set, ListStyle::kList);
}

constexpr bool kCombiner = true;
constexpr bool kSimple = false;
constexpr bool kMinimal = true;
constexpr bool kHighCost = true;

// clang-format off
const std::array<CalculatorDef, 75> kCalculators{{
    {"variance_larger_than_standard_deviation", kSimple, false, false, nullptr, &bind_plain<&variance_larger_than_standard_deviation>},
    {"has_duplicate_max", kSimple, false, false, nullptr, &bind_plain<&has_duplicate_max>},
    {"has_duplicate_min", kSimple, false, false, nullptr, &bind_plain<&has_duplicate_min>},
    {"has_duplicate", kSimple, false, false, nullptr, &bind_plain<&has_duplicate>},
    {"sum_values", kSimple, kMinimal, false, nullptr, &bind_plain<&sum_values>},
    {"abs_energy", kSimple, false, false, nullptr, &bind_plain<&abs_energy>},
    {"mean_abs_change", kSimple, false, false, nullptr, &bind_plain<&mean_abs_change>},
    {"mean_change", kSimple, false, false, nullptr, &bind_plain<&mean_change>},
    {"mean_second_derivative_central", kSimple, false, false, nullptr, &bind_plain<&mean_second_derivative_central>},
    {"median", kSimple, kMinimal, false, nullptr, &bind_plain<&median>},
    {"mean", kSimple, kMinimal, false, nullptr, &bind_plain<&mean>},
    {"length", kSimple, kMinimal, false, nullptr, &bind_plain<&length>},
    {"standard_deviation", kSimple, kMinimal, false, nullptr, &bind_plain<&standard_deviation>},
    {"variation_coefficient", kSimple, false, false, nullptr, &bind_plain<&variation_coefficient>},
    {"variance", kSimple, kMinimal, false, nullptr, &bind_plain<&variance>},
    {"skewness", kSimple, false, false, nullptr, &bind_plain<&skewness>},
    {"kurtosis", kSimple, false, false, nullptr, &bind_plain<&kurtosis>},
    {"root_mean_square", kSimple, kMinimal, false, nullptr, &bind_plain<&root_mean_square>},
    {"absolute_sum_of_changes", kSimple, false, false, nullptr, &bind_plain<&absolute_sum_of_changes>},
    {"longest_strike_below_mean", kSimple, false, false, nullptr, &bind_plain<&longest_strike_below_mean>},
    {"longest_strike_above_mean", kSimple, false, false, nullptr, &bind_plain<&longest_strike_above_mean>},
    {"count_above_mean", kSimple, false, false, nullptr, &bind_plain<&count_above_mean>},
    {"count_below_mean", kSimple, false, false, nullptr, &bind_plain<&count_below_mean>},
    {"last_location_of_maximum", kSimple, false, false, nullptr, &bind_plain<&last_location_of_maximum>},
    {"first_location_of_maximum", kSimple, false, false, nullptr, &bind_plain<&first_location_of_maximum>},
    {"last_location_of_minimum", kSimple, false, false, nullptr, &bind_plain<&last_location_of_minimum>},
    {"first_location_of_minimum", kSimple, false, false, nullptr, &bind_plain<&first_location_of_minimum>},
    {"percentage_of_reoccurring_values_to_all_values", kSimple, false, false, nullptr, &bind_plain<&percentage_of_reoccurring_values_to_all_values>},
    {"percentage_of_reoccurring_datapoints_to_all_datapoints", kSimple, false, false, nullptr, &bind_plain<&percentage_of_reoccurring_datapoints_to_all_datapoints>},
    {"sum_of_reoccurring_values", kSimple, false, false, nullptr, &bind_plain<&sum_of_reoccurring_values>},
    {"sum_of_reoccurring_data_points", kSimple, false, false, nullptr, &bind_plain<&sum_of_reoccurring_data_points>},
    {"ratio_value_number_to_time_series_length", kSimple, false, false, nullptr, &bind_plain<&ratio_value_number_to_time_series_length>},
    {"sample_entropy", kSimple, false, kHighCost, nullptr, &bind_plain<&sample_entropy>},
    {"maximum", kSimple, kMinimal, false, nullptr, &bind_plain<&maximum>},
    {"absolute_maximum", kSimple, kMinimal, false, nullptr, &bind_plain<&absolute_maximum>},
    {"minimum", kSimple, kMinimal, false, nullptr, &bind_plain<&minimum>},
    {"benford_correlation", kSimple, false, false, nullptr, &bind_plain<&benford_correlation>},
    {"time_reversal_asymmetry_statistic", kSimple, false, false, &lags_1_to_3, &bind_time_reversal_asymmetry_statistic},
    {"c3", kSimple, false, false, &lags_1_to_3, &bind_c3},
    {"cid_ce", kSimple, false, false, &cid_ce_sets, &bind_cid_ce},
    {"symmetry_looking", kCombiner, false, false, &symmetry_sets, &bind_symmetry_looking},
    {"large_standard_deviation", kSimple, false, false, &large_std_sets, &bind_large_standard_deviation},
    {"quantile", kSimple, false, false, &quantile_sets, &bind_quantile},
    {"autocorrelation", kSimple, false, false, &lags_0_to_9, &bind_autocorrelation},
    {"agg_autocorrelation", kCombiner, false, false, &agg_autocorrelation_sets, &bind_agg_autocorrelation},
    {"partial_autocorrelation", kCombiner, false, false, &lags_0_to_9, &bind_partial_autocorrelation},
    {"number_cwt_peaks", kSimple, false, false, &number_cwt_peaks_sets, &bind_number_cwt_peaks},
    {"number_peaks", kSimple, false, false, &number_peaks_sets, &bind_number_peaks},
    {"binned_entropy", kSimple, false, false, &binned_entropy_sets, &bind_binned_entropy},
    {"index_mass_quantile", kCombiner, false, false, &quantile_sets, &bind_index_mass_quantile},
    {"cwt_coefficients", kCombiner, false, false, &cwt_sets, &bind_cwt_coefficients},
    {"spkt_welch_density", kCombiner, false, false, &spkt_sets, &bind_spkt_welch_density},
    {"ar_coefficient", kCombiner, false, false, &ar_sets, &bind_ar_coefficient},
    {"change_quantiles", kSimple, false, false, &change_quantiles_sets, &bind_change_quantiles},
    {"fft_coefficient", kCombiner, false, false, &fft_coefficient_sets, &bind_fft_coefficient},
    {"fft_aggregated", kCombiner, false, false, &fft_aggregated_sets, &bind_fft_aggregated},
    {"value_count", kSimple, false, false, &value_count_sets, &bind_value_count},
    {"range_count", kSimple, false, false, &range_count_sets, &bind_range_count},
    {"approximate_entropy", kSimple, false, kHighCost, &approximate_entropy_sets, &bind_approximate_entropy},
    {"friedrich_coefficients", kCombiner, false, false, &friedrich_sets, &bind_friedrich_coefficients},
    {"max_langevin_fixed_point", kSimple, false, false, &langevin_sets, &bind_max_langevin_fixed_point},
    {"linear_trend", kCombiner, false, false, &trend_attr_sets, &bind_linear_trend},
    {"agg_linear_trend", kCombiner, false, false, &agg_linear_trend_sets, &bind_agg_linear_trend},
    {"augmented_dickey_fuller", kCombiner, false, false, &adf_sets, &bind_augmented_dickey_fuller, &adf_suffix},
    {"number_crossing_m", kSimple, false, false, &crossing_sets, &bind_number_crossing_m},
    {"energy_ratio_by_chunks", kCombiner, false, false, &energy_sets, &bind_energy_ratio_by_chunks},
    {"ratio_beyond_r_sigma", kSimple, false, false, &beyond_sigma_sets, &bind_ratio_beyond_r_sigma},
    {"linear_trend_timewise", kCombiner, false, false, &trend_attr_sets, nullptr, nullptr, kNeedsDatetimeIndex},
    {"count_above", kSimple, false, false, &threshold_t_sets, &bind_count_above},
    {"count_below", kSimple, false, false, &threshold_t_sets, &bind_count_below},
    {"lempel_ziv_complexity", kSimple, false, false, &bins_sets, &bind_lempel_ziv_complexity},
    {"fourier_entropy", kSimple, false, false, &bins_sets, &bind_fourier_entropy},
    {"permutation_entropy", kSimple, false, false, &permutation_sets, &bind_permutation_entropy},
    {"query_similarity_count", kCombiner, false, false, &query_sets, &bind_query_similarity_count, &query_suffix},
    {"mean_n_absolute_max", kSimple, false, false, &maxima_sets, &bind_mean_n_absolute_max},
}};
// clang-format on

}  // namespace

std::span<const CalculatorDef> calculator_table() {
  return kCalculators;
}

}  // namespace parafeat::timeseries
