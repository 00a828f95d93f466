// Tests for cts/venue/okx/ws_orders.hpp: the exact frames of the WebSocket order ops
// (where OKX's documentation prints a request example the builders can reproduce, the
// expectation is that example without its whitespace; otherwise the fields and order
// of the REST builders with instIdCode for instId, written out by hand), typed errors
// for bad input, every reply example of the "WS / ..." pages (tests/fixtures/okx/
// ws_order*.json, ws_cancel_order*.json, ws_amend_order*.json, ws_batch_*.json) parsed
// with the values printed in them, malformed replies refused, and the correlation of
// replies with requests by id.
#include <cts/venue/okx/ws_orders.hpp>

#include <array>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <cts/rate/policies/okx.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts::OrderType;
using cts::Side;
using cts::TimeInForce;
using cts::venue::NewOrder;
using cts::venue::OrderAmendment;
using cts::venue::OrderRef;
using cts::venue::PositionSide;
using cts_test::okx_fixture;
using cts_test::okx_fixture_text;
using cts_test::okx_limit_buy;
namespace okx = cts::venue::okx;
using okx::InstType;
using okx::WsOrderOp;
using namespace cts::literals;

namespace {

/// The codes of the documentation's examples: 123456 and 654321.
okx::InstIdCodes example_codes() {
  okx::InstIdCodes codes;
  REQUIRE(codes.set("BTC-USDT", 123456));
  REQUIRE(codes.set("ETH-USDT", 654321));
  return codes;
}

OrderRef by_order_id(std::string symbol, std::string order_id) {
  OrderRef ref;
  ref.symbol = std::move(symbol);
  ref.order_id = std::move(order_id);
  return ref;
}

OrderAmendment new_size(std::string symbol, std::string order_id, cts::Decimal size) {
  OrderAmendment amendment;
  amendment.order = by_order_id(std::move(symbol), std::move(order_id));
  amendment.quantity = size;
  return amendment;
}

okx::WsOrderReply reply_of(std::string_view fixture) {
  return okx::parse_ws_order_reply(okx_fixture_text(fixture)).value();
}

}  // namespace

TEST_CASE("okx ws orders: place writes the REST fields with instIdCode for instId") {
  const okx::InstIdCodes codes = example_codes();
  const okx::WsOrderFrame frame = okx::ws_place_order("1512", InstType::spot, okx_limit_buy(), codes).value();
  CHECK(frame.text ==
        R"({"id":"1512","op":"order","args":[{"instIdCode":123456,"tdMode":"cash","clOrdId":"cts1a2b3","side":"buy",)"
        R"("ordType":"limit","sz":"0.01","px":"25000.5"}]})");
  CHECK(frame.id == "1512");
  CHECK(frame.op == WsOrderOp::order);
  CHECK(frame.items == 1);
  CHECK(frame.rate_endpoint == "POST /api/v5/trade/order");

  // expTime, the documentation's example time, as a string after op.
  const okx::WsOrderFrame expiring =
      okx::ws_place_order("1512", InstType::spot, okx_limit_buy(), codes, {.expire_time_ms = 1597026383085}).value();
  CHECK(expiring.text ==
        R"({"id":"1512","op":"order","expTime":"1597026383085","args":[{"instIdCode":123456,"tdMode":"cash",)"
        R"("clOrdId":"cts1a2b3","side":"buy","ordType":"limit","sz":"0.01","px":"25000.5"}]})");

  // SWAP, the code from the instruments reply (BTC-USDT-SWAP 10459), a post-only short
  // leg in isolated margin.
  const auto listings = okx::parse_instruments(okx_fixture("instruments_swap.json"), InstType::swap).value();
  const okx::InstIdCodes swap_codes = okx::InstIdCodes::from_listings(listings);
  CHECK(swap_codes.size() == 3);
  NewOrder swap = okx_limit_buy();
  swap.symbol = "BTC-USDT-SWAP";
  swap.side = Side::sell;
  swap.time_in_force = TimeInForce::post_only;
  swap.quantity = "3"_d;
  swap.price = "60000.1"_d;
  swap.position_side = PositionSide::short_;
  CHECK(okx::ws_place_order("a1", InstType::swap, swap, okx::TradeMode::isolated, swap_codes).value().text ==
        R"({"id":"a1","op":"order","args":[{"instIdCode":10459,"tdMode":"isolated","clOrdId":"cts1a2b3",)"
        R"("side":"sell","posSide":"short","ordType":"post_only","sz":"3","px":"60000.1"}]})");
}

