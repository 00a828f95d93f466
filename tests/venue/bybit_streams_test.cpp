// Tests for cts/venue/bybit/streams.hpp and book_sync.hpp on the frames printed in
// Bybit's v5 WebSocket documentation (tests/fixtures/bybit/ws_*.json). Expected values
// are the documentation's.
#include <cts/venue/bybit/book_sync.hpp>
#include <cts/venue/bybit/streams.hpp>

#include <array>
#include <string>
#include <variant>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::PositionSide;
using cts_test::bybit_fixture_text;
namespace bybit = cts::venue::bybit;
using namespace cts::literals;

namespace {
template <class T>
T event_of(const std::string& frame) {
  const auto event = bybit::parse_stream_event(frame);
  REQUIRE_MESSAGE(event.has_value(), (event ? std::string() : event.error().to_string()));
  REQUIRE(std::holds_alternative<T>(*event));
  return std::get<T>(*event);
}
cts::Error error_of(const std::string& frame) {
  const auto event = bybit::parse_stream_event(frame);
  REQUIRE_FALSE(event.has_value());
  CHECK(event.error().code == ErrorCode::protocol_error);
  return event.error();
}
}  // namespace

TEST_CASE("bybit stream frames to send") {
  const std::array<std::string, 2> topics{bybit::orderbook_topic(50, "BTCUSDT"), bybit::trade_topic("BTCUSDT")};
  // websocket/private/order.mdx: {"op": "subscribe", "args": ["order"]}; req_id is optional
  // (websocket/wss-authentication.mdx) and comes first when given.
  const std::array<std::string, 1> order{"order"};
  CHECK(bybit::subscribe_frame(order) == R"({"op":"subscribe","args":["order"]})");
  CHECK(bybit::subscribe_frame(topics, "10001") ==
        R"({"req_id":"10001","op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT"]})");
  CHECK(bybit::unsubscribe_frame(topics) ==
        R"({"op":"unsubscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT"]})");
  CHECK(bybit::ticker_topic("BTCUSDT") == "tickers.BTCUSDT");
  CHECK(bybit::kPingFrame == R"({"op":"ping"})");
}

TEST_CASE("bybit orderbook snapshot and delta") {
  const auto snapshot = event_of<bybit::BookUpdate>(bybit_fixture_text("ws_orderbook_snapshot.json"));
  CHECK(snapshot.snapshot);
  CHECK(snapshot.symbol == "BTCUSDT");
  REQUIRE(snapshot.book.bids.size() == 2);
  CHECK(snapshot.book.bids[0].price == "16493.50"_d);
  CHECK(snapshot.book.bids[0].quantity == "0.006"_d);
  CHECK(snapshot.book.asks[1].price == "16612.00"_d);
  CHECK(snapshot.book.last_update_id == 18521288);
  CHECK(snapshot.book.sequence == 7961638724);
  CHECK(snapshot.book.event_time_ms == 1672304484978);

  const auto delta = event_of<bybit::BookUpdate>(bybit_fixture_text("ws_orderbook_delta.json"));
  CHECK_FALSE(delta.snapshot);
  REQUIRE(delta.book.bids.size() == 5);
  CHECK(delta.book.bids[4].price == "30240.00"_d);
  CHECK(delta.book.bids[4].quantity.is_zero());
  CHECK(delta.book.asks[0].price == "30248.70"_d);
  CHECK(delta.book.last_update_id == 177400507);
  CHECK(delta.book.sequence == 66544703342);
}

