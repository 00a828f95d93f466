// Tests for cts/core/http.hpp.
#include <cts/core/http.hpp>

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

TEST_CASE("response header lookup is case-insensitive") {
  HttpResponse r;
  r.status = 429;
  r.headers.push_back({"Retry-After", "7"});
  CHECK(r.header("retry-after").value() == "7");
  r.set_header("RETRY-AFTER", "9");
  CHECK(r.header("Retry-After").value() == "9");
  CHECK(r.headers.size() == 1);
}
