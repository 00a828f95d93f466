// Tests for cts/sim/positions.hpp and the linear markets of cts/sim/matching_engine.hpp:
// position arithmetic, margin, reduce-only and leverage. Every expected value is computed
// by hand in the comment next to it (fees 0.1 % of price·qty, rounded up to 8 decimals;
// initial margin = value / leverage).
#include <cts/sim/positions.hpp>

#include <doctest/doctest.h>

#include <cts/sim/faults.hpp>
#include <cts/sim/market_flow.hpp>
#include <cts/sim/matching_engine.hpp>
#include <cts/sim/simulator.hpp>

using namespace cts;
using namespace cts::sim;
using namespace cts::literals;

namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;

// BTCUSDT linear (tick 0.10, step 0.001) beside BTCUSDT spot; `us` holds 1000 USDT and
// `them` (the counterparty) 1000000 USDT.
struct Linear {
  MatchingEngine engine;
  std::string market = market_key(InstrumentKind::linear_perpetual, "BTCUSDT");
  AccountId us, them;
  Linear() {
    Instrument spot = default_instruments()[0];
    engine.add_symbol(spot);
    const LinearMarket linear = default_linear_markets()[0];
    engine.add_symbol(linear.instrument, linear.filters);
    us = engine.create_account();
    them = engine.create_account();
    engine.deposit(us, "USDT", "1000"_d);
    engine.deposit(them, "USDT", "1000000"_d);
  }
  Result<PlaceOutcome> limit(AccountId who, Side side, Decimal qty, Decimal price, bool reduce_only = false) {
    OrderRequest r;
    r.account = who;
    r.symbol = market;
    r.side = side;
    r.quantity = qty;
    r.price = price;
    r.reduce_only = reduce_only;
    return engine.place(r, kNow);
  }
  Result<PlaceOutcome> market_order(AccountId who, Side side, Decimal qty, bool reduce_only = false) {
    OrderRequest r;
    r.account = who;
    r.symbol = market;
    r.side = side;
    r.type = SimOrderType::market;
    r.quantity = qty;
    r.reduce_only = reduce_only;
    return engine.place(r, kNow);
  }
  [[nodiscard]] Position position(AccountId who) const {
    const Position* p = engine.position(who, market);
    return p == nullptr ? Position{} : *p;
  }
  [[nodiscard]] Balance usdt(AccountId who) const { return engine.balance(who, "USDT"); }
  // We buy `qty` at `price` from them (they rest, we take).
  void go_long(Decimal qty, Decimal price) {
    REQUIRE(limit(them, Side::sell, qty, price));
    REQUIRE(market_order(us, Side::buy, qty));
  }
};

}  // namespace

