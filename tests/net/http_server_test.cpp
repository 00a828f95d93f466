// Tests for cts/net/http_server.hpp: bad input gets an HTTP error and the server keeps
// serving. Raw sockets send what a well-behaved client never would.
#include <cts/net/http_client.hpp>
#include <cts/net/http_server.hpp>

#include <atomic>
#include <mutex>
#include <string>

#include <doctest/doctest.h>

#include "net/raw_socket.hpp"

using namespace cts;

namespace {
HttpResponse ok_text(std::string body) {
  HttpResponse r;
  r.status = 200;
  r.headers.push_back({"Content-Type", "text/plain"});
  r.body = std::move(body);
  return r;
}
}  // namespace

TEST_CASE("server passes method, path, query, headers and body to the handler") {
  std::mutex seen_mutex;  // the handler runs on the server's io thread
  HttpRequest seen;
  net::HttpServer server([&](const HttpRequest& r) {
    std::lock_guard lock(seen_mutex);
    seen = r;
    return ok_text("fine");
  });
  CHECK(server.base_url() == "http://127.0.0.1:" + std::to_string(server.port()));
  test::RawSocket s(server.port());
  REQUIRE(s.connected());
  s.send("POST /api/v3/order?symbol=BTCUSDT&side=BUY HTTP/1.1\r\nHost: x\r\nX-MBX-APIKEY: abc\r\n"
         "Content-Length: 7\r\nConnection: close\r\n\r\nqty=1.5");
  const std::string reply = s.read_all();
  CHECK(reply.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(reply.ends_with("\r\n\r\nfine"));
  std::lock_guard lock(seen_mutex);
  CHECK(seen.method == HttpMethod::post);
  CHECK(seen.path == "/api/v3/order");
  CHECK(seen.query == "symbol=BTCUSDT&side=BUY");
  CHECK(seen.header("x-mbx-apikey").value() == "abc");
  CHECK(seen.body == "qty=1.5");
}

TEST_CASE("server answers garbage with 400, oversize with 413, unknown methods with 405, and keeps serving") {
  std::atomic<int> calls{0};  // incremented on the io thread
  net::HttpServerOptions options;
  options.max_request_bytes = 1024;
  net::HttpServer server(
      [&](const HttpRequest&) {
        ++calls;
        return ok_text("ok");
      },
      options);
  {
    test::RawSocket s(server.port());
    s.send("\x16\x03\x01 this is not HTTP\r\n\r\n");
    CHECK(s.read_all().starts_with("HTTP/1.1 400 "));
  }
  {
    test::RawSocket s(server.port());
    s.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + std::string(2000, 'a'));
    CHECK(s.read_all().starts_with("HTTP/1.1 413 "));
  }
  {
    test::RawSocket s(server.port());
    s.send("GET /" + std::string(4000, 'p') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(s.read_all().starts_with("HTTP/1.1 413 "));
  }
  {
    test::RawSocket s(server.port());
    s.send("OPTIONS / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(s.read_all().starts_with("HTTP/1.1 405 "));
  }
  {
    test::RawSocket s(server.port());
    s.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    s.shutdown_write();  // half-closed mid-body
    CHECK(s.read_all().empty());
  }
  CHECK(calls == 0);
  CHECK(server.stats().bad_requests == 3);
  net::HttpClient client(server.base_url());
  auto r = client.send(HttpRequest{});
  REQUIRE(r);
  CHECK(r->body == "ok");
  CHECK(calls == 1);
}

TEST_CASE("a throwing handler yields 500 and the connection stays usable") {
  net::HttpServer server([](const HttpRequest& r) -> HttpResponse {
    if (r.path == "/boom") throw std::runtime_error("boom");
    return ok_text("fine");
  });
  net::HttpClient client(server.base_url());
  HttpRequest boom;
  boom.path = "/boom";
  auto first = client.send(boom);
  REQUIRE(first);
  CHECK(first->status == 500);
  auto second = client.send(HttpRequest{});
  REQUIRE(second);
  CHECK(second->status == 200);
  CHECK(client.stats().connections_opened == 1);
}

TEST_CASE("stop closes live connections and is idempotent") {
  net::HttpServer server([](const HttpRequest&) { return ok_text("x"); });
  test::RawSocket idle(server.port());
  REQUIRE(idle.connected());
  idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  server.stop();
  const std::string got = idle.read_all();  // whatever arrived, then EOF instead of a hang
  CHECK((got.empty() || got.starts_with("HTTP/1.1 200")));
  server.stop();
  net::HttpClient client(server.base_url());
  auto r = client.send(HttpRequest{});
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::network);
}

TEST_CASE("a TLS identity that does not parse is a configuration error") {
  net::HttpServerOptions options;
  options.tls = net::ServerTls{"not a certificate", "not a key"};
  CHECK_THROWS_AS(net::HttpServer([](const HttpRequest&) { return HttpResponse{}; }, options), Exception);
}
