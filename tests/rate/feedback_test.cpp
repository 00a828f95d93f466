// Tests for cts/rate/feedback.hpp: Retry-After and usage header parsing.
#include <cts/rate/feedback.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::rate;
using namespace std::chrono_literals;

TEST_CASE("IMF-fixdate parses to the right instant") {
  // RFC 9110 §5.6.7's example; 784111777 from `date -u -d 'Sun, 06 Nov 1994 08:49:37 GMT' +%s`.
  const auto t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
  REQUIRE(t.has_value());
  CHECK(to_unix_millis(*t) == 784'111'777'000);
  // 2024-02-29T23:59:59Z = 1709251199 (date -u -d '2024-02-29 23:59:59' +%s): a leap day.
  CHECK(to_unix_millis(parse_http_date("Thu, 29 Feb 2024 23:59:59 GMT").value()) == 1'709'251'199'000);
}

TEST_CASE("malformed HTTP dates are typed errors") {
  for (const char* bad : {"", "Sun, 06 Nov 1994 08:49:37 UTC", "Sunday, 06-Nov-94 08:49:37 GMT",
                          "Sun Nov  6 08:49:37 1994", "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:49:37 GMT"}) {
    INFO(bad);
    const auto t = parse_http_date(bad);
    REQUIRE(!t.has_value());
    CHECK(t.error().code == ErrorCode::protocol_error);
  }
}

TEST_CASE("Retry-After: seconds, dates, clamping and garbage") {
  const SystemTime wall = from_unix_millis(784'111'777'000);
  CHECK(parse_retry_after("120", wall).value() == 120s);
  CHECK(parse_retry_after(" 0 ", wall).value() == 0s);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", wall).value() == 60s);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:48:37 GMT", wall).value() == 0s);  // in the past
  CHECK(parse_retry_after("999999999999", wall).value() == kMaxRetryAfter);
  CHECK(parse_retry_after("-5", wall).error().code == ErrorCode::protocol_error);
  CHECK(parse_retry_after("1.5", wall).error().code == ErrorCode::protocol_error);
  CHECK(parse_retry_after("9999999999999999999999", wall).error().code == ErrorCode::protocol_error);
}

TEST_CASE("usage counts") {
  CHECK(parse_header_count("X-MBX-USED-WEIGHT-1M", "1187").value() == 1187);
  const auto bad = parse_header_count("X-MBX-USED-WEIGHT-1M", "");
  REQUIRE(!bad.has_value());
  CHECK(bad.error().message.find("X-MBX-USED-WEIGHT-1M") != std::string::npos);
  CHECK(!parse_header_count("X", "-1").has_value());
}
