// Specification of the executor: ordered, bounded, deterministic, cancellable, and exact about
// which error it reports. Every case runs under 1, 2 and 8 worker threads.
#include "parafeat/executor.h"

#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace parafeat {
namespace {

using std::chrono::microseconds;

/// A well-mixed 64-bit hash (splitmix64's finaliser); deterministic, so "random" delays and
/// features are the same in every run and on every thread.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t hash_string(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, then mixed.
  for (unsigned char c : s) {
    h = (h ^ c) * 0x100000001b3ULL;
  }
  return mix(h);
}

/// Sleeps for a pseudo-random 0-300 microseconds on about a quarter of the keys, so that work
/// items finish in an order that differs from the order they started in.
void jitter(std::uint64_t key) {
  const std::uint64_t h = mix(key);
  if (h % 4 == 0) {
    std::this_thread::sleep_for(microseconds(h % 300));
  }
}

/// Owns the bytes of a utf8 column of test strings and hands out a view of it.
class TestColumn {
 public:
  explicit TestColumn(std::int64_t num_rows) {
    offsets_.push_back(0);
    for (std::int64_t i = 0; i < num_rows; ++i) {
      data_ += "document " + std::to_string(i) + " " + std::to_string(mix(i) % 1000);
      offsets_.push_back(static_cast<std::int32_t>(data_.size()));
    }
  }
  StringColumn view() const {
    return StringColumn::with_offsets32(data_.data(), offsets_.data(), nullptr,
                                        static_cast<std::int64_t>(offsets_.size()) - 1);
  }

 private:
  std::string data_;
  std::vector<std::int32_t> offsets_;
};

/// N of a TestColumn document "document N ...".
std::int64_t document_number(std::string_view text) {
  text.remove_prefix(std::string_view("document ").size());
  return std::stoll(std::string(text.substr(0, text.find(' '))));
}

/// A stand-in extractor: each row gets up to three features at columns chosen by a hash of its
/// string. Rows listed in `failing_rows` fail with an error naming the row; `jitter_rows` adds
/// random delays so that morsels complete out of order.
class HashFeaturesExtractor final : public Extractor {
 public:
  static constexpr std::int64_t kNumColumns = 64;

  explicit HashFeaturesExtractor(std::set<std::int64_t> failing_rows = {}, bool jitter_rows = false)
      : failing_rows_(std::move(failing_rows)), jitter_rows_(jitter_rows) {}

  std::string_view name() const override { return "hash_features"; }
  const Params& params() const override { return params_; }
  OutputSpec output_spec() const override { return {kNumColumns, FeatureDType::kFloat64}; }

  // Rows are numbered within the morsel the executor hands over; the document's own number
  // ("document N ...") says which input row it is.
  Status extract(const StringColumn& input, RowRange rows, SparseRows& out) const override {
    for (std::int64_t i = rows.begin; i < rows.end; ++i) {
      if (failing_rows_.count(document_number(input.value(i))) != 0) {
        return Status::Invalid("cannot featurise this row").with_row(i);
      }
      if (jitter_rows_) {
        jitter(static_cast<std::uint64_t>(i));
      }
      const std::uint64_t h = hash_string(input.value(i));
      std::set<std::int32_t> columns;
      for (int k = 0; k < 3; ++k) {
        columns.insert(static_cast<std::int32_t>((h >> (8 * k)) % kNumColumns));
      }
      for (std::int32_t column : columns) {
        out.indices.push_back(column);
        out.values.push_back(static_cast<double>((h >> 32) % 1000) / 7.0 + column);
      }
      out.end_row();
    }
    return Status::OK();
  }

 private:
  Params params_;
  std::set<std::int64_t> failing_rows_;
  bool jitter_rows_;
};

