// Tests for cts/venue/binance/order_events.hpp: Binance replies and updates drive the
// order state machine (cts/order) to the state Binance reported.
#include <cts/venue/binance/order_events.hpp>

#include <cts/order/order.hpp>
#include <cts/venue/binance/rest_parsers.hpp>

#include <doctest/doctest.h>

#include "support.hpp"

namespace binance = cts::venue::binance;
using cts::order::Order;
using cts::order::OrderEventKind;
using cts::order::OrderStatus;
using namespace cts::literals;

namespace {
Order submitted_order(std::string_view client_id, cts::OrderType type, cts::Side side, cts::Decimal quantity,
                      std::optional<cts::Decimal> price = std::nullopt) {
  cts::order::OrderRequest request;
  request.client_id = cts::ClientOrderId::from(client_id).value();
  request.symbol = "BTC/USDT";
  request.side = side;
  request.type = type;
  request.quantity = quantity;
  request.price = price;
  Order order = Order::create(request).value();
  REQUIRE(order.apply(cts::order::make_event(OrderEventKind::submitted)).has_value());
  return order;
}
}  // namespace

TEST_CASE("a spot FULL reply fills the order: the documented fills, their fees and average price") {
  const auto reply = binance::parse_order(cts_test::binance_fixture("spot_order_full.json"), binance::Market::spot,
                                          binance::Operation::mutation);
  REQUIRE(reply.has_value());
  std::vector<cts::order::OrderEvent> events;
  REQUIRE(binance::append_order_events(*reply, events).has_value());
  REQUIRE(events.size() == 6);
  CHECK(events[0].kind == OrderEventKind::accepted);
  CHECK(events[0].venue_order_id.view() == "28");
  CHECK(events[1].fill.trade_id.view() == "56");

  Order order = submitted_order("6gCrw2kRUAF9CvJDGP16IP", cts::OrderType::market, cts::Side::sell, "10"_d);
  for (const auto& event : events) REQUIRE(order.apply(event).has_value());
  CHECK(order.status() == OrderStatus::filled);
  CHECK(order.filled() == "10"_d);
  // (4000·1 + 3999·5 + 3998·2 + 3997·1 + 3995·1) / 10 = 3998.3; fees 4 + 19.995 + 7.996 + 3.997 + 3.995.
  CHECK(order.avg_px() == "3998.3"_d);
  CHECK(order.fee("USDT") == "39.983"_d);
  // Replaying the same reply is refused as duplicate fills (nothing changes).
  CHECK_FALSE(order.apply(events[1]).has_value());
  CHECK(order.filled() == "10"_d);
}

TEST_CASE("a cancel reply: accepted then canceled") {
  const auto reply = binance::parse_order(cts_test::binance_fixture("spot_order_cancel.json"), binance::Market::spot,
                                          binance::Operation::mutation);
  REQUIRE(reply.has_value());
  std::vector<cts::order::OrderEvent> events;
  REQUIRE(binance::append_order_events(*reply, events).has_value());
  REQUIRE(events.size() == 2);
  CHECK(events[1].kind == OrderEventKind::canceled);
}

TEST_CASE("user data updates: new, then a trade, then the rest canceled") {
  binance::OrderUpdate update;
  update.order.order_id = "4293153";
  update.order.time_ms = 1499405658657;
  update.execution = binance::ExecutionType::new_;
  Order order = submitted_order("mUvoqJxFIILMdfAW5iGSOW", cts::OrderType::limit, cts::Side::buy, "1"_d, "0.1"_d);
  auto accepted = binance::to_order_event(update);
  REQUIRE(accepted.has_value());
  REQUIRE(order.apply(*accepted).has_value());
  CHECK(order.status() == OrderStatus::accepted);
  CHECK(order.venue_order_id().view() == "4293153");

  update.execution = binance::ExecutionType::trade;
  update.last_fill = cts::venue::Fill{"77", "0.1"_d, "0.4"_d, "0.00004"_d, "BNB"};
  auto fill = binance::to_order_event(update);
  REQUIRE(fill.has_value());
  CHECK(fill->kind == OrderEventKind::filled);
  REQUIRE(order.apply(*fill).has_value());
  CHECK(order.status() == OrderStatus::partially_filled);
  CHECK(order.filled() == "0.4"_d);
  CHECK(order.fee("BNB") == "0.00004"_d);

  update.execution = binance::ExecutionType::canceled;
  update.last_fill.reset();
  REQUIRE(order.apply(binance::to_order_event(update).value()).has_value());
  CHECK(order.status() == OrderStatus::canceled);

  update.execution = binance::ExecutionType::trade;
  CHECK(binance::to_order_event(update).error().code == cts::ErrorCode::invalid_argument);
}

TEST_CASE("rejections carry Binance's reason") {
  binance::OrderUpdate update;
  update.order.order_id = "1";
  update.execution = binance::ExecutionType::rejected;
  update.reject_reason = "INSUFFICIENT_BALANCES";
  const auto event = binance::to_order_event(update);
  REQUIRE(event.has_value());
  CHECK(event->kind == OrderEventKind::rejected);
  CHECK(event->reason == "INSUFFICIENT_BALANCES");
}
