// Tests for category=linear of cts/sim/bybit_front.hpp: requests built by
// cts::venue::bybit and signed by cts::sign::BybitSigner, replies read by the cts Bybit
// parsers. Expected values: instrument filters from Bybit's instruments-info example for
// BTCUSDT (tests/fixtures/bybit/instruments_linear.json: tickSize 0.10, qtyStep 0.001,
// minOrderQty 0.001, minNotionalValue 5, leverage 1..100 step 0.01); retCodes and messages
// from Bybit's error-code page (110007, 110017 "ReduceOnly rule not satisified.", 110043
// "Set leverage not modified", 10001); amounts computed by hand in the comments (fees
// 0.1 % of price·qty, initial margin = value / leverage, mark = mid of the book).
#include <cts/sim/bybit_front.hpp>
#include <cts/sim/simulator.hpp>

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cts/net/http_client.hpp>
#include <cts/sign/bybit.hpp>
#include <cts/sign/secret.hpp>
#include <cts/venue/bybit/account.hpp>
#include <cts/venue/bybit/market.hpp>
#include <cts/venue/bybit/orders.hpp>
#include <cts/venue/bybit/requests.hpp>

#include "sim/raw_request.hpp"

using namespace cts;
using namespace cts::literals;
namespace bybit = cts::venue::bybit;
using bybit::Category;
using sim::AccountId;

namespace {

using cts::test::raw_request;

constexpr std::string_view kKey = "linear-key";
constexpr std::string_view kSecret = "linear-secret";
constexpr std::int64_t kNowMs = 1'700'000'000'000;
const SystemTime kNow = from_unix_millis(kNowMs);

// BTCUSDT spot and linear behind a Bybit front; our account holds 1000 USDT, the
// counterparty 1000000 USDT and 100 BTC.
struct LinearVenue {
  sim::MatchingEngine engine;
  sim::BybitFront front;
  std::string market = sim::market_key(InstrumentKind::linear_perpetual, "BTCUSDT");
  AccountId account;
  AccountId other;
  LinearVenue() : front(engine) {
    engine.add_symbol(sim::default_instruments()[0]);
    const sim::LinearMarket linear = sim::default_linear_markets()[0];
    engine.add_symbol(linear.instrument, linear.filters);
    account = engine.create_account();
    other = engine.create_account();
    engine.deposit(account, "USDT", "1000"_d);
    engine.deposit(other, "USDT", "1000000"_d);
    engine.deposit(other, "BTC", "100"_d);
    front.add_credential(std::string(kKey), kSecret, account);
  }

  HttpResponse send(venue::Request request) {
    const sign::BybitSigner signer{std::string(kKey), sign::Secret(std::string(kSecret))};
    REQUIRE(signer.sign(request.http, sign::SigningContext{.now = kNow, .nonce = {}, .nonce_text = {}}));
    return front.handle(request.http, kNow).response;
  }
  HttpResponse send_unsigned(const HttpRequest& request) { return front.handle(request, kNow).response; }

  // The counterparty rests a linear order.
  void rest(Side side, Decimal quantity, Decimal price) {
    sim::OrderRequest r;
    r.account = other;
    r.symbol = market;
    r.side = side;
    r.quantity = quantity;
    r.price = price;
    REQUIRE(engine.place(r, kNowMs));
  }
  [[nodiscard]] sim::Balance usdt() const { return engine.balance(account, "USDT"); }
};

venue::NewOrder linear_order(Side side, Decimal quantity, std::optional<Decimal> price, std::string client_id,
                             bool reduce_only = false) {
  venue::NewOrder o;
  o.symbol = "BTCUSDT";
  o.side = side;
  o.type = price ? OrderType::limit : OrderType::market;
  o.quantity = quantity;
  o.price = price;
  o.client_order_id = std::move(client_id);
  o.reduce_only = reduce_only;
  return o;
}

venue::Request create(const venue::NewOrder& order) { return bybit::create_order(Category::linear, order).value(); }

bybit::OpenOrdersQuery open_btcusdt() {
  bybit::OpenOrdersQuery q;
  q.symbol = "BTCUSDT";
  return q;
}

bybit::HistoryQuery history_btcusdt() {
  bybit::HistoryQuery q;
  q.symbol = "BTCUSDT";
  return q;
}

venue::Request set_leverage(std::string_view buy, std::string_view sell) {
  return raw_request(
      HttpMethod::post, "/v5/position/set-leverage",
      fmt::format(R"({{"category":"linear","symbol":"BTCUSDT","buyLeverage":"{}","sellLeverage":"{}"}})", buy, sell));
}

// A field of a reply body as written: "name":"value" (quoted) or "name":value.
std::string field(const HttpResponse& r, std::string_view name) {
  const std::string key = fmt::format("\"{}\":", name);
  const std::size_t at = r.body.find(key);
  if (at == std::string::npos) return "<absent>";
  std::size_t start = at + key.size();
  if (r.body[start] == '"') return r.body.substr(start + 1, r.body.find('"', start + 1) - start - 1);
  return r.body.substr(start, r.body.find_first_of(",}", start) - start);
}

std::pair<std::string, std::string> ret(const HttpResponse& r) { return {field(r, "retCode"), field(r, "retMsg")}; }

}  // namespace

