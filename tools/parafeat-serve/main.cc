// parafeat-serve: the native feature server.
//
//   parafeat-serve (--spec s.yaml | --state s.pfstate) [--host 127.0.0.1] [--port 8080] [--threads
//   N]
//                  [--http-threads N] [--max-body-bytes N] [--timeout-ms N]
//                  [--read-timeout-ms N] [--request-read-timeout-ms N] [--split-bytes N]
//
// The spec may carry fitted parameters (a vocabulary, idf weights); a state saved by
// parafeat.Pipeline.save (parafeat fit) carries its fitted spec, which --state serves. Prints
// "listening on http://HOST:PORT" once it accepts connections; SIGTERM or SIGINT stops accepting
// and exits 0 once the requests in flight are answered.
#include <malloc.h>
#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include "server/feature_server.h"
#include "state/pipeline_state.h"

#if defined(PARAFEAT_SERVE_ARROW)
#include "arrow_ipc.h"
#endif

namespace {

constexpr std::string_view kUsage =
    "usage: parafeat-serve (--spec s.yaml | --state s.pfstate) [--host H] [--port P] [--threads "
    "N]\n"
    "                      [--http-threads N]"
    " [--max-body-bytes N] [--timeout-ms N] [--read-timeout-ms N]\n"
    "                      [--request-read-timeout-ms N] [--split-bytes N]\n";

int usage_error(const std::string& message) {
  std::cerr << "parafeat-serve: " << message << "\n" << kUsage;
  return 2;
}

// The pipeline spec in the file at `path`: the YAML itself, or the fitted spec a .pfstate holds.
parafeat::Result<std::string> read_spec(const std::string& path, bool state) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return parafeat::Status::IOError("cannot read '" + path + "'");
  std::stringstream bytes;
  bytes << file.rdbuf();
  if (!state) return bytes.str();
  auto spec = parafeat::state::read_fitted_pipeline_spec(bytes.str());
  if (!spec.ok()) return parafeat::Status::Invalid(path + ": " + spec.status().message());
  return spec;
}

bool parse_int(const std::string& text, long long& out) {
  char* end = nullptr;
  out = std::strtoll(text.c_str(), &end, 10);
  return !text.empty() && end != nullptr && *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
  // SIGTERM and SIGINT are taken by one thread (blocked in every other thread, which inherit
  // this mask, so it is set before any thread starts) that asks the server to drain and stop.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  // A request's buffers (body, documents, rows, response: megabytes for a large input) are
  // freed when it is answered. By default glibc maps blocks that large afresh each time and
  // returns freed memory at the top of a heap to the kernel, so every request pays page faults
  // on all of its memory again (a third of a 1 MB request's time). Serving blocks up to 32 MiB
  // from the heaps and keeping up to 256 MiB free in each lets the next request reuse them.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);

  using parafeat::server::ServerOptions;
  ServerOptions options;
  std::string spec_path;
  std::string state_path;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (i + 1 >= argc) return usage_error(flag + " needs a value");
    const std::string value = argv[++i];
    long long number = 0;
    const bool numeric = parse_int(value, number);
    if (flag == "--spec") {
      spec_path = value;
    } else if (flag == "--state") {
      state_path = value;
    } else if (flag == "--host") {
      options.host = value;
    } else if (!numeric) {
      return usage_error(flag == "--port" || flag == "--threads" || flag == "--http-threads" ||
                                 flag == "--max-body-bytes" || flag == "--timeout-ms" ||
                                 flag == "--read-timeout-ms" || flag == "--split-bytes" ||
                                 flag == "--request-read-timeout-ms"
                             ? flag + " expects an integer, got '" + value + "'"
                             : "unknown option " + flag);
    } else if (flag == "--port") {
      if (number < 0 || number > 65535) {
        return usage_error("--port must be in [0, 65535] (0: any free port), got " + value);
      }
      options.port = static_cast<int>(number);
    } else if (flag == "--threads") {
      options.threads = static_cast<int>(number);
    } else if (flag == "--http-threads") {
      options.http_threads = static_cast<int>(number);
    } else if (flag == "--max-body-bytes") {
      options.max_body_bytes = number;
    } else if (flag == "--timeout-ms") {
      options.request_timeout = std::chrono::milliseconds(number);
    } else if (flag == "--read-timeout-ms") {
      options.read_timeout = std::chrono::milliseconds(number);
    } else if (flag == "--request-read-timeout-ms") {
      options.request_read_timeout = std::chrono::milliseconds(number);
    } else if (flag == "--split-bytes") {
      options.split_bytes = number;
    } else {
      return usage_error("unknown option " + flag);
    }
  }
  if (spec_path.empty() == state_path.empty()) {
    return usage_error("give either --spec or --state (one of them)");
  }
#if defined(PARAFEAT_SERVE_ARROW)
  options.arrow = ServerOptions::ArrowCodec{parafeat::serve_tool::read_ipc_stream,
                                            parafeat::serve_tool::write_ipc_stream};
#endif

  const bool from_state = !state_path.empty();
  const std::string& path = from_state ? state_path : spec_path;
  const parafeat::Result<std::string> spec = read_spec(path, from_state);
  if (!spec.ok()) {
    std::cerr << "parafeat-serve: " << spec.status().message() << "\n";
    return 1;
  }
  auto pipeline = parafeat::Pipeline::from_yaml(spec.value());
  if (!pipeline.ok()) {
    std::cerr << "parafeat-serve: " << path << ": " << pipeline.status().message() << "\n";
    return 1;
  }
  auto server = parafeat::server::FeatureServer::make(pipeline.move_value(), options);
  if (!server.ok()) {
    std::cerr << "parafeat-serve: " << server.status().message() << "\n";
    return 1;
  }

  parafeat::server::FeatureServer& serving = *server.value();
  if (const parafeat::Status bound = serving.bind(); !bound.ok()) {
    std::cerr << "parafeat-serve: " << bound.message() << "\n";
    return 1;
  }
  std::thread signal_waiter([&serving, stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    serving.stop();
  });
  std::cout << "listening on http://" << options.host << ":" << serving.port() << std::endl;
  const parafeat::Status served = serving.serve();
  if (signal_waiter.joinable()) {
    // serve() only returns after stop(), which only the waiter calls: it has finished.
    signal_waiter.join();
  }
  if (!served.ok()) {
    std::cerr << "parafeat-serve: " << served.message() << "\n";
    return 1;
  }
  std::cout << "parafeat-serve: drained and stopped" << std::endl;
  return 0;
}
