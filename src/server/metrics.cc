#include "server/metrics.h"

#include <algorithm>
#include <iterator>

namespace parafeat::server {

void Metrics::record(const std::string& path, int status, double seconds) {
  const std::lock_guard lock(mutex_);
  ++by_status_[{path, status}];
  if (seconds < 0) return;
  const auto bucket = std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds);
  ++buckets_[static_cast<std::size_t>(std::distance(kBuckets.begin(), bucket))];
  latency_sum_ += seconds;
  ++latency_count_;
}

std::string Metrics::render() const {
  const std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP parafeat_requests_total HTTP requests answered, by endpoint and status code.\n";
  out += "# TYPE parafeat_requests_total counter\n";
  for (const auto& [key, count] : by_status_) {
    out += "parafeat_requests_total{path=\"" + key.first + "\",code=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP parafeat_request_duration_seconds Time to handle a request.\n";
  out += "# TYPE parafeat_request_duration_seconds histogram\n";
  std::int64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i];
    std::string bound = std::to_string(kBuckets[i]);
    bound.erase(bound.find_last_not_of('0') + 1);
    out += "parafeat_request_duration_seconds_bucket{le=\"" + bound + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  cumulative += buckets_.back();
  out +=
      "parafeat_request_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out += "parafeat_request_duration_seconds_sum " + std::to_string(latency_sum_) + "\n";
  out += "parafeat_request_duration_seconds_count " + std::to_string(latency_count_) + "\n";
  out += "# HELP parafeat_requests_in_flight Feature requests being handled now.\n";
  out += "# TYPE parafeat_requests_in_flight gauge\n";
  out += "parafeat_requests_in_flight " +
         std::to_string(in_flight_.load(std::memory_order_relaxed)) + "\n";
  return out;
}

}  // namespace parafeat::server
