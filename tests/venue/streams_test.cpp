// Tests for cts/venue/binance/streams.hpp on the documentation's stream payloads
// (tests/fixtures/binance/*_ws_*.json), the envelopes, replies and bad input.
#include <cts/venue/binance/streams.hpp>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::BookTicker;
using cts::venue::DepthDiff;
using cts::venue::OrderStatus;
using cts_test::binance_fixture_text;
namespace binance = cts::venue::binance;
using namespace cts::literals;

namespace {
template <class T>
T event_of(const std::string& frame) {
  auto event = binance::parse_stream_event(frame);
  REQUIRE_MESSAGE(event.has_value(), (event.has_value() ? "" : event.error().to_string()));
  REQUIRE(std::holds_alternative<T>(*event));
  return std::get<T>(*event);
}
cts::Error error_of(const std::string& frame) {
  auto event = binance::parse_stream_event(frame);
  REQUIRE_FALSE(event.has_value());
  return event.error();
}
}  // namespace

TEST_CASE("spot depthUpdate") {
  const auto diff = event_of<DepthDiff>(binance_fixture_text("spot_ws_depth_update.json"));
  CHECK(diff.symbol == "BNBBTC");
  CHECK(diff.event_time_ms == 1672515782136);
  CHECK(diff.first_update_id == 157);
  CHECK(diff.final_update_id == 160);
  CHECK(diff.previous_final_update_id == 0);
  REQUIRE(diff.bids.size() == 1);
  CHECK(diff.bids[0].price == "0.0024"_d);
  CHECK(diff.bids[0].quantity == "10"_d);
  REQUIRE(diff.asks.size() == 1);
  CHECK(diff.asks[0].quantity == "100"_d);
}

TEST_CASE("USD-M depthUpdate carries pu; the combined-stream envelope is unwrapped") {
  const std::string frame =
      R"({"stream":"btcusdt@depth@100ms","data":)" + binance_fixture_text("usdm_ws_depth_update.json") + "}";
  const auto diff = event_of<DepthDiff>(frame);
  CHECK(diff.symbol == "BTCUSDT");
  CHECK(diff.previous_final_update_id == 149);
  CHECK(diff.final_update_id == 160);

  DepthDiff reused;
  REQUIRE(binance::parse_depth_diff(frame, reused).has_value());
  CHECK(reused.previous_final_update_id == 149);
  REQUIRE(binance::parse_depth_diff(binance_fixture_text("spot_ws_depth_update.json"), reused).has_value());
  CHECK(reused.previous_final_update_id == 0);
  CHECK(reused.symbol == "BNBBTC");
  CHECK(binance::parse_depth_diff(binance_fixture_text("spot_ws_trade.json"), reused).error().code ==
        ErrorCode::protocol_error);
}

TEST_CASE("trade and aggTrade") {
  const auto trade = event_of<binance::TradeEvent>(binance_fixture_text("spot_ws_trade.json"));
  CHECK(trade.symbol == "BNBBTC");
  CHECK(trade.trade.id == "12345");
  CHECK(trade.trade.price == "0.001"_d);
  CHECK(trade.trade.quantity == "100"_d);
  CHECK(trade.trade.buyer_is_maker);
  CHECK_FALSE(trade.aggregate);
  const auto agg = event_of<binance::TradeEvent>(binance_fixture_text("spot_ws_agg_trade.json"));
  CHECK(agg.aggregate);
  CHECK(agg.trade.id == "12345");
  CHECK(agg.trade.time_ms == 1672515782136);
}

TEST_CASE("bookTicker: spot without an event type, USD-M with one") {
  const auto spot = event_of<BookTicker>(binance_fixture_text("spot_ws_book_ticker.json"));
  CHECK(spot.update_id == 400900217);
  CHECK(spot.symbol == "BNBUSDT");
  CHECK(spot.bid_price == "25.3519"_d);
  CHECK(spot.bid_quantity == "31.21"_d);
  CHECK(spot.ask_price == "25.3652"_d);
  CHECK(spot.ask_quantity == "40.66"_d);
  const auto usdm = event_of<BookTicker>(binance_fixture_text("usdm_ws_book_ticker.json"));
  CHECK(usdm.update_id == 400900217);
}

