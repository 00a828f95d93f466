// Tests for cts/venue/binance/usdm_streams.hpp: Binance USD-M futures' market-stream and
// user-data-stream protocols on the venue seam, on the frames printed in Binance's USD-M
// documentation (tests/fixtures/binance/usdm_ws_*.json, usdm_listen_key.json; spot's
// aggTrade for the trade stream the shared DepthMarketStream keeps). Frames
// written here (depth diffs continuing the documented one, a fill) use the documented
// fields with values of our own; every expected value is the frame's or the
// documentation's, and the continuity rule is the documentation's ("How to manage a
// local order book correctly": the first event after the snapshot has U <= lastUpdateId
// <= u, then each event's pu equals the previous event's u).
#include <cts/venue/binance/spot_streams.hpp>
#include <cts/venue/binance/usdm_streams.hpp>

#include <string>
#include <variant>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cts/sign/binance.hpp>
#include <cts/venue/binance/rest_parsers.hpp>
#include <cts/venue/binance/streams.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::MarketChange;
using cts_test::binance_fixture;
using cts_test::binance_fixture_text;
namespace binance = cts::venue::binance;
namespace venue = cts::venue;
using namespace cts::literals;

namespace {

/// A USD-M depthUpdate of BTCUSDT with one bid and one ask level.
std::string depth_frame(std::uint64_t first, std::uint64_t last, std::uint64_t previous, std::string_view bid,
                        std::string_view bid_quantity, std::string_view ask, std::string_view ask_quantity) {
  return fmt::format(R"({{"e":"depthUpdate","E":123456790,"T":123456789,"s":"BTCUSDT","U":{},"u":{},"pu":{},)"
                     R"("b":[["{}","{}"]],"a":[["{}","{}"]]}})",
                     first, last, previous, bid, bid_quantity, ask, ask_quantity);
}

/// A snapshot with one bid and one ask level.
venue::BookSnapshot snapshot(std::uint64_t last_update_id) {
  venue::BookSnapshot book;
  book.last_update_id = last_update_id;
  book.bids = {{"0.0023"_d, "5"_d}};
  book.asks = {{"0.0027"_d, "7"_d}};
  return book;
}

MarketChange change(binance::UsdmMarketStream& stream, const std::string& frame) {
  auto changed = stream.on_message(frame);
  REQUIRE_MESSAGE(changed.has_value(), (changed ? "" : changed.error().to_string()));
  return *changed;
}

std::vector<venue::UserEvent> events(binance::UsdmUserStream& stream, const std::string& frame) {
  auto parsed = stream.on_message(frame);
  REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().to_string()));
  return std::move(*parsed);
}

// The key printed in USD-M "Start User Data Stream (USER_STREAM)".
const std::string kDocKey = "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1";

}  // namespace

TEST_CASE("usdm market stream: one SUBSCRIBE on the routed /public/ws for the depth and the book ticker") {
  const binance::UsdmMarketStream plain("BTCUSDT");
  CHECK(plain.path() == "/public/ws");
  CHECK(plain.rest_snapshots());
  CHECK(plain.snapshot_limit() == 1000);
  CHECK(plain.subscriptions() ==
        std::vector<std::string>{
            R"({"method":"SUBSCRIBE","params":["btcusdt@depth@100ms","btcusdt@bookTicker"],"id":1})"});
  binance::UsdmMarketStreamOptions options;
  options.fast_depth = false;
  options.subscribe_id = 7;
  options.snapshot_limit = 500;
  const binance::UsdmMarketStream slow("BTCUSDT", options);
  CHECK(slow.subscriptions() ==
        std::vector<std::string>{R"({"method":"SUBSCRIBE","params":["btcusdt@depth","btcusdt@bookTicker"],"id":7})"});
  CHECK(slow.snapshot_limit() == 500);
}

