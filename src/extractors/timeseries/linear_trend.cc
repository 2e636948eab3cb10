// Linear least-squares trends: of the series over its index, and of chunk aggregates over the
// chunk index.
#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "extractors/timeseries/calculators.h"
#include "extractors/timeseries/least_squares.h"
#include "extractors/timeseries/numpy_reductions.h"

namespace parafeat::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum class Attr { kPvalue, kRvalue, kIntercept, kSlope, kStderr };

Result<Attr> read_attr(ParamReader& reader, const Params& set, bool with_pvalue) {
  PARAFEAT_RETURN_NOT_OK(require_keys(reader.owner(), set, {"attr"}));
  std::string attr;
  if (with_pvalue) {
    PARAFEAT_ASSIGN_OR_RAISE(
        attr, reader.choice("attr", "slope", {"pvalue", "rvalue", "intercept", "slope", "stderr"}));
  } else {
    PARAFEAT_ASSIGN_OR_RAISE(
        attr, reader.choice("attr", "slope", {"rvalue", "intercept", "slope", "stderr"}));
  }
  return attr == "pvalue"      ? Attr::kPvalue
         : attr == "rvalue"    ? Attr::kRvalue
         : attr == "intercept" ? Attr::kIntercept
         : attr == "slope"     ? Attr::kSlope
                               : Attr::kStderr;
}

double pick(const LinearFit& fit, Attr attr) {
  switch (attr) {
    case Attr::kPvalue: return fit.pvalue;
    case Attr::kRvalue: return fit.rvalue;
    case Attr::kIntercept: return fit.intercept;
    case Attr::kSlope: return fit.slope;
    case Attr::kStderr: return fit.standard_error;
  }
  return kNaN;
}

struct TrendParam {
  Attr attr;
};

Result<TrendParam> read_trend(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const Attr attr, read_attr(reader, set, true));
  return TrendParam{attr};
}

class LinearTrend final : public Calculator {
 public:
  explicit LinearTrend(std::vector<TrendParam> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    const LinearFit fit = linregress_on_index(x);
    for (std::size_t s = 0; s < sets_.size(); ++s) out[s] = pick(fit, sets_[s].attr);
  }

 private:
  std::vector<TrendParam> sets_;
};

enum class ChunkAgg { kMax, kMin, kMean, kVar };

struct AggTrendParam {
  Attr attr;
  std::size_t chunk_len;
  ChunkAgg agg;
};

Result<AggTrendParam> read_agg_trend(ParamReader& reader, const Params& set) {
  PARAFEAT_ASSIGN_OR_RAISE(const Attr attr, read_attr(reader, set, false));
  PARAFEAT_ASSIGN_OR_RAISE(const std::size_t chunk_len, read_count(reader, set, "chunk_len", 1));
  PARAFEAT_RETURN_NOT_OK(require_keys(reader.owner(), set, {"f_agg"}));
  PARAFEAT_ASSIGN_OR_RAISE(const std::string agg,
                           reader.choice("f_agg", "mean", {"max", "min", "mean", "var"}));
  const ChunkAgg kind = agg == "max"    ? ChunkAgg::kMax
                        : agg == "min"  ? ChunkAgg::kMin
                        : agg == "mean" ? ChunkAgg::kMean
                                        : ChunkAgg::kVar;
  return AggTrendParam{attr, chunk_len, kind};
}

double aggregate(Series chunk, ChunkAgg agg) {
  switch (agg) {
    case ChunkAgg::kMax: return *std::max_element(chunk.begin(), chunk.end());
    case ChunkAgg::kMin: return *std::min_element(chunk.begin(), chunk.end());
    case ChunkAgg::kMean: return np_mean(chunk);
    case ChunkAgg::kVar: return np_var(chunk);
  }
  return kNaN;
}

// One fit per (aggregation, chunk length), shared by the attributes asking for it.
class AggLinearTrend final : public Calculator {
 public:
  explicit AggLinearTrend(std::vector<AggTrendParam> sets) : sets_(std::move(sets)) {}
  void compute(Series x, std::span<double> out) const override {
    std::map<std::pair<ChunkAgg, std::size_t>, LinearFit> fits;
    for (std::size_t s = 0; s < sets_.size(); ++s) {
      const AggTrendParam& p = sets_[s];
      if (p.chunk_len >= x.size()) {
        out[s] = kNaN;
        continue;
      }
      auto it = fits.find({p.agg, p.chunk_len});
      if (it == fits.end()) {
        std::vector<double> aggregates;
        for (std::size_t begin = 0; begin < x.size(); begin += p.chunk_len) {
          aggregates.push_back(
              aggregate(x.subspan(begin, std::min(p.chunk_len, x.size() - begin)), p.agg));
        }
        it =
            fits.emplace(std::make_pair(p.agg, p.chunk_len), linregress_on_index(aggregates)).first;
      }
      out[s] = pick(it->second, p.attr);
    }
  }

 private:
  std::vector<AggTrendParam> sets_;
};

}  // namespace

BindResult bind_linear_trend(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<TrendParam> parsed,
                           read_sets<TrendParam>(name, sets, &read_trend));
  return std::unique_ptr<Calculator>(std::make_unique<LinearTrend>(std::move(parsed)));
}

BindResult bind_agg_linear_trend(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_ASSIGN_OR_RAISE(std::vector<AggTrendParam> parsed,
                           read_sets<AggTrendParam>(name, sets, &read_agg_trend));
  return std::unique_ptr<Calculator>(std::make_unique<AggLinearTrend>(std::move(parsed)));
}

}  // namespace parafeat::timeseries
