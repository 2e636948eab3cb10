// One run of engine work on behalf of Python: executor options from the caller's arguments, the
// work run without the GIL and interruptible by Ctrl-C, and failures raised as Python exceptions.
#pragma once

#include <nanobind/nanobind.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "parafeat/executor.h"

namespace parafeat::python {

class EngineRun {
 public:
  /// `progress` (None or a callable(rows_done, rows_total)) is called with the GIL held, at
  /// most every kProgressInterval and once when all rows are done; an exception it raises
  /// cancels the run and is raised again by run().
  EngineRun(int num_threads, std::int64_t morsel_rows, nanobind::object progress);
  EngineRun(const EngineRun&) = delete;
  EngineRun& operator=(const EngineRun&) = delete;

  const ExecutorOptions& options() const { return options_; }

  /// Runs `work` with the GIL released; raises the progress callable's exception, or the Python
  /// exception for the Status `work` returns (see errors.h).
  void run(const std::function<Status()>& work);

 private:
  std::shared_ptr<CancellationToken> cancel_ = std::make_shared<CancellationToken>();
  ExecutorOptions options_;
  std::mutex error_mutex_;
  std::optional<nanobind::python_error> progress_error_;
  static constexpr std::chrono::milliseconds kProgressInterval{50};
  std::chrono::steady_clock::time_point last_progress_;  // epoch: the first report goes through
};

}  // namespace parafeat::python
