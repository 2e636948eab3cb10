// Features of the value distribution and of where the series' mass lies: quantiles, the index
// mass quantile, changes inside a quantile corridor, the mean of the largest absolute values and
// the energy of chunks.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/numpy_reductions.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct QParam {
  double q;
};

Result<QParam> read_q(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const double q, read_number(reader, set, "q"));
  if (!(q >= 0 && q <= 1)) {
    return Status::Invalid("calculator '" + reader.owner() + "': parameter 'q' must be in [0, 1]");
  }
  return QParam{q};
}

// Every quantile from one sorted copy.
class Quantile final : public Calculator {
 public:
  explicit Quantile(std::vector<QParam> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    const std::vector<double> sorted = sorted_copy(x);
    for (std::size_t i = 0; i < sets_.size(); ++i) out[i] = np_quantile_sorted(sorted, sets_[i].q);
  }

 private:
  std::vector<QParam> sets_;
};

// The relative index where q of the absolute mass lies to the left.
class IndexMassQuantile final : public Calculator {
 public:
  explicit IndexMassQuantile(std::vector<QParam> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    std::vector<double> abs_x(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) abs_x[i] = std::abs(x[i]);
    const double total = pairwise_sum(abs_x);
    if (total == 0) {
      std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(sets_.size()), kNaN);
      return;
    }
    std::vector<double> mass(x.size());
    double running = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      running += abs_x[i];
      mass[i] = running / total;
    }
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      const auto it =
          std::find_if(mass.begin(), mass.end(), [q = sets_[s].q](double m) { return m >= q; });
      const std::size_t index = it == mass.end() ? 0 : static_cast<std::size_t>(it - mass.begin());
      out[s] = static_cast<double>(index + 1) / static_cast<double>(x.size());
    }
  }

 private:
  std::vector<QParam> sets_;
};

struct CorridorParam {
  double ql;
  double qh;
  bool isabs;
  bool variance;  // f_agg "var" (else "mean")
};

Result<CorridorParam> read_corridor(ParamReader& reader, const Params& set) {
  PARAFEAT_RETURN_NOT_OK(require_keys(reader.owner(), set, {"ql", "qh", "isabs", "f_agg"}));
  CorridorParam p{};
  PARAFEAT_ASSIGN_OR_RAISE(p.ql, reader.number("ql", 0));
  PARAFEAT_ASSIGN_OR_RAISE(p.qh, reader.number("qh", 1));
  PARAFEAT_ASSIGN_OR_RAISE(p.isabs, reader.boolean("isabs", false));
  PARAFEAT_ASSIGN_OR_RAISE(const std::string f_agg,
                           reader.choice("f_agg", "mean", {"mean", "var"}));
  p.variance = f_agg == "var";
  return p;
}

// a <= b in numpy's sort order, where NaN sorts after everything (a is never NaN here).
bool sorts_before_or_equal(double a, double b) {
  return std::isnan(b) || a <= b;
}

// The changes between consecutive values that both lie in the corridor between the ql and qh
// quantiles: pandas.qcut's bin 0 (lo <= v <= hi, compared as numpy's searchsorted compares, so a
// NaN quantile of a series with infinities bounds nothing from above).
void corridor_changes(Series x, Series sorted, double ql, double qh, std::vector<double>& out) {
  out.clear();
  const double lo = np_quantile_sorted(sorted, ql);
  const double hi = np_quantile_sorted(sorted, qh);
  const auto inside_corridor = [&](double v) {
    return sorts_before_or_equal(lo, v) && sorts_before_or_equal(v, hi);
  };
  for (std::size_t i = 1; i < x.size(); ++i) {
    if (inside_corridor(x[i - 1]) && inside_corridor(x[i])) out.push_back(x[i] - x[i - 1]);
  }
}

