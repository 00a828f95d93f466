// WsClient against a WsServer over real TLS (or plain TCP) on 127.0.0.1 with an in-memory
// certificate: reconnects, resubscription, staleness, pings and backpressure end to end.
// The cases marked "(both modes)" run once with the io thread and once caller-driven.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "cts/core/error.hpp"
#include "cts/net/test_certificate.hpp"
#include "cts/net/ws_client.hpp"
#include "cts/net/ws_server.hpp"

namespace {

using namespace std::chrono_literals;
using cts::ErrorCode;
using cts::net::WsClient;
using cts::net::WsClientOptions;
using cts::net::WsConnectionId;
using cts::net::WsEvent;
using cts::net::WsServer;
using cts::net::WsServerHandlers;
using cts::net::WsServerOptions;
using cts::net::WsState;
using Kind = WsEvent::Kind;

const cts::net::TestCertificate& certificate() {
  static const auto cert = cts::net::make_test_certificate();
  return cert;
}

// A server that records what each connection sent and can echo it back.
struct TestServer {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<WsConnectionId> opened, closed;
  std::vector<std::string> targets;  // every upgrade's request target, accepted or not
  std::map<WsConnectionId, std::vector<std::string>> received;
  std::function<void(WsServer&, WsConnectionId, std::string_view)> on_message;
  std::function<void(WsServer&, WsConnectionId)> on_open;
  std::unique_ptr<WsServer> server;

  explicit TestServer(bool tls = true, WsServerOptions options = {},
                      std::optional<cts::net::TestCertificate> cert = std::nullopt) {
    if (tls) {
      const auto& c = cert ? *cert : certificate();
      options.tls = cts::net::ServerTls{c.certificate_pem, c.private_key_pem};
    }
    WsServerHandlers h;
    h.on_open = [this](WsConnectionId id, std::string_view target) {
      {
        std::unique_lock lock(mutex);
        targets.emplace_back(target);
      }
      if (target.starts_with("/refused")) return false;
      {
        std::unique_lock lock(mutex);
        opened.push_back(id);
      }
      cv.notify_all();
      if (on_open) on_open(*server, id);
      return true;
    };
    h.on_message = [this](WsConnectionId id, std::string_view message) {
      {
        std::unique_lock lock(mutex);
        received[id].emplace_back(message);
      }
      cv.notify_all();
      if (on_message) on_message(*server, id, message);
    };
    h.on_close = [this](WsConnectionId id) {
      {
        std::unique_lock lock(mutex);
        closed.push_back(id);
      }
      cv.notify_all();
    };
    server = std::make_unique<WsServer>(std::move(h), std::move(options));
  }
  ~TestServer() { server->stop(); }

  template <class Pred>
  bool wait_for(Pred pred, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, timeout, pred);
  }
  std::string url(std::string_view path = "/ws") const { return server->base_url() + std::string(path); }
};

// Runs the calling test case once per threading mode (doctest subcases: the case runs
// again for each); true for caller-driven. Call it once per case.
bool caller_driven_mode() {
  bool driven = false;
  SUBCASE("io thread") {}
  SUBCASE("caller-driven") { driven = true; }
  return driven;
}

WsClientOptions tls_options(bool caller_driven = false) {
  WsClientOptions options;
  options.caller_driven = caller_driven;
  options.ca_pem = certificate().certificate_pem;
  options.policy.backoff_base = 10ms;
  options.policy.backoff_cap = 100ms;
  return options;
}

// The next event, failing the test if none arrives within `timeout`.
WsEvent next_event(WsClient& client, std::chrono::milliseconds timeout = 10s) {
  auto event = client.wait(timeout);
  REQUIRE(event.has_value());
  return *event;
}

// Waits up to 10 s for `pred` over the server's records while the client keeps running
// and queues no event (a caller-driven client runs only inside its consumer's calls).
template <class Pred>
bool server_sees(TestServer& ts, WsClient& client, Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  for (;;) {
    {
      std::unique_lock lock(ts.mutex);
      if (pred()) return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (const auto event = client.wait(10ms)) {
      FAIL_CHECK("unexpected event of kind " << static_cast<int>(event->kind));
      return false;
    }
  }
}

}  // namespace