/// The extractor's output over all of `input` in one call, with no executor: the oracle.
SparseRows extract_serially(const Extractor& extractor, const StringColumn& input) {
  SparseRows rows;
  rows.num_columns = extractor.output_spec().num_columns;
  EXPECT_TRUE(extractor.extract(input, {0, input.length()}, rows).ok());
  return rows;
}

/// Expects `actual` to equal `expected` byte for byte.
void expect_identical(const SparseRows& actual, const SparseRows& expected) {
  EXPECT_EQ(actual.num_columns, expected.num_columns);
  EXPECT_EQ(actual.indptr, expected.indptr);
  EXPECT_EQ(actual.indices, expected.indices);
  ASSERT_EQ(actual.values.size(), expected.values.size());
  EXPECT_EQ(std::memcmp(actual.values.data(), expected.values.data(),
                        actual.values.size() * sizeof(double)),
            0);
}

/// What a test's produce step hands to its consume step.
struct Produced {
  std::int64_t index = 0;
  RowRange rows;
};

/// The produce step's result for `morsel`: what it was asked to do, for the consumer to check.
Result<Produced> describe(const Morsel& morsel) {
  return Produced{morsel.index, morsel.rows};
}
/// A consume step that accepts every result.
Status accept(const Morsel&, Produced&&) {
  return Status::OK();
}

using Produce = std::function<Result<Produced>(const Morsel&)>;
using Consume = std::function<Status(const Morsel&, Produced&&)>;

/// Fixture parameterised by the executor's thread count.
class ExecutorTest : public ::testing::TestWithParam<int> {
 public:
  // oneTBB caps worker threads at the hardware concurrency process-wide; lift the cap so that an
  // 8-thread executor really runs 8 threads even on a small machine.
  static void SetUpTestSuite() {
    allow_threads = std::make_unique<tbb::global_control>(
        tbb::global_control::max_allowed_parallelism, kMaxThreads);
  }
  static void TearDownTestSuite() { allow_threads.reset(); }

  static constexpr int kMaxThreads = 8;

 protected:
  int threads() const { return GetParam(); }

  ExecutorOptions options(std::int64_t morsel_rows) const {
    ExecutorOptions result;
    result.num_threads = threads();
    result.morsel_rows = morsel_rows;
    return result;
  }

 private:
  static inline std::unique_ptr<tbb::global_control> allow_threads;
};

TEST_P(ExecutorTest, delivers_results_in_morsel_order_for_any_morsel_size) {
  constexpr std::int64_t kRows = 1000;
  for (std::int64_t morsel_rows : {1, 7, 1024}) {
    SCOPED_TRACE("morsel_rows=" + std::to_string(morsel_rows));
    Executor executor(options(morsel_rows));
    std::int64_t next_index = 0;
    std::int64_t next_begin = 0;
    Status status = executor.for_each_morsel<Produced>(
        kRows, Produce([](const Morsel& morsel) -> Result<Produced> {
          jitter(static_cast<std::uint64_t>(morsel.index));
          return describe(morsel);
        }),
        Consume([&](const Morsel& morsel, Produced&& produced) {
          // The consumer sees every morsel once, in index order, each paired with its own result,
          // and the row ranges tile the input with no gap or overlap.
          EXPECT_EQ(morsel.index, next_index);
          EXPECT_EQ(produced.index, morsel.index);
          EXPECT_EQ(morsel.rows.begin, next_begin);
          EXPECT_EQ(produced.rows.begin, morsel.rows.begin);
          EXPECT_EQ(produced.rows.end, morsel.rows.end);
          EXPECT_EQ(morsel.rows.size(), std::min(morsel_rows, kRows - morsel.rows.begin));
          ++next_index;
          next_begin = morsel.rows.end;
          return Status::OK();
        }));
    ASSERT_TRUE(status.ok()) << status.to_string();
    EXPECT_EQ(next_begin, kRows);
    EXPECT_EQ(next_index, (kRows + morsel_rows - 1) / morsel_rows);
  }
}

