// Tests for cts/sim/bybit_streams.hpp: the simulator's Bybit v5 WebSocket side, driven
// without sockets and read back by cts's own Bybit stream protocols
// (cts/venue/bybit/stream_protocols.hpp), so the frames are what a Bybit client parses.
// Expected books and balances follow from the orders each test places (worked out in
// the comments); the reply shapes are those of Bybit's WebSocket documentation
// (websocket/connect.mdx, wss-authentication.mdx, public/orderbook.mdx).
#include <cts/sim/bybit_streams.hpp>

#include <string>
#include <variant>
#include <vector>

#include <doctest/doctest.h>

#include <cts/sign/bybit.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/venue/bybit/stream_protocols.hpp>

#include "streams_driver.hpp"

using namespace cts;
using namespace cts::literals;
namespace bybit = cts::venue::bybit;

namespace {

constexpr std::string_view kKey = "streams-key";
constexpr std::string_view kSecret = "streams-secret";
constexpr std::int64_t kNowMs = test::kStreamsNowMs;

struct Venue : test::StreamsDriver<Venue> {
  sim::MatchingEngine engine;
  sim::BybitFront front;
  sim::BybitStreams streams;
  sim::AccountId account;
  sim::AccountId maker;

  Venue() : front(engine), streams(engine, front) {
    engine.add_symbol(sim::default_instruments()[0]);
    const sim::LinearMarket linear = sim::default_linear_markets()[0];
    engine.add_symbol(linear.instrument, linear.filters);
    account = engine.create_account();
    maker = engine.create_account();
    engine.deposit(account, "USDT", "1000"_d);
    engine.deposit(maker, "USDT", "1000000"_d);
    engine.deposit(maker, "BTC", "100"_d);
    streams.add_credential(std::string(kKey), kSecret, account);
  }
};

}  // namespace

TEST_CASE("bybit streams: the documented paths open, others are refused; ping is answered per stream") {
  Venue v;
  CHECK(v.streams.open(1, "/v5/public/spot", kNowMs));
  CHECK(v.streams.open(2, "/v5/public/linear", kNowMs));
  CHECK(v.streams.open(3, "/v5/private?max_active_time=1m", kNowMs));
  CHECK_FALSE(v.streams.open(4, "/v5/public/option", kNowMs));
  CHECK_FALSE(v.streams.open(5, "/ws", kNowMs));
  CHECK(
      v.send(1, R"({"req_id":"p1","op":"ping"})") ==
      std::vector<std::string>{R"({"success":true,"ret_msg":"pong","conn_id":"cts-sim-1","req_id":"p1","op":"ping"})"});
  CHECK(v.send(3, R"({"req_id":"p2","op":"ping"})") ==
        std::vector<std::string>{R"({"req_id":"p2","op":"pong","args":["1700000000000"],"conn_id":"cts-sim-3"})"});
  const auto bad = v.send(1, "not json");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].find(R"("success":false)") != std::string::npos);
}

