// Tests for cts/venue/bingx/streams.hpp, user_stream.hpp and spot_user_stream.hpp: GZIP
// frames inflated, the server's Ping, the subscription replies, the partial depths and
// the account events, swap and spot, of BingX's docs v3 (tests/fixtures/bingx,
// README there), compressed here with zlib as BingX sends every frame. Expected values
// are the document's.
#include <cts/venue/bingx/spot_user_stream.hpp>
#include <cts/venue/bingx/streams.hpp>
#include <cts/venue/bingx/user_stream.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <doctest/doctest.h>
#include <zlib.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::MarketChange;
using cts_test::bingx_fixture_text;
namespace bingx = cts::venue::bingx;
using namespace cts::literals;

namespace {

/// `text` as a GZIP stream (zlib's deflate with a gzip wrapper).
std::string gzip(std::string_view text) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, static_cast<uLong>(text.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

/// The docs' depth push, for the data type the stream subscribes (depth20 instead of
/// the example's depth5; the levels are the example's).
std::string depth_push() {
  std::string text = bingx_fixture_text("ws_depth.json");
  text.replace(text.find("@depth5@"), 8, "@depth20@");
  return text;
}

}  // namespace

TEST_CASE("bingx frames: GZIP inflated, plain text kept, corrupt GZIP refused") {
  CHECK(bingx::inflate_frame(gzip("Ping")).value() == "Ping");
  CHECK(bingx::inflate_frame("Ping").value() == "Ping");
  std::string corrupt = gzip(depth_push());
  corrupt.resize(corrupt.size() / 2);
  CHECK(bingx::inflate_frame(corrupt).error().code == ErrorCode::protocol_error);
  CHECK(bingx::subscribe_frame("a1", "BTC-USDT@depth20@500ms") ==
        R"({"id":"a1","reqType":"sub","dataType":"BTC-USDT@depth20@500ms"})");
  CHECK(bingx::depth_data_type("BTC-USDT") == "BTC-USDT@depth20@500ms");
}

TEST_CASE("bingx stream messages: ping, reply and the docs' depth push") {
  CHECK(bingx::parse_stream_message(gzip("Ping")).value().kind == bingx::StreamMessage::Kind::ping);
  const auto reply = bingx::parse_stream_message(gzip(bingx_fixture_text("ws_subscribe_reply.json"))).value();
  CHECK(reply.kind == bingx::StreamMessage::Kind::reply);
  CHECK(reply.id == "e745cd6d-d0f6-4a70-8d5a-043e4c741b40");
  CHECK(reply.code == 0);
  const auto push = bingx::parse_stream_message(gzip(bingx_fixture_text("ws_depth.json"))).value();
  CHECK(push.kind == bingx::StreamMessage::Kind::push);
  CHECK(push.data_type == "BTC-USDT@depth5@500ms");
  CHECK(push.time_ms == 1759996742928);
  REQUIRE(push.depth.bids.size() == 5);
  REQUIRE(push.depth.asks.size() == 5);
  CHECK(push.depth.bids.front().price == "121825.7"_d);
  CHECK(push.depth.bids.front().quantity == "7.7622"_d);
  CHECK(push.depth.asks.front().price == "121825.9"_d);  // printed last: asks come highest first
  CHECK(push.depth.asks.front().quantity == "9.2345"_d);
  CHECK(push.depth.asks.back().price == "121827.3"_d);
  CHECK(bingx::parse_stream_message(gzip("{")).error().code == ErrorCode::protocol_error);
  CHECK(bingx::parse_stream_message(gzip(R"({"code":0,"dataType":"BTC-USDT@depth5@500ms","data":{"bids":[]}})"))
            .error()
            .code == ErrorCode::protocol_error);
}

TEST_CASE("bingx market stream: subscribed, then every depth push replaces the book") {
  bingx::PublicMarketStream stream("BTC-USDT");
  CHECK(stream.path() == "/swap-market");
  CHECK(stream.application_ping().empty());  // the client's keep-alive: protocol pings
  REQUIRE(stream.subscriptions().size() == 1);
  CHECK(stream.subscriptions()[0] ==
        R"({"id":"cts-depth-BTC-USDT","reqType":"sub","dataType":"BTC-USDT@depth20@500ms"})");
  CHECK_FALSE(stream.rest_snapshots());

  std::string reply = bingx_fixture_text("ws_subscribe_reply.json");
  reply.replace(reply.find("e745cd6d-d0f6-4a70-8d5a-043e4c741b40"), 36, "cts-depth-BTC-USDT");
  CHECK(stream.on_message(gzip(reply)).value() == MarketChange::subscribed);
  CHECK(stream.answer(gzip(reply)).empty());
  // "When the Websocket Client receives this heartbeat message, it should return a Pong
  // message" (docs v3, "WebSocket Rules"): once per Ping.
  CHECK(stream.on_message(gzip("Ping")).value() == MarketChange::none);
  CHECK(stream.answer(gzip("Ping")) == "Pong");
  CHECK(stream.answer("Ping") == "Pong");  // plain text too
  CHECK_FALSE(stream.synced());

  CHECK(stream.on_message(gzip(depth_push())).value() == MarketChange::book);
  CHECK(stream.answer(gzip(depth_push())).empty());
  CHECK(stream.synced());
  CHECK(stream.book().best_bid()->price == "121825.7"_d);
  CHECK(stream.book().best_ask()->price == "121825.9"_d);
  CHECK(stream.book().depth(cts::Side::sell) == 5);
  // Another symbol's push, or the docs' depth5 type, changes nothing.
  CHECK(stream.on_message(gzip(bingx_fixture_text("ws_depth.json"))).value() == MarketChange::none);

  std::string refused = reply;
  refused.replace(refused.find(R"("code":0)"), 8, R"("code":80015)");
  CHECK(stream.on_message(gzip(refused)).error().code == ErrorCode::invalid_argument);

  // A crossed push: the book is dropped (gap).
  std::string crossed = depth_push();
  crossed.replace(crossed.find("121825.9"), 8, "121800.0");
  CHECK(stream.on_message(gzip(crossed)).value() == MarketChange::gap);
  CHECK_FALSE(stream.synced());
  stream.reset();
  CHECK(stream.book().depth(cts::Side::buy) == 0);
  CHECK(stream.on_snapshot({}).error().code == ErrorCode::unsupported);
}

TEST_CASE("bingx account stream: the listen key names the connection, which is the subscription") {
  bingx::SwapUserStream stream;
  CHECK(stream.subscribed_by_connecting());
  CHECK(stream.subscriptions(cts::SystemTime{}).error().code == ErrorCode::invalid_argument);  // no key yet
  CHECK(stream.connection_target("/swap-market") == "/swap-market");
  CHECK(stream.set_stream_key("").error().code == ErrorCode::invalid_argument);
  CHECK(stream.set_stream_key("a8ea7568&x=1").error().code == ErrorCode::invalid_argument);
  // The docs' key (swap-v2 "Websocket account information push").
  const std::string key = "a8ea75681542e66f1a50a1616dd06ed77dab61baa0c296bca03a9b13ee5f2dd7";
  REQUIRE(stream.set_stream_key(key));
  CHECK(stream.subscriptions(cts::SystemTime{}).value().empty());
  CHECK(stream.connection_target("/swap-market") == "/swap-market?listenKey=" + key);
  CHECK(stream.connection_target("/swap-market/") == "/swap-market?listenKey=" + key);
  CHECK(stream.connection_target("/") == "/swap-market?listenKey=" + key);
}

TEST_CASE("bingx account stream: the docs' order update is the order's state, its fills left to REST") {
  bingx::SwapUserStream stream;
  auto events = stream.on_message(gzip(bingx_fixture_text("ws_order_update.json"))).value();
  REQUIRE(events.size() == 1);
  const auto* update = std::get_if<cts::venue::OrderUpdate>(&events[0]);
  REQUIRE(update);
  CHECK(update->event_time_ms == 1676973375161);
  CHECK(update->order.symbol == "LINK-USDT");
  CHECK(update->order.order_id == "1627970445070303232");
  CHECK(update->order.client_order_id.empty());
  CHECK(update->order.side == cts::Side::sell);
  CHECK(update->order.type == cts::OrderType::market);
  CHECK(update->order.quantity == "5"_d);
  CHECK(update->order.price == "7.827"_d);
  CHECK(update->order.average_price == "7.8269"_d);
  CHECK(update->order.status == cts::venue::OrderStatus::filled);
  CHECK(update->order.executed_quantity == "0"_d);  // as the docs print it
  CHECK(update->order.position_side == cts::venue::PositionSide::short_);
  CHECK(update->order.time_ms == 1676973375149);
  CHECK(update->realized_pnl == "0"_d);
  CHECK_FALSE(update->last_fill);  // no trade id in the event: the executor reads the fills by REST
  CHECK(stream.answer(gzip(bingx_fixture_text("ws_order_update.json"))).empty());

  // Our client id comes back from its lower-case wire form ("_c" is "C").
  std::string ours = bingx_fixture_text("ws_order_update.json");
  ours.replace(ours.find(R"("c":"")"), 6, R"("c":"_cts_q1")");
  ours.replace(ours.find(R"("T":1676973375149)"), 17, R"("T":0)");
  events = stream.on_message(gzip(ours)).value();
  REQUIRE(events.size() == 1);
  CHECK(std::get<cts::venue::OrderUpdate>(events[0]).order.client_order_id == "CtsQ1");
  CHECK(std::get<cts::venue::OrderUpdate>(events[0]).order.time_ms == 1676973375161);  // T 0: the event's time

  std::string broken = bingx_fixture_text("ws_order_update.json");
  broken.replace(broken.find(R"("X":"FILLED")"), 12, R"("X":"SOMEHOW")");
  CHECK(stream.on_message(gzip(broken)).error().code == ErrorCode::protocol_error);
  CHECK(stream.on_message(gzip("{")).error().code == ErrorCode::protocol_error);
}

TEST_CASE("bingx account stream: the docs' account update gives balances and a signed position") {
  bingx::SwapUserStream stream;
  const auto events = stream.on_message(gzip(bingx_fixture_text("ws_account_update.json"))).value();
  REQUIRE(events.size() == 2);
  const auto& balances = std::get<cts::venue::BalancesUpdate>(events[0]);
  CHECK(balances.event_time_ms == 1676603102163);
  REQUIRE(balances.balances.size() == 1);
  CHECK(balances.balances[0].asset == "USDT");
  CHECK(balances.balances[0].free == "5277.59264687"_d);
  CHECK(balances.balances[0].locked == "0"_d);
  const auto& positions = std::get<cts::venue::PositionsUpdate>(events[1]);
  REQUIRE(positions.positions.size() == 1);
  const cts::venue::Position& link = positions.positions[0];
  CHECK(link.symbol == "LINK-USDT");
  CHECK(link.side == cts::venue::PositionSide::short_);
  CHECK(link.quantity == "-108.843"_d);  // the SHORT leg, written positive by BingX
  CHECK(link.entry_price == "7.2562"_d);
  CHECK(link.unrealized_pnl == "1.4222"_d);
  CHECK(link.margin_mode == cts::venue::MarginMode::isolated);
}

TEST_CASE("bingx account stream: Ping is answered Pong; listenKeyExpired ends the subscription and forgets the key") {
  bingx::SwapUserStream stream;
  REQUIRE(stream.set_stream_key("53c1067059c5401e216ec0562f4e9741f49c3c18239a743653d844a50c4db6c0"));
  CHECK(stream.on_message(gzip("Ping")).value().empty());
  CHECK(stream.answer(gzip("Ping")) == "Pong");
  // Other documented events give nothing (swap-v2 "4. Configuration updates").
  CHECK(stream.on_message(gzip(R"({"e":"ACCOUNT_CONFIG_UPDATE","E":1676878489992,"ac":{"s":"BTC-USDT","l":12,"S":9,"mt":"cross"}})"))
            .value()
            .empty());
  const auto events = stream.on_message(gzip(bingx_fixture_text("ws_listen_key_expired.json"))).value();
  REQUIRE(events.size() == 1);
  CHECK(std::holds_alternative<cts::venue::UserStreamEnded>(events[0]));
  CHECK(stream.subscriptions(cts::SystemTime{}).error().code == ErrorCode::invalid_argument);
  CHECK(stream.connection_target("/swap-market") == "/swap-market");
}

TEST_CASE("bingx spot market stream: /market, the docs' spot depth push replaces the book") {
  bingx::PublicMarketStream stream("BTC-USDT", bingx::StreamMarket::spot);
  CHECK(stream.path() == "/market");
  REQUIRE(stream.subscriptions().size() == 1);
  CHECK(stream.subscriptions()[0] == R"({"id":"cts-depth-BTC-USDT","reqType":"sub","dataType":"BTC-USDT@depth20"})");
  std::string reply = bingx_fixture_text("spot_ws_subscribe_reply.json");
  reply.replace(reply.find("e745cd6d-d0f6-4a70-8d5a-043e4c741b40"), 36, "cts-depth-BTC-USDT");
  CHECK(stream.on_message(gzip(reply)).value() == MarketChange::subscribed);
  // The docs' push is of depth50: another data type than ours changes nothing.
  std::string push = bingx_fixture_text("spot_ws_depth.json");
  CHECK(stream.on_message(gzip(push)).value() == MarketChange::none);
  push.replace(push.find("@depth50"), 8, "@depth20");
  CHECK(stream.on_message(gzip(push)).value() == MarketChange::book);
  CHECK(stream.synced());
  CHECK(stream.book().best_bid()->price == "121228.61"_d);
  CHECK(stream.book().best_bid()->quantity == "0.000321"_d);
  CHECK(stream.book().best_ask()->price == "121228.63"_d);  // printed last: asks come highest first
  CHECK(stream.book().depth(cts::Side::sell) == 50);
  const auto message = bingx::parse_stream_message(gzip(push)).value();
  CHECK(message.time_ms == 1760066405887);  // spot's "timestamp"
  CHECK(stream.answer(gzip("Ping")) == "Pong");
}

TEST_CASE("bingx stream messages: the docs' trade and book-ticker pushes, swap and spot, read exactly") {
  // Swap "Subscribe to Tick-by-Tick Trades": a batch of two, no trade id.
  const auto swap_trades = bingx::parse_stream_message(gzip(bingx_fixture_text("ws_trade.json"))).value();
  CHECK(swap_trades.data_type == "BTC-USDT@trade");
  REQUIRE(swap_trades.trades.size() == 2);
  CHECK(swap_trades.trades[0].price == "121934.9"_d);
  CHECK(swap_trades.trades[0].quantity == "0.0162"_d);
  CHECK(swap_trades.trades[0].time_ms == 1759994162450);
  CHECK_FALSE(swap_trades.trades[0].buyer_is_maker);
  CHECK(swap_trades.trades[0].id.empty());
  CHECK(swap_trades.trades[1].price == "121926.9"_d);
  CHECK(swap_trades.trades[1].quantity == "0.0551"_d);
  CHECK(swap_trades.trades[1].buyer_is_maker);
  // Spot "Subscription transaction by transaction": one trade, `data` before `dataType`.
  const auto spot_trade = bingx::parse_stream_message(gzip(bingx_fixture_text("spot_ws_trade.json"))).value();
  CHECK(spot_trade.data_type == "BTC-USDT@trade");
  REQUIRE(spot_trade.trades.size() == 1);
  CHECK(spot_trade.trades[0].id == "172356086");
  CHECK(spot_trade.trades[0].price == "121123.47"_d);
  CHECK(spot_trade.trades[0].quantity == "0.003189"_d);
  CHECK(spot_trade.trades[0].time_ms == 1760066129316);
  CHECK(spot_trade.trades[0].buyer_is_maker);
  CHECK(spot_trade.time_ms == 1760066129336);
  // Swap "Subscribe to the Book Ticker Streams": timed by E, not by its update id u.
  const auto swap_ticker = bingx::parse_stream_message(gzip(bingx_fixture_text("ws_book_ticker.json"))).value();
  REQUIRE(swap_ticker.ticker.has_value());
  CHECK(swap_ticker.ticker->symbol == "BTC-USDT");
  CHECK(swap_ticker.ticker->bid_price == "121584.1"_d);
  CHECK(swap_ticker.ticker->bid_quantity == "18.7084"_d);
  CHECK(swap_ticker.ticker->ask_price == "121584.3"_d);
  CHECK(swap_ticker.ticker->ask_quantity == "4.9602"_d);
  CHECK(swap_ticker.ticker->update_id == 1760001840686);
  // Spot "Spot Best Order Book": `data` before `dataType`, no T.
  const auto spot_ticker = bingx::parse_stream_message(gzip(bingx_fixture_text("spot_ws_book_ticker.json"))).value();
  REQUIRE(spot_ticker.ticker.has_value());
  CHECK(spot_ticker.ticker->bid_price == "121342.22"_d);
  CHECK(spot_ticker.ticker->bid_quantity == "4.372149"_d);
  CHECK(spot_ticker.ticker->ask_price == "121348.56"_d);
  CHECK(spot_ticker.ticker->ask_quantity == "0.000016"_d);
  CHECK(spot_ticker.ticker->update_id == 1760066515920);
  // Unknown members are ignored (the docs' e, u, s, E of a trade); malformed or missing
  // required ones are typed errors.
  const auto refused = [](std::string text, std::string_view from, std::string_view to) {
    text.replace(text.find(from), from.size(), to);
    return bingx::parse_stream_message(gzip(text)).error().code;
  };
  CHECK(refused(bingx_fixture_text("ws_trade.json"), R"("p":"121934.9")", R"("p":"12x")") == ErrorCode::protocol_error);
  CHECK(refused(bingx_fixture_text("ws_trade.json"), R"("q":"0.0162",)", "") == ErrorCode::protocol_error);
  CHECK(refused(bingx_fixture_text("ws_trade.json"), R"("q":"0.0162")", R"("q":"0")") == ErrorCode::protocol_error);
  CHECK(refused(bingx_fixture_text("ws_trade.json"), R"("p":"121934.9")", R"("p":121934.9)") ==
        ErrorCode::protocol_error);  // a JSON number may have passed through a binary float
  CHECK(refused(bingx_fixture_text("ws_trade.json"), R"("m":false)", R"("m":"no")") == ErrorCode::protocol_error);
  CHECK(refused(bingx_fixture_text("spot_ws_trade.json"), R"("T":1760066129316,)", "") == ErrorCode::protocol_error);
  CHECK(refused(bingx_fixture_text("spot_ws_trade.json"), R"("t":"172356086")", R"("t":"x1")") ==
        ErrorCode::protocol_error);
  CHECK(refused(bingx_fixture_text("ws_book_ticker.json"), R"("A":"4.9602")", R"("A":[1])") ==
        ErrorCode::protocol_error);
  CHECK(refused(bingx_fixture_text("spot_ws_book_ticker.json"), R"("b":"121342.22",)", "") ==
        ErrorCode::protocol_error);
  CHECK(refused(bingx_fixture_text("ws_book_ticker.json"), R"("E":1760001840686)", R"("E":"soon")") ==
        ErrorCode::protocol_error);
  // The same members under another data type are not read.
  std::string kline = bingx_fixture_text("ws_book_ticker.json");
  kline.replace(kline.find("@bookTicker"), 11, "@kline_1m");
  kline.replace(kline.find(R"("b":"121584.1")"), 14, R"("b":"x")");
  const auto other = bingx::parse_stream_message(gzip(kline)).value();
  CHECK_FALSE(other.ticker.has_value());
  CHECK(other.trades.empty());
}

TEST_CASE("bingx market stream: the book ticker and trades on request, swap and spot") {
  // Without options only the depth is subscribed and the docs' pushes change nothing.
  bingx::PublicMarketStream plain("BTC-USDT");
  CHECK(plain.subscriptions().size() == 1);
  CHECK(plain.on_message(gzip(bingx_fixture_text("ws_book_ticker.json"))).value() == MarketChange::none);
  CHECK_FALSE(plain.ticker().has_value());
  CHECK(plain.on_message(gzip(bingx_fixture_text("ws_trade.json"))).value() == MarketChange::none);
  CHECK_FALSE(plain.last_trade().has_value());

  for (const bingx::StreamMarket market : {bingx::StreamMarket::swap, bingx::StreamMarket::spot}) {
    const bool spot = market == bingx::StreamMarket::spot;
    CAPTURE(spot);
    bingx::PublicMarketStream stream("BTC-USDT", market, {.book_ticker = true, .trades = true});
    const std::vector<std::string> frames = stream.subscriptions();
    REQUIRE(frames.size() == 3);
    CHECK(frames[1] == R"({"id":"cts-ticker-BTC-USDT","reqType":"sub","dataType":"BTC-USDT@bookTicker"})");
    CHECK(frames[2] == R"({"id":"cts-trade-BTC-USDT","reqType":"sub","dataType":"BTC-USDT@trade"})");
    // The replies to the ticker and trade subscriptions are not the depth's: none; a
    // refusal of either is BingX's error.
    std::string reply = bingx_fixture_text(spot ? "spot_ws_subscribe_reply.json" : "ws_subscribe_reply.json");
    reply.replace(reply.find("e745cd6d-d0f6-4a70-8d5a-043e4c741b40"), 36, "cts-ticker-BTC-USDT");
    CHECK(stream.on_message(gzip(reply)).value() == MarketChange::none);
    reply.replace(reply.find(R"("code":0)"), 8, R"("code":80015)");
    CHECK(stream.on_message(gzip(reply)).error().code == ErrorCode::invalid_argument);

    const std::string ticker_push = bingx_fixture_text(spot ? "spot_ws_book_ticker.json" : "ws_book_ticker.json");
    CHECK(stream.on_message(gzip(ticker_push)).value() == MarketChange::ticker);
    REQUIRE(stream.ticker().has_value());
    CHECK(stream.ticker()->bid_price == (spot ? "121342.22"_d : "121584.1"_d));
    CHECK(stream.ticker()->ask_price == (spot ? "121348.56"_d : "121584.3"_d));
    // An older push (an earlier E) is ignored.
    std::string older = ticker_push;
    const std::string time = spot ? "1760066515920" : "1760001840686";
    older.replace(older.find(time), time.size(), "1700000000000");
    older.replace(older.find(spot ? "121342.22" : "121584.1"), spot ? 9 : 8, "1");
    CHECK(stream.on_message(gzip(older)).value() == MarketChange::none);
    CHECK(stream.ticker()->bid_price == (spot ? "121342.22"_d : "121584.1"_d));

    const std::string trade_push = bingx_fixture_text(spot ? "spot_ws_trade.json" : "ws_trade.json");
    CHECK(stream.on_message(gzip(trade_push)).value() == MarketChange::none);
    REQUIRE(stream.last_trade().has_value());
    // The swap's batch has two trades of one time: the later in the batch is kept.
    CHECK(stream.last_trade()->price == (spot ? "121123.47"_d : "121926.9"_d));
    CHECK(stream.last_trade()->quantity == (spot ? "0.003189"_d : "0.0551"_d));
    // Another symbol's pushes change nothing.
    std::string other = trade_push;
    other.replace(other.find("BTC-USDT@trade"), 14, "ETH-USDT@trade");
    CHECK(stream.on_message(gzip(other)).value() == MarketChange::none);
    stream.reset();
    CHECK_FALSE(stream.ticker().has_value());
    CHECK_FALSE(stream.last_trade().has_value());
  }
}

TEST_CASE("bingx spot account stream: the listen key on /market, then two subscriptions") {
  bingx::SpotUserStream stream;
  CHECK_FALSE(stream.subscribed_by_connecting());
  CHECK(stream.subscriptions(cts::SystemTime{}).error().code == ErrorCode::invalid_argument);
  // The docs' key (spot "order update event").
  const std::string key = "a8ea75681542e66f1a50a1616dd06ed77dab61baa0c296bca03a9b13ee5f2dd7";
  REQUIRE(stream.set_stream_key(key));
  CHECK(stream.connection_target("/market") == "/market?listenKey=" + key);
  CHECK(stream.connection_target("/") == "/market?listenKey=" + key);
  const auto frames = stream.subscriptions(cts::SystemTime{}).value();
  REQUIRE(frames.size() == 2);
  CHECK(frames[0] == R"({"id":"cts-spot-orders","reqType":"sub","dataType":"spot.executionReport"})");
  CHECK(frames[1] == R"({"id":"cts-spot-balance","reqType":"sub","dataType":"ACCOUNT_UPDATE"})");
  // The docs' reply, to our order subscription: subscribed; to the balance one: nothing.
  std::string reply = bingx_fixture_text("spot_ws_subscribe_reply.json");
  std::string orders_reply = reply;
  orders_reply.replace(orders_reply.find("e745cd6d-d0f6-4a70-8d5a-043e4c741b40"), 36, "cts-spot-orders");
  auto events = stream.on_message(gzip(orders_reply)).value();
  REQUIRE(events.size() == 1);
  CHECK(std::holds_alternative<cts::venue::UserSubscribed>(events[0]));
  std::string balance_reply = reply;
  balance_reply.replace(balance_reply.find("e745cd6d-d0f6-4a70-8d5a-043e4c741b40"), 36, "cts-spot-balance");
  CHECK(stream.on_message(gzip(balance_reply)).value().empty());
  std::string refused = orders_reply;
  refused.replace(refused.find(R"("code":0)"), 8, R"("code":100413)");
  CHECK(stream.on_message(gzip(refused)).error().code == ErrorCode::auth_failed);
  CHECK(stream.on_message(gzip("Ping")).value().empty());
  CHECK(stream.answer(gzip("Ping")) == "Pong");
}

TEST_CASE("bingx spot account stream: the docs' execution report carries its fill") {
  bingx::SpotUserStream stream;
  const auto events = stream.on_message(gzip(bingx_fixture_text("spot_ws_execution_report.json"))).value();
  REQUIRE(events.size() == 1);
  const auto& update = std::get<cts::venue::OrderUpdate>(events[0]);
  CHECK(update.event_time_ms == 1760068118150);
  CHECK(update.order.symbol == "SUI-USDT");
  CHECK(update.order.order_id == "1976495057808654336");
  CHECK(update.order.side == cts::Side::buy);
  CHECK(update.order.type == cts::OrderType::market);
  CHECK(update.order.status == cts::venue::OrderStatus::filled);
  CHECK(update.order.quantity == "5"_d);
  CHECK(update.order.executed_quantity == "5"_d);
  CHECK(update.order.cumulative_quote == "17.3235"_d);
  CHECK(update.order.time_ms == 1760068118035);
  REQUIRE(update.last_fill);
  CHECK(update.last_fill->trade_id == "83956769");
  CHECK(update.last_fill->price == "3.4647"_d);
  CHECK(update.last_fill->quantity == "5"_d);
  CHECK(update.last_fill->commission == "0.005"_d);  // written -0.005: a charge
  CHECK(update.last_fill->commission_asset == "SUI");

  // A NEW event carries no fill; our client id comes back from its wire form.
  std::string placed = bingx_fixture_text("spot_ws_execution_report.json");
  placed.replace(placed.find(R"("x":"TRADE")"), 11, R"("x":"NEW","c":"_cts_q1")");
  const auto new_events = stream.on_message(gzip(placed)).value();
  const auto& fresh = std::get<cts::venue::OrderUpdate>(new_events[0]);
  CHECK_FALSE(fresh.last_fill);
  CHECK(fresh.order.client_order_id == "CtsQ1");

  std::string broken = bingx_fixture_text("spot_ws_execution_report.json");
  broken.replace(broken.find(R"("X":"FILLED")"), 12, R"("X":"SOMEHOW")");
  CHECK(stream.on_message(gzip(broken)).error().code == ErrorCode::protocol_error);
}

TEST_CASE("bingx spot account stream: the docs' balance push; listenKeyExpired ends the stream") {
  bingx::SpotUserStream stream;
  REQUIRE(stream.set_stream_key("53c1067059c5401e216ec0562f4e9741f49c3c18239a743653d844a50c4db6c0"));
  const auto events = stream.on_message(gzip(bingx_fixture_text("spot_ws_account_update.json"))).value();
  REQUIRE(events.size() == 1);
  const auto& balances = std::get<cts::venue::BalancesUpdate>(events[0]);
  CHECK(balances.event_time_ms == 1760067938102);
  REQUIRE(balances.balances.size() == 1);
  CHECK(balances.balances[0].asset == "USDT");
  CHECK(balances.balances[0].free == "0.00000000999999"_d);  // wb less lk
  CHECK(balances.balances[0].locked == "0"_d);
  CHECK(stream.on_message(gzip(R"({"e":"ACCOUNT_UPDATE","E":1,"a":{"B":[{"a":"BTC","wb":"2","lk":"0.5"}]}})"))
            .value()
            .size() == 1);
  const auto ended = stream.on_message(gzip(bingx_fixture_text("ws_listen_key_expired.json"))).value();
  REQUIRE(ended.size() == 1);
  CHECK(std::holds_alternative<cts::venue::UserStreamEnded>(ended[0]));
  CHECK(stream.subscriptions(cts::SystemTime{}).error().code == ErrorCode::invalid_argument);
}
