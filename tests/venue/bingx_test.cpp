// Tests for the BingX swap connector (cts/venue/bingx/): request builders, reply parsers
// on the documentation's examples (tests/fixtures/bingx, README there), the error map,
// client-id wire form, cancel-replace and cancelAllAfter, and the gateway over a scripted
// sender. Expected values are the documents'.
#include <cts/venue/bingx/client_ids.hpp>
#include <cts/venue/bingx/errors.hpp>
#include <cts/venue/bingx/gateway.hpp>
#include <cts/venue/bingx/rate_limit.hpp>
#include <cts/venue/bingx/replies.hpp>
#include <cts/venue/bingx/requests.hpp>

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
using cts::venue::PositionSide;
using cts_test::bingx_fixture;
using cts_test::bingx_fixture_text;
using cts_test::response;
using cts_test::ScriptedSender;
namespace bingx = cts::venue::bingx;
using namespace cts::literals;

namespace {

NewOrder limit_buy() {
  NewOrder order;
  order.symbol = "BTC-USDT";
  order.side = Side::buy;
  order.type = OrderType::limit;
  order.quantity = "0.0030"_d;
  order.price = "44459.6"_d;
  order.client_order_id = "ctsAb_1";
  return order;
}

// A cancel-replace of the BTC-USDT order `order_id` (else `client_order_id`) by limit_buy().
bingx::CancelReplace replace_order(std::optional<std::string> order_id, std::string client_order_id = {}) {
  bingx::CancelReplace replace;
  replace.cancel = OrderRef{"BTC-USDT", std::move(order_id), std::move(client_order_id)};
  replace.replacement = limit_buy();
  return replace;
}

}  // namespace

TEST_CASE("bingx client ids: capitals and '_' escaped into lower case, and back") {
  CHECK(bingx::to_wire_client_id("ctsAb_1").value() == "cts_ab__1");
  CHECK(bingx::from_wire_client_id("cts_ab__1") == "ctsAb_1");
  CHECK(bingx::to_wire_client_id("abc-123").value() == "abc-123");
  CHECK(bingx::from_wire_client_id("") == "");
  CHECK(bingx::from_wire_client_id("x_1_") == "x_1_");  // not written by cts: kept
  // 40 characters at most once escaped.
  CHECK(bingx::to_wire_client_id(std::string(20, 'A')).value().size() == 40);
  CHECK(bingx::to_wire_client_id(std::string(21, 'A')).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::to_wire_client_id("").error().code == ErrorCode::invalid_argument);
  CHECK(bingx::to_wire_client_id("a b").error().code == ErrorCode::invalid_argument);
}

