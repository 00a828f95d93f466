// Tests for cts/engine/risk.hpp: every limit refuses with a message naming it.
#include <cts/engine/risk.hpp>

#include <doctest/doctest.h>

#include "support/test_instruments.hpp"

#include <thread>

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using namespace std::chrono_literals;

namespace {
Instrument btcusdt() { return cts::testing::btcusdt_spot(); }
RiskLimits limits() {
  RiskLimits l;
  l.max_order_notional = "1000"_d;
  l.max_position = "0.05"_d;
  l.price_band_fraction = "0.05"_d;
  l.max_open_orders = 4;
  l.max_orders_per_window = 3;
  l.order_rate_window = 1s;
  return l;
}
std::string refusal(const Result<void>& r) {
  REQUIRE(!r);
  return r.error().message;
}
}  // namespace

TEST_CASE("an order inside every limit passes") {
  ManualClock clock;
  RiskGate gate(btcusdt(), limits());
  RiskContext ctx;
  ctx.mid = "60000"_d;
  CHECK(gate.check({Side::buy, "0.001"_d, "60000"_d}, ctx, clock.steady_now()).has_value());
}

TEST_CASE("notional, band, position, open orders") {
  ManualClock clock;
  RiskGate gate(btcusdt(), limits());
  RiskContext ctx;
  ctx.mid = "60000"_d;
  const auto now = clock.steady_now();
  auto r = gate.check({Side::buy, "0.02"_d, "60000"_d}, ctx, now);
  CHECK(r.error().code == ErrorCode::rejected);
  CHECK(refusal(r) == "BTCUSDT: order notional 1200 exceeds the limit 1000");
  CHECK(refusal(gate.check({Side::sell, "0.001"_d, "63000.01"_d}, ctx, now)) ==
        "BTCUSDT: price 63000.01 is outside the band of 0.05 around the mid 60000");
  CHECK(gate.check({Side::sell, "0.001"_d, "63000"_d}, ctx, now).has_value());
  CHECK(gate.check({Side::buy, "0.001"_d, "57000"_d}, ctx, now).has_value());
  ctx.position = "0.04"_d;
  ctx.open_buy_quantity = "0.005"_d;
  CHECK(refusal(gate.check({Side::buy, "0.006"_d, "60000"_d}, ctx, now)) ==
        "BTCUSDT: position could reach 0.051, above the limit 0.05");
  CHECK(gate.check({Side::buy, "0.005"_d, "60000"_d}, ctx, now).has_value());
  CHECK(gate.check({Side::sell, "0.006"_d, "60000"_d}, ctx, now).has_value());
  ctx.open_orders = 4;
  CHECK(refusal(gate.check({Side::sell, "0.001"_d, "60000"_d}, ctx, now)) == "BTCUSDT: 4 open orders, the limit is 4");
}

TEST_CASE("a band needs a mid; market orders are valued at the mid") {
  ManualClock clock;
  RiskGate gate(btcusdt(), limits());
  RiskContext no_mid;
  CHECK(refusal(gate.check({Side::buy, "0.001"_d, "60000"_d}, no_mid, clock.steady_now())) ==
        "BTCUSDT: no mid price known to check the price band");
  RiskContext ctx;
  ctx.mid = "60000"_d;
  CHECK(refusal(gate.check({Side::buy, "0.02"_d, std::nullopt}, ctx, clock.steady_now())) ==
        "BTCUSDT: order notional 1200 exceeds the limit 1000");
}

TEST_CASE("instrument rules come first, as invalid_argument") {
  ManualClock clock;
  RiskGate gate(btcusdt(), limits());
  RiskContext ctx;
  ctx.mid = "60000"_d;
  auto r = gate.check({Side::buy, "0.001"_d, "60000.001"_d}, ctx, clock.steady_now());
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::invalid_argument);
  CHECK(gate.check({Side::buy, "0.00001"_d, "60000"_d}, ctx, clock.steady_now()).error().code ==
        ErrorCode::invalid_argument);  // notional 0.6 < min notional 5
}

TEST_CASE("the self-imposed order rate counts sent orders in a sliding window") {
  ManualClock clock;
  RiskGate gate(btcusdt(), limits());
  RiskContext ctx;
  ctx.mid = "60000"_d;
  const OrderIntent order{Side::buy, "0.001"_d, "60000"_d};
  for (int i = 0; i < 3; ++i) {
    REQUIRE(gate.check(order, ctx, clock.steady_now()).has_value());
    gate.record_sent(clock.steady_now());
    clock.advance(100ms);
  }
  CHECK(refusal(gate.check(order, ctx, clock.steady_now())) == "BTCUSDT: order rate limit of 3 per 1000 ms reached");
  clock.advance(699ms);  // first send was 999 ms ago
  CHECK(!gate.check(order, ctx, clock.steady_now()));
  clock.advance(1ms);    // exactly one window after the first send
  CHECK(gate.check(order, ctx, clock.steady_now()).has_value());
}

TEST_CASE("the kill switch stops everything until reset [threads]") {
  ManualClock clock;
  KillSwitch kill;
  RiskGate gate(btcusdt(), limits(), &kill);
  RiskContext ctx;
  ctx.mid = "60000"_d;
  const OrderIntent order{Side::buy, "0.001"_d, "60000"_d};
  CHECK(gate.check(order, ctx, clock.steady_now()).has_value());
  std::thread other([&] { kill.trip("drawdown limit"); });
  other.join();
  CHECK(kill.tripped());
  CHECK(refusal(gate.check(order, ctx, clock.steady_now())) == "BTCUSDT: kill switch tripped (drawdown limit)");
  kill.trip("second reason is ignored");
  CHECK(kill.reason() == "drawdown limit");
  kill.reset();
  CHECK(gate.check(order, ctx, clock.steady_now()).has_value());
}
