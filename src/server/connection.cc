#include "server/connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace parafeat::server {
namespace {

// How much one recv may read: a large body arrives in a few calls.
constexpr std::size_t kReadBlock = std::size_t{256} << 10;

int poll_milliseconds(std::chrono::microseconds timeout) {
  return static_cast<int>(std::max<std::int64_t>(0, (timeout.count() + 999) / 1000));
}

bool poll_for(socket_t sock, short events, std::chrono::microseconds timeout) {
  pollfd descriptor{sock, events, 0};
  int ready = 0;
  do {
    ready = ::poll(&descriptor, 1, poll_milliseconds(timeout));
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

void address_of(const sockaddr_storage& address, std::string& ip, int& port) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &v4.sin_addr, text.data(), text.size());
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, text.data(), text.size());
    port = ntohs(v6.sin6_port);
  }
  ip = text.data();
}

}  // namespace

ConnectionStream::ConnectionStream(socket_t sock, std::chrono::microseconds read_timeout,
                                   std::chrono::microseconds write_timeout)
    : sock_(sock),
      read_timeout_(read_timeout),
      write_timeout_(write_timeout),
      buffer_(kReadBlock) {}

bool ConnectionStream::poll_readable(std::chrono::microseconds timeout) const {
  return poll_for(sock_, POLLIN, timeout);
}

ssize_t ConnectionStream::fill() {
  begin_ = 0;
  end_ = 0;
  ssize_t n = 0;
  do {
    n = ::recv(sock_, buffer_.data(), buffer_.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n > 0) end_ = static_cast<std::size_t>(n);
  return n;
}

bool ConnectionStream::is_readable() const {
  if (begin_ < end_) return true;
  const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline_ - Clock::now());
  return left.count() > 0 && poll_readable(std::min(read_timeout_, left));
}

bool ConnectionStream::is_writable() const {
  return poll_for(sock_, POLLOUT, write_timeout_);
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (begin_ == end_) {
    if (!is_readable() || fill() <= 0) return -1;
  }
  const std::size_t n = std::min(size, end_ - begin_);
  std::memcpy(ptr, buffer_.data() + begin_, n);
  begin_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (!is_writable()) return -1;
  ssize_t n = 0;
  do {
    n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    address_of(address, ip, port);
  }
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    address_of(address, ip, port);
  }
}

bool DeadlineHttpServer::process_and_close_socket(socket_t sock) {
  const auto seconds = [](time_t sec, time_t usec) {
    return std::chrono::seconds(sec) + std::chrono::microseconds(usec);
  };
  ConnectionStream stream(sock, seconds(read_timeout_sec_, read_timeout_usec_),
                          seconds(write_timeout_sec_, write_timeout_usec_));
  const auto stopping = [this] { return svr_sock_ == INVALID_SOCKET; };
  bool served = false;
  // Keep-alive: one request after another until the client closes or is idle too long, the
  // connection has served its quota, or the server stops.
  for (std::size_t count = 0; count < keep_alive_max_count_; ++count) {
    if (!stream.wait_for_request(std::chrono::seconds(keep_alive_timeout_sec_), stopping)) break;
    stream.start_request(request_read_timeout_);
    bool connection_closed = false;
    served =
        process_request(stream, count + 1 == keep_alive_max_count_, connection_closed, nullptr);
    if (!served || connection_closed) break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return served;
}

}  // namespace parafeat::server
