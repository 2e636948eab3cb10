#include "server/feature_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <optional>
#include <span>
#include <utility>
#include <variant>
#include <vector>

#include "server/connection.h"
#include "server/deadlines.h"
#include "server/metrics.h"
#include "server/request.h"
#include "server/response.h"

namespace parafeat::server {
namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kArrowStream = "application/vnd.apache.arrow.stream";

// The HTTP status for a failed extraction.
int http_status_of(const Status& status) {
  switch (status.code()) {
    case StatusCode::kCancelled: return 503;
    case StatusCode::kInvalid:
    case StatusCode::kTypeError:
    case StatusCode::kKeyError: return 422;
    default: return 500;
  }
}

// The media type of a Content-Type header, without parameters, lower-cased.
std::string media_type(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

// Reads the body of `request` into `body`, keeping kJsonPadding bytes of room after it so that the
// JSON parser reads it in place; one allocation when the client sends Content-Length. False when
// it could not be read: over `max_bytes` (413 set in `response`: httplib checks a Content-Length
// itself, not a chunked body) or the client went away.
bool read_body(const httplib::Request& request, const httplib::ContentReader& content,
               std::size_t max_bytes, std::string& body, httplib::Response& response) {
  if (request.is_multipart_form_data()) {
    // Read and dropped: such bodies get 415 (httplib's reader demands multipart receivers).
    return content([](const httplib::MultipartFormData&) { return true; },
                   [](const char*, std::size_t) { return true; });
  }
  const std::string length_header = request.get_header_value("Content-Length");
  std::size_t length = 0;
  std::from_chars(length_header.data(), length_header.data() + length_header.size(), length);
  body.reserve(length + kJsonPadding);  // httplib refuses lengths over the limit before reading
  bool too_large = false;
  const bool read = content([&](const char* data, std::size_t size) {
    too_large = body.size() + size > max_bytes;
    if (too_large) return false;
    if (body.capacity() - body.size() < size + kJsonPadding) {
      body.reserve(2 * (body.size() + size) + kJsonPadding);
    }
    body.append(data, size);
    return true;
  });
  if (too_large) {  // after content(), which sets 400 for any receiver that stops
    response.status = 413;
    response.set_header("Connection", "close");  // the rest of the body is left unread
  }
  return read;
}

// What an error response without a body of its own says.
std::string error_text(int status) {
  switch (status) {
    case 404: return "no such endpoint: use POST /v1/features, GET /healthz or GET /metrics";
    case 411: return "send the body with a Content-Length header (or chunked)";
    case 413: return "the request body is larger than the server's limit";
    default: return "the request failed with status " + std::to_string(status);
  }
}

void answer(httplib::Response& response, int status, std::string body,
            std::string_view content_type = kJson) {
  response.status = status;
  response.body = std::move(body);  // set_content would copy it
  response.set_header("Content-Type", std::string(content_type));
}

// `status` with the position of the first missing point (null or NaN) of the row it names, if
// that row of `series` has one: the library names the row, the client wants the point too.
// `json`: name it as "inputs"[row][point], else as row and point.
Status with_missing_point(Status status, const SeriesColumn& series, bool json) {
  const std::optional<std::int64_t> row = status.row();
  if (!row || *row < 0 || *row >= series.length() || series.is_null(*row)) return status;
  std::vector<double> scratch;
  const std::span<const double> values = series.values(*row, scratch);
  for (std::size_t k = 0; k < values.size(); ++k) {
    const auto point = static_cast<std::int64_t>(k);
    if (!series.is_null_value(*row, point) && !std::isnan(values[k])) continue;
    const std::string where =
        json ? "\"inputs\"[" + std::to_string(*row) + "][" + std::to_string(point) + "]"
             : "row " + std::to_string(*row) + ", point " + std::to_string(point);
    return {status.code(), status.message() + " (the first missing point: " + where + ")"};
  }
  return status;
}

// 422 for the first empty series of `series` (the column `name` of an Arrow request): a series
// has features only when it has points.
std::optional<std::string> empty_series(const SeriesColumn& series, std::string_view name) {
  for (std::int64_t row = 0; row < series.length(); ++row) {
    if (!series.is_null(row) && series.size(row) == 0) {
      return "row " + std::to_string(row) + " of column '" + std::string(name) +
             "' is an empty series: send at least one number in each";
    }
  }
  return std::nullopt;
}

}  // namespace

struct FeatureServer::Impl {
  Impl(Pipeline pipeline_in, ServerOptions options_in)
      : pipeline(std::move(pipeline_in)),
        options(std::move(options_in)),
        http(std::chrono::duration_cast<std::chrono::microseconds>(options.request_read_timeout)) {}

