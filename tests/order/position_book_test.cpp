// Tests for cts/order/position_book.hpp: flip split with pro-rata fees, netting ≡ fold
// of hedging legs, cycle snapshots, and an exact PnL identity over random fills.
#include <cts/order/position_book.hpp>

#include <doctest/doctest.h>

#include <random>

using namespace cts;
using namespace cts::order;
using namespace cts::literals;

namespace {

Instrument linear_instrument() {
  Instrument i;
  i.base = "BTC";
  i.quote = "USDT";
  i.settle = "USDT";
  i.kind = InstrumentKind::linear_perpetual;
  i.tick_size = "0.1"_d;
  i.step_size = "0.001"_d;
  return i;
}
constexpr std::string_view kSymbol = "BTC/USDT:USDT";

Order make_order(std::string_view id, Side side, std::string position = {}) {
  OrderRequest r;
  r.client_id = ClientOrderId::from(id).value();
  r.symbol = std::string(kSymbol);
  r.side = side;
  r.type = OrderType::market;
  r.quantity = "1000"_d;
  r.position_id = std::move(position);
  return Order::create(r).value();
}

Fill fill(std::string_view trade, Decimal qty, Decimal price, Decimal fee = {}, std::string_view asset = {}) {
  return Fill{TradeId::from(trade).value(), qty, price, fee, Asset::from(asset).value()};
}

PositionBook book(OmsType oms) {
  PositionBook b(oms);
  b.add_instrument(PositionSpec::from(linear_instrument()).value());
  return b;
}

}  // namespace

TEST_CASE("a fill crossing zero closes at its price and opens the rest, fee split pro rata") {
  PositionBook b = book(OmsType::netting);
  REQUIRE(b.apply(make_order("A", Side::buy), fill("1", "1"_d, "100"_d), {}).has_value());
  REQUIRE(b.apply(make_order("B", Side::sell), fill("2", "3"_d, "110"_d, "0.3"_d, "USDT"), {}).has_value());
  const Position* current = b.find(kSymbol);
  REQUIRE(current != nullptr);
  CHECK(current->signed_qty() == "-2"_d);
  CHECK(current->avg_open() == "110"_d);
  CHECK(current->fee("USDT") == "0.2"_d);
  CHECK(current->realized_pnl() == "-0.2"_d);
  const auto* closed = b.closed_cycles(kSymbol);
  REQUIRE(closed->size() == 1);
  CHECK(closed->front().realized_pnl() == "9.9"_d);  // 10 minus a third of the fee
  CHECK(closed->front().fee("USDT") + current->fee("USDT") == "0.3"_d);
  CHECK(b.realized_pnl(kSymbol) == "9.7"_d);
  CHECK(b.net_quantity(kSymbol) == "-2"_d);
}

TEST_CASE("an uneven fee split gives the open part the remainder, so the parts sum to the fee") {
  PositionBook b = book(OmsType::netting);
  REQUIRE(b.apply(make_order("A", Side::buy), fill("1", "1"_d, "100"_d), {}).has_value());
  REQUIRE(b.apply(make_order("B", Side::sell), fill("2", "3"_d, "100"_d, "1"_d, "USDT"), {}).has_value());
  const Decimal close_fee = b.closed_cycles(kSymbol)->front().fee("USDT");
  CHECK(close_fee == "0.333333333333333333"_d);
  CHECK(b.find(kSymbol)->fee("USDT") == "0.666666666666666667"_d);
}

TEST_CASE("spot: a base-asset fee on a fill crossing zero reduces the new holding by the whole fee") {
  // Hand-computed as the venue's balance moves: -0.000001 + 0.001 bought - 0.000001 fee.
  Instrument spot;
  spot.base = "BTC";
  spot.quote = "USDT";
  spot.kind = InstrumentKind::spot;
  spot.tick_size = "0.01"_d;
  spot.step_size = "0.000001"_d;
  PositionBook b(OmsType::netting);
  b.add_instrument(PositionSpec::from(spot).value());
  auto spot_order = [](std::string_view id, Side side) {
    OrderRequest r;
    r.client_id = ClientOrderId::from(id).value();
    r.symbol = "BTC/USDT";
    r.side = side;
    r.type = OrderType::market;
    r.quantity = "1"_d;
    return Order::create(r).value();
  };
  REQUIRE(b.apply(spot_order("S", Side::sell), fill("1", "0.000001"_d, "60000"_d, "0.06"_d, "USDT"), {}));
  CHECK(b.net_quantity("BTC/USDT") == "-0.000001"_d);
  REQUIRE(b.apply(spot_order("B", Side::buy), fill("2", "0.001"_d, "60000"_d, "0.000001"_d, "BTC"), {}));
  CHECK(b.net_quantity("BTC/USDT") == "0.000998"_d);
  CHECK(b.closed_cycles("BTC/USDT")->front().signed_qty() == Decimal{});
}

