// Tests for cts/sim/matching_engine.hpp. Expected amounts are computed by hand in the
// comments (fees 0.1 %, rounded up to 8 decimals).
#include <cts/sim/matching_engine.hpp>

#include <doctest/doctest.h>

#include <cts/sim/faults.hpp>

#include "sim/test_instrument.hpp"

using namespace cts;
using namespace cts::sim;
using namespace cts::literals;

namespace {

using test::btcusdt;

struct Fixture {
  MatchingEngine engine;
  AccountId a, b, c;
  Fixture() {
    engine.add_symbol(btcusdt());
    a = engine.create_account();
    b = engine.create_account();
    c = engine.create_account();
    for (AccountId id : {a, b, c}) {
      engine.deposit(id, "USDT", "100000"_d);
      engine.deposit(id, "BTC", "10"_d);
    }
  }
  Result<PlaceOutcome> limit(AccountId who, Side side, Decimal qty, Decimal price, TimeInForce tif = TimeInForce::gtc,
                             SimOrderType type = SimOrderType::limit) {
    OrderRequest r;
    r.account = who;
    r.symbol = "BTCUSDT";
    r.side = side;
    r.type = type;
    r.time_in_force = tif;
    r.quantity = qty;
    r.price = price;
    return engine.place(r, 1000);
  }
  Result<PlaceOutcome> market(AccountId who, Side side, Decimal qty) {
    OrderRequest r;
    r.account = who;
    r.symbol = "BTCUSDT";
    r.side = side;
    r.type = SimOrderType::market;
    r.quantity = qty;
    return engine.place(r, 1000);
  }
};

}  // namespace

TEST_CASE("price-time priority: better price first, then earlier order at the same price") {
  Fixture f;
  auto a_ask = f.limit(f.a, Side::sell, "1"_d, "101"_d);
  auto b_ask = f.limit(f.b, Side::sell, "1"_d, "100"_d);
  auto a_ask2 = f.limit(f.a, Side::sell, "1"_d, "100"_d);
  REQUIRE(a_ask);
  REQUIRE(b_ask);
  REQUIRE(a_ask2);
  auto taker = f.limit(f.c, Side::buy, "1.5"_d, "101"_d);
  REQUIRE(taker);
  REQUIRE(taker->fills.size() == 2);
  CHECK(taker->fills[0].price == "100"_d);
  CHECK(taker->fills[0].quantity == "1"_d);  // b's order was first at 100
  CHECK(taker->fills[1].quantity == "0.5"_d);
  CHECK(taker->order.status == OrderStatus::filled);
  CHECK(f.engine.find_order(f.b, "BTCUSDT", b_ask->order.id, "")->status == OrderStatus::filled);
  const Order* partly = f.engine.find_order(f.a, "BTCUSDT", a_ask2->order.id, "");
  CHECK(partly->status == OrderStatus::partially_filled);
  CHECK(partly->executed == "0.5"_d);
  const auto [bids, asks] = f.engine.depth("BTCUSDT", 10);
  CHECK(bids.empty());
  REQUIRE(asks.size() == 2);
  CHECK(asks[0].price == "100"_d);
  CHECK(asks[0].quantity == "0.5"_d);
  CHECK(asks[1].price == "101"_d);
}

TEST_CASE("fees, locks and price improvement move balances exactly") {
  Fixture f;
  // b rests a sell of 2 BTC at 100: 2 BTC locked.
  REQUIRE(f.limit(f.b, Side::sell, "2"_d, "100"_d));
  CHECK(f.engine.balance(f.b, "BTC").locked == "2"_d);
  CHECK(f.engine.balance(f.b, "BTC").free == "8"_d);
  // c buys 1 at limit 105: locks 105, pays 100, gets 1 - 0.001 fee BTC.
  auto taker = f.limit(f.c, Side::buy, "1"_d, "105"_d);
  REQUIRE(taker);
  CHECK(taker->fills[0].commission == "0.001"_d);
  CHECK(taker->fills[0].commission_asset == "BTC");
  CHECK(f.engine.balance(f.c, "USDT").free == "99900"_d);
  CHECK(f.engine.balance(f.c, "USDT").locked == "0"_d);
  CHECK(f.engine.balance(f.c, "BTC").free == "10.999"_d);
  // b (maker) receives 100 - 0.1 USDT; 1 BTC still locked for the rest of its order.
  CHECK(f.engine.balance(f.b, "USDT").free == "100099.9"_d);
  CHECK(f.engine.balance(f.b, "BTC").locked == "1"_d);
  CHECK(f.engine.fees_collected("BTC") == "0.001"_d);
  CHECK(f.engine.fees_collected("USDT") == "0.1"_d);
  CHECK(f.engine.total_supply("BTC") == "30"_d);
  CHECK(f.engine.total_supply("USDT") == "300000"_d);
  // A resting buy locks price·qty; cancelling returns it.
  auto bid = f.limit(f.a, Side::buy, "0.5"_d, "90"_d);
  REQUIRE(bid);
  CHECK(f.engine.balance(f.a, "USDT").locked == "45"_d);
  auto cancelled = f.engine.cancel(f.a, "BTCUSDT", bid->order.id, "", 2000);
  REQUIRE(cancelled);
  CHECK(cancelled->status == OrderStatus::canceled);
  CHECK(f.engine.balance(f.a, "USDT").locked == "0"_d);
  CHECK(f.engine.balance(f.a, "USDT").free == "100000"_d);
  auto again = f.engine.cancel(f.a, "BTCUSDT", bid->order.id, "", 2000);
  REQUIRE(!again);
  CHECK(again.error().venue_code == "-2011");
}

