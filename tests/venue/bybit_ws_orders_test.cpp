// Tests for cts/venue/bybit/ws_orders.hpp: Bybit's WsOrderProtocol on the trade
// WebSocket. Frames and replies from websocket/trade/guideline.mdx (the fixtures
// ws_trade_*.json, the order of its order.create example); the auth signature is HMAC-SHA256("GET/realtime" + expires) computed
// with Python's hmac for the key and secret below; reports compared with what the REST
// gateway's create and cancel answer (V5Gateway: pending_new with the acknowledged ids,
// pending_cancel for an accepted cancel).
#include <cts/venue/bybit/ws_orders.hpp>

#include <string>
#include <variant>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cts/sign/okx.hpp>
#include <cts/sign/secret.hpp>
#include <cts/venue/registry.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts_test::bybit_fixture_text;
namespace bybit = cts::venue::bybit;
namespace venue = cts::venue;
using namespace cts::literals;

namespace {

const cts::SystemTime kVenueNow = cts::from_unix_millis(1711001595207);

const cts::sign::BybitSigner& signer() {
  static const cts::sign::BybitSigner instance("ws-key", cts::sign::Secret("ws-secret"));
  return instance;
}

std::unique_ptr<venue::WsOrderProtocol> linear() {
  auto made = bybit::TradeStreamOrders::make(signer(), bybit::Category::linear, {});
  REQUIRE(made.has_value());
  return std::move(*made);
}

}  // namespace

TEST_CASE("bybit ws orders: made for bybit spot and linear, never for demo trading or another venue's key") {
  const auto spot = venue::find_connector(cts::VenueId::bybit, "spot");
  const auto contracts = venue::find_connector(cts::VenueId::bybit, "linear");
  REQUIRE(spot.has_value());
  REQUIRE(contracts.has_value());
  REQUIRE(static_cast<bool>((*spot)->make_ws_orders));
  REQUIRE(static_cast<bool>((*contracts)->make_ws_orders));

  auto demo = bybit::TradeStreamOrders::make(signer(), bybit::Category::linear, venue::GatewaySettings{.demo = true});
  REQUIRE_FALSE(demo.has_value());
  CHECK(demo.error().code == ErrorCode::unsupported);

  const cts::sign::OkxSigner okx("k", cts::sign::Secret("s"), cts::sign::Secret("p"));
  auto other = bybit::TradeStreamOrders::make(okx, bybit::Category::spot, {});
  REQUIRE_FALSE(other.has_value());
  CHECK(other.error().code == ErrorCode::invalid_argument);
}

TEST_CASE("bybit ws orders: login is the auth frame; orders wait for its retCode 0; a refusal is the error") {
  auto protocol = linear();
  CHECK(protocol->application_ping() == R"({"op":"ping"})");
  CHECK_FALSE(protocol->awaiting_login());
  const auto frames = protocol->login(kVenueNow);
  REQUIRE(frames.has_value());
  REQUIRE(frames->size() == 1);
  // expires = venue time + 10 s = 1711001605207.
  CHECK(frames->front() ==
        R"({"op":"auth","args":["ws-key",1711001605207,"093ae703c337389565de6139c385ffd74ef754c841cf4b47576cce660feab6ab"]})");
  CHECK(protocol->awaiting_login());
  const auto pong = protocol->on_message(bybit_fixture_text("ws_trade_pong.json"));
  REQUIRE(pong.has_value());
  CHECK(std::holds_alternative<venue::WsOrderIgnored>(*pong));
  CHECK(protocol->awaiting_login());
  const auto accepted = protocol->on_message(bybit_fixture_text("ws_trade_auth_reply.json"));
  REQUIRE(accepted.has_value());
  CHECK(std::holds_alternative<venue::WsOrderLoggedIn>(*accepted));
  CHECK_FALSE(protocol->awaiting_login());

  // A new connection logs in again; the documented refusals: 10004 invalid sign, and a
  // key Bybit does not know (10003).
  protocol->on_connected();
  REQUIRE(protocol->login(kVenueNow).has_value());
  const auto bad_sign =
      protocol->on_message(R"({"retCode":10004,"retMsg":"Invalid sign","op":"auth","connId":"c-1"})");
  REQUIRE_FALSE(bad_sign.has_value());
  CHECK(bad_sign.error().code == ErrorCode::invalid_signature);
  CHECK(bad_sign.error().venue_code == "10004");
  const auto bad_key = protocol->on_message(R"({"retCode":10003,"retMsg":"Invalid apikey","op":"auth","connId":"c-1"})");
  REQUIRE_FALSE(bad_key.has_value());
  CHECK(bad_key.error().code == ErrorCode::auth_failed);
  CHECK(protocol->awaiting_login());
}

