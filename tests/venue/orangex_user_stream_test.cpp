// Tests for cts/venue/orangex/user_stream.hpp: the WebSocket login, the private
// subscription and the user channels' events, on the fixtures of tests/fixtures/orangex
// (README there names each one's source). Expected values are the fixtures'.
#include <cts/venue/orangex/user_stream.hpp>

#include <string>
#include <variant>

#include <doctest/doctest.h>
#include <simdjson.h>

#include "cts/sign/binance.hpp"
#include "support.hpp"

using cts::ErrorCode;
using cts::Side;
using namespace cts::literals;
namespace orangex = cts::venue::orangex;
namespace venue = cts::venue;

namespace {

std::string text(std::string_view name) { return cts_test::fixture_text("orangex", name); }

constexpr std::int64_t kVenueNowMs = 1'700'000'000'000;

/// The stream's events for `frame`; fails the test on an error.
std::vector<venue::UserEvent> events(orangex::PrivateUserStream& stream, std::string_view frame) {
  auto result = stream.on_message(frame);
  REQUIRE(result);
  return *result;
}

}  // namespace

TEST_CASE("orangex user stream: /public/auth signed at the venue's time, then the private subscription") {
  const cts::sign::OrangexSigner signer("ox-client", cts::sign::Secret("ox-secret"));
  orangex::PrivateUserStream stream(signer);
  stream.follow_symbol("BTC-USDT-PERPETUAL");
  CHECK(stream.application_ping() == "PING");
  const auto frames = stream.subscriptions(cts::from_unix_millis(kVenueNowMs));
  REQUIRE(frames);
  REQUIRE(frames->size() == 1);
  simdjson::dom::parser parser;
  simdjson::dom::object call = parser.parse((*frames)[0]).get_object().value();
  CHECK(std::string_view(call["method"].get_string().value()) == "/public/auth");
  CHECK(call["id"].get_int64().value() == 1);
  simdjson::dom::object params = call["params"].get_object().value();
  CHECK(std::string_view(params["grant_type"].get_string().value()) == "client_signature");
  CHECK(std::string_view(params["client_id"].get_string().value()) == "ox-client");
  CHECK(std::string_view(params["timestamp"].get_string().value()) == "1700000000000");
  const std::string nonce(params["nonce"].get_string().value());
  CHECK(std::string_view(params["signature"].get_string().value()) == signer.client_signature(kVenueNowMs, nonce));

  CHECK(stream.after_authentication() ==
        std::vector<std::string>{
            R"({"jsonrpc":"2.0","id":2,"method":"/private/subscribe","params":{"channels":["user.orders.BTC-USDT-PERPETUAL.raw",)"
            R"("user.trades.BTC-USDT-PERPETUAL.raw","user.portfolio.USDT"]}})"});
  auto authenticated = events(stream, text("ws_auth.json"));
  REQUIRE(authenticated.size() == 1);
  CHECK(std::holds_alternative<venue::UserAuthenticated>(authenticated[0]));
  auto subscribed = events(stream, R"({"jsonrpc":"2.0","id":2,"result":["user.orders.BTC-USDT-PERPETUAL.raw"]})");
  REQUIRE(subscribed.size() == 1);
  CHECK(std::holds_alternative<venue::UserSubscribed>(subscribed[0]));
  CHECK(events(stream, "PONG").empty());
}

TEST_CASE("orangex user stream: a refused login is the venue's error") {
  const cts::sign::OrangexSigner signer("ox-client", cts::sign::Secret("ox-secret"));
  orangex::PrivateUserStream stream(signer);
  const auto refused = stream.on_message(R"({"jsonrpc":"2.0","id":1,"error":{"message":"invalid_credentials","code":13004}})");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::auth_failed);
  CHECK(refused.error().venue_code == "13004");
}