TEST_CASE("bybit book sync: snapshot, newer deltas applied, older ignored, a crossed book or snapshot resyncs") {
  bybit::BookSync sync;
  bybit::BookUpdate delta;
  delta.book.last_update_id = 2;
  delta.book.bids = {{"100"_d, "1"_d}};
  CHECK(sync.on_update(delta).value() == bybit::BookSyncStatus::resync_needed);

  bybit::BookUpdate snapshot;
  snapshot.snapshot = true;
  snapshot.book.last_update_id = 10;
  snapshot.book.sequence = 500;
  snapshot.book.bids = {{"100"_d, "1"_d}, {"99"_d, "2"_d}};
  snapshot.book.asks = {{"101"_d, "1"_d}};
  CHECK(sync.on_update(snapshot).value() == bybit::BookSyncStatus::applied);
  CHECK(sync.synced());

  delta.book.last_update_id = 11;
  delta.book.sequence = 501;
  delta.book.bids = {{"100"_d, "0"_d}, {"99.5"_d, "3"_d}};
  delta.book.asks = {};
  CHECK(sync.on_update(delta).value() == bybit::BookSyncStatus::applied);
  CHECK(sync.book().best_bid()->price == "99.5"_d);
  CHECK(sync.book().best_bid()->quantity == "3"_d);

  bybit::BookUpdate old = delta;
  old.book.last_update_id = 11;
  old.book.bids = {{"98"_d, "9"_d}};
  CHECK(sync.on_update(old).value() == bybit::BookSyncStatus::ignored_stale);
  CHECK(sync.book().depth(cts::Side::buy) == 2);

  bybit::BookUpdate crossing;
  crossing.book.last_update_id = 12;
  crossing.book.sequence = 502;
  crossing.book.bids = {{"102"_d, "1"_d}};
  CHECK(sync.on_update(crossing).value() == bybit::BookSyncStatus::resync_needed);
  CHECK_FALSE(sync.synced());
  CHECK(sync.book().depth(cts::Side::buy) == 0);

  // A restart snapshot (u = 1) replaces the book.
  snapshot.book.last_update_id = 1;
  CHECK(sync.on_update(snapshot).value() == bybit::BookSyncStatus::applied);
  CHECK(sync.book().last_update_id() == 1);

  bybit::BookUpdate bad;
  bad.book.last_update_id = 5;
  bad.book.bids = {{"-1"_d, "1"_d}};
  CHECK_FALSE(sync.on_update(bad).has_value());

  // A crossed snapshot (best bid 102 above best ask 101) is not a book to price from.
  bybit::BookUpdate crossed_snapshot = snapshot;
  crossed_snapshot.book.last_update_id = 20;
  crossed_snapshot.book.bids = {{"102"_d, "1"_d}};
  CHECK(sync.on_update(crossed_snapshot).value() == bybit::BookSyncStatus::resync_needed);
  CHECK_FALSE(sync.synced());
  CHECK(sync.book().depth(cts::Side::buy) == 0);
  CHECK(sync.book().depth(cts::Side::sell) == 0);
  // A later sound snapshot syncs again.
  CHECK(sync.on_update(snapshot).value() == bybit::BookSyncStatus::applied);
  CHECK(sync.synced());
}

TEST_CASE("bybit public trades and tickers") {
  const auto trades = event_of<bybit::TradesUpdate>(bybit_fixture_text("ws_public_trade.json"));
  CHECK(trades.symbol == "BTCUSDT");
  REQUIRE(trades.trades.size() == 1);
  const cts::venue::Trade& t = trades.trades[0];
  CHECK(t.id == "20f43950-d8dd-5b31-9112-a178eb6023af");
  CHECK(t.price == "16578.50"_d);
  CHECK(t.quantity == "0.001"_d);
  CHECK(t.time_ms == 1672304486865);
  CHECK_FALSE(t.buyer_is_maker);  // S Buy: the buyer took

  const auto ticker = event_of<bybit::TickerUpdate>(bybit_fixture_text("ws_ticker_linear.json"));
  CHECK(ticker.snapshot);
  CHECK(ticker.ticker.symbol == "BTCUSDT");
  CHECK(ticker.ticker.bid_price == "66666.60"_d);
  CHECK(ticker.ticker.ask_price == "66666.70"_d);
  CHECK(ticker.ticker.mark_price == "66666.60"_d);
  CHECK(ticker.ticker.index_price == "115418.19"_d);
  CHECK(ticker.ticker.time_ms == 1760325052630);

  // A delta carries only what changed; merging keeps the rest.
  const auto delta = event_of<bybit::TickerUpdate>(
      R"({"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","bid1Price":"66666.50"},"cs":1,"ts":1760325052700})");
  CHECK_FALSE(delta.snapshot);
  cts::venue::Ticker kept = ticker.ticker;
  delta.merge_into(kept);
  CHECK(kept.bid_price == "66666.50"_d);
  CHECK(kept.ask_price == "66666.70"_d);
  CHECK(kept.time_ms == 1760325052700);
}

