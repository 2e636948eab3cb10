// How extractor families register: each family's registry.cc holds a table of these, and
// src/extractors/registry.cc joins the families' tables into the one registry.
#pragma once

#include <memory>
#include <span>

#include "parafeat/extractor.h"

namespace parafeat {

/// Makes a configured extractor from its parameters, validating them.
using ExtractorFactory = Result<std::unique_ptr<Extractor>> (*)(const Params& params);

/// One row of a registration table.
struct ExtractorRegistration {
  ExtractorInfo info;
  ExtractorFactory make;
};

namespace text {
/// The text family's registration table (src/extractors/text/registry.cc).
std::span<const ExtractorRegistration> registrations();
}  // namespace text

namespace timeseries {
/// The time-series family's registration table (src/extractors/timeseries/registry.cc).
std::span<const ExtractorRegistration> registrations();
}  // namespace timeseries

}  // namespace parafeat