TEST_P(ExecutorTest, gives_many_short_documents_larger_morsels_when_their_source_knows_its_size) {
  // 20 000 documents of about 20 bytes: morsels of 4 rows would hold some 80 bytes each, so they
  // grow, to as few as leave eight morsels per thread (1 MiB each would leave fewer).
  constexpr std::int64_t kRows = 20'000;
  const TestColumn column(kRows);
  const ColumnSource source(column.view());
  std::int64_t bytes = 0;
  for (std::int64_t row = 0; row < kRows; ++row) {
    bytes += static_cast<std::int64_t>(column.view().value(row).size());
  }
  EXPECT_EQ(source.size_bytes(), bytes);
  std::int64_t morsels = 0;
  std::int64_t rows = 0;
  Status status =
      Executor(options(4))
          .for_each_document_morsel<std::int64_t>(
              source,
              [](const Morsel& morsel, const StringColumn& documents) -> Result<std::int64_t> {
                EXPECT_EQ(documents.length(), morsel.rows.size());
                return morsel.rows.size();
              },
              [&](const Morsel&, std::int64_t&& size) {
                ++morsels;
                rows += size;
                return Status::OK();
              });
  ASSERT_TRUE(status.ok()) << status.to_string();
  EXPECT_EQ(rows, kRows);
  EXPECT_EQ(morsels, 8 * threads());
}

TEST_P(ExecutorTest, extract_output_is_byte_identical_to_a_serial_run_for_any_morsel_size) {
  const TestColumn column(1500);
  const HashFeaturesExtractor extractor({}, /*jitter_rows=*/true);
  const SparseRows expected = extract_serially(extractor, column.view());
  ASSERT_EQ(expected.num_rows(), 1500);
  for (std::int64_t morsel_rows : {1, 7, 1024}) {
    SCOPED_TRACE("morsel_rows=" + std::to_string(morsel_rows));
    Result<SparseRows> actual = Executor(options(morsel_rows)).extract(extractor, column.view());
    ASSERT_TRUE(actual.ok()) << actual.status().to_string();
    expect_identical(*actual, expected);
  }
}

TEST_P(ExecutorTest, runs_produce_inside_an_arena_of_the_requested_thread_count) {
  Executor executor(options(10));
  EXPECT_EQ(executor.num_threads(), threads());
  std::atomic<int> wrong_concurrency{0};
  Status status = executor.for_each_morsel<Produced>(
      100, Produce([&](const Morsel& morsel) -> Result<Produced> {
        if (tbb::this_task_arena::max_concurrency() != threads()) {
          ++wrong_concurrency;
        }
        return describe(morsel);
      }),
      Consume(accept));
  ASSERT_TRUE(status.ok()) << status.to_string();
  EXPECT_EQ(wrong_concurrency.load(), 0);
}

/// Runs 200 one-row morsels with a consumer slower than the producers and returns the most
/// morsels that were ever produced (or being produced) but not yet consumed.
int peak_morsels_in_flight(const ExecutorOptions& opts) {
  std::atomic<int> live{0};
  std::atomic<int> peak{0};
  Status status = Executor(opts).for_each_morsel<Produced>(
      200, Produce([&](const Morsel& morsel) -> Result<Produced> {
        const int now = ++live;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        return describe(morsel);
      }),
      Consume([&](const Morsel&, Produced&&) {
        std::this_thread::sleep_for(microseconds(100));
        --live;
        return Status::OK();
      }));
  EXPECT_TRUE(status.ok()) << status.to_string();
  return peak.load();
}

TEST_P(ExecutorTest, never_holds_more_than_max_in_flight_morsels_with_a_slow_consumer) {
  for (int max_in_flight : {1, 3}) {
    SCOPED_TRACE("max_in_flight=" + std::to_string(max_in_flight));
    ExecutorOptions opts = options(1);
    opts.max_in_flight = max_in_flight;
    const int peak = peak_morsels_in_flight(opts);
    EXPECT_GE(peak, 1);
    EXPECT_LE(peak, max_in_flight);
  }
}