TEST_CASE("bybit ws orders: a create is order.create with the caller's id, answered as REST's create") {
  auto protocol = linear();
  const auto request = protocol->create_order(cts_test::bybit_eth_post_only(), "test-005", kVenueNow);
  REQUIRE(request.has_value());
  CHECK(request->id == "test-005");
  CHECK(
      request->frame ==
      R"({"reqId":"test-005","header":{"X-BAPI-TIMESTAMP":"1711001595207","X-BAPI-RECV-WINDOW":"5000"},"op":"order.create","args":[{"category":"linear","symbol":"ETHUSDT","side":"Buy","orderType":"Limit","qty":"0.2","price":"2800","timeInForce":"PostOnly","positionIdx":0,"orderLinkId":"ws-1","reduceOnly":false}]})");
  CHECK(request->rate_endpoint == "POST /v5/order/create (linear)");
  CHECK(request->cost_times == 1);

  // guideline.mdx's reply: orderId a4c1718e-..., orderLinkId "" (the order's own kept).
  const auto event = protocol->on_message(bybit_fixture_text("ws_trade_create_reply.json"));
  REQUIRE(event.has_value());
  const auto* reply = std::get_if<venue::WsOrderReply>(&*event);
  REQUIRE(reply != nullptr);
  CHECK(reply->id == "test-005");
  REQUIRE(reply->outcome.has_value());
  const venue::OrderReport& report = *reply->outcome;
  CHECK(report.order_id == "a4c1718e-fe53-4659-a118-1f6ecce04ad9");
  CHECK(report.client_order_id == "ws-1");
  CHECK(report.symbol == "ETHUSDT");
  CHECK(report.status == venue::OrderStatus::pending_new);
  CHECK(report.side == cts::Side::buy);
  CHECK(report.price == "2800"_d);
  CHECK(report.quantity == "0.2"_d);
  CHECK(report.time_in_force == cts::TimeInForce::post_only);

  // The same reply again: its request is answered, nothing is in flight under that id.
  const auto again = protocol->on_message(bybit_fixture_text("ws_trade_create_reply.json"));
  REQUIRE(again.has_value());
  CHECK(std::holds_alternative<venue::WsOrderIgnored>(*again));

  auto spot = bybit::TradeStreamOrders::make(signer(), bybit::Category::spot, {});
  REQUIRE(spot.has_value());
  venue::NewOrder btc = cts_test::bybit_eth_post_only();
  btc.symbol = "BTCUSDT";
  const auto spot_request = (*spot)->create_order(btc, "s-1", kVenueNow);
  REQUIRE(spot_request.has_value());
  CHECK(spot_request->rate_endpoint == "POST /v5/order/create (spot)");
}

TEST_CASE("bybit ws orders: a cancel is order.cancel; its ack is pending_cancel with the acknowledged ids") {
  auto protocol = linear();
  const venue::OrderRef ref{"ETHUSDT", std::nullopt, "ws-1"};
  const auto request = protocol->cancel_order(ref, "c-7", kVenueNow);
  REQUIRE(request.has_value());
  CHECK(
      request->frame ==
      R"({"reqId":"c-7","header":{"X-BAPI-TIMESTAMP":"1711001595207","X-BAPI-RECV-WINDOW":"5000"},"op":"order.cancel","args":[{"category":"linear","symbol":"ETHUSDT","orderLinkId":"ws-1"}]})");
  CHECK(request->rate_endpoint == "POST /v5/order/cancel");
  const auto event = protocol->on_message(
      R"({"reqId":"c-7","retCode":0,"retMsg":"OK","op":"order.cancel","data":{"orderId":"1755","orderLinkId":"ws-1"},"retExtInfo":{},"header":{"X-Bapi-Limit":"10","X-Bapi-Limit-Status":"9","X-Bapi-Limit-Reset-Timestamp":"1711001595208"},"connId":"c"})");
  REQUIRE(event.has_value());
  const auto* reply = std::get_if<venue::WsOrderReply>(&*event);
  REQUIRE(reply != nullptr);
  REQUIRE(reply->outcome.has_value());
  CHECK(reply->outcome->status == venue::OrderStatus::pending_cancel);
  CHECK(reply->outcome->order_id == "1755");
  CHECK(reply->outcome->client_order_id == "ws-1");
  CHECK(reply->outcome->symbol == "ETHUSDT");
}

