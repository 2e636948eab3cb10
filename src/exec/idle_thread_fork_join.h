// The executor's ForkJoin: the tasks of one large input, offered to the threads of the arena the
// caller runs in.
#pragma once

#include "parafeat/fork_join.h"

namespace parafeat::exec {

/// Runs the tasks as oneTBB tasks of the current arena. The calling thread works through them
/// itself; a thread of the arena that has nothing else to do takes some over, and a busy one is
/// never interrupted. While it waits for the others, the calling thread only runs tasks of this
/// same call (isolation), so it never starts another morsel in the middle of its own.
const ForkJoin& idle_thread_fork_join();

}  // namespace parafeat::exec
