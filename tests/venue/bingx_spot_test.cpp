// Tests for the BingX spot connector (cts/venue/bingx/spot_*.hpp): request builders,
// reply parsers on the docs v3 spot examples (tests/fixtures/bingx/spot_*.json, README
// there), the spot error map and the gateway over a scripted sender. Expected values
// are the documents'.
#include <cts/venue/bingx/errors.hpp>
#include <cts/venue/bingx/rate_limit.hpp>
#include <cts/venue/bingx/spot_gateway.hpp>
#include <cts/venue/bingx/spot_replies.hpp>
#include <cts/venue/bingx/spot_requests.hpp>

#include <chrono>
#include <optional>
#include <string>

#include <doctest/doctest.h>

#include <cts/rate/policies/bingx.hpp>
#include <cts/venue/registry.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts::HttpMethod;
using cts::OrderType;
using cts::Side;
using cts::venue::NewOrder;
using cts::venue::Operation;
using cts::venue::OrderRef;
using cts::venue::OrderStatus;
using cts_test::bingx_fixture;
using cts_test::response;
using cts_test::ScriptedSender;
namespace bingx = cts::venue::bingx;
using namespace cts::literals;

namespace {

NewOrder spot_limit_buy() {
  NewOrder order;
  order.symbol = "BTC-USDT";
  order.side = Side::buy;
  order.type = OrderType::limit;
  order.quantity = "0.0030"_d;
  order.price = "42182.22"_d;
  order.client_order_id = "ctsAb_1";
  return order;
}

// The docs' cancelReplace request: cancel order 17543893539094511234 and buy 1 BTC at
// 40000 in its place.
bingx::CancelReplace spot_replace(std::optional<std::string> order_id, std::string client_order_id = {}) {
  bingx::CancelReplace replace;
  replace.cancel = OrderRef{"BTC-USDT", std::move(order_id), std::move(client_order_id)};
  replace.mode = bingx::CancelReplaceMode::allow_failure;
  replace.replacement = spot_limit_buy();
  replace.replacement.quantity = "1"_d;
  replace.replacement.price = "40000"_d;
  replace.replacement.client_order_id = "ctsAb_2";
  return replace;
}

}  // namespace

TEST_CASE("bingx spot requests: every parameter on the query string in the documented order") {
  const auto place = bingx::spot_place_order(spot_limit_buy()).value();
  CHECK(place.http.method == HttpMethod::post);
  CHECK(place.http.path == "/openApi/spot/v1/trade/order");
  CHECK(place.http.query ==
        "symbol=BTC-USDT&side=BUY&type=LIMIT&quantity=0.003&price=42182.22&newClientOrderId=cts_ab__1&timeInForce=GTC");
  CHECK(place.http.body.empty());
  CHECK(place.endpoint == "POST /openApi/spot/v1/trade/order");
  CHECK(place.security == cts::venue::Security::signed_);
  CHECK(place.mutation);
  CHECK(place.order_count == 1);

  NewOrder post_only = spot_limit_buy();
  post_only.time_in_force = cts::TimeInForce::post_only;
  CHECK(bingx::spot_place_order(post_only).value().http.query.ends_with("&timeInForce=PostOnly"));

  NewOrder market = spot_limit_buy();
  market.type = OrderType::market;
  market.price.reset();
  CHECK(bingx::spot_place_order(market).value().http.query ==
        "symbol=BTC-USDT&side=BUY&type=MARKET&quantity=0.003&newClientOrderId=cts_ab__1");

  const auto cancel = bingx::spot_cancel_order(OrderRef{"BTC-USDT", std::nullopt, "ctsAb_1"}).value();
  CHECK(cancel.http.method == HttpMethod::post);
  CHECK(cancel.http.path == "/openApi/spot/v1/trade/cancel");
  CHECK(cancel.http.query == "symbol=BTC-USDT&clientOrderID=cts_ab__1");
  const auto query = bingx::spot_query_order(OrderRef{"BTC-USDT", "1735965009395131136", ""}).value();
  CHECK(query.http.method == HttpMethod::get);
  CHECK(query.http.path == "/openApi/spot/v1/trade/query");
  CHECK(query.http.query == "symbol=BTC-USDT&orderId=1735965009395131136");
  CHECK_FALSE(query.mutation);
  const auto cancel_all = bingx::spot_cancel_open_orders("BTC-USDT").value();
  CHECK(cancel_all.http.method == HttpMethod::post);
  CHECK(cancel_all.endpoint == "POST /openApi/spot/v1/trade/cancelOpenOrders");
  CHECK(bingx::spot_depth("BTC-USDT", 5).value().http.query == "symbol=BTC-USDT&limit=5");
  CHECK(bingx::spot_my_trades("BTC-USDT", std::string_view("1745362930595004416"), 10).value().http.query ==
        "symbol=BTC-USDT&orderId=1745362930595004416&limit=10");
  CHECK(bingx::spot_balance().endpoint == "GET /openApi/spot/v1/account/balance");
}