TEST_CASE("spot executionReport in the WebSocket API envelope") {
  const auto update = event_of<binance::OrderUpdate>(binance_fixture_text("spot_ws_execution_report.json"));
  CHECK(update.execution == binance::ExecutionType::new_);
  CHECK(update.event_time_ms == 1499405658658);
  CHECK(update.order.symbol == "ETHBTC");
  CHECK(update.order.client_order_id == "mUvoqJxFIILMdfAW5iGSOW");
  CHECK(update.order.side == cts::Side::buy);
  CHECK(update.order.type == cts::OrderType::limit);
  CHECK(update.order.status == OrderStatus::new_);
  CHECK(update.order.order_id == "4293153");
  CHECK(update.order.quantity == "1"_d);
  CHECK(update.order.price == "0.1026441"_d);
  CHECK(update.order.time_ms == 1499405658657);
  CHECK(update.reject_reason == "NONE");
  CHECK_FALSE(update.last_fill.has_value());
}

TEST_CASE("spot executionReport: a trade carries the fill, a cancel the original client id") {
  std::string trade = binance_fixture_text("spot_ws_execution_report.json");
  auto replace = [](std::string& s, std::string_view from, std::string_view to) {
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    s.replace(at, from.size(), to);
  };
  replace(trade, R"("x": "NEW")", R"("x": "TRADE")");
  replace(trade, R"("X": "NEW")", R"("X": "PARTIALLY_FILLED")");
  replace(trade, R"("l": "0.00000000")", R"("l": "0.40000000")");
  replace(trade, R"("L": "0.00000000")", R"("L": "0.10264410")");
  replace(trade, R"("n": "0")", R"("n": "0.00004")");
  replace(trade, R"("N": null)", R"("N": "BNB")");
  replace(trade, R"("t": -1)", R"("t": 77)");
  const auto update = event_of<binance::OrderUpdate>(trade);
  REQUIRE(update.last_fill.has_value());
  CHECK(update.last_fill->trade_id == "77");
  CHECK(update.last_fill->quantity == "0.4"_d);
  CHECK(update.last_fill->price == "0.1026441"_d);
  CHECK(update.last_fill->commission == "0.00004"_d);
  CHECK(update.last_fill->commission_asset == "BNB");
  CHECK(update.order.status == OrderStatus::partially_filled);

  std::string cancel = binance_fixture_text("spot_ws_execution_report.json");
  replace(cancel, R"("x": "NEW")", R"("x": "CANCELED")");
  replace(cancel, R"("C": "")", R"("C": "original-id")");
  CHECK(event_of<binance::OrderUpdate>(cancel).order.client_order_id == "original-id");

  std::string no_trade_id = trade;
  replace(no_trade_id, R"("t": 77)", R"("t": -1)");
  CHECK(error_of(no_trade_id).message.find("\"t\"") != std::string::npos);
}

TEST_CASE("spot account events") {
  const auto position = event_of<binance::AccountPosition>(binance_fixture_text("spot_ws_account_position.json"));
  CHECK(position.event_time_ms == 1564034571105);
  CHECK(position.update_time_ms == 1564034571073);
  REQUIRE(position.balances.size() == 1);
  CHECK(position.balances[0] == cts::venue::Balance{"ETH", "10000"_d, "0"_d});
  const auto delta = event_of<binance::BalanceDelta>(binance_fixture_text("spot_ws_balance_update.json"));
  CHECK(delta.asset == "BTC");
  CHECK(delta.delta == "100"_d);
  CHECK(delta.clear_time_ms == 1573200697068);
  const auto end = event_of<binance::StreamTerminated>(binance_fixture_text("spot_ws_stream_terminated.json"));
  CHECK(end.event_time_ms == 1728973001334);
}

TEST_CASE("USD-M ORDER_TRADE_UPDATE and ACCOUNT_UPDATE") {
  const auto update = event_of<binance::OrderUpdate>(binance_fixture_text("usdm_ws_order_trade_update.json"));
  CHECK(update.event_time_ms == 1568879465651);
  CHECK(update.order.client_order_id == "TEST");
  CHECK(update.order.side == cts::Side::sell);
  CHECK(update.order.type == cts::OrderType::stop_market);
  CHECK(update.order.trailing);
  CHECK(update.order.trigger_price == "7103.04"_d);
  CHECK(update.order.quantity == "0.001"_d);
  CHECK(update.order.order_id == "8886774");
  CHECK(update.order.position_side == cts::venue::PositionSide::long_);
  CHECK_FALSE(update.order.reduce_only);
  CHECK_FALSE(update.last_fill.has_value());

  const auto account = event_of<binance::FuturesAccountUpdate>(binance_fixture_text("usdm_ws_account_update.json"));
  CHECK(account.reason == "ORDER");
  CHECK(account.transaction_time_ms == 1564745798938);
  REQUIRE(account.balances.size() == 2);
  CHECK(account.balances[0].asset == "USDT");
  CHECK(account.balances[0].wallet_balance == "122624.12345678"_d);
  CHECK(account.balances[1].balance_change == -"49.12345678"_d);
  REQUIRE(account.positions.size() == 3);
  CHECK(account.positions[1].quantity == "20"_d);
  CHECK(account.positions[1].side == cts::venue::PositionSide::long_);
  CHECK(account.positions[2].quantity == -"10"_d);
  CHECK(account.positions[2].unrealized_pnl == -"1423.156"_d);
  CHECK(account.positions[2].margin_mode == cts::venue::MarginMode::isolated);
}

