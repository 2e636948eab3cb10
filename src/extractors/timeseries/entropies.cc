// Entropies and complexity of the value distribution and of ordinal patterns, and the
// correlation of first digits with Benford's law.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/numpy_reductions.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// np.linspace(start, stop, num) for num >= 2.
std::vector<double> linspace(double start, double stop, std::size_t num) {
  std::vector<double> y(num);
  const auto div = static_cast<double>(num - 1);
  const double delta = stop - start;
  const double step = delta / div;
  for (std::size_t i = 0; i < num; ++i) {
    y[i] = step == 0 ? static_cast<double>(i) / div * delta + start
                     : static_cast<double>(i) * step + start;
  }
  y[num - 1] = stop;
  return y;
}

}  // namespace

// Pairwise over the bins in order, as numpy sums them; empty bins add nothing.
double binned_entropy_of(Series x, std::size_t bins) {
  auto [lo_it, hi_it] = std::minmax_element(x.begin(), x.end());
  double first = *lo_it;
  double last = *hi_it;
  if (first == last) {
    first -= 0.5;
    last += 0.5;
  }
  const std::vector<double> edges = linspace(first, last, bins + 1);
  std::vector<std::size_t> hist(bins, 0);
  const double denominator = last - first;
  for (double v : x) {
    auto index = static_cast<std::ptrdiff_t>((v - first) / denominator * static_cast<double>(bins));
    if (index == static_cast<std::ptrdiff_t>(bins)) --index;
    if (v < edges[static_cast<std::size_t>(index)]) --index;
    if (v >= edges[static_cast<std::size_t>(index) + 1] &&
        index != static_cast<std::ptrdiff_t>(bins) - 1) {
      ++index;
    }
    ++hist[static_cast<std::size_t>(index)];
  }
  std::vector<double> terms(bins);
  for (std::size_t b = 0; b < bins; ++b) {
    double p = static_cast<double>(hist[b]) / static_cast<double>(x.size());
    if (p == 0) p = 1.0;
    terms[b] = p * std::log(p);
  }
  return -pairwise_sum(terms);
}

namespace {

struct BinsParam {
  std::size_t bins;
};

template <const char* kKey>
Result<BinsParam> read_bins(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t bins, read_count(reader, set, kKey, 1));
  return BinsParam{bins};
}

constexpr char kMaxBins[] = "max_bins";
constexpr char kBins[] = "bins";

double binned_entropy_kernel(Series x, const BinsParam& p) {
  for (double v : x) {
    if (!std::isfinite(v)) return kNaN;  // np.histogram cannot bin an infinite range
  }
  return binned_entropy_of(x, p.bins);
}

struct PermutationParam {
  std::size_t tau;
  std::size_t dimension;
};

Result<PermutationParam> read_permutation(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t tau, read_count(reader, set, "tau"));
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t dimension, read_count(reader, set, "dimension"));
  if (tau == 0 || dimension < 2 || dimension > 12) {
    return Status::Invalid("calculator '" + reader.owner() +
                           "': needs tau > 0 and 2 <= dimension <= 12");
  }
  return PermutationParam{tau, dimension};
}

// The stable ranks of `window` (values below, and equal values before), as numpy's argsort of
// argsort ranks a short row.
void stable_ranks(Series window, std::span<std::size_t> ranks) {
  for (std::size_t i = 0; i < window.size(); ++i) {
    std::size_t rank = 0;
    for (std::size_t j = 0; j < window.size(); ++j) {
      rank += (window[j] < window[i] || (window[j] == window[i] && j < i)) ? 1 : 0;
    }
    ranks[i] = rank;
  }
}

// Dimensions whose d! patterns are counted in a table (d! <= 40 320); larger ones are sorted.
constexpr std::size_t kMaxTabulatedDimension = 8;

// The entropy of pattern frequencies, the patterns taken in lexicographic order (np.unique's).
double entropy_of_counts(std::span<const std::size_t> counts, std::size_t total) {
  std::vector<double> terms;
  for (const std::size_t count : counts) {
    if (count == 0) continue;
    const double prob = static_cast<double>(count) / static_cast<double>(total);
    terms.push_back(prob * std::log(prob));
  }
  return -pairwise_sum(terms);
}

// Windows of `dimension` consecutive values starting every `tau` values; the entropy of their
// ordinal patterns (rank vectors). A rank vector is a permutation, so up to dimension 8 each is
// counted at its lexicographic index (its Lehmer code), which keeps np.unique's order without a
// sort; larger dimensions sort the patterns' base-d codes.
double permutation_entropy(Series x, const PermutationParam& p) {
  if (x.size() < p.dimension) return kNaN;
  const std::size_t d = p.dimension;
  const std::size_t windows = (x.size() - d) / p.tau + 1;
  if (d <= kMaxTabulatedDimension) {
    std::size_t factorial = 1;
    for (std::size_t i = 2; i <= d; ++i) factorial *= i;
    std::vector<std::size_t> counts(factorial, 0);
    for (std::size_t w = 0; w < windows; ++w) {
      // Lehmer code of the ranks: for each position, the later ranks below its rank, in base
      // (d - 1 - i)!. A later value ranks below exactly when it is smaller (ties rank by
      // position), so the ranks themselves are not needed.
      const double* window = x.data() + w * p.tau;
      std::size_t index = 0;
      for (std::size_t i = 0; i < d; ++i) {
        std::size_t smaller = 0;
        for (std::size_t j = i + 1; j < d; ++j) smaller += window[j] < window[i] ? 1 : 0;
        index = index * (d - i) + smaller;
      }
      ++counts[index];
    }
    return entropy_of_counts(counts, windows);
  }
  std::vector<std::size_t> ranks(d);
  std::vector<std::uint64_t> patterns(windows);
  for (std::size_t w = 0; w < windows; ++w) {
    stable_ranks(x.subspan(w * p.tau, d), ranks);
    std::uint64_t code = 0;
    for (const std::size_t rank : ranks) code = code * d + rank;
    patterns[w] = code;
  }
  std::sort(patterns.begin(), patterns.end());
  std::vector<std::size_t> counts;
  for (std::size_t i = 0; i < windows;) {
    std::size_t j = i;
    while (j < windows && patterns[j] == patterns[i]) ++j;
    counts.push_back(j - i);
    i = j;
  }
  return entropy_of_counts(counts, windows);
}

