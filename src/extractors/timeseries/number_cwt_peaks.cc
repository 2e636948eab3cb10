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
#include <numeric>
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

// scipy.stats.scoreatpercentile(window, 10) of a window of `size` values whose k-th smallest
// (from 0) is kth(k), interpolated as scipy does.
template <typename Kth>
double tenth_percentile(std::size_t size, const Kth& kth) {
  const double idx = 10 / 100. * static_cast<double>(size - 1);
  const auto i = static_cast<std::size_t>(idx);
  if (static_cast<double>(i) == idx) return kth(i);
  const double j = static_cast<double>(i) + 1;
  const double w0 = j - idx;
  const double w1 = idx - static_cast<double>(i);
  return (kth(i) * w0 + kth(i + 1) * w1) / (w0 + w1);
}

// The values of a row ranked once (numpy's order, ties by position), so that a sliding window of
// the row is a set of ranks: a Fenwick tree of counts by rank finds the window's k-th smallest
// value in O(log n), however wide the window.
struct RankedRow {
  explicit RankedRow(const std::vector<double>& row) : values(row), by_rank(row.size()) {
    std::iota(by_rank.begin(), by_rank.end(), std::size_t{0});
    std::stable_sort(by_rank.begin(), by_rank.end(),
                     [&](std::size_t a, std::size_t b) { return nan_last_less(row[a], row[b]); });
    rank.resize(row.size());
    for (std::size_t r = 0; r < by_rank.size(); ++r) rank[by_rank[r]] = r;
  }
  const std::vector<double>& values;
  std::vector<std::size_t> by_rank;  // positions, smallest value first
  std::vector<std::size_t> rank;     // rank of each position
};

// A window of a ranked row: positions enter and leave, the k-th smallest value is read.
class SlidingWindow {
 public:
  explicit SlidingWindow(const RankedRow& row) : row_(row), counts_(row.rank.size() + 1, 0) {
    top_ = 1;
    while (top_ * 2 <= row.rank.size()) top_ *= 2;
  }
  void add(std::size_t position, int delta) {
    for (std::size_t p = row_.rank[position] + 1; p < counts_.size(); p += p & (~p + 1)) {
      counts_[p] += delta;
    }
    size_ = static_cast<std::size_t>(static_cast<std::int64_t>(size_) + delta);
  }
  std::size_t size() const { return size_; }
  double kth(std::size_t k) const {
    std::size_t rank = 0;  // the count of ranks below the answer, found bit by bit
    std::int64_t remaining = static_cast<std::int64_t>(k) + 1;
    for (std::size_t step = top_; step > 0; step /= 2) {
      if (rank + step < counts_.size() && counts_[rank + step] < remaining) {
        rank += step;
        remaining -= counts_[rank];
      }
    }
    return row_.values[row_.by_rank[rank]];
  }

 private:
  const RankedRow& row_;
  std::vector<std::int64_t> counts_;  // Fenwick tree over ranks, 1-based
  std::size_t top_ = 1;
  std::size_t size_ = 0;
};

// Columns of the noise floor one task computes, each task filling its first window afresh and
// sliding it along. A percentile of a window is the same number however the window was built,
// so the floor is the same bytes for any split.
constexpr std::size_t kNoiseColumns = 2048;

// scipy's noise floor of the columns [first, last): the 10th percentile of the narrowest row over
// the window [col - half, col + half + odd) cut to the series.
void noise_floors(const RankedRow& row, std::size_t half, std::size_t odd, std::size_t first,
                  std::size_t last, double* noise) {
  const std::size_t len = row.rank.size();
  SlidingWindow window(row);
  std::size_t begin = first > half ? first - half : 0;
  std::size_t end = begin;
  for (std::size_t col = first; col < last; ++col) {
    for (; end < std::min(col + half + odd, len); ++end) window.add(end, +1);
    for (; begin < (col > half ? col - half : 0); ++begin) window.add(begin, -1);
    noise[col] = tenth_percentile(window.size(), [&](std::size_t k) { return window.kth(k); });
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
        const RankedRow ranked(cwt[0]);
        fork.run((len + kNoiseColumns - 1) / kNoiseColumns, [&](std::size_t block) {
          noise_floors(ranked, window / 2, window % 2, block * kNoiseColumns,
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