TEST_CASE("subscription replies and error replies") {
  const auto ack = event_of<binance::SubscriptionAck>(R"({"result":null,"id":1})");
  CHECK(ack.id == "1");
  CHECK_FALSE(ack.subscription_id.has_value());
  const auto api = event_of<binance::SubscriptionAck>(
      R"({"id":"d3df8a21-98ea-4fe0-8f4e-0fcea5d418b7","status":200,"result":{"subscriptionId":0}})");
  CHECK(api.id == "d3df8a21-98ea-4fe0-8f4e-0fcea5d418b7");
  CHECK(api.subscription_id == 0);
  const auto denied = error_of(
      R"({"id":"x","status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}})");
  CHECK(denied.code == ErrorCode::invalid_signature);
  CHECK(denied.venue_code == "-1022");
}

TEST_CASE("bad frames: malformed, truncated, unknown event, missing field, oversize number") {
  CHECK(error_of(R"({"e":"depthUpdate","s":"X","U":1,"u":2,"b":[],"a":[)").code == ErrorCode::protocol_error);
  CHECK(error_of("not json").code == ErrorCode::protocol_error);
  CHECK(error_of(R"({"e":"somethingNew","E":1})").message.find("somethingNew") != std::string::npos);
  CHECK(error_of(R"({"e":"depthUpdate","s":"X","U":1,"b":[],"a":[]})").message.find("\"u\" is missing") !=
        std::string::npos);
  CHECK(error_of(R"({"e":"depthUpdate","s":"X","U":1,"u":99999999999999999999999,"b":[],"a":[]})")
            .message.find("\"u\"") != std::string::npos);
  CHECK(error_of(R"({"e":"trade","s":"X","t":1,"p":"1","q":"1e999999","T":1,"m":true})").message.find("\"q\"") !=
        std::string::npos);
  CHECK(error_of(R"({"e":"executionReport","s":"X","c":"a","S":"BUY","o":"LIMIT","q":"1","p":"1","x":"WHAT",)"
                 R"("X":"NEW","i":1,"l":"0","z":"0","L":"0","T":1,"t":-1})")
            .message.find("WHAT") != std::string::npos);
  CHECK(error_of(R"({"u":1,"s":"X","b":"1","B":"1","a":"1"})").message.find("\"A\"") != std::string::npos);
}

// Found by the venue_stream fuzz target: a field lookup that runs into malformed JSON
// leaves simdjson's iterator unusable; reading on (the "e" of a frame whose envelope
// lookup failed) dereferenced a null parser.
TEST_CASE("a frame that is malformed after its first fields is a protocol error") {
  for (const std::string frame : {R"({"e":"trade",1})", R"({"e":"trade","E":1,"s":"X", 1672515782136, "T":1})",
                                  R"({"e":"depthUpdate","U":1,"u":2,"b":[],"a":[],"x"})", R"({"id":1,2})"}) {
    CAPTURE(frame);
    CHECK(error_of(frame).code == ErrorCode::protocol_error);
    DepthDiff diff;
    const auto direct = binance::parse_depth_diff(frame, diff);
    REQUIRE_FALSE(direct.has_value());
    CHECK(direct.error().code == ErrorCode::protocol_error);
  }
}

// Found by the venue_stream fuzz target: parse_depth_diff() read any object with the
// depth fields as a depth diff, whatever its event type or without one, where
// parse_stream_event() refuses it.
TEST_CASE("parse_depth_diff reads depthUpdate events only") {
  DepthDiff diff;
  const std::string levels = R"("E":1,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"]],"a":[["0.0026","100"]])";
  REQUIRE(binance::parse_depth_diff(R"({"e":"depthUpdate",)" + levels + "}", diff).has_value());
  CHECK(diff.final_update_id == 160);
  for (const std::string& frame : {"{" + levels + "}", R"({"datae":"depthUpdate",)" + levels + "}",
                                  R"({"e":"trade",)" + levels + "}", R"({"e":1,)" + levels + "}"}) {
    CAPTURE(frame);
    const auto parsed = binance::parse_depth_diff(frame, diff);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == ErrorCode::protocol_error);
    CHECK(parsed.error().message.find("\"e\"") != std::string::npos);
    CHECK_FALSE(binance::parse_stream_event(frame).has_value());
  }
}
