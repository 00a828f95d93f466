// The simulator enforces every filter it advertises, at each boundary, with Binance's
// code and message (binance-spot-api-docs filters.md and errors.md "Filter failures":
// -1013 "Filter failure: <FILTER>"). Boundary values are computed by hand in comments.
#include <cts/sim/binance_front.hpp>
#include <cts/sim/matching_engine.hpp>
#include <cts/sim/simulator.hpp>

#include <string>

#include <doctest/doctest.h>

#include <cts/sign/binance.hpp>
#include <cts/sign/secret.hpp>

#include "sim/test_instrument.hpp"

using namespace cts;
using namespace cts::sim;
using namespace cts::literals;

namespace {

constexpr std::int64_t kStart = 1'700'000'000'000;
constexpr std::int64_t kMinute = 60'000;

using test::btcusdt;

SymbolFilters test_filters() {
  SymbolFilters f;
  f.min_price = "10"_d;
  f.max_price = "1000"_d;
  f.max_notional = "50000"_d;
  f.apply_min_to_market = true;
  f.apply_max_to_market = true;
  f.notional_avg_price_mins = 5;
  PercentPriceBySide pct;
  pct.bid_multiplier_up = "5"_d;
  pct.bid_multiplier_down = "0.2"_d;
  pct.ask_multiplier_up = "2"_d;
  pct.ask_multiplier_down = "0.5"_d;
  pct.avg_price_mins = 5;
  f.percent_price_by_side = pct;
  return f;
}

struct Fixture {
  MatchingEngine engine;
  AccountId a, b;
  explicit Fixture(SymbolFilters filters = test_filters(), Instrument instrument = btcusdt()) {
    engine.add_symbol(instrument, filters);
    a = engine.create_account();
    b = engine.create_account();
    for (AccountId id : {a, b}) {
      engine.deposit(id, "USDT", "10000000"_d);
      engine.deposit(id, "BTC", "1000"_d);
    }
  }
  // A limit order of a's (the account under test).
  Result<PlaceOutcome> limit(Side side, Decimal qty, Decimal price, std::int64_t at = kStart) {
    return limit_of(a, side, qty, price, at);
  }
  Result<PlaceOutcome> limit_of(AccountId who, Side side, Decimal qty, Decimal price, std::int64_t at) {
    OrderRequest r;
    r.account = who;
    r.symbol = "BTCUSDT";
    r.side = side;
    r.quantity = qty;
    r.price = price;
    return engine.place(r, at);
  }
  Result<PlaceOutcome> market(Side side, Decimal qty, std::optional<Decimal> quote = std::nullopt,
                              std::int64_t at = kStart) {
    OrderRequest r;
    r.account = a;
    r.symbol = "BTCUSDT";
    r.side = side;
    r.type = SimOrderType::market;
    r.quantity = qty;
    r.quote_quantity = quote;
    return engine.place(r, at);
  }
  // A public trade of `qty` at `price` between b (maker, sell) and a (taker, buy).
  void trade(Decimal qty, Decimal price, std::int64_t at) {
    rest(Side::sell, qty, price, at);
    auto taken = limit(Side::buy, qty, price, at);
    REQUIRE(taken);
    REQUIRE(taken->fills.size() == 1);
  }
  // A resting limit order of b's (the other side of a's market orders).
  void rest(Side side, Decimal qty, Decimal price, std::int64_t at = kStart) {
    REQUIRE(limit_of(b, side, qty, price, at));
  }
  // Places a limit order that must be accepted, then cancels it (no state left behind).
  void accepted(Side side, Decimal qty, Decimal price, std::int64_t at = kStart) {
    CAPTURE(price);
    auto placed = limit(side, qty, price, at);
    REQUIRE(placed);
    REQUIRE(placed->fills.empty());
    REQUIRE(engine.cancel(a, "BTCUSDT", placed->order.id, {}, at));
  }
};

void check_filter_failure(const Result<PlaceOutcome>& placed, std::string_view filter) {
  REQUIRE(!placed);
  CHECK(placed.error().code == ErrorCode::invalid_argument);
  CHECK(placed.error().venue_code == "-1013");
  CHECK(placed.error().message == fmt::format("Filter failure: {}", filter));
}

}  // namespace