// Lempel-Ziv complexity of the series quantised into `bins` equal-width levels.
double lempel_ziv_complexity(Series x, const BinsParam& p) {
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  const std::vector<double> edges = linspace(*lo, *hi, p.bins + 1);
  std::u32string sequence(x.size(), U'\0');
  for (std::size_t i = 0; i < x.size(); ++i) {
    // np.searchsorted(edges[1:], v, side="left"): the number of edges below v.
    const auto it = std::lower_bound(edges.begin() + 1, edges.end(), x[i]);
    sequence[i] = static_cast<char32_t>(it - (edges.begin() + 1));
  }
  // The words seen form a trie: a word is added only after its prefix one symbol shorter was
  // found seen. Walking it from the root finds the longest seen word at `index` in one step a
  // symbol. Nodes are numbered from 1 (0 is the root, the empty word); a node's children are a
  // row of a table for few bins, else found by (node, symbol) in a hash map.
  constexpr std::size_t kMaxTabulatedSymbols = 129;
  // Symbols run to bins (not bins - 1) when a bound is not finite.
  const std::size_t symbols =
      sequence.empty() ? 1 : *std::max_element(sequence.begin(), sequence.end()) + std::size_t{1};
  std::vector<std::uint32_t> table;  // child of node i for symbol s at i * symbols + s; 0: none
  std::unordered_map<std::uint64_t, std::uint64_t> children;
  const bool tabulated = symbols <= kMaxTabulatedSymbols && x.size() < (std::size_t{1} << 31);
  if (tabulated) table.assign(symbols, 0);
  std::uint64_t words = 0;
  std::uint64_t node = 0;
  for (const char32_t symbol : sequence) {
    if (tabulated) {
      std::uint32_t& child = table[node * symbols + symbol];
      if (child != 0) {
        node = child;  // seen: the word grows by one symbol
        continue;
      }
      child = static_cast<std::uint32_t>(++words);  // a new word; the next starts after it
      table.resize(table.size() + symbols, 0);
      node = 0;
      continue;
    }
    const std::uint64_t key = (node << 32) | static_cast<std::uint64_t>(symbol);
    const auto child = children.find(key);
    if (child != children.end()) {
      node = child->second;
    } else {
      children.emplace(key, ++words);
      node = 0;
    }
  }
  // A word still growing at the end was seen before: it adds nothing.
  return static_cast<double>(words) / static_cast<double>(x.size());
}

// The first significant digit of |v| as numpy's format_float_scientific prints it (0 for 0).
int first_digit(double v) {
  if (std::isnan(v)) v = 0;
  if (std::isinf(v)) v = std::numeric_limits<double>::max();
  v = std::abs(v);
  if (v == 0) return 0;
  char buffer[64];
  std::to_chars(buffer, buffer + sizeof(buffer), v, std::chars_format::scientific);
  return buffer[0] - '0';
}

}  // namespace

// Pearson's correlation (np.corrcoef) between Benford's first-digit distribution and the
// series' first-digit frequencies.
double benford_correlation(Series x) {
  std::vector<double> benford(9), observed(9, 0.0);
  for (int d = 1; d <= 9; ++d) benford[d - 1] = std::log10(1.0 + 1.0 / d);
  for (double v : x) {
    const int digit = first_digit(v);
    if (digit >= 1) observed[digit - 1] += 1;
  }
  for (double& o : observed) o /= static_cast<double>(x.size());
  const double mean_b = np_mean(benford);
  const double mean_o = np_mean(observed);
  double cbb = 0, cbo = 0, coo = 0;
  for (std::size_t i = 0; i < 9; ++i) {
    const double db = benford[i] - mean_b;
    const double dobs = observed[i] - mean_o;
    cbb += db * db;
    cbo += db * dobs;
    coo += dobs * dobs;
  }
  const double r = cbo / 8.0 / std::sqrt(cbb / 8.0) / std::sqrt(coo / 8.0);
  return std::isnan(r) ? r : std::clamp(r, -1.0, 1.0);
}

BindResult bind_binned_entropy(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<BinsParam, &read_bins<kMaxBins>, &binned_entropy_kernel>(name, sets);
}

BindResult bind_permutation_entropy(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<PermutationParam, &read_permutation, &permutation_entropy>(name, sets);
}

BindResult bind_lempel_ziv_complexity(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<BinsParam, &read_bins<kBins>, &lempel_ziv_complexity>(name, sets);
}

}  // namespace parafeat::timeseries