  void handle_features(const httplib::Request& request, const httplib::ContentReader& content,
                       httplib::Response& response);
  void handle_text_json(std::string_view body, bool padded, httplib::Response& response);
  void handle_series_json(std::string_view body, bool padded, httplib::Response& response);
  void handle_arrow(std::string_view body, httplib::Response& response);
  /// An executor of one request's own, cancelled when the request's timeout passes while
  /// `deadline` lives.
  Executor request_executor(const DeadlineWatcher::Guard& deadline) const;
  void answer_failure(const Status& status, httplib::Response& response);
  /// 200 with `features` as a JSON body, or the failure to write them.
  void answer_json(const std::vector<FeatureColumn>& features, const Executor& executor,
                   httplib::Response& response);
  void route();

  Pipeline pipeline;
  ServerOptions options;
  std::string column;                                   // the pipeline's one input column
  bool reads_series = false;                            // the steps read series (else strings)
  std::vector<std::string> names;                       // "names" of a JSON response
  std::vector<std::vector<std::string>> feature_names;  // of each output (empty when sparse)
  DeadlineHttpServer http;
  Metrics metrics;
  DeadlineWatcher deadlines;
  int bound_port = -1;
  socket_t listen_socket = INVALID_SOCKET;
};

Executor FeatureServer::Impl::request_executor(const DeadlineWatcher::Guard& deadline) const {
  ExecutorOptions executor_options;
  executor_options.num_threads = options.threads;
  executor_options.cancel = deadline.token();
  if (options.split_bytes >= 0) executor_options.split_bytes = options.split_bytes;
  return Executor(std::move(executor_options));
}

void FeatureServer::Impl::answer_failure(const Status& status, httplib::Response& response) {
  const std::string message = status.code() == StatusCode::kCancelled
                                  ? "the request took longer than the server's timeout (" +
                                        std::to_string(options.request_timeout.count()) + " ms)"
                                  : status.message();
  answer(response, http_status_of(status), error_json(message));
}

void FeatureServer::Impl::handle_features(const httplib::Request& request,
                                          const httplib::ContentReader& content,
                                          httplib::Response& response) {
  std::string body;
  if (!read_body(request, content, static_cast<std::size_t>(options.max_body_bytes), body,
                 response)) {
    // Over the body limit (413 is set), or the body stopped arriving: the client
    // went away, or it was too slow (the connection's deadline passed).
    if (response.status < 400) {
      answer(response, 408,
             error_json("the request did not arrive within the server's time limit"));
      response.set_header("Connection", "close");
    }
    return;
  }
  const std::string type = media_type(request.get_header_value("Content-Type"));
  if (type == kArrowStream && options.arrow) {
    handle_arrow(body, response);
    return;
  }
  if (type != kJson) {
    const std::string why =
        type == kArrowStream
            ? "this server was built without Arrow IPC support; send application/json"
            : "unsupported Content-Type '" + type + "': send application/json or " +
                  std::string(kArrowStream);
    answer(response, 415, error_json(why));
    return;
  }
  const bool padded = body.capacity() - body.size() >= kJsonPadding;
  if (reads_series) {
    handle_series_json(body, padded, response);
  } else {
    handle_text_json(body, padded, response);
  }
}

void FeatureServer::Impl::answer_json(const std::vector<FeatureColumn>& features,
                                      const Executor& executor, httplib::Response& response) {
  Result<std::string> json = features_json(features, names, executor);
  if (!json.ok()) {
    answer_failure(json.status(), response);
    return;
  }
  answer(response, 200, json.move_value());
}

void FeatureServer::Impl::handle_text_json(std::string_view body, bool padded,
                                           httplib::Response& response) {
  const DeadlineWatcher::Guard deadline(deadlines, options.request_timeout);
  const Executor executor = request_executor(deadline);
  std::variant<Documents, RequestError> parsed = parse_features_json(body, padded, &executor);
  if (auto* error = std::get_if<RequestError>(&parsed)) {
    answer(response, error->http_status, error_json(error->message));
    return;
  }
  const StringColumn input = std::get<Documents>(parsed).column();
  Result<std::vector<FeatureColumn>> features = pipeline.extract(
      [&](std::string_view name) -> Result<StringColumn> {
        if (name != column) return Status::KeyError("no input column '" + std::string(name) + "'");
        return input;
      },
      executor);
  if (!features.ok()) {
    answer_failure(features.status(), response);
    return;
  }
  answer_json(features.value(), executor, response);
}

void FeatureServer::Impl::handle_series_json(std::string_view body, bool padded,
                                             httplib::Response& response) {
  std::variant<SeriesInputs, RequestError> parsed = parse_series_json(body, padded);
  if (auto* error = std::get_if<RequestError>(&parsed)) {
    answer(response, error->http_status, error_json(error->message));
    return;
  }
  const SeriesColumn input = std::get<SeriesInputs>(parsed).column();
  const DeadlineWatcher::Guard deadline(deadlines, options.request_timeout);
  const Executor executor = request_executor(deadline);
  Result<std::vector<FeatureColumn>> features = pipeline.extract(
      [](std::string_view) -> Result<StringColumn> {
        return Status::TypeError("this pipeline reads series");
      },
      [&](std::string_view name) -> Result<SeriesColumn> {
        if (name != column) return Status::KeyError("no input column '" + std::string(name) + "'");
        return input;
      },
      executor);
  if (!features.ok()) {
    answer_failure(with_missing_point(features.status(), input, /*json=*/true), response);
    return;
  }
  answer_json(features.value(), executor, response);
}

void FeatureServer::Impl::handle_arrow(std::string_view body, httplib::Response& response) {
  Result<Batch> batch = options.arrow->read(body);
  if (!batch.ok()) {
    answer(response, 400, error_json(batch.status().message()));
    return;
  }
  if (batch.value().num_rows() == 0) {
    answer(response, 422, error_json("the Arrow stream has no rows: send at least one"));
    return;
  }
  if (reads_series) {
    // The series column is looked up before the deadline starts: a request whose column is
    // missing, of another type or holds an empty series is answered at once.
    Result<SeriesColumn> series = batch.value().series_column(column);
    if (series.ok()) {
      if (const auto empty = empty_series(*series, column)) {
        answer(response, 422, error_json(*empty));
        return;
      }
    }
  }
  const DeadlineWatcher::Guard deadline(deadlines, options.request_timeout);
  Result<std::vector<FeatureColumn>> features =
      pipeline.extract([&](std::string_view name) { return batch.value().string_column(name); },
                       [&](std::string_view name) { return batch.value().series_column(name); },
                       request_executor(deadline));
  if (!features.ok()) {
    Status failure = features.status();
    if (reads_series) {
      if (Result<SeriesColumn> series = batch.value().series_column(column); series.ok()) {
        failure = with_missing_point(failure, *series, /*json=*/false);
      }
    }
    answer_failure(failure, response);
    return;
  }
  Result<std::string> written = options.arrow->write(features.move_value(), feature_names);
  if (!written.ok()) {
    answer_failure(written.status(), response);
    return;
  }
  answer(response, 200, written.move_value(), kArrowStream);
}

void FeatureServer::Impl::route() {
  const auto timed = [this](auto handler) {
    return [this, handler](const httplib::Request& request, httplib::Response& response,
                           const httplib::ContentReader& content) {
      const auto started = std::chrono::steady_clock::now();
      metrics.add_in_flight(1);
      handler(request, content, response);
      metrics.add_in_flight(-1);
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      response.set_header("X-Parafeat-Seconds", std::to_string(took.count()));
    };
  };
  // `Allow` lists every method an endpoint answers: its own, HEAD beside GET, and OPTIONS.
  const auto allow_header = [](std::string_view method) {
    return std::string(method) + (method == "GET" ? ", HEAD" : "") + ", OPTIONS";
  };
  const auto not_allowed = [allow_header](std::string_view method) {
    return [method, allow = allow_header(method)](const httplib::Request&,
                                                  httplib::Response& response) {
      response.set_header("Allow", allow);
      answer(response, 405, error_json("method not allowed; use " + std::string(method)));
    };
  };
  const auto options_of = [allow_header](std::string_view method) {
    return [allow = allow_header(method)](const httplib::Request&, httplib::Response& response) {
      response.set_header("Allow", allow);
      response.status = 204;
    };
  };
  http.Post(
      "/v1/features",
      timed([this](const httplib::Request& request, const httplib::ContentReader& content,
                   httplib::Response& response) { handle_features(request, content, response); }));
  http.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    answer(response, 200, "ok\n", "text/plain");
  });
  http.Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
    answer(response, 200, metrics.render(), "text/plain; version=0.0.4");
  });
  for (const auto& [path, method] : {std::pair{"/v1/features", "POST"},
                                     std::pair{"/healthz", "GET"}, std::pair{"/metrics", "GET"}}) {
    if (std::string_view(method) != "GET") http.Get(path, not_allowed(method));
    if (std::string_view(method) != "POST") http.Post(path, not_allowed(method));
    http.Put(path, not_allowed(method));
    http.Delete(path, not_allowed(method));
    http.Patch(path, not_allowed(method));
    http.Options(path, options_of(method));
  }
  http.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    const bool announces_body =
        request.has_header("Content-Length") || request.has_header("Transfer-Encoding");
    // httplib routes some 404s and 405s (a GET to an unknown path) without reading their body,
    // whose bytes would then be read as the connection's next request.
    if ((response.status == 404 || response.status == 405) && announces_body) {
      response.set_header("Connection", "close");
    }
    if (response.status == 400 && request.method == "POST" && !announces_body) {
      response.status = 411;
    }
    if (response.body.empty()) {
      response.set_content(error_json(error_text(response.status)), std::string(kJson));
    }
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, const std::exception_ptr&) {
        answer(response, 500, error_json("internal error"));
      });
  http.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
    const std::string seconds = response.get_header_value("X-Parafeat-Seconds");
    const bool known =
        request.path == "/v1/features" || request.path == "/healthz" || request.path == "/metrics";
    metrics.record(known ? request.path : "other", response.status,
                   seconds.empty() ? -1.0 : std::stod(seconds));
  });
  // cpp-httplib 0.11 listens with a backlog of 5 (compiled into the library), which resets
  // connections under a burst of clients. Remember the listening socket so that bind() can
  // listen again on it with the system's maximum backlog (Linux updates it in place).
  // SO_REUSEADDR, so that a restarted server binds while its old connections are in TIME_WAIT;
  // not httplib's default SO_REUSEPORT too, with which a second server would bind the same port
  // and the kernel would share the requests between the two.
  http.set_socket_options([this](socket_t sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_socket = sock;
  });
  http.set_payload_max_length(static_cast<std::size_t>(options.max_body_bytes));
  const auto read_seconds = options.read_timeout.count() / 1000;
  const auto read_micros = (options.read_timeout.count() % 1000) * 1000;
  http.set_read_timeout(read_seconds, read_micros);
  http.set_write_timeout(read_seconds, read_micros);
  http.set_keep_alive_timeout(2);
  // httplib closes a connection after 5 requests by default; a client then reconnects and is
  // served by another HTTP thread, whose buffers (kept per thread) are cold for its input sizes.
  // 100 still lets connections waiting for an HTTP thread get one now and then.
  http.set_keep_alive_max_count(100);
  // Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm holds the
  // body back until the client's delayed ACK (40 ms on Linux).
  http.set_tcp_nodelay(true);
  const int http_threads = options.http_threads;
  http.new_task_queue = [http_threads] {
    return new httplib::ThreadPool(static_cast<std::size_t>(http_threads));
  };
}