TEST_CASE("bingx requests: every parameter on the query string in the documented order") {
  const auto place = bingx::place_order(limit_buy()).value();
  CHECK(place.http.method == HttpMethod::post);
  CHECK(place.http.path == "/openApi/swap/v2/trade/order");
  CHECK(place.http.query ==
        "symbol=BTC-USDT&side=BUY&positionSide=BOTH&type=LIMIT&quantity=0.003&price=44459.6&timeInForce=GTC"
        "&clientOrderId=cts_ab__1");
  CHECK(place.http.body.empty());
  CHECK(place.endpoint == "POST /openApi/swap/v2/trade/order");
  CHECK(place.security == cts::venue::Security::signed_);
  CHECK(place.mutation);
  CHECK(place.order_count == 1);

  NewOrder market = limit_buy();
  market.type = OrderType::market;
  market.price.reset();
  market.side = Side::sell;
  market.reduce_only = true;
  CHECK(bingx::place_order(market).value().http.query ==
        "symbol=BTC-USDT&side=SELL&positionSide=BOTH&type=MARKET&quantity=0.003&reduceOnly=true"
        "&clientOrderId=cts_ab__1");

  NewOrder hedge = limit_buy();
  hedge.position_side = PositionSide::long_;
  hedge.time_in_force = cts::TimeInForce::post_only;
  CHECK(bingx::place_order(hedge).value().http.query.find("positionSide=LONG&type=LIMIT") != std::string::npos);
  CHECK(bingx::place_order(hedge).value().http.query.find("timeInForce=PostOnly") != std::string::npos);

  const auto cancel = bingx::cancel_order(OrderRef{"BTC-USDT", "1597783850786750464", "x"}).value();
  CHECK(cancel.http.method == HttpMethod::delete_);
  CHECK(cancel.http.query == "symbol=BTC-USDT&orderId=1597783850786750464");
  CHECK(bingx::query_order(OrderRef{"BTC-USDT", std::nullopt, "ctsAb_1"}).value().http.query ==
        "symbol=BTC-USDT&clientOrderId=cts_ab__1");
  CHECK(bingx::depth("BTC-USDT", 20).value().http.query == "symbol=BTC-USDT&limit=20");
  CHECK(bingx::fill_history("BTC-USDT", std::string_view("42"), 1000, 2000, 50).value().http.query ==
        "symbol=BTC-USDT&orderId=42&startTs=1000&endTs=2000&pageSize=50");
  const auto extend = bingx::listen_key_request(HttpMethod::put, "abc").value();
  CHECK(extend.http.query == "listenKey=abc");
  CHECK(extend.security == cts::venue::Security::api_key);
  CHECK(bingx::create_listen_key().endpoint == "POST /openApi/user/auth/userDataStream");
}

TEST_CASE("bingx requests: bad input is refused and nothing is built") {
  NewOrder order = limit_buy();
  order.symbol = "BTCUSDT";
  CHECK(bingx::place_order(order).error().code == ErrorCode::invalid_argument);
  order = limit_buy();
  order.price.reset();
  CHECK(bingx::place_order(order).error().code == ErrorCode::invalid_argument);
  order = limit_buy();
  order.quantity = "0"_d;
  CHECK(bingx::place_order(order).error().code == ErrorCode::invalid_argument);
  order = limit_buy();
  order.reduce_only = true;
  order.position_side = PositionSide::short_;
  CHECK(bingx::place_order(order).error().code == ErrorCode::invalid_argument);
  order = limit_buy();
  order.type = OrderType::stop_market;
  order.price.reset();
  CHECK(bingx::place_order(order).error().code == ErrorCode::invalid_argument);  // no trigger price
  CHECK(bingx::depth("BTC-USDT", 7).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::cancel_order(OrderRef{"BTC-USDT", "12a", ""}).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::cancel_order(OrderRef{"BTC-USDT", std::nullopt, ""}).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::fill_history("BTC-USDT", std::nullopt, 5, 5, 10).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::listen_key_request(HttpMethod::put, "").error().code == ErrorCode::invalid_argument);
}

TEST_CASE("bingx rate policy prices every request the connector builds") {
  const cts::venue::Request requests[] = {bingx::server_time(),
                                          bingx::contracts("BTC-USDT").value(),
                                          bingx::depth("BTC-USDT", 5).value(),
                                          bingx::book_ticker("BTC-USDT").value(),
                                          bingx::place_order(limit_buy()).value(),
                                          bingx::cancel_order(OrderRef{"BTC-USDT", "1", ""}).value(),
                                          bingx::query_order(OrderRef{"BTC-USDT", "1", ""}).value(),
                                          bingx::open_orders("BTC-USDT").value(),
                                          bingx::cancel_all_orders("BTC-USDT").value(),
                                          bingx::fill_history("BTC-USDT", std::nullopt, 0, 1, 1).value(),
                                          bingx::balance(),
                                          bingx::positions("BTC-USDT").value(),
                                          bingx::create_listen_key(),
                                          bingx::listen_key_request(HttpMethod::put, "k").value(),
                                          bingx::listen_key_request(HttpMethod::delete_, "k").value()};
  for (const auto& request : requests) {
    INFO(request.endpoint);
    CHECK(request.venue == cts::VenueId::bingx);
    CHECK(cts::rate::kBingxPolicy.cost(request.endpoint).has_value());
    const std::string_view method = cts::to_string(request.http.method);
    CHECK(request.endpoint == std::string(method) + " " + request.http.path);
  }
}