TEST_CASE("okx ws orders: cancel and amend are the documentation's request examples") {
  const okx::InstIdCodes codes = example_codes();
  const okx::WsOrderFrame cancel =
      okx::ws_cancel_order("1514", InstType::spot, by_order_id("BTC-USDT", "2510789768709120"), codes).value();
  CHECK(cancel.text ==
        R"({"id":"1514","op":"cancel-order","args":[{"instIdCode":123456,"ordId":"2510789768709120"}]})");
  CHECK(cancel.op == WsOrderOp::cancel_order);

  OrderRef by_client_id;
  by_client_id.symbol = "ETH-USDT";
  by_client_id.client_order_id = "cts9";
  CHECK(okx::ws_cancel_order("7", InstType::spot, by_client_id, codes).value().text ==
        R"({"id":"7","op":"cancel-order","args":[{"instIdCode":654321,"clOrdId":"cts9"}]})");

  const okx::WsOrderFrame amend =
      okx::ws_amend_order("1512", InstType::spot, new_size("BTC-USDT", "2510789768709120", "2"_d), codes).value();
  CHECK(amend.text ==
        R"({"id":"1512","op":"amend-order","args":[{"instIdCode":123456,"ordId":"2510789768709120","newSz":"2"}]})");
  CHECK(amend.op == WsOrderOp::amend_order);
}

TEST_CASE("okx ws orders: batch frames carry one item per order with its own instIdCode") {
  const okx::InstIdCodes codes = example_codes();
  const std::array refs{by_order_id("BTC-USDT", "2517748157541376"), by_order_id("ETH-USDT", "2517748155771904")};
  const okx::WsOrderFrame cancels = okx::ws_cancel_batch("1515", InstType::spot, refs, codes).value();
  CHECK(cancels.text == R"({"id":"1515","op":"batch-cancel-orders","args":[{"instIdCode":123456,)"
                        R"("ordId":"2517748157541376"},{"instIdCode":654321,"ordId":"2517748155771904"}]})");
  CHECK(cancels.op == WsOrderOp::batch_cancel_orders);
  CHECK(cancels.items == 2);

  const std::array amendments{new_size("BTC-USDT", "12345689", "2"_d), new_size("BTC-USDT", "12344", "2"_d)};
  CHECK(okx::ws_amend_batch("1513", InstType::spot, amendments, codes).value().text ==
        R"({"id":"1513","op":"batch-amend-orders","args":[{"instIdCode":123456,"ordId":"12345689","newSz":"2"},)"
        R"({"instIdCode":123456,"ordId":"12344","newSz":"2"}]})");

  // The documentation's two market buys (100 and 1), sized in base (tgtCcy base_ccy).
  NewOrder first;
  first.symbol = "BTC-USDT";
  first.type = OrderType::market;
  first.quantity = "100"_d;
  first.client_order_id = "b1";
  NewOrder second = first;
  second.symbol = "ETH-USDT";
  second.quantity = "1"_d;
  second.client_order_id = "b2";
  const std::array orders{first, second};
  const okx::WsOrderFrame placed =
      okx::ws_place_batch("1513", InstType::spot, orders, okx::TradeMode::cash, codes).value();
  CHECK(placed.text ==
        R"({"id":"1513","op":"batch-orders","args":[{"instIdCode":123456,"tdMode":"cash","clOrdId":"b1","side":"buy",)"
        R"("ordType":"market","sz":"100","tgtCcy":"base_ccy"},{"instIdCode":654321,"tdMode":"cash","clOrdId":"b2",)"
        R"("side":"buy","ordType":"market","sz":"1","tgtCcy":"base_ccy"}]})");
  CHECK(placed.op == WsOrderOp::batch_orders);
  CHECK(placed.items == 2);
}

