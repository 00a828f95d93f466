#pragma once
/// \file
/// What a gateway answers for a create the venue acknowledged without the order's state
/// (Bybit v5 and OKX v5 answer a create with its ids only, over REST and WebSocket alike).

#include <utility>

#include "cts/venue/types.hpp"

namespace cts::venue {

/// The report of `order`, which the venue acknowledged with `ack`: the acknowledged ids
/// (the order's client id when the venue echoes none), the order's own fields and status
/// pending_new (accepted, its state not yet known), the acknowledgement's time.
[[nodiscard]] inline OrderReport acknowledged_order(const NewOrder& order, OrderAck ack) {
  OrderReport report;
  report.symbol = order.symbol;
  report.order_id = std::move(ack.order_id);
  report.client_order_id = ack.client_order_id.empty() ? order.client_order_id : std::move(ack.client_order_id);
  report.status = OrderStatus::pending_new;
  report.side = order.side;
  report.type = order.type;
  report.time_in_force = order.time_in_force;
  if (order.price) report.price = *order.price;
  if (order.trigger_price) report.trigger_price = *order.trigger_price;
  report.quantity = order.quantity;
  report.reduce_only = order.reduce_only;
  report.position_side = order.position_side;
  report.time_ms = ack.time_ms;
  return report;
}

}  // namespace cts::venue