TEST_CASE("bybit ws orders: refusals are the REST gateway's errors; bad input and bad frames are typed errors") {
  auto protocol = linear();
  const venue::OrderRef ref{"ETHUSDT", std::string("1755"), ""};
  REQUIRE(protocol->cancel_order(ref, "c-1", kVenueNow).has_value());
  REQUIRE(protocol->create_order(cts_test::bybit_eth_post_only(), "o-1", kVenueNow).has_value());
  REQUIRE(protocol->create_order(cts_test::bybit_eth_post_only(), "o-2", kVenueNow).has_value());
  REQUIRE(protocol->create_order(cts_test::bybit_eth_post_only(), "o-3", kVenueNow).has_value());

  const auto unknown =
      protocol->on_message(R"({"reqId":"c-1","retCode":110001,"retMsg":"Order does not exist","op":"order.cancel"})");
  REQUIRE(unknown.has_value());
  const auto& refused = std::get<venue::WsOrderReply>(*unknown);
  CHECK(refused.id == "c-1");
  CHECK(refused.outcome.error().code == ErrorCode::order_not_found);
  CHECK(refused.outcome.error().venue_code == "110001");
  const auto throttled =
      protocol->on_message(R"({"reqId":"o-1","retCode":10429,"retMsg":"System level frequency protection","op":"order.create"})");
  CHECK(std::get<venue::WsOrderReply>(*throttled).outcome.error().code == ErrorCode::rate_limited);
  const auto limited = protocol->on_message(
      R"({"reqId":"o-2","retCode":10006,"retMsg":"Too many visits","op":"order.create","header":{"X-Bapi-Limit":"10","X-Bapi-Limit-Status":"0","X-Bapi-Limit-Reset-Timestamp":"1711001596000"}})");
  CHECK(std::get<venue::WsOrderReply>(*limited).outcome.error().code == ErrorCode::rate_limited);
  const auto restarting =
      protocol->on_message(R"({"reqId":"o-3","retCode":10016,"retMsg":"internal server error","op":"order.create"})");
  CHECK(std::get<venue::WsOrderReply>(*restarting).outcome.error().code == ErrorCode::unknown_outcome);

  // Bad input: nothing to send, nothing in flight.
  venue::NewOrder zero = cts_test::bybit_eth_post_only();
  zero.quantity = "0"_d;
  CHECK(protocol->create_order(zero, "o-4", kVenueNow).error().code == ErrorCode::invalid_argument);
  CHECK(protocol->create_order(cts_test::bybit_eth_post_only(), std::string(37, 'x'), kVenueNow).error().code ==
        ErrorCode::invalid_argument);
  CHECK(protocol->create_order(cts_test::bybit_eth_post_only(), "", kVenueNow).error().code == ErrorCode::invalid_argument);
  REQUIRE(protocol->create_order(cts_test::bybit_eth_post_only(), "o-5", kVenueNow).has_value());
  CHECK(protocol->create_order(cts_test::bybit_eth_post_only(), "o-5", kVenueNow).error().code == ErrorCode::invalid_argument);

  // A reply to a request of the previous connection is not answered on this one.
  protocol->on_connected();
  const auto stale = protocol->on_message(
      R"({"reqId":"o-5","retCode":0,"retMsg":"OK","op":"order.create","data":{"orderId":"1","orderLinkId":"ws-1"}})");
  REQUIRE(stale.has_value());
  CHECK(std::holds_alternative<venue::WsOrderIgnored>(*stale));

  for (const char* bad : {"not json", R"({"retCode":0})",
                          R"({"retCode":10001,"retMsg":"Params Error","op":"order.create"})"}) {
    INFO(bad);
    const auto r = protocol->on_message(bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::protocol_error);
  }
}