Result<std::unique_ptr<FeatureServer>> FeatureServer::make(Pipeline pipeline,
                                                           ServerOptions options) {
  if (!pipeline.is_fitted()) {
    return Status::Invalid(
        "the pipeline has steps that learn from data: fit it first (parafeat fit) and serve the "
        "fitted state (parafeat serve --state s.pfstate)");
  }
  const std::vector<std::string> columns = pipeline.input_columns();
  if (columns.size() != 1) {
    return Status::NotImplemented(
        "the server serves pipelines that read one input column; this "
        "one reads " +
        std::to_string(columns.size()));
  }
  if (options.http_threads < 1 || options.threads < 0 || options.max_body_bytes < 1) {
    return Status::Invalid(
        "server options: http threads must be >= 1, threads >= 0 and the body "
        "limit >= 1 byte");
  }
  const auto& steps = pipeline.steps();
  const auto reads_series = [](const PipelineStep& step) {
    return step.extractor->input_kind() == InputKind::kSeries;
  };
  const bool series = reads_series(steps.front());
  if (!std::all_of(steps.begin(), steps.end(),
                   [&](const PipelineStep& step) { return reads_series(step) == series; })) {
    return Status::NotImplemented(
        "the server serves pipelines whose steps all read strings or all read series");
  }
  auto impl = std::make_unique<Impl>(std::move(pipeline), std::move(options));
  impl->column = columns.front();
  impl->reads_series = series;
  for (const PipelineStep& step : impl->pipeline.steps()) {
    std::vector<std::string> names = step.extractor->feature_names();
    if (names.empty()) {
      impl->names.push_back(step.output);
    } else {
      impl->names.insert(impl->names.end(), names.begin(), names.end());
    }
    impl->feature_names.push_back(std::move(names));
  }
  impl->route();
  return std::unique_ptr<FeatureServer>(new FeatureServer(std::move(impl)));
}

FeatureServer::FeatureServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FeatureServer::~FeatureServer() = default;

Status FeatureServer::bind() {
  const ServerOptions& options = impl_->options;
  if (options.port == 0) {
    impl_->bound_port = impl_->http.bind_to_any_port(options.host);
  } else {
    impl_->bound_port = impl_->http.bind_to_port(options.host, options.port) ? options.port : -1;
  }
  if (impl_->bound_port < 0) {
    return Status::IOError("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                           " (in use, or not an address here)");
  }
  if (impl_->listen_socket != INVALID_SOCKET && ::listen(impl_->listen_socket, SOMAXCONN) != 0) {
    return Status::IOError("cannot set the listening socket's backlog");
  }
  return Status::OK();
}

int FeatureServer::port() const {
  return impl_->bound_port;
}

Status FeatureServer::serve() {
  if (!impl_->http.listen_after_bind() && impl_->http.is_running()) {
    return Status::IOError("the server stopped accepting connections");
  }
  return Status::OK();
}

void FeatureServer::stop() {
  impl_->http.stop();
}

}  // namespace parafeat::server
