// Tests for cts/venue/orangex/ws_orders.hpp: the login, the order frames and the replies
// matched by their JSON-RPC id. The frames are written out by hand in the envelope the
// official SDK sends (OrangeX-Global/orangex-api-python, websocket_client.py: jsonrpc,
// id, method, params) with the params of the REST calls (orangex_requests_test.cpp);
// the replies are tests/fixtures/orangex's (README there names each one's source; the
// trading methods' shapes are Deribit's, assumed) under the ids this protocol gives.
#include <cts/venue/orangex/ws_orders.hpp>

#include <string>
#include <variant>

#include <doctest/doctest.h>
#include <simdjson.h>

#include "cts/sign/bybit.hpp"
#include "support.hpp"

using cts::ErrorCode;
using cts::venue::OrderStatus;
using namespace cts::literals;
namespace orangex = cts::venue::orangex;
namespace venue = cts::venue;

namespace {

constexpr std::int64_t kVenueNowMs = 1'700'000'000'000;

/// The fixture `name` with its `"id":<from>` replaced by `"id":<to>`.
std::string fixture_with_id(std::string_view name, int from, int to) {
  std::string text = cts_test::fixture_text("orangex", name);
  const std::string old_id = "\"id\":" + std::to_string(from);
  const auto at = text.find(old_id);
  REQUIRE(at != std::string::npos);
  text.replace(at, old_id.size(), "\"id\":" + std::to_string(to));
  return text;
}

venue::NewOrder limit_buy() {
  venue::NewOrder order;
  order.symbol = "BTC-USDT-PERPETUAL";
  order.side = cts::Side::buy;
  order.type = cts::OrderType::limit;
  order.quantity = "0.012"_d;
  order.price = "60000.5"_d;
  order.client_order_id = "cts-ox-1";
  return order;
}

/// The protocol's event for `frame`; fails the test on an error.
venue::WsOrderEvent event(orangex::PrivateStreamOrders& orders, std::string_view frame) {
  auto result = orders.on_message(frame);
  REQUIRE(result);
  return *result;
}

}  // namespace

TEST_CASE("orangex ws orders: the private stream's /public/auth logs the connection in") {
  const cts::sign::OrangexSigner signer("ox-client", cts::sign::Secret("ox-secret"));
  orangex::PrivateStreamOrders orders(signer);
  CHECK(orders.application_ping() == "PING");
  CHECK(orders.order_url("ws://127.0.0.1:9/ws/api/v1") == "ws://127.0.0.1:9/ws/api/v1");
  orders.on_connected();
  const auto frames = orders.login(cts::from_unix_millis(kVenueNowMs));
  REQUIRE(frames);
  REQUIRE(frames->size() == 1);
  CHECK(orders.awaiting_login());
  simdjson::dom::parser parser;
  simdjson::dom::object call = parser.parse((*frames)[0]).get_object().value();
  CHECK(std::string_view(call["jsonrpc"].get_string().value()) == "2.0");
  CHECK(call["id"].get_int64().value() == 1);
  CHECK(std::string_view(call["method"].get_string().value()) == "/public/auth");
  simdjson::dom::object params = call["params"].get_object().value();
  CHECK(std::string_view(params["grant_type"].get_string().value()) == "client_signature");
  CHECK(std::string_view(params["client_id"].get_string().value()) == "ox-client");
  CHECK(std::string_view(params["timestamp"].get_string().value()) == "1700000000000");
  const std::string nonce(params["nonce"].get_string().value());
  CHECK(std::string_view(params["signature"].get_string().value()) == signer.client_signature(kVenueNowMs, nonce));

  CHECK(std::holds_alternative<venue::WsOrderIgnored>(event(orders, "PONG")));
  CHECK(std::holds_alternative<venue::WsOrderLoggedIn>(event(orders, cts_test::fixture_text("orangex", "ws_auth.json"))));
  CHECK_FALSE(orders.awaiting_login());
}

TEST_CASE("orangex ws orders: a refused login is the venue's error") {
  const cts::sign::OrangexSigner signer("ox-client", cts::sign::Secret("ox-secret"));
  orangex::PrivateStreamOrders orders(signer);
  REQUIRE(orders.login(cts::from_unix_millis(kVenueNowMs)));
  const auto refused =
      orders.on_message(R"({"jsonrpc":"2.0","id":1,"error":{"message":"invalid_credentials","code":13004}})");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::auth_failed);
  CHECK(refused.error().venue_code == "13004");
  CHECK(orders.awaiting_login());
}