TEST_CASE("okx ws orders: each op is charged to the REST limit it shares, a batch of one to the single op's") {
  CHECK(okx::rate_endpoint(WsOrderOp::cancel_order, 1) == "POST /api/v5/trade/cancel-order");
  CHECK(okx::rate_endpoint(WsOrderOp::amend_order, 1) == "POST /api/v5/trade/amend-order");
  CHECK(okx::rate_endpoint(WsOrderOp::batch_orders, 2) == "POST /api/v5/trade/batch-orders");
  CHECK(okx::rate_endpoint(WsOrderOp::batch_orders, 1) == "POST /api/v5/trade/order");
  CHECK(okx::rate_endpoint(WsOrderOp::batch_cancel_orders, 20) == "POST /api/v5/trade/cancel-batch-orders");
  CHECK(okx::rate_endpoint(WsOrderOp::batch_cancel_orders, 1) == "POST /api/v5/trade/cancel-order");
  CHECK(okx::rate_endpoint(WsOrderOp::batch_amend_orders, 2) == "POST /api/v5/trade/amend-batch-orders");
  CHECK(okx::rate_endpoint(WsOrderOp::batch_amend_orders, 1) == "POST /api/v5/trade/amend-order");
  for (const WsOrderOp op : {WsOrderOp::order, WsOrderOp::cancel_order, WsOrderOp::amend_order, WsOrderOp::batch_orders,
                             WsOrderOp::batch_cancel_orders, WsOrderOp::batch_amend_orders}) {
    for (const std::size_t items : {std::size_t{1}, std::size_t{2}}) {
      CAPTURE(okx::to_string(op));
      CHECK(cts::rate::kOkxPolicy.cost(okx::rate_endpoint(op, items)).has_value());
    }
  }
  CHECK(okx::parse_ws_order_op("batch-amend-orders") == WsOrderOp::batch_amend_orders);
  CHECK_FALSE(okx::parse_ws_order_op("mass-cancel"));
}

TEST_CASE("okx ws orders: the builders refuse bad input with a typed error and build nothing") {
  const okx::InstIdCodes codes = example_codes();
  const NewOrder order = okx_limit_buy();
  for (const std::string_view id : {"", "123456789012345678901234567890123", "req-1", "req_1", "ré"}) {
    CAPTURE(id);
    CHECK(okx::ws_place_order(id, InstType::spot, order, codes).error().code == ErrorCode::invalid_argument);
  }
  CHECK(okx::ws_place_order("12345678901234567890123456789012", InstType::spot, order, codes).has_value());
  CHECK(okx::ws_place_order("1", InstType::spot, order, codes, {.expire_time_ms = 0}).error().code ==
        ErrorCode::invalid_argument);

  // An instrument without a code, and one that is not an id of the type.
  NewOrder unknown = order;
  unknown.symbol = "SOL-USDT";
  const auto no_code = okx::ws_place_order("1", InstType::spot, unknown, codes);
  CHECK(no_code.error().code == ErrorCode::invalid_argument);
  CHECK(no_code.error().message.find("no instIdCode is known for SOL-USDT") != std::string::npos);
  NewOrder swap_id = order;
  swap_id.symbol = "BTC-USDT-SWAP";
  CHECK(okx::ws_place_order("1", InstType::spot, swap_id, codes).error().message.find("is not a SPOT id") !=
        std::string::npos);
  CHECK(okx::ws_cancel_order("1", InstType::spot, by_order_id("SOL-USDT", "1"), codes).error().code ==
        ErrorCode::invalid_argument);

  // What the REST builders refuse, the WebSocket ones refuse alike.
  NewOrder trigger = order;
  trigger.type = OrderType::stop_limit;
  CHECK(okx::ws_place_order("1", InstType::spot, trigger, codes).error().code == ErrorCode::unsupported);
  CHECK(okx::ws_cancel_order("1", InstType::spot, by_order_id("BTC-USDT", "12a"), codes).error().code ==
        ErrorCode::invalid_argument);
  OrderAmendment nothing;
  nothing.order = by_order_id("BTC-USDT", "1");
  CHECK(okx::ws_amend_order("1", InstType::spot, nothing, codes).error().code == ErrorCode::invalid_argument);

  // Batches of 0 and 21 orders, and a batch whose second order has no code.
  CHECK(
      okx::ws_place_batch("1", InstType::spot, std::span<const NewOrder>{}, okx::TradeMode::cash, codes).error().code ==
      ErrorCode::invalid_argument);
  const std::vector<OrderRef> too_many(21, by_order_id("BTC-USDT", "1"));
  CHECK(okx::ws_cancel_batch("1", InstType::spot, too_many, codes).error().code == ErrorCode::invalid_argument);
  const std::array mixed{by_order_id("BTC-USDT", "1"), by_order_id("SOL-USDT", "2")};
  CHECK(okx::ws_cancel_batch("1", InstType::spot, mixed, codes).error().message.find("SOL-USDT") != std::string::npos);

  okx::InstIdCodes table;
  CHECK(table.set("", 1).error().code == ErrorCode::invalid_argument);
  CHECK(table.set("BTC-USDT", 0).error().code == ErrorCode::invalid_argument);
  CHECK(table.size() == 0);
}