TEST_P(ExecutorTest, default_in_flight_bound_is_twice_the_thread_count) {
  EXPECT_LE(peak_morsels_in_flight(options(1)), 2 * threads());
}

TEST_P(ExecutorTest, reports_progress_in_order_after_each_morsel_ending_at_the_total) {
  constexpr std::int64_t kRows = 1000;
  ExecutorOptions opts = options(7);
  std::int64_t consumed_rows = 0;
  std::vector<std::int64_t> reported;
  opts.on_progress = [&](std::int64_t rows_done, std::int64_t rows_total) {
    EXPECT_EQ(rows_total, kRows);
    // Called right after the consumer took the morsel, so it counts exactly the rows consumed.
    EXPECT_EQ(rows_done, consumed_rows);
    reported.push_back(rows_done);
  };
  Status status = Executor(opts).for_each_morsel<Produced>(
      kRows, Produce([](const Morsel& morsel) -> Result<Produced> {
        jitter(static_cast<std::uint64_t>(morsel.index));
        return describe(morsel);
      }),
      Consume([&](const Morsel& morsel, Produced&&) {
        consumed_rows += morsel.rows.size();
        return Status::OK();
      }));
  ASSERT_TRUE(status.ok()) << status.to_string();
  ASSERT_EQ(reported.size(), static_cast<std::size_t>((kRows + 6) / 7));
  for (std::size_t i = 0; i < reported.size(); ++i) {
    EXPECT_EQ(reported[i], std::min<std::int64_t>(7 * static_cast<std::int64_t>(i + 1), kRows));
  }
  EXPECT_EQ(reported.back(), kRows);
}

TEST_P(ExecutorTest, cancelling_from_the_progress_callback_stops_before_the_next_morsel) {
  constexpr std::int64_t kRows = 1000;
  ExecutorOptions opts = options(10);
  opts.max_in_flight = 4;
  auto token = std::make_shared<CancellationToken>();
  opts.cancel = token;
  opts.on_progress = [&](std::int64_t rows_done, std::int64_t) {
    if (rows_done == 100) {
      token->cancel();
    }
  };
  std::atomic<int> produced{0};
  std::int64_t consumed_rows = 0;
  Status status = Executor(opts).for_each_morsel<Produced>(
      kRows, Produce([&](const Morsel& morsel) -> Result<Produced> {
        ++produced;
        // Slow enough that, with several threads, later morsels are already produced and waiting
        // when the token fires: they must be dropped, not delivered.
        std::this_thread::sleep_for(microseconds(200));
        return describe(morsel);
      }),
      Consume([&](const Morsel& morsel, Produced&&) {
        consumed_rows += morsel.rows.size();
        return Status::OK();
      }));
  EXPECT_EQ(status.code(), StatusCode::kCancelled);
  EXPECT_EQ(status.message(), "cancelled after 100 of 1000 rows");
  EXPECT_EQ(consumed_rows, 100);
  // Only morsels already in flight when the token fired may have been produced.
  EXPECT_LE(produced.load(), 10 + opts.max_in_flight);
}

TEST_P(ExecutorTest, cancelling_from_another_thread_stops_early) {
  constexpr std::int64_t kRows = 2000;
  ExecutorOptions opts = options(1);
  auto token = std::make_shared<CancellationToken>();
  opts.cancel = token;
  std::atomic<std::int64_t> consumed{0};
  std::atomic<int> produced{0};
  std::thread canceller([&] {
    while (consumed.load() < 5) {
      std::this_thread::sleep_for(microseconds(100));
    }
    token->cancel();
  });
  Status status = Executor(opts).for_each_morsel<Produced>(
      kRows, Produce([&](const Morsel& morsel) -> Result<Produced> {
        ++produced;
        std::this_thread::sleep_for(microseconds(200));
        return describe(morsel);
      }),
      Consume([&](const Morsel& morsel, Produced&&) {
        consumed += morsel.rows.size();
        return Status::OK();
      }));
  canceller.join();
  EXPECT_EQ(status.code(), StatusCode::kCancelled) << status.to_string();
  EXPECT_EQ(status.message(),
            "cancelled after " + std::to_string(consumed.load()) + " of 2000 rows");
  EXPECT_LT(produced.load(), kRows);
}

