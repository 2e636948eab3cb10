// number_cwt_peaks: the number of peaks scipy.signal.find_peaks_cwt finds with Ricker wavelets
// of widths 1..n (tsfresh's call, all other arguments at scipy's defaults). The series is
// convolved ("same" mode) with each wavelet; the strict relative maxima of each row are chained
// from the widest row down into ridge lines (a maximum joins the nearest line end within width/4
// columns, a line ends after more than one row without a maximum); a ridge line counts when it
// spans at least n/4 rows and its narrowest point stands above the noise, the 10th percentile of
// the narrowest row over a window of len/20 points around it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <numbers>
#include <span>
#include <utility>
#include <vector>

#include "extractors/timeseries/calculators.h"

namespace parafeat::timeseries {
namespace {

struct CwtPeaksParam {
  std::size_t n;
};

Result<CwtPeaksParam> read_cwt_peaks(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t n, read_count(reader, set, "n", 1));
  return CwtPeaksParam{n};
}

// tsfresh's _ricker(points, a): the Mexican hat of width a sampled at points centred points.
std::vector<double> ricker(std::size_t points, std::size_t width) {
  const auto a = static_cast<double>(width);
  const double amplitude = 2 / (std::sqrt(3 * a) * std::pow(std::numbers::pi, 0.25));
  const double wsq = a * a;
  const double centre = (static_cast<double>(points) - 1.0) / 2;
  std::vector<double> w(points);
  for (std::size_t i = 0; i < points; ++i) {
    const double v = static_cast<double>(i) - centre;
    const double xsq = v * v;
    w[i] = amplitude * (1 - xsq / wsq) * std::exp(-xsq / (2 * wsq));
  }
  return w;
}

// One row of scipy's _cwt: np.convolve(x, wavelet[::-1], "same") with min(10 width, len) points.
std::vector<double> cwt_row(Series x, std::size_t width) {
  const std::size_t len = x.size();
  const std::vector<double> w = ricker(std::min(10 * width, len), width);
  const auto left = static_cast<std::int64_t>(w.size() / 2);
  std::vector<double> row(len);
  for (std::size_t k = 0; k < len; ++k) {
    double sum = 0;
    for (std::size_t j = 0; j < w.size(); ++j) {
      const std::int64_t i = static_cast<std::int64_t>(k) - left + static_cast<std::int64_t>(j);
      if (i >= 0 && i < static_cast<std::int64_t>(len))
        sum += x[static_cast<std::size_t>(i)] * w[j];
    }
    row[k] = sum;
  }
  return row;
}

// Columns strictly greater than both neighbours (the ends compare with themselves: never).
std::vector<std::size_t> relative_maxima(const std::vector<double>& row) {
  std::vector<std::size_t> cols;
  for (std::size_t c = 1; c + 1 < row.size(); ++c) {
    if (row[c] > row[c - 1] && row[c] > row[c + 1]) cols.push_back(c);
  }
  return cols;
}

// A ridge line as the filter sees it: its length and its last (narrowest) point.
struct Ridge {
  std::size_t row;
  std::size_t col;
  std::size_t length;
  std::size_t gap;
};

// The index of the first ridge (in list order) whose end column is nearest `col`; `ends` holds
// (end column, index) sorted.
std::size_t nearest_ridge(const std::vector<std::pair<std::size_t, std::size_t>>& ends,
                          std::size_t col, std::size_t& distance) {
  const auto hi = std::lower_bound(ends.begin(), ends.end(), std::pair{col, std::size_t{0}});
  std::size_t best = ends.size();
  distance = SIZE_MAX;
  auto consider = [&](std::size_t end_col) {
    const std::size_t d = end_col > col ? end_col - col : col - end_col;
    // The first ridge with this end column has the smallest index among them.
    const std::size_t index =
        std::lower_bound(ends.begin(), ends.end(), std::pair{end_col, std::size_t{0}})->second;
    if (d < distance || (d == distance && index < best)) {
      distance = d;
      best = index;
    }
  };
  if (hi != ends.end()) consider(hi->first);
  if (hi != ends.begin()) consider(std::prev(hi)->first);
  return best;
}

// scipy's _identify_ridge_lines with max_distances = widths / 4 and gap_thresh = 1.
std::vector<Ridge> ridge_lines(std::span<const std::vector<std::size_t>> maxima) {
  constexpr std::size_t kGapThreshold = 1;
  std::size_t start = maxima.size();
  while (start > 0 && maxima[start - 1].empty()) --start;
  if (start == 0) return {};
  std::vector<Ridge> active;
  std::vector<Ridge> done;
  for (std::size_t col : maxima[start - 1]) active.push_back(Ridge{start - 1, col, 1, 0});
  std::vector<std::pair<std::size_t, std::size_t>> ends;
  for (std::size_t row = start - 1; row-- > 0;) {
    for (Ridge& ridge : active) ++ridge.gap;
    ends.clear();
    for (std::size_t i = 0; i < active.size(); ++i) ends.emplace_back(active[i].col, i);
    std::sort(ends.begin(), ends.end());
    const double max_distance = static_cast<double>(row + 1) / 4.0;
    for (std::size_t col : maxima[row]) {
      std::size_t distance = 0;
      const std::size_t nearest = ends.empty() ? 0 : nearest_ridge(ends, col, distance);
      if (!ends.empty() && static_cast<double>(distance) <= max_distance) {
        Ridge& ridge = active[nearest];
        ridge.row = row;
        ridge.col = col;
        ++ridge.length;
        ridge.gap = 0;
      } else {
        active.push_back(Ridge{row, col, 1, 0});
      }
    }
    const auto ended = std::stable_partition(active.begin(), active.end(),
                                             [](const Ridge& r) { return r.gap <= kGapThreshold; });
    done.insert(done.end(), ended, active.end());
    active.erase(ended, active.end());
  }
  done.insert(done.end(), active.begin(), active.end());
  return done;
}

// numpy's sort order: NaN after everything.
bool nan_last_less(double a, double b) {
  return a < b || (!std::isnan(a) && std::isnan(b));
}

// scipy.stats.scoreatpercentile(window, 10) of a sorted window, interpolated as scipy does.
double tenth_percentile(const std::vector<double>& sorted) {
  const double idx = 10 / 100. * static_cast<double>(sorted.size() - 1);
  const auto i = static_cast<std::size_t>(idx);
  if (static_cast<double>(i) == idx) return sorted[i];
  const double j = static_cast<double>(i) + 1;
  const double w0 = j - idx;
  const double w1 = idx - static_cast<double>(i);
  return (sorted[i] * w0 + sorted[i + 1] * w1) / (w0 + w1);
}

// Columns of the noise floor one task computes: each task sorts its first window afresh and
// slides it along. A percentile of a window is the same number however the window was sorted,
// so the floor is the same bytes for any split.
constexpr std::size_t kNoiseColumns = 2048;

// scipy's noise floor of the columns [first, last): the 10th percentile of the narrowest row over
// the window [col - half, col + half + odd) cut to the series, slid along with one sorted copy.
void noise_floors(const std::vector<double>& row, std::size_t half, std::size_t odd,
                  std::size_t first, std::size_t last, double* noise) {
  const std::size_t len = row.size();
  const auto window_begin = [&](std::size_t col) { return col > half ? col - half : 0; };
  const auto window_end = [&](std::size_t col) { return std::min(col + half + odd, len); };
  std::size_t begin = window_begin(first);
  std::size_t end = window_end(first);
  std::vector<double> sorted(row.begin() + static_cast<std::ptrdiff_t>(begin),
                             row.begin() + static_cast<std::ptrdiff_t>(end));
  std::sort(sorted.begin(), sorted.end(), nan_last_less);
  for (std::size_t col = first; col < last; ++col) {
    for (; end < window_end(col); ++end) {
      sorted.insert(std::upper_bound(sorted.begin(), sorted.end(), row[end], nan_last_less),
                    row[end]);
    }
    for (; begin < window_begin(col); ++begin) {
      sorted.erase(std::lower_bound(sorted.begin(), sorted.end(), row[begin], nan_last_less));
    }
    noise[col] = tenth_percentile(sorted);
  }
}

// The number of peaks for every parameter set from one transform: the rows of the widest set
// serve the narrower ones (a row depends on its width only), and the noise floor (of the width-1
// row, over a window set by the length) is the same for all.
class NumberCwtPeaks final : public Calculator {
 public:
  explicit NumberCwtPeaks(std::vector<CwtPeaksParam> sets) : sets_(std::move(sets)) {}

