// Tests for cts/net/http_client.hpp against an HttpServer on 127.0.0.1, plain and over
// real TLS with an in-memory certificate.
#include <cts/net/http_client.hpp>
#include <cts/net/http_server.hpp>
#include <cts/net/test_certificate.hpp>

#include <atomic>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "net/raw_socket.hpp"

using namespace cts;
using namespace std::chrono_literals;

namespace {

// Echoes what it received so tests can check the bytes the client put on the wire.
HttpResponse echo(const HttpRequest& r) {
  HttpResponse out;
  out.status = r.path == "/teapot" ? 418 : 200;
  out.headers.push_back({"Content-Type", "text/plain"});
  out.headers.push_back({"X-Echo-Host", std::string(r.header("Host").value_or(""))});
  out.body = std::string(to_string(r.method)) + " " + r.path + "?" + r.query + " " + r.body + " key=" +
             std::string(r.header("X-MBX-APIKEY").value_or("-"));
  return out;
}

HttpRequest get(std::string path, std::string query = {}) {
  HttpRequest r;
  r.path = std::move(path);
  r.query = std::move(query);
  return r;
}

struct TlsFixture {
  net::TestCertificate cert = net::make_test_certificate();
  net::HttpServer server{echo, options()};
  net::HttpServerOptions options() const {
    net::HttpServerOptions o;
    o.tls = net::ServerTls{cert.certificate_pem, cert.private_key_pem};
    return o;
  }
  net::HttpClientOptions trusting() const {
    net::HttpClientOptions o;
    o.ca_pem = cert.certificate_pem;
    return o;
  }
  std::string url(std::string_view host = "localhost") const { return fmt::format("https://{}:{}", host, server.port()); }
};

}  // namespace

TEST_CASE("plain HTTP: requests reuse one keep-alive connection, any status is a response") {
  net::HttpServer server(echo);
  net::HttpClient client(server.base_url());
  HttpRequest post;
  post.method = HttpMethod::post;
  post.path = "/api/v3/order";
  post.query = "symbol=BTCUSDT";
  post.body = "a=1";
  post.set_header("X-MBX-APIKEY", "k");
  auto a = client.send(post);
  REQUIRE(a);
  CHECK(a->status == 200);
  CHECK(a->body == "POST /api/v3/order?symbol=BTCUSDT a=1 key=k");
  CHECK(a->header("x-echo-host").value() == "127.0.0.1:" + std::to_string(server.port()));
  auto b = client.send(get("/teapot"));
  REQUIRE(b);
  CHECK(b->status == 418);
  auto c = client.send(get("/x", "q=2"));
  REQUIRE(c);
  CHECK(c->body == "GET /x?q=2  key=-");
  CHECK(client.stats().connections_opened == 1);
  CHECK(client.stats().responses_received == 3);
  CHECK(server.stats().connections_accepted == 1);
  CHECK(server.stats().requests_handled == 3);
}

TEST_CASE("a base URL path is a prefix; malformed URLs are configuration errors") {
  net::HttpServer server(echo);
  net::HttpClient client(server.base_url() + "/prefix/");
  auto r = client.send(get("/api/v3/ping"));
  REQUIRE(r);
  CHECK(r->body == "GET /prefix/api/v3/ping?  key=-");
  CHECK_THROWS_AS(net::HttpClient("ftp://127.0.0.1"), Exception);
  CHECK_THROWS_AS(net::HttpClient("http://"), Exception);
  CHECK_THROWS_AS(net::HttpClient("http://127.0.0.1:99999"), Exception);
  CHECK_THROWS_AS(net::HttpClient("http://127.0.0.1:12ab"), Exception);
  CHECK_THROWS_AS(net::HttpClient("https://127.0.0.1", {.ca_pem = "garbage"}), Exception);
}

TEST_CASE("header injection is refused before anything is sent") {
  net::HttpServer server(echo);
  net::HttpClient client(server.base_url());
  HttpRequest r = get("/x");
  r.set_header("X-Evil", "a\r\nX-Injected: 1");
  auto result = client.send(r);
  REQUIRE(!result);
  CHECK(result.error().code == ErrorCode::invalid_argument);
  CHECK(server.stats().connections_accepted == 0);
}

