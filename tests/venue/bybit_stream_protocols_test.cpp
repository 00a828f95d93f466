// Tests for cts/venue/bybit/stream_protocols.hpp: Bybit v5's public order book and
// private streams on the venue seam, on the frames printed in Bybit's documentation
// (tests/fixtures/bybit/ws_*.json). Expected values are the documentation's; the auth
// signature was computed independently (Python: hmac.new(b"bybit-test-secret",
// b"GET/realtime1672364272474", hashlib.sha256).hexdigest()).
#include <cts/venue/bybit/stream_protocols.hpp>

#include <string>
#include <variant>

#include <doctest/doctest.h>

#include <cts/sign/binance.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts_test::bybit_fixture_text;
namespace bybit = cts::venue::bybit;
namespace venue = cts::venue;
using namespace cts::literals;

TEST_CASE("bybit public stream: path per category, one subscribe frame, the ping frame") {
  const bybit::PublicMarketStream spot("BTCUSDT", bybit::Category::spot);
  const bybit::PublicMarketStream linear("BTCUSDT", bybit::Category::linear, 200);
  CHECK(spot.path() == "/v5/public/spot");
  CHECK(linear.path() == "/v5/public/linear");
  CHECK(spot.subscriptions() ==
        std::vector<std::string>{R"({"req_id":"cts-book","op":"subscribe","args":["orderbook.50.BTCUSDT"]})"});
  CHECK(linear.subscriptions() ==
        std::vector<std::string>{R"({"req_id":"cts-book","op":"subscribe","args":["orderbook.200.BTCUSDT"]})"});
  CHECK(spot.application_ping() == R"({"op":"ping"})");  // websocket/connect.mdx
  CHECK_FALSE(spot.rest_snapshots());
}

TEST_CASE("bybit public stream: the documented snapshot syncs the book; a delta that crosses it is a gap") {
  bybit::PublicMarketStream stream("BTCUSDT", bybit::Category::linear);
  CHECK(stream.on_message(R"({"success":true,"ret_msg":"","conn_id":"c","req_id":"cts-book","op":"subscribe"})")
            .value() == venue::MarketChange::subscribed);
  CHECK(stream.on_message(R"({"success":true,"ret_msg":"pong","conn_id":"c","op":"ping"})").value() ==
        venue::MarketChange::none);
  CHECK_FALSE(stream.synced());
  // A delta before any snapshot: nothing to apply it to.
  CHECK(stream.on_message(bybit_fixture_text("ws_orderbook_delta.json")).value() == venue::MarketChange::gap);

  REQUIRE(stream.on_message(bybit_fixture_text("ws_orderbook_snapshot.json")).value() == venue::MarketChange::book);
  REQUIRE(stream.synced());
  CHECK(stream.book().best_bid()->price == "16493.50"_d);
  CHECK(stream.book().best_bid()->quantity == "0.006"_d);
  CHECK(stream.book().best_ask()->price == "16611.00"_d);
  CHECK(stream.book().last_update_id() == 18521288);
  CHECK_FALSE(stream.ticker().has_value());
  // The documented delta (u 177400507 > 18521288) bids 30247.20, above the snapshot's
  // best ask 16611.00: the book would be crossed.
  CHECK(stream.on_message(bybit_fixture_text("ws_orderbook_delta.json")).value() == venue::MarketChange::gap);
  CHECK_FALSE(stream.synced());
  CHECK(stream.book().depth(cts::Side::buy) == 0);

  REQUIRE(stream.on_message(bybit_fixture_text("ws_orderbook_snapshot.json")).value() == venue::MarketChange::book);
  stream.reset();
  CHECK_FALSE(stream.synced());
}

TEST_CASE("bybit public stream: other symbols are none, a refused subscription and bad frames are errors") {
  bybit::PublicMarketStream stream("ETHUSDT", bybit::Category::spot);
  CHECK(stream.on_message(bybit_fixture_text("ws_orderbook_snapshot.json")).value() == venue::MarketChange::none);
  CHECK_FALSE(stream.synced());
  const auto refused = stream.on_message(
      R"({"success":false,"ret_msg":"error:handler not found","conn_id":"c","req_id":"cts-book","op":"subscribe"})");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::invalid_argument);
  CHECK(refused.error().message.find("handler not found") != std::string::npos);
  const auto garbage = stream.on_message("{not json");
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().code == ErrorCode::protocol_error);
  const auto snapshot = stream.on_snapshot(venue::BookSnapshot{});
  REQUIRE_FALSE(snapshot);
  CHECK(snapshot.error().code == ErrorCode::unsupported);
}