TEST_CASE("orangex ws orders: buy and cancel frames, their replies matched by id") {
  const cts::sign::OrangexSigner signer("ox-client", cts::sign::Secret("ox-secret"));
  orangex::PrivateStreamOrders orders(signer);
  orders.on_connected();
  REQUIRE(orders.login(cts::from_unix_millis(kVenueNowMs)));  // call id 1
  REQUIRE(std::holds_alternative<venue::WsOrderLoggedIn>(
      event(orders, cts_test::fixture_text("orangex", "ws_auth.json"))));

  const auto buy = orders.create_order(limit_buy(), "7", cts::from_unix_millis(kVenueNowMs));
  REQUIRE(buy);
  CHECK(buy->id == "7");
  CHECK(buy->rate_endpoint == "/private/buy");
  CHECK(buy->cost_times == 1);
  CHECK(buy->frame ==
        R"({"jsonrpc":"2.0","id":2,"method":"/private/buy","params":{"instrument_name":"BTC-USDT-PERPETUAL",)"
        R"("amount":"0.012","type":"limit","price":"60000.5","time_in_force":"good_til_cancelled","post_only":false,)"
        R"("reduce_only":false,"label":"cts-ox-1"}})");
  venue::NewOrder market = limit_buy();
  market.side = cts::Side::sell;
  market.type = cts::OrderType::market;
  market.price.reset();
  const auto sell = orders.create_order(market, "8", cts::from_unix_millis(kVenueNowMs));
  REQUIRE(sell);
  CHECK(sell->rate_endpoint == "/private/sell");
  CHECK(sell->frame ==
        R"({"jsonrpc":"2.0","id":3,"method":"/private/sell","params":{"instrument_name":"BTC-USDT-PERPETUAL",)"
        R"("amount":"0.012","type":"market","reduce_only":false,"label":"cts-ox-1"}})");
  const venue::OrderRef ref{"BTC-USDT-PERPETUAL", std::string("3000012345"), "cts-ox-1"};
  const auto cancel = orders.cancel_order(ref, "9", cts::from_unix_millis(kVenueNowMs));
  REQUIRE(cancel);
  CHECK(cancel->rate_endpoint == "/private/cancel");
  CHECK(cancel->frame ==
        R"({"jsonrpc":"2.0","id":4,"method":"/private/cancel","params":{"order_id":"3000012345"}})");

  // Replies come in any order; each is matched by its id.
  const auto cancelled = event(orders, fixture_with_id("cancel.json", 11, 4));
  const auto* cancel_reply = std::get_if<venue::WsOrderReply>(&cancelled);
  REQUIRE(cancel_reply != nullptr);
  CHECK(cancel_reply->id == "9");
  REQUIRE(cancel_reply->outcome);
  CHECK(cancel_reply->outcome->status == OrderStatus::canceled);
  CHECK(cancel_reply->outcome->order_id == "3000012345");

  const auto placed = event(orders, fixture_with_id("buy.json", 9, 2));
  const auto* buy_reply = std::get_if<venue::WsOrderReply>(&placed);
  REQUIRE(buy_reply != nullptr);
  CHECK(buy_reply->id == "7");
  REQUIRE(buy_reply->outcome);
  CHECK(buy_reply->outcome->order_id == "3000012345");
  CHECK(buy_reply->outcome->client_order_id == "cts-ox-1");
  CHECK(buy_reply->outcome->status == OrderStatus::partially_filled);
  CHECK(buy_reply->outcome->executed_quantity == "0.004"_d);
  REQUIRE(buy_reply->outcome->fills.size() == 1);
  CHECK(buy_reply->outcome->fills[0].trade_id == "BTC-USDT-PERPETUAL-4477");
  CHECK_FALSE(buy_reply->usage);

  // The sell is refused: not_enough_funds, mapped as a mutation's.
  const auto refused =
      event(orders, R"({"jsonrpc":"2.0","id":3,"error":{"message":"not_enough_funds","code":10009}})");
  const auto* refusal = std::get_if<venue::WsOrderReply>(&refused);
  REQUIRE(refusal != nullptr);
  CHECK(refusal->id == "8");
  REQUIRE_FALSE(refusal->outcome);
  CHECK(refusal->outcome.error().code == ErrorCode::insufficient_funds);
  CHECK(refusal->outcome.error().venue_code == "10009");

  // Answered once: a repeated reply, and one to no request, are ignored.
  CHECK(std::holds_alternative<venue::WsOrderIgnored>(event(orders, fixture_with_id("buy.json", 9, 2))));
  CHECK(std::holds_alternative<venue::WsOrderIgnored>(event(orders, fixture_with_id("buy.json", 9, 99))));
  // A notification is no reply.
  CHECK(std::holds_alternative<venue::WsOrderIgnored>(
      event(orders, cts_test::fixture_text("orangex", "ws_user_orders.json"))));
}

