// The discrete Fourier transform of a real series, as numpy.fft.rfft defines it (unnormalised,
// e^{-2 pi i k j / n}), for any length: radix-2 for powers of two, Bluestein's chirp-z
// otherwise.
#pragma once

#include <complex>
#include <span>
#include <vector>

namespace parafeat::timeseries {

/// The n / 2 + 1 non-negative-frequency coefficients of the DFT of `x`.
std::vector<std::complex<double>> real_fft(std::span<const double> x);

}  // namespace parafeat::timeseries
