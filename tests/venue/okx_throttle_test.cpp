// Tests for cts/venue/okx/rate_limit.hpp: OKX's throttle codes read from the first bytes
// of a reply (tests/fixtures/okx/error_rate_limit.json and the documented replies).
#include <cts/venue/okx/rate_limit.hpp>

#include <doctest/doctest.h>

#include <cts/venue/registry.hpp>

#include "support.hpp"

using cts_test::okx_fixture;
using cts_test::okx_fixture_text;
using cts_test::response;
namespace okx = cts::venue::okx;

TEST_CASE("okx throttle: 50011 in an HTTP 200 or 429 is a throttle without a reset time") {
  for (const int status : {200, 429}) {
    const cts::HttpResponse reply = response(status, okx_fixture_text("error_rate_limit.json"));
    const auto signal = okx::throttle_signal(reply);  // a view into `reply`
    REQUIRE(signal);
    CHECK(signal->code == "50011");
    CHECK_FALSE(signal->reset_at);
  }
  const cts::HttpResponse busy = response(200, R"({"code":"50061","msg":"","data":[]})");
  const auto sub_account = okx::throttle_signal(busy);
  REQUIRE(sub_account);
  CHECK(sub_account->code == "50061");
}

TEST_CASE("okx throttle: other replies are no throttle") {
  CHECK_FALSE(okx::throttle_signal(okx_fixture("order.json")));
  CHECK_FALSE(okx::throttle_signal(okx_fixture("order_rejected.json")));  // code 1, item sCode 54109
  CHECK_FALSE(okx::throttle_signal(response(401, okx_fixture_text("error_invalid_access_key.json"))));
  CHECK_FALSE(okx::throttle_signal(response(502, "<html>Bad Gateway</html>")));
  CHECK(okx::code_text(okx_fixture_text("error_not_found.json")) == "404");  // a JSON number
  CHECK(okx::code_text(R"({"code": "0","msg":""})") == "0");
  CHECK_FALSE(okx::code_text(R"({"code":"","msg":""})"));
}

TEST_CASE("okx throttle: the registry's OKX connectors read it") {
  for (const char* market : {"spot", "swap"}) {
    const cts::venue::Connector* connector = cts::venue::find_connector(cts::VenueId::okx, market).value();
    REQUIRE(static_cast<bool>(connector->read_throttle));
    CHECK(connector->read_throttle(response(200, okx_fixture_text("error_rate_limit.json"))));
  }
}