TEST_CASE("bybit private stream: an auth frame signed for venue time + 10 s, then the order and wallet topics") {
  const cts::sign::BybitSigner signer("bybit-test-key", cts::sign::Secret("bybit-test-secret"));
  const bybit::PrivateUserStream stream(signer, bybit::Category::spot);
  const auto frames = stream.subscriptions(cts::from_unix_millis(1672364262474));
  REQUIRE(frames);
  REQUIRE(frames->size() == 2);
  CHECK(
      (*frames)[0] ==
      R"({"op":"auth","args":["bybit-test-key",1672364272474,"43ed63e5998563eaaf4c0c25f0c8186bf311bef54c368253345bd7f913764d26"]})");
  CHECK((*frames)[0].find("bybit-test-secret") == std::string::npos);
  CHECK((*frames)[1] == R"({"req_id":"cts-private","op":"subscribe","args":["order","wallet"]})");
  CHECK(stream.application_ping() == R"({"op":"ping"})");

  // Linear adds the all-in-one position topic (websocket/private/position.mdx), in the
  // same frame as the other all-in-one topics.
  const bybit::PrivateUserStream linear(signer, bybit::Category::linear);
  const auto linear_frames = linear.subscriptions(cts::from_unix_millis(1672364262474));
  REQUIRE(linear_frames);
  REQUIRE(linear_frames->size() == 2);
  CHECK((*linear_frames)[0] == (*frames)[0]);
  CHECK((*linear_frames)[1] == R"({"req_id":"cts-private","op":"subscribe","args":["order","wallet","position"]})");
}

TEST_CASE("bybit private stream: replies, orders and wallet into unified events") {
  const cts::sign::BybitSigner signer("bybit-test-key", cts::sign::Secret("bybit-test-secret"));
  bybit::PrivateUserStream stream(signer, bybit::Category::spot);
  CHECK(stream.on_message(bybit_fixture_text("ws_auth_reply.json")).value().empty());  // auth succeeded: wait
  const auto subscribed =
      stream.on_message(R"({"success":true,"ret_msg":"","op":"subscribe","conn_id":"c","req_id":"cts-private"})");
  REQUIRE(subscribed);
  REQUIRE(subscribed->size() == 1);
  CHECK(std::holds_alternative<venue::UserSubscribed>(subscribed->front()));

  const auto orders = stream.on_message(bybit_fixture_text("ws_order.json"));
  REQUIRE(orders);
  REQUIRE(orders->size() == 1);
  const auto& update = std::get<venue::OrderUpdate>(orders->front());
  CHECK(update.order.order_id == "5cf98598-39a7-459e-97bf-76ca765ee020");
  CHECK(update.order.status == venue::OrderStatus::filled);
  CHECK(update.order.executed_quantity == "1"_d);
  CHECK(update.event_time_ms == 1672364262457);  // updatedTime
  CHECK_FALSE(update.last_fill.has_value());     // fills are fetched by the executor
  CHECK_FALSE(update.amended);

  const auto wallet = stream.on_message(bybit_fixture_text("ws_wallet.json"));
  REQUIRE(wallet);
  REQUIRE(wallet->size() == 1);
  const auto& balances = std::get<venue::BalancesUpdate>(wallet->front());
  REQUIRE(balances.balances.size() == 1);
  CHECK(balances.balances[0].asset == "BTC");
  CHECK(balances.balances[0].free == "0.00102964"_d);
}

