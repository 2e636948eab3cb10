// The executor: runs work over fixed-size row blocks ("morsels") on a oneTBB pipeline, in bounded
// memory, delivering results in row order whatever the thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "parafeat/column.h"
#include "parafeat/extractor.h"
#include "parafeat/features.h"
#include "parafeat/fork_join.h"
#include "parafeat/status.h"

namespace parafeat {

/// Lets a caller stop running work; safe to share between threads.
class CancellationToken {
 public:
  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

/// Called on one thread at a time, in row order, after each morsel: rows done so far, of total.
using ProgressCallback = std::function<void(std::int64_t rows_done, std::int64_t rows_total)>;

/// How the executor runs.
struct ExecutorOptions {
  int num_threads = 0;  ///< Worker threads; 0 means one per hardware thread.
  /// Rows per morsel (the unit of parallel work). Morsels of short documents hold more, when
  /// their source knows its size (see documents_per_morsel in src/common/morsel_sizes.h).
  std::int64_t morsel_rows = 1024;
  int max_in_flight = 0;         ///< Morsels alive at once; 0 means 2 * num_threads.
  ProgressCallback on_progress;  ///< Optional progress report.
  /// Optional; checked between morsels, and between the tasks of a long series (see
  /// Executor::series_fork_join).
  std::shared_ptr<const CancellationToken> cancel;
  /// Documents of at least this many bytes are split across threads when the extractor offers
  /// DocumentSplitting and the executor has more than one thread (0: never split). The row is
  /// the same bytes either way.
  std::int64_t split_bytes = std::int64_t{64} * 1024;
  /// The least length of the pieces of a split document, in bytes; a long document is cut into
  /// about four pieces per thread.
  std::int64_t split_piece_bytes = std::int64_t{16} * 1024;
  /// Series of at least this many values are split across threads when the executor has more
  /// than one thread (0: never split): their calculators, and the independent parts of the
  /// costlier ones (row blocks of a QR, wavelet widths), run as tasks that idle threads take up
  /// while busy ones keep to their own series. Every value is computed as it is unsplit, so the
  /// row is the same bytes either way.
  std::int64_t split_series_length = 16384;
};

/// Working memory a DocumentSource may fill with one morsel's documents.
struct MorselBuffer {
  std::string data;
  std::vector<std::int64_t> offsets;
};

/// Documents made available one morsel at a time: an Arrow column, or strings owned by another
/// runtime that are encoded to UTF-8 as each morsel is processed (so no copy of the whole input
/// is ever made). read() is called from many threads at once, on disjoint rows.
class DocumentSource {
 public:
  virtual ~DocumentSource() = default;
  /// The number of documents.
  virtual std::int64_t num_rows() const = 0;
  /// The documents' size in bytes of UTF-8, or a close lower bound; -1 when unknown before they
  /// are read. Lets the executor give short documents larger morsels.
  virtual std::int64_t size_bytes() const { return -1; }
  /// The documents `rows` as a column whose row 0 is rows.begin, valid while `buffer` is
  /// unchanged. A failure names the row it is about, counted from 0 of the whole source.
  virtual Result<StringColumn> read(RowRange rows, MorselBuffer& buffer) const = 0;
};

/// An in-memory column of documents as a DocumentSource (reads are slices, no copies).
class ColumnSource final : public DocumentSource {
 public:
  explicit ColumnSource(const StringColumn& column) : column_(column) {}
  std::int64_t num_rows() const override { return column_.length(); }
  std::int64_t size_bytes() const override { return column_.data_bytes(); }
  Result<StringColumn> read(RowRange rows, MorselBuffer&) const override {
    return column_.slice(rows);
  }

 private:
  StringColumn column_;
};

/// One unit of parallel work: rows [rows.begin, rows.end), the index-th morsel of the input.
struct Morsel {
  std::int64_t index = 0;
  RowRange rows;
};

/// Runs work over morsels in parallel. Results reach the consumer in morsel order, so output is
/// the same for any thread count and morsel size; at most max_in_flight morsels exist at once, so
/// memory stays bounded however large the input.
class Executor {
 public:
  explicit Executor(ExecutorOptions options = {});

  const ExecutorOptions& options() const { return options_; }
  /// The number of worker threads this executor uses.
  int num_threads() const;

  /// Runs `produce` over every morsel of [0, num_rows) in parallel and hands each result to
  /// `consume`, one at a time, in morsel order. Stops at the first failure in row order, at
  /// cancellation (Cancelled) or when `consume` fails, and returns that Status.
  template <typename T>
  Status for_each_morsel(std::int64_t num_rows,
                         const std::function<Result<T>(const Morsel&)>& produce,
                         const std::function<Status(const Morsel&, T&&)>& consume) const;
  /// Runs task(i) for every i in [0, num_tasks) in parallel, each task a morsel of its own (the
  /// independent pieces of one large job; progress is not reported, tasks are not rows). Stops
  /// at the first failure in task order or at cancellation, and returns that Status.
  Status for_each_task(std::int64_t num_tasks,
                       const std::function<Status(std::int64_t)>& task) const;