TEST_P(ExecutorTest, a_run_cancelled_before_it_starts_calls_nothing) {
  ExecutorOptions opts = options(10);
  auto token = std::make_shared<CancellationToken>();
  token->cancel();
  opts.cancel = token;
  int calls = 0;
  opts.on_progress = [&](std::int64_t, std::int64_t) { ++calls; };
  Status status = Executor(opts).for_each_morsel<Produced>(
      100, Produce([&](const Morsel& morsel) -> Result<Produced> {
        ++calls;
        return describe(morsel);
      }),
      Consume([&](const Morsel&, Produced&&) {
        ++calls;
        return Status::OK();
      }));
  EXPECT_EQ(status.code(), StatusCode::kCancelled);
  EXPECT_EQ(status.message(), "cancelled after 0 of 100 rows");
  EXPECT_EQ(calls, 0);
}

TEST_P(ExecutorTest, reports_the_earliest_failing_row_even_when_later_morsels_fail_first) {
  // Morsel 3 (rows 30-39) fails at row 37, but only after a delay; every later morsel fails at
  // once, so later failures are produced first whenever more than one thread runs. Repeated to
  // give the scheduler many chances to get it wrong.
  for (int repeat = 0; repeat < 5; ++repeat) {
    ExecutorOptions opts = options(10);
    opts.max_in_flight = 8;
    std::vector<std::int64_t> consumed;
    Status status = Executor(opts).for_each_morsel<Produced>(
        1000, Produce([](const Morsel& morsel) -> Result<Produced> {
          if (morsel.index == 3) {
            std::this_thread::sleep_for(microseconds(2000));
            return Status::Invalid("bad value").with_row(37);
          }
          if (morsel.index > 3) {
            return Status::Invalid("bad value").with_row(morsel.rows.begin);
          }
          return describe(morsel);
        }),
        Consume([&](const Morsel& morsel, Produced&&) {
          consumed.push_back(morsel.index);
          return Status::OK();
        }));
    EXPECT_EQ(status.code(), StatusCode::kInvalid);
    EXPECT_EQ(status.row(), 37);
    EXPECT_EQ(status.message(), "row 37: bad value");
    EXPECT_EQ(consumed, (std::vector<std::int64_t>{0, 1, 2}));
  }
}

TEST_P(ExecutorTest, for_each_task_runs_every_task_once_whatever_the_morsel_size) {
  std::vector<std::atomic<int>> calls(37);
  ExecutorOptions opts = options(1024);
  opts.on_progress = [](std::int64_t, std::int64_t) { FAIL() << "tasks are not rows"; };
  const Status status = Executor(opts).for_each_task(37, [&](std::int64_t task) {
    ++calls[static_cast<std::size_t>(task)];
    return Status::OK();
  });
  ASSERT_TRUE(status.ok()) << status.message();
  for (const std::atomic<int>& count : calls) EXPECT_EQ(count.load(), 1);
}

TEST_P(ExecutorTest,
       for_each_task_reports_the_earliest_failing_task_even_when_later_ones_fail_first) {
  for (int repeat = 0; repeat < 5; ++repeat) {
    ExecutorOptions opts = options(1);
    opts.max_in_flight = 8;
    const Status status = Executor(opts).for_each_task(100, [](std::int64_t task) {
      if (task == 3) {
        std::this_thread::sleep_for(microseconds(2000));
        return Status::Invalid("task 3 failed");
      }
      return task > 3 ? Status::Invalid("a later task failed") : Status::OK();
    });
    EXPECT_EQ(status.code(), StatusCode::kInvalid);
    EXPECT_EQ(status.message(), "task 3 failed");
  }
}

