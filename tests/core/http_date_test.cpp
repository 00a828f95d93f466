// Tests for cts/core/http_date.hpp: HTTP dates in their three forms and Retry-After.
// Expected instants from `date -u -d '<date>' +%s`.
#include <cts/core/http_date.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace std::chrono_literals;

namespace {
// 2026-12-05T00:00:00Z: the reference "now" for the two-digit years of RFC 850 dates.
const SystemTime kNow = from_unix_millis(1'796'428'800'000);
}  // namespace

TEST_CASE("IMF-fixdate parses to the right instant") {
  // RFC 9110 §5.6.7's example: 784111777.
  const auto t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", kNow);
  REQUIRE(t.has_value());
  CHECK(to_unix_millis(*t) == 784'111'777'000);
  // A leap day: 2000-02-29T12:00:00Z = 951825600.
  CHECK(to_unix_millis(parse_http_date("Tue, 29 Feb 2000 12:00:00 GMT", kNow).value()) == 951'825'600'000);
}

TEST_CASE("the obsolete RFC 850 and asctime forms give the same instant") {
  CHECK(to_unix_millis(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", kNow).value()) == 784'111'777'000);
  CHECK(to_unix_millis(parse_http_date("Sun Nov  6 08:49:37 1994", kNow).value()) == 784'111'777'000);
  // A two-digit day in asctime: 2024-03-01T09:05:03Z = 1709283903 is day 1; this is day 10 less 9 days.
  CHECK(to_unix_millis(parse_http_date("Fri Mar  1 09:05:03 2024", kNow).value()) == 1'709'283'903'000);
  CHECK(to_unix_millis(parse_http_date("Sun Mar 10 09:05:03 2024", kNow).value()) ==
        1'709'283'903'000 + 9 * 86'400'000);
}

TEST_CASE("an RFC 850 year more than 50 years ahead is in the past century") {
  // From 2026: "76" is 2076 (49 years ahead: 3345062400), "77" would be 2077, more than
  // 50 years ahead, so it is 1977 (220924800).
  CHECK(to_unix_millis(parse_http_date("Wednesday, 01-Jan-76 00:00:00 GMT", kNow).value()) == 3'345'062'400'000);
  CHECK(to_unix_millis(parse_http_date("Saturday, 01-Jan-77 00:00:00 GMT", kNow).value()) == 220'924'800'000);
}

TEST_CASE("malformed HTTP dates are typed errors") {
  for (const char* bad :
       {"", "Sun, 06 Nov 1994 08:49:37 UTC", "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:49:37 GMT", "Sun, 06 Nov 1994 08:60:37 GMT",
        "Fri, 30 Feb 2024 00:00:00 GMT", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT ",
        "Sundae, 06-Nov-94 08:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT", "Sunday, 06 Nov 94 08:49:37 GMT",
        "Sun Nov 06 08:49:37 94", "Sun Nov  6 08:49:37", "Sun Nov  6 8:49:37 1994", "Sun, 06 Nov 1994 08-49-37 GMT",
        "Sun, +6 Nov 1994 08:49:37 GMT"}) {
    INFO(bad);
    const auto t = parse_http_date(bad, kNow);
    REQUIRE(!t.has_value());
    CHECK(t.error().code == ErrorCode::protocol_error);
  }
}

TEST_CASE("Retry-After: delay-seconds and dates, relative to the wall clock") {
  const SystemTime wall = from_unix_millis(784'111'777'000);
  CHECK(parse_retry_after("120", wall).value() == 120s);
  CHECK(parse_retry_after(" 0 ", wall).value() == 0s);
  CHECK(parse_retry_after("\t7", wall).value() == 7s);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", wall).value() == 60s);
  CHECK(parse_retry_after("Sunday, 06-Nov-94 08:50:37 GMT", wall).value() == 60s);
  CHECK(parse_retry_after("Sun Nov  6 08:50:37 1994", wall).value() == 60s);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:48:37 GMT", wall).value() == 0s);  // in the past
}

TEST_CASE("Retry-After is clamped to 7 days") {
  const SystemTime wall = from_unix_millis(784'111'777'000);
  CHECK(kMaxRetryAfter == 168h);
  CHECK(parse_retry_after("604800", wall).value() == 168h);
  CHECK(parse_retry_after("604801", wall).value() == 168h);
  CHECK(parse_retry_after("999999999999", wall).value() == 168h);
  // 2024-01-01, thirty years after `wall`.
  CHECK(parse_retry_after("Mon, 01 Jan 2024 00:00:00 GMT", wall).value() == 168h);
}

TEST_CASE("malformed Retry-After values are typed errors") {
  const SystemTime wall = from_unix_millis(784'111'777'000);
  for (const char* bad : {"", " ", "-5", "+5", "1.5", "1e3", "5s", "9999999999999999999999", "soon", "0x10"}) {
    INFO(bad);
    const auto delay = parse_retry_after(bad, wall);
    REQUIRE(!delay.has_value());
    CHECK(delay.error().code == ErrorCode::protocol_error);
  }
}
