// Tests for cts/sim/bybit_front.hpp: requests built by cts::venue::bybit and signed by
// cts::sign::BybitSigner, replies read by the cts Bybit parsers and checked against
// independent expectations: retCodes and messages from Bybit's v5 error-code page,
// balances after a fill computed by hand (0.1 % fees), the authentication window of
// Bybit's guide (server_time − recv_window <= timestamp < server_time + 1000).
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
#include <cts/venue/bybit/api_key.hpp>
#include <cts/venue/bybit/market.hpp>
#include <cts/venue/bybit/orders.hpp>
#include <cts/venue/bybit/rate_limit.hpp>
#include <cts/venue/bybit/requests.hpp>

#include "sim/open_client_ids.hpp"
#include "sim/test_instrument.hpp"

using namespace cts;
using namespace cts::literals;
namespace bybit = cts::venue::bybit;
using bybit::Category;
using sim::AccountId;

namespace {

constexpr std::string_view kKey = "bybit-key";
constexpr std::string_view kSecret = "bybit-secret";
constexpr std::int64_t kNowMs = 1'700'000'000'000;
const SystemTime kNow = from_unix_millis(kNowMs);

// An exchange with BTCUSDT, our account (100000 USDT, 10 BTC) and a counterparty with
// the same funds, behind a Bybit front.
struct Venue {
  sim::MatchingEngine engine;
  sim::BybitFront front;
  AccountId account;
  AccountId other;
  explicit Venue(sim::BybitFrontConfig config = {}) : front(engine, std::move(config)) {
    engine.add_symbol(cts::test::btcusdt());
    account = engine.create_account();
    other = engine.create_account();
    for (const AccountId a : {account, other}) {
      engine.deposit(a, "USDT", "100000"_d);
      engine.deposit(a, "BTC", "10"_d);
    }
    front.add_credential(std::string(kKey), kSecret, account);
  }

  // Signs `request` at `signed_at` (the signer's clock) and serves it at `now`.
  HttpResponse send(venue::Request request, SystemTime signed_at = kNow, SystemTime now = kNow,
                    std::string_view secret = kSecret, std::int64_t recv_window = 5000) {
    const sign::BybitSigner signer(std::string(kKey), sign::Secret(std::string(secret)), recv_window);
    REQUIRE(signer.sign(request.http, sign::SigningContext{.now = signed_at, .nonce = {}, .nonce_text = {}}));
    return front.handle(request.http, now).response;
  }
  HttpResponse send_unsigned(const HttpRequest& request) { return front.handle(request, kNow).response; }

  // The counterparty rests an order on the book.
  void rest(Side side, Decimal quantity, Decimal price) {
    sim::OrderRequest r;
    r.account = other;
    r.symbol = "BTCUSDT";
    r.side = side;
    r.quantity = quantity;
    r.price = price;
    REQUIRE(engine.place(r, kNowMs));
  }
  [[nodiscard]] sim::Balance balance(std::string_view asset) const { return engine.balance(account, asset); }
};

venue::NewOrder limit_order(Side side, Decimal quantity, Decimal price, std::string client_id) {
  venue::NewOrder o;
  o.symbol = "BTCUSDT";
  o.side = side;
  o.type = OrderType::limit;
  o.quantity = quantity;
  o.price = price;
  o.client_order_id = std::move(client_id);
  return o;
}

venue::Request create(const venue::NewOrder& order) { return bybit::create_order(Category::spot, order).value(); }

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

// A POST to `path` with a raw body (for bodies the builders would refuse).
venue::Request raw_post(std::string path, std::string body) {
  venue::Request r;
  r.http.method = HttpMethod::post;
  r.http.path = std::move(path);
  r.http.body = std::move(body);
  r.http.set_header("Content-Type", "application/json");
  return r;
}

// retCode and retMsg of an error envelope, read without the cts parsers.
std::pair<std::string, std::string> ret(const HttpResponse& r) {
  const auto field = [&](std::string_view name, bool quoted) {
    const std::string key = fmt::format("\"{}\":{}", name, quoted ? "\"" : "");
    const std::size_t at = r.body.find(key);
    if (at == std::string::npos) return std::string();
    const std::size_t start = at + key.size();
    return r.body.substr(start, r.body.find(quoted ? '"' : ',', start) - start);
  };
  return {field("retCode", false), field("retMsg", true)};
}

}  // namespace