TEST_P(ExecutorTest, extract_reports_the_earliest_failing_row_named_by_the_extractor) {
  const TestColumn column(3000);
  const HashFeaturesExtractor extractor({1234, 1500, 2999}, /*jitter_rows=*/true);
  for (std::int64_t morsel_rows : {1, 7, 1024}) {
    SCOPED_TRACE("morsel_rows=" + std::to_string(morsel_rows));
    Result<SparseRows> result = Executor(options(morsel_rows)).extract(extractor, column.view());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), StatusCode::kInvalid);
    EXPECT_EQ(result.status().row(), 1234);
    EXPECT_EQ(result.status().message(), "row 1234: cannot featurise this row");
  }
}

TEST_P(ExecutorTest, a_failing_consume_stops_the_run_and_is_reported) {
  ExecutorOptions opts = options(10);
  opts.max_in_flight = 4;
  std::atomic<int> produced{0};
  std::vector<std::int64_t> consumed;
  Status status = Executor(opts).for_each_morsel<Produced>(
      10000, Produce([&](const Morsel& morsel) -> Result<Produced> {
        ++produced;
        return describe(morsel);
      }),
      Consume([&](const Morsel& morsel, Produced&&) -> Status {
        consumed.push_back(morsel.index);
        if (morsel.index == 4) {
          return Status::IOError("disk full");
        }
        return Status::OK();
      }));
  EXPECT_EQ(status, Status::IOError("disk full"));
  EXPECT_EQ(consumed, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
  EXPECT_LE(produced.load(), 5 + opts.max_in_flight);
}

TEST_P(ExecutorTest, an_exception_thrown_by_produce_becomes_an_internal_status) {
  std::vector<std::int64_t> consumed;
  Status status =
      Executor(options(10))
          .for_each_morsel<Produced>(
              100, Produce([](const Morsel& morsel) -> Result<Produced> {
                if (morsel.index >= 2) {
                  throw std::runtime_error("boom at morsel " + std::to_string(morsel.index));
                }
                return describe(morsel);
              }),
              Consume([&](const Morsel& morsel, Produced&&) {
                consumed.push_back(morsel.index);
                return Status::OK();
              }));
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  // The earliest throwing morsel is the one reported, as for any other failure.
  EXPECT_NE(status.message().find("boom at morsel 2"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("rows [20, 30)"), std::string::npos) << status.message();
  EXPECT_EQ(consumed, (std::vector<std::int64_t>{0, 1}));
}

TEST_P(ExecutorTest, exceptions_thrown_by_consume_or_progress_become_internal_statuses) {
  Status from_consume =
      Executor(options(10))
          .for_each_morsel<Produced>(100, Produce(describe),
                                     Consume([](const Morsel& morsel, Produced&&) -> Status {
                                       if (morsel.index == 1) {
                                         throw std::runtime_error("consumer broke");
                                       }
                                       return Status::OK();
                                     }));
  EXPECT_EQ(from_consume.code(), StatusCode::kInternal);
  EXPECT_NE(from_consume.message().find("consumer broke"), std::string::npos);

  ExecutorOptions opts = options(10);
  opts.on_progress = [](std::int64_t rows_done, std::int64_t) {
    if (rows_done == 30) {
      throw std::runtime_error("progress bar broke");
    }
  };
  int consumed = 0;
  Status from_progress = Executor(opts).for_each_morsel<Produced>(
      100, Produce(describe), Consume([&](const Morsel&, Produced&&) {
        ++consumed;
        return Status::OK();
      }));
  EXPECT_EQ(from_progress.code(), StatusCode::kInternal);
  EXPECT_NE(from_progress.message().find("progress bar broke"), std::string::npos);
  EXPECT_EQ(consumed, 3);
}

TEST_P(ExecutorTest, empty_input_succeeds_without_calling_anything) {
  ExecutorOptions opts = options(10);
  int calls = 0;
  opts.on_progress = [&](std::int64_t, std::int64_t) { ++calls; };
  Status status = Executor(opts).for_each_morsel<Produced>(
      0, Produce([&](const Morsel& morsel) -> Result<Produced> {
        ++calls;
        return describe(morsel);
      }),
      Consume([&](const Morsel&, Produced&&) {
        ++calls;
        return Status::OK();
      }));
  EXPECT_TRUE(status.ok()) << status.to_string();
  EXPECT_EQ(calls, 0);

  const TestColumn column(0);
  Result<SparseRows> rows = Executor(opts).extract(HashFeaturesExtractor(), column.view());
  ASSERT_TRUE(rows.ok()) << rows.status().to_string();
  EXPECT_EQ(rows->num_rows(), 0);
  EXPECT_EQ(rows->num_columns, HashFeaturesExtractor::kNumColumns);
  EXPECT_EQ(calls, 0);
}

/// An extractor that breaks its contract by writing one row too few per call.
class RowDroppingExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "row_dropping"; }
  const Params& params() const override { return params_; }
  OutputSpec output_spec() const override { return {4, FeatureDType::kFloat64}; }
  Status extract(const StringColumn&, RowRange rows, SparseRows& out) const override {
    for (std::int64_t i = rows.begin + 1; i < rows.end; ++i) {
      out.end_row();
    }
    return Status::OK();
  }

 private:
  Params params_;
};

