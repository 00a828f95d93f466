// Tests for cts/venue/pionex/streams.hpp and stream_protocols.hpp on the frames of
// tests/fixtures/pionex (websocketapi.yaml's examples and frames written after its
// schemas) and the heartbeat rule: the server's PING is answered by a PONG with its
// timestamp.
#include <cts/venue/pionex/stream_protocols.hpp>
#include <cts/venue/pionex/streams.hpp>

#include <string>
#include <variant>

#include <doctest/doctest.h>

#include <cts/venue/registry.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::BalancesUpdate;
using cts::venue::MarketChange;
using cts::venue::OrderStatus;
using cts::venue::OrderUpdate;
using cts_test::pionex_fixture_text;
namespace pionex = cts::venue::pionex;
using namespace cts::literals;

namespace {

/// The key and secret of websocketapi.yaml's signing example.
const cts::sign::PionexSigner& example_signer() {
  static const cts::sign::PionexSigner signer("OElNn5D_Frnf5MR0ChjYdG7PunK0AOgHTvevwzWS",
                                              cts::sign::Secret("NFqv4MB3hB0SOiEsJNDP9e0jDdKPWbDqS_Z1dbU4"));
  return signer;
}

cts::SystemTime example_time() { return cts::from_unix_millis(1655896754515); }

}  // namespace

TEST_CASE("pionex streams: subscribe frames as the specification prints them, and the PONG") {
  CHECK(pionex::subscribe_frame("DEPTH", "BTC_USDT", 5) == R"({"op":"SUBSCRIBE","topic":"DEPTH","symbol":"BTC_USDT","limit":5})");
  CHECK(pionex::subscribe_frame("BALANCE", "") == R"({"op":"SUBSCRIBE","topic":"BALANCE"})");
  CHECK(pionex::answer_ping(pionex_fixture_text("ws_ping.json")) == R"({"op":"PONG","timestamp":1566691672311})");
  CHECK(pionex::answer_ping(pionex_fixture_text("ws_depth.json")).empty());
  CHECK(pionex::answer_ping(R"({"op":"PING","timestamp":"x"})").empty());
}

TEST_CASE("pionex streams: the DEPTH example replaces the book") {
  pionex::PublicMarketStream stream("BTC_USDT");
  CHECK(stream.path() == "/wsPub");
  CHECK(stream.subscriptions() ==
        std::vector<std::string>{R"({"op":"SUBSCRIBE","topic":"DEPTH","symbol":"BTC_USDT","limit":20})"});
  CHECK(stream.answer(pionex_fixture_text("ws_ping.json")) == R"({"op":"PONG","timestamp":1566691672311})");
  CHECK(stream.on_message(pionex_fixture_text("ws_ping.json")).value() == MarketChange::none);
  CHECK_FALSE(stream.synced());
  CHECK(stream.on_message(pionex_fixture_text("ws_depth.json")).value() == MarketChange::book);
  CHECK(stream.synced());
  CHECK(stream.book().best_bid()->price == "27964.01"_d);
  CHECK(stream.book().best_ask()->price == "27979.32"_d);
  CHECK(stream.book().depth(cts::Side::sell) == 2);
  CHECK(stream.on_message(pionex_fixture_text("ws_trade.json")).value() == MarketChange::none);
  std::string other = pionex_fixture_text("ws_depth.json");
  other.replace(other.find("BTC_USDT"), 8, "ETH_USDT");
  CHECK(stream.on_message(other).value() == MarketChange::none);
  std::string crossed = pionex_fixture_text("ws_depth.json");
  crossed.replace(crossed.find("27979.32"), 8, "27900.00");
  CHECK(stream.on_message(crossed).value() == MarketChange::gap);
  CHECK_FALSE(stream.synced());
  CHECK(stream.on_message("{").error().code == ErrorCode::protocol_error);
  CHECK(stream.on_message(R"({"topic":"DEPTH","symbol":"BTC_USDT","data":{"bids":[["1",2]],"asks":[]}})")
            .error()
            .code == ErrorCode::protocol_error);
  CHECK(stream.on_snapshot({}).error().code == ErrorCode::unsupported);
}

TEST_CASE("pionex streams: the TRADE example") {
  const auto frame = pionex::parse_stream_frame(pionex_fixture_text("ws_trade.json")).value();
  const auto& trades = std::get<pionex::TradesFrame>(frame);
  CHECK(trades.symbol == "BTC_USDT");
  REQUIRE(trades.trades.size() == 1);
  CHECK(trades.trades[0].id == "600848671");
  CHECK(trades.trades[0].price == "7962.62"_d);
  CHECK(trades.trades[0].quantity == "0.0122"_d);
  CHECK(trades.trades[0].time_ms == 1566691672311);
}

