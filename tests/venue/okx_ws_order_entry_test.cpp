// Tests for cts/venue/okx/ws_order_entry.hpp: OKX's venue::WsOrderProtocol on the
// documented frames. The instIdCode comes from the instruments fixture read through a
// V5Gateway (tests/fixtures/okx/instruments_swap.json: BTC-USDT-SWAP is 10459); the
// replies are the "WS / Place order" and "WS / Cancel order" examples
// (tests/fixtures/okx/ws_order*.json, ws_cancel_order.json) and the login answers of
// OKX's "Login" page (ws_login.json, ws_error_login.json). The login signature was
// computed independently with Python:
//   base64(hmac_sha256(b"okx-route-secret", b"1538054050GET/users/self/verify"))
#include <cts/venue/okx/ws_order_entry.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <doctest/doctest.h>

#include <cts/sign/bybit.hpp>
#include <cts/venue/registry.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts::Side;
using cts::venue::NewOrder;
using cts::venue::OrderRef;
using cts::venue::OrderStatus;
using cts::venue::WsOrderEvent;
using cts::venue::WsOrderReply;
using cts_test::okx_fixture;
using cts_test::okx_fixture_text;
namespace okx = cts::venue::okx;
using namespace cts::literals;

namespace {

/// 1538054050.123 s on OKX's clock.
const cts::SystemTime kVenueNow{std::chrono::milliseconds{1'538'054'050'123}};

/// A SWAP gateway that has read the instruments fixture (BTC-USDT-SWAP: 10459).
struct SwapSetup {
  cts_test::ScriptedSender sender;
  okx::V5Gateway gateway{sender, okx::InstType::swap};
  cts::sign::OkxSigner signer{"okx-route-key", cts::sign::Secret("okx-route-secret"),
                              cts::sign::Secret("route-passphrase")};
  okx::WsOrderEntry entry{signer, gateway};

  void read_instrument() {
    sender.then(okx_fixture("instruments_swap.json"));
    REQUIRE(gateway.instrument("BTC-USDT-SWAP"));
  }
};

/// The request tests' limit buy (okx_limit_buy: clOrdId cts1a2b3 at 25000.5) as 2
/// contracts of BTC-USDT-SWAP.
NewOrder swap_buy() {
  NewOrder order = cts_test::okx_limit_buy();
  order.symbol = "BTC-USDT-SWAP";
  order.quantity = "2"_d;
  return order;
}

WsOrderReply reply_in(const cts::Result<WsOrderEvent>& event) {
  REQUIRE(event);
  REQUIRE(std::holds_alternative<WsOrderReply>(*event));
  return std::get<WsOrderReply>(*event);
}

}  // namespace

