// The executor: a three-stage oneTBB pipeline over morsels.
//
//   emit (serial, in order)  ->  produce (parallel)  ->  consume (serial, in order)
//
// The number of live tokens caps how many morsels exist at once, so memory stays bounded. The
// last stage sees morsels in index order whatever order they were produced in, which is what
// makes both the output and the reported error independent of thread timing: a failure is carried
// to the last stage as a value, and the first failure that stage meets is the earliest in row
// order. Once it has met one (or the run is cancelled) the emit stage stops and the morsels still
// in flight are dropped.
#include "parafeat/executor.h"

#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/morsel_sizes.h"
#include "exec/cancellable_fork_join.h"
#include "exec/document_split.h"
#include "exec/idle_thread_fork_join.h"

namespace parafeat {
namespace {

/// "rows [begin, end)", for messages about a morsel.
std::string describe_rows(const RowRange& rows) {
  return "rows [" + std::to_string(rows.begin) + ", " + std::to_string(rows.end) + ")";
}

/// Validates the options a run depends on; the message names the offending option.
Status validate(const ExecutorOptions& options) {
  if (options.num_threads < 0) {
    return Status::Invalid("ExecutorOptions.num_threads must be >= 0, got " +
                           std::to_string(options.num_threads));
  }
  if (options.morsel_rows <= 0) {
    return Status::Invalid("ExecutorOptions.morsel_rows must be > 0, got " +
                           std::to_string(options.morsel_rows));
  }
  if (options.split_bytes < 0 || options.split_piece_bytes <= 0) {
    return Status::Invalid(
        "ExecutorOptions.split_bytes must be >= 0 and split_piece_bytes > 0, got " +
        std::to_string(options.split_bytes) + " and " + std::to_string(options.split_piece_bytes));
  }
  if (options.max_in_flight < 0) {
    return Status::Invalid("ExecutorOptions.max_in_flight must be >= 0, got " +
                           std::to_string(options.max_in_flight));
  }
  return Status::OK();
}

/// Turns the exception being handled into an Internal status saying that `what` threw it. Only
/// call from inside a catch block.
Status status_from_current_exception(const std::string& what) {
  try {
    throw;
  } catch (const std::exception& e) {
    return Status::Internal("exception thrown by " + what + ": " + e.what());
  } catch (...) {
    return Status::Internal("unknown exception thrown by " + what);
  }
}

/// Runs `fn` (returning Status), turning anything it throws into an Internal status naming `what`.
template <typename Fn>
Status call_guarded(const char* what, Fn&& fn) {
  try {
    return fn();
  } catch (...) {
    return status_from_current_exception(what);
  }
}

// Reserves room in `result` for `total_rows` rows shaped like `sample` (the first morsel's rows),
// with a margin, so appending every morsel rarely moves the buffers. Reserved pages that are never
// written are never touched, so over-estimating costs address space, not memory. (Transparent huge
// pages were tried: on a VM that returns freed memory to its host, a fresh huge page is slow to
// get, and a 200 MB HashingVectorizer call after an idle moment spent up to 0.7 s more in the
// kernel with them.)
void reserve_like(const SparseRows& sample, std::int64_t total_rows, SparseRows& result) {
  const double values_per_row = static_cast<double>(sample.num_values()) /
                                static_cast<double>(std::max<std::int64_t>(sample.num_rows(), 1));
  const auto values =
      static_cast<std::size_t>(values_per_row * 1.25 * static_cast<double>(total_rows)) + 1024;
  result.indices.reserve(values);
  result.values.reserve(values);
  result.indptr.reserve(static_cast<std::size_t>(total_rows) + 1);
}

// Runs `extractor` over rows [0, num_rows) of `documents` into `out`. With `splitting`, each
// document of at least options.split_bytes is split across the arena's threads; the rows between
// such documents go to the extractor in runs, as they would without splitting.
Status extract_rows(const Extractor& extractor, const DocumentSplitting* splitting,
                    const ExecutorOptions& options, int threads, const StringColumn& documents,
                    std::int64_t num_rows, SparseRows& out) {
  if (splitting == nullptr) return extractor.extract(documents, RowRange{0, num_rows}, out);
  std::int64_t run_begin = 0;
  for (std::int64_t row = 0; row < num_rows; ++row) {
    if (documents.is_null(row)) continue;
    const std::string_view document = documents.value(row);
    if (static_cast<std::int64_t>(document.size()) < options.split_bytes) continue;
    PARAFEAT_RETURN_NOT_OK(extractor.extract(documents, RowRange{run_begin, row}, out));
    // A few pieces per thread balance the load; more would only add merging.
    const std::int64_t piece_bytes =
        std::max(options.split_piece_bytes, static_cast<std::int64_t>(document.size()) /
                                                (std::int64_t{4} * std::max(threads, 1)));
    PARAFEAT_ASSIGN_OR_RAISE(bool split,
                             exec::extract_split_row(*splitting, document, documents.text_form(),
                                                     piece_bytes, threads, out));
    if (!split) PARAFEAT_RETURN_NOT_OK(extractor.extract(documents, RowRange{row, row + 1}, out));
    run_begin = row + 1;
  }
  return extractor.extract(documents, RowRange{run_begin, num_rows}, out);
}

// Whether the calling thread is inside a run's arena (set while it runs one).
thread_local bool inside_run = false;

// Sets inside_run for its lifetime.
class InsideRun {
 public:
  InsideRun() : outer_(std::exchange(inside_run, true)) {}
  ~InsideRun() { inside_run = outer_; }
  InsideRun(const InsideRun&) = delete;
  InsideRun& operator=(const InsideRun&) = delete;

