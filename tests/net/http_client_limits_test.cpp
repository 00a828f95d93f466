// The HTTP client's limits hold against hostile servers on 127.0.0.1: the body limit is
// enforced while reading (the client gives up long before a huge reply is sent, so its
// memory stays bounded by the limit), and one deadline bounds the whole exchange
// (connect, TLS handshake, write, read) against a server that never answers or drips.
// No test asserts a duration tighter than several times the deadline.
#include <cts/net/http_client.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "net/raw_socket.hpp"

using namespace cts;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kLimit = 1024 * 1024;          // the client's body limit
constexpr std::size_t kOffered = 256 * 1024 * 1024;  // what the server would send
// Limit + what loopback socket buffers can hold (a few MiB each way), with a wide margin.
constexpr std::size_t kSentBound = kLimit + 48 * 1024 * 1024;

enum class Reply { unsized, chunked, huge_length, drip };

// Accepts one connection, reads the request head, then sends `reply`: a body of
// kOffered bytes (unsized until close, chunked, or behind a Content-Length of that
// size), or a Content-Length body one byte at a time. Stops at the first failed send
// (the client closed) and records how many body bytes went out.
class HostileServer {
 public:
  explicit HostileServer(Reply reply) : reply_(reply), fd_(test::listen_on_loopback(port_)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~HostileServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  HostileServer(const HostileServer&) = delete;
  HostileServer& operator=(const HostileServer&) = delete;

  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// Body bytes written before the client went away (or all of them).
  [[nodiscard]] std::size_t body_sent() const { return body_sent_.load(); }

 private:
  void serve() {
    const int conn = ::accept(fd_, nullptr, nullptr);
    if (conn < 0) {
      return;
    }
    std::string head;
    char c = 0;
    while (head.find("\r\n\r\n") == std::string::npos && ::recv(conn, &c, 1, 0) == 1) head.push_back(c);
    const auto send_all = [&](std::string_view bytes) {
      while (!bytes.empty()) {
        const auto n = ::send(conn, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
      }
      return true;
    };
    const std::string block(64 * 1024, 'x');
    switch (reply_) {
      case Reply::unsized: send_all("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"); break;
      case Reply::chunked: send_all("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"); break;
      case Reply::huge_length:
        send_all("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kOffered) + "\r\n\r\n");
        break;
      case Reply::drip: send_all("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n"); break;
    }
    if (reply_ == Reply::drip) {
      while (!stop_ && send_all("x")) {
        body_sent_ += 1;
        std::this_thread::sleep_for(20ms);
      }
    } else {
      while (!stop_ && body_sent_ < kOffered) {
        const bool ok = reply_ == Reply::chunked ? send_all("10000\r\n" + block + "\r\n") : send_all(block);
        if (!ok) break;
        body_sent_ += block.size();
      }
    }
    ::close(conn);
  }

  Reply reply_;
  std::uint16_t port_ = 0;  // before fd_: set while fd_ is initialised
  int fd_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> body_sent_{0};
  std::thread thread_;
};

HttpRequest get(std::string path) {
  HttpRequest r;
  r.path = std::move(path);
  return r;
}

}  // namespace

TEST_CASE("[threads] a huge reply is cut off while reading: the client stops long before it is sent") {
  for (const Reply reply : {Reply::unsized, Reply::chunked, Reply::huge_length}) {
    CAPTURE(static_cast<int>(reply));
    HostileServer server(reply);
    net::HttpClientOptions options;
    options.max_response_bytes = kLimit;
    auto r = net::HttpClient(server.url(), options).send(get("/big"));
    // What the server managed to send by the time the client gave up: a client that read
    // the whole reply would have taken all 256 MiB first.
    const std::size_t sent_at_error = server.body_sent();
    REQUIRE(!r);
    CHECK(r.error().code == ErrorCode::protocol_error);
    CHECK(r.error().message.find("exceeds") != std::string::npos);
    CHECK(sent_at_error < kSentBound);
  }
}

TEST_CASE("[threads] a reply that announces a Content-Length over the limit is refused before its body") {
  HostileServer server(Reply::huge_length);
  net::HttpClientOptions options;
  options.max_response_bytes = kLimit;
  net::HttpClient client(server.url(), options);
  auto r = client.send(get("/big"));
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::protocol_error);
  CHECK(client.stats().responses_received == 0);
}

TEST_CASE("one deadline bounds the whole exchange against a server that never answers") {
  test::SilentListener silent;  // the kernel completes the connection; nothing is ever read or written
  net::HttpClientOptions options;
  options.request_timeout = 30s;  // the per-phase limit alone would wait this long
  net::HttpClient client(fmt::format("http://127.0.0.1:{}", silent.port()), options);
  const auto start = std::chrono::steady_clock::now();
  auto r = client.send(get("/"), 300ms);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::timeout);  // written, never answered: the outcome is unknown
  CHECK(elapsed < 10s);                         // far below the 30 s phase limit
}

TEST_CASE("the deadline also bounds a TLS handshake that never completes") {
  test::SilentListener silent;
  net::HttpClientOptions options;
  options.tls_timeout = 30s;
  net::HttpClient client(fmt::format("https://127.0.0.1:{}", silent.port()), options);
  const auto start = std::chrono::steady_clock::now();
  auto r = client.send(get("/"), 300ms);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::network);  // nothing was sent
  CHECK(elapsed < 10s);
}

TEST_CASE("[threads] total_timeout bounds a server that drips its reply one byte at a time") {
  HostileServer server(Reply::drip);
  net::HttpClientOptions options;
  options.request_timeout = 30s;
  options.total_timeout = 300ms;
  net::HttpClient client(server.url(), options);
  const auto start = std::chrono::steady_clock::now();
  auto r = client.send(get("/slow"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::timeout);
  CHECK(elapsed < 10s);
}

TEST_CASE("a non-positive per-call timeout is refused before anything is sent") {
  test::SilentListener silent;
  net::HttpClient client(fmt::format("http://127.0.0.1:{}", silent.port()));
  auto r = client.send(get("/"), 0ms);
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::invalid_argument);
  CHECK(client.stats().connections_opened == 0);
}