TEST_CASE("position arithmetic: weighted entry, realised PnL, crossing through zero") {
  Position p;
  // Buy 0.002 at 30000, then 0.003 at 31000: entry = (0.002·30000 + 0.003·31000) / 0.005
  // = (60 + 93) / 0.005 = 30600.
  CHECK(apply_fill(p, Side::buy, "0.002"_d, "30000"_d) == Decimal{});
  CHECK(apply_fill(p, Side::buy, "0.003"_d, "31000"_d) == Decimal{});
  CHECK(p.size == "0.005"_d);
  CHECK(p.entry_price == "30600"_d);
  // value = 0.005·30600 = 153; margin at leverage 10 = 15.3.
  CHECK(p.value() == "153"_d);
  CHECK(p.initial_margin() == "15.3"_d);
  // Unrealised at 31000: (31000 − 30600)·0.005 = 2.
  CHECK(p.unrealised_pnl("31000"_d) == "2"_d);
  // Sell 0.001 at 32000 reduces: (32000 − 30600)·0.001 = 1.4; the entry stays.
  CHECK(apply_fill(p, Side::sell, "0.001"_d, "32000"_d) == "1.4"_d);
  CHECK(p.size == "0.004"_d);
  CHECK(p.entry_price == "30600"_d);
  CHECK(reducible(p, Side::sell) == "0.004"_d);
  CHECK(reducible(p, Side::buy) == Decimal{});
  // Sell 0.006 at 29000 crosses: closes 0.004, (29000 − 30600)·0.004 = −6.4, and opens a
  // 0.002 short at 29000.
  CHECK(apply_fill(p, Side::sell, "0.006"_d, "29000"_d) == "-6.4"_d);
  CHECK(p.size == "-0.002"_d);
  CHECK(p.entry_price == "29000"_d);
  CHECK(reducible(p, Side::buy) == "0.002"_d);
  // Short unrealised at 28500: (28500 − 29000)·(−0.002) = 1; value 0.002·29000 = 58.
  CHECK(p.unrealised_pnl("28500"_d) == "1"_d);
  CHECK(p.value() == "58"_d);
  // Sell 0.001 more at 28000: entry = (0.002·29000 + 0.001·28000) / 0.003 = 86 / 0.003
  // = 28666.666666666666666667 (18 decimals, half-even).
  CHECK(apply_fill(p, Side::sell, "0.001"_d, "28000"_d) == Decimal{});
  CHECK(p.entry_price == "28666.666666666666666667"_d);
  // Buy 0.003 at 28000 closes the short: (entry − 28000)·0.003 = 2.000000000000000000001,
  // rounded half-even to 18 decimals: 2.
  CHECK(apply_fill(p, Side::buy, "0.003"_d, "28000"_d) == "2"_d);
  CHECK(p.size == Decimal{});
  CHECK(p.entry_price == Decimal{});
  // Leverage 3: margin of a 0.001·30000 = 30 position is 10.
  Position three;
  three.leverage = "3"_d;
  apply_fill(three, Side::buy, "0.001"_d, "30000"_d);
  CHECK(three.initial_margin() == "10"_d);
}

TEST_CASE("contracts of a multiplier: value, margin and PnL per base unit times the contract size") {
  // OKX's BTC-USDT-SWAP: one contract is 0.01 BTC.
  Position p;
  p.multiplier = "0.01"_d;
  // Buy 2 contracts at 60000: value = 2·60000·0.01 = 1200; margin at leverage 10 = 120.
  CHECK(apply_fill(p, Side::buy, "2"_d, "60000"_d) == Decimal{});
  CHECK(p.size == "2"_d);
  CHECK(p.entry_price == "60000"_d);
  CHECK(p.value() == "1200"_d);
  CHECK(p.initial_margin() == "120"_d);
  // Unrealised at 59500: (59500 − 60000)·2·0.01 = −10.
  CHECK(p.unrealised_pnl("59500"_d) == "-10"_d);
  // Sell 1 at 61000 realises (61000 − 60000)·1·0.01 = 10.
  CHECK(apply_fill(p, Side::sell, "1"_d, "61000"_d) == "10"_d);
  CHECK(p.value() == "600"_d);

  // In the engine: a limit buy of 3 contracts at 50000 locks 3·50000·0.01 / 10 = 150; a
  // fill of 2 at 60000 pays 2·60000·0.01·0.1 % = 1.2.
  MatchingEngine engine;
  for (const MarketSpec& m : default_okx_markets()) engine.add_symbol(m.instrument, m.filters);
  const std::string swap = market_key(InstrumentKind::linear_perpetual, "BTC-USDT-SWAP");
  const AccountId us = engine.create_account();
  const AccountId them = engine.create_account();
  engine.deposit(us, "USDT", "1000"_d);
  engine.deposit(them, "USDT", "1000000"_d);
  OrderRequest bid;
  bid.account = us;
  bid.symbol = swap;
  bid.quantity = "3"_d;
  bid.price = "50000"_d;
  REQUIRE(engine.place(bid, kNow));
  CHECK(engine.balance(us, "USDT").locked == "150"_d);
  OrderRequest ask;
  ask.account = them;
  ask.symbol = swap;
  ask.side = Side::sell;
  ask.quantity = "2"_d;
  ask.price = "60000"_d;
  REQUIRE(engine.place(ask, kNow));
  OrderRequest take;
  take.account = us;
  take.symbol = swap;
  take.type = SimOrderType::market;
  take.quantity = "2"_d;
  const auto taken = engine.place(take, kNow);
  REQUIRE(taken);
  REQUIRE(taken->fills.size() == 1);
  CHECK(taken->fills[0].commission == "1.2"_d);
  CHECK(taken->fills[0].quote_quantity == "120000"_d);  // price·qty: the average price's numerator
  CHECK(engine.balance(us, "USDT").free == "848.8"_d);  // 1000 − 150 − 1.2
  CHECK(engine.position(us, swap)->value() == "1200"_d);
  CHECK(engine.position_margin(us, "USDT") == "120"_d);
}