TEST_CASE("bybit front: market endpoints read by the cts Bybit parsers") {
  Venue v;
  v.rest(Side::buy, "0.5"_d, "29000"_d);
  v.rest(Side::buy, "0.25"_d, "28999.5"_d);
  v.rest(Side::sell, "0.2"_d, "30000"_d);

  const HttpResponse time = v.send_unsigned(bybit::server_time().http);
  CHECK(time.status == 200);
  CHECK(bybit::parse_server_time(time).value() == kNowMs);
  CHECK(time.body.find(R"("timeSecond":"1700000000")") != std::string::npos);

  const auto instruments =
      bybit::parse_instruments(v.send_unsigned(bybit::instruments_info(Category::spot).value().http), Category::spot);
  REQUIRE(instruments);
  REQUIRE(instruments->items.size() == 1);
  const Instrument& in = instruments->items[0].instrument;
  CHECK(in.venue_symbol == "BTCUSDT");
  CHECK(in.base == "BTC");
  CHECK(in.quote == "USDT");
  CHECK(in.tick_size == "0.01"_d);
  CHECK(in.step_size == "0.001"_d);
  CHECK(in.min_quantity == "0.001"_d);
  CHECK(in.max_quantity == "100"_d);
  CHECK(in.min_notional == "5"_d);
  CHECK(instruments->items[0].status == "Trading");

  const auto book =
      bybit::parse_order_book(v.send_unsigned(bybit::orderbook(Category::spot, "BTCUSDT", 5).value().http));
  REQUIRE(book);
  REQUIRE(book->bids.size() == 2);
  CHECK(book->bids[0].price == "29000"_d);
  CHECK(book->bids[0].quantity == "0.5"_d);
  CHECK(book->bids[1].price == "28999.5"_d);
  REQUIRE(book->asks.size() == 1);
  CHECK(book->asks[0].price == "30000"_d);
  CHECK(book->last_update_id > 0);
  // Spot's default depth is 1 level per side.
  const auto top = bybit::parse_order_book(v.send_unsigned(bybit::orderbook(Category::spot, "BTCUSDT").value().http));
  REQUIRE(top);
  CHECK(top->bids.size() == 1);

  const auto tickers = bybit::parse_tickers(v.send_unsigned(bybit::tickers(Category::spot, "BTCUSDT").value().http));
  REQUIRE(tickers);
  REQUIRE(tickers->size() == 1);
  CHECK((*tickers)[0].bid_price == "29000"_d);
  CHECK((*tickers)[0].ask_price == "30000"_d);
  CHECK((*tickers)[0].ask_quantity == "0.2"_d);
  CHECK((*tickers)[0].time_ms == kNowMs);

  SUBCASE("an unknown symbol, a category other than spot and a route that does not exist") {
    CHECK(ret(v.send_unsigned(bybit::orderbook(Category::spot, "DOGEUSDT").value().http)).first == "10001");
    CHECK(ret(v.send_unsigned(bybit::orderbook(Category::linear, "BTCUSDT").value().http)).first == "10001");
    HttpRequest missing;
    missing.path = "/v5/market/kline";
    const HttpResponse r = v.send_unsigned(missing);
    CHECK(r.status == 404);
    CHECK(ret(r) == std::pair<std::string, std::string>{"10017", "Route not found."});
  }
}

TEST_CASE("bybit front: a limit order rests, locks its funds, is listed, amended and cancelled") {
  Venue v;
  const HttpResponse placed = v.send(create(limit_order(Side::buy, "0.5"_d, "20000"_d, "bid-1")));
  const auto ack = bybit::parse_order_ack(placed);
  REQUIRE(ack);
  CHECK(ack->client_order_id == "bid-1");
  CHECK(!ack->order_id.empty());
  // 0.5 · 20000 = 10000 USDT held.
  CHECK(v.balance("USDT").locked == "10000"_d);
  CHECK(v.balance("USDT").free == "90000"_d);

  // Order endpoints carry Bybit's limit headers: 20/s for spot orders, 19 left.
  CHECK(placed.header("X-Bapi-Limit").value() == "20");
  CHECK(placed.header("X-Bapi-Limit-Status").value() == "19");
  CHECK(placed.header("X-Bapi-Limit-Reset-Timestamp").value() == std::to_string(kNowMs));
  const auto status = bybit::parse_rate_limit_headers(placed);
  REQUIRE(status);
  REQUIRE(status->has_value());
  CHECK((*status)->limit == 20);
  CHECK((*status)->remaining == 19);

  const auto open = bybit::parse_orders(v.send(bybit::open_orders(Category::spot, open_btcusdt()).value()));
  REQUIRE(open);
  REQUIRE(open->items.size() == 1);
  const venue::OrderReport& o = open->items[0];
  CHECK(o.order_id == ack->order_id);
  CHECK(o.client_order_id == "bid-1");
  CHECK(o.status == venue::OrderStatus::new_);
  CHECK(o.side == Side::buy);
  CHECK(o.type == OrderType::limit);
  CHECK(o.price == "20000"_d);
  CHECK(o.quantity == "0.5"_d);
  CHECK(o.executed_quantity.is_zero());

  // Amend keeps the ids: 0.4 at 21000 holds 8400 USDT.
  venue::OrderAmendment amendment;
  amendment.order = {"BTCUSDT", ack->order_id, ""};
  amendment.quantity = "0.4"_d;
  amendment.price = "21000"_d;
  const auto amended = bybit::parse_order_ack(v.send(bybit::amend_order(Category::spot, amendment).value()));
  REQUIRE(amended);
  CHECK(amended->order_id == ack->order_id);
  CHECK(v.balance("USDT").locked == "8400"_d);
  CHECK(v.balance("USDT").free == "91600"_d);
  CHECK(v.engine.level_quantity("BTCUSDT", Side::buy, "21000"_d) == "0.4"_d);
  CHECK(v.engine.level_quantity("BTCUSDT", Side::buy, "20000"_d).is_zero());

  const auto cancelled =
      bybit::parse_order_ack(v.send(bybit::cancel_order(Category::spot, {"BTCUSDT", std::nullopt, "bid-1"}).value()));
  REQUIRE(cancelled);
  CHECK(cancelled->order_id == ack->order_id);
  CHECK(v.balance("USDT").locked.is_zero());
  CHECK(v.balance("USDT").free == "100000"_d);

  const auto history = bybit::parse_orders(v.send(bybit::order_history(Category::spot, history_btcusdt()).value()));
  REQUIRE(history);
  REQUIRE(history->items.size() == 1);
  CHECK(history->items[0].status == venue::OrderStatus::canceled);
  CHECK(bybit::parse_orders(v.send(bybit::open_orders(Category::spot, open_btcusdt()).value()))->items.empty());

  SUBCASE("cancelling it again, or an order that never existed: 110001") {
    const HttpResponse again = v.send(bybit::cancel_order(Category::spot, {"BTCUSDT", ack->order_id, ""}).value());
    CHECK(ret(again) == std::pair<std::string, std::string>{"110001", "Order does not exist"});
    CHECK(bybit::parse_order_ack(again).error().code == ErrorCode::order_not_found);
    CHECK(ret(v.send(bybit::cancel_order(Category::spot, {"BTCUSDT", "999999", ""}).value())).first == "110001");
  }
  SUBCASE("the orderLinkId stays taken after the order closed: 110072") {
    const HttpResponse dup = v.send(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "bid-1")));
    CHECK(ret(dup) == std::pair<std::string, std::string>{"110072", "OrderLinkedID is duplicate"});
    CHECK(bybit::parse_order_ack(dup).error().code == ErrorCode::duplicate_client_order_id);
    CHECK(v.engine.open_orders(v.account, "").empty());
    CHECK(v.balance("USDT").locked.is_zero());
  }
}