TEST_CASE("WsClient: echo round trip over TLS, then stop() sends a close frame (both modes) [threads]") {
  const bool driven = caller_driven_mode();
  TestServer ts;
  ts.on_message = [](WsServer& s, WsConnectionId id, std::string_view m) { s.send(id, "echo:" + std::string(m)); };
  WsClient client(ts.url("/ws/btcusdt@trade?depth=5"), tls_options(driven));
  CHECK(client.url() == ts.url("/ws/btcusdt@trade?depth=5"));
  CHECK(client.state() == WsState::disconnected);
  CHECK(client.send("early").error().code == ErrorCode::network);
  client.start();
  auto opened = next_event(client);
  REQUIRE(opened.kind == Kind::opened);
  CHECK(opened.connection == 1);
  CHECK(client.state() == WsState::open);
  REQUIRE(client.send("hello").has_value());
  auto echoed = next_event(client);
  CHECK(echoed.kind == Kind::message);
  CHECK(echoed.text == "echo:hello");
  CHECK(echoed.connection == 1);
  CHECK_FALSE(client.poll().has_value());

  client.stop();
  auto closed = next_event(client);
  CHECK(closed.kind == Kind::closed);
  CHECK_FALSE(closed.error.has_value());
  CHECK(client.state() == WsState::closed);
  REQUIRE(ts.wait_for([&] { return ts.closed.size() == 1; }));
  const auto stats = client.stats();
  CHECK(stats.connects == 1);
  CHECK(stats.failures == 0);
  CHECK(stats.messages_sent == 1);
  CHECK(stats.messages_received == 1);
  CHECK(ts.server->stats().messages_received == 1);
  client.stop();  // idempotent
  CHECK_FALSE(client.poll().has_value());
}

TEST_CASE("WsClient: a certificate for another host name fails the connection [threads]") {
  cts::net::TestCertificateNames other;
  other.dns = {"exchange.example"};
  other.ip = {};
  const auto wrong = cts::net::make_test_certificate(other);
  TestServer ts(true, {}, wrong);
  WsClientOptions options = tls_options();
  options.ca_pem = wrong.certificate_pem;  // the chain is trusted; only the name is wrong
  options.policy.max_attempts = 1;
  WsClient client(ts.url(), options);
  client.start();
  auto failed = next_event(client);
  REQUIRE(failed.kind == Kind::disconnected);
  REQUIRE(failed.error.has_value());
  CHECK(failed.error->code == ErrorCode::network);
  CHECK(failed.error->message.find("TLS handshake") != std::string::npos);
  auto closed = next_event(client);
  CHECK(closed.kind == Kind::closed);
  REQUIRE(closed.error.has_value());
  CHECK(client.state() == WsState::closed);
  CHECK(ts.server->stats().connections_accepted == 0);
  CHECK(client.stats().connects == 0);
}

TEST_CASE("WsClient: after an abrupt server drop it reconnects and resubscribes (both modes) [threads]") {
  const bool driven = caller_driven_mode();
  TestServer ts;
  std::atomic<int> hook_calls{0};
  std::atomic<bool> hook_on_consumer_thread{true};
  const std::thread::id consumer = std::this_thread::get_id();
  WsClientOptions options = tls_options(driven);
  options.subscriptions = [&] {
    ++hook_calls;
    if (std::this_thread::get_id() != consumer) hook_on_consumer_thread = false;
    return std::vector<std::string>{R"({"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1})", "second"};
  };
  WsClient client(ts.url(), options);
  client.start();
  REQUIRE(next_event(client).kind == Kind::opened);
  REQUIRE(ts.wait_for([&] { return ts.opened.size() == 1 && ts.received[ts.opened[0]].size() == 2; }));
  const WsConnectionId first = ts.opened[0];
  ts.server->close(first, true);

  auto dropped = next_event(client);
  REQUIRE(dropped.kind == Kind::disconnected);
  CHECK(dropped.connection == 1);
  REQUIRE(dropped.error.has_value());
  CHECK(dropped.error->code == ErrorCode::network);
  auto again = next_event(client);
  REQUIRE(again.kind == Kind::opened);
  CHECK(again.connection == 2);
  REQUIRE(ts.wait_for([&] { return ts.opened.size() == 2 && ts.received[ts.opened[1]].size() == 2; }));
  std::unique_lock lock(ts.mutex);
  const std::vector<std::string> expected{R"({"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1})", "second"};
  CHECK(ts.received[first] == expected);
  CHECK(ts.received[ts.opened[1]] == expected);
  CHECK(ts.opened[1] != first);
  CHECK(hook_calls == 2);
  CHECK(hook_on_consumer_thread == driven);  // caller-driven: no thread of its own
  CHECK(ts.server->stats().connections_accepted == 2);
  CHECK(client.stats().connects == 2);
  CHECK(client.stats().failures == 1);
}

