// The server's Prometheus metrics: requests by status code, a latency histogram, requests in
// flight. Safe to update from many threads.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace parafeat::server {

class Metrics {
 public:
  /// Upper bounds (seconds) of the latency histogram's buckets; +Inf follows.
  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};

  /// Counts one answered request to `path` (one of the server's endpoints, or "other") with
  /// `status`; `seconds` is how long it took to handle (< 0 when the HTTP library answered it
  /// before any handler ran: it then has no latency).
  void record(const std::string& path, int status, double seconds);
  /// A feature request has started (+1) or finished (-1).
  void add_in_flight(int delta) { in_flight_.fetch_add(delta, std::memory_order_relaxed); }

  /// All metrics in the Prometheus text exposition format.
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::int64_t> by_status_;
  std::array<std::int64_t, kBuckets.size() + 1> buckets_{};  // non-cumulative; last is +Inf
  double latency_sum_ = 0.0;
  std::int64_t latency_count_ = 0;
  std::atomic<std::int64_t> in_flight_{0};
};

}  // namespace parafeat::server