TEST_CASE("bybit front: a market buy fills against the book; balances, executions and wallet as computed by hand") {
  Venue v;
  v.rest(Side::sell, "0.1"_d, "30000"_d);
  venue::NewOrder buy;
  buy.symbol = "BTCUSDT";
  buy.side = Side::buy;
  buy.type = OrderType::market;
  buy.quantity = "0.1"_d;  // marketUnit=baseCoin: 0.1 BTC
  buy.client_order_id = "take-1";
  const auto ack = bybit::parse_order_ack(v.send(create(buy)));
  REQUIRE(ack);

  // Paid 0.1 · 30000 = 3000 USDT; received 0.1 BTC less the 0.1 % taker fee (0.0001 BTC).
  CHECK(v.balance("USDT").free == "97000"_d);
  CHECK(v.balance("BTC").free == "10.0999"_d);
  // The counterparty: 3000 USDT less 0.1 % (3) received, 0.1 BTC delivered.
  CHECK(v.engine.balance(v.other, "USDT").free == "102997"_d);
  CHECK(v.engine.balance(v.other, "BTC").free == "9.9"_d);

  const auto wallet = bybit::parse_wallet_balance(v.send(bybit::wallet_balance().value()));
  REQUIRE(wallet);
  REQUIRE(wallet->size() == 2);
  CHECK((*wallet)[0].asset == "BTC");
  CHECK((*wallet)[0].free == "10.0999"_d);
  CHECK((*wallet)[0].locked.is_zero());
  CHECK((*wallet)[1].asset == "USDT");
  CHECK((*wallet)[1].free == "97000"_d);

  const auto fills = bybit::parse_executions(v.send(bybit::executions(Category::spot, history_btcusdt()).value()));
  REQUIRE(fills);
  REQUIRE(fills->items.size() == 1);
  const venue::AccountTrade& f = fills->items[0];
  CHECK(f.order_id == ack->order_id);
  CHECK(f.side == Side::buy);
  CHECK(f.price == "30000"_d);
  CHECK(f.quantity == "0.1"_d);
  CHECK(f.quote_quantity == "3000"_d);
  CHECK(f.commission == "0.0001"_d);
  CHECK(f.commission_asset == "BTC");
  CHECK(!f.maker);
  CHECK(f.time_ms == kNowMs);

  const auto history = bybit::parse_orders(v.send(bybit::order_history(Category::spot).value()));
  REQUIRE(history);
  REQUIRE(history->items.size() == 1);
  CHECK(history->items[0].status == venue::OrderStatus::filled);
  CHECK(history->items[0].executed_quantity == "0.1"_d);
  CHECK(history->items[0].average_price == "30000"_d);
  CHECK(history->items[0].type == OrderType::market);

  SUBCASE("a market buy by quote amount (Bybit's default unit for buys)") {
    v.rest(Side::sell, "0.1"_d, "30000"_d);
    const auto quote_buy = v.send(raw_post(
        "/v5/order/create",
        R"({"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"1500","orderLinkId":"take-2"})"));
    REQUIRE(bybit::parse_order_ack(quote_buy));
    // 1500 USDT buys 0.05 BTC at 30000, less 0.00005 BTC fee.
    CHECK(v.balance("USDT").free == "95500"_d);
    CHECK(v.balance("BTC").free == "10.14985"_d);
  }
}

