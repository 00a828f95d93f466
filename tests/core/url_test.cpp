// Tests for cts/core/url.hpp: the URL splitter of the net clients and the webhook
// channels. Expected parts from RFC 3986 §3 (authority, port, path and query) and the
// default ports of RFC 9110 §4.2 (80 for http, 443 for https).
#include <cts/core/url.hpp>

#include <string>

#include <doctest/doctest.h>

using namespace cts;

TEST_CASE("split_url: host, default and explicit ports, target and Host header") {
  const Url a = split_url("https://api.example.com", "http", "https").value();
  CHECK(a.tls);
  CHECK(a.host == "api.example.com");
  CHECK(a.port == "443");
  CHECK(a.target == "/");
  CHECK(a.host_header == "api.example.com");

  const Url b = split_url("http://127.0.0.1:8080/api/v3?x=1&y=2", "http", "https").value();
  CHECK_FALSE(b.tls);
  CHECK(b.host == "127.0.0.1");
  CHECK(b.port == "8080");
  CHECK(b.target == "/api/v3?x=1&y=2");
  CHECK(b.host_header == "127.0.0.1:8080");

  // The default port written out is left out of the Host header.
  CHECK(split_url("ws://h:80/s", "ws", "wss").value().host_header == "h");
  // A query without a path gets the root path.
  CHECK(split_url("wss://h?streams=a", "ws", "wss").value().target == "/?streams=a");
}

TEST_CASE("split_url: IPv6 literals are unbracketed in host and bracketed in the Host header") {
  const Url u = split_url("https://[::1]:9443/p", "http", "https").value();
  CHECK(u.host == "::1");
  CHECK(u.port == "9443");
  CHECK(u.host_header == "[::1]:9443");
  CHECK(split_url("http://[::1]/", "http", "https").value().host_header == "[::1]");
}

TEST_CASE("split_url: malformed URLs are refused without quoting them") {
  const std::string secret = "T000SECRET";
  for (const std::string& url :
       {"ftp://host/" + secret, "https:///" + secret, "https://user:" + secret + "@host/", "https://[::1/" + secret,
        "https://[::1]x/" + secret, "https://host:0/" + secret, "https://host:65536/" + secret,
        "https://host:8a/" + secret, "https://host/" + secret + " x", "https://host/" + secret + "#frag",
        "https://host/a\r\nX: " + secret, secret}) {
    CAPTURE(url);
    const Result<Url> r = split_url(url, "http", "https");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::invalid_argument);
    CHECK(r.error().message.find(secret) == std::string::npos);
  }
  CHECK(split_url("https://host:65535/", "http", "https").has_value());
  CHECK(split_url("https://host:1/", "http", "https").has_value());
  // The other component's scheme is refused.
  CHECK_FALSE(split_url("wss://host/", "http", "https").has_value());
}
