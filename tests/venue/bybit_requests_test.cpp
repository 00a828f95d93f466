// Tests for cts/venue/bybit/requests.hpp: paths, queries and JSON bodies against the
// requests printed in Bybit's v5 documentation (and what ccxt's static request tests
// show a real client sending), plus every builder's refusal of bad input.
#include <cts/venue/bybit/requests.hpp>

#include <array>
#include <string>
#include <string_view>

#include <doctest/doctest.h>
#include <simdjson.h>

#include <cts/rate/policies/bybit.hpp>

using cts::ErrorCode;
using cts::HttpMethod;
using cts::venue::NewOrder;
using cts::venue::OrderAmendment;
using cts::venue::OrderRef;
using cts::venue::Security;
using cts::venue::bybit::Category;
namespace bybit = cts::venue::bybit;
using namespace cts::literals;

namespace {
// True when `a` and `b` are the same JSON value: objects compare as sets of members
// (order and whitespace do not matter) with null members treated as absent, as Bybit
// reads them.
bool same_json(simdjson::dom::element a, simdjson::dom::element b) {
  using simdjson::dom::element_type;
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case element_type::OBJECT: {
      auto count = [](simdjson::dom::object o) {
        std::size_t n = 0;
        for (auto field : o) n += field.value.is_null() ? 0 : 1;
        return n;
      };
      simdjson::dom::object oa = a.get_object().value();
      simdjson::dom::object ob = b.get_object().value();
      if (count(oa) != count(ob)) return false;
      for (auto field : oa) {
        if (field.value.is_null()) continue;
        simdjson::dom::element other;
        if (ob.at_key(field.key).get(other) || !same_json(field.value, other)) return false;
      }
      return true;
    }
    case element_type::ARRAY: {
      simdjson::dom::array xa = a.get_array().value();
      simdjson::dom::array xb = b.get_array().value();
      if (xa.size() != xb.size()) return false;
      for (std::size_t i = 0; i < xa.size(); ++i) {
        if (!same_json(xa.at(i).value(), xb.at(i).value())) return false;
      }
      return true;
    }
    case element_type::STRING: return a.get_string().value() == b.get_string().value();
    case element_type::INT64: return a.get_int64().value() == b.get_int64().value();
    case element_type::UINT64: return a.get_uint64().value() == b.get_uint64().value();
    case element_type::BOOL: return a.get_bool().value() == b.get_bool().value();
    case element_type::NULL_VALUE: return true;
    default: return false;
  }
}
bool same_json(std::string_view a, std::string_view b) {
  simdjson::dom::parser pa, pb;
  simdjson::dom::element ea, eb;
  if (pa.parse(a.data(), a.size()).get(ea) || pb.parse(b.data(), b.size()).get(eb)) return false;
  return same_json(ea, eb);
}

NewOrder limit_order(std::string symbol, cts::Side side, cts::Decimal qty, cts::Decimal price, std::string client) {
  NewOrder o;
  o.symbol = std::move(symbol);
  o.side = side;
  o.type = cts::OrderType::limit;
  o.quantity = qty;
  o.price = price;
  o.client_order_id = std::move(client);
  return o;
}
}  // namespace

TEST_CASE("bybit market requests: public GETs with the documented queries") {
  const auto time = bybit::server_time();
  CHECK(time.http.method == HttpMethod::get);
  CHECK(time.http.target() == "/v5/market/time");
  CHECK(time.security == Security::none);
  // market/instrument.mdx: GET /v5/market/instruments-info?category=linear&symbol=BTCUSDT
  CHECK(bybit::instruments_info(Category::linear, "BTCUSDT")->http.target() ==
        "/v5/market/instruments-info?category=linear&symbol=BTCUSDT");
  CHECK(bybit::instruments_info(Category::spot, {}, "first%3DBIOUSDT")->http.target() ==
        "/v5/market/instruments-info?category=spot&cursor=first%253DBIOUSDT");
  // market/orderbook.mdx: GET /v5/market/orderbook?category=spot&symbol=BTCUSDT
  CHECK(bybit::orderbook(Category::spot, "BTCUSDT")->http.target() ==
        "/v5/market/orderbook?category=spot&symbol=BTCUSDT");
  CHECK(bybit::orderbook(Category::linear, "BTCUSDT", 200)->http.query == "category=linear&symbol=BTCUSDT&limit=200");
  CHECK(bybit::orderbook(Category::linear, "BTCUSDT", 1001).error().code == ErrorCode::invalid_argument);
  // market/tickers.mdx: GET /v5/market/tickers?category=spot&symbol=BTCUSDT
  const auto tickers = bybit::tickers(Category::spot, "BTCUSDT");
  CHECK(tickers->http.target() == "/v5/market/tickers?category=spot&symbol=BTCUSDT");
  CHECK_FALSE(tickers->mutation);
  CHECK(bybit::tickers(Category::spot, "btcusdt").error().code == ErrorCode::invalid_argument);
}