  void compute(Series x, std::span<double> out) const override {
    compute_forked(x, out, serial_fork_join());
  }

  // The rows of the transform, and column blocks of the noise floor, run as tasks.
  void compute_forked(Series x, std::span<double> out, const ForkJoin& fork) const override {
    const std::size_t len = x.size();
    if (len == 0) {
      std::fill(out.begin(), out.end(), 0.0);
      return;
    }
    std::size_t widest = 0;
    for (const CwtPeaksParam& p : sets_) widest = std::max(widest, p.n);
    std::vector<std::vector<double>> cwt(widest);
    std::vector<std::vector<std::size_t>> maxima(widest);
    fork.run(widest, [&](std::size_t row) {
      cwt[row] = cwt_row(x, row + 1);
      maxima[row] = relative_maxima(cwt[row]);
    });
    const auto window = static_cast<std::size_t>(std::ceil(static_cast<double>(len) / 20));
    std::vector<double> noise;
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      const std::size_t n = sets_[s].n;
      const std::vector<Ridge> ridges =
          ridge_lines(std::span<const std::vector<std::size_t>>(maxima).first(n));
      if (ridges.empty()) {
        out[s] = 0;
        continue;
      }
      if (noise.empty()) {
        noise.resize(len);
        fork.run((len + kNoiseColumns - 1) / kNoiseColumns, [&](std::size_t block) {
          noise_floors(cwt[0], window / 2, window % 2, block * kNoiseColumns,
                       std::min(len, (block + 1) * kNoiseColumns), noise.data());
        });
      }
      const double min_length = std::ceil(static_cast<double>(n) / 4);
      std::size_t peaks = 0;
      for (const Ridge& ridge : ridges) {
        if (static_cast<double>(ridge.length) < min_length) continue;
        const double snr = std::abs(cwt[ridge.row][ridge.col] / noise[ridge.col]);
        if (!(snr < 1)) ++peaks;  // NaN (0 / 0) passes, as in scipy
      }
      out[s] = static_cast<double>(peaks);
    }
  }

 private:
  std::vector<CwtPeaksParam> sets_;
};

}  // namespace

BindResult bind_number_cwt_peaks(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<CwtPeaksParam> parsed,
                           read_sets<CwtPeaksParam>(name, sets, &read_cwt_peaks));
  return std::unique_ptr<Calculator>(std::make_unique<NumberCwtPeaks>(std::move(parsed)));
}

}  // namespace parafeat::timeseries