TEST_CASE("okx ws orders: accepted single ops acknowledge their one item") {
  const okx::WsOrderReply placed = reply_of("ws_order.json");
  CHECK(placed.id == "1512");
  CHECK(placed.op == WsOrderOp::order);
  CHECK_FALSE(placed.error);
  CHECK(placed.in_time_us == 1695190491421339);
  CHECK(placed.out_time_us == 1695190491423240);
  const cts::venue::OrderAck ack = okx::ws_order_ack(placed).value();
  CHECK(ack.order_id == "12345689");
  CHECK(ack.client_order_id.empty());
  CHECK(ack.time_ms == 1695190491421);
  CHECK(ack.symbol.empty());

  const okx::WsOrderReply cancelled = reply_of("ws_cancel_order.json");
  CHECK(cancelled.id == "1514");
  CHECK(cancelled.op == WsOrderOp::cancel_order);
  CHECK(okx::ws_order_ack(cancelled).value().order_id == "2510789768709120");

  const okx::WsOrderReply amended = reply_of("ws_amend_order.json");
  CHECK(amended.op == WsOrderOp::amend_order);
  CHECK(okx::ws_order_ack(amended).value().order_id == "2510789768709120");
}

TEST_CASE("okx ws orders: a refused item is the item's error with its sCode; a refused request the envelope's") {
  const okx::WsOrderReply rejected = reply_of("ws_order_rejected.json");
  CHECK_FALSE(rejected.error);
  REQUIRE(rejected.items.size() == 1);
  const auto error = okx::ws_order_ack(rejected);
  CHECK(error.error().code == ErrorCode::insufficient_funds);
  CHECK(error.error().venue_code == "51008");
  CHECK(error.error().message == "okx 51008: Order failed. Insufficient USDT balance in account");

  CHECK(okx::ws_order_ack(reply_of("ws_amend_order_rejected.json")).error().venue_code == "51008");

  // Format error: code 60013 "Invalid args", data empty; the reply keeps its id.
  const okx::WsOrderReply format = reply_of("ws_order_format_error.json");
  CHECK(format.id == "1512");
  CHECK(format.op == WsOrderOp::order);
  REQUIRE(format.error);
  CHECK(format.error->code == ErrorCode::invalid_argument);
  CHECK(format.error->venue_code == "60013");
  CHECK(format.error->message == "okx 60013: Invalid args");
  CHECK(format.items.empty());
  CHECK(okx::ws_order_ack(format).error().venue_code == "60013");
  CHECK(okx::ws_batch_outcomes(format).error().venue_code == "60013");

  // The refusal client libraries report for an order without instIdCode (50014), and
  // code 1 without items: the request's own error.
  const auto missing = okx::parse_ws_order_reply(
      R"({"id":"9","op":"cancel-order","data":[],"code":"50014","msg":"Parameter instIdCode can not be empty"})");
  CHECK(missing.value().error->code == ErrorCode::invalid_argument);
  CHECK(missing.value().error->venue_code == "50014");
  const auto bare = okx::parse_ws_order_reply(R"({"id":"9","op":"order","data":[],"code":"1","msg":""})");
  CHECK(bare.value().error->code == ErrorCode::rejected);
  CHECK(bare.value().error->venue_code == "1");
}

