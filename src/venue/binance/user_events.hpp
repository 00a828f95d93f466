#pragma once
// Internal to cts::venue: a Binance user-data order update (spot executionReport, USD-M
// ORDER_TRADE_UPDATE) as the seam's unified order update; shared by SpotUserStream and
// UsdmUserStream.

#include <utility>

#include "cts/venue/binance/streams.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::venue::binance::detail {

/// `update` as a venue::OrderUpdate: the order, the last fill, the event time, whether
/// it amended or replaced the order, and (USD-M) the fill's realised PnL.
inline venue::OrderUpdate to_unified(OrderUpdate&& update) {
  venue::OrderUpdate unified;
  unified.order = std::move(update.order);
  unified.last_fill = std::move(update.last_fill);
  unified.event_time_ms = update.event_time_ms;
  unified.amended = update.execution == ExecutionType::replaced || update.execution == ExecutionType::amendment;
  unified.realized_pnl = update.realized_pnl;
  return unified;
}

}  // namespace cts::venue::binance::detail
