// The time-series family's extractor factories, registered in registry.cc.
#pragma once

#include <memory>

#include "parafeat/extractor.h"

namespace parafeat::timeseries {

/// timeseries_features: one series per row to its tsfresh features (timeseries_features.cc).
Result<std::unique_ptr<Extractor>> make_timeseries_features(const Params& params);

}  // namespace parafeat::timeseries