TEST_CASE("WsClient: the target hook picks each connection's request target, kept out of error messages (both modes) [threads]") {
  const bool driven = caller_driven_mode();
  TestServer ts;
  std::atomic<int> connection{0};
  std::string seen_base;
  WsClientOptions options = tls_options(driven);
  options.target = [&](std::string_view url_target) {
    seen_base = url_target;  // read after stop(), when no hook runs any more
    return std::string(url_target) + "/ws?listenKey=key" + std::to_string(++connection);
  };
  WsClient client(ts.url("/private"), options);
  client.start();
  REQUIRE(next_event(client).kind == Kind::opened);
  client.drop();
  REQUIRE(next_event(client).kind == Kind::disconnected);
  REQUIRE(next_event(client).kind == Kind::opened);
  client.stop();
  {
    std::unique_lock lock(ts.mutex);
    CHECK(ts.targets == std::vector<std::string>{"/private/ws?listenKey=key1", "/private/ws?listenKey=key2"});
    CHECK(seen_base == "/private");
  }

  // A target the server refuses: the error names the URL, not the hook's target.
  WsClientOptions refused = tls_options(driven);
  refused.policy.max_attempts = 1;
  refused.target = [](std::string_view) { return std::string("/refused?listenKey=SECRET"); };
  WsClient denied(ts.url("/private"), refused);
  denied.start();
  const WsEvent failed = next_event(denied);
  REQUIRE(failed.error.has_value());
  CHECK(failed.error->message.find("SECRET") == std::string::npos);
  CHECK(failed.error->message.find("/private") != std::string::npos);
  // No hook, or an empty result: the URL's own target.
  WsClientOptions empty = tls_options(driven);
  empty.target = [](std::string_view) { return std::string(); };
  WsClient plain(ts.url("/plain"), empty);
  plain.start();
  REQUIRE(next_event(plain).kind == Kind::opened);
  std::unique_lock lock(ts.mutex);
  CHECK(ts.targets.back() == "/plain");
}

TEST_CASE("WsClient: drop() from the owner is followed by a reconnect (both modes) [threads]") {
  const bool driven = caller_driven_mode();
  TestServer ts;
  WsClient client(ts.url(), tls_options(driven));
  client.start();
  REQUIRE(next_event(client).kind == Kind::opened);
  client.drop();
  auto dropped = next_event(client);
  CHECK(dropped.kind == Kind::disconnected);
  auto again = next_event(client);
  CHECK(again.kind == Kind::opened);
  CHECK(again.connection == 2);
}

TEST_CASE("WsClient: a silent server is closed as stale and the client reconnects (both modes) [threads]") {
  const bool driven = caller_driven_mode();
  TestServer ts;
  WsClientOptions options = tls_options(driven);
  options.policy.stale_after = 200ms;
  options.policy.ping_interval = 60s;  // no pings, so no pongs either
  WsClient client(ts.url(), options);
  const auto started = std::chrono::steady_clock::now();
  client.start();
  REQUIRE(next_event(client).kind == Kind::opened);
  auto stale = next_event(client);
  REQUIRE(stale.kind == Kind::disconnected);
  REQUIRE(stale.error.has_value());
  CHECK(stale.error->code == ErrorCode::timeout);
  CHECK(std::chrono::steady_clock::now() - started >= 200ms);
  CHECK(client.stats().stale_closes == 1);
  auto again = next_event(client);
  CHECK(again.kind == Kind::opened);
  CHECK(again.connection == 2);
  REQUIRE(ts.wait_for([&] { return ts.closed.size() >= 1; }));
}

TEST_CASE("WsClient: the application ping text reaches the server; protocol pings keep the stream fresh (both modes) [threads]") {
  const bool driven = caller_driven_mode();
  TestServer ts;
  WsClientOptions options = tls_options(driven);
  options.policy.ping_interval = 50ms;
  options.policy.application_ping = R"({"op":"ping"})";
  WsClient client(ts.url(), options);
  client.start();
  REQUIRE(next_event(client).kind == Kind::opened);
  REQUIRE(server_sees(ts, client, [&] { return ts.opened.size() == 1 && ts.received[ts.opened[0]].size() >= 2; }));
  {
    std::unique_lock lock(ts.mutex);
    CHECK(ts.received[ts.opened[0]][0] == R"({"op":"ping"})");
    CHECK(ts.received[ts.opened[0]][1] == R"({"op":"ping"})");
  }
  CHECK(client.stats().pings_sent >= 1);  // counted when the write completes, maybe after the server saw it
  CHECK(client.stats().messages_sent == 0);
  client.stop();

  // Protocol pings: the server's pongs count as traffic, so a stream with no data
  // messages stays open well past stale_after.
  WsClientOptions protocol = tls_options(driven);
  protocol.policy.ping_interval = 50ms;
  protocol.policy.stale_after = 400ms;
  WsClient pinging(ts.url(), protocol);
  pinging.start();
  REQUIRE(next_event(pinging).kind == Kind::opened);
  CHECK_FALSE(pinging.wait(1200ms).has_value());
  CHECK(pinging.stats().pings_sent >= 3);
  CHECK(pinging.stats().stale_closes == 0);
}