TEST_CASE("IOC and market remainders expire; FOK fills completely or not at all") {
  Fixture f;
  REQUIRE(f.limit(f.b, Side::sell, "1"_d, "100"_d));
  auto fok = f.limit(f.c, Side::buy, "2"_d, "100"_d, TimeInForce::fok);
  REQUIRE(fok);
  CHECK(fok->order.status == OrderStatus::expired);
  CHECK(fok->fills.empty());
  CHECK(f.engine.balance(f.c, "USDT").free == "100000"_d);
  auto ioc = f.limit(f.c, Side::buy, "2"_d, "100"_d, TimeInForce::ioc);
  REQUIRE(ioc);
  CHECK(ioc->order.status == OrderStatus::expired);
  CHECK(ioc->order.executed == "1"_d);
  CHECK(f.engine.balance(f.c, "USDT").locked == "0"_d);
  CHECK(f.engine.balance(f.c, "USDT").free == "99900"_d);
  REQUIRE(f.limit(f.b, Side::sell, "1"_d, "100"_d));
  auto fok_ok = f.limit(f.c, Side::buy, "1"_d, "100"_d, TimeInForce::fok);
  REQUIRE(fok_ok);
  CHECK(fok_ok->order.status == OrderStatus::filled);
  auto market_empty = f.market(f.c, Side::buy, "1"_d);
  REQUIRE(market_empty);
  CHECK(market_empty->order.status == OrderStatus::expired);
  CHECK(f.engine.open_orders(f.c, "BTCUSDT").empty());
}

TEST_CASE("LIMIT_MAKER rests or is rejected when it would take") {
  Fixture f;
  REQUIRE(f.limit(f.b, Side::sell, "1"_d, "100"_d));
  auto taking = f.limit(f.c, Side::buy, "1"_d, "100"_d, TimeInForce::gtc, SimOrderType::limit_maker);
  REQUIRE(!taking);
  CHECK(taking.error().venue_code == "-2010");
  CHECK(taking.error().message == "Order would immediately match and take.");
  auto passive = f.limit(f.c, Side::buy, "1"_d, "99.99"_d, TimeInForce::gtc, SimOrderType::limit_maker);
  REQUIRE(passive);
  CHECK(passive->order.status == OrderStatus::new_);
}

TEST_CASE("filters and balance checks reject without changing state") {
  Fixture f;
  const auto code_of = [](const Result<PlaceOutcome>& r) { return r ? std::string("ok") : r.error().venue_code + " " + r.error().message; };
  CHECK(code_of(f.limit(f.a, Side::buy, "1"_d, "100.001"_d)) == "-1013 Filter failure: PRICE_FILTER");
  CHECK(code_of(f.limit(f.a, Side::buy, "1.0005"_d, "100"_d)) == "-1013 Filter failure: LOT_SIZE");
  CHECK(code_of(f.limit(f.a, Side::buy, "101"_d, "1"_d)) == "-1013 Filter failure: LOT_SIZE");
  CHECK(code_of(f.limit(f.a, Side::buy, "0.04"_d, "100"_d)) == "-1013 Filter failure: NOTIONAL");
  CHECK(code_of(f.limit(f.a, Side::sell, "11"_d, "100"_d)) == "-2010 Account has insufficient balance for requested action.");
  CHECK(code_of(f.limit(f.a, Side::buy, "2"_d, "60000"_d)) == "-2010 Account has insufficient balance for requested action.");
  OrderRequest unknown;
  unknown.symbol = "DOGEUSDT";
  unknown.quantity = "1"_d;
  unknown.price = "1"_d;
  CHECK(code_of(f.engine.place(unknown, 1)) == "-1121 Invalid symbol.");
  CHECK(f.engine.balance(f.a, "USDT").free == "100000"_d);
  CHECK(f.engine.balance(f.a, "BTC").free == "10"_d);
  CHECK(f.engine.open_orders(f.a, "").empty());
}