TEST_CASE("bybit streams: a client keeping the book from the snapshot and deltas equals the engine's book") {
  Venue v;
  v.rest(v.maker, "BTCUSDT", Side::buy, "1"_d, "60000"_d);
  v.rest(v.maker, "BTCUSDT", Side::sell, "2"_d, "60010"_d);
  REQUIRE(v.streams.open(1, "/v5/public/spot", kNowMs));
  (void)v.tick();  // what happened before the subscription is in its snapshot
  bybit::PublicMarketStream client("BTCUSDT", bybit::Category::spot);
  const std::vector<std::string> frames = v.send(1, client.subscriptions()[0]);
  REQUIRE(frames.size() == 2);  // the reply, then the snapshot
  CHECK(client.on_message(frames[0]).value() == venue::MarketChange::subscribed);
  REQUIRE(client.on_message(frames[1]).value() == venue::MarketChange::book);
  CHECK(client.book().best_bid()->price == "60000"_d);
  CHECK(client.book().best_ask()->price == "60010"_d);
  CHECK(client.book().best_ask()->quantity == "2"_d);

  // A better bid, then half the ask taken by a buyer: one delta per tick.
  const sim::Order bid = v.rest(v.maker, "BTCUSDT", Side::buy, "0.5"_d, "60005"_d);
  v.engine.deposit(v.account, "USDT", "100000"_d);
  (void)v.rest(v.account, "BTCUSDT", Side::buy, "1"_d, "60010"_d);  // takes 1 of the 2 at 60010
  const auto deltas = v.tick();
  REQUIRE(deltas.size() == 1);
  CHECK(client.on_message(deltas[0]).value() == venue::MarketChange::book);
  CHECK(client.book().best_bid()->price == "60005"_d);
  CHECK(client.book().best_ask()->quantity == "1"_d);  // 2 − 1

  // The better bid cancelled: the delta removes the level (size "0").
  REQUIRE(v.engine.cancel(v.maker, "BTCUSDT", bid.id, {}, kNowMs));
  const auto removal = v.tick();
  REQUIRE(removal.size() == 1);
  CHECK(removal[0].find(R"(["60005","0"])") != std::string::npos);
  CHECK(client.on_message(removal[0]).value() == venue::MarketChange::book);
  const auto [bids, asks] = v.engine.depth("BTCUSDT", 50);
  REQUIRE(client.book().depth(Side::buy) == bids.size());
  REQUIRE(client.book().depth(Side::sell) == asks.size());
  for (std::size_t i = 0; i < bids.size(); ++i) {
    CHECK(client.book().level(Side::buy, i).price == bids[i].price);
    CHECK(client.book().level(Side::buy, i).quantity == bids[i].quantity);
  }
  for (std::size_t i = 0; i < asks.size(); ++i) {
    CHECK(client.book().level(Side::sell, i).price == asks[i].price);
    CHECK(client.book().level(Side::sell, i).quantity == asks[i].quantity);
  }
  // Nothing changed since: no frame.
  CHECK(v.tick().empty());
}

TEST_CASE("bybit streams: a depth topic's deltas hold only what changed in its top levels since it was last sent") {
  Venue v;
  v.rest(v.maker, "BTCUSDT", Side::buy, "1"_d, "60000"_d);
  v.rest(v.maker, "BTCUSDT", Side::sell, "2"_d, "60010"_d);
  (void)v.tick();
  REQUIRE(v.streams.open(1, "/v5/public/spot", kNowMs));
  const auto frames = v.send(1, R"({"req_id":"d1","op":"subscribe","args":["orderbook.1.BTCUSDT"]})");
  REQUIRE(frames.size() == 2);
  CHECK(frames[1].find(R"("b":[["60000","1"]],"a":[["60010","2"]],"u":1,)") != std::string::npos);

  // A worse bid is below the topic's one level: nothing to send.
  v.rest(v.maker, "BTCUSDT", Side::buy, "1"_d, "59990"_d);
  CHECK(v.tick().empty());
  // A better bid that comes and goes between two ticks: the client never held it, so no
  // delete of it is sent (orderbook.mdx: a size of 0 deletes a level the client holds).
  const sim::Order brief = v.rest(v.maker, "BTCUSDT", Side::buy, "0.3"_d, "60007"_d);
  REQUIRE(v.engine.cancel(v.maker, "BTCUSDT", brief.id, {}, kNowMs));
  CHECK(v.tick().empty());
  // A better bid takes the top: it enters and 60000 leaves, in one delta, u + 1.
  v.rest(v.maker, "BTCUSDT", Side::buy, "0.5"_d, "60002"_d);
  const auto delta = v.tick();
  REQUIRE(delta.size() == 1);
  CHECK(delta[0].find(R"("type":"delta")") != std::string::npos);
  CHECK(delta[0].find(R"("b":[["60002","0.5"],["60000","0"]],"a":[],"u":2,)") != std::string::npos);
}

