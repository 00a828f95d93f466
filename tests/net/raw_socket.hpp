#pragma once
// A minimal blocking POSIX TCP client for tests that must send bytes an HttpClient never
// would (garbage, half requests) or hold a connection open without speaking.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace cts::test {

class RawSocket {
 public:
  /// Connects to 127.0.0.1:port; reads time out after 10 s so a bug cannot hang a test.
  explicit RawSocket(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawSocket() { ::close(fd_); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  [[nodiscard]] bool connected() const { return connected_; }
  void send(std::string_view bytes) { (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }
  /// Everything until the peer closes (or 10 s pass).
  std::string read_all() {
    std::string out;
    char buf[4096];
    for (;;) {
      const auto n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

/// A listening TCP socket on 127.0.0.1 at a port the kernel chooses; returns the
/// descriptor and stores the port.
inline int listen_on_loopback(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  ::listen(fd, 16);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

/// A TCP listener on 127.0.0.1 that never accepts: the kernel completes connections into
/// the backlog, and nothing ever speaks on them (for handshake timeouts).
class SilentListener {
 public:
  SilentListener() : fd_(listen_on_loopback(port_)) {}
  ~SilentListener() { ::close(fd_); }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  [[nodiscard]] std::uint16_t port() const { return port_; }
  /// The listening socket, for a test that accepts on it itself.
  [[nodiscard]] int fd() const { return fd_; }

 private:
  std::uint16_t port_ = 0;  // before fd_: set while fd_ is initialised
  int fd_;
};

}  // namespace cts::test