TEST_CASE("bybit front linear: instruments-info, orderbook and tickers, apart from the spot book") {
  LinearVenue v;
  const HttpResponse info = v.send_unsigned(bybit::instruments_info(Category::linear).value().http);
  const auto instruments = bybit::parse_instruments(info, Category::linear);
  REQUIRE(instruments);
  REQUIRE(instruments->items.size() == 1);
  const Instrument& in = instruments->items[0].instrument;
  CHECK(in.venue_symbol == "BTCUSDT");
  CHECK(in.kind == InstrumentKind::linear_perpetual);
  CHECK(in.settle == "USDT");
  CHECK(in.tick_size == "0.10"_d);
  CHECK(in.step_size == "0.001"_d);
  CHECK(in.min_quantity == "0.001"_d);
  CHECK(in.max_quantity == "1190"_d);
  CHECK(in.min_notional == "5"_d);
  CHECK(instruments->items[0].trading());
  CHECK(field(info, "contractType") == "LinearPerpetual");
  CHECK(field(info, "category") == "linear");
  CHECK(field(info, "minLeverage") == "1");
  CHECK(Decimal::parse(field(info, "maxLeverage")).value() == "100"_d);
  CHECK(Decimal::parse(field(info, "leverageStep")).value() == "0.01"_d);
  CHECK(Decimal::parse(field(info, "maxPrice")).value() == "1999999.80"_d);
  CHECK(field(info, "priceScale") == "2");
  // The spot listing is untouched: one spot BTCUSDT with spot's tick 0.01.
  const auto spot =
      bybit::parse_instruments(v.send_unsigned(bybit::instruments_info(Category::spot).value().http), Category::spot);
  REQUIRE(spot);
  REQUIRE(spot->items.size() == 1);
  CHECK(spot->items[0].instrument.tick_size == "0.01"_d);

  v.rest(Side::buy, "0.5"_d, "29999.9"_d);
  v.rest(Side::sell, "0.2"_d, "30000.2"_d);
  const auto book =
      bybit::parse_order_book(v.send_unsigned(bybit::orderbook(Category::linear, "BTCUSDT", 5).value().http));
  REQUIRE(book);
  REQUIRE(book->bids.size() == 1);
  CHECK(book->bids[0].price == "29999.9"_d);
  CHECK(book->bids[0].quantity == "0.5"_d);
  REQUIRE(book->asks.size() == 1);
  CHECK(book->asks[0].price == "30000.2"_d);
  // Linear's default depth is 25 levels per side (spot's is 1): 30 bids of 0.001 give 25.
  for (int i = 1; i <= 30; ++i) v.rest(Side::buy, "0.001"_d, "29000"_d - Decimal::from_int(i));
  const auto deep =
      bybit::parse_order_book(v.send_unsigned(bybit::orderbook(Category::linear, "BTCUSDT").value().http));
  REQUIRE(deep);
  CHECK(deep->bids.size() == 25);
  const auto spot_book =
      bybit::parse_order_book(v.send_unsigned(bybit::orderbook(Category::spot, "BTCUSDT", 5).value().http));
  REQUIRE(spot_book);
  CHECK(spot_book->bids.empty());
  CHECK(spot_book->asks.empty());

  const HttpResponse tick = v.send_unsigned(bybit::tickers(Category::linear, "BTCUSDT").value().http);
  const auto tickers = bybit::parse_tickers(tick);
  REQUIRE(tickers);
  REQUIRE(tickers->size() == 1);
  CHECK((*tickers)[0].symbol == "BTCUSDT");
  CHECK((*tickers)[0].bid_price == "29999.9"_d);
  CHECK((*tickers)[0].ask_price == "30000.2"_d);
  // Mark = (29999.9 + 30000.2) / 2 = 30000.05.
  CHECK((*tickers)[0].mark_price == "30000.05"_d);
  CHECK((*tickers)[0].index_price == "30000.05"_d);
  CHECK(field(tick, "fundingRate") == "0");
  CHECK(field(tick, "category") == "linear");
}