TEST_CASE("bybit streams: the linear book is its own; an unknown topic is refused with our req_id") {
  Venue v;
  v.rest(v.maker, sim::market_key(InstrumentKind::linear_perpetual, "BTCUSDT"), Side::buy, "1"_d, "59000.0"_d);
  REQUIRE(v.streams.open(2, "/v5/public/linear", kNowMs));
  bybit::PublicMarketStream client("BTCUSDT", bybit::Category::linear);
  const auto frames = v.send(2, client.subscriptions()[0]);
  REQUIRE(frames.size() == 2);
  REQUIRE(client.on_message(frames[1]).value() == venue::MarketChange::book);
  CHECK(client.book().best_bid()->price == "59000"_d);
  CHECK_FALSE(client.book().best_ask().has_value());  // the spot book's orders are not here

  const auto refused = v.send(2, R"({"req_id":"x9","op":"subscribe","args":["orderbook.7.BTCUSDT"]})");
  REQUIRE(refused.size() == 1);
  CHECK(
      refused[0] ==
      R"({"success":false,"ret_msg":"error:handler not found,topic:orderbook.7.BTCUSDT","conn_id":"cts-sim-2","req_id":"x9","op":"subscribe"})");
  CHECK(v.send(2, R"({"op":"subscribe","args":["orderbook.50.DOGEUSDT"]})")[0].find(R"("success":false)") !=
        std::string::npos);
}