TEST_CASE("orangex user stream: orders, their trades and the portfolio") {
  const cts::sign::OrangexSigner signer("ox-client", cts::sign::Secret("ox-secret"));
  orangex::PrivateUserStream stream(signer);
  stream.follow_symbol("BTC-USDT-PERPETUAL");
  // A trade of an order no orders event named yet: nothing (the executor reads it by REST).
  CHECK(events(stream, text("ws_user_trades.json")).empty());

  auto opened = events(stream, text("ws_user_orders.json"));
  REQUIRE(opened.size() == 1);
  const auto& order = std::get<venue::OrderUpdate>(opened[0]);
  CHECK(order.order.order_id == "3000012399");
  CHECK(order.order.client_order_id == "cts-ox-7");
  CHECK(order.order.symbol == "BTC-USDT-PERPETUAL");
  CHECK(order.order.side == Side::buy);
  CHECK(order.order.status == venue::OrderStatus::new_);
  CHECK(order.order.time_in_force == cts::TimeInForce::post_only);
  CHECK(order.order.price == "60000.5"_d);
  CHECK(order.order.quantity == "0.01"_d);
  CHECK(order.order.executed_quantity.is_zero());
  CHECK_FALSE(order.last_fill);
  CHECK(order.event_time_ms == 1700000001000);

  auto traded = events(stream, text("ws_user_trades.json"));
  REQUIRE(traded.size() == 1);
  const auto& fill = std::get<venue::OrderUpdate>(traded[0]);
  CHECK(fill.order.client_order_id == "cts-ox-7");
  REQUIRE(fill.last_fill);
  CHECK(fill.last_fill->trade_id == "t-71");
  CHECK(fill.last_fill->price == "60000.5"_d);
  CHECK(fill.last_fill->quantity == "0.004"_d);
  CHECK(fill.last_fill->commission == "0.0240002"_d);
  CHECK(fill.last_fill->commission_asset == "USDT");
  CHECK(fill.realized_pnl == "-0.15"_d);
  CHECK(fill.event_time_ms == 1700000002000);

  auto portfolio = events(stream, text("ws_user_portfolio.json"));
  REQUIRE(portfolio.size() == 1);
  const auto& balances = std::get<venue::BalancesUpdate>(portfolio[0]);
  REQUIRE(balances.balances.size() == 1);
  CHECK(balances.balances[0] == venue::Balance{"USDT", "899.75"_d, "100.75"_d});

  // Once the order is final its later trades are left to REST.
  std::string cancelled = text("ws_user_orders.json");
  cancelled.replace(cancelled.find(R"("open")"), 6, R"("cancelled")");
  auto final_state = events(stream, cancelled);
  REQUIRE(final_state.size() == 1);
  CHECK(std::get<venue::OrderUpdate>(final_state[0]).order.status == venue::OrderStatus::canceled);
  CHECK(events(stream, text("ws_user_trades.json")).empty());
}

TEST_CASE("orangex user stream: a malformed user event is a protocol error") {
  const cts::sign::OrangexSigner signer("ox-client", cts::sign::Secret("ox-secret"));
  orangex::PrivateUserStream stream(signer);
  std::string bad_state = text("ws_user_orders.json");
  bad_state.replace(bad_state.find(R"("open")"), 6, R"("opened")");
  const auto refused = stream.on_message(bad_state);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::protocol_error);
  std::string bad_amount = text("ws_user_trades.json");
  bad_amount.replace(bad_amount.find("0.004"), 5, R"("x")");
  CHECK(stream.on_message(bad_amount).error().code == ErrorCode::protocol_error);
  const auto no_funds = stream.on_message(
      R"({"jsonrpc":"2.0","method":"subscription","params":{"channel":"user.portfolio.USDT","data":{"currency":"USDT"}}})");
  CHECK(no_funds.error().code == ErrorCode::protocol_error);
}

TEST_CASE("orangex user stream: the registry's factory takes an OrangeX signer only") {
  const cts::sign::OrangexSigner signer("ox-client", cts::sign::Secret("ox-secret"));
  CHECK(orangex::PrivateUserStream::make(signer));
  const cts::sign::BinanceHmacSigner binance(cts::VenueId::binance_spot, "key", cts::sign::Secret("secret"));
  const auto refused = orangex::PrivateUserStream::make(binance);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::invalid_argument);
}
