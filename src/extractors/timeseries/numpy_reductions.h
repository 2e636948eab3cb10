// Reductions computed the way numpy computes them, operation for operation, so that features
// built on them agree with tsfresh's to the last bit wherever numpy's result is deterministic:
// pairwise summation (numpy's add.reduce), mean, var/std (ddof 0), median and the "linear"
// quantile. numpy's NaN rules too: a NaN among the values makes every reduction NaN (the
// arg-reductions give its index), as sums, medians and quantiles in numpy do.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace parafeat::timeseries {

/// numpy's pairwise sum of a contiguous float64 array (np.sum, np.add.reduce): blocks of up to
/// 128 values summed with eight accumulators, larger ranges split in halves.
double pairwise_sum(std::span<const double> values);
/// np.mean: pairwise_sum / n (NaN for an empty series).
double np_mean(std::span<const double> values);
/// np.var with ddof=0: the mean of (x - mean)^2, summed pairwise.
double np_var(std::span<const double> values);
/// np.std: sqrt(np_var).
double np_std(std::span<const double> values);
/// np.median (NaN for an empty series or one holding a NaN); partially sorts a copy.
double np_median(std::span<const double> values);
/// A copy of `values` in np.sort's order: ascending, any NaN last.
std::vector<double> sorted_copy(std::span<const double> values);
/// np.quantile(x, q) with method "linear", given x in sorted_copy's order (NaN when empty or
/// when x holds a NaN).
double np_quantile_sorted(std::span<const double> sorted, double q);
/// np.argmax / np.argmin: the first index of the largest / smallest value, or of the first NaN
/// (0 when empty).
std::size_t np_argmax(std::span<const double> values);
std::size_t np_argmin(std::span<const double> values);
/// np.diff.
std::vector<double> np_diff(std::span<const double> values);

}  // namespace parafeat::timeseries