TEST_P(ExecutorTest, extract_rejects_an_extractor_that_writes_the_wrong_number_of_rows) {
  const TestColumn column(50);
  Result<SparseRows> rows = Executor(options(10)).extract(RowDroppingExtractor(), column.view());
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), StatusCode::kInternal);
  EXPECT_EQ(rows.status().message(), "extractor 'row_dropping' wrote 9 rows for rows [0, 10)");
}

INSTANTIATE_TEST_SUITE_P(Threads, ExecutorTest, ::testing::Values(1, 2, ExecutorTest::kMaxThreads),
                         [](const ::testing::TestParamInfo<int>& param_info) {
                           return "threads_" + std::to_string(param_info.param);
                         });

// Option validation and defaults do not depend on the thread count.

Status run_trivially(const ExecutorOptions& options, std::int64_t num_rows = 10) {
  return Executor(options).for_each_morsel<Produced>(num_rows, Produce(describe), Consume(accept));
}

/// Documents "document N ..." made on demand, one morsel at a time; reading row `unreadable_row`
/// fails as a source of foreign strings would on one it cannot encode.
class GeneratedDocuments final : public DocumentSource {
 public:
  GeneratedDocuments(std::int64_t num_rows, std::int64_t unreadable_row)
      : column_(num_rows), num_rows_(num_rows), unreadable_row_(unreadable_row) {}

  std::int64_t num_rows() const override { return num_rows_; }
  Result<StringColumn> read(RowRange rows, MorselBuffer& buffer) const override {
    if (rows.begin <= unreadable_row_ && unreadable_row_ < rows.end) {
      return Status::Invalid("cannot encode").with_row(unreadable_row_);
    }
    const StringColumn all = column_.view();
    buffer.offsets.assign(1, 0);
    buffer.data.clear();
    for (std::int64_t i = rows.begin; i < rows.end; ++i) {
      buffer.data.append(all.value(i));
      buffer.offsets.push_back(static_cast<std::int64_t>(buffer.data.size()));
    }
    return StringColumn::with_offsets64(buffer.data.data(), buffer.offsets.data(), nullptr,
                                        rows.size());
  }

 private:
  TestColumn column_;
  std::int64_t num_rows_;
  std::int64_t unreadable_row_;
};