TEST_CASE("bybit front: authentication follows Bybit's rule and a refusal changes nothing") {
  Venue v;
  const auto order = limit_order(Side::buy, "0.5"_d, "20000"_d, "auth-1");
  const auto unchanged = [&] {
    CHECK(v.engine.open_orders(v.account, "").empty());
    CHECK(v.balance("USDT").free == "100000"_d);
    CHECK(v.balance("USDT").locked.is_zero());
  };

  SUBCASE("wrong secret: 10004") {
    const HttpResponse r = v.send(create(order), kNow, kNow, "other-secret");
    CHECK(ret(r) == std::pair<std::string, std::string>{
                        "10004", "Error sign, please check your signature generation algorithm."});
    CHECK(bybit::parse_order_ack(r).error().code == ErrorCode::invalid_signature);
    CHECK(v.front.stats().auth_rejected == 1);
    unchanged();
  }
  SUBCASE("a body changed after signing: 10004") {
    venue::Request request = create(order);
    const sign::BybitSigner signer{std::string(kKey), sign::Secret(std::string(kSecret))};
    REQUIRE(signer.sign(request.http, sign::SigningContext{.now = kNow, .nonce = {}, .nonce_text = {}}));
    const std::size_t at = request.http.body.find("0.5");
    REQUIRE(at != std::string::npos);
    request.http.body.replace(at, 3, "0.6");
    CHECK(ret(v.send_unsigned(request.http)).first == "10004");
    unchanged();
  }
  SUBCASE("unknown or missing API key: 10003") {
    venue::Request request = create(order);
    const sign::BybitSigner signer("someone-else", sign::Secret(std::string(kSecret)));
    REQUIRE(signer.sign(request.http, sign::SigningContext{.now = kNow, .nonce = {}, .nonce_text = {}}));
    CHECK(ret(v.send_unsigned(request.http)) == std::pair<std::string, std::string>{"10003", "API key is invalid."});
    CHECK(ret(v.send_unsigned(create(order).http)).first == "10003");
    unchanged();
  }
  SUBCASE("the timestamp window: [server − recvWindow, server + 1000)") {
    const std::string expired = "The request time exceeds the time window range.";
    // 5001 ms old with the default 5000 ms window: refused; 5000 ms old: accepted.
    const HttpResponse old = v.send(create(order), kNow - std::chrono::milliseconds(5001));
    CHECK(ret(old) == std::pair<std::string, std::string>{"10002", expired});
    CHECK(bybit::parse_order_ack(old).error().code == ErrorCode::timestamp_out_of_window);
    // 1000 ms ahead: refused.
    CHECK(ret(v.send(create(order), kNow + std::chrono::milliseconds(1000))).first == "10002");
    unchanged();
    CHECK(bybit::parse_order_ack(v.send(create(order), kNow + std::chrono::milliseconds(999))));
    CHECK(bybit::parse_order_ack(
        v.send(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "auth-2")), kNow - std::chrono::milliseconds(5000))));
    // A wider X-BAPI-RECV-WINDOW admits an older timestamp.
    CHECK(bybit::parse_order_ack(v.send(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "auth-3")),
                                        kNow - std::chrono::milliseconds(9000), kNow, kSecret, 10'000)));
    CHECK(v.engine.open_orders(v.account, "").size() == 3);
  }
}

TEST_CASE("bybit front: bad input gets 10001 or the business code and changes no state") {
  Venue v;
  v.rest(Side::sell, "1"_d, "30000"_d);
  const auto before = v.engine.balances(v.account);
  const auto expect_unchanged = [&] {
    CHECK(v.engine.open_orders(v.account, "").empty());
    CHECK(v.engine.balances(v.account).at("USDT").free == before.at("USDT").free);
    CHECK(v.engine.balances(v.account).at("BTC").free == before.at("BTC").free);
    CHECK(v.engine.account_fills(v.account, "BTCUSDT").empty());
  };
  const auto code_of = [&](std::string body) {
    return ret(v.send(raw_post("/v5/order/create", std::move(body)))).first;
  };

  CHECK(code_of(R"({"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.1","price":"2)") ==
        "10001");
  CHECK(code_of(R"(["category","spot"])") == "10001");
  CHECK(
      code_of(
          R"({"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.1","price":"20000"} {})") ==
      "10001");
  CHECK(code_of(R"({"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","price":"20000"})") ==
        "10001");
  CHECK(code_of(R"({"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.1"})") == "10001");
  CHECK(code_of(R"({"symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.1","price":"20000"})") == "10001");
  CHECK(code_of(
            R"({"category":"spot","symbol":"BTCUSDT","side":"Up","orderType":"Limit","qty":"0.1","price":"20000"})") ==
        "10001");
  CHECK(code_of(
            R"({"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"-1","price":"20000"})") ==
        "10001");
  CHECK(
      code_of(
          R"({"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":{"n":1},"price":"20000"})") ==
      "10001");
  CHECK(
      code_of(
          R"({"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.1","price":"20000.001"})") ==
      "10001");  // off the 0.01 tick
  CHECK(
      code_of(
          R"({"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.1","price":"20000","orderLinkId":"no spaces"})") ==
      "10001");
  expect_unchanged();

  // 4 · 30000 = 120000 USDT > 100000: 110007; selling 11 BTC of 10: 110007.
  const HttpResponse poor = v.send(create(limit_order(Side::buy, "4"_d, "30000"_d, "poor-1")));
  CHECK(ret(poor) == std::pair<std::string, std::string>{"110007", "Insufficient available balance"});
  CHECK(bybit::parse_order_ack(poor).error().code == ErrorCode::insufficient_funds);
  CHECK(ret(v.send(create(limit_order(Side::sell, "11"_d, "40000"_d, "poor-2")))).first == "110007");
  expect_unchanged();
  // A refused order does not take its orderLinkId.
  CHECK(bybit::parse_order_ack(v.send(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "poor-1")))));
}