TEST_CASE("linear fills move the position, not the base balance; fees and PnL in USDT") {
  Linear v;
  // We bid 0.01 at 30000: margin 300 / 10 = 30 locked.
  REQUIRE(v.limit(v.us, Side::buy, "0.01"_d, "30000"_d));
  CHECK(v.usdt(v.us).locked == "30"_d);
  CHECK(v.usdt(v.us).free == "970"_d);
  CHECK(v.engine.order_margin(v.us, "USDT") == "30"_d);
  // They sell into it: we are the maker, fee 300·0.001 = 0.3; the lock returns.
  const auto hit = v.market_order(v.them, Side::sell, "0.01"_d);
  REQUIRE(hit);
  REQUIRE(hit->fills.size() == 1);
  CHECK(hit->fills[0].commission == "0.3"_d);
  CHECK(hit->fills[0].commission_asset == "USDT");
  CHECK(v.usdt(v.us).locked == Decimal{});
  CHECK(v.usdt(v.us).free == "999.7"_d);  // 1000 − 0.3
  CHECK(v.engine.balance(v.us, "BTC").free == Decimal{});
  const Position ours = v.position(v.us);
  CHECK(ours.size == "0.01"_d);
  CHECK(ours.entry_price == "30000"_d);
  CHECK(ours.realised_pnl() == "-0.3"_d);
  CHECK(v.position(v.them).size == "-0.01"_d);
  CHECK(v.engine.position_margin(v.us, "USDT") == "30"_d);
  CHECK(v.engine.order_margin(v.us, "USDT") == Decimal{});
  // The spot book of the same symbol saw nothing.
  CHECK(v.engine.recent_trades("BTCUSDT", 10).empty());
  CHECK(v.engine.recent_trades(v.market, 10).size() == 1);

  // Close at 31000 with a resting reduce-only sell (locks nothing): realised
  // (31000 − 30000)·0.01 = 10, maker fee 310·0.001 = 0.31 → free 999.7 + 10 − 0.31 = 1009.39.
  const auto close = v.limit(v.us, Side::sell, "0.01"_d, "31000"_d, true);
  REQUIRE(close);
  CHECK(v.usdt(v.us).locked == Decimal{});
  const auto take = v.market_order(v.them, Side::buy, "0.01"_d);
  REQUIRE(take);
  CHECK(v.usdt(v.us).free == "1009.39"_d);
  CHECK(v.position(v.us).size == Decimal{});
  CHECK(v.position(v.us).realised_pnl() == "9.39"_d);  // 10 − 0.3 − 0.31
  const auto fills = v.engine.account_fills(v.us, v.market);
  REQUIRE(fills.size() == 2);
  CHECK(fills[1].closed_quantity == "0.01"_d);
  CHECK(fills[1].realised_pnl == "10"_d);
  CHECK(v.engine.position_margin(v.us, "USDT") == Decimal{});
}

