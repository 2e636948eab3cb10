// Per-request timeouts: a watcher thread that cancels each request's CancellationToken when its
// deadline passes (the executor checks the token between morsels and between the tasks of a long
// series).
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "parafeat/executor.h"

namespace parafeat::server {

class DeadlineWatcher {
 public:
  using Clock = std::chrono::steady_clock;

  DeadlineWatcher();
  ~DeadlineWatcher();
  DeadlineWatcher(const DeadlineWatcher&) = delete;
  DeadlineWatcher& operator=(const DeadlineWatcher&) = delete;

  /// A token that is cancelled `timeout` from now unless released first; keep the returned
  /// guard alive for as long as the request runs.
  class Guard {
   public:
    Guard(DeadlineWatcher& watcher, Clock::duration timeout);
    ~Guard();
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    const std::shared_ptr<CancellationToken>& token() const { return token_; }

   private:
    DeadlineWatcher& watcher_;
    std::shared_ptr<CancellationToken> token_;
    std::multimap<Clock::time_point, std::shared_ptr<CancellationToken>>::iterator entry_;
  };

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::multimap<Clock::time_point, std::shared_ptr<CancellationToken>> deadlines_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace parafeat::server
