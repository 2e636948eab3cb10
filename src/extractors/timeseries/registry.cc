// The time-series family's registration table: one line per extractor.
#include <array>

#include "extractors/registration.h"
#include "extractors/timeseries/timeseries_extractors.h"

namespace parafeat::timeseries {
namespace {

constexpr std::array<ExtractorRegistration, 1> kTimeSeriesExtractors{{
    {{"timeseries_features",
      "One numeric series per row to its tsfresh features (dense, tsfresh's names and order), "
      "identical to parafeat.timeseries.extract_features"},
     &make_timeseries_features},
}};

}  // namespace

std::span<const ExtractorRegistration> registrations() {
  return kTimeSeriesExtractors;
}

}  // namespace parafeat::timeseries
