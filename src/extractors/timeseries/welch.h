// Welch's power spectral density as tsfresh calls scipy.signal.welch: periodic Hann segments of
// min(n, 256) values overlapping by half, each detrended by its mean, density scaling, one-sided,
// averaged by the mean.
#pragma once

#include <span>
#include <vector>

namespace parafeat::timeseries {

/// The one-sided PSD estimate of `x` (nperseg / 2 + 1 values; empty for an empty series).
std::vector<double> welch_density(std::span<const double> x);

}  // namespace parafeat::timeseries