TEST_CASE("bybit front linear: an order's life through REST, the position, executions and wallet as computed") {
  LinearVenue v;
  // A bid of 0.01 at 29000 holds 290 / 10 = 29 USDT of margin.
  const auto ack = bybit::parse_order_ack(v.send(create(linear_order(Side::buy, "0.01"_d, "29000"_d, "lin-1"))));
  REQUIRE(ack);
  CHECK(ack->client_order_id == "lin-1");
  CHECK(v.usdt().locked == "29"_d);
  const HttpResponse wallet_open = v.send(bybit::wallet_balance("USDT").value());
  CHECK(field(wallet_open, "totalOrderIM") == "29");
  CHECK(field(wallet_open, "locked") == "0");  // spot orders hold nothing
  CHECK(field(wallet_open, "walletBalance") == "1000");

  const auto open = bybit::parse_orders(v.send(bybit::open_orders(Category::linear, open_btcusdt()).value()));
  REQUIRE(open);
  REQUIRE(open->items.size() == 1);
  CHECK(open->items[0].order_id == ack->order_id);
  CHECK(open->items[0].symbol == "BTCUSDT");
  CHECK(open->items[0].price == "29000"_d);
  CHECK_FALSE(open->items[0].reduce_only);
  // The spot category lists nothing.
  CHECK(bybit::parse_orders(v.send(bybit::open_orders(Category::spot, open_btcusdt()).value()))->items.empty());

  // Amend to 0.02 at 29500: 590 / 10 = 59 held.
  venue::OrderAmendment amendment;
  amendment.order = {"BTCUSDT", ack->order_id, ""};
  amendment.quantity = "0.02"_d;
  amendment.price = "29500"_d;
  REQUIRE(bybit::parse_order_ack(v.send(bybit::amend_order(Category::linear, amendment).value())));
  CHECK(v.usdt().locked == "59"_d);
  CHECK(v.engine.level_quantity(v.market, Side::buy, "29500"_d) == "0.02"_d);

  const auto cancelled =
      bybit::parse_order_ack(v.send(bybit::cancel_order(Category::linear, {"BTCUSDT", std::nullopt, "lin-1"}).value()));
  REQUIRE(cancelled);
  CHECK(v.usdt().locked.is_zero());
  const auto history = bybit::parse_orders(v.send(bybit::order_history(Category::linear, history_btcusdt()).value()));
  REQUIRE(history);
  REQUIRE(history->items.size() == 1);
  CHECK(history->items[0].status == venue::OrderStatus::canceled);

  // Two more bids, cancelled together.
  REQUIRE(bybit::parse_order_ack(v.send(create(linear_order(Side::buy, "0.001"_d, "28000"_d, "lin-2")))));
  REQUIRE(bybit::parse_order_ack(v.send(create(linear_order(Side::buy, "0.001"_d, "28000.1"_d, "lin-3")))));
  const auto all = bybit::parse_cancel_all(v.send(bybit::cancel_all_orders(Category::linear, "BTCUSDT").value()));
  REQUIRE(all);
  CHECK(all->size() == 2);
  CHECK(v.usdt().locked.is_zero());
  // Cancel-all by settleCoin or baseCoin (linear needs one of symbol, baseCoin, settleCoin).
  for (const auto& [by, id] : {std::pair<std::string_view, std::string>{R"("settleCoin":"USDT")", "by-settle"},
                               std::pair<std::string_view, std::string>{R"("baseCoin":"BTC")", "by-base"}}) {
    REQUIRE(bybit::parse_order_ack(v.send(create(linear_order(Side::buy, "0.001"_d, "28000"_d, id)))));
    const auto some = bybit::parse_cancel_all(v.send(
        raw_request(HttpMethod::post, "/v5/order/cancel-all", fmt::format(R"({{"category":"linear",{}}})", by))));
    REQUIRE(some);
    CHECK(some->size() == 1);
    CHECK(v.engine.open_orders(v.account, "").empty());
  }
  CHECK(ret(v.send(raw_request(HttpMethod::post, "/v5/order/cancel-all", R"({"category":"linear"})"))).first ==
        "10001");

  // A market buy of 0.01 against their ask at 30000: taker fee 300·0.001 = 0.3.
  v.rest(Side::sell, "0.01"_d, "30000"_d);
  const auto bought = bybit::parse_order_ack(v.send(create(linear_order(Side::buy, "0.01"_d, std::nullopt, "lin-4"))));
  REQUIRE(bought);
  const auto fills = bybit::parse_executions(v.send(bybit::executions(Category::linear, history_btcusdt()).value()));
  REQUIRE(fills);
  REQUIRE(fills->items.size() == 1);
  CHECK(fills->items[0].order_id == bought->order_id);
  CHECK(fills->items[0].price == "30000"_d);
  CHECK(fills->items[0].quantity == "0.01"_d);
  CHECK(fills->items[0].commission == "0.3"_d);
  CHECK(fills->items[0].realized_pnl.is_zero());

  // A book around 30500 (bid 30000, ask 31000): mark 30500, unrealised (30500 − 30000)·0.01 = 5.
  v.rest(Side::buy, "0.01"_d, "30000"_d);
  v.rest(Side::sell, "0.01"_d, "31000"_d);
  const HttpResponse listed = v.send(bybit::positions(Category::linear, "BTCUSDT").value());
  const auto positions = bybit::parse_positions(listed);
  REQUIRE(positions);
  REQUIRE(positions->items.size() == 1);
  const venue::Position& p = positions->items[0];
  CHECK(p.symbol == "BTCUSDT");
  CHECK(p.side == venue::PositionSide::both);
  CHECK(p.quantity == "0.01"_d);
  CHECK(p.entry_price == "30000"_d);
  CHECK(p.mark_price == "30500"_d);
  CHECK(p.unrealized_pnl == "5"_d);
  CHECK(p.leverage == "10"_d);
  CHECK(field(listed, "side") == "Buy");
  CHECK(field(listed, "positionValue") == "300");    // 0.01·30000
  CHECK(field(listed, "positionIM") == "30");        // 300 / 10
  CHECK(field(listed, "cumRealisedPnl") == "-0.3");  // the fee
  CHECK(field(listed, "liqPrice").empty());

  // Wallet: 1000 − 0.3 = 999.7; equity 999.7 + 5 = 1004.7; position IM 30.
  const HttpResponse wallet = v.send(bybit::wallet_balance("USDT").value());
  CHECK(field(wallet, "walletBalance") == "999.7");
  CHECK(field(wallet, "equity") == "1004.7");
  CHECK(field(wallet, "totalPositionIM") == "30");
  CHECK(field(wallet, "totalOrderIM") == "0");
  CHECK(field(wallet, "unrealisedPnl") == "5");
  CHECK(field(wallet, "cumRealisedPnl") == "-0.3");
  CHECK(field(wallet, "availableToWithdraw") == "969.7");  // 999.7 − 30
  CHECK(field(wallet, "usdValue") == "1004.7");            // USDT counts as USD
  // The account in USD: margin balance 999.7 + 5 = 1004.7, available 1004.7 − 30 = 974.7,
  // IM rate 30 / 1004.7 = 0.02985... → 0.0299.
  CHECK(field(wallet, "totalWalletBalance") == "999.7");
  CHECK(field(wallet, "totalPerpUPL") == "5");
  CHECK(field(wallet, "totalMarginBalance") == "1004.7");
  CHECK(field(wallet, "totalEquity") == "1004.7");
  CHECK(field(wallet, "totalInitialMargin") == "30");
  CHECK(field(wallet, "totalAvailableBalance") == "974.7");
  CHECK(field(wallet, "accountIMRate") == "0.0299");
  const auto balances = bybit::parse_wallet_balance(wallet);
  REQUIRE(balances);
  REQUIRE(balances->size() == 1);
  CHECK((*balances)[0].free == "999.7"_d);

  // Close with a reduce-only market sell into their 30000 bid: realised 0, fee 0.3 more.
  REQUIRE(bybit::parse_order_ack(
      v.send(create(linear_order(Side::sell, "0.01"_d, std::nullopt, "lin-5", /*reduce_only=*/true)))));
  const HttpResponse flat = v.send(bybit::positions(Category::linear, "BTCUSDT").value());
  const auto closed = bybit::parse_positions(flat);
  REQUIRE(closed);
  REQUIRE(closed->items.size() == 1);
  CHECK(closed->items[0].quantity.is_zero());
  CHECK(field(flat, "side").empty());
  CHECK(field(flat, "cumRealisedPnl") == "-0.6");
  CHECK(v.usdt().free == "999.4"_d);
  // With settleCoin only, flat positions are not listed.
  const auto by_coin = bybit::parse_positions(
      v.send(raw_request(HttpMethod::get, "/v5/position/list", "category=linear&settleCoin=USDT")));
  REQUIRE(by_coin);
  CHECK(by_coin->items.empty());
  const auto history_all = bybit::parse_orders(v.send(bybit::order_history(Category::linear).value()));
  REQUIRE(history_all);
  REQUIRE(history_all->items.size() == 7);
  CHECK(history_all->items[0].reduce_only);  // newest first: lin-5
  CHECK(history_all->items[0].status == venue::OrderStatus::filled);
}