TEST_CASE("bingx spot requests: refused before anything is built") {
  NewOrder dashed = spot_limit_buy();
  dashed.client_order_id = "abc-123";  // spot ids take letters, digits and '_' only
  CHECK(bingx::spot_place_order(dashed).error().code == ErrorCode::invalid_argument);
  NewOrder stop = spot_limit_buy();
  stop.type = OrderType::stop_limit;
  stop.trigger_price = "40000"_d;
  CHECK(bingx::spot_place_order(stop).error().code == ErrorCode::invalid_argument);
  NewOrder reduce = spot_limit_buy();
  reduce.reduce_only = true;
  CHECK(bingx::spot_place_order(reduce).error().code == ErrorCode::invalid_argument);
  NewOrder no_price = spot_limit_buy();
  no_price.price.reset();
  CHECK(bingx::spot_place_order(no_price).error().code == ErrorCode::invalid_argument);
  NewOrder market_post_only = spot_limit_buy();
  market_post_only.type = OrderType::market;
  market_post_only.price.reset();
  market_post_only.time_in_force = cts::TimeInForce::post_only;
  CHECK(bingx::spot_place_order(market_post_only).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::spot_depth("BTC-USDT", 0).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::spot_depth("BTC-USDT", 1001).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::spot_my_trades("BTC-USDT", std::nullopt, 1001).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::spot_open_orders("btc-usdt").error().code == ErrorCode::invalid_argument);
  CHECK(bingx::spot_cancel_order(OrderRef{"BTC-USDT", std::nullopt, ""}).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("bingx spot market replies: the docs' symbols, depth and book ticker") {
  const auto symbols = bingx::parse_spot_symbols(bingx_fixture("spot_symbols.json")).value();
  REQUIRE(symbols.size() == 1);
  const cts::Instrument& btc = symbols[0].instrument;
  CHECK(btc.venue_symbol == "BTC-USDT");
  CHECK(btc.base == "BTC");
  CHECK(btc.quote == "USDT");
  CHECK(btc.kind == cts::InstrumentKind::spot);
  CHECK(btc.tick_size == "0.01"_d);
  CHECK(btc.step_size == "0.00001"_d);
  CHECK(btc.min_quantity == "0.0001826"_d);
  CHECK(btc.max_quantity == "18.2663756"_d);
  CHECK(btc.min_notional == "5"_d);
  CHECK(symbols[0].trading());

  const auto book = bingx::parse_spot_depth(bingx_fixture("spot_depth.json")).value();
  REQUIRE(book.bids.size() == 5);
  REQUIRE(book.asks.size() == 5);
  CHECK(book.bids.front().price == "42182.22"_d);
  CHECK(book.bids.front().quantity == "0.99114"_d);
  CHECK(book.asks.front().price == "42183.17"_d);  // printed last: the docs list asks highest first
  CHECK(book.asks.front().quantity == "4.14752"_d);
  CHECK(book.asks.back().price == "42183.23"_d);
  CHECK(book.event_time_ms == 1702720487674);

  const auto best = bingx::parse_spot_book_ticker(bingx_fixture("spot_book_ticker.json")).value();
  CHECK(best.symbol == "BTC-USDT");
  CHECK(best.bid_price == "42738.64"_d);
  CHECK(best.bid_quantity == "5.19530"_d);
  CHECK(best.ask_price == "42739.50"_d);
  CHECK(best.ask_quantity == "5.72867"_d);
}

TEST_CASE("bingx spot order replies: place, cancel, query, open orders, cancel-all") {
  const auto placed = bingx::parse_spot_order(bingx_fixture("spot_place_order.json"), Operation::mutation).value();
  CHECK(placed.symbol == "NEMS-USDT");
  CHECK(placed.order_id == "1735963671248581120");
  CHECK(placed.status == OrderStatus::new_);  // PENDING
  CHECK(placed.side == Side::sell);
  CHECK(placed.price == "0.1557"_d);
  CHECK(placed.quantity == "115"_d);
  CHECK(placed.time_ms == 1702720966528);  // transactTime

  const auto cancelled = bingx::parse_spot_order(bingx_fixture("spot_cancel_order.json"), Operation::mutation).value();
  CHECK(cancelled.order_id == "1735964079647111168");
  CHECK(cancelled.status == OrderStatus::canceled);
  CHECK(cancelled.trigger_price == "0.1532"_d);
  CHECK(cancelled.quantity == "126"_d);

  const auto queried = bingx::parse_spot_order(bingx_fixture("spot_query_order.json"), Operation::read).value();
  CHECK(queried.symbol == "BRG-USDT");
  CHECK(queried.side == Side::buy);
  CHECK(queried.price == "0.0005027"_d);
  CHECK(queried.average_price == "0.0005028"_d);
  CHECK(queried.quantity == "4038"_d);
  CHECK(queried.time_ms == 1702721285567);

  const auto open = bingx::parse_spot_open_orders(bingx_fixture("spot_open_orders.json")).value();
  REQUIRE(open.size() == 1);
  CHECK(open[0].symbol == "BNB-USDC");
  CHECK(open[0].order_id == "1735930294290081280");
  CHECK(open[0].quantity == "0.16261"_d);

  const auto all = bingx::parse_spot_cancel_open_orders(bingx_fixture("spot_cancel_open_orders.json")).value();
  REQUIRE(all.size() == 2);
  CHECK(all[0].order_id == "1735964997957275648");
  CHECK(all[0].client_order_id == "2most51702721242645506402");
  CHECK(all[1].status == OrderStatus::canceled);
  CHECK(all[1].quantity == "5806281"_d);
}

TEST_CASE("bingx spot account replies: the docs' balances and trades") {
  const auto balances = bingx::parse_spot_balances(bingx_fixture("spot_balance.json")).value();
  REQUIRE(balances.size() == 3);
  CHECK(balances[0].asset == "USDT");
  CHECK(balances[0].free == "566773.193402631"_d);
  CHECK(balances[0].locked == "244.18616265388994"_d);
  CHECK(balances[1].free == "294854132046232"_d);

  const auto trades = bingx::parse_spot_trades(bingx_fixture("spot_my_trades.json")).value();
  REQUIRE(trades.size() == 2);
  CHECK(trades[0].id == "36767057");
  CHECK(trades[0].order_id == "1745362930595004416");
  CHECK(trades[0].side == Side::buy);
  CHECK_FALSE(trades[0].maker);
  CHECK(trades[0].price == "46820.155"_d);
  CHECK(trades[0].quantity == "0.1430254"_d);
  CHECK(trades[0].quote_quantity == "6696.471396937"_d);
  CHECK(trades[0].commission == "0.000046483255"_d);  // written -0.000046483255: a charge
  CHECK(trades[0].commission_asset == "BTC");
  CHECK(trades[0].time_ms == 1704961925000);
  CHECK(trades[1].commission == "0.00000012493"_d);
  // The docs' own exponent form of a commission is read exactly too.
  const auto exponent = bingx::parse_spot_trades(response(
      200,
      R"({"code":0,"data":{"fills":[{"symbol":"BTC-USDT","id":1,"orderId":2,"price":"1","qty":"1","commission":-1.2493e-07,"time":1,"isBuyer":false,"isMaker":true}]}})"));
  CHECK(exponent.value()[0].commission == "0.00000012493"_d);
  CHECK(exponent.value()[0].side == Side::sell);
}

TEST_CASE("bingx spot replies: malformed, missing and refused") {
  CHECK(bingx::parse_spot_order(response(200, R"({"code":0,"data":{"symbol":"BTC-USDT","status":"NEW"}})"),
                                Operation::read)
            .error()
            .code == ErrorCode::protocol_error);
  CHECK(bingx::parse_spot_order(response(200, R"({"code":0,"data":{"symbol":"BTC-USDT","orderId":1,"status":"LOST"}})"),
                                Operation::read)
            .error()
            .code == ErrorCode::protocol_error);
  CHECK(bingx::parse_spot_balances(response(200, R"({"code":0,"data":{"balances":[{"asset":"BTC","free":"x"}]}})"))
            .error()
            .code == ErrorCode::protocol_error);
  CHECK(bingx::parse_spot_depth(response(200, R"({"code":0,"data":{"bids":[]}})")).error().code ==
        ErrorCode::protocol_error);
  CHECK(bingx::parse_spot_book_ticker(response(200, R"({"code":0,"data":[]})")).error().code ==
        ErrorCode::protocol_error);
  CHECK(bingx::parse_spot_symbols(response(200, "not json")).error().code == ErrorCode::protocol_error);
  CHECK(bingx::parse_spot_balances(response(502, "")).error().code == ErrorCode::venue_unavailable);
  const auto insufficient = bingx::parse_spot_order(
      response(200, R"({"code":100202,"msg":"Insufficient assets, please verify the assets status"})"),
      Operation::mutation);
  CHECK(insufficient.error().code == ErrorCode::insufficient_funds);
  CHECK(insufficient.error().venue_code == "100202");
}

TEST_CASE("bingx spot error map: the codes spot gives meanings of its own (docs v3 spot Place order)") {
  using enum Operation;
  CHECK(bingx::map_spot_code(100421, " cancel fail,  order not exist", mutation) == ErrorCode::order_not_found);
  CHECK(bingx::map_spot_code(100421, "Null timestamp or timestamp mismatch", read) ==
        ErrorCode::timestamp_out_of_window);
  CHECK(bingx::map_spot_code(100421, " CheckUserAndSymbol: contract not exist", mutation) == ErrorCode::rejected);
  CHECK(bingx::map_spot_code(100400,
                             "the order you want to cancel is FILLED or CANCELLED already, or is not a valid order id",
                             mutation) == ErrorCode::order_not_found);
  CHECK(bingx::map_spot_code(100400, "price can't be lte 0 in limit order", mutation) == ErrorCode::invalid_argument);
  CHECK(bingx::map_spot_code(100490, " spot symbol is offline", mutation) == ErrorCode::rejected);
  CHECK(bingx::map_spot_code(100440, " check price diverge fail", mutation) == ErrorCode::rejected);
  CHECK(bingx::map_spot_code(100414, " risk control check fail", mutation) == ErrorCode::rejected);
  CHECK(bingx::map_spot_code(100202, "Insufficient assets", mutation) == ErrorCode::insufficient_funds);
  CHECK(bingx::map_spot_code(100500, "order open error", mutation) == ErrorCode::unknown_outcome);
  CHECK(bingx::map_spot_code(100410, "Rate limit exceeded", read) == ErrorCode::rate_limited);
}

TEST_CASE("bingx spot gateway: orders, cancels and reads over the scripted sender") {
  ScriptedSender sender;
  bingx::SpotGateway gateway(sender);
  CHECK(gateway.capabilities().market == "spot");
  CHECK_FALSE(gateway.capabilities().websocket_order_entry);
  CHECK(gateway.capabilities().post_only);
  CHECK_FALSE(gateway.capabilities().has_positions());

  sender.then(bingx_fixture("spot_place_order.json"));
  const auto created = gateway.create_order(spot_limit_buy()).value();
  CHECK(created.order_id == "1735963671248581120");
  CHECK(created.client_order_id == "ctsAb_1");
  CHECK(created.status == OrderStatus::pending_new);
  CHECK(created.time_ms == 1702720966528);

  // A cancel of an order no longer open: the query's final state answers it.
  sender.then(response(200, R"({"code":100421,"msg":" cancel fail,  order not exist"})"))
      .then(bingx_fixture("spot_cancel_order.json"));
  const auto final_state = gateway.cancel_order(OrderRef{"NEMS-USDT", "1735964079647111168", "ctsAb_1"}).value();
  CHECK(final_state.status == OrderStatus::canceled);
  CHECK(final_state.client_order_id == "ctsAb_1");
  CHECK(sender.sent.back().endpoint == "GET /openApi/spot/v1/trade/query");

  // The query finds the order still open: the refusal stands.
  sender.then(response(200, R"({"code":100421,"msg":" cancel fail,  order not exist"})"))
      .then(bingx_fixture("spot_query_order.json"));
  CHECK(gateway.cancel_order(OrderRef{"BRG-USDT", "1735965009395131136", ""}).error().code ==
        ErrorCode::order_not_found);

  sender.then(response(200, R"({"code":0,"msg":"","data":{"orders":[]}})"));
  CHECK(gateway.cancel_open_orders("BTC-USDT").error().code == ErrorCode::order_not_found);

  sender.then(bingx_fixture("spot_depth.json"));
  const auto book = gateway.depth("BTC-USDT", 3).value();
  CHECK(sender.sent.back().http.query == "symbol=BTC-USDT&limit=3");
  CHECK(book.asks.size() == 3);
  CHECK(book.asks.front().price == "42183.17"_d);

  sender.then(bingx_fixture("spot_symbols.json"));
  CHECK(gateway.instrument("BTC-USDT").value().step_size == "0.00001"_d);
  sender.then(bingx_fixture("spot_symbols.json"));
  CHECK(gateway.instrument("ETH-USDT").error().code == ErrorCode::invalid_argument);

  sender.then(bingx_fixture("spot_book_ticker.json"));
  CHECK(gateway.book_ticker("BTC-USDT").value().ask_price == "42739.50"_d);

  sender.then(bingx_fixture("spot_my_trades.json"));
  const auto fills = gateway.order_trades("BTC-USDT", "1745362930595004416").value();
  CHECK(fills.size() == 2);
  CHECK(sender.sent.back().http.query == "symbol=BTC-USDT&orderId=1745362930595004416&limit=1000");

  sender.then(bingx_fixture("spot_balance.json"));
  CHECK(gateway.balances().value().size() == 3);
  const std::size_t sent = sender.sent.size();
  CHECK(gateway.positions("BTC-USDT").error().code == ErrorCode::unsupported);
  CHECK(sender.sent.size() == sent);

  sender.then(bingx_fixture("listen_key.json"));
  CHECK(gateway.open_user_stream_key().value().size() == 64);
}

TEST_CASE("bingx spot gateway: a credential refusal is the last signed request sent") {
  ScriptedSender sender;
  bingx::SpotGateway gateway(sender);
  sender.then(response(200, R"({"code":100001,"msg":"Signature verification failed"})"));
  CHECK(gateway.balances().error().code == ErrorCode::invalid_signature);
  const std::size_t sent = sender.sent.size();
  CHECK(gateway.create_order(spot_limit_buy()).error().code == ErrorCode::invalid_signature);
  CHECK(gateway.open_orders("BTC-USDT").error().code == ErrorCode::invalid_signature);
  CHECK(sender.sent.size() == sent);
}

TEST_CASE("bingx spot registry entry and rate policy: every endpoint the connector sends is priced") {
  const cts::venue::Connector* spot = cts::venue::find_connector(cts::VenueId::bingx, "spot").value();
  CHECK(spot->default_symbol == "BTC-USDT");
  CHECK(spot->capabilities == &bingx::kSpotCapabilities);
  CHECK_FALSE(static_cast<bool>(spot->make_ws_orders));
  CHECK(static_cast<bool>(spot->read_throttle == &bingx::throttle_signal));
  for (const std::string_view endpoint :
       {bingx::spot_symbols("BTC-USDT").value().endpoint, bingx::spot_depth("BTC-USDT", 5).value().endpoint,
        bingx::spot_book_ticker("BTC-USDT").value().endpoint, bingx::spot_place_order(spot_limit_buy()).value().endpoint,
        bingx::spot_cancel_order(OrderRef{"BTC-USDT", "1", ""}).value().endpoint,
        bingx::spot_query_order(OrderRef{"BTC-USDT", "1", ""}).value().endpoint,
        bingx::spot_open_orders("BTC-USDT").value().endpoint,
        bingx::spot_cancel_open_orders("BTC-USDT").value().endpoint, bingx::spot_balance().endpoint,
        bingx::spot_my_trades("BTC-USDT", std::nullopt, 10).value().endpoint,
        bingx::spot_cancel_replace(spot_replace("1")).value().endpoint,
        bingx::spot_cancel_all_after(10).value().endpoint}) {
    CAPTURE(endpoint);
    CHECK(cts::rate::kBingxPolicy.find(endpoint) != nullptr);
  }
}

TEST_CASE("bingx spot requests: cancelReplace names the order to cancel, its restriction, its mode and the new order") {
  bingx::CancelReplace replace = spot_replace("17543893539094511234");
  replace.restriction = bingx::CancelRestriction::only_pending;
  const auto request = bingx::spot_cancel_replace(replace).value();
  CHECK(request.http.method == HttpMethod::post);
  CHECK(request.http.path == "/openApi/spot/v1/trade/order/cancelReplace");
  // The docs' parameter table order; its example's values.
  CHECK(request.http.query ==
        "symbol=BTC-USDT&cancelOrderId=17543893539094511234&cancelRestrictions=PENDING&cancelReplaceMode=ALLOW_FAILURE"
        "&side=BUY&type=LIMIT&quantity=1&price=40000&newClientOrderId=cts_ab__2");
  CHECK(request.http.body.empty());
  CHECK(request.endpoint == "POST /openApi/spot/v1/trade/order/cancelReplace");
  CHECK(request.security == cts::venue::Security::signed_);
  CHECK(request.mutation);
  CHECK(request.order_count == 1);

  bingx::CancelReplace by_client = spot_replace(std::nullopt, "ctsAb_0");
  by_client.mode = bingx::CancelReplaceMode::stop_on_failure;
  by_client.restriction = bingx::CancelRestriction::only_new;
  CHECK(bingx::spot_cancel_replace(by_client).value().http.query.starts_with(
      "symbol=BTC-USDT&cancelClientOrderID=cts_ab__0&cancelRestrictions=NEW&cancelReplaceMode=STOP_ON_FAILURE&side=BUY&"));
  by_client.restriction = bingx::CancelRestriction::only_partially_filled;
  CHECK(bingx::spot_cancel_replace(by_client).value().http.query.find("&cancelRestrictions=PARTIALLY_FILLED&") !=
        std::string::npos);
  bingx::CancelReplace market = spot_replace("1");
  market.replacement.type = OrderType::market;
  market.replacement.price.reset();
  CHECK(bingx::spot_cancel_replace(market).value().http.query ==
        "symbol=BTC-USDT&cancelOrderId=1&cancelReplaceMode=ALLOW_FAILURE&side=BUY&type=MARKET&quantity=1"
        "&newClientOrderId=cts_ab__2");

  // Bad input: nothing is built.
  bingx::CancelReplace other_symbol = spot_replace("1");
  other_symbol.replacement.symbol = "ETH-USDT";
  CHECK(bingx::spot_cancel_replace(other_symbol).error().code == ErrorCode::invalid_argument);
  bingx::CancelReplace post_only = spot_replace("1");
  post_only.replacement.time_in_force = cts::TimeInForce::post_only;
  CHECK(bingx::spot_cancel_replace(post_only).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::spot_cancel_replace(spot_replace("12a")).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::spot_cancel_replace(spot_replace(std::nullopt)).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::spot_cancel_replace(spot_replace(std::nullopt, "has-dash")).error().code == ErrorCode::invalid_argument);
  bingx::CancelReplace no_price = spot_replace("1");
  no_price.replacement.price.reset();
  CHECK(bingx::spot_cancel_replace(no_price).error().code == ErrorCode::invalid_argument);
  bingx::CancelReplace reduce = spot_replace("1");
  reduce.replacement.reduce_only = true;
  CHECK(bingx::spot_cancel_replace(reduce).error().code == ErrorCode::invalid_argument);
  bingx::CancelReplace bad_symbol = spot_replace("1");
  bad_symbol.cancel.symbol = bad_symbol.replacement.symbol = "btc_usdt";
  CHECK(bingx::spot_cancel_replace(bad_symbol).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("bingx spot requests: cancelAllAfter arms for 10..120 s or closes") {
  const auto arm = bingx::spot_cancel_all_after(60).value();
  CHECK(arm.http.method == HttpMethod::post);
  CHECK(arm.http.path == "/openApi/spot/v1/trade/cancelAllAfter");
  CHECK(arm.http.query == "type=ACTIVATE&timeOut=60");
  CHECK(arm.endpoint == "POST /openApi/spot/v1/trade/cancelAllAfter");
  CHECK(arm.security == cts::venue::Security::signed_);
  CHECK(arm.mutation);
  CHECK(bingx::spot_cancel_all_after(0).value().http.query == "type=CLOSE&timeOut=10");
  CHECK(bingx::spot_cancel_all_after(10).value().http.query == "type=ACTIVATE&timeOut=10");
  CHECK(bingx::spot_cancel_all_after(120).value().http.query == "type=ACTIVATE&timeOut=120");
  for (const int refused : {9, 121, -1}) {
    CAPTURE(refused);
    CHECK(bingx::spot_cancel_all_after(refused).error().code == ErrorCode::invalid_argument);
  }
}

TEST_CASE("bingx spot replies: cancelReplace from the docs, and its steps' failures") {
  const auto reply = bingx::parse_spot_cancel_replace(bingx_fixture("spot_cancel_replace.json")).value();
  // The docs' cancel step: code 100400 " order not exist", result false.
  CHECK(reply.cancelled.error().code == ErrorCode::order_not_found);
  CHECK(reply.cancelled.error().venue_code == "100400");
  CHECK(reply.cancelled.error().message.find("order not exist") != std::string::npos);
  const cts::venue::OrderReport& opened = reply.opened.value();
  CHECK(opened.order_id == "1754389353909452800");
  CHECK(opened.symbol == "BTC-USDT");
  CHECK(opened.side == Side::buy);
  CHECK(opened.type == OrderType::limit);
  CHECK(opened.price == "40000"_d);
  CHECK(opened.quantity == "1"_d);
  CHECK(opened.executed_quantity == "0"_d);
  CHECK(opened.status == OrderStatus::new_);  // the docs print PENDING
  CHECK(opened.client_order_id.empty());
  CHECK(opened.time_ms == 1707113991607);

  const auto data = [](std::string_view body) {
    return response(200, R"({"code":0,"msg":"","data":)" + std::string(body) + "}");
  };
  constexpr std::string_view kPlaceholder =
      R"({"symbol":"","orderId":0,"price":"0","stopPrice":"0","origQty":"0","executedQty":"0","cummulativeQuoteQty":"0","status":"","type":"","side":""})";
  // Both steps done.
  const auto both = bingx::parse_spot_cancel_replace(data(
      R"({"cancelResult":{"code":0,"msg":"","result":true},"openResult":{"code":0,"msg":"","result":true},)"
      R"("orderOpenResponse":{"symbol":"BTC-USDT","orderId":12,"transactTime":5,"price":"40000","origQty":"1","executedQty":"0","cummulativeQuoteQty":"0","status":"PENDING","type":"LIMIT","side":"BUY","clientOrderID":"cts_ab__2"},)"
      R"("orderCancelResponse":{"symbol":"BTC-USDT","orderId":11,"price":"39000","origQty":"1","executedQty":"0","cummulativeQuoteQty":"0","status":"CANCELED","type":"LIMIT","side":"BUY"}})")).value();
  CHECK(both.cancelled.value().order_id == "11");
  CHECK(both.cancelled.value().status == OrderStatus::canceled);
  CHECK(both.opened.value().order_id == "12");
  CHECK(both.opened.value().client_order_id == "ctsAb_2");
  // STOP_ON_FAILURE after a failed cancel: the new order's step refused without a code,
  // and an unknown code in a step BingX reports not done: both rejected.
  const auto stopped = bingx::parse_spot_cancel_replace(data(
      R"({"cancelResult":{"code":100999,"msg":"busy","result":false},"openResult":{"code":0,"msg":"stopped","result":false},"orderOpenResponse":)" +
      std::string(kPlaceholder) + R"(,"orderCancelResponse":null})")).value();
  CHECK(stopped.cancelled.error().code == ErrorCode::rejected);
  CHECK(stopped.cancelled.error().venue_code == "100999");
  CHECK(stopped.opened.error().code == ErrorCode::rejected);
  CHECK(stopped.opened.error().message.find("stopped") != std::string::npos);
  // The place step's own refusal keeps its meaning.
  const auto poor = bingx::parse_spot_cancel_replace(data(
      R"({"cancelResult":{"code":0,"msg":"","result":true},"openResult":{"code":100202,"msg":"Insufficient assets","result":false},)"
      R"("orderCancelResponse":{"symbol":"BTC-USDT","orderId":11,"status":"CANCELED","type":"LIMIT","side":"BUY"},"orderOpenResponse":)" +
      std::string(kPlaceholder) + "}")).value();
  CHECK(poor.cancelled.has_value());
  CHECK(poor.opened.error().code == ErrorCode::insufficient_funds);

  const auto protocol = [&](std::string_view body) { return bingx::parse_spot_cancel_replace(data(body)).error().code; };
  CHECK(protocol(R"({"openResult":{"code":0,"msg":"","result":false}})") == ErrorCode::protocol_error);
  CHECK(protocol(R"({"cancelResult":{"code":0,"msg":""},"openResult":{"code":0,"msg":"","result":false}})") ==
        ErrorCode::protocol_error);
  CHECK(protocol(R"({"cancelResult":{"code":0,"msg":"","result":true},"openResult":{"code":0,"msg":"","result":false},)"
                 R"("orderCancelResponse":)" + std::string(kPlaceholder) + "}") == ErrorCode::protocol_error);
  CHECK(protocol(R"({"cancelResult":{"code":0,"msg":"","result":false},"openResult":{"code":0,"msg":"","result":true}})") ==
        ErrorCode::protocol_error);
  CHECK(protocol(R"({"cancelResult":{"code":0,"msg":"","result":"maybe"},"openResult":{"code":0,"msg":"","result":true}})") ==
        ErrorCode::protocol_error);
  CHECK(protocol(R"({"cancelResult":{"code":0,"msg":"","result":false},"openResult":{"code":0,"msg":"","result":true},)"
                 R"("orderOpenResponse":{"symbol":"BTC-USDT","orderId":12,"status":"SLEEPING"}})") == ErrorCode::protocol_error);
  CHECK(bingx::parse_spot_cancel_replace(response(200, R"({"code":100410,"msg":"Rate limit exceeded"})")).error().code ==
        ErrorCode::rate_limited);
  CHECK(bingx::parse_spot_cancel_replace(response(500, "")).error().code == ErrorCode::unknown_outcome);
}

TEST_CASE("bingx spot replies: cancelAllAfter from the docs") {
  const auto armed = bingx::parse_spot_cancel_all_after(bingx_fixture("spot_cancel_all_after.json")).value();
  CHECK(armed.status == bingx::CancelAllAfterStatus::activated);
  CHECK(armed.trigger_time_s == 1710389137);
  CHECK(armed.note.starts_with("All your spot pending orders will be closed automatically at 2024-03-14 04:05:37"));
  cts_test::check_bingx_cancel_all_after_replies(bingx::parse_spot_cancel_all_after);
  // Spot's map: 100421 naming the timestamp.
  CHECK(bingx::parse_spot_cancel_all_after(
            response(200, R"({"code":100421,"msg":"Null timestamp or timestamp mismatch"})"))
            .error()
            .code == ErrorCode::timestamp_out_of_window);
}

TEST_CASE("bingx spot error map: a cancel step's 100400 \" order not exist\" is order_not_found") {
  CHECK(bingx::map_spot_code(100400, " order not exist", Operation::mutation) == ErrorCode::order_not_found);
}

TEST_CASE("bingx spot gateway: cancel_replace reports both steps as create and cancel would") {
  ScriptedSender sender;
  bingx::SpotGateway gateway(sender);

  sender.then(bingx_fixture("spot_cancel_replace.json"));
  const auto report = gateway.cancel_replace(spot_replace("17543893539094511234")).value();
  CHECK(sender.sent.back().endpoint == "POST /openApi/spot/v1/trade/order/cancelReplace");
  CHECK(report.cancelled.error().code == ErrorCode::order_not_found);
  const cts::venue::OrderReport& placed = report.replacement.value();
  CHECK(placed.order_id == "1754389353909452800");
  CHECK(placed.client_order_id == "ctsAb_2");  // BingX echoed none: the order's own
  CHECK(placed.status == OrderStatus::pending_new);
  CHECK(placed.price == "40000"_d);
  CHECK(placed.quantity == "1"_d);

  // Both done: the cancelled order takes the reference's client id when BingX gives none;
  // a new order booked FAILED is rejected.
  sender.then(response(
      200,
      R"({"code":0,"msg":"","data":{"cancelResult":{"code":0,"msg":"","result":true},"openResult":{"code":0,"msg":"","result":true},)"
      R"("orderOpenResponse":{"symbol":"BTC-USDT","orderId":12,"transactTime":5,"price":"40000","origQty":"1","executedQty":"0","cummulativeQuoteQty":"0","status":"FAILED","type":"LIMIT","side":"BUY","clientOrderID":""},)"
      R"("orderCancelResponse":{"symbol":"BTC-USDT","orderId":11,"price":"39000","origQty":"1","executedQty":"0","cummulativeQuoteQty":"0","status":"CANCELED","type":"LIMIT","side":"BUY"}}})"));
  const auto both = gateway.cancel_replace(spot_replace(std::nullopt, "ctsAb_1")).value();
  CHECK(both.cancelled.value().client_order_id == "ctsAb_1");
  CHECK(both.cancelled.value().status == OrderStatus::canceled);
  CHECK(both.replacement.error().code == ErrorCode::rejected);
  CHECK(sender.sent.back().http.query.starts_with("symbol=BTC-USDT&cancelClientOrderID=cts_ab__1&"));

  const std::size_t sent = sender.sent.size();
  CHECK(gateway.cancel_replace(spot_replace("x")).error().code == ErrorCode::invalid_argument);
  CHECK(gateway.cancel_all_after(5).error().code == ErrorCode::invalid_argument);
  CHECK(sender.sent.size() == sent);

  sender.then(bingx_fixture("spot_cancel_all_after.json"));
  CHECK(gateway.cancel_all_after(30).value().trigger_time_s == 1710389137);
  CHECK(sender.sent.back().endpoint == "POST /openApi/spot/v1/trade/cancelAllAfter");
  CHECK(sender.sent.back().http.query == "type=ACTIVATE&timeOut=30");
}

TEST_CASE("bingx spot gateway: the seam's dead-man switch is spot's cancelAllAfter, the range checked before sending") {
  ScriptedSender sender;
  bingx::SpotGateway gateway(sender);
  cts::venue::Gateway& seam = gateway;
  CHECK(seam.capabilities().cancel_all_after);
  cts_test::check_dead_man_range_refused(seam);
  CHECK(sender.sent.empty());

  sender.then(bingx_fixture("spot_cancel_all_after.json"))
      .then(response(200, R"({"code":0,"msg":"","data":{"triggerTime":0,"status":"CLOSED","note":""}})"))
      .then(response(200, R"({"code":0,"msg":"","data":{"triggerTime":0,"status":"FAILED","note":"busy"}})"));
  CHECK(seam.arm_dead_man_switch(std::chrono::seconds{10}).has_value());
  CHECK(sender.sent.back().endpoint == "POST /openApi/spot/v1/trade/cancelAllAfter");
  CHECK(sender.sent.back().http.query == "type=ACTIVATE&timeOut=10");
  CHECK(seam.arm_dead_man_switch(std::chrono::seconds{0}).has_value());
  CHECK(sender.sent.back().http.query == "type=CLOSE&timeOut=10");
  CHECK(seam.arm_dead_man_switch(std::chrono::seconds{120}).error().code == ErrorCode::rejected);
  CHECK(sender.sent.back().http.query == "type=ACTIVATE&timeOut=120");
}

TEST_CASE("bingx spot rate policy: cancelAllAfter has its own 1/s pool, apart from the swap's") {
  const auto& policy = cts::rate::kBingxPolicy;
  const auto spot = policy.cost(bingx::spot_cancel_all_after(60).value().endpoint).value();
  const auto swap = policy.cost(bingx::cancel_all_after(60).value().endpoint).value();
  const auto pool_named = [&](const auto& cost, std::string_view name) {
    for (const auto& item : cost.view()) {
      if (policy.pools[item.pool].name == name) return true;
    }
    return false;
  };
  CHECK(pool_named(spot, "SPOT_CANCEL_ALL_AFTER"));
  CHECK_FALSE(pool_named(spot, "CANCEL_ALL_AFTER"));
  CHECK(pool_named(swap, "CANCEL_ALL_AFTER"));
  CHECK_FALSE(pool_named(swap, "SPOT_CANCEL_ALL_AFTER"));
  const cts::rate::PoolSpec& pool = policy.pools[policy.pool_index("SPOT_CANCEL_ALL_AFTER").value()];
  CHECK(pool.limit == 1);
  CHECK(pool.interval == std::chrono::seconds{1});
  CHECK(pool.scope == cts::rate::Scope::account);
}
