#include "engine_run.h"

#include <chrono>
#include <utility>

#include "errors.h"
#include "interruptible.h"

namespace nb = nanobind;

namespace parafeat::python {

EngineRun::EngineRun(int num_threads, std::int64_t morsel_rows, nb::object progress) {
  options_.num_threads = num_threads;
  options_.morsel_rows = morsel_rows;
  options_.cancel = cancel_;
  if (!progress.is_none()) {
    options_.on_progress = [this, progress](std::int64_t done, std::int64_t total) {
      // The executor reports each morsel from its serial stage: taking the GIL that often
      // would stall it, so Python hears at most every kProgressInterval, and at the end.
      const auto now = std::chrono::steady_clock::now();
      if (done < total && now - last_progress_ < kProgressInterval) return;
      last_progress_ = now;
      nb::gil_scoped_acquire acquire;
      try {
        progress(done, total);
      } catch (nb::python_error& error) {
        std::lock_guard lock(error_mutex_);
        if (!progress_error_) progress_error_.emplace(std::move(error));
        cancel_->cancel();
      }
    };
  }
}

void EngineRun::run(const std::function<Status()>& work) {
  Status status = run_interruptibly(work, cancel_);
  if (progress_error_) throw std::move(*progress_error_);
  raise_if_error(status);
}

}  // namespace parafeat::python