TEST_CASE("bybit create order: the documented linear body, signed, a mutation, named as the rate policy names it") {
  // order/create-order.mdx, "USDT Perp close long position (one-way mode)".
  constexpr std::string_view kDocumented =
      R"({"category": "linear", "symbol": "BTCUSDT", "side": "Sell", "orderType": "Limit", "qty": "1", "price": "30000", "timeInForce": "GTC", "positionIdx": 0, "orderLinkId": "usdt-test-02", "reduceOnly": true})";
  NewOrder o = limit_order("BTCUSDT", cts::Side::sell, "1"_d, "30000"_d, "usdt-test-02");
  o.reduce_only = true;
  const auto request = bybit::create_order(Category::linear, o);
  REQUIRE(request.has_value());
  CHECK(request->http.method == HttpMethod::post);
  CHECK(request->http.target() == "/v5/order/create");
  CHECK(request->http.header("Content-Type") == "application/json");
  CHECK(request->security == Security::signed_);
  CHECK(request->mutation);
  CHECK(request->order_count == 1);
  CHECK(
      request->http.body ==
      R"({"category":"linear","symbol":"BTCUSDT","side":"Sell","orderType":"Limit","qty":"1","price":"30000","timeInForce":"GTC","positionIdx":0,"orderLinkId":"usdt-test-02","reduceOnly":true})");
  CHECK(same_json(request->http.body, kDocumented));
  CHECK(request->endpoint == "POST /v5/order/create (linear)");
  CHECK(cts::rate::kBybitPolicy.cost(request->endpoint).has_value());
}

TEST_CASE("bybit create order: the documented spot post-only body") {
  // order/create-order.mdx, "Spot PostOnly normal order".
  constexpr std::string_view kDocumented =
      R"({"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.1","price":"15600","timeInForce":"PostOnly","orderLinkId":"spot-test-01","isLeverage":0,"orderFilter":"Order"})";
  NewOrder o = limit_order("BTCUSDT", cts::Side::buy, "0.1"_d, "15600"_d, "spot-test-01");
  o.time_in_force = cts::TimeInForce::post_only;
  const auto request = bybit::create_order(Category::spot, o);
  REQUIRE(request.has_value());
  CHECK(request->http.body == kDocumented);
  CHECK(request->endpoint == "POST /v5/order/create (spot)");
  CHECK(cts::rate::kBybitPolicy.cost(request->endpoint).has_value());
}