TEST_CASE("bingx replies: market data from the docs") {
  CHECK(bingx::parse_server_time(bingx_fixture("server_time.json")).value() == 1675319535362);

  const auto contracts = bingx::parse_contracts(bingx_fixture("contracts.json")).value();
  REQUIRE(contracts.size() == 2);
  const auto& btc = contracts[0];
  CHECK(btc.instrument.venue_symbol == "BTC-USDT");
  CHECK(btc.instrument.base == "BTC");
  CHECK(btc.instrument.quote == "USDT");
  CHECK(btc.instrument.settle == "USDT");
  CHECK(btc.instrument.kind == cts::InstrumentKind::linear_perpetual);
  CHECK(btc.instrument.tick_size == "0.1"_d);      // pricePrecision 1
  CHECK(btc.instrument.step_size == "0.0001"_d);   // quantityPrecision 4
  CHECK(btc.instrument.min_quantity == "0.0001"_d);
  CHECK(btc.instrument.min_notional == "2"_d);
  CHECK(btc.instrument.multiplier == "1"_d);
  CHECK(btc.trading());
  CHECK(contracts[1].instrument.step_size == "0.01"_d);
  CHECK(contracts[1].instrument.min_quantity == "0.01"_d);

  const auto book = bingx::parse_depth(bingx_fixture("depth.json")).value();
  CHECK(book.event_time_ms == 1702719083983);
  REQUIRE(book.bids.size() == 5);
  REQUIRE(book.asks.size() == 5);
  CHECK(book.bids.front().price == "0.000009854"_d);
  CHECK(book.bids.front().quantity == "483909"_d);
  CHECK(book.bids.back().price == "0.000009850"_d);
  // Printed highest first; returned lowest first.
  CHECK(book.asks.front().price == "0.000009856"_d);
  CHECK(book.asks.front().quantity == "687669"_d);
  CHECK(book.asks.back().price == "0.000009860"_d);

  const auto best = bingx::parse_book_ticker(bingx_fixture("book_ticker.json")).value();
  CHECK(best.symbol == "BTC-USDT");
  CHECK(best.bid_price == "42211.1"_d);
  CHECK(best.bid_quantity == "12663"_d);
  CHECK(best.ask_price == "42211.8"_d);
  CHECK(best.ask_quantity == "128854"_d);
}

TEST_CASE("bingx replies: orders from the docs") {
  const auto ack = bingx::parse_order_ack(bingx_fixture("place_order.json")).value();
  CHECK(ack.order_id == "1590973236294713344");
  CHECK(ack.symbol == "BTC-USDT");
  CHECK(ack.client_order_id.empty());

  const auto cancelled = bingx::parse_order(bingx_fixture("cancel_order.json"), Operation::mutation).value();
  CHECK(cancelled.symbol == "LINK-USDT");
  CHECK(cancelled.order_id == "1597783850786750464");
  CHECK(cancelled.status == OrderStatus::canceled);
  CHECK(cancelled.type == OrderType::stop_market);  // TRIGGER_MARKET
  CHECK(cancelled.position_side == PositionSide::long_);
  CHECK(cancelled.quantity == "5"_d);
  CHECK(cancelled.price == "5"_d);
  CHECK(cancelled.trigger_price == "5"_d);
  CHECK(cancelled.executed_quantity == "0"_d);
  CHECK(cancelled.time_ms == 1669776330000);

  const auto queried = bingx::parse_order(bingx_fixture("query_order.json"), Operation::read).value();
  CHECK(queried.order_id == "1597597642269917184");
  CHECK(queried.side == Side::sell);
  CHECK(queried.type == OrderType::take_profit_market);
  CHECK(queried.status == OrderStatus::filled);
  CHECK(queried.trigger_price == "16494"_d);
  CHECK(queried.cumulative_quote == "0"_d);  // ""
  CHECK(queried.time_ms == 1669752524000);

  const auto open = bingx::parse_open_orders(bingx_fixture("open_orders.json")).value();
  REQUIRE(open.size() == 2);
  CHECK(open[0].status == OrderStatus::new_);
  CHECK(open[1].order_id == "1597783835095859200");
  CHECK(open[1].type == OrderType::stop_limit);  // TRIGGER_LIMIT
  CHECK(open[1].price == "9"_d);
  CHECK(open[1].trigger_price == "9.5"_d);

  const auto all = bingx::parse_cancel_all(bingx_fixture("cancel_all.json")).value();
  REQUIRE(all.size() == 1);
  CHECK(all[0].order_id == "1597783835095859200");
  CHECK(all[0].status == OrderStatus::new_);  // as printed in the docs' example
}