TEST_CASE("usdm market stream: the documented diff joins a snapshot it straddles, then pu must chain") {
  binance::UsdmMarketStream stream("BTCUSDT");
  CHECK(change(stream, R"({"result":null,"id":1})") == MarketChange::subscribed);
  // The documentation's event: U 157, u 160, pu 149; bid 0.0024 x 10, ask 0.0026 x 100.
  CHECK(change(stream, binance_fixture_text("usdm_ws_depth_update.json")) == MarketChange::waiting);
  CHECK_FALSE(stream.synced());
  // 157 <= 158 <= 160: the buffered event applies on top of the snapshot.
  REQUIRE(stream.on_snapshot(snapshot(158)).value() == MarketChange::book);
  CHECK(stream.synced());
  CHECK(stream.book().last_update_id() == 160);
  CHECK(stream.book().best_bid()->price == "0.0024"_d);
  CHECK(stream.book().best_bid()->quantity == "10"_d);
  CHECK(stream.book().best_ask()->price == "0.0026"_d);
  CHECK(stream.book().best_ask()->quantity == "100"_d);
  // pu 160 = the previous u: applied; quantity 0 removes the 0.0024 bid.
  CHECK(change(stream, depth_frame(161, 165, 160, "0.0024", "0", "0.0026", "40")) == MarketChange::book);
  CHECK(stream.book().best_bid()->price == "0.0023"_d);
  CHECK(stream.book().best_ask()->quantity == "40"_d);
  CHECK(stream.book().last_update_id() == 165);
  // pu 170 is not 165: an event was missed; the book is discarded.
  CHECK(change(stream, depth_frame(171, 175, 170, "0.0024", "1", "0.0026", "1")) == MarketChange::gap);
  CHECK_FALSE(stream.synced());
  // Another symbol's diff changes nothing.
  binance::UsdmMarketStream other("ETHUSDT");
  CHECK(change(other, binance_fixture_text("usdm_ws_depth_update.json")) == MarketChange::none);
}

TEST_CASE("usdm market stream: events older than the snapshot are dropped; the first applied one must straddle it") {
  binance::UsdmMarketStream stream("BTCUSDT");
  CHECK(change(stream, binance_fixture_text("usdm_ws_depth_update.json")) == MarketChange::waiting);
  // The snapshot (161) is newer than the buffered event (u 160): that event is dropped.
  REQUIRE(stream.on_snapshot(snapshot(161)).value() == MarketChange::book);
  CHECK(stream.book().last_update_id() == 161);
  CHECK(stream.book().best_bid()->price == "0.0023"_d);
  // U 161 <= 161 <= u 165: the first event after the snapshot applies (its pu is not checked).
  CHECK(change(stream, depth_frame(161, 165, 158, "0.0025", "2", "0.0026", "3")) == MarketChange::book);
  CHECK(stream.book().best_bid()->price == "0.0025"_d);

  binance::UsdmMarketStream late("BTCUSDT");
  REQUIRE(late.on_snapshot(snapshot(158)).value() == MarketChange::book);
  // U 160 > 158: the events between the snapshot and this one were missed.
  CHECK(change(late, depth_frame(160, 162, 159, "0.0025", "2", "0.0026", "3")) == MarketChange::gap);
  CHECK_FALSE(late.synced());

  binance::UsdmMarketStream early("BTCUSDT");
  CHECK(change(early, binance_fixture_text("usdm_ws_depth_update.json")) == MarketChange::waiting);
  // A snapshot older than the first buffered U (157) cannot be joined: fetch another.
  CHECK(early.on_snapshot(snapshot(150)).value() == MarketChange::waiting);
  CHECK_FALSE(early.synced());
}

TEST_CASE("usdm market stream: the REST snapshot of GET /fapi/v1/depth seeds the book") {
  venue::BookSnapshot rest;
  REQUIRE(binance::parse_order_book(binance_fixture("usdm_depth.json"), rest));
  REQUIRE(rest.last_update_id == 1027024);
  binance::UsdmMarketStream stream("BTCUSDT");
  CHECK(change(stream, depth_frame(1027020, 1027030, 1027019, "4.00000100", "3", "4.00000300", "9")) ==
        MarketChange::waiting);
  REQUIRE(stream.on_snapshot(rest).value() == MarketChange::book);
  CHECK(stream.book().last_update_id() == 1027030);
  CHECK(stream.book().best_bid()->price == "4.00000100"_d);
  CHECK(stream.book().best_ask()->price == "4.00000200"_d);
  CHECK(stream.book().best_ask()->quantity == "12.00000000"_d);
  stream.reset();
  CHECK_FALSE(stream.synced());
  CHECK(stream.book().depth(cts::Side::buy) == 0);
  CHECK(stream.book().depth(cts::Side::sell) == 0);
}

