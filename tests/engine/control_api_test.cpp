// Tests for cts/engine/control_api.hpp: the control API over real HTTP on 127.0.0.1
// against a running coordinator — the token (missing, wrong, right), DNS rebinding
// (a foreign Host), CSRF (a foreign Origin, a cross-site fetch, a simple form POST),
// the method rules, the open /metrics and /health that reveal neither the token nor
// holdings — and the same rules on the sans-I/O ControlApi where a real client cannot
// send the request (duplicate headers).
#include <cts/engine/control_api.hpp>

#include <doctest/doctest.h>

#include <string>
#include <utility>

#include <cts/net/http_client.hpp>

#include "fake_runner.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::engine::testing;

namespace {

constexpr std::string_view kToken = "test-token-5f0c9a2e41d7b8c3";

ControlServerOptions server_options() {
  ControlServerOptions options;
  options.token = sign::Secret(kToken);
  return options;
}

/// One HTTP exchange with the control server, as a client would send it.
HttpResponse send(net::HttpClient& client, HttpMethod method, std::string path, std::vector<HttpHeader> headers = {},
                  std::string body = {}) {
  HttpRequest request;
  request.method = method;
  request.path = std::move(path);
  request.headers = std::move(headers);
  request.body = std::move(body);
  Result<HttpResponse> response = client.send(request);
  REQUIRE(response);
  return std::move(*response);
}

HttpHeader bearer(std::string_view token) { return HttpHeader{"Authorization", fmt::format("Bearer {}", token)}; }
const HttpHeader kJson{"Content-Type", "application/json"};
const HttpHeader kControl{"X-CTS-Control", "1"};

}  // namespace