TEST_CASE("bingx replies: account from the docs") {
  const auto balances = bingx::parse_balances(bingx_fixture("balance.json")).value();
  REQUIRE(balances.size() == 1);
  CHECK(balances[0].asset == "USDT");
  CHECK(balances[0].free == "193.7609"_d);
  CHECK(balances[0].locked == "1.0602"_d);

  const auto positions = bingx::parse_positions(bingx_fixture("positions.json")).value();
  REQUIRE(positions.size() == 1);
  CHECK(positions[0].symbol == "BNB-USDT");
  CHECK(positions[0].side == PositionSide::short_);
  CHECK(positions[0].quantity == "-0.2"_d);
  CHECK(positions[0].entry_price == "246.43"_d);
  CHECK(positions[0].unrealized_pnl == "-0.0653"_d);
  CHECK(positions[0].liquidation_price == "294.16914617776246"_d);
  CHECK(positions[0].leverage == "5"_d);
  CHECK(positions[0].margin_mode == cts::venue::MarginMode::isolated);

  const auto fills = bingx::parse_fills(bingx_fixture("fill_history.json")).value();
  REQUIRE(fills.size() == 1);
  CHECK(fills[0].id == "241512");
  CHECK(fills[0].order_id == "1736007768311123456");
  CHECK(fills[0].symbol == "WLD-USDT");
  CHECK(fills[0].side == Side::buy);
  CHECK(fills[0].maker);
  CHECK(fills[0].quantity == "4.10"_d);
  CHECK(fills[0].price == "3.1088"_d);
  CHECK(fills[0].quote_quantity == "12.74608"_d);  // 4.10 × 3.1088
  CHECK(fills[0].commission == "0.0025"_d);        // "-0.0025": a charge
  CHECK(fills[0].commission_asset == "USDT");
  CHECK(fills[0].time_ms == 1702760316000);       // 2023-12-16T20:58:36Z

  CHECK(bingx::parse_listen_key(bingx_fixture("listen_key.json")).value() ==
        "a8ea75681542e66f1a50a1616dd06ed77dab61baa0c296bca03a9b13ee5f2dd7");
  CHECK(bingx::parse_listen_key_ack(response(204, "")));
  CHECK(bingx::parse_listen_key_ack(response(404, "")).error().code == ErrorCode::rejected);
}

