// Tests for cts/order/position.hpp: hand-computed linear, inverse and multiplier PnL,
// fees in and out of the settlement asset, spot base-fee adjustment, guards.
// Expected values computed by hand and checked with python3's decimal module.
#include <cts/order/position.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::order;
using namespace cts::literals;

namespace {

Instrument instrument(std::string base, std::string quote, std::string settle, InstrumentKind kind,
                      Decimal multiplier = "1"_d) {
  Instrument i;
  i.base = std::move(base);
  i.quote = std::move(quote);
  i.settle = std::move(settle);
  i.kind = kind;
  i.tick_size = "0.01"_d;
  i.step_size = "0.001"_d;
  i.multiplier = multiplier;
  return i;
}

Fill fill(std::string_view trade, Decimal qty, Decimal price, Decimal fee = {}, std::string_view asset = {}) {
  return Fill{TradeId::from(trade).value(), qty, price, fee, Asset::from(asset).value()};
}

Position linear(Decimal multiplier = "1"_d) {
  return Position(PositionSpec::from(instrument("BTC", "USDT", "USDT", InstrumentKind::linear_perpetual, multiplier)).value(),
                  "BTC/USDT:USDT");
}
Position inverse() {
  return Position(PositionSpec::from(instrument("BTC", "USD", "BTC", InstrumentKind::inverse_perpetual, "100"_d)).value(),
                  "BTC/USD:BTC");
}
Position spot() {
  return Position(PositionSpec::from(instrument("BTC", "USDT", "", InstrumentKind::spot)).value(), "BTC/USDT");
}

}  // namespace

TEST_CASE("a round trip at one price realizes minus the settlement-asset fees only") {
  Position p = linear();
  REQUIRE(p.apply(Side::buy, fill("1", "1"_d, "100"_d, "0.1"_d, "USDT"), {}).has_value());
  REQUIRE(p.apply(Side::sell, fill("2", "1"_d, "100"_d, "0.1"_d, "USDT"), {}).has_value());
  CHECK(p.realized_pnl() == "-0.2"_d);
  CHECK(p.fee("USDT") == "0.2"_d);
  CHECK(p.is_closed());
  CHECK(p.side() == PositionSide::flat);
  CHECK(p.ts_closed().has_value());

  Position q = linear();
  REQUIRE(q.apply(Side::buy, fill("1", "1"_d, "100"_d, "0.0001"_d, "BNB"), {}).has_value());
  REQUIRE(q.apply(Side::sell, fill("2", "1"_d, "100"_d, "0.0001"_d, "BNB"), {}).has_value());
  CHECK(q.realized_pnl() == "0"_d);
  CHECK(q.fee("BNB") == "0.0002"_d);
}

TEST_CASE("linear long and short PnL, average open and close") {
  Position p = linear();
  REQUIRE(p.apply(Side::buy, fill("1", "1"_d, "100"_d), {}).has_value());
  REQUIRE(p.apply(Side::buy, fill("2", "3"_d, "104"_d), {}).has_value());
  CHECK(p.signed_qty() == "4"_d);
  CHECK(p.avg_open() == "103"_d);  // (100 + 312) / 4
  CHECK(p.peak_qty() == "4"_d);
  REQUIRE(p.apply(Side::sell, fill("3", "2"_d, "110"_d), {}).has_value());
  CHECK(p.realized_pnl() == "14"_d);  // 2 * (110 - 103)
  CHECK(p.avg_open() == "103"_d);
  CHECK(p.avg_close() == "110"_d);
  CHECK(p.unrealized_pnl("100"_d).value() == "-6"_d);  // 2 * (100 - 103)

  Position s = linear();
  REQUIRE(s.apply(Side::sell, fill("1", "2"_d, "100"_d), {}).has_value());
  CHECK(s.side() == PositionSide::short_);
  CHECK(s.unrealized_pnl("90"_d).value() == "20"_d);
  REQUIRE(s.apply(Side::buy, fill("2", "2"_d, "95"_d), {}).has_value());
  CHECK(s.realized_pnl() == "10"_d);
}

TEST_CASE("partial closes of a non-terminating average keep the cycle's PnL exact") {
  Position p = linear();
  REQUIRE(p.apply(Side::buy, fill("1", "1"_d, "1"_d), {}).has_value());
  REQUIRE(p.apply(Side::buy, fill("2", "2"_d, "2"_d), {}).has_value());
  CHECK(p.avg_open() == "1.666666666666666667"_d);
  REQUIRE(p.apply(Side::sell, fill("3", "1"_d, "2"_d), {}).has_value());
  // removed cost = 5 * 1/3 = 1.666666666666666667 (half-even), pnl = 2 - that
  CHECK(p.realized_pnl() == "0.333333333333333333"_d);
  REQUIRE(p.apply(Side::sell, fill("4", "2"_d, "2"_d), {}).has_value());
  CHECK(p.realized_pnl() == "1"_d);  // 6 sold - 5 bought, exactly
}

