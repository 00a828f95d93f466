// Tests for cts/venue/binance/ws_api.hpp and spot_ws_orders.hpp: the frames of Binance
// spot's WebSocket API (the documented HMAC example of web-socket-api.md "SIGNED request
// example (HMAC)" reproduced to its signature; the other signatures computed
// independently with Python's hmac / `openssl pkeyutl`), typed errors for bad input,
// every reply example of the request pages (tests/fixtures/binance/spot_wsapi_*.json)
// read with the values printed in them, and the WsOrderProtocol adapter for HMAC keys
// (each request signed) and Ed25519 keys (session.logon, then timestamp only).
#include <cts/venue/binance/ws_api.hpp>

#include <string>
#include <variant>
#include <vector>

#include <doctest/doctest.h>

#include <cts/sign/ed25519.hpp>
#include <cts/venue/binance/spot_streams.hpp>
#include <cts/venue/binance/spot_ws_orders.hpp>
#include <cts/venue/registry.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::OrderStatus;
using cts::OrderType;
using cts::Side;
using cts::TimeInForce;
using cts::venue::NewOrder;
using cts::venue::OrderRef;
using cts_test::binance_fixture_text;
namespace ws_api = cts::venue::binance::ws_api;
using namespace cts::literals;

namespace {

// The example key and secret of web-socket-api.md "SIGNED request example (HMAC)".
constexpr std::string_view kApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr std::string_view kSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
// RFC 8032 TEST 1 as PKCS#8 (Binance publishes no Ed25519 private key).
constexpr std::string_view kEd25519Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kRequestId = "4885f793-e5ad-4c3b-8f6c-55d891472b71";

cts::SystemTime at_millis(std::int64_t ms) { return cts::from_unix_millis(ms); }

cts::sign::BinanceHmacSigner hmac_signer() {
  return cts::sign::BinanceHmacSigner(cts::VenueId::binance_spot, std::string(kApiKey), cts::sign::Secret(kSecret), 100);
}

cts::sign::BinanceEd25519Signer ed25519_signer() {
  return cts::sign::BinanceEd25519Signer(cts::VenueId::binance_spot, "ed-key",
                                         cts::sign::Ed25519Key::from_pem(kEd25519Pem).value(), 100);
}

NewOrder limit_sell() {
  NewOrder order;
  order.symbol = "BTCUSDT";
  order.side = Side::sell;
  order.type = OrderType::limit;
  order.time_in_force = TimeInForce::gtc;
  order.quantity = "0.01"_d;
  order.price = "52000"_d;
  order.client_order_id = "cts-1";
  return order;
}

ws_api::Reply reply_of(std::string_view fixture) {
  auto reply = ws_api::parse_reply(binance_fixture_text(fixture));
  REQUIRE(reply);
  return std::move(*reply);
}

}  // namespace

TEST_CASE("the documented HMAC order.place example is reproduced to its signature") {
  ws_api::Call call{"order.place",
                    {{"symbol", "BTCUSDT"},
                     {"side", "SELL"},
                     {"type", "LIMIT"},
                     {"timeInForce", "GTC"},
                     {"quantity", "0.01000000"},
                     {"price", "52000.00"}},
                    "POST /api/v3/order",
                    1,
                    1,
                    cts::venue::Operation::mutation};
  const auto frame = ws_api::signed_frame(kRequestId, call, hmac_signer(), at_millis(1645423376532));
  REQUIRE(frame);
  // The doc's Step 3 request with its params sorted by name (their order is not
  // significant) and the signature it prints.
  CHECK(*frame ==
        R"({"id":"4885f793-e5ad-4c3b-8f6c-55d891472b71","method":"order.place","params":{"apiKey":"vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A","price":"52000.00","quantity":"0.01000000","recvWindow":100,"side":"SELL","symbol":"BTCUSDT","timeInForce":"GTC","timestamp":1645423376532,"type":"LIMIT","signature":"aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"}})");
}

