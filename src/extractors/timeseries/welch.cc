#include "extractors/timeseries/welch.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include "extractors/timeseries/fft_transform.h"
#include "extractors/timeseries/numpy_reductions.h"

namespace parafeat::timeseries {

std::vector<double> welch_density(std::span<const double> x) {
  constexpr std::size_t kMaxSegment = 256;
  const std::size_t n = x.size();
  if (n == 0) return {};
  const std::size_t nperseg = std::min(n, kMaxSegment);
  const std::size_t hop = nperseg - nperseg / 2;
  std::vector<double> window(nperseg, 1.0);
  if (nperseg > 1) {
    for (std::size_t k = 0; k < nperseg; ++k) {
      window[k] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(k) /
                                       static_cast<double>(nperseg));
    }
  }
  double window_energy = 0;
  for (double w : window) window_energy += w * w;
  const double scale = 1.0 / window_energy;

  const std::size_t segments = (n - nperseg / 2) / hop;
  std::vector<double> density(nperseg / 2 + 1, 0.0);
  std::vector<double> segment(nperseg);
  for (std::size_t s = 0; s < segments; ++s) {
    const std::span<const double> part = x.subspan(s * hop, nperseg);
    const double mean = np_mean(part);
    for (std::size_t k = 0; k < nperseg; ++k) segment[k] = (part[k] - mean) * window[k];
    const std::vector<std::complex<double>> spectrum = real_fft(segment);
    for (std::size_t f = 0; f < spectrum.size(); ++f) density[f] += std::norm(spectrum[f]) * scale;
  }
  const std::size_t last = nperseg % 2 == 0 ? density.size() - 1 : density.size();
  for (std::size_t f = 0; f < density.size(); ++f) {
    if (f >= 1 && f < last) density[f] *= 2;
    density[f] /= static_cast<double>(segments);
  }
  return density;
}

}  // namespace parafeat::timeseries
