// The server's connections: cpp-httplib parses and answers the requests, this layer reads and
// writes the socket under it. It bounds the time a whole request may take to arrive (request line,
// headers and body together), which cpp-httplib 0.11 cannot: its timeouts are per read, so a
// client sending a byte now and then holds a connection forever (slow loris). It also reads the
// socket in large blocks (cpp-httplib reads 4 KiB per poll and recv, 600 system calls for a 1 MB
// body).
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>
#include <vector>

namespace parafeat::server {

/// A connected socket as a cpp-httplib Stream, reading through a buffer, with a deadline for the
/// request being read: once it passes, reads fail (and cpp-httplib drops the connection).
class ConnectionStream final : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;

  ConnectionStream(socket_t sock, std::chrono::microseconds read_timeout,
                   std::chrono::microseconds write_timeout);

  /// Waits up to `idle` for the next request's first byte (true when it is there); gives up
  /// early, returning false, once `stopping()` says so.
  template <typename Stopping>
  bool wait_for_request(std::chrono::microseconds idle, const Stopping& stopping) {
    const Clock::time_point until = Clock::now() + idle;
    while (begin_ == end_) {
      if (stopping()) return false;
      const auto left = std::chrono::duration_cast<std::chrono::microseconds>(until - Clock::now());
      if (left.count() <= 0) return false;
      if (poll_readable(std::min(left, std::chrono::microseconds(50'000)))) return fill() > 0;
    }
    return true;
  }
  /// The request now being read must have arrived whole within `limit` from now.
  void start_request(std::chrono::microseconds limit) { deadline_ = Clock::now() + limit; }
  /// Whether the deadline of the request being read has passed.
  bool past_deadline() const { return Clock::now() >= deadline_; }

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return sock_; }

 private:
  // Whether the socket has bytes (or an end) to read within `timeout`.
  bool poll_readable(std::chrono::microseconds timeout) const;
  // Reads what the socket has into the empty buffer: bytes read, 0 at the end, < 0 on error.
  ssize_t fill();

  socket_t sock_;
  std::chrono::microseconds read_timeout_;
  std::chrono::microseconds write_timeout_;
  Clock::time_point deadline_ = Clock::time_point::max();
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
};

/// cpp-httplib's Server with its connections served through ConnectionStream.
class DeadlineHttpServer final : public httplib::Server {
 public:
  /// A request's line, headers and body must arrive within `request_read_timeout` of its first
  /// byte; the read and write timeouts set on the server still bound each wait.
  explicit DeadlineHttpServer(std::chrono::microseconds request_read_timeout)
      : request_read_timeout_(request_read_timeout) {}

 private:
  bool process_and_close_socket(socket_t sock) override;

  std::chrono::microseconds request_read_timeout_;
};

}  // namespace parafeat::server
