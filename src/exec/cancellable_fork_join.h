// A ForkJoin that stops handing out tasks once a run is cancelled, so that one long input (a
// series of a million points) notices a cancellation within one of its tasks, not only when it
// is done.
#pragma once

#include <memory>

#include "parafeat/executor.h"
#include "parafeat/fork_join.h"

namespace parafeat::exec {

/// Runs the tasks through `inner`, skipping each one that starts after `cancel` is set. The
/// outputs of skipped tasks are left as they were: the executor never delivers a morsel produced
/// after its run was cancelled (cancellation is checked before each morsel is consumed, and
/// stays set), so partial rows never reach a caller.
class CancellableForkJoin final : public ForkJoin {
 public:
  CancellableForkJoin(const ForkJoin& inner, std::shared_ptr<const CancellationToken> cancel);

  void run(std::size_t n, const std::function<void(std::size_t)>& task) const override;
  bool parallel() const override { return inner_.parallel(); }

 private:
  const ForkJoin& inner_;
  std::shared_ptr<const CancellationToken> cancel_;
};

}  // namespace parafeat::exec
