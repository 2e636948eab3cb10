#include "exec/idle_thread_fork_join.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

namespace parafeat::exec {
namespace {

class IdleThreadForkJoin final : public ForkJoin {
 public:
  void run(std::size_t n, const std::function<void(std::size_t)>& task) const override {
    if (n <= 1) {
      if (n == 1) task(0);
      return;
    }
    tbb::this_task_arena::isolate([&] {
      // One task per index: the tasks are few and coarse (a calculator, a block of rows).
      tbb::parallel_for(
          tbb::blocked_range<std::size_t>(0, n, 1),
          [&](const tbb::blocked_range<std::size_t>& range) {
            for (std::size_t i = range.begin(); i < range.end(); ++i) task(i);
          },
          tbb::simple_partitioner());
    });
  }
  bool parallel() const override { return true; }
};

}  // namespace

const ForkJoin& idle_thread_fork_join() {
  static const IdleThreadForkJoin idle_threads;
  return idle_threads;
}

}  // namespace parafeat::exec
