// friedrich_coefficients and max_langevin_fixed_point: a polynomial fitted to the mean change of
// the series against its value, over 30 (r) quantile bins of the value (tsfresh's estimate of
// the drift of a Langevin model), and the largest real part of that polynomial's roots.
#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/numpy_reductions.h"
#include "extractors/timeseries/pseudo_inverse.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// pandas' group mean: Kahan-compensated sum in row order over the count.
class KahanMean {
 public:
  void add(double v) {
    const double y = v - compensation_;
    const double t = sum_ + y;
    compensation_ = (t - sum_) - y;
    sum_ = t;
    ++count_;
  }
  bool empty() const { return count_ == 0; }
  double mean() const { return sum_ / static_cast<double>(count_); }

 private:
  double sum_ = 0;
  double compensation_ = 0;
  std::size_t count_ = 0;
};

// tsfresh's _estimate_friedrich_coefficients: highest power first, or empty when pandas.qcut
// cannot cut the values into r bins with distinct edges.
std::vector<double> friedrich_estimate(Series x, std::size_t m, std::size_t r) {
  if (x.size() < 2 || r == 0) return {};
  const Series signal = x.first(x.size() - 1);
  const std::vector<double> delta = np_diff(x);
  // pandas.qcut(signal, r): edges at the i / r quantiles (nudged up where i / r is inexact).
  const std::vector<double> sorted = sorted_copy(signal);
  std::vector<double> edges(r + 1);
  for (std::size_t i = 0; i <= r; ++i) {
    double q = i == r ? 1.0 : static_cast<double>(i) * (1.0 / static_cast<double>(r));
    if (static_cast<double>(r) * q != static_cast<double>(i)) q = std::nextafter(q, 1.0);
    edges[i] = np_quantile_sorted(sorted, q);
  }
  for (std::size_t i = 1; i <= r; ++i) {
    if (!(edges[i] != edges[i - 1])) return {};  // duplicate (or NaN) edges: qcut raises
  }
  std::vector<KahanMean> x_means(r), y_means(r);
  for (std::size_t i = 0; i < signal.size(); ++i) {
    const double v = signal[i];
    auto bin =
        static_cast<std::size_t>(std::lower_bound(edges.begin(), edges.end(), v) - edges.begin());
    if (v == edges[0]) bin = 1;
    if (bin == 0 || bin > r) continue;
    x_means[bin - 1].add(v);
    y_means[bin - 1].add(delta[i]);
  }
  std::vector<double> xs, ys;
  for (std::size_t b = 0; b < r; ++b) {
    if (x_means[b].empty()) continue;
    const double xm = x_means[b].mean();
    const double ym = y_means[b].mean();
    if (std::isnan(xm) || std::isnan(ym)) continue;
    xs.push_back(xm);
    ys.push_back(ym);
  }
  if (xs.empty()) return {};
  return polyfit(xs, ys, m);
}

struct FriedrichParam {
  std::size_t coeff;
  std::size_t m;
  std::size_t r;
};

Result<FriedrichParam> read_friedrich(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t coeff, read_count(reader, set, "coeff"));
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t m, read_count(reader, set, "m"));
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t r, read_count(reader, set, "r"));
  if (m == 0 || r == 0) {
    return Status::Invalid("calculator '" + reader.owner() + "': needs m > 0 and r > 0");
  }
  return FriedrichParam{coeff, m, r};
}

class FriedrichCoefficients final : public Calculator {
 public:
  explicit FriedrichCoefficients(std::vector<FriedrichParam> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    std::map<std::pair<std::size_t, std::size_t>, std::vector<double>> fits;
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      const FriedrichParam& p = sets_[s];
      auto it = fits.find({p.m, p.r});
      if (it == fits.end())
        it = fits.emplace(std::make_pair(p.m, p.r), friedrich_estimate(x, p.m, p.r)).first;
      const std::vector<double>& c = it->second;
      out[s] = p.coeff < c.size() ? c[p.coeff] : kNaN;
    }
  }

 private:
  std::vector<FriedrichParam> sets_;
};