TEST_CASE("a fill through zero realises the closed part and opens the rest at the fill price") {
  Linear v;
  v.go_long("0.01"_d, "30000"_d);  // taker fee 300·0.001 = 0.3 → free 999.7
  // They bid 0.03 at 29000; we sell 0.03 at market: close 0.01, (29000 − 30000)·0.01 =
  // −10; open a 0.02 short at 29000; taker fee 870·0.001 = 0.87.
  REQUIRE(v.limit(v.them, Side::buy, "0.03"_d, "29000"_d));
  const auto sold = v.market_order(v.us, Side::sell, "0.03"_d);
  REQUIRE(sold);
  REQUIRE(sold->fills.size() == 1);
  CHECK(sold->fills[0].closed_quantity == "0.01"_d);
  CHECK(sold->fills[0].realised_pnl == "-10"_d);
  const Position p = v.position(v.us);
  CHECK(p.size == "-0.02"_d);
  CHECK(p.entry_price == "29000"_d);
  CHECK(v.usdt(v.us).free == "988.83"_d);  // 999.7 − 10 − 0.87
  // Margin of the short: 0.02·29000 / 10 = 58.
  CHECK(v.engine.position_margin(v.us, "USDT") == "58"_d);
}

TEST_CASE("reduce-only orders that would increase or exceed the position are refused and change nothing") {
  Linear v;
  // No position: any reduce-only order is refused.
  auto none = v.limit(v.us, Side::sell, "0.001"_d, "31000"_d, true);
  REQUIRE_FALSE(none);
  CHECK(none.error().venue_code == "110017");
  CHECK(none.error().message == "ReduceOnly rule not satisified.");
  v.go_long("0.01"_d, "30000"_d);
  const Balance before = v.usdt(v.us);
  // A reduce-only buy would increase the long; a sell of 0.011 would exceed it.
  for (const auto& [side, qty] : {std::pair{Side::buy, "0.001"_d}, std::pair{Side::sell, "0.011"_d}}) {
    auto refused = v.limit(v.us, side, qty, "30000"_d, true);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().venue_code == "110017");
    CHECK(refused.error().code == ErrorCode::invalid_argument);
  }
  auto market_refused = v.market_order(v.us, Side::sell, "0.02"_d, true);
  REQUIRE_FALSE(market_refused);
  CHECK(market_refused.error().venue_code == "110017");
  CHECK(v.engine.open_orders(v.us, v.market).empty());
  CHECK(v.usdt(v.us).free == before.free);
  CHECK(v.usdt(v.us).locked == before.locked);
  CHECK(v.position(v.us).size == "0.01"_d);
  // Exactly the size is accepted.
  CHECK(v.limit(v.us, Side::sell, "0.01"_d, "31000"_d, true));
  // Reduce-only is for linear: on spot it is refused.
  OrderRequest spot;
  spot.account = v.us;
  spot.symbol = "BTCUSDT";
  spot.side = Side::sell;
  spot.quantity = "0.001"_d;
  spot.price = "30000"_d;
  spot.reduce_only = true;
  CHECK_FALSE(v.engine.place(spot, kNow));
}

TEST_CASE("a resting reduce-only order never grows the position: reached with nothing to reduce, it is cancelled") {
  Linear v;
  v.go_long("0.01"_d, "30000"_d);
  // A plain sell at 30500 and a reduce-only sell at 31000, both 0.01.
  const auto plain = v.limit(v.us, Side::sell, "0.01"_d, "30500"_d);
  REQUIRE(plain);
  const auto reduce = v.limit(v.us, Side::sell, "0.01"_d, "31000"_d, true);
  REQUIRE(reduce);
  // They buy 0.02 at market: the plain sell closes the long; the reduce-only one has nothing
  // left to reduce and is cancelled; their remainder expires.
  const auto bought = v.market_order(v.them, Side::buy, "0.02"_d);
  REQUIRE(bought);
  CHECK(bought->order.executed == "0.01"_d);
  CHECK(v.position(v.us).size == Decimal{});
  const Order* cancelled = v.engine.find_order(v.us, v.market, reduce->order.id, {});
  REQUIRE(cancelled != nullptr);
  CHECK(cancelled->status == OrderStatus::canceled);
  CHECK(cancelled->executed == Decimal{});
  CHECK(v.engine.open_orders(v.us, v.market).empty());
}

