// Running engine work without the GIL while staying responsive to Ctrl-C.
#pragma once

#include <functional>
#include <memory>

#include "parafeat/executor.h"
#include "parafeat/status.h"

namespace parafeat::python {

/// Runs `work` on a helper thread with the GIL released. The calling (Python) thread polls for
/// signals; on Ctrl-C it cancels `cancel`, waits for `work` to stop and raises KeyboardInterrupt.
/// Returns the Status `work` returned.
Status run_interruptibly(const std::function<Status()>& work,
                         const std::shared_ptr<CancellationToken>& cancel);

}  // namespace parafeat::python
