// Executor::extract_series: a series extractor over a column of series, morsel by morsel, rows
// delivered in input order. Each row is computed on its own, so the result is the same for any
// thread count and morsel size.
#include <string>
#include <utility>

#include "common/series_morsels.h"
#include "parafeat/executor.h"

namespace parafeat {

Result<DenseRows> Executor::extract_series(const Extractor& extractor,
                                           const SeriesColumn& input) const {
  const std::int64_t num_rows = input.length();
  const std::int64_t num_columns = extractor.output_spec().num_columns;
  std::int64_t num_values = 0;
  for (std::int64_t row = 0; row < num_rows; ++row) {
    if (!input.is_null(row)) num_values += input.size(row);
  }
  ExecutorOptions options = options_;
  options.morsel_rows =
      series_per_morsel(num_values, num_rows, num_threads(), options_.morsel_rows);
  DenseRows result;
  result.num_columns = num_columns;
  result.values.reserve(static_cast<std::size_t>(num_rows * num_columns));
  Status status =
      Executor(std::move(options))
          .for_each_morsel<DenseRows>(
              num_rows,
              [&](const Morsel& morsel) -> Result<DenseRows> {
                DenseRows rows;
                rows.num_columns = num_columns;
                Status extracted = extractor.extract_series(input.slice(morsel.rows),
                                                            {0, morsel.rows.size()}, rows);
                if (!extracted.ok()) return extracted.with_row_offset(morsel.rows.begin);
                if (rows.num_rows != morsel.rows.size() ||
                    static_cast<std::int64_t>(rows.values.size()) != rows.num_rows * num_columns) {
                  return Status::Internal("extractor '" + std::string(extractor.name()) +
                                          "' wrote a wrong number of rows or values");
                }
                return rows;
              },
              [&](const Morsel& /*morsel*/, DenseRows&& rows) {
                result.values.insert(result.values.end(), rows.values.begin(), rows.values.end());
                result.num_rows += rows.num_rows;
                return Status::OK();
              });
  PARAFEAT_RETURN_NOT_OK(status);
  return result;
}

}  // namespace parafeat