 private:
  bool outer_;
};

// The arena a run of `threads` threads on the calling thread uses. A thread that calls the
// executor from outside any run (a server's request thread, Python's) keeps one per thread
// count, so the runs it makes one after another share it: a worker that joined one run is still
// in the arena for the next, where in a fresh arena it takes about 0.1 ms to join (oneTBB 2021.8
// on 2 CPUs), most of the gain of a request of several short parallel phases. A nested run, or
// one made on a worker thread (slot 1 and up), gets `fresh`, made here.
tbb::task_arena& kept_arena(int threads, std::optional<tbb::task_arena>& fresh) {
  if (inside_run || tbb::this_task_arena::current_thread_index() > 0) {
    return fresh.emplace(threads);
  }
  thread_local std::vector<std::pair<int, std::unique_ptr<tbb::task_arena>>> kept;
  for (auto& [count, arena] : kept) {
    if (count == threads) return *arena;
  }
  return *kept.emplace_back(threads, std::make_unique<tbb::task_arena>(threads)).second;
}

}  // namespace

const ForkJoin& Executor::threads_fork_join() const {
  return num_threads() > 1 ? exec::idle_thread_fork_join() : serial_fork_join();
}

Executor::Executor(ExecutorOptions options) : options_(std::move(options)) {
  if (options_.cancel != nullptr) {
    cancellable_fork_ =
        std::make_shared<exec::CancellableForkJoin>(threads_fork_join(), options_.cancel);
  }
}

Status Executor::for_each_task(std::int64_t num_tasks,
                               const std::function<Status(std::int64_t)>& task) const {
  ExecutorOptions options = options_;
  options.morsel_rows = 1;  // a morsel is a task
  options.on_progress = nullptr;
  return Executor(std::move(options))
      .for_each_morsel<bool>(
          num_tasks,
          [&task](const Morsel& morsel) -> Result<bool> {
            PARAFEAT_RETURN_NOT_OK(task(morsel.rows.begin));
            return true;
          },
          [](const Morsel&, bool&&) { return Status::OK(); });
}

int Executor::num_threads() const {
  return options_.num_threads > 0 ? options_.num_threads : tbb::info::default_concurrency();
}

Status Executor::run_morsels(std::int64_t num_rows, const ErasedProduce& produce,
                             const ErasedConsume& consume) const {
  PARAFEAT_RETURN_NOT_OK(validate(options_));
  if (num_rows < 0) {
    return Status::Invalid("num_rows must be >= 0, got " + std::to_string(num_rows));
  }
  if (num_rows == 0) {
    return Status::OK();
  }

  const int threads = num_threads();
  const int max_in_flight = options_.max_in_flight > 0 ? options_.max_in_flight : 2 * threads;
  const std::int64_t morsel_rows = options_.morsel_rows;
  const CancellationToken* cancel = options_.cancel.get();
  const auto is_cancelled = [cancel] { return cancel != nullptr && cancel->cancelled(); };

  // What travels from the produce stage to the consume stage. `skipped` marks a morsel produced
  // after the run had already stopped: it carries nothing and is dropped.
  struct Token {
    Morsel morsel;
    bool skipped = false;
    std::optional<Result<std::unique_ptr<Payload>>> produced;
  };

  // Written only by the emit stage.
  std::int64_t next_index = 0;
  std::int64_t next_begin = 0;
  // Written only by the consume stage (stages run one at a time, so no lock is needed; the
  // pipeline's completion publishes them to this thread).
  std::int64_t rows_done = 0;
  Status failure;
  // Set by the consume stage when the run must end; read by the other two stages.
  std::atomic<bool> stop{false};

  const auto emit = [&](tbb::flow_control& control) -> Morsel {
    if (next_begin >= num_rows || stop.load(std::memory_order_acquire) || is_cancelled()) {
      control.stop();
      return {};
    }
    Morsel morsel;
    morsel.index = next_index++;
    morsel.rows.begin = next_begin;
    // Written as a difference so that a huge morsel_rows cannot overflow.
    morsel.rows.end = next_begin + std::min(morsel_rows, num_rows - next_begin);
    next_begin = morsel.rows.end;
    return morsel;
  };

  const auto run_produce = [&](Morsel morsel) -> Token {
    Token token;
    token.morsel = morsel;
    if (stop.load(std::memory_order_acquire)) {
      token.skipped = true;
      return token;
    }
    try {
      token.produced.emplace(produce(morsel));
    } catch (...) {
      token.produced.emplace(
          status_from_current_exception("produce for " + describe_rows(morsel.rows)));
    }
    return token;
  };

  const auto record_failure = [&](Status status) {
    failure = std::move(status);
    stop.store(true, std::memory_order_release);
  };

  const auto run_consume = [&](Token token) {
    if (!failure.ok() || token.skipped) {
      return;
    }
    if (is_cancelled()) {
      // Reported after the pipeline drains, with the rows actually delivered.
      stop.store(true, std::memory_order_release);
      return;
    }
    Result<std::unique_ptr<Payload>>& produced = *token.produced;
    if (!produced.ok()) {
      record_failure(produced.status());
      return;
    }
    Status consumed =
        call_guarded("consume", [&] { return consume(token.morsel, std::move(produced.value())); });
    if (!consumed.ok()) {
      record_failure(std::move(consumed));
      return;
    }
    rows_done += token.morsel.rows.size();
    if (options_.on_progress) {
      Status reported = call_guarded("on_progress", [&] {
        options_.on_progress(rows_done, num_rows);
        return Status::OK();
      });
      if (!reported.ok()) {
        record_failure(std::move(reported));
      }
    }
  };

  // Each run gets an arena of its own thread count, so that count holds whatever other
  // executors (or the caller's own TBB work) are doing.
  std::optional<tbb::task_arena> fresh;
  tbb::task_arena& arena = kept_arena(threads, fresh);
  Status pipeline_status = call_guarded("the pipeline", [&] {
    arena.execute([&] {
      const InsideRun inside;
      tbb::parallel_pipeline(
          static_cast<std::size_t>(max_in_flight),
          tbb::make_filter<void, Morsel>(tbb::filter_mode::serial_in_order, emit) &
              tbb::make_filter<Morsel, Token>(tbb::filter_mode::parallel, run_produce) &
              tbb::make_filter<Token, void>(tbb::filter_mode::serial_in_order, run_consume));
    });
    return Status::OK();
  });

  if (!failure.ok()) {
    return failure;
  }
  PARAFEAT_RETURN_NOT_OK(pipeline_status);
  if (rows_done < num_rows) {
    // Nothing failed, so the only way to stop early is cancellation.
    return Status::Cancelled("cancelled after " + std::to_string(rows_done) + " of " +
                             std::to_string(num_rows) + " rows");
  }
  return Status::OK();
}

Result<SparseRows> Executor::extract(const Extractor& extractor, const StringColumn& input) const {
  return extract(extractor, ColumnSource(input));
}

Status Executor::run_document_morsels(const DocumentSource& input,
                                      const ErasedDocumentProduce& produce,
                                      const ErasedConsume& consume) const {
  // Each worker thread reuses one buffer for the documents of the morsels it reads (a produce
  // call runs to completion on its thread: extractors start no nested parallel work, and the
  // executor's own, splitting a large document, is isolated from the other morsels).
  tbb::enumerable_thread_specific<MorselBuffer> buffers;
  ExecutorOptions options = options_;
  if (const std::int64_t size = input.size_bytes(); size >= 0) {
    options.morsel_rows =
        documents_per_morsel(size, input.num_rows(), num_threads(), options.morsel_rows);
  }
  return Executor(std::move(options))
      .run_morsels(
          input.num_rows(),
          [&](const Morsel& morsel) -> Result<std::unique_ptr<Payload>> {
            PARAFEAT_ASSIGN_OR_RAISE(StringColumn documents,
                                     input.read(morsel.rows, buffers.local()));
            Result<std::unique_ptr<Payload>> produced = produce(morsel, documents);
            if (!produced.ok()) return produced.status().with_row_offset(morsel.rows.begin);
            return produced;
          },
          consume);
}

Result<SparseRows> Executor::extract(const Extractor& extractor,
                                     const DocumentSource& input) const {
  const std::int64_t num_columns = extractor.output_spec().num_columns;
  const std::int64_t num_rows = input.num_rows();
  SparseRows result;
  result.num_columns = num_columns;
  const int threads = num_threads();
  const DocumentSplitting* splitting =
      options_.split_bytes > 0 && threads > 1 ? extractor.document_splitting() : nullptr;
  // Each worker thread sizes the output of each morsel from the values of its previous one, so
  // that the output rarely moves while it grows.
  tbb::enumerable_thread_specific<std::size_t> previous_values;
  // Each morsel is appended in the in-order stage while later morsels are still being produced,
  // so the copy overlaps the extraction instead of following it.
  Status status = for_each_document_morsel<SparseRows>(
      input,
      [&](const Morsel& morsel, const StringColumn& documents) -> Result<SparseRows> {
        SparseRows rows;
        rows.num_columns = num_columns;
        std::size_t& expected_values = previous_values.local();
        rows.indices.reserve(expected_values + expected_values / 8);
        rows.values.reserve(expected_values + expected_values / 8);
        rows.indptr.reserve(static_cast<std::size_t>(morsel.rows.size()) + 1);
        Status extracted = extract_rows(extractor, splitting, options_, threads, documents,
                                        morsel.rows.size(), rows);
        expected_values = rows.values.size();
        PARAFEAT_RETURN_NOT_OK(extracted);
        if (rows.num_rows() != morsel.rows.size()) {
          return Status::Internal("extractor '" + std::string(extractor.name()) + "' wrote " +
                                  std::to_string(rows.num_rows()) + " rows for " +
                                  describe_rows(morsel.rows));
        }
        return rows;
      },
      [&](const Morsel& morsel, SparseRows&& rows) {
        if (morsel.index == 0) reserve_like(rows, num_rows, result);
        result.append_rows(rows);
        return Status::OK();
      });
  PARAFEAT_RETURN_NOT_OK(status);
  return result;
}

}  // namespace parafeat