TEST_CASE("TLS on loopback: verified by host name, SNI, keep-alive reuse") {
  TlsFixture f;
  net::HttpClient client(f.url(), f.trusting());
  for (int i = 0; i < 3; ++i) {
    auto r = client.send(get("/api/v3/ping"));
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  CHECK(client.stats().connections_opened == 1);
  CHECK(f.server.stats().connections_accepted == 1);
  net::HttpClient by_ip(f.url("127.0.0.1"), f.trusting());
  auto r = by_ip.send(get("/"));
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("TLS: a certificate for another host name is refused as not sent") {
  const auto other = net::make_test_certificate({{"api.binance.com"}, {}});
  net::HttpServerOptions options;
  options.tls = net::ServerTls{other.certificate_pem, other.private_key_pem};
  net::HttpServer server(echo, options);
  net::HttpClientOptions trust;
  trust.ca_pem = other.certificate_pem;
  net::HttpClient client(fmt::format("https://localhost:{}", server.port()), trust);
  auto r = client.send(get("/"));
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::network);
  CHECK(r.error().message.find("TLS handshake") != std::string::npos);
  CHECK(server.stats().requests_handled == 0);
}

TEST_CASE("TLS: an untrusted certificate is refused; verification is on by default") {
  TlsFixture f;
  net::HttpClient client(f.url());  // system trust store only
  auto r = client.send(get("/"));
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::network);
  CHECK(f.server.stats().requests_handled == 0);
}

TEST_CASE("connection refused is network (not sent)") {
  std::uint16_t port = 0;
  {
    net::HttpServer server(echo);
    port = server.port();
  }
  net::HttpClient client(fmt::format("http://127.0.0.1:{}", port));
  auto r = client.send(get("/"));
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::network);
  CHECK(!outcome_may_be_unknown(r.error().code));
}

TEST_CASE("TLS handshake timeout is network (not sent)") {
  test::SilentListener silent;
  net::HttpClientOptions options;
  options.tls_timeout = 200ms;
  net::HttpClient client(fmt::format("https://127.0.0.1:{}", silent.port()), options);
  auto r = client.send(get("/"));
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::network);
  CHECK(r.error().message.find("timed out") != std::string::npos);
}

TEST_CASE("request timeout after sending is timeout (outcome unknown)") {
  net::HttpServer server([](const HttpRequest&) { return net::ServerReply{echo(HttpRequest{}), net::ReplyAction::respond, 5s}; });
  net::HttpClientOptions options;
  options.request_timeout = 200ms;
  net::HttpClient client(server.base_url(), options);
  auto r = client.send(get("/"));
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::timeout);
  CHECK(outcome_may_be_unknown(r.error().code));
}

TEST_CASE("a reply dropped or reset after the request was read is unknown_outcome") {
  std::atomic<net::ReplyAction> action{net::ReplyAction::drop};  // written here, read on the io thread
  net::HttpServer server([&](const HttpRequest&) { return net::ServerReply{HttpResponse{}, action.load()}; });
  net::HttpClient client(server.base_url());
  HttpRequest post = get("/api/v3/order");
  post.method = HttpMethod::post;
  auto dropped = client.send(post);
  REQUIRE(!dropped);
  CHECK(dropped.error().code == ErrorCode::unknown_outcome);
  action = net::ReplyAction::reset;
  auto reset = client.send(post);
  REQUIRE(!reset);
  CHECK(reset.error().code == ErrorCode::unknown_outcome);
  CHECK(server.stats().requests_handled == 2);
}

TEST_CASE("a keep-alive connection the server closed is not reused") {
  net::HttpServerOptions options;
  options.idle_timeout = 100ms;
  net::HttpServer server(echo, options);
  net::HttpClient client(server.base_url());
  REQUIRE(client.send(get("/a")));
  // Wait (generously) until the server has closed the idle connection.
  for (int i = 0; i < 100; ++i) {
    std::this_thread::sleep_for(250ms);
    HttpRequest probe = get("/b");
    probe.method = HttpMethod::post;
    auto r = client.send(probe);
    REQUIRE(r);  // a POST must never meet the stale connection
    if (client.stats().connections_opened >= 2) break;
  }
  CHECK(client.stats().connections_opened >= 2);
}