TEST_CASE("okx ws orders: batch replies give one outcome per order, partial failures included") {
  const auto all = okx::ws_batch_outcomes(reply_of("ws_batch_orders.json")).value();
  REQUIRE(all.size() == 2);
  CHECK(all[0].ack.order_id == "12345689");
  CHECK(all[1].ack.order_id == "12344");
  CHECK_FALSE(all[0].error);
  CHECK_FALSE(all[1].error);

  const okx::WsOrderReply partial_reply = reply_of("ws_batch_orders_partial.json");
  CHECK(partial_reply.op == WsOrderOp::batch_orders);
  CHECK_FALSE(partial_reply.error);
  const auto partial = okx::ws_batch_outcomes(partial_reply).value();
  REQUIRE(partial.size() == 2);
  CHECK_FALSE(partial[0].error);
  CHECK(partial[0].ack.order_id == "12345689");
  REQUIRE(partial[1].error);
  CHECK(partial[1].error->code == ErrorCode::insufficient_funds);
  CHECK(partial[1].error->venue_code == "51008");
  CHECK(partial[1].ack.order_id.empty());

  const auto failed = okx::ws_batch_outcomes(reply_of("ws_batch_orders_failed.json")).value();
  REQUIRE(failed.size() == 2);
  CHECK(failed[0].ack.client_order_id == "oktswap6");
  CHECK(failed[1].ack.client_order_id == "oktswap7");
  CHECK(failed[0].error->venue_code == "51008");
  CHECK(failed[1].error->venue_code == "51008");

  const okx::WsOrderReply cancels = reply_of("ws_batch_cancel_orders.json");
  CHECK(cancels.op == WsOrderOp::batch_cancel_orders);
  const auto cancelled = okx::ws_batch_outcomes(cancels).value();
  REQUIRE(cancelled.size() == 2);
  CHECK(cancelled[0].ack.order_id == "2517748157541376");
  CHECK(cancelled[1].ack.order_id == "2517748155771904");
  CHECK(cancelled[1].ack.client_order_id == "oktswap7");

  const okx::WsOrderReply amends = reply_of("ws_batch_amend_orders.json");
  CHECK(amends.op == WsOrderOp::batch_amend_orders);
  CHECK(okx::ws_batch_outcomes(amends).value().size() == 2);
  const auto amended = okx::ws_batch_outcomes(reply_of("ws_batch_amend_orders_partial.json")).value();
  REQUIRE(amended.size() == 2);
  CHECK_FALSE(amended[0].error);
  CHECK(amended[0].ack.order_id == "12345689");
  CHECK(amended[1].error->code == ErrorCode::insufficient_funds);
  CHECK(amended[1].ack.client_order_id == "oktswap7");

  // A single op's acknowledgement is not read from a batch of two.
  CHECK(okx::ws_order_ack(reply_of("ws_batch_orders.json")).error().code == ErrorCode::protocol_error);
}