TEST_CASE("bybit create order: market orders are IOC, spot ones in base units; stops carry their trigger") {
  NewOrder market;
  market.symbol = "LTCUSDT";
  market.side = cts::Side::buy;
  market.type = cts::OrderType::market;
  market.quantity = "0.2"_d;
  market.client_order_id = "m-1";
  // ccxt's "Create market buy with base amount (UTA only)" sends marketUnit baseCoin.
  CHECK(
      bybit::create_order(Category::spot, market)->http.body ==
      R"({"category":"spot","symbol":"LTCUSDT","side":"Buy","orderType":"Market","qty":"0.2","marketUnit":"baseCoin","timeInForce":"IOC","orderLinkId":"m-1","isLeverage":0,"orderFilter":"Order"})");

  // ccxt's "swap limit buy with triggerPrice and triggerDirection above": triggerDirection 1.
  NewOrder stop = limit_order("BTCUSDT", cts::Side::buy, "0.001"_d, "37000"_d, "s-1");
  stop.type = cts::OrderType::stop_limit;
  stop.trigger_price = "37000"_d;
  CHECK(
      bybit::create_order(Category::linear, stop)->http.body ==
      R"({"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"37000","triggerDirection":1,"triggerPrice":"37000","timeInForce":"GTC","positionIdx":0,"orderLinkId":"s-1","reduceOnly":false})");
  // ccxt: a take-profit on a sell fires when the price rises (1), a stop-loss on a sell when it falls (2).
  NewOrder take_profit = limit_order("LTCUSDT", cts::Side::sell, "0.1"_d, "100"_d, "tp-1");
  take_profit.type = cts::OrderType::take_profit_limit;
  take_profit.trigger_price = "110"_d;
  CHECK(bybit::create_order(Category::linear, take_profit)->http.body.find(R"("triggerDirection":1)") !=
        std::string::npos);
  NewOrder stop_loss = take_profit;
  stop_loss.type = cts::OrderType::stop_limit;
  CHECK(bybit::create_order(Category::linear, stop_loss)->http.body.find(R"("triggerDirection":2)") !=
        std::string::npos);
  // A hedge-mode leg is positionIdx 1 (Buy side) or 2 (Sell side).
  NewOrder hedge = limit_order("BTCUSDT", cts::Side::sell, "1"_d, "30000"_d, "h-1");
  hedge.position_side = cts::venue::PositionSide::short_;
  CHECK(bybit::create_order(Category::linear, hedge)->http.body.find(R"("positionIdx":2)") != std::string::npos);
}

TEST_CASE("bybit create order: bad input is refused before anything is built") {
  const NewOrder good = limit_order("BTCUSDT", cts::Side::buy, "1"_d, "100"_d, "ok-1");
  auto refused = [](Category category, const NewOrder& o) {
    const auto r = bybit::create_order(category, o);
    return !r.has_value() && r.error().code == ErrorCode::invalid_argument;
  };
  NewOrder o = good;
  o.symbol.clear();
  CHECK(refused(Category::linear, o));
  o = good;
  o.client_order_id = std::string(37, 'a');
  CHECK(refused(Category::linear, o));
  o.client_order_id = "has space";
  CHECK(refused(Category::linear, o));
  o = good;
  o.quantity = "0"_d;
  CHECK(refused(Category::linear, o));
  o = good;
  o.price.reset();
  CHECK(refused(Category::linear, o));
  o = good;
  o.price = -"1"_d;
  CHECK(refused(Category::linear, o));
  o = good;
  o.trigger_price = "90"_d;  // a plain limit takes no trigger
  CHECK(refused(Category::linear, o));
  o = good;
  o.reduce_only = true;
  CHECK(refused(Category::spot, o));
  CHECK_FALSE(refused(Category::linear, o));
}

TEST_CASE("bybit amend and cancel: the documented fields") {
  // order/amend-order.mdx (its takeProfit and stopLoss "0" are TP/SL edits this builder does not make).
  OrderAmendment amendment;
  amendment.order.symbol = "ETHPERP";
  amendment.order.client_order_id = "linear-004";
  amendment.trigger_price = "1145"_d;
  amendment.quantity = "0.15"_d;
  amendment.price = "1050"_d;
  const auto amend = bybit::amend_order(Category::linear, amendment);
  REQUIRE(amend.has_value());
  CHECK(amend->http.target() == "/v5/order/amend");
  CHECK(
      amend->http.body ==
      R"({"category":"linear","symbol":"ETHPERP","orderLinkId":"linear-004","triggerPrice":"1145","qty":"0.15","price":"1050"})");
  CHECK(amend->endpoint == "POST /v5/order/amend");
  CHECK(bybit::amend_order(Category::linear, OrderAmendment{amendment.order, {}, {}, {}}).error().code ==
        ErrorCode::invalid_argument);

  // order/cancel-order.mdx (its "orderLinkId": null is absent here).
  OrderRef ref{"BTCPERP", std::string("c6f055d9-7f21-4079-913d-e6523a9cfffa"), ""};
  const auto cancel = bybit::cancel_order(Category::linear, ref);
  REQUIRE(cancel.has_value());
  CHECK(same_json(
      cancel->http.body,
      R"({"category": "linear", "symbol": "BTCPERP", "orderLinkId": null, "orderId":"c6f055d9-7f21-4079-913d-e6523a9cfffa"})"));
  CHECK(cancel->mutation);
  CHECK(bybit::cancel_order(Category::linear, OrderRef{"BTCPERP", std::nullopt, ""}).error().code ==
        ErrorCode::invalid_argument);
  CHECK(bybit::cancel_order(Category::linear, OrderRef{"BTCPERP", std::string("id\"quote"), ""}).error().code ==
        ErrorCode::invalid_argument);

  const auto all = bybit::cancel_all_orders(Category::linear, "BTCUSDT");
  REQUIRE(all.has_value());
  CHECK(all->http.body == R"({"category":"linear","symbol":"BTCUSDT"})");
  CHECK(cts::rate::kBybitPolicy.cost(all->endpoint).has_value());
}