TEST_CASE("bybit private stream: a refused auth is auth_failed; a foreign signer is refused at make") {
  const cts::sign::BybitSigner signer("bybit-test-key", cts::sign::Secret("bybit-test-secret"));
  bybit::PrivateUserStream stream(signer, bybit::Category::linear);
  const auto refused = stream.on_message(R"({"success":false,"ret_msg":"Params Error","op":"auth","conn_id":"c"})");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::auth_failed);
  CHECK(refused.error().message.find("Params Error") != std::string::npos);
  const auto sub_refused = stream.on_message(
      R"({"success":false,"ret_msg":"error:topic not found","op":"subscribe","conn_id":"c","req_id":"cts-private"})");
  REQUIRE_FALSE(sub_refused);
  CHECK(sub_refused.error().code == ErrorCode::invalid_argument);

  const cts::sign::BinanceHmacSigner binance(cts::VenueId::binance_spot, "k", cts::sign::Secret("s"));
  const auto made = bybit::PrivateUserStream::make_linear(binance);
  REQUIRE_FALSE(made);
  CHECK(made.error().code == ErrorCode::invalid_argument);
  CHECK(bybit::PrivateUserStream::make_linear(signer).has_value());
  CHECK(bybit::PrivateUserStream::make_spot(signer).has_value());
}

TEST_CASE("bybit private stream: the documented position frame into a unified position update (linear only)") {
  const cts::sign::BybitSigner signer("bybit-test-key", cts::sign::Secret("bybit-test-secret"));
  bybit::PrivateUserStream linear(signer, bybit::Category::linear);
  const auto events = linear.on_message(bybit_fixture_text("ws_position.json"));
  REQUIRE(events);
  REQUIRE(events->size() == 1);
  const auto& update = std::get<venue::PositionsUpdate>(events->front());
  CHECK(update.event_time_ms == 1697682317044);  // creationTime
  REQUIRE(update.positions.size() == 1);
  const venue::Position& p = update.positions[0];
  CHECK(p.symbol == "BTCUSDT");
  CHECK(p.side == venue::PositionSide::short_);  // positionIdx 2: the hedge-mode Sell leg
  CHECK(p.quantity.is_zero());                   // size "0", side ""
  CHECK(p.entry_price.is_zero());                // entryPrice "0"
  CHECK(p.mark_price == "28184.5"_d);
  CHECK(p.unrealized_pnl.is_zero());
  REQUIRE(p.leverage.has_value());
  CHECK(*p.leverage == "10"_d);
  CHECK(p.update_time_ms == 1697682317038);  // updatedTime

  // The documented shape with an open short of 0.5 at 28000.1 in one-way mode: the size
  // is signed by the side.
  const auto short_events = linear.on_message(
      R"({"id":"x","topic":"position","creationTime":1697682318000,"data":[{"positionIdx":0,"symbol":"BTCUSDT","side":"Sell","size":"0.5","entryPrice":"28000.1","leverage":"12.5","positionValue":"14000.05","markPrice":"28184.5","unrealisedPnl":"-92.2","category":"linear","updatedTime":"1697682317990","seq":8327597864}]})");
  REQUIRE(short_events);
  REQUIRE(short_events->size() == 1);
  const auto& short_update = std::get<venue::PositionsUpdate>(short_events->front());
  REQUIRE(short_update.positions.size() == 1);
  const venue::Position& s = short_update.positions[0];
  CHECK(s.side == venue::PositionSide::both);
  CHECK(s.quantity == "-0.5"_d);
  CHECK(s.entry_price == "28000.1"_d);
  CHECK(s.unrealized_pnl == "-92.2"_d);
  CHECK(s.notional == "-14000.05"_d);
  CHECK(*s.leverage == "12.5"_d);

  // Another category's position (the all-in-one topic carries them all) is left out.
  const auto inverse = linear.on_message(
      R"({"id":"y","topic":"position","creationTime":1,"data":[{"positionIdx":0,"symbol":"BTCUSD","side":"Buy","size":"100","category":"inverse"}]})");
  REQUIRE(inverse);
  CHECK(inverse->empty());

  // A spot stream never subscribed it and reports no position.
  bybit::PrivateUserStream spot(signer, bybit::Category::spot);
  const auto on_spot = spot.on_message(bybit_fixture_text("ws_position.json"));
  REQUIRE(on_spot);
  CHECK(on_spot->empty());

  // A position without its size is malformed: an error, no event.
  const auto bad = linear.on_message(
      R"({"id":"z","topic":"position","creationTime":1,"data":[{"positionIdx":0,"symbol":"BTCUSDT","side":"Buy","category":"linear"}]})");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::protocol_error);
}