TEST_CASE("pionex streams: the private stream signs its URL as the specification's example") {
  pionex::PrivateUserStream stream(example_signer(), &example_time);
  CHECK(stream.connection_target("/ws") ==
        "/ws?key=OElNn5D_Frnf5MR0ChjYdG7PunK0AOgHTvevwzWS&timestamp=1655896754515&signature="
        "3e901247350e744353f4a7a479fd67181184a627b119352ec1b7a432925e772c");
  CHECK(stream.subscribed_by_connecting());
  CHECK(stream.subscriptions(example_time()).value() ==
        std::vector<std::string>{R"({"op":"SUBSCRIBE","topic":"BALANCE"})"});
  stream.follow_symbol("BTC_USDT");
  CHECK(stream.subscriptions(example_time()).value() ==
        std::vector<std::string>{R"({"op":"SUBSCRIBE","topic":"ORDER","symbol":"BTC_USDT"})",
                                 R"({"op":"SUBSCRIBE","topic":"FILL","symbol":"BTC_USDT"})",
                                 R"({"op":"SUBSCRIBE","topic":"BALANCE"})"});
}

TEST_CASE("pionex streams: ORDER, FILL and BALANCE become the unified events") {
  pionex::PrivateUserStream stream(example_signer(), &example_time);
  stream.follow_symbol("BTC_USDT");
  CHECK(stream.answer(pionex_fixture_text("ws_ping.json")) == R"({"op":"PONG","timestamp":1566691672311})");
  CHECK(stream.on_message(pionex_fixture_text("ws_ping.json")).value().empty());

  // The fixture's order is CLOSED and filled; as OPEN with 0.004 filled it is working.
  std::string working = pionex_fixture_text("ws_order.json");
  working.replace(working.find("\"CLOSED\""), 8, "\"OPEN\"");
  working.replace(working.find("\"filledSize\": \"0.0100\""), 22, "\"filledSize\": \"0.0040\"");
  const auto opened = stream.on_message(working).value();
  REQUIRE(opened.size() == 1);
  const auto& update = std::get<OrderUpdate>(opened[0]);
  CHECK(update.order.order_id == "123456789");
  CHECK(update.order.client_order_id == "cts-1a2b3");
  CHECK(update.order.status == OrderStatus::partially_filled);
  CHECK(update.event_time_ms == 1566691672311);
  CHECK_FALSE(update.last_fill.has_value());

  const auto filled = stream.on_message(pionex_fixture_text("ws_fill.json")).value();
  REQUIRE(filled.size() == 1);
  const auto& with_fill = std::get<OrderUpdate>(filled[0]);
  CHECK(with_fill.order.client_order_id == "cts-1a2b3");
  REQUIRE(with_fill.last_fill.has_value());
  CHECK(with_fill.last_fill->trade_id == "8812302");
  CHECK(with_fill.last_fill->quantity == "0.006"_d);
  CHECK(with_fill.last_fill->price == "27964.01"_d);
  CHECK(with_fill.last_fill->commission == "0.000006"_d);
  CHECK(with_fill.last_fill->commission_asset == "BTC");

  const auto closed = stream.on_message(pionex_fixture_text("ws_order.json")).value();
  CHECK(std::get<OrderUpdate>(closed.at(0)).order.status == OrderStatus::filled);
  // The order is final: a late FILL of it gives nothing (its fills are read by REST).
  CHECK(stream.on_message(pionex_fixture_text("ws_fill.json")).value().empty());

  const auto balances = stream.on_message(pionex_fixture_text("ws_balance.json")).value();
  const auto& update_balances = std::get<BalancesUpdate>(balances.at(0));
  CHECK(update_balances.event_time_ms == 1566691672311);
  REQUIRE(update_balances.balances.size() == 2);
  CHECK(update_balances.balances[1].locked == "900"_d);

  const auto refused =
      stream.on_message(R"({"result":false,"code":"INVALID_SIGNATURE","message":"Invalid signature"})");
  CHECK(refused.error().code == ErrorCode::invalid_signature);
  CHECK(stream.on_message(R"({"topic":"ORDER","data":{"orderId":"x"}})").error().code == ErrorCode::protocol_error);
  CHECK(stream.on_message(R"({"type":"SUBSCRIBED","topic":"KLINE"})").value().empty());
}

TEST_CASE("pionex streams: the registry makes both protocols, the private one from a Pionex signer only") {
  const cts::venue::Connector* spot = cts::venue::find_connector(cts::VenueId::pionex).value();
  REQUIRE(static_cast<bool>(spot->make_market_stream));
  CHECK(spot->make_market_stream("BTC_USDT")->path() == "/wsPub");
  REQUIRE(static_cast<bool>(spot->make_user_stream));
  CHECK(spot->make_user_stream(example_signer()).has_value());
}