TEST_CASE("bingx replies: venue codes, statuses and malformed bodies") {
  const auto missing = bingx::parse_order(bingx_fixture("error_order_not_found.json"), Operation::read);
  CHECK(missing.error().code == ErrorCode::order_not_found);
  CHECK(missing.error().venue_code == "80016");
  CHECK(bingx::parse_order_ack(bingx_fixture("error_rate_limit.json")).error().code == ErrorCode::rate_limited);
  CHECK(bingx::parse_order_ack(bingx_fixture("error_insufficient_margin.json")).error().code ==
        ErrorCode::insufficient_funds);
  CHECK(bingx::parse_order_ack(response(200, R"({"code":100001,"msg":"sig"})")).error().code ==
        ErrorCode::invalid_signature);
  CHECK(bingx::parse_order_ack(response(200, R"({"code":999999,"msg":"?"})")).error().code ==
        ErrorCode::unknown_outcome);
  CHECK(bingx::parse_balances(response(200, R"({"code":999999,"msg":"?"})")).error().code == ErrorCode::protocol_error);
  CHECK(bingx::parse_order_ack(response(504, "gateway timeout")).error().code == ErrorCode::unknown_outcome);
  CHECK(bingx::parse_balances(response(429, "")).error().code == ErrorCode::rate_limited);
  CHECK(bingx::parse_balances(response(200, "{")).error().code == ErrorCode::protocol_error);
  CHECK(bingx::parse_balances(response(200, R"({"code":0,"msg":""})")).error().code == ErrorCode::protocol_error);
  CHECK(bingx::parse_balances(response(200, R"({"code":0,"data":[{"asset":"USDT","availableMargin":1.5}]})"))
            .error()
            .code == ErrorCode::protocol_error);  // decimals are strings
  // Unknown members are ignored.
  CHECK(bingx::parse_server_time(response(200, R"({"code":0,"debugMsg":"x","data":{"serverTime":5,"new":[1]}})"))
            .value() == 5);
  std::string unknown_status = bingx_fixture_text("query_order.json");
  unknown_status.replace(unknown_status.find("FILLED"), 6, "WHATEVER");
  CHECK(bingx::parse_order(response(200, unknown_status), Operation::read).error().code == ErrorCode::protocol_error);
  CHECK(bingx::throttle_signal(bingx_fixture("error_rate_limit.json"))->code == "100410");
  CHECK_FALSE(bingx::throttle_signal(bingx_fixture("error_order_not_found.json")).has_value());
}

TEST_CASE("bingx gateway: orders, cancels and reads over the scripted sender") {
  ScriptedSender sender;
  bingx::SwapGateway gateway(sender);
  CHECK_FALSE(gateway.capabilities().websocket_order_entry);
  CHECK(gateway.capabilities().private_stream_login == cts::venue::PrivateStreamLogin::listen_key);

  sender.then(bingx_fixture("place_order.json"));
  const auto created = gateway.create_order(limit_buy()).value();
  CHECK(created.order_id == "1590973236294713344");
  CHECK(created.client_order_id == "ctsAb_1");
  CHECK(created.status == OrderStatus::pending_new);

  // A cancel of an order already filled: the query's final state answers it.
  sender.then(response(200, R"({"code":80018,"msg":"order is already filled"})"))
      .then(bingx_fixture("query_order.json"));
  const auto final_state = gateway.cancel_order(OrderRef{"BTC-USDT", "1597597642269917184", ""}).value();
  CHECK(final_state.status == OrderStatus::filled);
  CHECK(sender.sent.back().endpoint == "GET /openApi/swap/v2/trade/order");

  sender.then(bingx_fixture("error_order_not_found.json"));
  CHECK(gateway.query_order(OrderRef{"BTC-USDT", "1", ""}).error().code == ErrorCode::order_not_found);

  sender.then(response(200, R"({"code":0,"msg":"","data":{"success":[],"failed":null}})"));
  CHECK(gateway.cancel_open_orders("BTC-USDT").error().code == ErrorCode::order_not_found);

  sender.then(bingx_fixture("depth.json"));
  const auto book = gateway.depth("BTC-USDT", 3).value();
  CHECK(sender.sent.back().http.query == "symbol=BTC-USDT&limit=5");
  CHECK(book.bids.size() == 3);
  CHECK(book.asks.size() == 3);
  CHECK(book.asks.front().price == "0.000009856"_d);

  sender.then(bingx_fixture("server_time.json")).then(bingx_fixture("fill_history.json"));
  const auto fills = gateway.recent_trades("WLD-USDT", 100).value();
  CHECK(fills.size() == 1);
  CHECK(sender.sent.back().http.query ==
        "symbol=WLD-USDT&startTs=1674714735362&endTs=1675319535362&pageSize=100");  // 7 days before serverTime

  sender.then(bingx_fixture("positions.json"));
  CHECK(gateway.positions("BTC-USDT").value().empty());  // the docs' position is BNB-USDT

  sender.then(bingx_fixture("listen_key.json")).then(response(200, "")).then(response(404, ""));
  CHECK(gateway.open_user_stream_key().value().size() == 64);
  CHECK(gateway.extend_user_stream_key("k"));
  CHECK(gateway.close_user_stream_key("k").error().code == ErrorCode::rejected);
}