TEST_CASE("WsClient: backpressure pauses reading and loses nothing [threads]") {
  TestServer ts(false);
  constexpr int kMessages = 10'000;
  ts.on_message = [](WsServer& s, WsConnectionId id, std::string_view m) {
    if (m != "go") return;
    for (int i = 0; i < kMessages; ++i) s.send(id, std::to_string(i));
  };
  WsClientOptions options;
  options.max_queued_messages = 100;
  options.policy.stale_after = 200ms;
  options.policy.ping_interval = 60s;
  WsClient client(ts.url(), options);
  client.start();
  REQUIRE(next_event(client).kind == Kind::opened);
  REQUIRE(client.send("go").has_value());
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (client.stats().backpressure_pauses == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  REQUIRE(client.stats().backpressure_pauses > 0);
  std::this_thread::sleep_for(600ms);  // the consumer is away far longer than stale_after
  CHECK(client.stats().messages_received <= 100);
  for (int i = 0; i < kMessages; ++i) {
    auto event = next_event(client);
    REQUIRE(event.kind == Kind::message);
    REQUIRE(event.text == std::to_string(i));
  }
  const auto stats = client.stats();
  CHECK(stats.messages_received == kMessages);
  CHECK(stats.stale_closes == 0);
  CHECK(stats.connects == 1);
  CHECK(stats.paused_for >= 500ms);
  CHECK_FALSE(client.poll().has_value());
}

TEST_CASE("WsClient: an oversize message closes the connection as a protocol error (both modes) [threads]") {
  const bool driven = caller_driven_mode();
  TestServer ts;
  ts.on_open = [](WsServer& s, WsConnectionId id) { s.send(id, std::string(2000, 'x')); };
  WsClientOptions options = tls_options(driven);
  options.max_message_bytes = 1000;
  options.policy.max_attempts = 1;
  WsClient client(ts.url(), options);
  client.start();
  REQUIRE(next_event(client).kind == Kind::opened);
  auto failed = next_event(client);
  REQUIRE(failed.kind == Kind::disconnected);
  REQUIRE(failed.error.has_value());
  INFO(failed.error->message);
  CHECK(failed.error->code == ErrorCode::protocol_error);
  CHECK(next_event(client).kind == Kind::closed);
  REQUIRE(ts.wait_for([&] { return ts.closed.size() == 1; }));
}

TEST_CASE("WsClient: a refused target is a failed attempt (both modes) [threads]") {
  const bool driven = caller_driven_mode();
  TestServer ts;
  WsClientOptions options = tls_options(driven);
  options.policy.max_attempts = 2;
  WsClient client(ts.url("/refused"), options);
  client.start();
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto failed = next_event(client);
    REQUIRE(failed.kind == Kind::disconnected);
    REQUIRE(failed.error.has_value());
    CHECK(failed.error->code == ErrorCode::network);
  }
  CHECK(next_event(client).kind == Kind::closed);
  CHECK(client.stats().connects == 0);
  CHECK(client.stats().failures == 2);
  CHECK(ts.server->stats().connections_refused == 2);
}

TEST_CASE("WsClient: nothing listening, then stop() during backoff (both modes) [threads]") {
  const bool driven = caller_driven_mode();
  std::uint16_t port = 0;
  {
    TestServer gone(false);
    port = gone.server->port();
  }
  WsClientOptions options;
  options.caller_driven = driven;
  options.policy.backoff_base = 50ms;
  WsClient client("ws://127.0.0.1:" + std::to_string(port) + "/ws", options);
  client.start();
  auto failed = next_event(client);
  REQUIRE(failed.kind == Kind::disconnected);
  CHECK(failed.error->code == ErrorCode::network);
  client.stop();
  WsEvent last = failed;
  while (auto e = client.poll()) last = *e;
  CHECK(last.kind == Kind::closed);
}

TEST_CASE("WsClient: malformed URLs and CA certificates are rejected up front") {
  CHECK_THROWS_AS(WsClient("http://127.0.0.1/ws"), cts::Exception);
  CHECK_THROWS_AS(WsClient("ws://"), cts::Exception);
  CHECK_THROWS_AS(WsClient("ws://host:99999/"), cts::Exception);
  CHECK_THROWS_AS(WsClient("ws://user@host/"), cts::Exception);
  WsClientOptions bad;
  bad.ca_pem = "not a certificate";
  CHECK_THROWS_AS(WsClient("wss://127.0.0.1:1/", bad), cts::Exception);
  WsClient never("wss://stream.binance.com:9443/ws");
  CHECK(never.state() == WsState::disconnected);
  never.stop();
  CHECK(never.poll()->kind == Kind::closed);
}