TEST_CASE("bybit front linear: reduce-only, margin and leverage refusals carry Bybit's codes and change nothing") {
  LinearVenue v;
  const auto unchanged = [&] {
    CHECK(v.engine.open_orders(v.account, "").empty());
    CHECK(v.usdt().free == "1000"_d);
    CHECK(v.usdt().locked.is_zero());
    CHECK(v.engine.position(v.account, v.market) == nullptr);
  };
  const HttpResponse reduce = v.send(create(linear_order(Side::sell, "0.001"_d, "30000"_d, "ro-1", true)));
  CHECK(ret(reduce) == std::pair<std::string, std::string>{"110017", "ReduceOnly rule not satisified."});
  CHECK(bybit::parse_order_ack(reduce).error().code == ErrorCode::invalid_argument);
  // 0.34 at 30000 needs 10200 / 10 = 1020 > 1000.
  const HttpResponse margin = v.send(create(linear_order(Side::buy, "0.34"_d, "30000"_d, "big-1")));
  CHECK(ret(margin) == std::pair<std::string, std::string>{"110007", "Insufficient available balance"});
  CHECK(bybit::parse_order_ack(margin).error().code == ErrorCode::insufficient_funds);
  unchanged();

  // Hedge-mode legs, another category, reduceOnly on spot, bad values: 10001.
  venue::NewOrder hedge = linear_order(Side::buy, "0.001"_d, "30000"_d, "hedge-1");
  hedge.position_side = venue::PositionSide::long_;
  CHECK(ret(v.send(create(hedge))) ==
        std::pair<std::string, std::string>{"10001", "Request parameter error. position idx not match position mode"});
  const auto refused = [&](venue::Request request) { CHECK(ret(v.send(std::move(request))).first == "10001"); };
  refused(raw_request(
      HttpMethod::post, "/v5/order/create",
      R"({"category":"inverse","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"30000"})"));
  refused(raw_request(
      HttpMethod::post, "/v5/order/create",
      R"({"category":"spot","symbol":"BTCUSDT","side":"Sell","orderType":"Limit","qty":"0.001","price":"30000","reduceOnly":true})"));
  refused(raw_request(
      HttpMethod::post, "/v5/order/create",
      R"({"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"30000","reduceOnly":"maybe"})"));
  refused(raw_request(
      HttpMethod::post, "/v5/order/create",
      R"({"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"30000.05"})"));
  refused(raw_request(
      HttpMethod::post, "/v5/order/create",
      R"({"category":"linear","symbol":"ETHUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"3000"})"));
  refused(raw_request(HttpMethod::get, "/v5/position/list", "category=spot&symbol=BTCUSDT"));
  refused(raw_request(HttpMethod::get, "/v5/position/list", "category=linear"));
  refused(raw_request(HttpMethod::get, "/v5/order/realtime", "category=option"));
  CHECK(ret(v.send_unsigned(bybit::tickers(Category::linear, "ETHUSDT").value().http)).first == "10001");
  unchanged();

  // Leverage: 10 is the default (110043), buy and sell must agree, the range is 1..100.
  CHECK(ret(v.send(set_leverage("10", "10"))) ==
        std::pair<std::string, std::string>{"110043", "Set leverage not modified"});
  refused(set_leverage("20", "25"));
  refused(set_leverage("101", "101"));
  refused(raw_request(HttpMethod::post, "/v5/position/set-leverage",
              R"({"category":"spot","symbol":"BTCUSDT","buyLeverage":"5","sellLeverage":"5"})"));
  CHECK(v.engine.leverage(v.account, v.market) == "10"_d);
  const HttpResponse set = v.send(set_leverage("20", "20"));
  CHECK(ret(set) == std::pair<std::string, std::string>{"0", "OK"});
  CHECK(v.engine.leverage(v.account, v.market) == "20"_d);
  const auto listed = bybit::parse_positions(v.send(bybit::positions(Category::linear, "BTCUSDT").value()));
  REQUIRE(listed);
  REQUIRE(listed->items.size() == 1);
  CHECK(listed->items[0].leverage == "20"_d);
  CHECK(listed->items[0].quantity.is_zero());
  // At 20×, 0.66 at 30000 needs 19800 / 20 = 990, which fits in 1000.
  CHECK(bybit::parse_order_ack(v.send(create(linear_order(Side::buy, "0.66"_d, "30000"_d, "big-2")))));
  CHECK(v.usdt().locked == "990"_d);
}