TEST_CASE("bingx gateway: a credential refusal is the last signed request sent") {
  ScriptedSender sender;
  bingx::SwapGateway gateway(sender);
  sender.then(response(200, R"({"code":100413,"msg":"Incorrect apiKey"})"));
  CHECK(gateway.balances().error().code == ErrorCode::auth_failed);
  const std::size_t sent = sender.sent.size();
  CHECK(gateway.create_order(limit_buy()).error().code == ErrorCode::auth_failed);
  CHECK(gateway.open_orders("BTC-USDT").error().code == ErrorCode::auth_failed);
  CHECK(sender.sent.size() == sent);
  CHECK(gateway.credentials_refused().has_value());
}

TEST_CASE("bingx registry entry: swap, REST orders, listen key, throttle reader") {
  const cts::venue::Connector* swap = cts::venue::find_connector(cts::VenueId::bingx).value();
  CHECK(swap->market == "swap");
  CHECK(swap->default_symbol == "BTC-USDT");
  CHECK(swap->capabilities == &bingx::kSwapCapabilities);
  CHECK_FALSE(static_cast<bool>(swap->make_ws_orders));
  CHECK(static_cast<bool>(swap->read_throttle == &bingx::throttle_signal));
}

TEST_CASE("bingx requests: cancelReplace names the order to cancel, its mode and the new order") {
  bingx::CancelReplace replace = replace_order("123456789");
  replace.restriction = bingx::CancelRestriction::only_new;
  const auto request = bingx::cancel_replace(replace).value();
  CHECK(request.http.method == cts::HttpMethod::post);
  CHECK(request.http.path == "/openApi/swap/v1/trade/cancelReplace");
  CHECK(request.http.query ==
        "cancelReplaceMode=STOP_ON_FAILURE&cancelOrderId=123456789&cancelRestrictions=ONLY_NEW&symbol=BTC-USDT"
        "&side=BUY&positionSide=BOTH&type=LIMIT&quantity=0.003&price=44459.6&timeInForce=GTC&clientOrderId=cts_ab__1");
  CHECK(request.http.body.empty());
  CHECK(request.security == cts::venue::Security::signed_);
  CHECK(request.mutation);
  CHECK(request.order_count == 1);
  CHECK(cts::rate::kBingxPolicy.cost(request.endpoint).has_value());

  bingx::CancelReplace by_client = replace_order(std::nullopt, "ctsAb_0");
  by_client.mode = bingx::CancelReplaceMode::allow_failure;
  CHECK(bingx::cancel_replace(by_client).value().http.query.starts_with(
      "cancelReplaceMode=ALLOW_FAILURE&cancelClientOrderId=cts_ab__0&symbol=BTC-USDT&"));

  // Bad input: nothing is built.
  bingx::CancelReplace other_symbol = replace_order("1");
  other_symbol.replacement.symbol = "ETH-USDT";
  CHECK(bingx::cancel_replace(other_symbol).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::cancel_replace(replace_order("12a")).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::cancel_replace(replace_order(std::nullopt)).error().code == ErrorCode::invalid_argument);
  bingx::CancelReplace no_price = replace_order("1");
  no_price.replacement.price.reset();
  CHECK(bingx::cancel_replace(no_price).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("bingx requests: cancelAllAfter arms for 10..120 s or closes") {
  const auto arm = bingx::cancel_all_after(60).value();
  CHECK(arm.http.method == cts::HttpMethod::post);
  CHECK(arm.http.path == "/openApi/swap/v2/trade/cancelAllAfter");
  CHECK(arm.http.query == "type=ACTIVATE&timeOut=60");
  CHECK(arm.security == cts::venue::Security::signed_);
  CHECK(arm.mutation);
  CHECK(cts::rate::kBingxPolicy.cost(arm.endpoint).has_value());
  CHECK(bingx::cancel_all_after(0).value().http.query == "type=CLOSE&timeOut=10");
  CHECK(bingx::cancel_all_after(10).has_value());
  CHECK(bingx::cancel_all_after(120).has_value());
  CHECK(bingx::cancel_all_after(9).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::cancel_all_after(121).error().code == ErrorCode::invalid_argument);
  CHECK(bingx::cancel_all_after(-1).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("bingx replies: cancelReplace from the docs, and its failures") {
  const auto reply = bingx::parse_cancel_replace(bingx_fixture("cancel_replace.json")).value();
  CHECK(reply.cancelled);
  CHECK(reply.cancel_message.empty());
  REQUIRE(reply.cancelled_order.has_value());
  CHECK(reply.cancelled_order->order_id == "123456789");
  CHECK(reply.cancelled_order->symbol == "BTC-USDT");
  CHECK(reply.cancelled_order->side == Side::buy);
  CHECK(reply.cancelled_order->position_side == PositionSide::long_);
  CHECK(reply.cancelled_order->type == OrderType::limit);
  CHECK(reply.cancelled_order->quantity == "1"_d);
  CHECK(reply.cancelled_order->price == "38000"_d);
  CHECK(reply.cancelled_order->status == OrderStatus::new_);  // the docs print PENDING
  CHECK(reply.cancelled_order->time_ms == 1706858471000);
  CHECK(reply.replaced);
  REQUIRE(reply.new_order.has_value());
  CHECK(reply.new_order->order_id == "987654321");
  CHECK(reply.new_order->symbol == "BTC-USDT");
  CHECK(reply.new_order->client_order_id.empty());

  // A failed cancel under STOP_ON_FAILURE: no order objects (null or empty).
  const auto failed = bingx::parse_cancel_replace(response(
      200, R"({"code":0,"msg":"","data":{"cancelResult":"false","cancelMsg":"order not exist","cancelResponse":null,)"
           R"("replaceResult":"false","replaceMsg":"","newOrderResponse":{}}})")).value();
  CHECK_FALSE(failed.cancelled);
  CHECK(failed.cancel_message == "order not exist");
  CHECK_FALSE(failed.cancelled_order.has_value());
  CHECK_FALSE(failed.replaced);
  CHECK_FALSE(failed.new_order.has_value());

  const auto protocol = [](std::string_view data) {
    return bingx::parse_cancel_replace(response(200, R"({"code":0,"msg":"","data":)" + std::string(data) + "}"))
        .error()
        .code;
  };
  CHECK(protocol(R"({"replaceResult":"false"})") == ErrorCode::protocol_error);
  CHECK(protocol(R"({"cancelResult":"yes","replaceResult":"false"})") == ErrorCode::protocol_error);
  CHECK(protocol(R"({"cancelResult":"true","replaceResult":"false"})") == ErrorCode::protocol_error);
  CHECK(protocol(R"({"cancelResult":false,"replaceResult":true,"newOrderResponse":{"symbol":"BTC-USDT"}})") ==
        ErrorCode::protocol_error);
  CHECK(bingx::parse_cancel_replace(bingx_fixture("error_order_not_found.json")).error().code ==
        ErrorCode::order_not_found);
  CHECK(bingx::parse_cancel_replace(response(500, "")).error().code == ErrorCode::unknown_outcome);
}

TEST_CASE("bingx replies: cancelAllAfter from the docs") {
  const auto armed = bingx::parse_cancel_all_after(bingx_fixture("cancel_all_after.json")).value();
  CHECK(armed.status == bingx::CancelAllAfterStatus::activated);
  CHECK(armed.trigger_time_s == 1710389137);
  CHECK(armed.note.starts_with("All your spot pending orders will be closed automatically"));
  cts_test::check_bingx_cancel_all_after_replies(bingx::parse_cancel_all_after);
  CHECK(bingx::parse_cancel_all_after(bingx_fixture("error_rate_limit.json")).error().code == ErrorCode::rate_limited);
}

TEST_CASE("bingx gateway: cancel_replace reports both steps; cancel_all_after arms and closes") {
  ScriptedSender sender;
  bingx::SwapGateway gateway(sender);

  sender.then(bingx_fixture("cancel_replace.json"));
  const auto report = gateway.cancel_replace(replace_order("123456789")).value();
  CHECK(sender.sent.back().endpoint == "POST /openApi/swap/v1/trade/cancelReplace");
  CHECK(report.cancelled.value().order_id == "123456789");
  const cts::venue::OrderReport& placed = report.replacement.value();
  CHECK(placed.order_id == "987654321");
  CHECK(placed.client_order_id == "ctsAb_1");  // BingX echoed none: the order's own
  CHECK(placed.status == OrderStatus::pending_new);
  CHECK(placed.price == "44459.6"_d);

  sender.then(response(200, R"({"code":0,"msg":"","data":{"cancelResult":"false","cancelMsg":"order not exist",)"
                            R"("cancelResponse":null,"replaceResult":"false","replaceMsg":"","newOrderResponse":null}})"));
  const auto refused = gateway.cancel_replace(replace_order("1")).value();
  CHECK(refused.cancelled.error().code == ErrorCode::rejected);
  CHECK(refused.cancelled.error().message.find("order not exist") != std::string::npos);
  CHECK(refused.replacement.error().code == ErrorCode::rejected);

  const std::size_t sent = sender.sent.size();
  CHECK(gateway.cancel_replace(replace_order("x")).error().code == ErrorCode::invalid_argument);
  CHECK(gateway.cancel_all_after(5).error().code == ErrorCode::invalid_argument);
  CHECK(sender.sent.size() == sent);

  sender.then(bingx_fixture("cancel_all_after.json"));
  CHECK(gateway.cancel_all_after(30).value().trigger_time_s == 1710389137);
  CHECK(sender.sent.back().http.query == "type=ACTIVATE&timeOut=30");
}

TEST_CASE("bingx gateway: the seam's dead-man switch is cancelAllAfter, the range checked before sending") {
  ScriptedSender sender;
  bingx::SwapGateway gateway(sender);
  cts::venue::Gateway& seam = gateway;
  cts_test::check_dead_man_range_refused(seam);
  CHECK(sender.sent.empty());

  sender.then(bingx_fixture("cancel_all_after.json"))
      .then(response(200, R"({"code":0,"msg":"","data":{"triggerTime":0,"status":"CLOSED","note":""}})"))
      .then(response(200, R"({"code":0,"msg":"","data":{"triggerTime":0,"status":"FAILED","note":"busy"}})"));
  CHECK(seam.arm_dead_man_switch(std::chrono::seconds{10}).has_value());
  CHECK(sender.sent.back().endpoint == "POST /openApi/swap/v2/trade/cancelAllAfter");
  CHECK(sender.sent.back().http.query == "type=ACTIVATE&timeOut=10");
  CHECK(seam.arm_dead_man_switch(std::chrono::seconds{0}).has_value());
  CHECK(sender.sent.back().http.query == "type=CLOSE&timeOut=10");
  CHECK(seam.arm_dead_man_switch(std::chrono::seconds{120}).error().code == ErrorCode::rejected);
  CHECK(sender.sent.back().http.query == "type=ACTIVATE&timeOut=120");
}
