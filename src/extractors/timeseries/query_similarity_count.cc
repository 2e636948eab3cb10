// query_similarity_count: tsfresh's default settings give it no query, and without a query the
// feature is NaN. Counting matches of a given query (stumpy's MASS) is not implemented yet.
#include <limits>
#include <vector>

#include "extractors/timeseries/calculators.h"

namespace parafeat::timeseries {
namespace {

class NoQuery final : public Calculator {
 public:
  explicit NoQuery(std::size_t outputs) : outputs_(outputs) {}
  void compute(Series, std::span<double> out) const override {
    for (std::size_t i = 0; i < outputs_; ++i) out[i] = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  std::size_t outputs_;
};

}  // namespace

BindResult bind_query_similarity_count(std::string_view name, std::span<const Params> sets) {
  PARAFEAT_RETURN_NOT_OK(detail::params_expected(name, sets));
  for (const Params& set : sets) {
    for (const auto& [key, value] : set) {
      if (key == "query" && value.is_null()) continue;
      if (key == "threshold" || key == "normalize") continue;
      if (key == "query") {
        return Status::NotImplemented("calculator '" + std::string(name) +
                                      "' with a query is not implemented in parafeat yet "
                                      "(only query=None, whose feature is NaN)");
      }
      return Status::Invalid("calculator '" + std::string(name) + "': unknown parameter '" + key +
                             "'");
    }
  }
  return std::unique_ptr<Calculator>(std::make_unique<NoQuery>(sets.size()));
}

}  // namespace parafeat::timeseries
