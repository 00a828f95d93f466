#pragma once
// The JSON pieces the simulator's Bybit v5 REST front and WebSocket side share: names
// of sides, statuses, times in force and categories, an order object as Bybit's order
// list and private `order` topic write it, and price levels. Field names and values
// from Bybit's v5 documentation (order/open-order.mdx, websocket/private/order.mdx).

#include <iterator>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"
#include "cts/core/instrument.hpp"
#include "cts/sim/matching_engine.hpp"

namespace cts::sim::detail {

using Buffer = fmt::memory_buffer;

/// "Buy" or "Sell".
inline std::string_view bybit_side(Side side) { return side == Side::buy ? "Buy" : "Sell"; }

/// Bybit's orderStatus of `o`.
inline std::string_view status_name(const Order& o) {
  switch (o.status) {
    case OrderStatus::new_: return "New";
    case OrderStatus::partially_filled: return "PartiallyFilled";
    case OrderStatus::filled: return "Filled";
    case OrderStatus::rejected: return "Rejected";
    case OrderStatus::canceled:
    case OrderStatus::expired:
    case OrderStatus::expired_in_match: return o.executed.is_positive() ? "PartiallyFilledCanceled" : "Cancelled";
  }
  return "Cancelled";
}

/// Bybit's timeInForce of `o`.
inline std::string_view time_in_force_name(const Order& o) {
  if (o.type == SimOrderType::limit_maker) return "PostOnly";
  if (o.type == SimOrderType::market) return "IOC";
  return to_binance(o.time_in_force);
}

/// Bybit's name of a category the simulator serves.
inline std::string_view category_name(InstrumentKind kind) { return kind == InstrumentKind::spot ? "spot" : "linear"; }

/// Appends `o` as one Bybit order object (with `link_id` as orderLinkId and `fee` as
/// cumExecFee).
inline void order_json(Buffer& b, const Order& o, const Instrument& in, std::string_view link_id, Decimal fee) {
  const bool linear = in.kind != InstrumentKind::spot;
  const Decimal leaves = is_open(o.status) ? o.quantity - o.executed : Decimal{};
  const std::string average = o.executed.is_positive()
                                  ? fmt::format("{}", o.cumulative_quote.div(o.executed, Rounding::half_even))
                                  : std::string();
  fmt::format_to(
      std::back_inserter(b),
      R"({{"orderId":"{}","orderLinkId":"{}","blockTradeId":"","symbol":"{}","price":"{}","qty":"{}","side":"{}","isLeverage":"{}","positionIdx":0,"orderStatus":"{}","cancelType":"UNKNOWN","rejectReason":"EC_NoError","avgPrice":"{}","leavesQty":"{}","leavesValue":"{}","cumExecQty":"{}","cumExecValue":"{}","cumExecFee":"{}","timeInForce":"{}","orderType":"{}","stopOrderType":"","triggerPrice":"0","reduceOnly":{},"closeOnTrigger":false,"createdTime":"{}","updatedTime":"{}"}})",
      o.id, link_id, in.venue_symbol, o.price, o.quantity, bybit_side(o.side), linear ? "" : "0", status_name(o),
      average, leaves, leaves.mul(o.price, Rounding::half_even), o.executed, o.cumulative_quote, fee,
      time_in_force_name(o), o.type == SimOrderType::market ? "Market" : "Limit", o.reduce_only, o.time_ms,
      o.update_ms);
}

/// Appends `levels` as Bybit's [["price","size"],...].
inline void bybit_levels(Buffer& b, const std::vector<Level>& levels) {
  b.push_back('[');
  for (std::size_t i = 0; i < levels.size(); ++i) {
    fmt::format_to(std::back_inserter(b), R"({}["{}","{}"])", i == 0 ? "" : ",", levels[i].price, levels[i].quantity);
  }
  b.push_back(']');
}

}  // namespace cts::sim::detail
