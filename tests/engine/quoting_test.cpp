// Tests for cts/engine/quoting.hpp, against hand-computed quotes.
#include <cts/engine/quoting.hpp>

#include <doctest/doctest.h>

#include "support/test_instruments.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;

namespace {
Instrument btcusdt() { return cts::testing::btcusdt_spot(); }
QuotingParams params() {
  QuotingParams p;
  p.half_spread_fraction = "0.001"_d;
  p.order_quantity = "0.005"_d;
  p.max_position = "0.01"_d;
  p.skew_fraction_per_unit = "0.001"_d;
  return p;
}
}  // namespace

TEST_CASE("flat inventory quotes symmetrically around the mid") {
  const Quote q = compute_quote(btcusdt(), params(), "60000"_d, Decimal{}).value();
  REQUIRE(q.bid);
  REQUIRE(q.ask);
  CHECK(q.bid->price == "59940"_d);  // 60000 − 60
  CHECK(q.ask->price == "60060"_d);
  CHECK(q.bid->quantity == "0.005"_d);
  CHECK(q.ask->quantity == "0.005"_d);
}

TEST_CASE("quotes round away from the mid to the tick") {
  // half spread 60.000005: bid 59940.004995 -> 59940.00, ask 60060.005005 -> 60060.01
  const Quote q = compute_quote(btcusdt(), params(), "60000.005"_d, Decimal{}).value();
  CHECK(q.bid->price == "59940"_d);
  CHECK(q.ask->price == "60060.01"_d);
}

TEST_CASE("long inventory skews both quotes down and trims the bid") {
  // reservation = 60000 · (1 − 0.001·0.008) = 59999.52; bid 59939.52, ask 60059.52
  const Quote q = compute_quote(btcusdt(), params(), "60000"_d, "0.008"_d).value();
  CHECK(q.bid->price == "59939.52"_d);
  CHECK(q.ask->price == "60059.52"_d);
  CHECK(q.bid->quantity == "0.002"_d);   // room to the limit
  CHECK(q.ask->quantity == "0.005"_d);
  const Quote at_limit = compute_quote(btcusdt(), params(), "60000"_d, "0.01"_d).value();
  CHECK(!at_limit.bid);
  CHECK(at_limit.ask);
  const Quote short_limit = compute_quote(btcusdt(), params(), "60000"_d, "-0.01"_d).value();
  CHECK(short_limit.bid);
  CHECK(!short_limit.ask);
}

TEST_CASE("a tiny spread still leaves the ask above the bid") {
  QuotingParams p = params();
  p.half_spread_fraction = Decimal{};
  const Quote q = compute_quote(btcusdt(), p, "100.005"_d, Decimal{}).value();
  CHECK(q.bid->price == "100"_d);
  CHECK(q.ask->price == "100.01"_d);
  const Quote exact = compute_quote(btcusdt(), p, "100"_d, Decimal{}).value();
  CHECK(exact.ask->price - exact.bid->price == "0.01"_d);
}

TEST_CASE("bad inputs are typed errors") {
  CHECK(compute_quote(btcusdt(), params(), Decimal{}, Decimal{}).error().code == ErrorCode::invalid_argument);
  Instrument no_tick = btcusdt();
  no_tick.tick_size = Decimal{};
  CHECK(compute_quote(no_tick, params(), "1"_d, Decimal{}).error().code == ErrorCode::invalid_argument);
}
