#pragma once
/// \file
/// Small fixed-capacity strings for the identifiers an order carries besides its client
/// order id: the venue's order id, trade ids and asset codes. Held inline, so orders and
/// fills copy, hash and compare without touching the heap.

#include <cstddef>
#include <string_view>

#include "cts/core/inline_id.hpp"

namespace cts::order {

/// The core's inline id, under the name the order component has always used.
template <std::size_t Capacity, class Tag>
using InlineId = cts::InlineId<Capacity, Tag>;

/// Tag of VenueOrderId.
struct VenueOrderIdTag {
  static constexpr std::string_view kWhat = "venue order id";
};
/// Tag of TradeId.
struct TradeIdTag {
  static constexpr std::string_view kWhat = "trade id";
};
/// Tag of Asset.
struct AssetTag {
  static constexpr std::string_view kWhat = "asset code";
};

/// The venue's id of an order (Binance's numeric orderId, Bybit's UUID, OKX's ordId).
using VenueOrderId = InlineId<47, VenueOrderIdTag>;
/// The venue's id of one execution; fills are de-duplicated on it.
using TradeId = InlineId<47, TradeIdTag>;
/// An asset code such as "BTC" or "USDT" (fees, PnL currencies).
using Asset = InlineId<15, AssetTag>;

}  // namespace cts::order
