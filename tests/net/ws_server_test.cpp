// WsServer against a hand-written RFC 6455 peer on a raw socket: the frames on the wire
// are built and checked byte by byte here, independently of Beast.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "cts/core/error.hpp"
#include "cts/net/ws_server.hpp"

namespace {

using namespace std::chrono_literals;
using cts::net::WsConnectionId;
using cts::net::WsServer;
using cts::net::WsServerHandlers;
using cts::net::WsServerOptions;

// A WebSocket client speaking raw frames over a blocking socket (reads time out after 10 s).
class RawWs {
 public:
  struct Frame {
    int opcode = -1;  // -1: the connection ended (see `error`)
    std::string payload;
    int error = 0;    // errno of the failed recv, 0 for an orderly end
    bool fin = true;
  };

  explicit RawWs(std::uint16_t port, int receive_buffer = 0) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  }
  ~RawWs() { ::close(fd_); }
  RawWs(const RawWs&) = delete;
  RawWs& operator=(const RawWs&) = delete;

  // Sends the RFC 6455 section 1.3 example handshake; returns the response head.
  std::string handshake(const std::string& target) {
    send_bytes("GET " + target +
               " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    std::string head;
    char c = 0;
    while (head.find("\r\n\r\n") == std::string::npos && ::recv(fd_, &c, 1, 0) == 1) head += c;
    return head;
  }

  // A masked client frame (RFC 6455 5.2, 5.3).
  void send_frame(int opcode, const std::string& payload, bool fin = true) {
    std::string frame;
    frame += static_cast<char>((fin ? 0x80 : 0x00) | opcode);
    const std::size_t n = payload.size();
    if (n < 126) {
      frame += static_cast<char>(0x80 | n);
    } else if (n < 65536) {
      frame += static_cast<char>(0x80 | 126);
      frame += static_cast<char>(n >> 8);
      frame += static_cast<char>(n & 0xff);
    } else {
      frame += static_cast<char>(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) frame += static_cast<char>((n >> shift) & 0xff);
    }
    const unsigned char mask[4] = {0x37, 0xfa, 0x21, 0x3d};
    for (unsigned char m : mask) frame += static_cast<char>(m);
    for (std::size_t i = 0; i < n; ++i) frame += static_cast<char>(payload[i] ^ static_cast<char>(mask[i % 4]));
    send_bytes(frame);
  }

  // One message: a data frame and its continuations (RFC 6455 5.4), or one control frame.
  Frame read_frame() {
    Frame first = read_one();
    while (first.opcode >= 0 && first.opcode < 0x8 && !first.fin) {
      Frame next = read_one();
      if (next.opcode != 0x0) return next;
      first.payload += next.payload;
      first.fin = next.fin;
    }
    return first;
  }

  // Closes our side of the TCP connection (after the close handshake, as a client should).
  void close_socket() { ::shutdown(fd_, SHUT_RDWR); }

  Frame read_one() {
    Frame out;
    unsigned char head[2];
    if (!read_exact(head, 2, out)) return out;
    std::uint64_t n = head[1] & 0x7f;
    if (n >= 126) {
      unsigned char ext[8];
      const std::size_t bytes = n == 126 ? 2 : 8;
      if (!read_exact(ext, bytes, out)) return out;
      n = 0;
      for (std::size_t i = 0; i < bytes; ++i) n = (n << 8) | ext[i];
    }
    std::string payload(n, '\0');
    if (n > 0 && !read_exact(payload.data(), n, out)) return out;
    out.opcode = head[0] & 0x0f;
    out.fin = (head[0] & 0x80) != 0;
    out.payload = std::move(payload);
    return out;
  }

  // Everything until the peer closes.
  std::string read_rest() {
    std::string out;
    char buf[4096];
    for (;;) {
      const auto n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }

  void send_bytes(const std::string& bytes) { (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

 private:
  bool read_exact(void* into, std::size_t n, Frame& failed) {
    auto* p = static_cast<char*>(into);
    while (n > 0) {
      const auto got = ::recv(fd_, p, n, 0);
      if (got <= 0) {
        failed.error = got < 0 ? errno : 0;
        return false;
      }
      p += got;
      n -= static_cast<std::size_t>(got);
    }
    return true;
  }

  int fd_;
};

// What the handlers saw, for the test thread.
struct Recorder {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::string> targets;
  std::vector<std::string> messages;
  std::vector<WsConnectionId> opened, closed;

  template <class Pred>
  bool wait_for(Pred pred, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, timeout, pred);
  }
};

WsServerHandlers recording(Recorder& r, WsServer** server_slot = nullptr, bool echo = false) {
  WsServerHandlers h;
  h.on_open = [&r](WsConnectionId id, std::string_view target) {
    std::unique_lock lock(r.mutex);
    r.targets.emplace_back(target);
    r.opened.push_back(id);
    r.cv.notify_all();
    return target != "/refused";
  };
  h.on_message = [&r, server_slot, echo](WsConnectionId id, std::string_view message) {
    if (echo && server_slot != nullptr && *server_slot != nullptr) (*server_slot)->send(id, std::string(message));
    std::unique_lock lock(r.mutex);
    r.messages.emplace_back(message);
    r.cv.notify_all();
  };
  h.on_close = [&r](WsConnectionId id) {
    std::unique_lock lock(r.mutex);
    r.closed.push_back(id);
    r.cv.notify_all();
  };
  return h;
}

// RFC 6455 section 1.3: the accept value for the key "dGhlIHNhbXBsZSBub25jZQ==".
constexpr std::string_view kExampleAccept = "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

std::uint16_t close_code(const std::string& payload) {
  REQUIRE(payload.size() >= 2);
  return static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]));
}

}  // namespace

