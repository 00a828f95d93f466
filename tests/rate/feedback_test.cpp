// Tests for cts/rate/feedback.hpp: usage header parsing (Retry-After: tests/core/http_date_test.cpp).
#include <cts/rate/feedback.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::rate;

TEST_CASE("usage counts") {
  CHECK(parse_header_count("X-MBX-USED-WEIGHT-1M", "1187").value() == 1187);
  const auto bad = parse_header_count("X-MBX-USED-WEIGHT-1M", "");
  REQUIRE(!bad.has_value());
  CHECK(bad.error().message.find("X-MBX-USED-WEIGHT-1M") != std::string::npos);
  CHECK(!parse_header_count("X", "-1").has_value());
}