TEST_CASE("okx ws order entry: the login is the private stream's signed login op, answered by the login event") {
  SwapSetup s;
  CHECK(s.entry.application_ping() == "ping");
  CHECK_FALSE(s.entry.awaiting_login());
  s.entry.on_connected();
  const std::vector<std::string> frames = s.entry.login(kVenueNow).value();
  REQUIRE(frames.size() == 1);
  CHECK(frames.front() ==
        R"({"op":"login","args":[{"apiKey":"okx-route-key","passphrase":"route-passphrase","timestamp":"1538054050",)"
        R"("sign":"P1gfsgSY5d+0ZeDoyMde3mXiMkTTw0czlrJq4CGJHYY="}]})");
  CHECK(s.entry.awaiting_login());
  const auto accepted = s.entry.on_message(okx_fixture_text("ws_login.json"));
  REQUIRE(accepted);
  CHECK(std::holds_alternative<cts::venue::WsOrderLoggedIn>(*accepted));
  CHECK_FALSE(s.entry.awaiting_login());

  // A new connection logs in again; OKX's refusal is a credential error with its code.
  s.entry.on_connected();
  REQUIRE(s.entry.login(kVenueNow));
  const auto refused = s.entry.on_message(okx_fixture_text("ws_error_login.json"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::auth_failed);
  CHECK(refused.error().venue_code == "60009");
  CHECK(s.entry.awaiting_login());

  // pong and notices change nothing.
  CHECK(std::holds_alternative<cts::venue::WsOrderIgnored>(s.entry.on_message("pong").value()));
  CHECK(std::holds_alternative<cts::venue::WsOrderIgnored>(
      s.entry.on_message(R"({"event":"notice","code":"64008","msg":"The connection will soon be closed","connId":"a"})")
          .value()));
  CHECK(s.entry.on_message("not json").error().code == ErrorCode::protocol_error);
}

TEST_CASE("okx ws order entry: orders name the instIdCode the gateway read, charged to the REST endpoints' quota") {
  SwapSetup s;
  // Before the gateway has read the instrument, no code is known: REST carries the order.
  const auto unknown = s.entry.create_order(swap_buy(), "1512", kVenueNow);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ErrorCode::unsupported);
  CHECK(unknown.error().message.find("BTC-USDT-SWAP") != std::string::npos);
  CHECK(s.entry.cancel_order(OrderRef{"BTC-USDT-SWAP", std::string("1"), {}}, "1514", kVenueNow).error().code ==
        ErrorCode::unsupported);

  s.read_instrument();
  CHECK(s.gateway.inst_id_codes().find("BTC-USDT-SWAP") == 10459);
  const cts::venue::WsOrderRequest create = s.entry.create_order(swap_buy(), "1512", kVenueNow).value();
  CHECK(create.id == "1512");
  CHECK(create.frame ==
        R"({"id":"1512","op":"order","args":[{"instIdCode":10459,"tdMode":"cross","clOrdId":"cts1a2b3","side":"buy",)"
        R"("ordType":"limit","sz":"2","px":"25000.5"}]})");
  CHECK(create.rate_endpoint == "POST /api/v5/trade/order");
  CHECK(create.cost_times == 1);

  const cts::venue::WsOrderRequest cancel =
      s.entry.cancel_order(OrderRef{"BTC-USDT-SWAP", std::string("2510789768709120"), {}}, "1514", kVenueNow).value();
  CHECK(cancel.frame ==
        R"({"id":"1514","op":"cancel-order","args":[{"instIdCode":10459,"ordId":"2510789768709120"}]})");
  CHECK(cancel.rate_endpoint == "POST /api/v5/trade/cancel-order");

  // The builders' own checks stand: a bad request id is refused, nothing built.
  CHECK(s.entry.create_order(swap_buy(), "no-dash", kVenueNow).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("okx ws order entry: replies map as the REST gateway's, correlated by id") {
  SwapSetup s;
  s.read_instrument();
  REQUIRE(s.entry.create_order(swap_buy(), "1512", kVenueNow));
  const WsOrderReply placed = reply_in(s.entry.on_message(okx_fixture_text("ws_order.json")));
  CHECK(placed.id == "1512");
  REQUIRE(placed.outcome);
  CHECK(placed.outcome->order_id == "12345689");
  CHECK(placed.outcome->client_order_id == "cts1a2b3");  // OKX echoed an empty clOrdId
  CHECK(placed.outcome->status == OrderStatus::pending_new);
  CHECK(placed.outcome->symbol == "BTC-USDT-SWAP");
  CHECK(placed.outcome->side == Side::buy);
  CHECK(placed.outcome->price == "25000.5"_d);
  CHECK(placed.outcome->quantity == "2"_d);
  CHECK(placed.outcome->time_ms == 1695190491421);

  // Answered once: the same reply again matches no request.
  const WsOrderReply again = reply_in(s.entry.on_message(okx_fixture_text("ws_order.json")));
  CHECK(again.id == "1512");
  CHECK(again.outcome.error().code == ErrorCode::protocol_error);

  REQUIRE(s.entry.cancel_order(OrderRef{"BTC-USDT-SWAP", {}, "cts1a2b3"}, "1514", kVenueNow));
  const WsOrderReply cancelled = reply_in(s.entry.on_message(okx_fixture_text("ws_cancel_order.json")));
  REQUIRE(cancelled.outcome);
  CHECK(cancelled.outcome->status == OrderStatus::pending_cancel);
  CHECK(cancelled.outcome->order_id == "2510789768709120");
  CHECK(cancelled.outcome->client_order_id == "cts1a2b3");

  // A refused item: its sCode mapped, the code kept.
  REQUIRE(s.entry.create_order(swap_buy(), "1512", kVenueNow));
  const WsOrderReply rejected = reply_in(s.entry.on_message(okx_fixture_text("ws_order_rejected.json")));
  CHECK(rejected.outcome.error().code == ErrorCode::insufficient_funds);
  CHECK(rejected.outcome.error().venue_code == "51008");

  // A reply of another op than the request's is not taken for it.
  REQUIRE(s.entry.create_order(swap_buy(), "1514", kVenueNow));
  CHECK(reply_in(s.entry.on_message(okx_fixture_text("ws_cancel_order.json"))).outcome.error().code ==
        ErrorCode::protocol_error);

  // A new connection forgets the requests of the last one.
  REQUIRE(s.entry.create_order(swap_buy(), "1512", kVenueNow));
  s.entry.on_connected();
  CHECK(reply_in(s.entry.on_message(okx_fixture_text("ws_order.json"))).outcome.error().code ==
        ErrorCode::protocol_error);
}

TEST_CASE("okx ws order entry: the registry makes it for okx spot and swap, from an OKX signer and gateway") {
  cts_test::ScriptedSender sender;
  const cts::sign::OkxSigner okx_signer{"k", cts::sign::Secret("s"), cts::sign::Secret("p")};
  for (const std::string_view market : {"spot", "swap"}) {
    const cts::venue::Connector& connector = *cts::venue::find_connector(cts::VenueId::okx, market).value();
    REQUIRE((connector.make_ws_orders != nullptr));
    CHECK(connector.capabilities->websocket_order_entry);
    const std::unique_ptr<cts::venue::Gateway> gateway = connector.make_gateway(sender, {});
    const auto protocol = connector.make_ws_orders(okx_signer, *gateway, {});
    REQUIRE(protocol);
    CHECK((*protocol)->application_ping() == "ping");
    // OKX takes orders on the private stream's own URL.
    CHECK((*protocol)->order_url("wss://ws.okx.com:8443/ws/v5/private") == "wss://ws.okx.com:8443/ws/v5/private");
  }
  // Another venue's signer, or another venue's gateway: unsupported (REST carries orders).
  const cts::sign::BybitSigner bybit_signer{"k", cts::sign::Secret("s")};
  const cts::venue::Connector& okx_spot = *cts::venue::find_connector(cts::VenueId::okx, "spot").value();
  const std::unique_ptr<cts::venue::Gateway> okx_gateway = okx_spot.make_gateway(sender, {});
  CHECK(okx_spot.make_ws_orders(bybit_signer, *okx_gateway, {}).error().code == ErrorCode::unsupported);
  const cts::venue::Connector& bybit = *cts::venue::find_connector(cts::VenueId::bybit, "spot").value();
  const std::unique_ptr<cts::venue::Gateway> bybit_gateway = bybit.make_gateway(sender, {});
  CHECK(okx_spot.make_ws_orders(okx_signer, *bybit_gateway, {}).error().code == ErrorCode::unsupported);
}

TEST_CASE("ws order entry: each market derives its order URL from its private stream's (Bybit: /v5/trade)") {
  // Bybit's production URLs as its documentation gives them (and bybit::kPrivateStreamUrl,
  // bybit::kTradeStreamUrl): wss://stream.bybit.com/v5/private and .../v5/trade.
  cts_test::ScriptedSender sender;
  const cts::sign::BybitSigner signer{"k", cts::sign::Secret("s")};
  const cts::venue::Connector& linear = *cts::venue::find_connector(cts::VenueId::bybit, "linear").value();
  REQUIRE((linear.make_ws_orders != nullptr));
  const std::unique_ptr<cts::venue::Gateway> gateway = linear.make_gateway(sender, {});
  const auto protocol = linear.make_ws_orders(signer, *gateway, {});
  REQUIRE(protocol);
  CHECK((*protocol)->order_url("wss://stream.bybit.com/v5/private") == "wss://stream.bybit.com/v5/trade");
  CHECK((*protocol)->order_url("ws://127.0.0.1:4000/v5/private") == "ws://127.0.0.1:4000/v5/trade");
  CHECK((*protocol)->order_url("wss://example.test/elsewhere").empty());
}