TEST_CASE("WsServer: upgrade, echo, ping answered, client close [threads]") {
  Recorder r;
  WsServer* slot = nullptr;
  WsServer server(recording(r, &slot, true));
  slot = &server;
  CHECK(server.base_url() == "ws://127.0.0.1:" + std::to_string(server.port()));
  {
    RawWs peer(server.port());
    const std::string head = peer.handshake("/ws/btcusdt@trade?x=1");
    CHECK(head.starts_with("HTTP/1.1 101"));
    CHECK(head.find(kExampleAccept) != std::string::npos);
    REQUIRE(r.wait_for([&] { return r.targets.size() == 1; }));
    CHECK(r.targets[0] == "/ws/btcusdt@trade?x=1");

    peer.send_frame(0x1, "hello");
    auto echo = peer.read_frame();
    CHECK(echo.opcode == 0x1);
    CHECK(echo.payload == "hello");

    const std::string big(70'000, 'z');  // 64-bit length form
    peer.send_frame(0x1, big);
    echo = peer.read_frame();
    CHECK(echo.payload == big);

    peer.send_frame(0x9, "are you there");
    const auto pong = peer.read_frame();
    CHECK(pong.opcode == 0xA);
    CHECK(pong.payload == "are you there");

    peer.send_frame(0x8, std::string("\x03\xe8", 2));  // close 1000
    const auto closing = peer.read_frame();
    CHECK(closing.opcode == 0x8);
    CHECK(peer.read_frame().opcode == -1);  // the server shuts its side down
  }
  REQUIRE(r.wait_for([&] { return r.closed.size() == 1; }));
  CHECK(r.closed[0] == r.opened[0]);
  CHECK(r.messages == std::vector<std::string>{"hello", std::string(70'000, 'z')});
  const auto stats = server.stats();
  CHECK(stats.connections_accepted == 1);
  CHECK(stats.messages_received == 2);
  CHECK(stats.messages_sent == 2);
  CHECK(stats.open_connections == 0);
  CHECK_FALSE(server.send(r.opened[0], "late"));
}

TEST_CASE("WsServer: a refused target gets 404 and no on_close; not an upgrade gets 400 [threads]") {
  Recorder r;
  WsServer server(recording(r));
  {
    RawWs peer(server.port());
    CHECK(peer.handshake("/refused").starts_with("HTTP/1.1 404"));
  }
  {
    RawWs peer(server.port());
    peer.send_bytes("GET /plain HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    CHECK(peer.read_rest().starts_with("HTTP/1.1 400"));
  }
  server.stop();
  CHECK(server.stats().connections_refused == 2);
  CHECK(server.stats().connections_accepted == 0);
  CHECK(r.closed.empty());
  CHECK(r.targets == std::vector<std::string>{"/refused"});
}

TEST_CASE("WsServer: graceful close sends the queued messages, then the close code and reason [threads]") {
  Recorder r;
  WsServer server(recording(r));
  RawWs peer(server.port());
  REQUIRE(peer.handshake("/s").starts_with("HTTP/1.1 101"));
  REQUIRE(r.wait_for([&] { return r.opened.size() == 1; }));
  const WsConnectionId id = r.opened[0];
  CHECK(server.send(id, "a"));
  CHECK(server.send(id, "b"));
  server.close(id, false, 4000, "bye");
  CHECK_FALSE(server.send(id, "after close"));
  CHECK(peer.read_frame().payload == "a");
  CHECK(peer.read_frame().payload == "b");
  const auto closing = peer.read_frame();
  REQUIRE(closing.opcode == 0x8);
  CHECK(close_code(closing.payload) == 4000);
  CHECK(closing.payload.substr(2) == "bye");
  peer.send_frame(0x8, closing.payload.substr(0, 2));
  CHECK(peer.read_frame().opcode == -1);  // then the server shuts TCP down
  peer.close_socket();
  REQUIRE(r.wait_for([&] { return r.closed.size() == 1; }));
  server.close(12345);                    // unknown ids are ignored
}

TEST_CASE("WsServer: abrupt close resets the TCP connection without a close frame [threads]") {
  Recorder r;
  WsServer server(recording(r));
  RawWs peer(server.port());
  REQUIRE(peer.handshake("/s").starts_with("HTTP/1.1 101"));
  REQUIRE(r.wait_for([&] { return r.opened.size() == 1; }));
  server.close(r.opened[0], true);
  const auto end = peer.read_frame();
  CHECK(end.opcode == -1);
  CHECK(end.error == ECONNRESET);
  REQUIRE(r.wait_for([&] { return r.closed.size() == 1; }));
}

TEST_CASE("WsServer: abrupt close while a large write is in flight keeps the buffer alive and the server serving [threads]") {
  Recorder r;
  WsServer server(recording(r));
  for (int round = 0; round < 3; ++round) {
    RawWs peer(server.port(), 4096);  // a small window: the write below cannot complete
    REQUIRE(peer.handshake("/s").starts_with("HTTP/1.1 101"));
    REQUIRE(r.wait_for([&] { return r.opened.size() == static_cast<std::size_t>(round + 1); }));
    const WsConnectionId id = r.opened.back();
    CHECK(server.send(id, std::string(2u << 20, 'x')));  // in flight: the peer does not read
    CHECK(server.send(id, "queued behind it"));
    std::this_thread::sleep_for(20ms);
    server.close(id, true);
    REQUIRE(r.wait_for([&] { return r.closed.size() == static_cast<std::size_t>(round + 1); }));
  }
  RawWs fresh(server.port());
  REQUIRE(fresh.handshake("/s").starts_with("HTTP/1.1 101"));
  REQUIRE(r.wait_for([&] { return r.opened.size() == 4; }));
  CHECK(server.send(r.opened.back(), "still serving"));
  CHECK(fresh.read_frame().payload == "still serving");
}

TEST_CASE("WsServer: an oversize message closes the connection with 1009 [threads]") {
  Recorder r;
  WsServerOptions options;
  options.max_message_bytes = 1000;
  WsServer server(recording(r), options);
  RawWs peer(server.port());
  REQUIRE(peer.handshake("/s").starts_with("HTTP/1.1 101"));
  peer.send_frame(0x1, std::string(1000, 'a'));
  peer.send_frame(0x1, std::string(1001, 'b'));
  const auto closing = peer.read_frame();
  REQUIRE(closing.opcode == 0x8);
  CHECK(close_code(closing.payload) == 1009);
  peer.send_frame(0x8, closing.payload.substr(0, 2));
  peer.close_socket();
  REQUIRE(r.wait_for([&] { return r.closed.size() == 1; }));
  CHECK(r.messages == std::vector<std::string>{std::string(1000, 'a')});
}

TEST_CASE("WsServer: a peer that stops reading is closed as a slow consumer [threads]") {
  Recorder r;
  WsServerOptions options;
  options.max_queued_bytes = 256 * 1024;
  options.handshake_timeout = 1000ms;
  WsServer server(recording(r), options);
  RawWs peer(server.port(), 4096);
  REQUIRE(peer.handshake("/s").starts_with("HTTP/1.1 101"));
  REQUIRE(r.wait_for([&] { return r.opened.size() == 1; }));
  const WsConnectionId id = r.opened[0];
  const std::string chunk(16 * 1024, 'x');
  bool refused = false;
  // The kernel buffers take a few MB at most; 64 MB cannot all fit.
  for (int i = 0; i < 4096 && !refused; ++i) {
    refused = !server.send(id, chunk);
    if (i % 64 == 0) std::this_thread::sleep_for(1ms);
  }
  CHECK(refused);
  REQUIRE(r.wait_for([&] { return r.closed.size() == 1; }));
  CHECK(server.stats().slow_consumers == 1);
  CHECK_FALSE(server.send(id, "x"));
}

TEST_CASE("WsServer: stop() closes open connections, calls on_close and joins [threads]") {
  Recorder r;
  auto server = std::make_unique<WsServer>(recording(r));
  RawWs a(server->port());
  RawWs b(server->port());
  REQUIRE(a.handshake("/a").starts_with("HTTP/1.1 101"));
  REQUIRE(b.handshake("/b").starts_with("HTTP/1.1 101"));
  RawWs half(server->port());  // connected, never upgrades
  REQUIRE(r.wait_for([&] { return r.opened.size() == 2; }));
  server->stop();
  CHECK(r.closed.size() == 2);
  CHECK(a.read_frame().opcode == -1);
  server->stop();  // idempotent
  server.reset();
}

TEST_CASE("WsServer: close_all and sends from on_open [threads]") {
  Recorder r;
  WsServer* slot = nullptr;
  WsServerHandlers h = recording(r);
  auto inner_open = h.on_open;
  h.on_open = [&](WsConnectionId id, std::string_view target) {
    const bool ok = inner_open(id, target);
    if (ok) slot->send(id, "welcome");
    return ok;
  };
  WsServer server(h);
  slot = &server;
  RawWs a(server.port());
  REQUIRE(a.handshake("/a").starts_with("HTTP/1.1 101"));
  CHECK(a.read_frame().payload == "welcome");
  server.close_all();
  const auto closing = a.read_frame();
  REQUIRE(closing.opcode == 0x8);
  CHECK(close_code(closing.payload) == 1000);
}

TEST_CASE("WsServer: a binary send goes out as a binary frame (opcode 2), a text one as text [threads]") {
  Recorder r;
  WsServer server(recording(r));
  RawWs peer(server.port());
  REQUIRE(peer.handshake("/b").starts_with("HTTP/1.1 101"));
  REQUIRE(r.wait_for([&] { return r.opened.size() == 1; }));
  const std::string bytes("\x1f\x8b\x08\x00\xff", 5);  // not UTF-8: only a binary frame may carry it
  REQUIRE(server.send(r.opened[0], bytes, true));
  REQUIRE(server.send(r.opened[0], "text"));
  const auto binary = peer.read_frame();
  CHECK(binary.opcode == 0x2);
  CHECK(binary.payload == bytes);
  const auto text = peer.read_frame();
  CHECK(text.opcode == 0x1);
  CHECK(text.payload == "text");
}

TEST_CASE("WsServer: an occupied port is a network exception [threads]") {
  WsServer first(WsServerHandlers{});
  WsServerOptions options;
  options.port = first.port();
  CHECK_THROWS_AS(WsServer(WsServerHandlers{}, options), cts::Exception);
}