TEST_CASE("orangex ws orders: an unknown error on an order call is an unknown outcome") {
  const cts::sign::OrangexSigner signer("ox-client", cts::sign::Secret("ox-secret"));
  orangex::PrivateStreamOrders orders(signer);
  REQUIRE(orders.create_order(limit_buy(), "1", cts::from_unix_millis(kVenueNowMs)));  // call id 1
  const auto answered =
      event(orders, R"({"jsonrpc":"2.0","id":1,"error":{"message":"internal_server_error","code":-32000}})");
  const auto* reply = std::get_if<venue::WsOrderReply>(&answered);
  REQUIRE(reply != nullptr);
  REQUIRE_FALSE(reply->outcome);
  CHECK(reply->outcome.error().code == ErrorCode::unknown_outcome);
}

TEST_CASE("orangex ws orders: a cancel by client order id alone goes over REST; bad orders are refused") {
  const cts::sign::OrangexSigner signer("ox-client", cts::sign::Secret("ox-secret"));
  orangex::PrivateStreamOrders orders(signer);
  const venue::OrderRef by_label{"BTC-USDT-PERPETUAL", std::nullopt, "cts-ox-1"};
  const auto cancel = orders.cancel_order(by_label, "1", cts::from_unix_millis(kVenueNowMs));
  REQUIRE_FALSE(cancel);
  CHECK(cancel.error().code == ErrorCode::unsupported);
  venue::NewOrder stop = limit_buy();
  stop.type = cts::OrderType::stop_limit;
  stop.trigger_price = "59000"_d;
  CHECK(orders.create_order(stop, "2", cts::from_unix_millis(kVenueNowMs)).error().code == ErrorCode::unsupported);
  venue::NewOrder no_price = limit_buy();
  no_price.price.reset();
  CHECK(orders.create_order(no_price, "3", cts::from_unix_millis(kVenueNowMs)).error().code ==
        ErrorCode::invalid_argument);
  CHECK_FALSE(orders.on_message("not json"));
}

TEST_CASE("orangex ws orders: a reconnect forgets the requests in flight") {
  const cts::sign::OrangexSigner signer("ox-client", cts::sign::Secret("ox-secret"));
  orangex::PrivateStreamOrders orders(signer);
  REQUIRE(orders.create_order(limit_buy(), "1", cts::from_unix_millis(kVenueNowMs)));  // call id 1
  orders.on_connected();
  CHECK(std::holds_alternative<venue::WsOrderIgnored>(event(orders, fixture_with_id("buy.json", 9, 1))));
}

TEST_CASE("orangex ws orders: the registry's connector takes orders over the WebSocket with an OrangeX key only") {
  const auto connector = venue::find_connector(cts::VenueId::orangex, "perpetual");
  REQUIRE(connector);
  REQUIRE(static_cast<bool>((*connector)->make_ws_orders));
  CHECK((*connector)->capabilities->websocket_order_entry);
  const cts::sign::OrangexSigner signer("ox-client", cts::sign::Secret("ox-secret"));
  const cts::sign::BybitSigner other{"key", cts::sign::Secret("secret")};
  cts_test::ScriptedSender sender;
  auto gateway = (*connector)->make_gateway(sender, {});
  CHECK((*connector)->make_ws_orders(signer, *gateway, {}).has_value());
  CHECK((*connector)->make_ws_orders(other, *gateway, {}).error().code == ErrorCode::unsupported);
}