TEST_CASE("the control API over HTTP: token, Host, Origin and request shape [threads]") {
  Coordinator c;
  auto a = add_fake(c, "a");
  auto b = add_fake(c, "b");
  c.start_all();
  REQUIRE(eventually([&] { return a->step_count() > 0 && b->step_count() > 0; }));
  ControlServer server(c, server_options());
  CHECK(server.base_url() == fmt::format("http://127.0.0.1:{}", server.port()));
  net::HttpClient client(server.base_url());
  const std::string authority = fmt::format("127.0.0.1:{}", server.port());

  SUBCASE("no token or a wrong one: 401, the same answer, nothing changes") {
    const HttpResponse missing = send(client, HttpMethod::post, "/sessions/a/kill", {kJson}, "{}");
    CHECK(missing.status == 401);
    CHECK(missing.header("WWW-Authenticate") == "Bearer realm=\"cts-control\"");
    const HttpResponse wrong =
        send(client, HttpMethod::post, "/sessions/a/kill", {bearer("test-token-5f0c9a2e41d7b8c4"), kJson}, "{}");
    CHECK(wrong.status == 401);
    CHECK(wrong.body == missing.body);
    CHECK(send(client, HttpMethod::post, "/sessions/a/kill", {bearer("test-token"), kJson}, "{}").status == 401);
    CHECK(send(client, HttpMethod::post, "/sessions/a/kill", {{"Authorization", std::string(kToken)}, kJson}, "{}")
              .status == 401);  // no scheme
    CHECK(send(client, HttpMethod::post, "/sessions/a/kill",
               {{"Authorization", fmt::format("Basic {}", kToken)}, kJson}, "{}")
              .status == 401);
    // Reading the sessions (status lines carry positions and PnL) needs it too.
    CHECK(send(client, HttpMethod::get, "/sessions").status == 401);
    CHECK(send(client, HttpMethod::get, "/sessions/a").status == 401);
    CHECK(send(client, HttpMethod::post, "/sessions/stop", {kJson}, "{}").status == 401);
    CHECK(c.state("a").value() == SessionState::running);
    CHECK(c.state("b").value() == SessionState::running);
  }

  SUBCASE("the issue's reproducer: a cross-site text/plain POST with a foreign Origin is refused") {
    // curl -X POST -H 'Origin: http://evil.example' -H 'Content-Type: text/plain' --data x .../sessions/a/kill
    const HttpResponse r = send(client, HttpMethod::post, "/sessions/a/kill",
                                {{"Origin", "http://evil.example"}, {"Content-Type", "text/plain"}}, "x");
    CHECK(r.status == 403);
    // With the token as well: the Origin alone refuses it.
    CHECK(send(client, HttpMethod::post, "/sessions/a/kill", {{"Origin", "http://evil.example"}, bearer(kToken), kJson},
               "{}")
              .status == 403);
    CHECK(
        send(client, HttpMethod::post, "/sessions/a/kill", {{"Origin", "null"}, bearer(kToken), kJson}, "{}").status ==
        403);
    // The bound origin with another port is another origin.
    CHECK(send(client, HttpMethod::post, "/sessions/a/kill",
               {{"Origin", fmt::format("http://127.0.0.1:{}", server.port() + 1)}, bearer(kToken), kJson}, "{}")
              .status == 403);
    // A browser's cross-site fetch, even without Origin.
    CHECK(send(client, HttpMethod::post, "/sessions/a/kill", {{"Sec-Fetch-Site", "cross-site"}, bearer(kToken), kJson},
               "{}")
              .status == 403);
    CHECK(c.state("a").value() == SessionState::running);
    CHECK(a->count("kill") == 0);
  }

  SUBCASE("a foreign Host (DNS rebinding) is refused on every route") {
    const HttpHeader foreign{"Host", fmt::format("attacker.example:{}", server.port())};
    CHECK(send(client, HttpMethod::post, "/sessions/a/kill", {foreign, bearer(kToken), kJson}, "{}").status == 403);
    CHECK(send(client, HttpMethod::get, "/sessions", {foreign, bearer(kToken)}).status == 403);
    CHECK(send(client, HttpMethod::get, "/metrics", {foreign}).status == 403);
    CHECK(send(client, HttpMethod::get, "/health", {foreign}).status == 403);
    // The right host on another port is another authority.
    CHECK(send(client, HttpMethod::get, "/sessions", {{"Host", "127.0.0.1"}, bearer(kToken)}).status == 403);
    CHECK(c.state("a").value() == SessionState::running);
  }

  SUBCASE("state changes are POST only and need JSON or the X-CTS-Control header") {
    HttpResponse r = send(client, HttpMethod::get, "/sessions/a/kill", {bearer(kToken)});
    CHECK(r.status == 405);
    CHECK(r.header("Allow") == "POST");
    CHECK(send(client, HttpMethod::get, "/sessions/pause", {bearer(kToken)}).status == 405);
    // What an HTML form can send: a simple content type and no custom header.
    r = send(client, HttpMethod::post, "/sessions/a/pause",
             {bearer(kToken), {"Content-Type", "application/x-www-form-urlencoded"}}, "a=1");
    CHECK(r.status == 415);
    CHECK(send(client, HttpMethod::post, "/sessions/a/pause", {bearer(kToken), {"Content-Type", "text/plain"}}, "x")
              .status == 415);
    CHECK(send(client, HttpMethod::post, "/sessions/a/pause",
               {bearer(kToken), {"Content-Type", "multipart/form-data; boundary=x"}}, "x")
              .status == 415);
    CHECK(send(client, HttpMethod::post, "/sessions/a/pause", {bearer(kToken)}).status == 415);
    CHECK(c.state("a").value() == SessionState::running);
    CHECK(a->count("pause") == 0);
  }

  SUBCASE("the right token with JSON or the header: done") {
    HttpResponse r = send(client, HttpMethod::post, "/sessions/a/pause", {bearer(kToken), kJson}, "{}");
    CHECK(r.status == 200);
    CHECK(r.body == "{\"name\":\"a\",\"state\":\"paused\"}\n");
    CHECK(r.header("Cache-Control") == "no-store");
    CHECK(c.state("a").value() == SessionState::paused);
    REQUIRE(eventually([&] { return a->count("pause") == 1; }));
    r = send(client, HttpMethod::post, "/sessions/a/resume", {bearer(kToken), kControl});
    CHECK(r.status == 200);
    CHECK(c.state("a").value() == SessionState::running);
    // The scheme is case-insensitive; JSON with parameters is JSON.
    r = send(client, HttpMethod::post, "/sessions/pause",
             {{"Authorization", fmt::format("bearer {}", kToken)}, {"Content-Type", "Application/JSON; charset=utf-8"}},
             "{}");
    CHECK(r.status == 200);
    CHECK(c.state("b").value() == SessionState::paused);
    r = send(client, HttpMethod::get, "/sessions", {bearer(kToken)});
    CHECK(r.status == 200);
    CHECK(r.body.find(R"({"name":"a","state":"paused","status":"steps=)") != std::string::npos);
    CHECK(send(client, HttpMethod::get, "/sessions/b", {bearer(kToken)}).body.find(R"("state":"paused")") !=
          std::string::npos);
    // The bound Origin is the API's own: accepted.
    CHECK(send(client, HttpMethod::post, "/sessions/b/resume",
               {{"Origin", "http://" + authority}, bearer(kToken), kJson}, "{}")
              .status == 200);
    // Unknown session, unknown command, illegal transition.
    r = send(client, HttpMethod::post, "/sessions/nope/pause", {bearer(kToken), kJson}, "{}");
    CHECK(r.status == 404);
    CHECK(r.body.find("unknown session \\\"nope\\\"") != std::string::npos);
    CHECK(send(client, HttpMethod::post, "/sessions/a/explode", {bearer(kToken), kJson}, "{}").status == 404);
    CHECK(send(client, HttpMethod::get, "/nowhere", {bearer(kToken)}).status == 404);
    r = send(client, HttpMethod::post, "/sessions/b/stop", {bearer(kToken), kJson}, "{}");
    CHECK(r.status == 200);
    REQUIRE(eventually([&] { return c.state("b").value() == SessionState::stopped; }));
    r = send(client, HttpMethod::post, "/sessions/b/resume", {bearer(kToken), kJson}, "{}");
    CHECK(r.status == 409);
    CHECK(r.body.find("cannot resume a stopped session") != std::string::npos);
  }

  SUBCASE("/metrics and /health are open and show neither the token nor holdings") {
    HttpResponse r = send(client, HttpMethod::get, "/metrics");
    CHECK(r.status == 200);
    CHECK(r.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(r.body.find("fake_steps_total{session=\"a\"} ") != std::string::npos);
    CHECK(r.body.find("fake_position") == std::string::npos);
    CHECK(r.body.find(kToken) == std::string::npos);
    // A scraper with the token sees the holdings; one with a wrong token is told.
    r = send(client, HttpMethod::get, "/metrics", {bearer(kToken)});
    CHECK(r.status == 200);
    CHECK(r.body.find("fake_position{session=\"a\"} 0.5") != std::string::npos);
    CHECK(send(client, HttpMethod::get, "/metrics", {bearer("wrong-token-0123456789")}).status == 401);
    r = send(client, HttpMethod::get, "/health");
    CHECK(r.status == 200);
    CHECK(r.header("Content-Type") == "application/health+json");
    CHECK(r.body.find("\"a/session:state\"") != std::string::npos);
    CHECK(r.body.find(kToken) == std::string::npos);
    CHECK(send(client, HttpMethod::post, "/health", {kJson}, "{}").status == 405);
    CHECK(send(client, HttpMethod::post, "/metrics", {kJson}, "{}").status == 405);
  }
  server.stop();
  c.stop_all();
}

TEST_CASE("ControlApi refuses duplicate Host, Origin and Authorization headers") {
  Coordinator c;
  ControlApi api(c, sign::Secret(kToken), "127.0.0.1:9100");
  HttpRequest request;
  request.method = HttpMethod::get;
  request.path = "/health";
  request.headers = {{"Host", "127.0.0.1:9100"}};
  CHECK(api.handle(request).status == 503);  // no session: out of service, but answered
  request.headers = {{"Host", "127.0.0.1:9100"}, {"host", "attacker.example:9100"}};
  CHECK(api.handle(request).status == 400);
  request.headers = {
      {"Host", "127.0.0.1:9100"}, {"Origin", "http://127.0.0.1:9100"}, {"Origin", "http://evil.example"}};
  CHECK(api.handle(request).status == 400);
  request.path = "/sessions";
  request.headers = {{"Host", "127.0.0.1:9100"}, bearer(kToken), bearer("other")};
  CHECK(api.handle(request).status == 400);
  request.headers = {{"Host", "127.0.0.1:9100"}, bearer(kToken)};
  CHECK(api.handle(request).status == 200);
  request.headers = {bearer(kToken)};  // no Host at all
  CHECK(api.handle(request).status == 403);
}

TEST_CASE("ControlApi and ControlServer refuse an empty token") {
  Coordinator c;
  CHECK_THROWS_AS(ControlApi(c, sign::Secret(), "127.0.0.1:9100"), Exception);
  CHECK_THROWS_AS(ControlServer(c, ControlServerOptions{}), Exception);
}

TEST_CASE("the status page at GET /: open, self-contained, with its security headers [threads]") {
  Coordinator c;
  ControlServer server(c, server_options());
  net::HttpClient client(server.base_url());

  SUBCASE("served without a token, as HTML that no other site may frame or load from elsewhere") {
    const HttpResponse r = send(client, HttpMethod::get, "/");
    CHECK(r.status == 200);
    CHECK(r.header("Content-Type") == "text/html; charset=utf-8");
    // The policy docs/engine.md and the operations API contract name.
    const std::string policy(r.header("Content-Security-Policy").value_or(""));
    for (std::string_view directive : {"default-src 'none'", "script-src 'unsafe-inline'", "style-src 'unsafe-inline'",
                                       "connect-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'"}) {
      CHECK_MESSAGE(policy.find(directive) != std::string::npos, directive);
    }
    CHECK(r.header("X-Frame-Options") == "DENY");
    CHECK(r.header("Cache-Control") == "no-store");
    CHECK(r.header("X-Content-Type-Options") == "nosniff");
    CHECK(r.body.starts_with("<!doctype html>"));
    CHECK(r.body.find("</html>") != std::string::npos);
    // Self-contained: the only absolute URL is the SVG namespace (a name, never fetched).
    std::size_t at = 0;
    while ((at = r.body.find("http", at)) != std::string::npos) {
      const std::string_view rest = std::string_view(r.body).substr(at);
      if (rest.starts_with("http://") || rest.starts_with("https://")) {
        CHECK_MESSAGE(rest.starts_with("http://www.w3.org/2000/svg\""), rest.substr(0, 60));
      }
      at += 4;
    }
    CHECK(r.body.find("<script src") == std::string::npos);
    CHECK(r.body.find("@import") == std::string::npos);
    // A query string does not change the page; the token does not matter either.
    CHECK(send(client, HttpMethod::get, "/?from=bookmark").status == 200);
    CHECK(send(client, HttpMethod::get, "/", {bearer("wrong-token-0123456789")}).status == 200);
    CHECK(send(client, HttpMethod::get, "/", {{"Sec-Fetch-Site", "none"}}).status == 200);
  }

  SUBCASE("a page of another site, a foreign Host or another method is refused as on every route") {
    CHECK(send(client, HttpMethod::get, "/", {{"Origin", "http://evil.example"}}).status == 403);
    CHECK(send(client, HttpMethod::get, "/", {{"Sec-Fetch-Site", "cross-site"}}).status == 403);
    CHECK(send(client, HttpMethod::get, "/", {{"Host", fmt::format("attacker.example:{}", server.port())}}).status ==
          403);
    const HttpResponse post = send(client, HttpMethod::post, "/", {kJson}, "{}");
    CHECK(post.status == 405);
    CHECK(post.header("Allow") == "GET");
  }
  server.stop();
}