TEST_CASE("PRICE_FILTER: minPrice, maxPrice and tickSize are inclusive bounds and a grid") {
  Fixture f;
  f.accepted(Side::buy, "1"_d, "10"_d);    // = minPrice (notional 10 ≥ 5)
  f.accepted(Side::buy, "1"_d, "1000"_d);  // = maxPrice
  check_filter_failure(f.limit(Side::buy, "1"_d, "9.99"_d), "PRICE_FILTER");
  check_filter_failure(f.limit(Side::buy, "1"_d, "1000.01"_d), "PRICE_FILTER");
  check_filter_failure(f.limit(Side::sell, "1"_d, "2000000"_d), "PRICE_FILTER");
  check_filter_failure(f.limit(Side::buy, "1"_d, "500.005"_d), "PRICE_FILTER");  // off the 0.01 grid
  CHECK(f.engine.open_orders(f.a, "").empty());
  CHECK(f.engine.balance(f.a, "USDT").free == "10000000"_d);
}

TEST_CASE("LOT_SIZE: minQty and maxQty inclusive, stepSize grid") {
  Instrument instrument = btcusdt();
  instrument.min_quantity = "0.01"_d;  // above the step, so that the minimum is a bound of its own
  Fixture f(test_filters(), instrument);
  f.accepted(Side::buy, "0.01"_d, "500"_d);                                   // = minQty, notional 5
  check_filter_failure(f.limit(Side::buy, "0.009"_d, "1000"_d), "LOT_SIZE");  // on the grid, below minQty
  f.accepted(Side::sell, "100"_d, "400"_d);                                   // = maxQty, notional 40000
  check_filter_failure(f.limit(Side::sell, "100.001"_d, "400"_d), "LOT_SIZE");
  check_filter_failure(f.limit(Side::buy, "0.0105"_d, "500"_d), "LOT_SIZE");  // off the 0.001 grid
}

TEST_CASE("NOTIONAL: minNotional and maxNotional bound price x quantity of limit orders") {
  Fixture f;
  f.accepted(Side::buy, "0.005"_d, "1000"_d);                                  // 5.000 = minNotional
  check_filter_failure(f.limit(Side::buy, "0.004"_d, "1000"_d), "NOTIONAL");   // 4
  f.accepted(Side::buy, "50"_d, "1000"_d);                                     // 50000 = maxNotional
  check_filter_failure(f.limit(Side::buy, "50.001"_d, "1000"_d), "NOTIONAL");  // 50001
}

TEST_CASE("NOTIONAL: market orders are valued at the average price, with applyMinToMarket") {
  Fixture f;
  f.trade("1"_d, "100"_d, kStart);  // average price 100
  // A resting ask at 200 would value the order at 200: the average (100) is what counts.
  f.rest(Side::sell, "1"_d, "200"_d);  // the highest SELL PERCENT_PRICE_BY_SIDE allows: 100·2
  check_filter_failure(f.market(Side::buy, "0.049"_d), "NOTIONAL");  // 4.9 at 100 (9.8 at 200)
  auto at_min = f.market(Side::buy, "0.05"_d);                       // 5.0 at 100
  REQUIRE(at_min);
  CHECK(at_min->order.status == OrderStatus::filled);
  check_filter_failure(f.market(Side::buy, "0"_d, "4.99"_d), "NOTIONAL");      // quoteOrderQty < 5
  check_filter_failure(f.market(Side::buy, "0"_d, "50000.01"_d), "NOTIONAL");  // quoteOrderQty > 50000
}

TEST_CASE("NOTIONAL: maxNotional bounds market orders at the average price, with applyMaxToMarket") {
  Fixture f;
  f.trade("1"_d, "1000"_d, kStart);  // average price 1000
  // A resting bid at 500 would value a SELL at 500: the average (1000) is what counts.
  f.rest(Side::buy, "100"_d, "500"_d);  // the lowest BUY PERCENT_PRICE_BY_SIDE allows is 200
  check_filter_failure(f.market(Side::sell, "50.001"_d), "NOTIONAL");  // 50001 at 1000 (25000.5 at 500)
  auto at_max = f.market(Side::sell, "50"_d);                          // 50000 at 1000 = maxNotional
  REQUIRE(at_max);
  CHECK(at_max->order.status == OrderStatus::filled);
}

TEST_CASE("NOTIONAL: with applyMinToMarket and applyMaxToMarket false, only limit orders are bounded") {
  SymbolFilters lenient = test_filters();
  lenient.apply_min_to_market = false;
  lenient.apply_max_to_market = false;
  Fixture f(lenient);
  f.trade("1"_d, "1000"_d, kStart);  // average price 1000
  f.rest(Side::sell, "1"_d, "1000"_d);
  f.rest(Side::buy, "100"_d, "500"_d);
  check_filter_failure(f.limit(Side::buy, "0.004"_d, "1000"_d), "NOTIONAL");    // 4 < 5
  check_filter_failure(f.limit(Side::sell, "50.001"_d, "1000"_d), "NOTIONAL");  // 50001 > 50000
  auto small = f.market(Side::buy, "0.004"_d);  // 4 at 1000: below minNotional, not applied to MARKET
  REQUIRE(small);
  CHECK(small->order.status == OrderStatus::filled);
  auto large = f.market(Side::sell, "50.001"_d);  // 50001 at 1000: above maxNotional, not applied to MARKET
  REQUIRE(large);
  CHECK(large->order.status == OrderStatus::filled);
}

