// Tests for cts/core/http.hpp.
#include <cts/core/http.hpp>

#include <string>
#include <vector>

#include <doctest/doctest.h>

using namespace cts;

TEST_CASE("request target and headers") {
  HttpRequest r;
  r.method = HttpMethod::post;
  r.path = "/api/v3/order";
  CHECK(r.target() == "/api/v3/order");
  r.query = "symbol=BTCUSDT";
  CHECK(r.target() == "/api/v3/order?symbol=BTCUSDT");
  r.set_header("X-MBX-APIKEY", "k1");
  r.set_header("x-mbx-apikey", "k2");
  REQUIRE(r.headers.size() == 1);
  CHECK(r.headers[0].name == "X-MBX-APIKEY");
  CHECK(r.header("X-Mbx-ApiKey").value() == "k2");
  CHECK(!r.header("Content-Type"));
  CHECK(to_string(HttpMethod::delete_) == "DELETE");
}

TEST_CASE("method names parse exactly as they are written") {
  CHECK(parse_http_method("GET") == HttpMethod::get);
  CHECK(parse_http_method("POST") == HttpMethod::post);
  CHECK(parse_http_method("PUT") == HttpMethod::put);
  CHECK(parse_http_method("DELETE") == HttpMethod::delete_);
  CHECK(parse_http_method("PATCH") == HttpMethod::patch);
  CHECK_FALSE(parse_http_method("get"));
  CHECK_FALSE(parse_http_method("GET "));
  CHECK_FALSE(parse_http_method(""));
  CHECK_FALSE(parse_http_method("INVALID"));
}

TEST_CASE("response header lookup is case-insensitive") {
  HttpResponse r;
  r.status = 429;
  r.headers.push_back({"Retry-After", "7"});
  CHECK(r.header("retry-after").value() == "7");
  r.set_header("RETRY-AFTER", "9");
  CHECK(r.header("Retry-After").value() == "9");
  CHECK(r.headers.size() == 1);
}

TEST_CASE("header list: order, duplicates, replacement in place, and more fields than fit inline") {
  HttpHeaders headers{{"Host", "127.0.0.1"}, {"Accept", "*/*"}};
  headers.push_back(HttpHeader{"host", "second"});
  headers.set("ACCEPT", "application/json");
  REQUIRE(headers.size() == 3);
  CHECK(headers[0] == HttpHeaderView{"Host", "127.0.0.1"});
  CHECK(headers[1] == HttpHeaderView{"Accept", "application/json"});
  CHECK(headers[2] == HttpHeaderView{"host", "second"});
  CHECK(headers.find("HOST").value() == "127.0.0.1");

  const HttpHeaders inline_copy = headers;
  const std::string long_value(HttpHeaders::kInlineBytes, 'v');
  for (std::size_t i = 0; i < HttpHeaders::kInlineFields; ++i) headers.emplace_back("X-" + std::to_string(i), long_value);
  REQUIRE(headers.size() == 3 + HttpHeaders::kInlineFields);
  CHECK(headers[1].value == "application/json");
  CHECK(headers.back() == HttpHeaderView{"X-5", long_value});
  headers.set("x-0", "short");
  CHECK(headers[3] == HttpHeaderView{"X-0", "short"});
  CHECK(headers[4].value == long_value);

  HttpHeaders moved = std::move(headers);
  CHECK(moved.size() == 3 + HttpHeaders::kInlineFields);
  CHECK(moved[8] == HttpHeaderView{"X-5", long_value});
  HttpHeaders copied = moved;
  CHECK(copied == moved);
  copied = inline_copy;
  CHECK(copied.size() == 3);
  CHECK(copied[2].value == "second");
  HttpHeaders from_inline = std::move(copied);
  CHECK(from_inline == inline_copy);
  from_inline.clear();
  CHECK(from_inline.empty());
  CHECK(!from_inline.find("Host"));

  const std::vector<HttpHeader> owned{{"A", "1"}, {"B", "2"}};
  const HttpHeaders from_vector = owned;
  CHECK(from_vector.size() == 2);
  CHECK(static_cast<HttpHeader>(from_vector[1]) == HttpHeader{"B", "2"});
}