TEST_CASE("order.place carries the REST builder's parameters, signed over them sorted") {
  auto call = ws_api::place_order(limit_sell());
  REQUIRE(call);
  CHECK(call->method == "order.place");
  CHECK(call->rate_endpoint == "POST /api/v3/order");
  CHECK(call->weight == 1);
  CHECK(call->order_count == 1);
  CHECK(call->operation == cts::venue::Operation::mutation);
  const auto frame = ws_api::signed_frame("req-1", std::move(*call), hmac_signer(), at_millis(1645423376532));
  REQUIRE(frame);
  // Python: hmac.new(secret, b"apiKey=...&newClientOrderId=cts-1&newOrderRespType=FULL&
  // price=52000&quantity=0.01&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&
  // timestamp=1645423376532&type=LIMIT", sha256).hexdigest()
  CHECK(*frame ==
        R"({"id":"req-1","method":"order.place","params":{"apiKey":"vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A","newClientOrderId":"cts-1","newOrderRespType":"FULL","price":"52000","quantity":"0.01","recvWindow":100,"side":"SELL","symbol":"BTCUSDT","timeInForce":"GTC","timestamp":1645423376532,"type":"LIMIT","signature":"c32f05174e306d9ace7d66d8cc03a610ca9988dc0c5573db05d2b78a73a28d31"}})");
}

TEST_CASE("order.cancel, order.status and openOrders.status name the order as REST does") {
  OrderRef by_client{"BTCUSDT", std::nullopt, "cts-1"};
  auto cancel = ws_api::cancel_order(by_client);
  REQUIRE(cancel);
  CHECK(cancel->rate_endpoint == "DELETE /api/v3/order");
  CHECK(cancel->order_count == 0);
  const auto frame = ws_api::signed_frame("req-2", std::move(*cancel), hmac_signer(), at_millis(1645423376532));
  REQUIRE(frame);
  // Python hmac over "apiKey=...&origClientOrderId=cts-1&recvWindow=100&symbol=BTCUSDT&timestamp=1645423376532".
  CHECK(*frame ==
        R"({"id":"req-2","method":"order.cancel","params":{"apiKey":"vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A","origClientOrderId":"cts-1","recvWindow":100,"symbol":"BTCUSDT","timestamp":1645423376532,"signature":"51e6e258f9543aac286458673311112b686d28b14bac85191c1e88023cb61ceb"}})");

  auto status = ws_api::order_status(OrderRef{"BTCUSDT", std::string("12569099453"), "cts-1"});
  REQUIRE(status);
  CHECK(status->weight == 4);
  CHECK(status->operation == cts::venue::Operation::read);
  CHECK(ws_api::frame("s", *status) ==
        R"({"id":"s","method":"order.status","params":{"symbol":"BTCUSDT","orderId":12569099453}})");

  const auto open = ws_api::open_orders_status("BTCUSDT");
  CHECK(open.weight == 6);
  CHECK(ws_api::frame("o", open) == R"({"id":"o","method":"openOrders.status","params":{"symbol":"BTCUSDT"}})");
  const auto all = ws_api::open_orders_status();
  CHECK(all.weight == 80);
  CHECK(ws_api::frame("o", all) == R"({"id":"o","method":"openOrders.status"})");
}

TEST_CASE("order.cancelReplace: symbol, mode, the cancelled order, then the new order") {
  auto call = ws_api::cancel_replace(OrderRef{"BTCUSDT", std::nullopt, "old-1"}, limit_sell(),
                                     ws_api::CancelReplaceMode::allow_failure);
  REQUIRE(call);
  CHECK(call->rate_endpoint == "POST /api/v3/order/cancelReplace");
  CHECK(call->order_count == 1);
  CHECK(ws_api::frame("r", *call) ==
        R"({"id":"r","method":"order.cancelReplace","params":{"symbol":"BTCUSDT","cancelReplaceMode":"ALLOW_FAILURE","cancelOrigClientOrderId":"old-1","side":"SELL","type":"LIMIT","timeInForce":"GTC","quantity":"0.01","price":"52000","newClientOrderId":"cts-1","newOrderRespType":"FULL"}})");
  auto by_id = ws_api::cancel_replace(OrderRef{"BTCUSDT", std::string("42"), ""}, limit_sell());
  REQUIRE(by_id);
  CHECK(ws_api::frame("r", *by_id).find(R"("cancelReplaceMode":"STOP_ON_FAILURE","cancelOrderId":42,)") !=
        std::string::npos);

  NewOrder elsewhere = limit_sell();
  elsewhere.symbol = "ETHUSDT";
  CHECK(ws_api::cancel_replace(OrderRef{"BTCUSDT", std::nullopt, "old-1"}, elsewhere).error().code ==
        ErrorCode::invalid_argument);
}

