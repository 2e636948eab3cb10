#include "exec/cancellable_fork_join.h"

#include <utility>

namespace parafeat::exec {

CancellableForkJoin::CancellableForkJoin(const ForkJoin& inner,
                                         std::shared_ptr<const CancellationToken> cancel)
    : inner_(inner), cancel_(std::move(cancel)) {}

void CancellableForkJoin::run(std::size_t n, const std::function<void(std::size_t)>& task) const {
  inner_.run(n, [&](std::size_t i) {
    if (!cancel_->cancelled()) task(i);
  });
}

}  // namespace parafeat::exec