TEST_P(ExecutorTest, extract_from_a_document_source_equals_extract_from_the_column) {
  constexpr std::int64_t kRows = 3000;
  const HashFeaturesExtractor extractor({}, /*jitter_rows=*/true);
  const TestColumn column(kRows);
  Result<SparseRows> expected = Executor(options(64)).extract(extractor, column.view());
  Result<SparseRows> actual =
      Executor(options(64)).extract(extractor, GeneratedDocuments(kRows, /*unreadable_row=*/-1));
  ASSERT_TRUE(expected.ok() && actual.ok());
  EXPECT_EQ(actual->indptr, expected->indptr);
  EXPECT_EQ(actual->indices, expected->indices);
  EXPECT_EQ(actual->values, expected->values);
}

TEST_P(ExecutorTest, extract_reports_rows_of_a_document_source_counted_from_its_start) {
  // A read failure keeps the source's row; an extractor failure inside morsel 2 (rows 128-191)
  // is renumbered from the morsel's row 0 to the source's row.
  Result<SparseRows> unreadable =
      Executor(options(64)).extract(HashFeaturesExtractor(), GeneratedDocuments(1000, 700));
  ASSERT_FALSE(unreadable.ok());
  EXPECT_EQ(unreadable.status().row(), 700);
  Result<SparseRows> failing =
      Executor(options(64))
          .extract(HashFeaturesExtractor({150, 900}), GeneratedDocuments(1000, -1));
  ASSERT_FALSE(failing.ok());
  EXPECT_EQ(failing.status().row(), 150);
  EXPECT_EQ(failing.status().message(), "row 150: cannot featurise this row");
}

TEST(ExecutorOptionsTest, invalid_options_are_rejected_with_a_message_naming_the_option) {
  struct Case {
    ExecutorOptions options;
    std::string option_name;
  };
  std::vector<Case> cases(5);
  cases[0].options.morsel_rows = 0;
  cases[0].option_name = "morsel_rows";
  cases[1].options.morsel_rows = -5;
  cases[1].option_name = "morsel_rows";
  cases[2].options.num_threads = -1;
  cases[2].option_name = "num_threads";
  cases[3].options.max_in_flight = -2;
  cases[3].option_name = "max_in_flight";
  cases[4].options.morsel_rows = 0;  // rejected even when there is nothing to run
  cases[4].option_name = "morsel_rows";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i));
    Status status = run_trivially(cases[i].options, i == 4 ? 0 : 10);
    EXPECT_EQ(status.code(), StatusCode::kInvalid);
    EXPECT_NE(status.message().find(cases[i].option_name), std::string::npos) << status.message();
  }
}

TEST(ExecutorOptionsTest, a_negative_row_count_is_rejected) {
  Status status = run_trivially({}, -1);
  EXPECT_EQ(status.code(), StatusCode::kInvalid);
  EXPECT_NE(status.message().find("num_rows"), std::string::npos) << status.message();
}

TEST(ExecutorOptionsTest, zero_threads_means_the_default_concurrency) {
  EXPECT_EQ(Executor().num_threads(), tbb::info::default_concurrency());
  ExecutorOptions three;
  three.num_threads = 3;
  EXPECT_EQ(Executor(three).num_threads(), 3);
}

TEST(ExecutorOptionsTest, a_morsel_larger_than_the_input_makes_one_morsel) {
  ExecutorOptions opts;
  opts.morsel_rows = std::numeric_limits<std::int64_t>::max();
  std::vector<RowRange> seen;
  Status status = Executor(opts).for_each_morsel<Produced>(
      5, Produce(describe), Consume([&](const Morsel& morsel, Produced&&) {
        seen.push_back(morsel.rows);
        return Status::OK();
      }));
  ASSERT_TRUE(status.ok()) << status.to_string();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].begin, 0);
  EXPECT_EQ(seen[0].end, 5);
}

}  // namespace
}  // namespace parafeat
