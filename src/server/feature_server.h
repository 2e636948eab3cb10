// FeatureServer: the native HTTP server in front of one Pipeline (cpp-httplib underneath).
//   POST /v1/features   {"inputs": [...]} -> {"names": [...], "features": [...]}, or an Arrow
//                       IPC stream in and out (application/vnd.apache.arrow.stream). Inputs are
//                       texts, or series (arrays of numbers) for a pipeline of series steps
//                       (timeseries_features), whose features come back dense with their names.
//   GET  /healthz       "ok"
//   GET  /metrics       Prometheus text
// Each request runs the pipeline on an Executor of its own, so one large input is split across
// the threads (see ExecutorOptions::split_bytes) while the other HTTP workers are idle.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parafeat/pipeline.h"
#include "parafeat/status.h"

namespace parafeat::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                         ///< 0 picks a free port (see FeatureServer::port)
  int threads = 0;                         ///< executor threads per request; 0 = all cores
  int http_threads = 8;                    ///< connections served at once
  std::int64_t max_body_bytes = 64 << 20;  ///< larger bodies get 413
  std::chrono::milliseconds request_timeout{30'000};  ///< extraction longer than this gets 503
  std::chrono::milliseconds read_timeout{5'000};      ///< a client silent this long is dropped
  /// A request's line, headers and body must all arrive within this of its first byte, however
  /// steadily they trickle in (slow-loris clients are dropped).
  std::chrono::milliseconds request_read_timeout{60'000};
  std::int64_t split_bytes = -1;  ///< ExecutorOptions::split_bytes; < 0 = its default

  /// Reads and writes Arrow IPC streams (application/vnd.apache.arrow.stream); without them such
  /// requests get 415. The binary supplies them (it links an Arrow library; this server does not).
  /// write() gets the feature names of each column (empty for a sparse one) to put in its field's
  /// metadata, as Pipeline.transform does.
  struct ArrowCodec {
    std::function<Result<Batch>(std::string_view body)> read;
    std::function<Result<std::string>(std::vector<FeatureColumn> columns,
                                      const std::vector<std::vector<std::string>>& feature_names)>
        write;
  };
  std::optional<ArrowCodec> arrow;
};

class FeatureServer {
 public:
  /// A server for `pipeline`, which must be fitted and read exactly one input column, with steps
  /// that all read strings or all read series.
  static Result<std::unique_ptr<FeatureServer>> make(Pipeline pipeline, ServerOptions options);
  ~FeatureServer();
  FeatureServer(const FeatureServer&) = delete;
  FeatureServer& operator=(const FeatureServer&) = delete;

  /// Binds the listening socket; afterwards port() is the port bound.
  Status bind();
  int port() const;
  /// Serves until stop(); returns once the requests in flight have been answered.
  Status serve();
  /// Stops accepting connections; serve() returns after the requests in flight finish. Safe to
  /// call from any thread.
  void stop();

 private:
  struct Impl;
  explicit FeatureServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace parafeat::server