TEST_CASE("margin: an order needing more than the available USDT is refused; positions hold margin") {
  Linear v;
  // 0.34 at 30000 = 10200 / 10 = 1020 > 1000: refused with Bybit's 110007.
  auto refused = v.limit(v.us, Side::buy, "0.34"_d, "30000"_d);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().venue_code == "110007");
  CHECK(refused.error().message == "Insufficient available balance");
  CHECK(refused.error().code == ErrorCode::insufficient_funds);
  CHECK(v.usdt(v.us).free == "1000"_d);
  CHECK(v.usdt(v.us).locked == Decimal{});
  // 0.33 at 30000 = 9900 / 10 = 990 fits.
  REQUIRE(v.limit(v.us, Side::buy, "0.33"_d, "30000"_d));
  CHECK(v.usdt(v.us).locked == "990"_d);
  v.engine.cancel_all(v.us, v.market, kNow);
  // A long of 0.3 at 30000 holds 900 of margin (free 1000 − taker fee 9000·0.001 = 991):
  // what remains available is 91, so a further 0.031 at 30000 (93) is refused and 0.03 (90)
  // accepted.
  v.go_long("0.3"_d, "30000"_d);
  CHECK(v.usdt(v.us).free == "991"_d);
  CHECK(v.engine.position_margin(v.us, "USDT") == "900"_d);
  CHECK_FALSE(v.limit(v.us, Side::buy, "0.031"_d, "30000"_d));
  CHECK(v.limit(v.us, Side::buy, "0.03"_d, "30000"_d));
  // The same margin binds spot buys of USDT: 91 − 90 = 1 left, a 5 USDT spot buy is refused.
  OrderRequest spot;
  spot.account = v.us;
  spot.symbol = "BTCUSDT";
  spot.side = Side::buy;
  spot.quantity = "0.0001"_d;
  spot.price = "50000"_d;
  auto spot_refused = v.engine.place(spot, kNow);
  REQUIRE_FALSE(spot_refused);
  CHECK(spot_refused.error().venue_code == "-2010");
}

TEST_CASE("leverage: set within the filter, not modified, and the margin follows it") {
  Linear v;
  CHECK(v.engine.leverage(v.us, v.market) == "10"_d);
  auto same = v.engine.set_leverage(v.us, v.market, "10"_d, kNow);
  REQUIRE_FALSE(same);
  CHECK(same.error().venue_code == "110043");
  CHECK(same.error().message == "Set leverage not modified");
  for (const Decimal bad : {"0.5"_d, "100.01"_d, "2.005"_d}) {
    auto refused = v.engine.set_leverage(v.us, v.market, bad, kNow);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().venue_code == "10001");
  }
  CHECK_FALSE(v.engine.set_leverage(v.us, "BTCUSDT", "5"_d, kNow));  // spot has no leverage
  CHECK(v.engine.leverage(v.us, v.market) == "10"_d);
  REQUIRE(v.engine.set_leverage(v.us, v.market, "20"_d, kNow));
  // 0.01 at 30000 at leverage 20: 300 / 20 = 15.
  REQUIRE(v.limit(v.us, Side::buy, "0.01"_d, "30000"_d));
  CHECK(v.usdt(v.us).locked == "15"_d);
  v.engine.cancel_all(v.us, v.market, kNow);
  // A 0.3 long at 30000 (fee 9, free 991) holds 9000 / 20 = 450; leverage 1 would need
  // 9000, 8550 more than the 541 available: refused with 110044, nothing changes.
  v.go_long("0.3"_d, "30000"_d);
  CHECK(v.engine.position_margin(v.us, "USDT") == "450"_d);
  auto too_low = v.engine.set_leverage(v.us, v.market, "1"_d, kNow);
  REQUIRE_FALSE(too_low);
  CHECK(too_low.error().venue_code == "110044");
  CHECK(v.engine.leverage(v.us, v.market) == "20"_d);
  // Leverage 2 needs 4500 − 450 = 4050 more: also refused; 12.5 needs 720 − 450 = 270: fine.
  CHECK_FALSE(v.engine.set_leverage(v.us, v.market, "2"_d, kNow));
  REQUIRE(v.engine.set_leverage(v.us, v.market, "12.5"_d, kNow));
  CHECK(v.engine.position_margin(v.us, "USDT") == "720"_d);
}