TEST_CASE("multiplier contracts scale PnL") {
  Position p = linear("0.001"_d);
  REQUIRE(p.apply(Side::buy, fill("1", "5"_d, "2000"_d), {}).has_value());
  REQUIRE(p.apply(Side::sell, fill("2", "5"_d, "2100"_d), {}).has_value());
  CHECK(p.realized_pnl() == "0.5"_d);  // 5 * 0.001 * 100
}

TEST_CASE("inverse PnL in the base asset, hand-computed") {
  Position p = inverse();
  REQUIRE(p.apply(Side::buy, fill("1", "10"_d, "50000"_d), {}).has_value());
  // unrealized at 40000: 1000/50000 - 1000/40000 = 0.02 - 0.025
  CHECK(p.unrealized_pnl("40000"_d).value() == "-0.005"_d);
  REQUIRE(p.apply(Side::sell, fill("2", "10"_d, "60000"_d, "0.00001"_d, "BTC"), {}).has_value());
  // 10 * 100 * (1/50000 - 1/60000) = 1/300; 1000/60000 rounds half-even to 0.016666666666666667
  CHECK(p.realized_pnl() == "0.003333333333333333"_d - "0.00001"_d);
  CHECK(p.spec().pnl_asset().view() == "BTC");

  Position s = inverse();
  REQUIRE(s.apply(Side::sell, fill("1", "10"_d, "60000"_d), {}).has_value());
  REQUIRE(s.apply(Side::buy, fill("2", "10"_d, "50000"_d), {}).has_value());
  CHECK(s.realized_pnl() == "0.003333333333333333"_d);
}

TEST_CASE("inverse contracts refuse zero and negative prices, linear ones accept negative prices") {
  Position p = inverse();
  const Position before = p;
  CHECK(p.apply(Side::buy, fill("1", "1"_d, "0"_d), {}).error().code == ErrorCode::invalid_argument);
  CHECK(p.apply(Side::buy, fill("1", "1"_d, "-5"_d), {}).error().code == ErrorCode::invalid_argument);
  CHECK(p == before);
  CHECK(p.unrealized_pnl("0"_d).has_value());  // flat: nothing to value
  Position spread = linear();
  REQUIRE(spread.apply(Side::buy, fill("1", "1"_d, "-2"_d), {}).has_value());
  REQUIRE(spread.apply(Side::sell, fill("2", "1"_d, "1"_d), {}).has_value());
  CHECK(spread.realized_pnl() == "3"_d);
}

TEST_CASE("spot: a fee paid in the base asset reduces the position, the average stays") {
  Position p = spot();
  REQUIRE(p.apply(Side::buy, fill("1", "1"_d, "50000"_d, "0.001"_d, "BTC"), {}).has_value());
  CHECK(p.signed_qty() == "0.999"_d);
  CHECK(p.avg_open() == "50000"_d);
  CHECK(p.fee("BTC") == "0.001"_d);
  CHECK(p.realized_pnl() == "0"_d);
  REQUIRE(p.apply(Side::sell, fill("2", "0.999"_d, "51000"_d, "50.949"_d, "USDT"), {}).has_value());
  CHECK(p.is_closed());
  CHECK(p.realized_pnl() == "999"_d - "50.949"_d);  // 0.999 * 1000 minus the quote fee
}

TEST_CASE("a position refuses fills that cross zero, bad fills and fills after closing, unchanged") {
  Position p = linear();
  REQUIRE(p.apply(Side::buy, fill("1", "1"_d, "100"_d), {}).has_value());
  const Position before = p;
  CHECK(p.apply(Side::sell, fill("2", "2"_d, "100"_d), {}).error().code == ErrorCode::invalid_argument);
  CHECK(p.apply(Side::sell, fill("2", "0"_d, "100"_d), {}).error().code == ErrorCode::invalid_argument);
  CHECK(p.apply(Side::sell, fill("2", "1"_d, "100"_d, "1"_d, ""), {}).error().code == ErrorCode::invalid_argument);
  CHECK(p.apply(Side::buy, fill("2", "1"_d, Decimal::max()), {}).error().code == ErrorCode::out_of_range);
  CHECK(p == before);
  REQUIRE(p.apply(Side::sell, fill("2", "1"_d, "100"_d), {}).has_value());
  CHECK(p.apply(Side::buy, fill("3", "1"_d, "100"_d), {}).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("a fee that would overflow the position's fee total is refused and changes nothing") {
  Position p = linear();
  REQUIRE(p.apply(Side::buy, fill("1", "1"_d, "100"_d, Decimal::max(), "BNB"), {}).has_value());
  const Position before = p;
  const auto overflow = p.apply(Side::buy, fill("2", "1"_d, "100"_d, Decimal::from_raw(1), "BNB"), {});
  REQUIRE(!overflow);
  CHECK(overflow.error().code == ErrorCode::out_of_range);
  CHECK(p == before);
  CHECK(p.fee("BNB") == Decimal::max());
}