TEST_CASE("bybit batches: the documented create-batch and cancel-batch requests, sizes per category") {
  // order/batch-place.mdx: every documented member is sent with its value; the builder
  // also states the default orderFilter "Order" explicitly.
  const std::array<NewOrder, 2> orders{limit_order("BTCUSDT", cts::Side::buy, "0.05"_d, "30000"_d, "spot-btc-03"),
                                       limit_order("ATOMUSDT", cts::Side::sell, "2"_d, "12"_d, "spot-atom-03")};
  const auto create = bybit::create_batch(Category::spot, orders);
  REQUIRE(create.has_value());
  CHECK(create->order_count == 2);
  CHECK(create->cost_times == 2);  // each order of a batch counts against the batch limit
  CHECK(
      create->http.body ==
      R"({"category":"spot","request":[{"symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.05","price":"30000","timeInForce":"GTC","orderLinkId":"spot-btc-03","isLeverage":0,"orderFilter":"Order"},{"symbol":"ATOMUSDT","side":"Sell","orderType":"Limit","qty":"2","price":"12","timeInForce":"GTC","orderLinkId":"spot-atom-03","isLeverage":0,"orderFilter":"Order"}]})");
  constexpr std::string_view kDocumented =
      R"({"category":"spot","request":[{"symbol":"BTCUSDT","side":"Buy","orderType":"Limit","isLeverage":0,"qty":"0.05","price":"30000","timeInForce":"GTC","orderLinkId":"spot-btc-03","orderFilter":"Order"},{"symbol":"ATOMUSDT","side":"Sell","orderType":"Limit","isLeverage":0,"qty":"2","price":"12","timeInForce":"GTC","orderLinkId":"spot-atom-03","orderFilter":"Order"}]})";
  CHECK(same_json(create->http.body, kDocumented));

  // order/batch-cancel.mdx.
  const std::array<OrderRef, 2> refs{OrderRef{"BTCUSDT", std::string("1666800494330512128"), ""},
                                     OrderRef{"ATOMUSDT", std::nullopt, "1666800494330512129"}};
  const auto cancel = bybit::cancel_batch(Category::spot, refs);
  REQUIRE(cancel.has_value());
  CHECK(same_json(
      cancel->http.body,
      R"({"category":"spot","request":[{"symbol":"BTCUSDT","orderId":"1666800494330512128"},{"symbol":"ATOMUSDT","orderLinkId":"1666800494330512129"}]})"));

  std::vector<NewOrder> eleven(11, orders[0]);
  CHECK(bybit::create_batch(Category::spot, eleven).error().code == ErrorCode::invalid_argument);
  CHECK(bybit::create_batch(Category::linear, eleven).has_value());
  std::vector<NewOrder> twenty_one(21, orders[0]);
  CHECK(bybit::create_batch(Category::linear, twenty_one).error().code == ErrorCode::invalid_argument);
  CHECK(bybit::create_batch(Category::linear, std::span<const NewOrder>{}).error().code == ErrorCode::invalid_argument);
  std::array<OrderAmendment, 1> amendments{};
  amendments[0].order = refs[0];
  amendments[0].price = "650"_d;
  CHECK(bybit::amend_batch(Category::spot, amendments)->http.body ==
        R"({"category":"spot","request":[{"symbol":"BTCUSDT","orderId":"1666800494330512128","price":"650"}]})");
}