TEST_CASE("bybit front: cancel-all, and the per-second order limit with its headers") {
  sim::BybitFrontConfig config;
  config.limits.order_per_second = 3;
  Venue v(config);
  REQUIRE(bybit::parse_order_ack(v.send(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "a")))));
  REQUIRE(bybit::parse_order_ack(v.send(create(limit_order(Side::buy, "0.1"_d, "20001"_d, "b")))));
  // The limit is per endpoint: cancel-all has its own window.
  const HttpResponse all = v.send(bybit::cancel_all_orders(Category::spot, "BTCUSDT").value());
  const auto acks = bybit::parse_cancel_all(all);
  REQUIRE(acks);
  REQUIRE(acks->size() == 2);
  CHECK((*acks)[0].client_order_id == "a");
  CHECK((*acks)[1].client_order_id == "b");
  CHECK(all.header("X-Bapi-Limit-Status").value() == "2");
  CHECK(v.balance("USDT").locked.is_zero());

  const HttpResponse third = v.send(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "c")));
  CHECK(third.header("X-Bapi-Limit-Status").value() == "0");
  const HttpResponse fourth = v.send(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "d")));
  CHECK(ret(fourth).first == "10006");
  CHECK(bybit::parse_order_ack(fourth).error().code == ErrorCode::rate_limited);
  CHECK(fourth.header("X-Bapi-Limit-Status").value() == "0");
  CHECK(fourth.header("X-Bapi-Limit-Reset-Timestamp").value() == std::to_string((kNowMs / 1000 + 1) * 1000));
  CHECK(v.engine.open_orders(v.account, "").size() == 1);
  // The next second has a fresh window.
  const SystemTime later = kNow + std::chrono::seconds(1);
  const HttpResponse fifth = v.send(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "d")), later, later);
  CHECK(bybit::parse_order_ack(fifth));
  CHECK(fifth.header("X-Bapi-Limit-Status").value() == "2");
}

TEST_CASE("bybit front: injected faults answer as Bybit would") {
  sim::BybitFrontConfig config;
  config.faults.burst_429 = 1;
  Venue v(config);
  const auto order = limit_order(Side::buy, "0.1"_d, "20000"_d, "f-1");
  const HttpResponse burst = v.send(create(order));
  CHECK(ret(burst).first == "10006");
  CHECK(burst.header("X-Bapi-Limit-Status").value() == "0");
  CHECK(burst.header("X-Bapi-Limit-Reset-Timestamp").value() == std::to_string((kNowMs / 1000 + 1) * 1000));
  CHECK(v.engine.open_orders(v.account, "").empty());
  CHECK(bybit::parse_order_ack(v.send(create(order))));

  v.front.config().faults = sim::FaultConfig{};
  v.front.config().faults.error_before_ppm = 1'000'000;
  v.front.reset_faults();
  const HttpResponse before = v.send(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "f-2")));
  CHECK(ret(before) == std::pair<std::string, std::string>{"10016", "Internal System Error."});
  CHECK(bybit::parse_order_ack(before).error().code == ErrorCode::unknown_outcome);
  CHECK(v.engine.open_orders(v.account, "").size() == 1);

  v.front.config().faults = sim::FaultConfig{};
  v.front.config().faults.error_after_ppm = 1'000'000;
  v.front.reset_faults();
  // Executed, then the reply is lost behind a 10016: the order exists.
  CHECK(ret(v.send(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "f-3")))).first == "10016");
  CHECK(v.engine.open_orders(v.account, "").size() == 2);

  v.front.config().faults = sim::FaultConfig{};
  v.front.config().faults.drop_after_ppm = 1'000'000;
  v.front.reset_faults();
  const auto r = v.front.handle(bybit::server_time().http, kNow);
  CHECK(r.action == net::ReplyAction::drop);
  CHECK(v.front.stats().faults == 4);
}

TEST_CASE("bybit front: lost_order_replies drops the replies to the next N executed creates and cancels, never to reads") {
  sim::BybitFrontConfig config;
  config.faults = sim::FaultConfig::parse("lost_order_replies=3").value();
  Venue v(config);
  const sign::BybitSigner signer(std::string(kKey), sign::Secret(std::string(kSecret)), 5000);
  const auto serve = [&](venue::Request request) {
    REQUIRE(signer.sign(request.http, sign::SigningContext{.now = kNow, .nonce = {}, .nonce_text = {}}));
    return v.front.handle(request.http, kNow);
  };
  CHECK(serve(bybit::open_orders(Category::spot, open_btcusdt()).value()).action == net::ReplyAction::respond);
  CHECK(serve(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "lost-1"))).action == net::ReplyAction::drop);
  CHECK(serve(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "lost-2"))).action == net::ReplyAction::drop);
  const venue::OrderRef lost_1{"BTCUSDT", std::nullopt, "lost-1"};
  CHECK(serve(bybit::cancel_order(Category::spot, lost_1).value()).action == net::ReplyAction::drop);
  const net::ServerReply kept = serve(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "kept-3")));
  CHECK(kept.action == net::ReplyAction::respond);
  CHECK(bybit::parse_order_ack(kept.response));
  CHECK(v.front.stats().faults == 3);
  // Every lost reply's request was executed: lost-1 placed and cancelled, lost-2 rests.
  CHECK(cts::test::open_client_ids(v.engine, v.account, "BTCUSDT") == std::vector<std::string>{"kept-3", "lost-2"});
}