TEST_CASE("netting reopens under the same id after flat; the book keeps every cycle") {
  PositionBook b = book(OmsType::netting);
  REQUIRE(b.apply(make_order("A", Side::buy), fill("1", "1"_d, "100"_d), {}).has_value());
  REQUIRE(b.apply(make_order("B", Side::sell), fill("2", "1"_d, "105"_d), {}).has_value());
  REQUIRE(b.apply(make_order("C", Side::buy), fill("3", "2"_d, "90"_d), {}).has_value());
  CHECK(b.find(kSymbol)->signed_qty() == "2"_d);
  CHECK(b.find(kSymbol)->realized_pnl() == "0"_d);
  CHECK(b.closed_cycles(kSymbol)->size() == 1);
  CHECK(b.realized_pnl(kSymbol) == "5"_d);
  CHECK(b.ids() == std::vector<std::string>{std::string(kSymbol)});
}

TEST_CASE("hedging: each order trades its own position unless it names one") {
  PositionBook b = book(OmsType::hedging);
  REQUIRE(b.apply(make_order("L", Side::buy), fill("1", "1"_d, "100"_d), {}).has_value());
  REQUIRE(b.apply(make_order("S", Side::sell), fill("2", "2"_d, "100"_d), {}).has_value());
  CHECK(b.find("L")->signed_qty() == "1"_d);
  CHECK(b.find("S")->signed_qty() == "-2"_d);
  CHECK(b.net_quantity(kSymbol) == "-1"_d);
  CHECK_FALSE(b.avg_open(kSymbol).has_value());  // long and short legs at once
  REQUIRE(b.apply(make_order("X", Side::sell, "L"), fill("3", "1"_d, "110"_d), {}).has_value());
  CHECK(b.find("L")->is_closed());
  CHECK(b.realized_pnl(kSymbol) == "10"_d);
}

TEST_CASE("netting equals the fold of hedging legs over random same-side and mixed fills") {
  std::mt19937 rng(42);
  for (int round = 0; round < 100; ++round) {
    PositionBook net = book(OmsType::netting), hedge = book(OmsType::hedging);
    const bool same_side = round % 2 == 0;
    for (int i = 0; i < 20; ++i) {
      const Side side = same_side ? Side::buy : (rng() % 2 == 0 ? Side::buy : Side::sell);
      const std::string id = "O" + std::to_string(i);
      const Fill f = fill("T" + std::to_string(i), Decimal::from_int(1 + rng() % 9),
                          Decimal::from_int(90 + rng() % 20));
      REQUIRE(net.apply(make_order(id, side), f, {}).has_value());
      REQUIRE(hedge.apply(make_order(id, side), f, {}).has_value());
      CHECK(net.net_quantity(kSymbol) == hedge.net_quantity(kSymbol));
      if (same_side) CHECK(net.avg_open(kSymbol) == hedge.avg_open(kSymbol));
    }
  }
}

TEST_CASE("over random fills with flips, realized + unrealized equals cash flow + marked inventory, exactly") {
  std::mt19937 rng(99);
  for (int round = 0; round < 100; ++round) {
    PositionBook b = book(OmsType::netting);
    Decimal cash;  // Σ sell notional − Σ buy notional
    Decimal net;
    for (int i = 0; i < 40; ++i) {
      const Side side = rng() % 2 == 0 ? Side::buy : Side::sell;
      const Decimal qty = Decimal::from_raw(static_cast<Decimal::Raw>(1 + rng() % 5000) * 1'000'000'000'000'000);  // 0.001..5
      const Decimal px = Decimal::from_raw(static_cast<Decimal::Raw>(900'000 + rng() % 200'000) * 100'000'000'000'000'000);
      REQUIRE(b.apply(make_order("O" + std::to_string(i), side), fill("T" + std::to_string(i), qty, px), {}).has_value());
      const Decimal notional = qty.mul(px, Rounding::half_even);
      cash += side == Side::sell ? notional : -notional;
      net += side == Side::buy ? qty : -qty;
      // Σ closed cycles' realized + current realized == the book's total
      Decimal cycles;
      for (const Position& p : *b.closed_cycles(kSymbol)) cycles += p.realized_pnl();
      CHECK(cycles + b.find(kSymbol)->realized_pnl() == b.realized_pnl(kSymbol));
    }
    const Decimal mark = "100000"_d;
    CHECK(b.net_quantity(kSymbol) == net);
    CHECK(b.realized_pnl(kSymbol) + b.find(kSymbol)->unrealized_pnl(mark).value() == cash + net.mul(mark, Rounding::half_even));
  }
}

TEST_CASE("the book refuses unknown symbols and bad fills without change") {
  PositionBook b = book(OmsType::netting);
  OrderRequest r;
  r.client_id = ClientOrderId::from("Z").value();
  r.symbol = "ETH/USDT";
  r.type = OrderType::market;
  r.quantity = "1"_d;
  const Order unknown = Order::create(r).value();
  CHECK(b.apply(unknown, fill("1", "1"_d, "1"_d), {}).error().code == ErrorCode::invalid_argument);
  CHECK(b.check(make_order("A", Side::buy), fill("1", "0"_d, "1"_d)).error().code == ErrorCode::invalid_argument);
  const PositionBook before = b;
  CHECK_FALSE(b.apply(make_order("A", Side::buy), fill("1", "-1"_d, "1"_d), {}).has_value());
  CHECK(b == before);
  CHECK(b.ids().empty());
}