TEST_CASE("usdm market stream: book ticker; aggregate trades (spot's stream offers them on the same connection)") {
  binance::UsdmMarketStream stream("BNBUSDT");
  CHECK(change(stream, binance_fixture_text("usdm_ws_book_ticker.json")) == MarketChange::ticker);
  REQUIRE(stream.ticker());
  CHECK(stream.ticker()->update_id == 400900217);
  CHECK(stream.ticker()->bid_price == "25.35190000"_d);
  CHECK(stream.ticker()->bid_quantity == "31.21000000"_d);
  CHECK(stream.ticker()->ask_price == "25.36520000"_d);
  CHECK(stream.ticker()->ask_quantity == "40.66000000"_d);
  // An older update id is ignored.
  CHECK(change(stream,
               R"({"e":"bookTicker","u":400900216,"E":1568014460892,"T":1568014460890,"s":"BNBUSDT",)"
               R"("b":"25.30000000","B":"1.00000000","a":"25.40000000","A":"1.00000000"})") == MarketChange::none);
  CHECK(stream.ticker()->bid_price == "25.35190000"_d);

  // USD-M's aggTrade (served on /market, a connection UsdmMarketStream does not open).
  const auto agg = std::get<binance::TradeEvent>(
      binance::parse_stream_event(binance_fixture_text("usdm_ws_agg_trade.json")).value());
  CHECK(agg.aggregate);
  CHECK(agg.symbol == "BTCUSDT");
  CHECK(agg.trade.id == "5933014");
  CHECK(agg.trade.price == "0.001"_d);
  CHECK(agg.trade.quantity == "100"_d);
  CHECK(agg.trade.time_ms == 123456785);
  CHECK(agg.trade.buyer_is_maker);
  // Spot serves aggTrade beside the depth: the stream keeps the newest trade.
  binance::SpotMarketStreamOptions spot_options;
  spot_options.aggregate_trades = true;
  binance::SpotMarketStream spot("BNBBTC", spot_options);
  CHECK(spot.subscriptions() ==
        std::vector<std::string>{
            R"({"method":"SUBSCRIBE","params":["bnbbtc@depth@100ms","bnbbtc@bookTicker","bnbbtc@aggTrade"],"id":1})"});
  CHECK_FALSE(spot.last_trade());
  REQUIRE(spot.on_message(binance_fixture_text("spot_ws_agg_trade.json")).value() == MarketChange::none);
  REQUIRE(spot.last_trade());
  CHECK(spot.last_trade()->price == "0.001"_d);
  CHECK(spot.last_trade()->quantity == "100"_d);
  spot.reset();
  CHECK_FALSE(spot.last_trade());
  CHECK(stream.on_message("{not json").error().code == ErrorCode::protocol_error);
}

TEST_CASE("usdm user stream: made for any signer; the listen key names the stream in the connection's target") {
  const cts::sign::BinanceHmacSigner signer(cts::VenueId::binance_usdm, "k", cts::sign::Secret("s"));
  auto made = binance::UsdmUserStream::make(signer);
  REQUIRE(made);
  CHECK((*made)->subscriptions({}).error().code == ErrorCode::invalid_argument);  // no key yet

  binance::UsdmUserStream stream;
  CHECK(stream.set_stream_key("").error().code == ErrorCode::invalid_argument);
  CHECK(stream.set_stream_key("abc/def").error().code == ErrorCode::invalid_argument);
  CHECK(stream.set_stream_key("\"],\"id\":2}").error().code == ErrorCode::invalid_argument);
  CHECK(stream.set_stream_key(std::string(257, 'a')).error().code == ErrorCode::invalid_argument);
  CHECK(stream.subscriptions({}).error().code == ErrorCode::invalid_argument);  // refused keys change nothing
  CHECK(stream.connection_target("/private") == "/private");
  CHECK(stream.subscribed_by_connecting());

  const std::string key = binance::parse_listen_key(binance_fixture("usdm_listen_key.json")).value();
  CHECK(key == kDocKey);
  REQUIRE(stream.set_stream_key(key));
  CHECK(stream.subscriptions({}).value().empty());  // connecting is subscribing
  CHECK(stream.connection_target("/private") == "/private/ws?listenKey=" + kDocKey);
  CHECK(stream.connection_target("/private/") == "/private/ws?listenKey=" + kDocKey);
  CHECK(stream.connection_target("/") == "/ws?listenKey=" + kDocKey);
  // A reply to a request → nothing; an error reply → its error.
  CHECK(events(stream, R"({"result":null,"id":5})").empty());
  const auto refused =
      stream.on_message(R"({"code":2,"msg":"Invalid request: property name must be a string","id":1})");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().venue_code == "2");
}

