// Fork-join over independent tasks: how a kernel hands the independent parts of one large input
// (the calculators of one long series, the row blocks of one QR decomposition) to the executor's
// idle threads without ever seeing a thread.
#pragma once

#include <cstddef>
#include <functional>

namespace parafeat {

/// Runs independent tasks. Each task writes only its own outputs, so no value depends on which
/// thread runs a task or when: work split through a ForkJoin gives the same bytes as in order.
class ForkJoin {
 public:
  virtual ~ForkJoin() = default;
  /// Calls task(i) once for every i in [0, n) and returns when every call has returned.
  virtual void run(std::size_t n, const std::function<void(std::size_t)>& task) const = 0;
  /// False when run() calls the tasks one after another on the calling thread.
  virtual bool parallel() const = 0;
};

/// The ForkJoin that runs the tasks in index order on the calling thread.
const ForkJoin& serial_fork_join();

}  // namespace parafeat
