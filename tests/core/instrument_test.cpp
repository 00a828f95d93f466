// Tests for cts/core/instrument.hpp.
#include <cts/core/instrument.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::literals;

namespace {
Instrument btcusdt() {
  Instrument i;
  i.venue_symbol = "BTCUSDT";
  i.base = "BTC";
  i.quote = "USDT";
  i.kind = InstrumentKind::spot;
  i.tick_size = "0.01"_d;
  i.step_size = "0.00001"_d;
  i.min_quantity = "0.00001"_d;
  i.max_quantity = "9000"_d;
  i.min_notional = "5"_d;
  return i;
}

std::string violation(const Instrument& i, const OrderCheck& o) {
  auto r = i.validate(o);
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::invalid_argument);
  return r.error().message;
}
}  // namespace

TEST_CASE("unified symbols follow ccxt's convention") {
  Instrument spot = btcusdt();
  CHECK(spot.unified_symbol() == "BTC/USDT");
  Instrument perp = spot;
  perp.kind = InstrumentKind::linear_perpetual;
  perp.settle = "USDT";
  CHECK(perp.unified_symbol() == "BTC/USDT:USDT");
  Instrument inverse = spot;
  inverse.quote = "USD";
  inverse.settle = "BTC";
  inverse.kind = InstrumentKind::inverse_perpetual;
  CHECK(inverse.unified_symbol() == "BTC/USD:BTC");
  Instrument dated = perp;
  dated.kind = InstrumentKind::linear_future;
  dated.expiry = "250627";
  CHECK(dated.unified_symbol() == "BTC/USDT:USDT-250627");
}

TEST_CASE("unified symbols parse and reject malformed text") {
  auto s = UnifiedSymbol::parse("BTC/USDT:USDT-250627").value();
  CHECK(s.base == "BTC");
  CHECK(s.quote == "USDT");
  CHECK(s.settle == "USDT");
  CHECK(s.expiry == "250627");
  CHECK(UnifiedSymbol::parse("BTC/USDT").value().to_string() == "BTC/USDT");
  CHECK(UnifiedSymbol::parse("1000PEPE/USDT:USDT").value().base == "1000PEPE");
  for (std::string_view bad : {"", "BTC", "BTCUSDT", "btc/usdt", "BTC/", "/USDT", "BTC/USDT:", "BTC/USDT:USDT-2506",
                               "BTC/USDT:USDT-25062X", "BTC/USDT USDT", "BTC//USDT"}) {
    auto r = UnifiedSymbol::parse(bad);
    CHECK_MESSAGE(!r, std::string(bad));
    if (!r) CHECK(r.error().message.find("position") != std::string::npos);
  }
}

TEST_CASE("rounding to tick and step") {
  const Instrument i = btcusdt();
  CHECK(i.round_price("64231.578"_d, Rounding::floor).value() == "64231.57"_d);
  CHECK(i.round_price("64231.571"_d, Rounding::ceiling).value() == "64231.58"_d);
  CHECK(i.round_price("64231.575"_d, Rounding::half_even).value() == "64231.58"_d);
  CHECK(i.round_quantity("0.123456789"_d, Rounding::toward_zero).value() == "0.12345"_d);
  Instrument broken = i;
  broken.tick_size = Decimal{};
  CHECK(broken.round_price("1"_d, Rounding::floor).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("validation names the violated rule") {
  const Instrument i = btcusdt();
  CHECK(i.validate({Side::buy, "0.001"_d, "64231.57"_d, std::nullopt}).has_value());
  CHECK(violation(i, {Side::buy, "0"_d, "1"_d, {}}) == "BTCUSDT: quantity 0 must be positive");
  CHECK(violation(i, {Side::buy, "0.000011"_d, "64231.57"_d, {}}) ==
        "BTCUSDT: quantity 0.000011 is not a multiple of step size 0.00001");
  CHECK(violation(i, {Side::buy, "9000.00001"_d, "1"_d, {}}) == "BTCUSDT: quantity 9000.00001 is above the maximum quantity 9000");
  CHECK(violation(i, {Side::sell, "0.001"_d, "64231.575"_d, {}}) ==
        "BTCUSDT: price 64231.575 is not a multiple of tick size 0.01");
  CHECK(violation(i, {Side::sell, "0.001"_d, "-1"_d, {}}) == "BTCUSDT: price -1 must be positive");
  CHECK(violation(i, {Side::buy, "0.00007"_d, "64231.57"_d, {}}) ==
        "BTCUSDT: notional 4.4962099 is below the minimum notional 5");
  // Market orders: valued at the reference price, or not at all.
  CHECK(i.validate({Side::buy, "0.00007"_d, std::nullopt, std::nullopt}).has_value());
  CHECK(!i.validate({Side::buy, "0.00007"_d, std::nullopt, "64231.57"_d}).has_value());
  Instrument min_qty = i;
  min_qty.min_quantity = "0.001"_d;
  min_qty.min_notional = Decimal{};
  CHECK(violation(min_qty, {Side::buy, "0.0001"_d, "1"_d, {}}) == "BTCUSDT: quantity 0.0001 is below the minimum quantity 0.001");
}

TEST_CASE("notional for linear, multiplier and inverse contracts") {
  Instrument linear = btcusdt();
  linear.kind = InstrumentKind::linear_perpetual;
  linear.multiplier = "0.001"_d;
  CHECK(linear.notional("10"_d, "60000"_d).value() == "600"_d);
  Instrument inverse = btcusdt();
  inverse.kind = InstrumentKind::inverse_perpetual;
  inverse.multiplier = "100"_d;
  CHECK(inverse.notional("3"_d, "60000"_d).value() == "300"_d);
  CHECK(is_inverse(InstrumentKind::inverse_future));
  CHECK(!is_inverse(InstrumentKind::linear_future));
  CHECK(fmt::format("{}", InstrumentKind::linear_perpetual) == "linear_perpetual");
}
