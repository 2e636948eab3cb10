// The Extractor interface's defaults.
#include "parafeat/extractor.h"

#include <string>

namespace parafeat {

Status Extractor::extract_series(const SeriesColumn& /*input*/, RowRange /*rows*/,
                                 DenseRows& /*out*/) const {
  return Status::TypeError("extractor '" + std::string(name()) +
                           "' reads strings, not series (lists of numbers)");
}

Status Extractor::extract_long_series(const SeriesColumn& input, std::int64_t row, DenseRows& out,
                                      const ForkJoin& /*fork*/) const {
  return extract_series(input, RowRange{row, row + 1}, out);
}

}  // namespace parafeat