TEST_CASE("okx ws orders: malformed replies are protocol errors naming what is wrong") {
  // The documentation's failure examples with the placeholder sCode "5XXXX".
  const auto placeholder = okx::parse_ws_order_reply(okx_fixture_text("ws_cancel_order_placeholder.json"));
  CHECK(placeholder.error().code == ErrorCode::protocol_error);
  CHECK(placeholder.error().message.find("sCode") != std::string::npos);
  // The documentation's example with a comma missing.
  const auto broken = okx::parse_ws_order_reply(okx_fixture_text("ws_batch_amend_orders_malformed.json"));
  CHECK(broken.error().code == ErrorCode::protocol_error);
  CHECK(broken.error().message.find("malformed JSON") != std::string::npos);

  const auto error_of = [](std::string_view frame) { return okx::parse_ws_order_reply(frame).error(); };
  CHECK(error_of(R"({"op":"order","data":[],"code":"0","msg":""})").message.find("\"id\" is missing") !=
        std::string::npos);
  CHECK(error_of(R"({"id":"1","data":[],"code":"0","msg":""})").message.find("\"op\" is missing") != std::string::npos);
  CHECK(error_of(R"({"id":"1","op":"mass-cancel","data":[],"code":"0","msg":""})").message.find("op") !=
        std::string::npos);
  CHECK(error_of(R"({"id":1,"op":"order","data":[],"code":"0","msg":""})").code == ErrorCode::protocol_error);
  CHECK(error_of(R"({"id":"1","op":"order","code":"0","msg":""})").message.find("\"data\" is missing") !=
        std::string::npos);
  CHECK(error_of(R"({"id":"1","op":"order","data":[{"ordId":"1"}],"code":"0","msg":""})").message.find("sCode") !=
        std::string::npos);
  CHECK(error_of(R"({"id":"1","op":"order","data":[],"code":"0","msg":"","inTime":"x"})").message.find("inTime") !=
        std::string::npos);
  CHECK(error_of("pong").code == ErrorCode::protocol_error);
  CHECK(error_of("[]").code == ErrorCode::protocol_error);
  CHECK(error_of("").code == ErrorCode::protocol_error);

  // An `event` error carries no id to match: it is the venue's error itself.
  const cts::Error event = error_of(okx_fixture_text("ws_error_request.json"));
  CHECK(event.code == ErrorCode::invalid_argument);
  CHECK(event.venue_code == "60012");
}

TEST_CASE("okx ws orders: replies are matched to their requests by id") {
  const okx::InstIdCodes codes = example_codes();
  okx::WsOrderCorrelator correlator;
  const okx::WsOrderFrame place = okx::ws_place_order("1512", InstType::spot, okx_limit_buy(), codes).value();
  const std::array orders{okx_limit_buy(), okx_limit_buy()};
  const okx::WsOrderFrame batch =
      okx::ws_place_batch("1513", InstType::spot, orders, okx::TradeMode::cash, codes).value();
  REQUIRE(correlator.sent(place));
  REQUIRE(correlator.sent(batch));
  CHECK(correlator.sent(place).error().code == ErrorCode::invalid_argument);
  CHECK(correlator.awaiting() == 2);

  // The batch answered first: replies may come in any order.
  const okx::PendingWsOrder answered = correlator.answer(reply_of("ws_batch_orders_partial.json")).value();
  CHECK(answered.op == WsOrderOp::batch_orders);
  CHECK(answered.items == 2);
  CHECK(correlator.answer(reply_of("ws_batch_orders.json")).error().code == ErrorCode::protocol_error);

  // A reply of another op under the id of the place request leaves it awaiting.
  okx::WsOrderReply wrong_op = reply_of("ws_order.json");
  wrong_op.op = WsOrderOp::cancel_order;
  CHECK(correlator.answer(wrong_op).error().code == ErrorCode::protocol_error);
  CHECK(correlator.awaiting() == 1);
  // The format error of 1512 (no items) answers it.
  CHECK(correlator.answer(reply_of("ws_order_format_error.json")).value().op == WsOrderOp::order);
  CHECK(correlator.awaiting() == 0);

  // A reply whose item count differs from the request's.
  const okx::WsOrderFrame two =
      okx::ws_place_batch("1513", InstType::spot, orders, okx::TradeMode::cash, codes).value();
  const std::array one{okx_limit_buy()};
  REQUIRE(correlator.sent(two));
  okx::WsOrderReply short_reply = reply_of("ws_batch_orders.json");
  short_reply.items.pop_back();
  CHECK(correlator.answer(short_reply).error().code == ErrorCode::protocol_error);
  CHECK(okx::ws_place_batch("x", InstType::spot, one, okx::TradeMode::cash, codes).value().items == 1);

  // A closed connection: what awaited is abandoned, by id.
  CHECK(correlator.abandon() == std::vector<std::string>{"1513"});
  CHECK(correlator.awaiting() == 0);
}