TEST_CASE("PERCENT_PRICE_BY_SIDE: limits around the quantity-weighted average price, per side") {
  Fixture f;
  f.accepted(Side::buy, "1"_d, "999"_d);  // no trade yet: no average, only PRICE_FILTER applies
  f.trade("1"_d, "100"_d, kStart);
  f.trade("3"_d, "200"_d, kStart);
  // Weighted average: (1·100 + 3·200) / 4 = 175 (the plain mean, 150, would give other bounds).
  // BUY within [175·0.2, 175·5] = [35, 875]; SELL within [175·0.5, 175·2] = [87.5, 350].
  f.accepted(Side::buy, "1"_d, "875"_d);
  check_filter_failure(f.limit(Side::buy, "1"_d, "875.01"_d), "PERCENT_PRICE_BY_SIDE");
  f.accepted(Side::buy, "1"_d, "35"_d);
  check_filter_failure(f.limit(Side::buy, "1"_d, "34.99"_d), "PERCENT_PRICE_BY_SIDE");
  f.accepted(Side::sell, "1"_d, "350"_d);
  check_filter_failure(f.limit(Side::sell, "1"_d, "350.01"_d), "PERCENT_PRICE_BY_SIDE");
  f.accepted(Side::sell, "1"_d, "87.5"_d);
  check_filter_failure(f.limit(Side::sell, "1"_d, "87.49"_d), "PERCENT_PRICE_BY_SIDE");
}

TEST_CASE("PERCENT_PRICE_BY_SIDE: the average covers avgPriceMins; a quiet market keeps the last price") {
  Fixture f;
  f.trade("1"_d, "100"_d, kStart);
  f.trade("1"_d, "200"_d, kStart + 4 * kMinute);
  // Both trades inside 5 minutes: average 150, BUY up to 750.
  check_filter_failure(f.limit(Side::buy, "1"_d, "750.01"_d, kStart + 4 * kMinute), "PERCENT_PRICE_BY_SIDE");
  // Five minutes after the first trade it leaves the window: average 200, BUY up to 1000.
  f.accepted(Side::buy, "1"_d, "1000"_d, kStart + 5 * kMinute);
  // Ten minutes without trades: the last price (200) stands in.
  check_filter_failure(f.limit(Side::buy, "1"_d, "39.99"_d, kStart + 20 * kMinute), "PERCENT_PRICE_BY_SIDE");
  f.accepted(Side::buy, "1"_d, "40"_d, kStart + 20 * kMinute);
}

TEST_CASE("the REST front advertises exactly the enforced filters and refuses a BUY above maxPrice") {
  MatchingEngine engine;
  BinanceFront front(engine);
  const Instrument btc = default_instruments().front();
  engine.add_symbol(btc);
  const AccountId account = engine.create_account();
  engine.deposit(account, "USDT", "100000000"_d);
  front.add_credential("k", "s", account);

  HttpRequest info;
  info.path = "/api/v3/exchangeInfo";
  const std::string body = front.handle(info, from_unix_millis(kStart)).response.body;
  CHECK(
      body.find(
          R"({"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","tickSize":"0.01000000"})") !=
      std::string::npos);
  CHECK(
      body.find(
          R"({"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true,"maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5})") !=
      std::string::npos);
  CHECK(
      body.find(
          R"({"filterType":"PERCENT_PRICE_BY_SIDE","bidMultiplierUp":"5","bidMultiplierDown":"0.2","askMultiplierUp":"5","askMultiplierDown":"0.2","avgPriceMins":5})") !=
      std::string::npos);

  HttpRequest order;
  order.method = HttpMethod::post;
  order.path = "/api/v3/order";
  order.body = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=2000000";
  order.set_header("Content-Type", "application/x-www-form-urlencoded");
  order.set_header("X-MBX-APIKEY", "k");
  const sign::BinanceHmacSigner signer(VenueId::binance_spot, "k", sign::Secret("s"));
  REQUIRE(signer.sign(order, sign::SigningContext{.now = from_unix_millis(kStart), .nonce = {}, .nonce_text = {}}));
  const auto reply = front.handle(order, from_unix_millis(kStart));
  CHECK(reply.response.status == 400);
  CHECK(reply.response.body == R"({"code":-1013,"msg":"Filter failure: PRICE_FILTER"})");
  CHECK(engine.open_orders(account, "").empty());
}
