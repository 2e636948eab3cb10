// Helpers shared by the C++ suites: owned test strings and executors.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parafeat/column.h"
#include "parafeat/executor.h"
#include "parafeat/timeseries.h"

namespace parafeat::testing {

/// An executor with `threads` threads and morsels of `morsel_rows` rows.
inline Executor make_executor(int threads, std::int64_t morsel_rows = 1024) {
  ExecutorOptions options;
  options.num_threads = threads;
  options.morsel_rows = morsel_rows;
  return Executor(std::move(options));
}

/// Owns a list of strings in the Arrow large_utf8 layout and hands out a view of them.

class OwnedStrings {
 public:
  /// nullopt values become null rows.
  OwnedStrings(std::initializer_list<std::optional<std::string>> values) {
    for (const auto& value : values) append(value);
  }
  explicit OwnedStrings(const std::vector<std::string>& values) {
    for (const auto& value : values) append(value);
  }

  StringColumn view() const {
    return StringColumn::with_offsets64(data_.data(), offsets_.data(),
                                        has_nulls_ ? validity_.data() : nullptr,
                                        static_cast<std::int64_t>(offsets_.size()) - 1);
  }

 private:
  void append(const std::optional<std::string>& value) {
    const std::size_t row = offsets_.size() - 1;
    if (row % 8 == 0) validity_.push_back(0);
    if (value) {
      data_ += *value;
      validity_.back() |= static_cast<std::uint8_t>(1u << (row % 8));
    } else {
      has_nulls_ = true;
    }
    offsets_.push_back(static_cast<std::int64_t>(data_.size()));
  }

  std::string data_;
  std::vector<std::int64_t> offsets_{0};
  std::vector<std::uint8_t> validity_;
  bool has_nulls_ = false;
};

/// Series in the Arrow large_list layout (row i: values[offsets[i], offsets[i + 1])).
struct OwnedSeries {
  std::vector<std::int64_t> offsets{0};
  std::vector<double> values;
  std::vector<std::uint8_t> validity;  // one byte per 8 rows; empty: no nulls

  void add(const std::vector<double>& series) {
    values.insert(values.end(), series.begin(), series.end());
    offsets.push_back(static_cast<std::int64_t>(values.size()));
  }
  SeriesColumn view() const {
    return SeriesColumn::with_offsets64(offsets.data(), {.data = values.data()},
                                        validity.empty() ? nullptr : validity.data(),
                                        static_cast<std::int64_t>(offsets.size()) - 1);
  }
};

/// Series in long format, one kind: series i has id code i (labelled "i"), rows in order.
struct OwnedLongSeries {
  std::vector<std::int64_t> ids;
  std::vector<std::int32_t> kinds;
  std::vector<double> values;
  timeseries::LongSeries view;

  OwnedLongSeries(const std::vector<std::vector<double>>& series, std::string kind) {
    for (std::size_t s = 0; s < series.size(); ++s) {
      for (double v : series[s]) {
        ids.push_back(static_cast<std::int64_t>(s));
        kinds.push_back(0);
        values.push_back(v);
      }
      view.id_labels.push_back(std::to_string(s));
    }
    view.id = ids;
    view.kind = kinds;
    view.value = values;
    view.kind_labels = {std::move(kind)};
  }
};

}  // namespace parafeat::testing