TEST_CASE("bybit ws orders: after a login, reqIds carry its tag; replies are matched back to the caller's id") {
  auto protocol = linear();
  REQUIRE(protocol->login(kVenueNow).has_value());
  REQUIRE(std::holds_alternative<venue::WsOrderLoggedIn>(
      protocol->on_message(bybit_fixture_text("ws_trade_auth_reply.json")).value()));
  // The tag: 1711001595207 ms in hexadecimal (Python: format(1711001595207, "x")).
  const auto request = protocol->create_order(cts_test::bybit_eth_post_only(), "1", kVenueNow);
  REQUIRE(request.has_value());
  CHECK(request->id == "1");
  CHECK(request->frame.starts_with(R"({"reqId":"18e5fa46d47-1","header":)"));
  // Without the tag (another session's reqId) a reply answers nothing.
  const auto foreign = protocol->on_message(
      R"({"reqId":"1","retCode":0,"retMsg":"OK","op":"order.create","data":{"orderId":"9","orderLinkId":"ws-1"}})");
  CHECK(std::holds_alternative<venue::WsOrderIgnored>(foreign.value()));
  const auto event = protocol->on_message(
      R"({"reqId":"18e5fa46d47-1","retCode":0,"retMsg":"OK","op":"order.create","data":{"orderId":"9","orderLinkId":"ws-1"}})");
  REQUIRE(event.has_value());
  const auto& reply = std::get<venue::WsOrderReply>(*event);
  CHECK(reply.id == "1");
  CHECK(reply.outcome->order_id == "9");
  // 12 characters of tag leave 24 for the caller's id.
  CHECK(protocol->create_order(cts_test::bybit_eth_post_only(), std::string(24, 'a'), kVenueNow).has_value());
  CHECK(protocol->create_order(cts_test::bybit_eth_post_only(), std::string(25, 'b'), kVenueNow).error().code ==
        ErrorCode::invalid_argument);
}

TEST_CASE("bybit ws orders: the private stream's auth reply says the URL is not the trade stream") {
  // wss-authentication.mdx's reply on /v5/private: {"success":true,"ret_msg":"","op":"auth",...}.
  auto protocol = linear();
  REQUIRE(protocol->login(kVenueNow).has_value());
  const auto wrong_url = protocol->on_message(bybit_fixture_text("ws_auth_reply.json"));
  REQUIRE_FALSE(wrong_url.has_value());
  CHECK(wrong_url.error().code == ErrorCode::unsupported);
  CHECK(wrong_url.error().message.find("/v5/trade") != std::string::npos);
}

TEST_CASE("bybit ws orders: requests never answered are forgotten after kMaxTracked newer ones") {
  auto protocol = linear();
  const venue::OrderRef ref{"ETHUSDT", std::string("1755"), ""};
  for (std::size_t i = 0; i <= bybit::TradeStreamOrders::kMaxTracked; ++i) {
    REQUIRE(protocol->cancel_order(ref, fmt::format("c{}", i), kVenueNow).has_value());
  }
  // c0 is the 65th newest: forgotten; c1 is still answered.
  const auto forgotten = protocol->on_message(
      R"({"reqId":"c0","retCode":0,"retMsg":"OK","op":"order.cancel","data":{"orderId":"1755","orderLinkId":""}})");
  CHECK(std::holds_alternative<venue::WsOrderIgnored>(forgotten.value()));
  const auto kept = protocol->on_message(
      R"({"reqId":"c1","retCode":0,"retMsg":"OK","op":"order.cancel","data":{"orderId":"1755","orderLinkId":""}})");
  CHECK(std::get<venue::WsOrderReply>(kept.value()).id == "c1");
  // The forgotten id may be used again.
  CHECK(protocol->cancel_order(ref, "c0", kVenueNow).has_value());
}
