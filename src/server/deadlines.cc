#include "server/deadlines.h"

namespace parafeat::server {

DeadlineWatcher::DeadlineWatcher() : thread_([this] { run(); }) {}

DeadlineWatcher::~DeadlineWatcher() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void DeadlineWatcher::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (deadlines_.empty()) {
      changed_.wait(lock);
      continue;
    }
    const auto first = deadlines_.begin();
    if (first->first <= Clock::now()) {
      // Cancel every expired token (each stays listed until its guard releases it), then wait
      // for the next later deadline or a change.
      const Clock::time_point expired = first->first;
      auto next = deadlines_.upper_bound(expired);
      for (auto it = first; it != next; ++it) it->second->cancel();
      if (next == deadlines_.end()) {
        changed_.wait(lock);
      } else {
        // A copy: while this waits, the entry may be erased (wait_until reads its time again).
        const Clock::time_point until = next->first;
        changed_.wait_until(lock, until);
      }
      continue;
    }
    const Clock::time_point until = first->first;
    changed_.wait_until(lock, until);
  }
}

DeadlineWatcher::Guard::Guard(DeadlineWatcher& watcher, Clock::duration timeout)
    : watcher_(watcher), token_(std::make_shared<CancellationToken>()) {
  {
    const std::lock_guard lock(watcher_.mutex_);
    entry_ = watcher_.deadlines_.emplace(Clock::now() + timeout, token_);
  }
  watcher_.changed_.notify_all();
}

DeadlineWatcher::Guard::~Guard() {
  {
    const std::lock_guard lock(watcher_.mutex_);
    watcher_.deadlines_.erase(entry_);
  }
  watcher_.changed_.notify_all();
}

}  // namespace parafeat::server