TEST_CASE("bad input is a typed error and nothing to send") {
  NewOrder no_price = limit_sell();
  no_price.price.reset();
  CHECK(ws_api::place_order(no_price).error().code == ErrorCode::invalid_argument);
  CHECK(ws_api::cancel_order(OrderRef{"BTCUSDT", std::nullopt, ""}).error().code == ErrorCode::invalid_argument);
  CHECK(ws_api::cancel_order(OrderRef{"BTCUSDT", std::string("12a"), ""}).error().code == ErrorCode::invalid_argument);
  auto call = ws_api::place_order(limit_sell());
  REQUIRE(call);
  CHECK(ws_api::signed_frame("", *call, hmac_signer(), at_millis(1)).error().code == ErrorCode::invalid_argument);
  CHECK(ws_api::signed_frame(std::string(37, 'a'), *call, hmac_signer(), at_millis(1)).error().code ==
        ErrorCode::invalid_argument);
  CHECK(ws_api::signed_frame("quote\"", *call, hmac_signer(), at_millis(1)).error().code == ErrorCode::invalid_argument);
  CHECK(ws_api::session_status("a b").error().code == ErrorCode::invalid_argument);
  CHECK(ws_api::check_request_id("4885f793-e5ad-4c3b-8f6c-55d891472b71"));
}

TEST_CASE("session requests: logon signed with Ed25519, then timestamp alone") {
  const auto signer = ed25519_signer();
  const auto logon = ws_api::session_logon("logon-1", signer, at_millis(1649729878532));
  REQUIRE(logon);
  // openssl pkeyutl -sign -rawin over "apiKey=ed-key&recvWindow=100&timestamp=1649729878532", base64.
  CHECK(*logon ==
        R"({"id":"logon-1","method":"session.logon","params":{"apiKey":"ed-key","recvWindow":100,"timestamp":1649729878532,"signature":"qxK7uiigia/XMbnUjuY8o6cIWjyYxELKUfUIf4cDq7YaARiSsM0yRcRXbpBWp0gOMPKUGlkPUiMzJLev8nhaDw=="}})");
  CHECK(ws_api::session_status("st").value() == R"({"id":"st","method":"session.status"})");
  CHECK(ws_api::session_logout("lo").value() == R"({"id":"lo","method":"session.logout"})");
  CHECK(ws_api::user_data_subscribe("u").value() == R"({"id":"u","method":"userDataStream.subscribe"})");
  auto call = ws_api::cancel_order(OrderRef{"BTCUSDT", std::string("7"), ""});
  REQUIRE(call);
  CHECK(ws_api::session_frame("c", std::move(*call), at_millis(1649729878532), 100).value() ==
        R"({"id":"c","method":"order.cancel","params":{"symbol":"BTCUSDT","orderId":7,"timestamp":1649729878532,"recvWindow":100}})");
}