TEST_CASE("bybit front: the simulator serves Bybit over HTTP on 127.0.0.1 when asked") {
  sim::SimulatorOptions options;
  options.venue = sim::SimVenue::bybit;
  options.market_flow = false;
  sim::Simulator simulator(options);
  CHECK(simulator.base_url().starts_with("http://127.0.0.1:"));
  net::HttpClient client(simulator.base_url(), net::HttpClientOptions{});
  const sign::BybitSigner signer(options.api_key, sign::Secret(options.api_secret));
  const auto signed_send = [&](venue::Request request) {
    REQUIRE(signer.sign(request.http,
                        sign::SigningContext{.now = RealClock{}.system_now(), .nonce = {}, .nonce_text = {}}));
    auto reply = client.send(request.http);
    REQUIRE(reply);
    return *reply;
  };

  const auto server_time = client.send(bybit::server_time().http);
  REQUIRE(server_time);
  CHECK(bybit::parse_server_time(*server_time).value() > 0);

  const auto ack = bybit::parse_order_ack(signed_send(create(limit_order(Side::buy, "0.5"_d, "20000"_d, "http-1"))));
  REQUIRE(ack);
  CHECK(ack->client_order_id == "http-1");
  // The default account holds 100000 USDT: 10000 of it is now locked.
  const auto wallet = bybit::parse_wallet_balance(signed_send(bybit::wallet_balance("USDT").value()));
  REQUIRE(wallet);
  REQUIRE(wallet->size() == 1);
  CHECK((*wallet)[0].locked == "10000"_d);
  CHECK((*wallet)[0].free == "90000"_d);
  const auto open = bybit::parse_orders(signed_send(bybit::open_orders(Category::spot, open_btcusdt()).value()));
  REQUIRE(open);
  REQUIRE(open->items.size() == 1);
  CHECK(open->items[0].order_id == ack->order_id);
  CHECK(simulator.stats().signed_requests == 3);
}

TEST_CASE("bybit front: a refused amendment leaves the order and the funds as they were") {
  Venue v;
  v.rest(Side::sell, "0.1"_d, "30000"_d);
  const auto ack = bybit::parse_order_ack(v.send(create(limit_order(Side::buy, "0.5"_d, "20000"_d, "keep-1"))));
  REQUIRE(ack);
  const auto amend = [&](std::optional<Decimal> quantity, std::optional<Decimal> price) {
    venue::OrderAmendment a;
    a.order = {"BTCUSDT", std::nullopt, "keep-1"};
    a.quantity = quantity;
    a.price = price;
    return v.send(bybit::amend_order(Category::spot, a).value());
  };
  const auto unchanged = [&] {
    CHECK(v.balance("USDT").locked == "10000"_d);
    CHECK(v.balance("USDT").free == "90000"_d);
    CHECK(v.engine.level_quantity("BTCUSDT", Side::buy, "20000"_d) == "0.5"_d);
  };
  // 30000 would cross the resting ask: the simulator refuses rather than match.
  CHECK(ret(amend(std::nullopt, "30000"_d)).first == "10001");
  unchanged();
  // 6 · 20000 = 120000 USDT > the 100000 held and free: 110007.
  CHECK(ret(amend("6"_d, std::nullopt)).first == "110007");
  unchanged();
  // Off the 0.01 tick: 10001.
  CHECK(ret(amend(std::nullopt, "20000.005"_d)).first == "10001");
  unchanged();
  // An order that does not exist: 110001.
  venue::OrderAmendment unknown;
  unknown.order = {"BTCUSDT", std::nullopt, "nobody"};
  unknown.price = "19000"_d;
  CHECK(ret(v.send(bybit::amend_order(Category::spot, unknown).value())).first == "110001");
  unchanged();
  // 5 · 20000 = 100000: exactly the funds (90000 free + 10000 already held) is enough.
  CHECK(bybit::parse_order_ack(amend("5"_d, std::nullopt)));
  CHECK(v.balance("USDT").locked == "100000"_d);
  CHECK(v.balance("USDT").free.is_zero());
}

TEST_CASE("bybit front: an order sent without orderLinkId reports an empty one everywhere") {
  Venue v;
  const HttpResponse placed = v.send(raw_post(
      "/v5/order/create",
      R"({"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.1","price":"20000"})"));
  const auto ack = bybit::parse_order_ack(placed);
  REQUIRE(ack);
  CHECK(ack->client_order_id.empty());
  const auto open = bybit::parse_orders(v.send(bybit::open_orders(Category::spot, open_btcusdt()).value()));
  REQUIRE(open);
  REQUIRE(open->items.size() == 1);
  CHECK(open->items[0].order_id == ack->order_id);
  CHECK(open->items[0].client_order_id.empty());
  CHECK(bybit::parse_cancel_all(v.send(bybit::cancel_all_orders(Category::spot, "BTCUSDT").value()))
            ->at(0)
            .client_order_id.empty());
}

TEST_CASE("bybit front: query-api describes the test key as trading, never withdrawing") {
  Venue v;
  const HttpResponse reply = v.send(bybit::api_key_info());
  CHECK(reply.status == 200);
  for (const Category category : {Category::linear, Category::spot}) {
    const auto permissions = bybit::parse_api_key_info(reply, category);
    REQUIRE(permissions.has_value());
    CHECK(permissions->can_trade);
    CHECK_FALSE(permissions->can_withdraw);
    CHECK_FALSE(permissions->read_only);
    CHECK_FALSE(permissions->ip_restricted);
    // Unbound keys expire 90 days after creation (modify-master-apikey.mdx); the
    // simulator creates them when asked: 2023-11-14T22:13:20Z + 90 days.
    CHECK(permissions->expires_at == "2024-02-12T22:13:20Z");
    CHECK(permissions->days_left == 90);
  }
  CHECK(reply.body.find(R"("apiKey":"bybit-key")") != std::string::npos);
  CHECK(reply.body.find("bybit-secret") == std::string::npos);

  // Signed like every private endpoint: a wrong secret is refused with 10004.
  const HttpResponse refused = v.send(bybit::api_key_info(), kNow, kNow, "another-secret");
  CHECK(ret(refused).first == "10004");
  CHECK(bybit::parse_api_key_info(refused, Category::linear).error().code == ErrorCode::invalid_signature);

  // A front configured with withdrawing keys lists Wallet Withdraw.
  sim::BybitFrontConfig withdrawing;
  withdrawing.keys_can_withdraw = true;
  Venue w(withdrawing);
  const auto risky = bybit::parse_api_key_info(w.send(bybit::api_key_info()), Category::linear);
  REQUIRE(risky.has_value());
  CHECK(risky->can_withdraw);
  CHECK(risky->can_trade);
}