// The eigenvalues of a real upper-Hessenberg matrix by the shifted QR algorithm (small n).
std::vector<std::complex<double>> hessenberg_eigenvalues(std::vector<std::vector<double>> h) {
  std::vector<std::complex<double>> roots;
  std::size_t n = h.size();
  int iterations = 0;
  while (n > 0) {
    if (n == 1) {
      roots.emplace_back(h[0][0], 0.0);
      break;
    }
    const std::size_t l = n - 1;
    // Deflate when the subdiagonal entry is negligible.
    if (std::abs(h[l][l - 1]) <=
        std::numeric_limits<double>::epsilon() * (std::abs(h[l][l]) + std::abs(h[l - 1][l - 1]))) {
      roots.emplace_back(h[l][l], 0.0);
      --n;
      iterations = 0;
      continue;
    }
    if (n == 2 ||
        std::abs(h[l - 1][l - 2]) <= std::numeric_limits<double>::epsilon() *
                                         (std::abs(h[l - 1][l - 1]) + std::abs(h[l - 2][l - 2]))) {
      const double a = h[l - 1][l - 1], b = h[l - 1][l], c = h[l][l - 1], d = h[l][l];
      const double tr = a + d;
      const double det = a * d - b * c;
      const double disc = tr * tr / 4 - det;
      if (disc >= 0) {
        const double root = std::sqrt(disc);
        const double big = tr / 2 + std::copysign(root, tr / 2);
        roots.emplace_back(big, 0.0);
        roots.emplace_back(big != 0 ? det / big : tr / 2 - root, 0.0);
      } else {
        roots.emplace_back(tr / 2, std::sqrt(-disc));
        roots.emplace_back(tr / 2, -std::sqrt(-disc));
      }
      n -= 2;
      iterations = 0;
      continue;
    }
    if (++iterations > 500) return {};
    // One shifted QR step (Wilkinson-like shift from the trailing entry) by Givens rotations.
    const double shift = h[l][l];
    for (std::size_t i = 0; i < n; ++i) h[i][i] -= shift;
    std::vector<std::pair<double, double>> rotations;
    for (std::size_t k = 0; k + 1 < n; ++k) {
      const double a = h[k][k], b = h[k + 1][k];
      const double rr = std::hypot(a, b);
      const double c = rr == 0 ? 1 : a / rr, s = rr == 0 ? 0 : b / rr;
      rotations.emplace_back(c, s);
      for (std::size_t j = 0; j < n; ++j) {
        const double t1 = h[k][j], t2 = h[k + 1][j];
        h[k][j] = c * t1 + s * t2;
        h[k + 1][j] = -s * t1 + c * t2;
      }
    }
    for (std::size_t k = 0; k + 1 < n; ++k) {
      const auto [c, s] = rotations[k];
      for (std::size_t i = 0; i < n; ++i) {
        const double t1 = h[i][k], t2 = h[i][k + 1];
        h[i][k] = c * t1 + s * t2;
        h[i][k + 1] = -s * t1 + c * t2;
      }
    }
    for (std::size_t i = 0; i < n; ++i) h[i][i] += shift;
  }
  return roots;
}

// np.max(np.real(np.roots(coefficients))): NaN when there are no roots or the input has NaN.
double max_real_root(const std::vector<double>& p) {
  for (double v : p) {
    if (!std::isfinite(v)) return kNaN;
  }
  std::size_t first = 0;
  while (first < p.size() && p[first] == 0) ++first;
  std::size_t last = p.size();
  while (last > first && p[last - 1] == 0) --last;
  if (first == last) return kNaN;
  const bool zero_root = last < p.size();
  const std::size_t degree = last - first - 1;
  double best = zero_root ? 0.0 : -std::numeric_limits<double>::infinity();
  if (degree == 0) return zero_root ? 0.0 : kNaN;
  // The companion matrix: first row -p[1:] / p[0], ones below the diagonal.
  std::vector<std::vector<double>> companion(degree, std::vector<double>(degree, 0.0));
  for (std::size_t j = 0; j < degree; ++j) companion[0][j] = -p[first + j + 1] / p[first];
  for (std::size_t i = 1; i < degree; ++i) companion[i][i - 1] = 1.0;
  const std::vector<std::complex<double>> roots = hessenberg_eigenvalues(std::move(companion));
  if (roots.empty()) return kNaN;
  for (const std::complex<double>& root : roots) best = std::max(best, root.real());
  return best;
}

struct LangevinParam {
  std::size_t m;
  std::size_t r;
};

Result<LangevinParam> read_langevin(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t m, read_count(reader, set, "m"));
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t r, read_count(reader, set, "r"));
  if (m == 0 || r == 0) {
    return Status::Invalid("calculator '" + reader.owner() + "': needs m > 0 and r > 0");
  }
  return LangevinParam{m, r};
}

double max_langevin_fixed_point(Series x, const LangevinParam& p) {
  const std::vector<double> coefficients = friedrich_estimate(x, p.m, p.r);
  if (coefficients.empty()) return kNaN;
  return max_real_root(coefficients);
}

}  // namespace

BindResult bind_friedrich_coefficients(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<FriedrichParam> parsed,
                           read_sets<FriedrichParam>(name, sets, &read_friedrich));
  return std::unique_ptr<Calculator>(std::make_unique<FriedrichCoefficients>(std::move(parsed)));
}

BindResult bind_max_langevin_fixed_point(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<LangevinParam, &read_langevin, &max_langevin_fixed_point>(name, sets);
}

}  // namespace parafeat::timeseries
