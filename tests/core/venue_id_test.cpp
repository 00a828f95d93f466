// Tests for cts/core/venue_id.hpp.
#include <cts/core/venue_id.hpp>

#include <doctest/doctest.h>

using namespace cts;

TEST_CASE("venue names parse") {
  for (VenueId v : kAllVenues) CHECK(parse_venue(to_string(v)).value() == v);
  CHECK(parse_venue("BINANCE").value() == VenueId::binance_spot);
  CHECK(parse_venue("binance-spot").value() == VenueId::binance_spot);
  auto r = parse_venue("ftx");
  REQUIRE(!r);
  CHECK(r.error().message.find("unknown venue \"ftx\"") == 0);
}