TEST_CASE("bybit front: create-batch runs each order as create does, one result per item in order") {
  Venue v;
  // Good; 10 · 20000 = 200000 USDT > the 100000 held (110007); the first one's
  // orderLinkId again (110072, as a single create would get).
  const std::vector<venue::NewOrder> orders = {limit_order(Side::buy, "0.5"_d, "20000"_d, "b-1"),
                                               limit_order(Side::buy, "10"_d, "20000"_d, "b-2"),
                                               limit_order(Side::sell, "0.1"_d, "30000"_d, "b-1")};
  const HttpResponse reply = v.send(bybit::create_batch(Category::spot, orders).value());
  CHECK(ret(reply) == std::pair<std::string, std::string>{"0", "OK"});
  const auto results = bybit::parse_batch(reply);
  REQUIRE(results);
  REQUIRE(results->size() == 3);
  REQUIRE((*results)[0]);
  CHECK((*results)[0]->symbol == "BTCUSDT");
  CHECK((*results)[0]->client_order_id == "b-1");
  CHECK(!(*results)[0]->order_id.empty());
  CHECK((*results)[0]->time_ms == kNowMs);
  REQUIRE(!(*results)[1]);
  CHECK((*results)[1].error().code == ErrorCode::insufficient_funds);
  CHECK((*results)[1].error().venue_code == "110007");
  REQUIRE(!(*results)[2]);
  CHECK((*results)[2].error().code == ErrorCode::duplicate_client_order_id);
  CHECK((*results)[2].error().venue_code == "110072");
  // A failed item names what was sent, with an empty orderId and createAt (the
  // batch-cancel page's failed item).
  CHECK(reply.body.find(R"({"category":"spot","symbol":"BTCUSDT","orderId":"","orderLinkId":"b-2","createAt":""})") !=
        std::string::npos);
  CHECK(reply.body.find(R"({"code":110007,"msg":"Insufficient available balance"})") != std::string::npos);

  // Only the good order rests: 0.5 · 20000 = 10000 USDT held.
  CHECK(v.engine.level_quantity("BTCUSDT", Side::buy, "20000"_d) == "0.5"_d);
  CHECK(v.engine.level_quantity("BTCUSDT", Side::sell, "30000"_d).is_zero());
  const auto open = bybit::parse_orders(v.send(bybit::open_orders(Category::spot, open_btcusdt()).value()));
  REQUIRE(open);
  REQUIRE(open->items.size() == 1);
  CHECK(open->items[0].order_id == (*results)[0]->order_id);
  CHECK(v.balance("USDT").locked == "10000"_d);

  // The batch endpoint has its own spot window (20/s), where each item counts: 3 used.
  CHECK(reply.header("X-Bapi-Limit").value() == "20");
  CHECK(reply.header("X-Bapi-Limit-Status").value() == "17");
  const HttpResponse single = v.send(create(limit_order(Side::buy, "0.1"_d, "19000"_d, "s-1")));
  CHECK(single.header("X-Bapi-Limit-Status").value() == "19");
}

TEST_CASE("bybit front: amend-batch and cancel-batch find orders by orderId and by orderLinkId") {
  Venue v;
  const auto a = bybit::parse_order_ack(v.send(create(limit_order(Side::buy, "0.1"_d, "20000"_d, "a"))));
  const auto b = bybit::parse_order_ack(v.send(create(limit_order(Side::buy, "0.2"_d, "20001"_d, "b"))));
  REQUIRE(a);
  REQUIRE(b);

  std::vector<venue::OrderAmendment> amendments(3);
  amendments[0].order = {"BTCUSDT", a->order_id, ""};
  amendments[0].price = "19000"_d;
  amendments[1].order = {"BTCUSDT", std::nullopt, "b"};
  amendments[1].quantity = "0.3"_d;
  amendments[2].order = {"BTCUSDT", std::nullopt, "never-sent"};
  amendments[2].price = "19500"_d;
  const HttpResponse amended = v.send(bybit::amend_batch(Category::spot, amendments).value());
  const auto amend_results = bybit::parse_batch(amended);
  REQUIRE(amend_results);
  REQUIRE(amend_results->size() == 3);
  REQUIRE((*amend_results)[0]);
  CHECK((*amend_results)[0]->order_id == a->order_id);
  CHECK((*amend_results)[0]->client_order_id == "a");
  REQUIRE((*amend_results)[1]);
  CHECK((*amend_results)[1]->order_id == b->order_id);
  CHECK((*amend_results)[1]->client_order_id == "b");
  REQUIRE(!(*amend_results)[2]);
  CHECK((*amend_results)[2].error().code == ErrorCode::order_not_found);
  CHECK((*amend_results)[2].error().venue_code == "110001");
  CHECK(amended.body.find(R"("orderId":"","orderLinkId":"never-sent"})") != std::string::npos);
  // 0.1 · 19000 + 0.3 · 20001 = 1900 + 6000.3 held.
  CHECK(v.engine.level_quantity("BTCUSDT", Side::buy, "19000"_d) == "0.1"_d);
  CHECK(v.engine.level_quantity("BTCUSDT", Side::buy, "20001"_d) == "0.3"_d);
  CHECK(v.engine.level_quantity("BTCUSDT", Side::buy, "19500"_d).is_zero());
  CHECK(v.balance("USDT").locked == "7900.3"_d);

  const std::vector<venue::OrderRef> refs = {
      {"BTCUSDT", std::nullopt, "a"}, {"BTCUSDT", b->order_id, ""}, {"BTCUSDT", a->order_id, ""}};
  const auto cancel_results = bybit::parse_batch(v.send(bybit::cancel_batch(Category::spot, refs).value()));
  REQUIRE(cancel_results);
  REQUIRE(cancel_results->size() == 3);
  REQUIRE((*cancel_results)[0]);
  CHECK((*cancel_results)[0]->order_id == a->order_id);
  CHECK((*cancel_results)[0]->client_order_id == "a");
  REQUIRE((*cancel_results)[1]);
  CHECK((*cancel_results)[1]->order_id == b->order_id);
  CHECK((*cancel_results)[1]->client_order_id == "b");
  // a was cancelled by the first item.
  REQUIRE(!(*cancel_results)[2]);
  CHECK((*cancel_results)[2].error().venue_code == "110001");
  CHECK(v.engine.open_orders(v.account, "").empty());
  CHECK(v.balance("USDT").locked.is_zero());
  CHECK(v.balance("USDT").free == "100000"_d);
}

