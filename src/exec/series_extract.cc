// Executor::extract_series: a series extractor over a column of series, morsel by morsel, rows
// delivered in input order. Each row is computed on its own, so the result is the same for any
// thread count and morsel size. A series of at least split_series_length values is computed on
// its own with the executor's ForkJoin for long series, so that a few long series still use every
// thread, and a cancellation is noticed within one of its tasks.
#include <string>
#include <utility>

#include "common/morsel_sizes.h"
#include "parafeat/executor.h"

namespace parafeat {
namespace {

// Runs `extractor` over rows [0, input.length()) of `input` into `out`: runs of short series in
// one call, each long one on its own with the executor's ForkJoin for long series.
Status extract_morsel(const Executor& executor, const Extractor& extractor,
                      const SeriesColumn& input, DenseRows& out) {
  const std::int64_t num_rows = input.length();
  std::int64_t run_begin = 0;
  for (std::int64_t row = 0; row < num_rows; ++row) {
    if (input.is_null(row) || !executor.is_long_series(input.size(row))) continue;
    PARAFEAT_RETURN_NOT_OK(extractor.extract_series(input, {run_begin, row}, out));
    PARAFEAT_RETURN_NOT_OK(
        extractor.extract_long_series(input, row, out, executor.series_fork_join(input.size(row))));
    run_begin = row + 1;
  }
  return extractor.extract_series(input, {run_begin, num_rows}, out);
}

}  // namespace

bool Executor::is_long_series(std::int64_t length) const {
  return options_.split_series_length > 0 && length >= options_.split_series_length;
}

const ForkJoin& Executor::series_fork_join(std::int64_t length) const {
  if (!is_long_series(length)) return serial_fork_join();
  return cancellable_fork_ != nullptr ? *cancellable_fork_ : threads_fork_join();
}

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
                Status extracted = extract_morsel(*this, extractor, input.slice(morsel.rows), rows);
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