TEST_CASE("a GET whose reused connection closed without a reply is resent once, after the gate agrees; a POST or DELETE never") {
  // The server executes (counts) every request it reads; an armed drop closes the
  // connection instead of replying, as a venue that counted the request and then closed
  // its idle connection would.
  std::mutex mutex;  // the handler runs on the server's io thread
  std::map<std::string, int> handled;
  int drops_armed = 0;
  net::HttpServer server([&](const HttpRequest& r) {
    std::lock_guard lock(mutex);
    ++handled[std::string(to_string(r.method)) + " " + r.path];
    if (drops_armed > 0) {
      --drops_armed;
      return net::ServerReply{HttpResponse{}, net::ReplyAction::drop};
    }
    return net::ServerReply{echo(r)};
  });
  const auto arm_drop = [&] {
    std::lock_guard lock(mutex);
    drops_armed = 1;
  };
  const auto handled_of = [&](const std::string& key) {
    std::lock_guard lock(mutex);
    return handled[key];
  };
  net::HttpClient client(server.base_url());
  int gate_calls = 0;
  bool gate_allows = true;
  const net::ResendGate gate = [&] {
    ++gate_calls;
    return gate_allows;
  };
  REQUIRE(client.send(get("/warm")));  // the connection every next send reuses

  SUBCASE("the gate agrees: the GET goes twice, the second time on a fresh connection") {
    arm_drop();
    const auto r = client.send(get("/read"), gate);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(gate_calls == 1);
    CHECK(handled_of("GET /read") == 2);
    CHECK(client.stats().resends == 1);
    CHECK(client.stats().connections_opened == 2);
  }
  SUBCASE("the gate refuses: the GET went once and its outcome is unknown") {
    gate_allows = false;
    arm_drop();
    const auto r = client.send(get("/read"), gate);
    REQUIRE(!r);
    CHECK(r.error().code == ErrorCode::unknown_outcome);
    CHECK(gate_calls == 1);
    CHECK(handled_of("GET /read") == 1);
    CHECK(client.stats().resends == 0);
  }
  SUBCASE("without a gate the GET is resent as before") {
    arm_drop();
    REQUIRE(client.send(get("/read")));
    CHECK(handled_of("GET /read") == 2);
    CHECK(client.stats().resends == 1);
  }
  SUBCASE("a POST and a DELETE are never resent, and the gate is never asked") {
    for (const HttpMethod method : {HttpMethod::post, HttpMethod::delete_}) {
      HttpRequest mutation = get("/order");
      mutation.method = method;
      REQUIRE(client.send(get("/warm")));  // pools a connection to reuse (a dropped one is not kept)
      arm_drop();
      const auto r = client.send(mutation, gate);
      REQUIRE(!r);
      CHECK(r.error().code == ErrorCode::unknown_outcome);
      CHECK(handled_of(std::string(to_string(method)) + " /order") == 1);
    }
    CHECK(gate_calls == 0);
    CHECK(client.stats().resends == 0);
  }
}

TEST_CASE("gzip bodies are inflated when asked for") {
  std::ifstream in(CTS_TEST_DATA_DIR "/net/data/hello.txt.gz", std::ios::binary);
  const std::string gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(!gz.empty());
  std::mutex seen_mutex;  // the handler runs on the server's io thread
  std::string seen_encoding;
  net::HttpServer server([&](const HttpRequest& r) {
    std::lock_guard lock(seen_mutex);
    seen_encoding = std::string(r.header("Accept-Encoding").value_or(""));
    HttpResponse out;
    out.status = 200;
    out.headers.push_back({"Content-Encoding", "gzip"});
    out.body = gz;
    return out;
  });
  net::HttpClientOptions options;
  options.accept_gzip = true;
  net::HttpClient client(server.base_url(), options);
  auto r = client.send(get("/"));
  REQUIRE(r);
  std::lock_guard lock(seen_mutex);
  CHECK(seen_encoding == "gzip");
  std::string expected;
  for (int i = 0; i < 50; ++i) expected += "{\"hello\":\"gzip\"}\n";
  CHECK(r->body == expected);
}

TEST_CASE("an oversize response is a protocol_error") {
  net::HttpServer server([](const HttpRequest&) {
    HttpResponse out;
    out.status = 200;
    out.body = std::string(10000, 'x');
    return out;
  });
  net::HttpClientOptions options;
  options.max_response_bytes = 1000;
  net::HttpClient client(server.base_url(), options);
  auto r = client.send(get("/"));
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::protocol_error);
}

TEST_CASE("[threads] concurrent senders share one client safely over TLS") {
  TlsFixture f;
  net::HttpClient client(f.url(), f.trusting());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto r = client.send(get("/t", fmt::format("t={}&i={}", t, i)));
        if (r && r->body == fmt::format("GET /t?t={}&i={}  key=-", t, i)) ok.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(ok.load() == 100);
  CHECK(f.server.stats().requests_handled == 100);
  const auto opened = client.stats().connections_opened;
  REQUIRE(client.send(get("/after")));
  CHECK(client.stats().connections_opened == opened);  // pooled connections are reused
}
