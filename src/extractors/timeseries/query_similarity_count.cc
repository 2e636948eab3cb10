// query_similarity_count: tsfresh's count of the windows of a series (its subsequences as long as
// the query) whose distance to the query is at most `threshold`. tsfresh takes the distances
// from stumpy.core.mass (normalize=True: z-normalized Euclidean) or stumpy.core.mass_absolute
// (normalize=False: plain Euclidean); this follows their rules:
//   - no query, or one of fewer than 3 values: NaN (tsfresh's default settings give no query);
//   - a query with a non-finite value puts every window at +inf, a window with one is at +inf;
//   - z-normalized, a constant query and a constant window are at 0, a constant one and a
//     varying one at sqrt(m); otherwise the distance is sqrt(|2m(1 - min(rho, 1))|), rho the
//     correlation of query and window with its denominator m*sd(q)*sd(t) raised to at least
//     1e-14 (stumpy's STUMPY_DENOM_THRESHOLD).
// Where tsfresh fails (stumpy raises ValueError for a series shorter than the query), the
// feature is NaN.
//
// stumpy finds the correlations from uncentred dot products taken by FFT; here each window's
// are summed over centred values, which loses less to cancellation. Both are exact up to
// rounding, so they count the same windows except those whose distance is within rounding of
// the threshold: in either, an exact copy of the query is at 0 or at rounding noise (up to about
// 1e-7, the square root of the correlation's rounding error).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <vector>

#include "extractors/timeseries/calculators.h"

namespace parafeat::timeseries {
namespace {

constexpr std::size_t kMinQueryLength = 3;              // stumpy's smallest window
constexpr double kLeastCorrelationDenominator = 1e-14;  // STUMPY_DENOM_THRESHOLD
constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct QueryParam {
  std::optional<std::vector<double>> query;
  double threshold = 0.0;
  bool normalize = true;
};

Result<QueryParam> read_query(ParamReader& reader, const Params& /*set*/) {
  QueryParam p;
  PARAFEAT_ASSIGN_OR_RAISE(p.query, reader.optional_number_list("query"));
  PARAFEAT_ASSIGN_OR_RAISE(p.threshold, reader.number("threshold", 0.0));
  PARAFEAT_ASSIGN_OR_RAISE(p.normalize, reader.boolean("normalize", true));
  return p;
}

// What one pass over a window (or the query) tells the distance.
struct Summary {
  double mean = 0.0;
  bool finite = true;
  bool constant = true;  // every value equal (numpy's ptp == 0)
};

Summary summary_of(Series values) {
  Summary s;
  double sum = 0.0;
  for (const double v : values) {
    s.finite = s.finite && std::isfinite(v);
    s.constant = s.constant && v == values[0];
    sum += v;
  }
  s.mean = sum / static_cast<double>(values.size());
  return s;
}

// The sum of (v - mean)^2 over `values`.
double centred_squares(Series values, double mean) {
  double squares = 0.0;
  for (const double v : values) squares += (v - mean) * (v - mean);
  return squares;
}

// stumpy's z-normalized distance of `window` to `query` (both finite; `query_squares` is
// centred_squares() of the query), the window's centred sums taken in the same pass as the
// covariance.
double normalized_distance(Series query, const Summary& q, double query_squares, Series window,
                           const Summary& t) {
  const auto m = static_cast<double>(query.size());
  if (q.constant || t.constant) return q.constant && t.constant ? 0.0 : std::sqrt(m);
  double covariance = 0.0;  // times m
  double window_squares = 0.0;
  for (std::size_t j = 0; j < query.size(); ++j) {
    const double centred = window[j] - t.mean;
    covariance += (query[j] - q.mean) * centred;
    window_squares += centred * centred;
  }
  const double denominator =
      std::max(std::sqrt(query_squares * window_squares), kLeastCorrelationDenominator);
  const double rho = std::min(covariance / denominator, 1.0);
  return std::sqrt(std::abs(2.0 * m * (1.0 - rho)));
}

// The plain Euclidean distance of `window` to `query`.
double absolute_distance(Series query, Series window) {
  double squares = 0.0;
  for (std::size_t j = 0; j < query.size(); ++j) {
    squares += (query[j] - window[j]) * (query[j] - window[j]);
  }
  return std::sqrt(squares);
}

double query_similarity_count(Series x, const QueryParam& p) {
  if (!p.query || p.query->size() < kMinQueryLength || x.size() < p.query->size()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const Series query(*p.query);
  const Summary q = summary_of(query);
  // Only the z-normalized distance uses the query's centred squares.
  const double query_squares = q.finite && p.normalize ? centred_squares(query, q.mean) : 0.0;
  std::size_t count = 0;
  for (std::size_t start = 0; start + query.size() <= x.size(); ++start) {
    const Series window = x.subspan(start, query.size());
    const Summary t = summary_of(window);
    double distance = kInfinity;
    if (q.finite && t.finite) {
      distance = p.normalize ? normalized_distance(query, q, query_squares, window, t)
                             : absolute_distance(query, window);
    }
    count += distance <= p.threshold ? 1 : 0;
  }
  return static_cast<double>(count);
}

}  // namespace

BindResult bind_query_similarity_count(std::string_view name, std::span<const Params> sets) {
  return bind_per_set<QueryParam, &read_query, &query_similarity_count>(name, sets);
}

}  // namespace parafeat::timeseries