TEST_CASE("order replies read as the REST parsers read the same bodies") {
  const auto full = reply_of("spot_wsapi_order_place_full.json");
  CHECK(full.id == "56374a46-3061-486b-a311-99ee972eb648");
  CHECK(full.status == 200);
  const auto placed = ws_api::order_outcome(full, cts::venue::Operation::mutation);
  REQUIRE(placed);
  CHECK(placed->order_id == "12569099453");
  CHECK(placed->client_order_id == "4d96324ff9d44481926157ec08158a40");
  CHECK(placed->status == OrderStatus::filled);
  CHECK(placed->side == Side::sell);
  CHECK(placed->quantity == "0.00847"_d);
  CHECK(placed->executed_quantity == "0.00847"_d);
  CHECK(placed->cumulative_quote == "198.335215"_d);
  REQUIRE(placed->fills.size() == 2);
  CHECK(placed->fills[1].price == "23416.5"_d);
  CHECK(placed->fills[1].quantity == "0.00212"_d);
  CHECK(placed->fills[1].trade_id == "1650422482");
  REQUIRE(full.rate_limits.size() == 3);
  CHECK(full.rate_limits[0].type == "ORDERS");
  CHECK(full.rate_limits[0].interval == "SECOND");
  CHECK(full.rate_limits[0].interval_num == 10);
  CHECK(full.rate_limits[0].limit == 50);
  CHECK(full.rate_limits[0].count == 1);

  const auto result = ws_api::order_outcome(reply_of("spot_wsapi_order_place_result.json"), cts::venue::Operation::mutation);
  REQUIRE(result);
  CHECK(result->status == OrderStatus::new_);
  CHECK(result->price == "23416.1"_d);

  const auto cancelled = ws_api::order_outcome(reply_of("spot_wsapi_order_cancel.json"), cts::venue::Operation::mutation);
  REQUIRE(cancelled);
  CHECK(cancelled->status == OrderStatus::canceled);
  CHECK(cancelled->client_order_id == "4d96324ff9d44481926157");  // origClientOrderId: the cancelled order's id
  CHECK(cancelled->executed_quantity == "0.00001"_d);

  const auto status = ws_api::order_outcome(reply_of("spot_wsapi_order_status.json"), cts::venue::Operation::read);
  REQUIRE(status);
  CHECK(status->status == OrderStatus::filled);
  CHECK(status->time_ms == 1660801717945);

  const auto open = ws_api::orders_outcome(reply_of("spot_wsapi_open_orders_status.json"));
  REQUIRE(open);
  REQUIRE(open->size() == 1);
  CHECK(open->front().status == OrderStatus::partially_filled);
  CHECK(open->front().executed_quantity == "0.0072"_d);

  // The ACK body lacks the order's state: the FULL-only parser refuses it, as for REST.
  CHECK(ws_api::order_outcome(reply_of("spot_wsapi_order_place_ack.json"), cts::venue::Operation::mutation).error().code ==
        ErrorCode::protocol_error);
}

TEST_CASE("refusals map as the REST statuses and codes do, the raw code kept") {
  const auto balance = ws_api::order_outcome(reply_of("spot_wsapi_error_insufficient_balance.json"),
                                             cts::venue::Operation::mutation);
  REQUIRE(!balance);
  CHECK(balance.error().code == ErrorCode::insufficient_funds);
  CHECK(balance.error().venue_code == "-2010");

  const auto banned_reply = reply_of("spot_wsapi_error_banned.json");
  CHECK(banned_reply.status == 418);
  const auto banned = ws_api::order_outcome(banned_reply, cts::venue::Operation::mutation);
  CHECK(banned.error().code == ErrorCode::rate_limited);
  CHECK(banned.error().venue_code == "-1003");

  const auto revoked = reply_of("spot_wsapi_session_revoked.json");
  CHECK(revoked.id.empty());
  CHECK(ws_api::reply_error(revoked, cts::venue::Operation::read).code == ErrorCode::auth_failed);

  const auto unknown = ws_api::parse_reply(
      R"({"id":"x","status":400,"error":{"code":-2011,"msg":"Unknown order sent."}})").value();
  CHECK(ws_api::order_outcome(unknown, cts::venue::Operation::mutation).error().code == ErrorCode::order_not_found);
  const auto signature = ws_api::parse_reply(
      R"({"id":7,"status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}})").value();
  CHECK(signature.id == "7");
  CHECK(ws_api::order_outcome(signature, cts::venue::Operation::mutation).error().code == ErrorCode::invalid_signature);
  const auto busy = ws_api::parse_reply(
      R"({"id":"b","status":503,"error":{"code":-1007,"msg":"Timeout waiting for response from backend server. Send status unknown; execution status unknown."}})").value();
  CHECK(ws_api::order_outcome(busy, cts::venue::Operation::mutation).error().code == ErrorCode::unknown_outcome);
  const auto too_many = ws_api::parse_reply(
      R"({"id":"t","status":429,"error":{"code":-1015,"msg":"Too many new orders; current limit is 50 orders per 10 SECOND."}})").value();
  CHECK(ws_api::order_outcome(too_many, cts::venue::Operation::mutation).error().code == ErrorCode::rate_limited);
}

