// The Extractor interface's defaults.
#include "parafeat/extractor.h"

#include <string>

namespace parafeat {

Status Extractor::extract_series(const SeriesColumn& /*input*/, RowRange /*rows*/,
                                 DenseRows& /*out*/) const {
  return Status::TypeError("extractor '" + std::string(name()) +
                           "' reads strings, not series (lists of numbers)");
}

}  // namespace parafeat