TEST_CASE("usdm user stream: ORDER_TRADE_UPDATE of the documentation, and a fill") {
  binance::UsdmUserStream stream;
  const auto created = events(stream, binance_fixture_text("usdm_ws_order_trade_update.json"));
  REQUIRE(created.size() == 1);
  const auto& update = std::get<venue::OrderUpdate>(created[0]);
  CHECK(update.event_time_ms == 1568879465651);
  CHECK(update.order.symbol == "BTCUSDT");
  CHECK(update.order.client_order_id == "TEST");
  CHECK(update.order.order_id == "8886774");
  CHECK(update.order.status == venue::OrderStatus::new_);
  CHECK(update.order.side == cts::Side::sell);
  CHECK(update.order.type == cts::OrderType::stop_market);
  CHECK(update.order.trailing);
  CHECK(update.order.trigger_price == "7103.04"_d);
  CHECK(update.order.quantity == "0.001"_d);
  CHECK(update.order.position_side == venue::PositionSide::long_);
  CHECK_FALSE(update.last_fill);
  CHECK_FALSE(update.amended);
  CHECK(update.realized_pnl.is_zero());

  // A maker fill of 0.004 at 64000.10 (notional 256.0004; 0.02 % fee = 0.05120008 USDT)
  // that closes part of a short: realised PnL -1.25.
  const std::string fill_frame =
      R"({"e":"ORDER_TRADE_UPDATE","E":1568879465700,"T":1568879465699,"o":{"s":"BTCUSDT","c":"cts-1","S":"BUY",)"
      R"("o":"LIMIT","f":"GTX","q":"0.010","p":"64000.10","ap":"64000.10","sp":"0","x":"TRADE",)"
      R"("X":"PARTIALLY_FILLED","i":8886775,"l":"0.004","z":"0.004","L":"64000.10","N":"USDT","n":"0.05120008",)"
      R"("T":1568879465699,"t":4455,"b":"0","a":"0","m":true,"R":true,"wt":"CONTRACT_PRICE","ot":"LIMIT",)"
      R"("ps":"BOTH","cp":false,"rp":"-1.25000000","pP":false,"si":0,"ss":0,"V":"NONE","pm":"NONE","gtd":0}})";
  const auto filled = events(stream, fill_frame);
  REQUIRE(filled.size() == 1);
  const auto& fill = std::get<venue::OrderUpdate>(filled[0]);
  CHECK(fill.event_time_ms == 1568879465700);
  CHECK(fill.order.status == venue::OrderStatus::partially_filled);
  CHECK(fill.order.time_in_force == cts::TimeInForce::post_only);
  CHECK(fill.order.executed_quantity == "0.004"_d);
  CHECK(fill.order.average_price == "64000.10"_d);
  CHECK(fill.order.reduce_only);
  CHECK(fill.order.position_side == venue::PositionSide::both);
  REQUIRE(fill.last_fill);
  CHECK(fill.last_fill->trade_id == "4455");
  CHECK(fill.last_fill->price == "64000.10"_d);
  CHECK(fill.last_fill->quantity == "0.004"_d);
  CHECK(fill.last_fill->commission == "0.05120008"_d);
  CHECK(fill.last_fill->commission_asset == "USDT");
  CHECK(fill.realized_pnl == -"1.25"_d);

  // An amendment (PUT /fapi/v1/order) reports x AMENDMENT.
  std::string amended_frame = fill_frame;
  amended_frame.replace(amended_frame.find(R"("x":"TRADE")"), 11, R"("x":"AMENDMENT")");
  const auto amended = events(stream, amended_frame);
  REQUIRE(amended.size() == 1);
  CHECK(std::get<venue::OrderUpdate>(amended[0]).amended);
  CHECK_FALSE(std::get<venue::OrderUpdate>(amended[0]).last_fill);
}