TEST_CASE(
    "bybit front linear: the simulator serves linear over HTTP, and its market flow keeps the linear book alive") {
  sim::SimulatorOptions options;
  options.venue = sim::SimVenue::bybit;
  options.market_flow = false;
  sim::Simulator simulator(options);
  const std::string market = sim::market_key(InstrumentKind::linear_perpetual, "BTCUSDT");
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    const AccountId seller = engine.create_account();
    engine.deposit(seller, "USDT", "1000000"_d);
    sim::OrderRequest ask;
    ask.account = seller;
    ask.symbol = market;
    ask.side = Side::sell;
    ask.quantity = "0.5"_d;
    ask.price = "60000"_d;
    REQUIRE(engine.place(ask, to_unix_millis(RealClock{}.system_now())));
  });
  net::HttpClient client(simulator.base_url(), net::HttpClientOptions{});
  const sign::BybitSigner signer(options.api_key, sign::Secret(options.api_secret));
  const auto signed_send = [&](venue::Request request) {
    REQUIRE(signer.sign(request.http,
                        sign::SigningContext{.now = RealClock{}.system_now(), .nonce = {}, .nonce_text = {}}));
    auto reply = client.send(request.http);
    REQUIRE(reply);
    return *reply;
  };
  // Buy 0.1 at market: 6000 of value, taker fee 6; the position holds 600 of margin.
  REQUIRE(bybit::parse_order_ack(signed_send(create(linear_order(Side::buy, "0.1"_d, std::nullopt, "http-lin-1")))));
  const auto positions = bybit::parse_positions(signed_send(bybit::positions(Category::linear, "BTCUSDT").value()));
  REQUIRE(positions);
  REQUIRE(positions->items.size() == 1);
  CHECK(positions->items[0].quantity == "0.1"_d);
  CHECK(positions->items[0].entry_price == "60000"_d);
  const HttpResponse wallet = signed_send(bybit::wallet_balance("USDT").value());
  CHECK(field(wallet, "walletBalance") == "99994");  // 100000 − 6
  CHECK(field(wallet, "totalPositionIM") == "600");
  // Several coins at once; only USDT has a USD price here (no spot book to price BTC).
  const auto two = bybit::parse_wallet_balance(signed_send(bybit::wallet_balance("BTC,USDT").value()));
  REQUIRE(two);
  REQUIRE(two->size() == 2);
  CHECK((*two)[0].asset == "BTC");
  CHECK((*two)[0].free == "10"_d);
  CHECK((*two)[1].asset == "USDT");
  CHECK((*two)[1].free == "99994"_d);
  CHECK(field(wallet, "totalWalletBalance") == "99994");
  CHECK(field(wallet, "totalAvailableBalance") == "99394");  // 99994 − 600
  // The linear book changed, but the simulator keeps no market changes for it (its
  // WebSocket side streams spot books only, so they would pile up).
  CHECK(simulator.with_engine([&](sim::MatchingEngine& e) { return e.take_market_changes(market).levels.empty(); }));
  // The spot book did not move; the default account's BTC is untouched.
  CHECK(simulator.with_engine([](sim::MatchingEngine& e) { return e.recent_trades("BTCUSDT", 1).empty(); }));
  CHECK(simulator.with_engine([&](sim::MatchingEngine& e) { return e.balance(simulator.account(), "BTC").free; }) ==
        "10"_d);

  // With the market flow on, the linear book has quotes on both sides from the start.
  sim::SimulatorOptions flowing;
  flowing.venue = sim::SimVenue::bybit;
  sim::Simulator live(flowing);
  net::HttpClient live_client(live.base_url(), net::HttpClientOptions{});
  const auto book = live_client.send(bybit::orderbook(Category::linear, "BTCUSDT", 5).value().http);
  REQUIRE(book);
  const auto parsed = bybit::parse_order_book(*book);
  REQUIRE(parsed);
  CHECK(parsed->bids.size() == 5);
  CHECK(parsed->asks.size() == 5);
  CHECK(parsed->bids[0].price < parsed->asks[0].price);
}