TEST_CASE("cancel-replace outcomes: both halves, each with its own result") {
  const auto both = ws_api::cancel_replace_outcome(reply_of("spot_wsapi_cancel_replace.json"));
  REQUIRE(both);
  REQUIRE(both->cancel);
  CHECK(both->cancel->status == OrderStatus::canceled);
  CHECK(both->cancel->order_id == "125690984230");
  REQUIRE(both->placed);
  REQUIRE(*both->placed);
  CHECK((*both->placed)->order_id == "12569099453");
  CHECK((*both->placed)->status == OrderStatus::new_);

  const auto stopped = ws_api::cancel_replace_outcome(reply_of("spot_wsapi_cancel_replace_stop_on_failure.json"));
  REQUIRE(stopped);
  CHECK(stopped->cancel.error().code == ErrorCode::order_not_found);
  CHECK(stopped->cancel.error().venue_code == "-2011");
  CHECK(!stopped->placed);  // NOT_ATTEMPTED

  const auto new_failed = ws_api::cancel_replace_outcome(reply_of("spot_wsapi_cancel_replace_new_order_failed.json"));
  REQUIRE(new_failed);
  CHECK(new_failed->cancel);
  REQUIRE(new_failed->placed);
  CHECK(new_failed->placed->error().venue_code == "-2010");

  const auto cancel_failed = ws_api::cancel_replace_outcome(reply_of("spot_wsapi_cancel_replace_cancel_failed.json"));
  REQUIRE(cancel_failed);
  CHECK(!cancel_failed->cancel);
  REQUIRE(cancel_failed->placed);
  CHECK((*cancel_failed->placed)->status == OrderStatus::new_);

  const auto both_failed = ws_api::cancel_replace_outcome(reply_of("spot_wsapi_cancel_replace_both_failed.json"));
  REQUIRE(both_failed);
  CHECK(!both_failed->cancel);
  REQUIRE(both_failed->placed);
  CHECK(!*both_failed->placed);

  const auto limited = ws_api::cancel_replace_outcome(reply_of("spot_wsapi_cancel_replace_too_many_orders.json"));
  REQUIRE(!limited);
  CHECK(limited.error().code == ErrorCode::rate_limited);
  CHECK(limited.error().venue_code == "-1015");
}

TEST_CASE("session replies and rateLimits as the REST usage headers") {
  const auto logon = ws_api::session_outcome(reply_of("spot_wsapi_session_logon.json"));
  REQUIRE(logon);
  CHECK(logon->api_key == std::string(kApiKey));
  CHECK(logon->authorized_since == 1649729878532);
  CHECK(logon->connected_since == 1649729873021);
  CHECK(logon->user_data_stream == false);
  const auto status = ws_api::session_outcome(reply_of("spot_wsapi_session_status.json"));
  REQUIRE(status);
  CHECK(status->user_data_stream == true);
  const auto logout = ws_api::session_outcome(reply_of("spot_wsapi_session_logout.json"));
  REQUIRE(logout);
  CHECK(!logout->api_key);
  CHECK(!logout->authorized_since);

  cts::HttpResponse headers;
  CHECK(ws_api::usage_headers(reply_of("spot_wsapi_order_place_full.json"), headers) == 3);
  CHECK(headers.header("X-MBX-ORDER-COUNT-10S") == "1");
  CHECK(headers.header("X-MBX-ORDER-COUNT-1D") == "1");
  CHECK(headers.header("X-MBX-USED-WEIGHT-1M") == "1");

  const auto event = ws_api::parse_reply(binance_fixture_text("spot_ws_execution_report.json"));
  REQUIRE(event);
  CHECK(event->event);
  CHECK(ws_api::parse_reply("{\"id\":\"x\"}").error().code == ErrorCode::protocol_error);
  CHECK(ws_api::parse_reply("{\"id\":\"x\",\"status\":200").error().code == ErrorCode::protocol_error);
  CHECK(ws_api::parse_reply("[]").error().code == ErrorCode::protocol_error);
}

