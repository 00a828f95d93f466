#pragma once
/// \file
/// Binance replies and user-data updates turned into the order state machine's events
/// (cts::order::OrderEvent), so the tracker applies what the venue reported.
///
/// Mapping of an execution report's execution type: NEW → accepted (with the venue
/// order id), TRADE and CALCULATED → filled (trade id, last quantity, last price,
/// commission), CANCELED → canceled, EXPIRED and TRADE_PREVENTION → expired, REJECTED →
/// rejected (with Binance's reason), REPLACED and AMENDMENT → updated (quantity, price).

#include <chrono>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/order/event.hpp"
#include "cts/venue/binance/streams.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::binance {

namespace detail {
inline SystemTime from_ms(std::int64_t ms) { return SystemTime{std::chrono::milliseconds(ms)}; }

inline Result<order::VenueOrderId> venue_order_id(std::string_view id) { return order::VenueOrderId::from(id); }

inline Result<order::OrderEvent> fill_event(const Fill& fill, std::int64_t time_ms) {
  auto trade_id = order::TradeId::from(fill.trade_id);
  if (!trade_id) return trade_id.error();
  auto asset = order::Asset::from(fill.commission_asset);
  if (!asset) return asset.error();
  order::Fill out;
  out.trade_id = *trade_id;
  out.quantity = fill.quantity;
  out.price = fill.price;
  out.fee = fill.commission;
  out.fee_asset = *asset;
  return order::make_fill_event(out, from_ms(time_ms));
}
}  // namespace detail

/// The state-machine event for one user-data order update (one update, one event).
/// Errors: invalid_argument when an id or asset does not fit the tracker's inline ids.
inline Result<order::OrderEvent> to_order_event(const OrderUpdate& update) {
  const SystemTime ts = detail::from_ms(update.order.time_ms);
  order::OrderEvent event;
  switch (update.execution) {
    case ExecutionType::trade:
    case ExecutionType::calculated:
      if (!update.last_fill) return make_error(ErrorCode::invalid_argument, "a trade update without its fill");
      return detail::fill_event(*update.last_fill, update.order.time_ms);
    case ExecutionType::new_: event = order::make_event(order::OrderEventKind::accepted, ts); break;
    case ExecutionType::canceled: event = order::make_event(order::OrderEventKind::canceled, ts); break;
    case ExecutionType::expired:
    case ExecutionType::trade_prevention: event = order::make_event(order::OrderEventKind::expired, ts); break;
    case ExecutionType::rejected:
      event = order::make_event(order::OrderEventKind::rejected, ts);
      event.reason = update.reject_reason;
      break;
    case ExecutionType::replaced:
    case ExecutionType::amendment:
      event = order::make_event(order::OrderEventKind::updated, ts);
      event.quantity = update.order.quantity;
      if (has_limit_price(update.order.type)) event.price = update.order.price;
      break;
  }
  auto id = detail::venue_order_id(update.order.order_id);
  if (!id) return id.error();
  event.venue_order_id = *id;
  return event;
}

/// The events a create-order reply implies, appended to `out` in order: accepted (with
/// the venue order id) unless the order was rejected; one filled per fill carried in
/// the reply (spot FULL); then canceled, expired or rejected when the status is one of
/// those. A USD-M RESULT reply carries no fills: its executions arrive through the user
/// data stream (or account trades). Errors: invalid_argument as for to_order_event().
inline Result<void> append_order_events(const OrderReport& reply, std::vector<order::OrderEvent>& out) {
  const SystemTime ts = detail::from_ms(reply.time_ms);
  auto id = detail::venue_order_id(reply.order_id);
  if (!id) return id.error();
  if (reply.status == OrderStatus::rejected) {
    order::OrderEvent rejected = order::make_event(order::OrderEventKind::rejected, ts);
    rejected.venue_order_id = *id;
    out.push_back(std::move(rejected));
    return {};
  }
  order::OrderEvent accepted = order::make_event(order::OrderEventKind::accepted, ts);
  accepted.venue_order_id = *id;
  out.push_back(std::move(accepted));
  for (const Fill& fill : reply.fills) {
    auto event = detail::fill_event(fill, reply.time_ms);
    if (!event) return event.error();
    out.push_back(std::move(*event));
  }
  if (reply.status == OrderStatus::canceled) out.push_back(order::make_event(order::OrderEventKind::canceled, ts));
  if (reply.status == OrderStatus::expired || reply.status == OrderStatus::expired_in_match) {
    out.push_back(order::make_event(order::OrderEventKind::expired, ts));
  }
  return {};
}

}  // namespace cts::venue::binance
