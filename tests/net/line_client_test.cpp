// Tests for cts/net/line_client.hpp on loopback: lines and writes against a scripted
// POSIX peer, the line limit, timeouts (a peer that never speaks), refused connections.
// TLS through a LineClient (implicit and STARTTLS, certificate refusal) is exercised by
// the SMTP transport's tests (tests/health/smtp_transport_test.cpp).
#include <cts/net/line_client.hpp>

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "net/raw_socket.hpp"

using namespace cts;
using namespace std::chrono_literals;

namespace {

SteadyTime in(Nanos d) { return std::chrono::steady_clock::now() + d; }

// Accepts one connection on 127.0.0.1, sends `greeting`, reads until "QUIT\r\n" arrives
// (keeping what it read), sends `farewell`, and closes.
class ScriptedPeer {
 public:
  ScriptedPeer(std::string greeting, std::string farewell) {
    thread_ = std::thread([this, greeting = std::move(greeting), farewell = std::move(farewell)] {
      const int peer = ::accept(listener_.fd(), nullptr, nullptr);
      timeval tv{10, 0};
      ::setsockopt(peer, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
      (void)::send(peer, greeting.data(), greeting.size(), MSG_NOSIGNAL);
      char buf[256];
      while (received_.find("QUIT\r\n") == std::string::npos) {
        const auto n = ::recv(peer, buf, sizeof(buf), 0);
        if (n <= 0) break;
        received_.append(buf, static_cast<std::size_t>(n));
      }
      (void)::send(peer, farewell.data(), farewell.size(), MSG_NOSIGNAL);
      ::close(peer);
    });
  }
  ~ScriptedPeer() {
    if (thread_.joinable()) thread_.join();
  }
  ScriptedPeer(const ScriptedPeer&) = delete;
  ScriptedPeer& operator=(const ScriptedPeer&) = delete;

  [[nodiscard]] std::string port() const { return std::to_string(listener_.port()); }
  // What the peer read (call after the exchange ended).
  std::string received() {
    thread_.join();
    return received_;
  }

 private:
  test::SilentListener listener_;  // accepted on by the thread
  std::thread thread_;
  std::string received_;
};

}  // namespace

TEST_CASE("line client: lines in order without CRLF, writes arrive whole, then the peer's close [threads]") {
  ScriptedPeer peer("220 ready\r\n250-one\r\n250 two\r\n", "221 bye\r\n");
  net::LineClient line(in(30s));
  REQUIRE(line.connect("127.0.0.1", peer.port(), 10s).has_value());
  CHECK(line.is_open());
  CHECK_FALSE(line.secure());
  CHECK(line.read_line(4096, 10s).value() == "220 ready");
  CHECK(line.read_line(4096, 10s).value() == "250-one");
  CHECK(line.read_line(4096, 10s).value() == "250 two");
  REQUIRE(line.write("EHLO x\r\nQUIT\r\n", 10s).has_value());
  CHECK(line.read_line(4096, 10s).value() == "221 bye");
  const auto closed = line.read_line(4096, 10s);
  REQUIRE_FALSE(closed.has_value());
  CHECK(closed.error().code == ErrorCode::network);
  CHECK(peer.received() == "EHLO x\r\nQUIT\r\n");
}

TEST_CASE("line client: no CRLF within the limit is a protocol error [threads]") {
  ScriptedPeer peer(std::string(100, 'x') + "\r\n", "");
  net::LineClient line(in(30s));
  REQUIRE(line.connect("127.0.0.1", peer.port(), 10s).has_value());
  const auto long_line = line.read_line(50, 10s);
  REQUIRE_FALSE(long_line.has_value());
  CHECK(long_line.error().code == ErrorCode::protocol_error);
  (void)line.write("QUIT\r\n", 10s);
}

TEST_CASE("line client: a peer that never speaks times out, and the connection is closed") {
  test::SilentListener silent;
  net::LineClient line(in(30s));
  REQUIRE(line.connect("127.0.0.1", std::to_string(silent.port()), 10s).has_value());
  const auto nothing = line.read_line(4096, 100ms);
  REQUIRE_FALSE(nothing.has_value());
  CHECK(nothing.error().code == ErrorCode::timeout);
  CHECK_FALSE(line.is_open());
}

TEST_CASE("line client: the overall deadline cuts a step's own timeout short") {
  test::SilentListener silent;
  net::LineClient line(in(30s));
  REQUIRE(line.connect("127.0.0.1", std::to_string(silent.port()), 10s).has_value());
  line.shorten_deadline(in(0s));
  line.shorten_deadline(in(1h));  // never later than it was
  const auto nothing = line.read_line(4096, 1h);
  REQUIRE_FALSE(nothing.has_value());
  CHECK(nothing.error().code == ErrorCode::timeout);
}

TEST_CASE("line client: a refused connection is a network error") {
  int port = 0;
  {
    test::SilentListener closed_again;  // a port that was free a moment ago and is closed now
    port = closed_again.port();
  }
  net::LineClient line(in(30s));
  const auto refused = line.connect("127.0.0.1", std::to_string(port), 10s);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::network);
}