TEST_CASE("the adapter signs each request with an HMAC key and needs no login") {
  const auto signer = hmac_signer();
  cts::venue::binance::SpotWsOrders orders(signer);
  orders.on_connected();
  CHECK(orders.login(at_millis(1645423376532)).value().empty());
  CHECK(!orders.awaiting_login());
  auto request = orders.create_order(limit_sell(), "req-1", at_millis(1645423376532));
  REQUIRE(request);
  CHECK(request->id == "req-1");
  CHECK(request->rate_endpoint == "POST /api/v3/order");
  CHECK(request->cost_times == 1);
  CHECK(request->frame.find("c32f05174e306d9ace7d66d8cc03a610ca9988dc0c5573db05d2b78a73a28d31") != std::string::npos);
  auto cancel = orders.cancel_order(OrderRef{"BTCUSDT", std::nullopt, "cts-1"}, "req-2", at_millis(1645423376532));
  REQUIRE(cancel);
  CHECK(cancel->rate_endpoint == "DELETE /api/v3/order");
  CHECK(orders.create_order(limit_sell(), "bad id", at_millis(1)).error().code == ErrorCode::invalid_argument);

  auto placed = orders.on_message(binance_fixture_text("spot_wsapi_order_place_full.json"));
  REQUIRE(placed);
  const auto* reply = std::get_if<cts::venue::WsOrderReply>(&*placed);
  REQUIRE(reply != nullptr);
  CHECK(reply->id == "56374a46-3061-486b-a311-99ee972eb648");
  REQUIRE(reply->outcome);
  CHECK(reply->outcome->status == OrderStatus::filled);
  // The reply's rateLimits, as the REST usage headers the limiter resyncs from.
  REQUIRE(reply->usage);
  CHECK(reply->usage->status == 200);
  CHECK(reply->usage->header("X-MBX-ORDER-COUNT-10S") == "1");
  CHECK(reply->usage->header("X-MBX-USED-WEIGHT-1M") == "1");
  auto banned = orders.on_message(binance_fixture_text("spot_wsapi_error_banned.json"));
  REQUIRE(banned);
  const auto& ban = std::get<cts::venue::WsOrderReply>(*banned);
  CHECK(!ban.outcome);
  REQUIRE(ban.usage);
  CHECK(ban.usage->status == 418);
  CHECK(ban.usage->header("X-MBX-USED-WEIGHT-1M") == "2411");
  auto refused = orders.on_message(binance_fixture_text("spot_wsapi_error_insufficient_balance.json"));
  REQUIRE(refused);
  CHECK(std::get<cts::venue::WsOrderReply>(*refused).outcome.error().code == ErrorCode::insufficient_funds);
  auto event = orders.on_message(binance_fixture_text("spot_ws_execution_report.json"));
  REQUIRE(event);
  CHECK(std::holds_alternative<cts::venue::WsOrderIgnored>(*event));
  CHECK(orders.on_message(binance_fixture_text("spot_wsapi_session_revoked.json")).error().code == ErrorCode::auth_failed);
  CHECK(orders.on_message("not json").error().code == ErrorCode::protocol_error);
}