TEST_CASE("usdm user stream: ACCOUNT_UPDATE gives the wallet balances and the positions of the documentation") {
  binance::UsdmUserStream stream;
  const auto account = events(stream, binance_fixture_text("usdm_ws_account_update.json"));
  REQUIRE(account.size() == 2);
  const auto& balances = std::get<venue::BalancesUpdate>(account[0]);
  CHECK(balances.event_time_ms == 1564745798939);
  REQUIRE(balances.balances.size() == 2);
  CHECK(balances.balances[0] == venue::Balance{"USDT", "122624.12345678"_d, "0"_d});
  CHECK(balances.balances[1] == venue::Balance{"BUSD", "1.00000000"_d, "0"_d});
  const auto& positions = std::get<venue::PositionsUpdate>(account[1]);
  CHECK(positions.event_time_ms == 1564745798939);
  REQUIRE(positions.positions.size() == 3);
  CHECK(positions.positions[0].symbol == "BTCUSDT");
  CHECK(positions.positions[0].side == venue::PositionSide::both);
  CHECK(positions.positions[0].quantity.is_zero());
  CHECK(positions.positions[1].side == venue::PositionSide::long_);
  CHECK(positions.positions[1].quantity == "20"_d);
  CHECK(positions.positions[1].entry_price == "6563.665"_d);
  CHECK(positions.positions[1].unrealized_pnl == "2850.212"_d);
  CHECK(positions.positions[1].margin_mode == venue::MarginMode::isolated);
  CHECK(positions.positions[2].side == venue::PositionSide::short_);
  CHECK(positions.positions[2].quantity == -"10"_d);
  CHECK(positions.positions[2].entry_price == "6563.86"_d);
  CHECK(positions.positions[2].unrealized_pnl == -"1423.156"_d);
  // A funding fee moves a balance and no position: no position event.
  const auto funding =
      events(stream, R"({"e":"ACCOUNT_UPDATE","E":1564745799000,"T":1564745798999,"a":{"m":"FUNDING_FEE",)"
                     R"("B":[{"a":"USDT","wb":"122623.12345678","cw":"100.12345678","bc":"0"}],"P":[]}})");
  REQUIRE(funding.size() == 1);
  CHECK(std::get<venue::BalancesUpdate>(funding[0]).balances[0].free == "122623.12345678"_d);
}

TEST_CASE(
    "usdm user stream: listenKeyExpired ends the stream and forgets the key; other documented events are no error") {
  // The documentation's event time is a string.
  const auto parsed = binance::parse_stream_event(binance_fixture_text("usdm_ws_listen_key_expired.json"));
  REQUIRE(parsed);
  CHECK(std::get<binance::StreamTerminated>(*parsed).event_time_ms == 1736996475556);
  CHECK(std::get<binance::StreamTerminated>(
            binance::parse_stream_event(R"({"e":"listenKeyExpired","E":1576653824250})").value())
            .event_time_ms == 1576653824250);
  CHECK(binance::parse_stream_event(R"({"e":"listenKeyExpired","E":"15766x"})").error().code ==
        ErrorCode::protocol_error);

  binance::UsdmUserStream stream;
  REQUIRE(stream.set_stream_key(kDocKey));
  const auto ended = events(stream, binance_fixture_text("usdm_ws_listen_key_expired.json"));
  REQUIRE(ended.size() == 1);
  CHECK(std::holds_alternative<venue::UserStreamEnded>(ended[0]));
  CHECK(stream.subscriptions({}).error().code == ErrorCode::invalid_argument);
  CHECK(stream.connection_target("/private") == "/private");
  REQUIRE(stream.set_stream_key("WsCMN0a4KHUPTQuX6IUnqEZfB1inxmv1qR4kbf1LuEjur5VdbzqvyxqG9TSjVVxv"));
  CHECK(stream.connection_target("/private") ==
        "/private/ws?listenKey=WsCMN0a4KHUPTQuX6IUnqEZfB1inxmv1qR4kbf1LuEjur5VdbzqvyxqG9TSjVVxv");

  // TRADE_LITE (the fill again, lighter), MARGIN_CALL, ACCOUNT_CONFIG_UPDATE: nothing.
  CHECK(events(stream, R"({"e":"TRADE_LITE","E":1721895408092,"T":1721895408214,"s":"BTCUSDT","q":"0.001",)"
                       R"("p":"0","m":false,"c":"z8hcUoOsqEdKMeKPSABslD","S":"BUY","L":"64089.20","l":"0.040",)"
                       R"("t":109100866,"i":8886774})")
            .empty());
  CHECK(events(stream, R"({"e":"MARGIN_CALL","E":1587727187525,"cw":"3.16812045","p":[]})").empty());
  CHECK(events(stream, R"({"e":"ACCOUNT_CONFIG_UPDATE","E":1611646737479,"T":1611646737476,)"
                       R"("ac":{"s":"BTCUSDT","l":25}})")
            .empty());
  // An event nobody documented is still a protocol error.
  CHECK(stream.on_message(R"({"e":"SOMETHING_NEW","E":1})").error().code == ErrorCode::protocol_error);
}