TEST_CASE("bybit front: a batch the front refuses as a whole changes nothing; the batch limit counts items") {
  sim::BybitFrontConfig config;
  config.limits.batch_spot_per_second = 3;
  Venue v(config);
  const auto item = [](int i) {
    return fmt::format(R"({{"symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.01","price":"{}"}})",
                       20000 + i);
  };
  const auto body = [&](std::string_view category, int items) {
    std::string out = fmt::format(R"({{"category":"{}","request":[)", category);
    for (int i = 0; i < items; ++i) out += (i == 0 ? "" : ",") + item(i);
    return out + "]}";
  };
  // Spot batches hold 1 to 10 orders (the batch pages).
  CHECK(ret(v.send(raw_post("/v5/order/create-batch", body("spot", 11)))) ==
        std::pair<std::string, std::string>{"10001",
                                            "Request parameter error. A spot batch holds 1 to 10 orders, not 11."});
  CHECK(ret(v.send(raw_post("/v5/order/create-batch", body("spot", 0)))).first == "10001");
  CHECK(ret(v.send(raw_post("/v5/order/create-batch", R"({"request":[)" + item(0) + "]}"))) ==
        std::pair<std::string, std::string>{"10001", "Request parameter error. Missing parameter 'category'."});
  CHECK(
      ret(v.send(raw_post("/v5/order/cancel-batch", R"({"category":"spot","request":{"symbol":"BTCUSDT"}})"))).first ==
      "10001");
  CHECK(ret(v.send(raw_post("/v5/order/amend-batch", R"({"category":"spot","request":[{"symbol":["BTCUSDT"]}]})")))
            .first == "10001");
  CHECK(ret(v.send(raw_post("/v5/order/create-batch", R"({"category":"spot","request":[)" + item(0)))).first ==
        "10001");
  CHECK(ret(v.send(raw_post("/v5/order/create-batch",
                            R"({"category":"spot","request":[)" + item(0) + R"(],"request":[)" + item(1) + "]}")))
            .first == "10001");
  // A single endpoint still refuses an array.
  CHECK(ret(v.send(raw_post("/v5/order/create", R"({"category":"spot","request":[]})"))).first == "10001");
  CHECK(v.engine.open_orders(v.account, "").empty());

  // 3 items a second: a batch of 2 runs, the next runs its first item and refuses the
  // second with 10006, the third is refused whole.
  const HttpResponse first = v.send(raw_post("/v5/order/create-batch", body("spot", 2)));
  CHECK(first.header("X-Bapi-Limit-Status").value() == "1");
  const auto first_results = bybit::parse_batch(first);
  REQUIRE(first_results);
  CHECK(((*first_results)[0] && (*first_results)[1]));
  const HttpResponse second = v.send(raw_post("/v5/order/create-batch", body("spot", 2)));
  CHECK(ret(second).first == "0");
  CHECK(second.header("X-Bapi-Limit-Status").value() == "0");
  CHECK(second.header("X-Bapi-Limit-Reset-Timestamp").value() == std::to_string((kNowMs / 1000 + 1) * 1000));
  const auto second_results = bybit::parse_batch(second);
  REQUIRE(second_results);
  REQUIRE(second_results->size() == 2);
  CHECK((*second_results)[0]);
  REQUIRE(!(*second_results)[1]);
  CHECK((*second_results)[1].error().code == ErrorCode::rate_limited);
  const HttpResponse third = v.send(raw_post("/v5/order/create-batch", body("spot", 1)));
  CHECK(ret(third).first == "10006");
  CHECK(bybit::parse_batch(third).error().code == ErrorCode::rate_limited);
  CHECK(v.engine.open_orders(v.account, "").size() == 3);
  CHECK(v.front.stats().rate_limited == 2);
  // Single orders have their own window.
  CHECK(bybit::parse_order_ack(v.send(create(limit_order(Side::buy, "0.1"_d, "19000"_d, "single")))));
}