TEST_CASE("the adapter logs an Ed25519 key on, then sends timestamps alone") {
  const auto signer = ed25519_signer();
  cts::venue::binance::SpotWsOrders orders(signer, "logon");
  orders.on_connected();
  const auto frames = orders.login(at_millis(1649729878532));
  REQUIRE(frames);
  REQUIRE(frames->size() == 1);
  CHECK(frames->front().find(R"({"id":"logon-1","method":"session.logon",)") == 0);
  CHECK(orders.awaiting_login());
  // Before the logon is accepted a request is signed on its own with the Ed25519 key.
  auto early = orders.create_order(limit_sell(), "e", at_millis(1649729878532));
  REQUIRE(early);
  CHECK(early->frame.find(R"("apiKey":"ed-key")") != std::string::npos);
  CHECK(early->frame.find(R"("signature":")") != std::string::npos);

  const auto accepted = orders.on_message(
      R"({"id":"logon-1","status":200,"result":{"apiKey":"ed-key","authorizedSince":1,"connectedSince":1,"returnRateLimits":false,"serverTime":1,"userDataStream":false}})");
  REQUIRE(accepted);
  CHECK(std::holds_alternative<cts::venue::WsOrderLoggedIn>(*accepted));
  CHECK(!orders.awaiting_login());
  auto request = orders.cancel_order(OrderRef{"BTCUSDT", std::string("7"), ""}, "c", at_millis(1649729878532));
  REQUIRE(request);
  CHECK(request->frame ==
        R"({"id":"c","method":"order.cancel","params":{"symbol":"BTCUSDT","orderId":7,"timestamp":1649729878532,"recvWindow":100}})");

  orders.on_connected();  // a new connection forgets the session
  CHECK(orders.cancel_order(OrderRef{"BTCUSDT", std::string("7"), ""}, "c", at_millis(1))->frame.find("signature") !=
        std::string::npos);
  const auto again = orders.login(at_millis(1));
  REQUIRE(again);
  CHECK(again->front().find(R"("id":"logon-2")") != std::string::npos);
  const auto refused = orders.on_message(
      R"({"id":"logon-2","status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}})");
  REQUIRE(!refused);
  CHECK(refused.error().code == ErrorCode::invalid_signature);
  CHECK(!orders.awaiting_login());
}

TEST_CASE("the registry makes Binance spot's WebSocket order entry for HMAC and Ed25519 keys") {
  const auto* connector = cts::venue::find_connector(cts::VenueId::binance_spot).value();
  const bool has_ws_orders = connector->make_ws_orders != nullptr;
  REQUIRE(has_ws_orders);
  const auto hmac = hmac_signer();
  const auto ed = ed25519_signer();
  struct NoSender final : cts::venue::RequestSender {
    cts::Result<cts::HttpResponse> execute(const cts::venue::Request&) override {
      return cts::make_error(ErrorCode::internal, "no I/O in this test");
    }
  } sender;
  auto gateway = connector->make_gateway(sender, {});
  CHECK(connector->make_ws_orders(hmac, *gateway, {}).has_value());
  CHECK(connector->make_ws_orders(ed, *gateway, {}).has_value());
  const auto* usdm = cts::venue::find_connector(cts::VenueId::binance_usdm).value();
  const bool usdm_has_ws_orders = usdm->make_ws_orders != nullptr;
  CHECK(!usdm_has_ws_orders);
}

TEST_CASE("the spot user data stream with an Ed25519 key: session.logon, then userDataStream.subscribe") {
  const auto signer = ed25519_signer();
  cts::venue::binance::SpotUserStream user(signer, "uds");
  const auto frames = user.subscriptions(at_millis(1649729878532));
  REQUIRE(frames);
  REQUIRE(frames->size() == 1);
  CHECK(frames->front() == ws_api::session_logon("uds-logon", signer, at_millis(1649729878532)).value());
  CHECK(user.after_authentication() == std::vector<std::string>{R"({"id":"uds-subscribe","method":"userDataStream.subscribe"})"});
  const auto accepted = user.on_message(
      R"({"id":"uds-logon","status":200,"result":{"apiKey":"ed-key","authorizedSince":1,"connectedSince":1,"returnRateLimits":false,"serverTime":1,"userDataStream":false}})");
  REQUIRE(accepted);
  REQUIRE(accepted->size() == 1);
  CHECK(std::holds_alternative<cts::venue::UserAuthenticated>(accepted->front()));
  const auto subscribed = user.on_message(binance_fixture_text("spot_wsapi_user_data_subscribe.json"));
  REQUIRE(subscribed);
  REQUIRE(subscribed->size() == 1);
  CHECK(std::get<cts::venue::UserSubscribed>(subscribed->front()).subscription_id == 0);
  const auto refused = user.on_message(
      R"({"id":"uds-logon","status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}})");
  REQUIRE(!refused);
  CHECK(refused.error().code == ErrorCode::invalid_signature);
  // The HMAC stream sends no logon and nothing after it.
  const auto hmac = hmac_signer();
  cts::venue::binance::SpotUserStream hmac_user(hmac);
  CHECK(hmac_user.after_authentication().empty());
  CHECK(cts::venue::binance::SpotUserStream::make(signer));
}