TEST_CASE("the mark price is the mid of the book, else the last trade") {
  Linear v;
  CHECK_FALSE(v.engine.mark_price(v.market));
  REQUIRE(v.limit(v.them, Side::buy, "0.01"_d, "29999.9"_d));
  REQUIRE(v.limit(v.them, Side::sell, "0.01"_d, "30000.2"_d));
  // (29999.9 + 30000.2) / 2 = 30000.05
  CHECK(v.engine.mark_price(v.market) == "30000.05"_d);
  REQUIRE(v.market_order(v.us, Side::buy, "0.01"_d));
  // Only the bid is left: the last trade, 30000.2.
  CHECK(v.engine.mark_price(v.market) == "30000.2"_d);
}

TEST_CASE("linear invariants over a seeded market: sizes sum to zero, USDT moves only by realised PnL") {
  MatchingEngine engine;
  const LinearMarket linear = default_linear_markets()[0];
  engine.add_symbol(linear.instrument, linear.filters);
  const std::string market = market_key(InstrumentKind::linear_perpetual, "BTCUSDT");
  MarketFlowConfig config;
  config.seed = 7;
  config.start_price[market] = "60000"_d;
  config.taker_ppm = 600'000;
  MarketFlow flow(engine, config, kNow);
  const AccountId us = engine.create_account();
  engine.deposit(us, "USDT", "50000"_d);
  const AccountId accounts = us + 1;  // every account is an index below this one
  const Decimal deposited = engine.total_supply("USDT");
  SplitMix64 dice(11);
  for (int i = 1; i <= 400; ++i) {
    const std::int64_t now = kNow + i * 250;
    flow.step(now);
    // Our random orders: limit or market, either side, sometimes reduce-only.
    OrderRequest r;
    r.account = us;
    r.symbol = market;
    r.side = dice.below(2) == 0 ? Side::buy : Side::sell;
    r.quantity = "0.001"_d * static_cast<std::int64_t>(1 + dice.below(20));
    r.reduce_only = dice.chance(300'000);
    if (dice.below(3) == 0) {
      r.type = SimOrderType::market;
    } else {
      r.price = flow.mid(market) + "0.1"_d * (static_cast<std::int64_t>(dice.below(401)) - 200);
    }
    (void)engine.place(r, now);  // refusals (margin, reduce-only) are part of the test
    if (dice.chance(100'000)) engine.cancel_all(us, market, now);

    Decimal sizes, closed, total_pnl;
    const Decimal mark = engine.mark_price(market).value();
    for (AccountId a = 0; a < accounts; ++a) {
      Decimal order_locks;
      for (const Order& o : engine.open_orders(a, market)) {
        order_locks += o.locked;
        if (o.reduce_only) CHECK(o.locked.is_zero());
      }
      CHECK(engine.balance(a, "USDT").locked == order_locks);
      if (const Position* p = engine.position(a, market)) {
        sizes += p->size;
        closed += p->closed_pnl;
        total_pnl += p->closed_pnl + p->unrealised_pnl(mark);
      }
    }
    // Every fill has a buyer and a seller of the same quantity.
    REQUIRE(sizes == Decimal{});
    // USDT is created or destroyed only by closed PnL; fees move to the collected pool.
    REQUIRE(engine.total_supply("USDT") == deposited + closed);
    // Trading is zero-sum at any common mark, up to the rounding of average entries.
    REQUIRE(total_pnl.abs() <= "0.000000001"_d);
  }
  // The market did trade and we did hold positions.
  CHECK(engine.recent_trades(market, 1000).size() > 100);
  CHECK(engine.account_fills(us, market).size() > 10);
}
