#pragma once
/// \file
/// The values that drive an order: the request that creates it and the events that move
/// it (one flat struct per event, so that it journals and replays trivially).

#include <optional>
#include <string>

#include "cts/core/clock.hpp"
#include "cts/core/client_order_id.hpp"
#include "cts/core/decimal.hpp"
#include "cts/core/order_types.hpp"
#include "cts/order/ids.hpp"
#include "cts/order/status.hpp"

namespace cts::order {

/// Everything needed to create an order in the tracker.
struct OrderRequest {
  ClientOrderId client_id;             ///< From ClientOrderIdGenerator (or the venue's, for external orders).
  std::string symbol;                  ///< Unified symbol, e.g. "BTC/USDT:USDT".
  Side side = Side::buy;               ///< Buy or sell.
  OrderType type = OrderType::limit;   ///< Execution style.
  TimeInForce tif = TimeInForce::gtc;  ///< Time in force.
  Decimal quantity;                    ///< Order quantity (> 0), base units or contracts.
  std::optional<Decimal> price;        ///< Limit price; required by limit types.
  std::optional<Decimal> trigger_price;  ///< Stop/trigger price; required by stop/take-profit types.
  bool reduce_only = false;            ///< Only reduces a position.
  std::string position_id;             ///< Hedging: the position this order trades (empty: its own).
  SystemTime ts{};                     ///< When the order was created.

  friend bool operator==(const OrderRequest&, const OrderRequest&) = default;
};

/// One execution.
struct Fill {
  TradeId trade_id;  ///< The venue's execution id (required; fills are de-duplicated on it).
  Decimal quantity;  ///< Executed quantity (> 0).
  Decimal price;     ///< Execution price.
  Decimal fee;       ///< Fee paid (negative for a rebate), in fee_asset.
  Asset fee_asset;   ///< Asset of the fee; empty when fee is zero.

  friend bool operator==(const Fill&, const Fill&) = default;
};

/// Something that happened to an order. Fields that do not concern `kind` stay empty.
struct OrderEvent {
  OrderEventKind kind = OrderEventKind::submitted;  ///< What happened.
  SystemTime ts{};                 ///< When (venue time for venue events, local otherwise).
  VenueOrderId venue_order_id;     ///< The venue's id, when the event carries one.
  std::string reason;              ///< Reject/cancel/deny reason, free text.
  std::optional<Decimal> quantity; ///< updated: the new order quantity.
  std::optional<Decimal> price;    ///< updated: the new limit price.
  std::optional<Decimal> trigger_price;  ///< updated: the new trigger price.
  Fill fill;                       ///< filled: the execution.

  friend bool operator==(const OrderEvent&, const OrderEvent&) = default;
};

/// An event of `kind` at `ts` with no other field.
inline OrderEvent make_event(OrderEventKind kind, SystemTime ts = {}) {
  OrderEvent e;
  e.kind = kind;
  e.ts = ts;
  return e;
}

/// A fill event.
inline OrderEvent make_fill_event(Fill fill, SystemTime ts = {}) {
  OrderEvent e;
  e.kind = OrderEventKind::filled;
  e.ts = ts;
  e.fill = std::move(fill);
  return e;
}

}  // namespace cts::order