TEST_CASE("bybit front linear: batches hold up to 20 orders and spend 10 a second, one per order") {
  LinearVenue v;
  const auto orders = [](int count) {
    std::vector<venue::NewOrder> out;
    for (int i = 0; i < count; ++i) {
      out.push_back(linear_order(Side::buy, "0.001"_d, Decimal::from_int(50000 + i), fmt::format("lin-{}", i)));
    }
    return out;
  };
  // 21 orders: the builder refuses them, and so does the front, as a whole.
  CHECK(!bybit::create_batch(Category::linear, orders(21)));
  std::string body = R"({"category":"linear","request":[)";
  for (int i = 0; i < 21; ++i) {
    body += fmt::format(R"({}{{"symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"{}"}})",
                        i == 0 ? "" : ",", 50000 + i);
  }
  body += "]}";
  const HttpResponse refused = v.send(raw_request(HttpMethod::post, "/v5/order/create-batch", body));
  CHECK(ret(refused) == std::pair<std::string, std::string>{
                            "10001", "Request parameter error. A linear batch holds 1 to 20 orders, not 21."});
  CHECK(v.engine.open_orders(v.account, "").empty());

  // 12 orders against the linear batch limit of 10 a second: the first 10 rest, the last
  // 2 fail with 10006 (the rate-limit page's rule for a batch larger than what is left).
  const HttpResponse reply = v.send(bybit::create_batch(Category::linear, orders(12)).value());
  CHECK(reply.header("X-Bapi-Limit").value() == "10");
  CHECK(reply.header("X-Bapi-Limit-Status").value() == "0");
  const auto results = bybit::parse_batch(reply);
  REQUIRE(results);
  REQUIRE(results->size() == 12);
  for (std::size_t i = 0; i < 10; ++i) {
    REQUIRE((*results)[i]);
    CHECK((*results)[i]->client_order_id == fmt::format("lin-{}", i));
  }
  CHECK((*results)[10].error().venue_code == "10006");
  CHECK((*results)[11].error().venue_code == "10006");
  CHECK(v.engine.open_orders(v.account, v.market).size() == 10);
  CHECK(v.engine.level_quantity(v.market, Side::buy, "50009"_d) == "0.001"_d);
  CHECK(v.engine.level_quantity(v.market, Side::buy, "50010"_d).is_zero());

  // Each batch endpoint and category has its own window: cancel-batch (spot, then linear)
  // is not spent by create-batch.
  const std::vector<venue::OrderRef> refs = {{"BTCUSDT", std::nullopt, "lin-0"}};
  const HttpResponse spot = v.send(bybit::cancel_batch(Category::spot, refs).value());
  CHECK(spot.header("X-Bapi-Limit").value() == "20");
  CHECK(bybit::parse_batch(spot).value()[0].error().venue_code == "110001");  // lin-0 is a linear order
  const HttpResponse linear = v.send(bybit::cancel_batch(Category::linear, refs).value());
  CHECK(linear.header("X-Bapi-Limit-Status").value() == "9");
  const auto cancelled = bybit::parse_batch(linear);
  REQUIRE(cancelled);
  REQUIRE((*cancelled)[0]);
  CHECK((*cancelled)[0]->order_id == (*results)[0]->order_id);
  CHECK(v.engine.open_orders(v.account, v.market).size() == 9);
}
