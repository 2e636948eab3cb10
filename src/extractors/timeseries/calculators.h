// The calculators, grouped by the file that holds them. Kernels without parameters are plain
// functions (bound with bind_plain); the others expose their binder. calculator_table.cc lists
// them all in tsfresh's order.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "extractors/timeseries/calculator.h"

namespace parafeat::timeseries {

using BindResult = Result<std::unique_ptr<Calculator>>;

// moments.cc
double variance_larger_than_standard_deviation(Series x);
double sum_values(Series x);
double abs_energy(Series x);
double median(Series x);
double mean(Series x);
double length(Series x);
double standard_deviation(Series x);
double variation_coefficient(Series x);
double variance(Series x);
double skewness(Series x);
double kurtosis(Series x);
double root_mean_square(Series x);
BindResult bind_symmetry_looking(std::string_view name, std::span<const Params> sets);
BindResult bind_large_standard_deviation(std::string_view name, std::span<const Params> sets);
BindResult bind_ratio_beyond_r_sigma(std::string_view name, std::span<const Params> sets);

// changes.cc
/// A parameter set {"lag": int}, shared by the lagged calculators.
struct LagParam {
  std::size_t lag;
};
Result<LagParam> read_lag(ParamReader& reader, const Params& set);
double mean_abs_change(Series x);
double mean_change(Series x);
double mean_second_derivative_central(Series x);
double absolute_sum_of_changes(Series x);
BindResult bind_time_reversal_asymmetry_statistic(std::string_view name,
                                                  std::span<const Params> sets);
BindResult bind_c3(std::string_view name, std::span<const Params> sets);
BindResult bind_cid_ce(std::string_view name, std::span<const Params> sets);

// locations.cc
double has_duplicate_max(Series x);
double has_duplicate_min(Series x);
double has_duplicate(Series x);
double longest_strike_below_mean(Series x);
double longest_strike_above_mean(Series x);
double count_above_mean(Series x);
double count_below_mean(Series x);
double last_location_of_maximum(Series x);
double first_location_of_maximum(Series x);
double last_location_of_minimum(Series x);
double first_location_of_minimum(Series x);
double maximum(Series x);
double absolute_maximum(Series x);
double minimum(Series x);

// reoccurring.cc
double percentage_of_reoccurring_values_to_all_values(Series x);
double percentage_of_reoccurring_datapoints_to_all_datapoints(Series x);
double sum_of_reoccurring_values(Series x);
double sum_of_reoccurring_data_points(Series x);
double ratio_value_number_to_time_series_length(Series x);

// counts.cc
BindResult bind_number_peaks(std::string_view name, std::span<const Params> sets);
BindResult bind_number_crossing_m(std::string_view name, std::span<const Params> sets);
BindResult bind_count_above(std::string_view name, std::span<const Params> sets);
BindResult bind_count_below(std::string_view name, std::span<const Params> sets);
BindResult bind_value_count(std::string_view name, std::span<const Params> sets);
BindResult bind_range_count(std::string_view name, std::span<const Params> sets);

// quantiles.cc
BindResult bind_quantile(std::string_view name, std::span<const Params> sets);
BindResult bind_index_mass_quantile(std::string_view name, std::span<const Params> sets);
BindResult bind_change_quantiles(std::string_view name, std::span<const Params> sets);
BindResult bind_mean_n_absolute_max(std::string_view name, std::span<const Params> sets);
BindResult bind_energy_ratio_by_chunks(std::string_view name, std::span<const Params> sets);

// autocorrelation.cc
BindResult bind_autocorrelation(std::string_view name, std::span<const Params> sets);
BindResult bind_agg_autocorrelation(std::string_view name, std::span<const Params> sets);
BindResult bind_partial_autocorrelation(std::string_view name, std::span<const Params> sets);

// fft_features.cc
BindResult bind_fft_coefficient(std::string_view name, std::span<const Params> sets);
BindResult bind_fft_aggregated(std::string_view name, std::span<const Params> sets);

// linear_trend.cc
BindResult bind_linear_trend(std::string_view name, std::span<const Params> sets);
BindResult bind_agg_linear_trend(std::string_view name, std::span<const Params> sets);

// entropies.cc
double benford_correlation(Series x);
/// -sum(p log p) over the bins of np.histogram(x, bins) (x finite and not empty).
double binned_entropy_of(Series x, std::size_t bins);
BindResult bind_binned_entropy(std::string_view name, std::span<const Params> sets);
BindResult bind_permutation_entropy(std::string_view name, std::span<const Params> sets);
BindResult bind_lempel_ziv_complexity(std::string_view name, std::span<const Params> sets);

// spectral_density.cc
BindResult bind_spkt_welch_density(std::string_view name, std::span<const Params> sets);
BindResult bind_fourier_entropy(std::string_view name, std::span<const Params> sets);

// ar_coefficient.cc
BindResult bind_ar_coefficient(std::string_view name, std::span<const Params> sets);

// langevin.cc
BindResult bind_friedrich_coefficients(std::string_view name, std::span<const Params> sets);
BindResult bind_max_langevin_fixed_point(std::string_view name, std::span<const Params> sets);

// cwt_coefficients.cc
BindResult bind_cwt_coefficients(std::string_view name, std::span<const Params> sets);

// regularity_entropies.cc
double sample_entropy(Series x);
BindResult bind_approximate_entropy(std::string_view name, std::span<const Params> sets);

// augmented_dickey_fuller.cc
BindResult bind_augmented_dickey_fuller(std::string_view name, std::span<const Params> sets);

// number_cwt_peaks.cc
BindResult bind_number_cwt_peaks(std::string_view name, std::span<const Params> sets);

// query_similarity_count.cc
BindResult bind_query_similarity_count(std::string_view name, std::span<const Params> sets);

}  // namespace parafeat::timeseries