TEST_CASE("bybit private topics: order, execution, position, wallet") {
  const auto orders = event_of<bybit::OrdersUpdate>(bybit_fixture_text("ws_order.json"));
  REQUIRE(orders.orders.size() == 1);
  const auto& o = orders.orders[0];
  CHECK(o.order_id == "5cf98598-39a7-459e-97bf-76ca765ee020");
  CHECK(o.status == cts::venue::OrderStatus::filled);
  CHECK(o.type == cts::OrderType::market);
  CHECK(o.side == cts::Side::sell);
  CHECK(o.executed_quantity == "1"_d);
  CHECK(o.average_price == "75"_d);
  CHECK(o.cumulative_quote == "75"_d);
  CHECK(o.time_ms == 1672364262457);

  const auto executions = event_of<bybit::ExecutionsUpdate>(bybit_fixture_text("ws_execution.json"));
  REQUIRE(executions.executions.size() == 1);
  const auto& e = executions.executions[0];
  CHECK(e.id == "0ab1bdf7-4219-438b-b30a-32ec863018f7");
  CHECK(e.order_id == "9aac161b-8ed6-450d-9cab-c5cc67c21784");
  CHECK(e.price == "95900.1"_d);
  CHECK(e.quantity == "0.5"_d);
  CHECK(e.commission == "26.3725275"_d);
  CHECK(e.commission_asset == "USDT");
  CHECK(e.realized_pnl == "0.05"_d);
  CHECK(e.side == cts::Side::sell);
  CHECK(e.time_ms == 1746270400353);

  const auto positions = event_of<bybit::PositionsUpdate>(bybit_fixture_text("ws_position.json"));
  REQUIRE(positions.positions.size() == 1);
  CHECK(positions.time_ms == 1697682317044);  // creationTime
  CHECK(positions.positions[0].category == "linear");
  const auto& p = positions.positions[0].position;
  CHECK(p.symbol == "BTCUSDT");
  CHECK(p.side == PositionSide::short_);  // positionIdx 2: hedge mode, Sell side
  CHECK(p.quantity.is_zero());
  CHECK(p.mark_price == "28184.5"_d);
  CHECK(*p.leverage == "10"_d);

  const auto wallet = event_of<bybit::WalletUpdate>(bybit_fixture_text("ws_wallet.json"));
  REQUIRE(wallet.balances.size() == 1);
  CHECK(wallet.balances[0].asset == "BTC");
  CHECK(wallet.balances[0].free == "0.00102964"_d);
  CHECK(wallet.balances[0].locked.is_zero());
}

TEST_CASE("bybit op replies and bad frames") {
  const auto auth = event_of<bybit::OpReply>(bybit_fixture_text("ws_auth_reply.json"));
  CHECK(auth.op == "auth");
  CHECK(auth.success);
  const auto failed =
      event_of<bybit::OpReply>(R"({"success":false,"ret_msg":"Params Error","op":"auth","conn_id":"x"})");
  CHECK_FALSE(failed.success);
  CHECK(failed.message == "Params Error");

  CHECK(error_of(R"({"topic":"kline.1.BTCUSDT","type":"snapshot","ts":1,"data":[]})").message.find("topic") !=
        std::string::npos);
  CHECK(error_of(R"({"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1})").message.find("data") !=
        std::string::npos);
  CHECK(error_of(R"({"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"X","b":[],"a":[]}})")
            .message.find("\"u\"") != std::string::npos);
  CHECK(error_of(
            R"({"topic":"publicTrade.X","type":"snapshot","ts":1,"data":[{"i":"1","p":1.5,"v":"1","T":1,"S":"Buy"}]})")
            .message.find("\"p\"") != std::string::npos);
  error_of(R"({"topic":"order","data":[{"orderId":"1"}]})");
  error_of("");
  error_of("{\"topic\":");
  error_of(R"({"success":true})");
  error_of("[1,2]");
}