// Aggregates the corridor's changes (or their absolute values) as the set asks.
double aggregate_changes(const std::vector<double>& changes, const CorridorParam& p,
                         std::vector<double>& scratch) {
  if (changes.empty()) return 0.0;
  const std::vector<double>* values = &changes;
  if (p.isabs) {
    scratch.resize(changes.size());
    for (std::size_t i = 0; i < changes.size(); ++i) scratch[i] = std::abs(changes[i]);
    values = &scratch;
  }
  return p.variance ? np_var(*values) : np_mean(*values);
}

// Every corridor from one sorted copy; consecutive sets of the same corridor (tsfresh's order)
// share its changes.
class ChangeQuantiles final : public Calculator {
 public:
  explicit ChangeQuantiles(std::vector<CorridorParam> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    const std::vector<double> sorted = sorted_copy(x);
    std::vector<double> changes;
    std::vector<double> scratch;
    const CorridorParam* corridor = nullptr;  // the corridor `changes` holds
    for (std::size_t i = 0; i < sets_.size(); ++i) {
      const CorridorParam& p = sets_[i];
      if (p.ql >= p.qh) {
        out[i] = 0.0;
        continue;
      }
      if (corridor == nullptr || corridor->ql != p.ql || corridor->qh != p.qh) {
        corridor_changes(x, sorted, p.ql, p.qh, changes);
        corridor = &p;
      }
      out[i] = aggregate_changes(changes, p, scratch);
    }
  }

 private:
  std::vector<CorridorParam> sets_;
};

struct MaximaParam {
  std::size_t number_of_maxima;
};

Result<MaximaParam> read_maxima(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t k, read_count(reader, set, "number_of_maxima", 1));
  return MaximaParam{k};
}

double mean_n_absolute_max(Series x, const MaximaParam& p) {
  if (x.size() <= p.number_of_maxima) return kNaN;
  std::vector<double> abs_x(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) abs_x[i] = std::abs(x[i]);
  std::sort(abs_x.begin(), abs_x.end());
  return np_mean(Series(abs_x).last(p.number_of_maxima));
}

struct SegmentParam {
  std::size_t num_segments;
  std::size_t segment_focus;
};

Result<SegmentParam> read_segment(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t segments, read_count(reader, set, "num_segments"));
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t focus, read_count(reader, set, "segment_focus"));
  if (segments == 0 || focus >= segments) {
    return Status::Invalid("calculator '" + reader.owner() +
                           "': needs num_segments > 0 and segment_focus < num_segments");
  }
  return SegmentParam{segments, focus};
}

// The energy of one of num_segments chunks (np.array_split's sizes) over the whole energy.
double energy_ratio_by_chunks(Series x, const SegmentParam& p) {
  std::vector<double> squares(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) squares[i] = x[i] * x[i];
  const double full = pairwise_sum(squares);
  if (full == 0) return kNaN;
  const std::size_t base = x.size() / p.num_segments;
  const std::size_t extra = x.size() % p.num_segments;
  const std::size_t begin = p.segment_focus * base + std::min(p.segment_focus, extra);
  const std::size_t size = base + (p.segment_focus < extra ? 1 : 0);
  return pairwise_sum(Series(squares).subspan(begin, size)) / full;
}

}  // namespace

BindResult bind_quantile(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<QParam> parsed, read_sets<QParam>(name, sets, &read_q));
  return std::unique_ptr<Calculator>(std::make_unique<Quantile>(std::move(parsed)));
}

BindResult bind_index_mass_quantile(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<QParam> parsed, read_sets<QParam>(name, sets, &read_q));
  return std::unique_ptr<Calculator>(std::make_unique<IndexMassQuantile>(std::move(parsed)));
}

BindResult bind_change_quantiles(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<CorridorParam> parsed,
                           read_sets<CorridorParam>(name, sets, &read_corridor));
  return std::unique_ptr<Calculator>(std::make_unique<ChangeQuantiles>(std::move(parsed)));
}

BindResult bind_mean_n_absolute_max(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<MaximaParam, &read_maxima, &mean_n_absolute_max>(name, sets);
}

BindResult bind_energy_ratio_by_chunks(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<SegmentParam, &read_segment, &energy_ratio_by_chunks>(name, sets);
}

}  // namespace parafeat::timeseries
