#pragma once
/// \file
/// Internal to cts::engine: venue vocabulary (cts/venue/types.hpp) turned into the order
/// state machine's (cts/order), shared by the executor's paths (replies, stream
/// updates, reconciliation).

#include <cstdint>
#include <string>
#include <string_view>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/order/event.hpp"
#include "cts/order/ids.hpp"

namespace cts::engine::detail {

/// The venue's time `ms` (ms since the epoch), or `fallback` when the venue gave none.
inline SystemTime venue_time(std::int64_t ms, SystemTime fallback) { return ms > 0 ? from_unix_millis(ms) : fallback; }

/// An event of `kind` at `ts` with an optional reason.
inline order::OrderEvent event_of(order::OrderEventKind kind, SystemTime ts, std::string reason = {}) {
  order::OrderEvent e = order::make_event(kind, ts);
  e.reason = std::move(reason);
  return e;
}

/// One execution as the state machine keys it (trade id as text). Errors:
/// invalid_argument when an id or the fee asset does not fit the inline ids.
inline Result<order::Fill> to_fill(std::string_view trade_id, Decimal quantity, Decimal price, Decimal fee,
                                   std::string_view fee_asset) {
  Result<order::TradeId> id = order::TradeId::from(trade_id);
  if (!id) return id.error();
  order::Fill fill;
  fill.trade_id = *id;
  fill.quantity = quantity;
  fill.price = price;
  fill.fee = fee;
  if (!fee_asset.empty()) {
    Result<order::Asset> asset = order::Asset::from(fee_asset);
    if (!asset) return asset.error();
    fill.fee_asset = *asset;
  }
  return fill;
}

/// True when `r` failed only because the fill was already applied.
inline bool is_duplicate(const Result<void>& r) { return !r && r.error().code == ErrorCode::duplicate_fill; }

}  // namespace cts::engine::detail