TEST_CASE("bybit account requests: the documented queries") {
  // order/open-order.mdx: GET /v5/order/realtime?symbol=ETHUSDT&category=linear&openOnly=0&limit=1
  bybit::OpenOrdersQuery open;
  open.symbol = "ETHUSDT";
  open.limit = 1;
  const auto realtime = bybit::open_orders(Category::linear, open);
  REQUIRE(realtime.has_value());
  CHECK(realtime->http.target() == "/v5/order/realtime?symbol=ETHUSDT&category=linear&openOnly=0&limit=1");
  CHECK(realtime->security == Security::signed_);
  CHECK_FALSE(realtime->mutation);
  open.limit = 51;
  CHECK(bybit::open_orders(Category::linear, open).error().code == ErrorCode::invalid_argument);
  open.limit.reset();
  open.client_order_id = "test-000005";
  CHECK(bybit::open_orders(Category::linear, open)->http.query ==
        "symbol=ETHUSDT&category=linear&orderLinkId=test-000005&openOnly=0");

  // order/order-list.mdx and order/execution.mdx: ?category=linear&limit=1
  bybit::HistoryQuery history;
  history.limit = 1;
  CHECK(bybit::order_history(Category::linear, history)->http.target() == "/v5/order/history?category=linear&limit=1");
  CHECK(bybit::executions(Category::linear, history)->http.target() == "/v5/execution/list?category=linear&limit=1");
  history.limit = 100;
  CHECK(bybit::order_history(Category::linear, history).error().code == ErrorCode::invalid_argument);
  CHECK(bybit::executions(Category::linear, history).has_value());
  history.start_time_ms = 2000;
  history.end_time_ms = 1000;
  CHECK(bybit::executions(Category::linear, history).error().code == ErrorCode::invalid_argument);
  // One order by client id (orderLinkId, both pages' parameter tables); the venue id wins
  // when both are given (priority orderId > orderLinkId).
  bybit::HistoryQuery by_client;
  by_client.symbol = "ETHUSDT";
  by_client.client_order_id = "test-000005";
  CHECK(bybit::order_history(Category::linear, by_client)->http.query ==
        "category=linear&symbol=ETHUSDT&orderLinkId=test-000005");
  CHECK(bybit::executions(Category::spot, by_client)->http.query ==
        "category=spot&symbol=ETHUSDT&orderLinkId=test-000005");
  by_client.order_id = "fd4300ae-7847-404e-b947-b46980a4d140";
  CHECK(bybit::order_history(Category::linear, by_client)->http.query ==
        "category=linear&symbol=ETHUSDT&orderId=fd4300ae-7847-404e-b947-b46980a4d140");
  by_client.order_id.reset();
  by_client.client_order_id = "bad id!";
  CHECK(bybit::order_history(Category::linear, by_client).error().code == ErrorCode::invalid_argument);

  // position/position.mdx (the page's example is inverse; the builder serves linear).
  CHECK(bybit::positions(Category::linear, "BTCUSDT")->http.target() ==
        "/v5/position/list?category=linear&symbol=BTCUSDT");
  CHECK(bybit::positions(Category::spot, "BTCUSDT").error().code == ErrorCode::invalid_argument);
  // account/wallet-balance.mdx: ?accountType=UNIFIED&coin=BTC
  const auto wallet = bybit::wallet_balance("BTC");
  CHECK(wallet->http.target() == "/v5/account/wallet-balance?accountType=UNIFIED&coin=BTC");
  CHECK(cts::rate::kBybitPolicy.cost(wallet->endpoint).has_value());
  CHECK(bybit::wallet_balance("btc").error().code == ErrorCode::invalid_argument);
  for (const auto& request : {*realtime, *bybit::order_history(Category::linear), *bybit::executions(Category::spot),
                              *bybit::positions(Category::linear, "BTCUSDT")}) {
    INFO(request.endpoint);
    CHECK(cts::rate::kBybitPolicy.cost(request.endpoint).has_value());
  }
}

TEST_CASE("bybit timestamp rule: [server time - recv window, server time + 1000)") {
  // guide.mdx: server_time - recv_window <= timestamp < server_time + 1000.
  CHECK(bybit::timestamp_accepted(1'000'000, 1'000'000, 5000));
  CHECK(bybit::timestamp_accepted(995'000, 1'000'000, 5000));
  CHECK_FALSE(bybit::timestamp_accepted(994'999, 1'000'000, 5000));
  CHECK(bybit::timestamp_accepted(1'000'999, 1'000'000, 5000));
  CHECK_FALSE(bybit::timestamp_accepted(1'001'000, 1'000'000, 5000));
}
