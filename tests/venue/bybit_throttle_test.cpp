// Tests for bybit::throttle_signal and bybit::ret_code_text (cts/venue/bybit/rate_limit.hpp):
// Bybit's throttle inside an HTTP 200, as its v5 docs describe it. rate-limit.mdx: an
// exhausted per-UID limit answers `"retCode": 10006, "retMsg": "Too many visits!"`, and
// X-Bapi-Limit-Reset-Timestamp is "the timestamp indicating when your request limit
// resets if you have exceeded your rate_limit" (example value 1672738134824); error.mdx:
// 10006 "Too many visits. Exceeded the API Rate Limit.", 10018 "Exceeded the IP Rate
// Limit.", 170005 "Too many new orders; current limit is %s orders per %s.", 170222 "Too
// many requests in this time frame.", 10001 "Request parameter error".
#include <cts/venue/bybit/rate_limit.hpp>

#include <optional>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "support.hpp"

using cts_test::response;
namespace bybit = cts::venue::bybit;

namespace {

/// A reply in Bybit's envelope (retCode first, as Bybit sends it).
std::string envelope(long code, std::string_view message) {
  return fmt::format(R"({{"retCode":{},"retMsg":"{}","result":{{}},"retExtInfo":{{}},"time":1672738134824}})", code,
                     message);
}

}  // namespace

TEST_CASE("bybit throttle: 10006 with the documented headers is a throttle resetting at the named time") {
  cts::HttpResponse r = response(200, envelope(10006, "Too many visits!"));
  r.set_header("X-Bapi-Limit", "10");
  r.set_header("X-Bapi-Limit-Status", "0");
  r.set_header("X-Bapi-Limit-Reset-Timestamp", "1672738134824");
  const std::optional<cts::venue::ThrottleSignal> signal = bybit::throttle_signal(r);
  REQUIRE(signal.has_value());
  CHECK(signal->code == "10006");
  REQUIRE(signal->reset_at.has_value());
  CHECK(cts::to_unix_millis(*signal->reset_at) == 1672738134824);
}

TEST_CASE("bybit throttle: the other throttle codes of error.mdx; without the reset header no reset") {
  for (const auto& [code, message] : {std::pair{10018L, "Exceeded the IP Rate Limit."},
                                      std::pair{170005L, "Too many new orders; current limit is 20 orders per 1s."},
                                      std::pair{170222L, "Too many requests in this time frame."}}) {
    CAPTURE(code);
    const cts::HttpResponse r = response(200, envelope(code, message));  // the code is a view into its body
    const auto signal = bybit::throttle_signal(r);
    REQUIRE(signal.has_value());
    CHECK(signal->code == std::to_string(code));
    CHECK_FALSE(signal->reset_at.has_value());
  }
}

TEST_CASE("bybit throttle: success and other errors are no throttle") {
  CHECK_FALSE(bybit::throttle_signal(cts_test::bybit_fixture("market_time.json")).has_value());
  CHECK_FALSE(bybit::throttle_signal(cts_test::bybit_fixture("order_create.json")).has_value());
  CHECK_FALSE(bybit::throttle_signal(response(200, envelope(0, "OK"))).has_value());
  CHECK_FALSE(bybit::throttle_signal(response(200, envelope(10001, "Request parameter error"))).has_value());
  CHECK_FALSE(bybit::throttle_signal(response(200, envelope(110007, "Available balance is insufficient"))).has_value());
  // A code that merely starts with a throttle code's digits is another code.
  CHECK_FALSE(bybit::throttle_signal(response(200, envelope(100060, "x"))).has_value());
  // 403 (Bybit's IP ban) has no envelope: the rate policy's ban rule handles it.
  CHECK_FALSE(bybit::throttle_signal(response(403, "access too frequent")).has_value());
  CHECK_FALSE(bybit::throttle_signal(response(200, "")).has_value());
}

TEST_CASE("bybit throttle: retCode is read in any layout, and a malformed reset header names no reset") {
  // The docs print replies indented: the member is found, not assumed first.
  const cts::HttpResponse indented =
      response(200, "{\n    \"retCode\": 10006,\n    \"retMsg\": \"Too many visits!\"\n}");
  const auto pretty = bybit::throttle_signal(indented);
  REQUIRE(pretty.has_value());
  CHECK(pretty->code == "10006");
  const cts::HttpResponse code_last = response(200, R"({"retMsg":"Too many visits!","retCode":10006})");
  const auto later = bybit::throttle_signal(code_last);
  REQUIRE(later.has_value());
  CHECK(later->code == "10006");

  cts::HttpResponse r = response(200, envelope(10006, "Too many visits!"));
  r.set_header("X-Bapi-Limit-Reset-Timestamp", "soon");
  const auto signal = bybit::throttle_signal(r);
  REQUIRE(signal.has_value());
  CHECK_FALSE(signal->reset_at.has_value());
}

TEST_CASE("bybit ret_code_text: the code's text, signed or not; none without a retCode") {
  CHECK(bybit::ret_code_text(R"({"retCode":0,"retMsg":"OK"})") == std::optional<std::string_view>("0"));
  CHECK(bybit::ret_code_text(R"({"retCode":-1,"retMsg":"x"})") == std::optional<std::string_view>("-1"));
  CHECK(bybit::ret_code_text(R"({ "retCode" : 110001 })") == std::optional<std::string_view>("110001"));
  CHECK_FALSE(bybit::ret_code_text(R"({"retMsg":"OK"})").has_value());
  CHECK_FALSE(bybit::ret_code_text(R"({"retCode":"10006"})").has_value());  // not a number
  CHECK_FALSE(bybit::ret_code_text(R"({"retCode":)").has_value());
  CHECK_FALSE(bybit::ret_code_text("").has_value());
}