TEST_CASE("duplicate client order ids among open orders are rejected") {
  Fixture f;
  OrderRequest r;
  r.account = f.a;
  r.symbol = "BTCUSDT";
  r.side = Side::buy;
  r.quantity = "1"_d;
  r.price = "50"_d;
  r.client_order_id = "my-1";
  REQUIRE(f.engine.place(r, 1));
  auto dup = f.engine.place(r, 2);
  REQUIRE(!dup);
  CHECK(dup.error().message == "Duplicate order sent.");
  REQUIRE(f.engine.cancel(f.a, "BTCUSDT", std::nullopt, "my-1", 3));
  CHECK(f.engine.place(r, 4));
}

TEST_CASE("market buy by quote amount spends at most that amount") {
  Fixture f;
  REQUIRE(f.limit(f.b, Side::sell, "1"_d, "100"_d));
  REQUIRE(f.limit(f.b, Side::sell, "1"_d, "200"_d));
  OrderRequest r;
  r.account = f.c;
  r.symbol = "BTCUSDT";
  r.side = Side::buy;
  r.type = SimOrderType::market;
  r.quote_quantity = "150"_d;
  auto out = f.engine.place(r, 1);
  REQUIRE(out);
  // 1 BTC at 100, then floor(50 / 200, step 0.001) = 0.25 BTC at 200.
  CHECK(out->order.executed == "1.25"_d);
  CHECK(out->order.cumulative_quote == "150"_d);
  CHECK(f.engine.balance(f.c, "USDT").free == "99850"_d);
  CHECK(f.engine.balance(f.c, "USDT").locked == "0"_d);
}

TEST_CASE("self-trade prevention expires the resting maker") {
  Fixture f;
  auto own = f.limit(f.a, Side::sell, "1"_d, "100"_d);
  REQUIRE(own);
  auto buy = f.limit(f.a, Side::buy, "1"_d, "100"_d);
  REQUIRE(buy);
  CHECK(buy->fills.empty());
  CHECK(f.engine.find_order(f.a, "BTCUSDT", own->order.id, "")->status == OrderStatus::expired_in_match);
  CHECK(f.engine.balance(f.a, "BTC").locked == "0"_d);
  CHECK(buy->order.status == OrderStatus::new_);
}

TEST_CASE("random order flow conserves every asset and never goes negative") {
  Fixture f;
  SplitMix64 dice(42);
  const AccountId who[] = {f.a, f.b, f.c};
  for (int i = 0; i < 3000; ++i) {
    const AccountId acc = who[dice.below(3)];
    const Side side = dice.below(2) == 0 ? Side::buy : Side::sell;
    const Decimal qty = "0.001"_d * static_cast<std::int64_t>(50 + dice.below(2000));
    const Decimal price = "0.01"_d * static_cast<std::int64_t>(9'000 + dice.below(2'001));
    switch (dice.below(5)) {
      case 0: (void)f.market(acc, side, qty); break;
      case 1: (void)f.limit(acc, side, qty, price, TimeInForce::ioc); break;
      case 2: (void)f.limit(acc, side, qty, price, TimeInForce::fok); break;
      default: (void)f.limit(acc, side, qty, price); break;
    }
    if (dice.below(10) == 0) {
      const auto open = f.engine.open_orders(acc, "BTCUSDT");
      if (!open.empty()) REQUIRE(f.engine.cancel(acc, "BTCUSDT", open[dice.below(open.size())].id, "", i));
    }
  }
  CHECK(f.engine.total_supply("BTC") == "30"_d);
  CHECK(f.engine.total_supply("USDT") == "300000"_d);
  CHECK(f.engine.recent_trades("BTCUSDT", 10).size() == 10);
  for (AccountId acc : who) {
    for (const auto& [asset, bal] : f.engine.balances(acc)) {
      CHECK(!bal.free.is_negative());
      CHECK(!bal.locked.is_negative());
    }
    Decimal locked_btc, locked_usdt;
    for (const Order& o : f.engine.open_orders(acc, "BTCUSDT")) {
      (o.side == Side::buy ? locked_usdt : locked_btc) += o.locked;
    }
    CHECK(f.engine.balance(acc, "BTC").locked == locked_btc);
    CHECK(f.engine.balance(acc, "USDT").locked == locked_usdt);
  }
}