  /// Like for_each_morsel, over the documents of `input`: each morsel's documents are read on the
  /// worker thread (into a buffer that thread reuses) and given to `produce` as a column whose
  /// row 0 is the morsel's first row. Rows that produce's failures name are counted from that
  /// column's start; the returned Status counts them from the start of `input`.
  template <typename T>
  Status for_each_document_morsel(
      const DocumentSource& input,
      const std::function<Result<T>(const Morsel&, const StringColumn&)>& produce,
      const std::function<Status(const Morsel&, T&&)>& consume) const;

  /// Runs `extractor` over every row of `input`, returning the rows in input order.
  Result<SparseRows> extract(const Extractor& extractor, const StringColumn& input) const;
  /// Runs `extractor` over every document of `input`, read morsel by morsel on the worker
  /// threads, returning the rows in input order.
  Result<SparseRows> extract(const Extractor& extractor, const DocumentSource& input) const;
  /// Runs a series extractor (InputKind::kSeries) over every row of `input`, returning the dense
  /// rows in input order. Morsels hold about 64K values each (at most options().morsel_rows
  /// series), so a few long series still spread over the threads.
  Result<DenseRows> extract_series(const Extractor& extractor, const SeriesColumn& input) const;
  /// Whether a series of `length` values is long: at least
  /// ExecutorOptions::split_series_length values (never when that is 0).
  bool is_long_series(std::int64_t length) const;
  /// How a series of `length` values is computed inside a morsel. A long one (is_long_series) gets
  /// a ForkJoin that hands its tasks to this executor's idle threads when it has more than one,
  /// and that, when the run can be cancelled, skips every task started after a cancellation; a
  /// short one gets the serial ForkJoin. Only valid inside work this executor runs (a
  /// for_each_morsel produce call).
  const ForkJoin& series_fork_join(std::int64_t length) const;

 private:
  struct Payload {
    virtual ~Payload() = default;
  };
  template <typename T>
  struct PayloadOf final : Payload {
    explicit PayloadOf(T v) : value(std::move(v)) {}
    T value;
  };
  using ErasedProduce = std::function<Result<std::unique_ptr<Payload>>(const Morsel&)>;
  using ErasedDocumentProduce =
      std::function<Result<std::unique_ptr<Payload>>(const Morsel&, const StringColumn&)>;
  using ErasedConsume = std::function<Status(const Morsel&, std::unique_ptr<Payload>)>;

  template <typename T>
  static Result<std::unique_ptr<Payload>> erase(Result<T> result) {
    if (!result.ok()) return result.status();
    return std::unique_ptr<Payload>(std::make_unique<PayloadOf<T>>(result.move_value()));
  }
  template <typename T>
  static ErasedConsume erase_consume(const std::function<Status(const Morsel&, T&&)>& consume) {
    return [&consume](const Morsel& morsel, std::unique_ptr<Payload> payload) {
      return consume(morsel, std::move(static_cast<PayloadOf<T>&>(*payload).value));
    };
  }

  Status run_morsels(std::int64_t num_rows, const ErasedProduce& produce,
                     const ErasedConsume& consume) const;
  Status run_document_morsels(const DocumentSource& input, const ErasedDocumentProduce& produce,
                              const ErasedConsume& consume) const;

  // The idle-thread ForkJoin with more than one thread, else the serial one.
  const ForkJoin& threads_fork_join() const;

  ExecutorOptions options_;
  // The ForkJoin of long series when the run can be cancelled (null: it cannot).
  std::shared_ptr<const ForkJoin> cancellable_fork_;
};

template <typename T>
Status Executor::for_each_morsel(std::int64_t num_rows,
                                 const std::function<Result<T>(const Morsel&)>& produce,
                                 const std::function<Status(const Morsel&, T&&)>& consume) const {
  return run_morsels(
      num_rows, [&produce](const Morsel& morsel) { return erase<T>(produce(morsel)); },
      erase_consume(consume));
}

template <typename T>
Status Executor::for_each_document_morsel(
    const DocumentSource& input,
    const std::function<Result<T>(const Morsel&, const StringColumn&)>& produce,
    const std::function<Status(const Morsel&, T&&)>& consume) const {
  return run_document_morsels(
      input,
      [&produce](const Morsel& morsel, const StringColumn& documents) {
        return erase<T>(produce(morsel, documents));
      },
      erase_consume(consume));
}

}  // namespace parafeat