TEST_CASE("bybit streams: the private stream needs a valid auth, then reports our orders and wallet") {
  Venue v;
  REQUIRE(v.streams.open(3, "/v5/private", kNowMs));
  const sign::BybitSigner signer{std::string(kKey), sign::Secret(std::string(kSecret))};
  bybit::PrivateUserStream client(signer, bybit::Category::spot);

  const auto early = v.send(3, R"({"req_id":"s0","op":"subscribe","args":["order"]})");
  REQUIRE(early.size() == 1);
  CHECK(early[0].find(R"("success":false)") != std::string::npos);

  const sign::BybitSigner wrong{std::string(kKey), sign::Secret("not-the-secret")};
  const auto refused = v.send(3, wrong.ws_auth_frame(kNowMs + 10'000));
  REQUIRE(refused.size() == 1);
  CHECK_FALSE(client.on_message(refused[0]));
  CHECK(client.on_message(refused[0]).error().code == ErrorCode::auth_failed);
  const auto expired = v.send(3, signer.ws_auth_frame(kNowMs - 1));
  REQUIRE(expired.size() == 1);
  CHECK(client.on_message(expired[0]).error().code == ErrorCode::auth_failed);

  const auto frames = client.subscriptions(from_unix_millis(kNowMs)).value();
  REQUIRE(frames.size() == 2);
  const auto authed = v.send(3, frames[0]);
  REQUIRE(authed.size() == 1);
  CHECK(authed[0] == R"({"success":true,"ret_msg":"","op":"auth","conn_id":"cts-sim-3"})");
  CHECK(client.on_message(authed[0]).value().empty());
  const auto subscribed = v.send(3, frames[1]);
  REQUIRE(subscribed.size() == 1);
  const auto events = client.on_message(subscribed[0]).value();
  REQUIRE(events.size() == 1);
  CHECK(std::holds_alternative<venue::UserSubscribed>(events[0]));

  // Our buy of 0.01 BTC at 60000 rests: 600 USDT locked of 1000.
  const sim::Order order = v.rest(v.account, "BTCUSDT", Side::buy, "0.01"_d, "60000"_d);
  (void)v.rest(v.maker, "BTCUSDT", Side::buy, "1"_d, "50000"_d);  // another account's order: not ours to see
  const auto pushed = v.tick();
  REQUIRE(pushed.size() == 2);  // order, wallet
  const auto order_events = client.on_message(pushed[0]).value();
  REQUIRE(order_events.size() == 1);
  const auto& update = std::get<venue::OrderUpdate>(order_events[0]);
  CHECK(update.order.order_id == std::to_string(order.id));
  CHECK(update.order.status == venue::OrderStatus::new_);
  CHECK(update.order.price == "60000"_d);
  CHECK(update.order.quantity == "0.01"_d);
  const auto wallet_events = client.on_message(pushed[1]).value();
  REQUIRE(wallet_events.size() == 1);
  const auto& wallet = std::get<venue::BalancesUpdate>(wallet_events[0]);
  bool usdt_seen = false;
  for (const venue::Balance& b : wallet.balances) {
    if (b.asset != "USDT") continue;
    usdt_seen = true;
    CHECK(b.free == "400"_d);
    CHECK(b.locked == "600"_d);
  }
  CHECK(usdt_seen);
}

TEST_CASE("bybit streams: ws_drop_every drops the connection instead of its Nth frame, counted; set_faults restarts") {
  sim::FaultConfig faults;
  faults.ws_drop_every = 3;
  Venue v;
  sim::BybitStreams streams(v.engine, v.front, faults);
  REQUIRE(streams.open(1, "/v5/public/spot", kNowMs));
  std::vector<sim::WsOutput> out;
  // Frames 1 and 2: the subscription's reply and its snapshot.
  streams.message(1, R"({"op":"subscribe","args":["orderbook.50.BTCUSDT"]})", kNowMs, out);
  REQUIRE(out.size() == 2);
  CHECK_FALSE(out[0].drop);
  CHECK_FALSE(out[1].drop);
  // Frame 3, the delta of a new bid, is not sent: the connection is dropped instead.
  out.clear();
  (void)v.rest(v.maker, "BTCUSDT", Side::buy, "1"_d, "60000"_d);
  streams.tick(kNowMs, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].connection == 1);
  CHECK(out[0].drop);
  CHECK(out[0].text.empty());
  CHECK(streams.stats().drops == 1);
  CHECK(streams.stats().messages_sent == 2);
  CHECK(streams.connections().empty());
  // The dropped connection hears nothing more.
  out.clear();
  streams.message(1, R"({"op":"ping"})", kNowMs, out);
  (void)v.rest(v.maker, "BTCUSDT", Side::buy, "1"_d, "60001"_d);
  streams.tick(kNowMs, out);
  CHECK(out.empty());

  // Without the fault, a new connection gets every frame; set_faults restarts the count.
  streams.set_faults({});
  REQUIRE(streams.open(2, "/v5/public/spot", kNowMs));
  for (int i = 0; i < 4; ++i) streams.message(2, R"({"op":"ping"})", kNowMs, out);
  REQUIRE(out.size() == 4);
  for (const sim::WsOutput& o : out) CHECK_FALSE(o.drop);
  streams.set_faults(faults);
  out.clear();
  for (int i = 0; i < 3; ++i) streams.message(2, R"({"op":"ping"})", kNowMs, out);
  REQUIRE(out.size() == 3);
  CHECK_FALSE(out[0].drop);
  CHECK_FALSE(out[1].drop);
  CHECK(out[2].drop);
  CHECK(streams.stats().drops == 2);
}

TEST_CASE("bybit streams: a fill on a linear position sends a position frame with the size and entry price") {
  Venue v;
  const std::string linear = sim::market_key(InstrumentKind::linear_perpetual, "BTCUSDT");
  REQUIRE(v.streams.open(3, "/v5/private", kNowMs));
  const sign::BybitSigner signer{std::string(kKey), sign::Secret(std::string(kSecret))};
  bybit::PrivateUserStream client(signer, bybit::Category::linear);
  const auto frames = client.subscriptions(from_unix_millis(kNowMs)).value();
  REQUIRE(v.send(3, frames[0]).size() == 1);
  const auto subscribed = v.send(3, frames[1]);  // order, wallet, position
  REQUIRE(subscribed.size() == 1);
  CHECK(std::holds_alternative<venue::UserSubscribed>(client.on_message(subscribed[0]).value().at(0)));
  CHECK(v.tick().empty());  // no position frame at subscription

  const auto position_of = [&](const std::string& frame) {
    const auto events = client.on_message(frame).value();
    REQUIRE(events.size() == 1);
    const auto update = std::get<venue::PositionsUpdate>(events[0]);
    REQUIRE(update.positions.size() == 1);  // the one linear market
    return update;
  };

  // We buy 0.01 at 60000 from a resting sell: long 0.01 at 60000. The book is empty
  // afterwards, so the mark is the last trade, 60000: no unrealised PnL.
  (void)v.rest(v.maker, linear, Side::sell, "0.01"_d, "60000"_d);
  (void)v.tick();
  (void)v.rest(v.account, linear, Side::buy, "0.01"_d, "60000"_d);
  const auto first = v.tick();
  // The position first (Bybit, too, may send it before the execution), then per order
  // event (new, trade) its order and wallet frames.
  REQUIRE(first.size() == 5);
  CHECK(first[0].find(R"("topic":"position")") != std::string::npos);
  CHECK(first[0].find(R"("category":"linear")") != std::string::npos);
  const venue::PositionsUpdate opened = position_of(first[0]);
  CHECK(opened.event_time_ms == kNowMs);
  CHECK(opened.positions[0].symbol == "BTCUSDT");
  CHECK(opened.positions[0].side == venue::PositionSide::both);  // positionIdx 0: one-way mode
  CHECK(opened.positions[0].quantity == "0.01"_d);
  CHECK(opened.positions[0].entry_price == "60000"_d);
  CHECK(opened.positions[0].mark_price == "60000"_d);
  CHECK(opened.positions[0].unrealized_pnl.is_zero());
  CHECK(*opened.positions[0].leverage == "10"_d);  // Bybit's default
  CHECK(std::holds_alternative<venue::OrderUpdate>(client.on_message(first[1]).value().at(0)));

  // 0.02 more at 60300: entry (0.01·60000 + 0.02·60300) / 0.03 = 1806 / 0.03 = 60200;
  // mark 60300 (the last trade), unrealised (60300 − 60200)·0.03 = 3.
  (void)v.rest(v.maker, linear, Side::sell, "0.02"_d, "60300"_d);
  (void)v.tick();
  (void)v.rest(v.account, linear, Side::buy, "0.02"_d, "60300"_d);
  const auto second = v.tick();
  REQUIRE_FALSE(second.empty());
  const venue::PositionsUpdate grown = position_of(second[0]);
  CHECK(grown.positions[0].quantity == "0.03"_d);
  CHECK(grown.positions[0].entry_price == "60200"_d);
  CHECK(grown.positions[0].mark_price == "60300"_d);
  CHECK(grown.positions[0].unrealized_pnl == "3"_d);
  CHECK(grown.positions[0].notional == "1806"_d);  // positionValue: 0.03·60200

  // Selling 0.03 at 60500 closes it: size 0, side "".
  (void)v.rest(v.maker, linear, Side::buy, "0.03"_d, "60500"_d);
  (void)v.tick();
  (void)v.rest(v.account, linear, Side::sell, "0.03"_d, "60500"_d);
  const auto closed = v.tick();
  REQUIRE_FALSE(closed.empty());
  CHECK(closed[0].find(R"("side":"","size":"0")") != std::string::npos);
  CHECK(position_of(closed[0]).positions[0].quantity.is_zero());

  // A leverage change is a change of the position too; nothing else changed since.
  CHECK(v.tick().empty());
  REQUIRE(v.engine.set_leverage(v.account, linear, "5"_d, kNowMs));
  const auto leverage = v.tick();
  REQUIRE(leverage.size() == 1);
  CHECK(*position_of(leverage[0]).positions[0].leverage == "5"_d);

  // Other accounts' fills are not ours to hear.
  const sim::AccountId other = v.engine.create_account();
  v.engine.deposit(other, "USDT", "10000"_d);
  (void)v.rest(v.maker, linear, Side::sell, "0.01"_d, "60000"_d);
  (void)v.rest(other, linear, Side::buy, "0.01"_d, "60000"_d);
  CHECK(v.tick().empty());
}

TEST_CASE("bybit streams: tickers.<symbol> sends a snapshot, then linear deltas of what changed and spot snapshots") {
  Venue v;
  const std::string linear = sim::market_key(InstrumentKind::linear_perpetual, "BTCUSDT");
  REQUIRE(v.streams.open(2, "/v5/public/linear", kNowMs));
  CHECK(v.tick().empty());  // nobody listens to the ticker yet
  const auto subscribed = v.send(2, R"({"req_id":"t1","op":"subscribe","args":["tickers.BTCUSDT"]})");
  REQUIRE(subscribed.size() == 2);  // the reply, then the snapshot
  CHECK(subscribed[0].find(R"("success":true)") != std::string::npos);
  const auto snapshot = std::get<bybit::TickerUpdate>(bybit::parse_stream_event(subscribed[1]).value());
  CHECK(snapshot.snapshot);
  CHECK(snapshot.ticker.symbol == "BTCUSDT");
  CHECK(snapshot.ticker.bid_price.is_zero());  // an empty book: ""
  venue::Ticker kept;
  snapshot.merge_into(kept);

  // A bid of 1 at 59000 and an ask of 2 at 61000: the mark is their mid, 60000.
  (void)v.rest(v.maker, linear, Side::buy, "1"_d, "59000"_d);
  (void)v.rest(v.maker, linear, Side::sell, "2"_d, "61000"_d);
  const auto quoted = v.tick(kNowMs + 100);
  REQUIRE(quoted.size() == 1);
  CHECK(quoted[0].find(R"("type":"delta")") != std::string::npos);
  CHECK(quoted[0].find("lastPrice") == std::string::npos);  // no trade yet: unchanged
  const auto delta = std::get<bybit::TickerUpdate>(bybit::parse_stream_event(quoted[0]).value());
  CHECK_FALSE(delta.snapshot);
  delta.merge_into(kept);
  CHECK(kept.bid_price == "59000"_d);
  CHECK(kept.bid_quantity == "1"_d);
  CHECK(kept.ask_price == "61000"_d);
  CHECK(kept.ask_quantity == "2"_d);
  CHECK(kept.mark_price == "60000"_d);
  CHECK(kept.index_price == "60000"_d);
  CHECK(kept.time_ms == kNowMs + 100);

  // Someone buys 0.5 at 61000: last 61000, volume 0.5, turnover 30500, ask size 1.5,
  // mark (59000 + 61000) / 2 = 60000 unchanged.
  v.engine.deposit(v.account, "USDT", "100000"_d);
  (void)v.rest(v.account, linear, Side::buy, "0.5"_d, "61000"_d);
  const auto traded = v.tick(kNowMs + 200);
  REQUIRE(traded.size() == 1);
  CHECK(traded[0].find("markPrice") == std::string::npos);
  CHECK(traded[0].find("bid1Price") == std::string::npos);
  std::get<bybit::TickerUpdate>(bybit::parse_stream_event(traded[0]).value()).merge_into(kept);
  CHECK(kept.last_price == "61000"_d);
  CHECK(kept.volume_24h == "0.5"_d);
  CHECK(kept.turnover_24h == "30500"_d);
  CHECK(kept.ask_quantity == "1.5"_d);
  CHECK(kept.bid_price == "59000"_d);
  CHECK(v.tick(kNowMs + 300).empty());  // nothing changed

  // Spot tickers are snapshots only, without the book's best levels.
  REQUIRE(v.streams.open(1, "/v5/public/spot", kNowMs));
  REQUIRE(v.send(1, R"({"op":"subscribe","args":["tickers.BTCUSDT"]})").size() == 2);
  (void)v.rest(v.maker, "BTCUSDT", Side::sell, "1"_d, "60010"_d);
  (void)v.rest(v.account, "BTCUSDT", Side::buy, "0.01"_d, "60010"_d);
  const auto spot = v.tick(kNowMs + 400);
  REQUIRE(spot.size() == 1);
  CHECK(spot[0].find(R"("type":"snapshot")") != std::string::npos);
  CHECK(spot[0].find("bid1Price") == std::string::npos);
  const auto spot_ticker = std::get<bybit::TickerUpdate>(bybit::parse_stream_event(spot[0]).value());
  CHECK(spot_ticker.snapshot);
  CHECK(spot_ticker.ticker.last_price == "60010"_d);
  CHECK(spot_ticker.ticker.volume_24h == "0.01"_d);
  CHECK(spot_ticker.ticker.turnover_24h == "600.1"_d);

  // A symbol the venue does not list is refused.
  CHECK(v.send(1, R"({"op":"subscribe","args":["tickers.DOGEUSDT"]})")[0].find(R"("success":false)") !=
        std::string::npos);
}
