#pragma once
/// \file
/// Binance spot's and USD-M futures' capabilities (cts::venue::VenueCapabilities). Spot,
/// from binance-spot-api-docs:
/// the WebSocket API (`order.place`, `order.cancel`, `order.amend.keepPriority`),
/// `PUT /api/v3/order/amend/keepPriority` ("Reduce the quantity of an existing open
/// order"), `DELETE /api/v3/openOrders` (cancel all of a symbol), LIMIT_MAKER orders,
/// enums.md selfTradePreventionMode (the modes a symbol allows are listed in its
/// exchangeInfo), and the user data stream, subscribed with a signed WebSocket API
/// request since the listenKey endpoints were removed (CHANGELOG 2026-01-21). Spot has
/// no batch create, amend or cancel, no dead-man switch and no positions.

#include <array>
#include <string_view>

#include "cts/venue/capabilities.hpp"

namespace cts::venue::binance {

/// Binance spot's self-trade prevention modes.
inline constexpr std::array<std::string_view, 4> kSpotSelfTradePrevention{"NONE", "EXPIRE_TAKER", "EXPIRE_MAKER",
                                                                          "EXPIRE_BOTH"};
/// What the spot testnet (testnet.binance.vision) does not serve.
inline constexpr std::array<std::string_view, 1> kSpotTestnetLacks{"the /sapi endpoints (wallet, sub-accounts)"};

/// Binance spot.
inline constexpr VenueCapabilities kSpotCapabilities{
    .venue = VenueId::binance_spot,
    .market = "spot",
    .websocket_order_entry = true,
    .amend = AmendSupport::quantity_down,
    .batch_create_max = 0,
    .batch_amend_max = 0,
    .batch_cancel_max = 0,
    .cancel_all = true,
    .cancel_all_after = false,
    .cancel_all_after_note = {},
    .post_only = true,
    .self_trade_prevention = kSpotSelfTradePrevention,
    .one_way_positions = false,
    .hedge_positions = false,
    .private_stream_login = PrivateStreamLogin::signed_request,
    .test_environment_lacks = kSpotTestnetLacks,
    .source = "binance-spot-api-docs: rest-api.md, web-socket-api.md, enums.md, CHANGELOG.md",
};

/// Binance USD-M futures' self-trade prevention modes (selfTradePreventionMode).
inline constexpr std::array<std::string_view, 4> kUsdmSelfTradePrevention{"NONE", "EXPIRE_TAKER", "EXPIRE_MAKER",
                                                                          "EXPIRE_BOTH"};
/// Its dead-man switch.
inline constexpr std::string_view kUsdmCountdownNote =
    "POST /fapi/v1/countdownCancelAll with countdownTime in ms, per symbol; send it again before the countdown ends";

/// Binance USD-M futures: POST/PUT/DELETE /fapi/v1/batchOrders (5 creates, 5 amends, 10
/// cancels), PUT /fapi/v1/order (price and quantity), DELETE /fapi/v1/allOpenOrders,
/// countdownCancelAll, GTX (post-only), one-way or hedge positions (dualSidePosition),
/// the WebSocket API's order.place/order.modify/order.cancel, the user data stream by
/// listen key (valid 60 minutes unless extended).
inline constexpr VenueCapabilities kUsdmCapabilities{
    .venue = VenueId::binance_usdm,
    .market = "usdm",
    .websocket_order_entry = true,
    .amend = AmendSupport::price_and_quantity,
    .batch_create_max = 5,
    .batch_amend_max = 5,
    .batch_cancel_max = 10,
    .cancel_all = true,
    .cancel_all_after = true,
    .cancel_all_after_note = kUsdmCountdownNote,
    .post_only = true,
    .self_trade_prevention = kUsdmSelfTradePrevention,
    .one_way_positions = true,
    .hedge_positions = true,
    .private_stream_login = PrivateStreamLogin::listen_key,
    .listen_key_validity = std::chrono::minutes{60},
    .test_environment_lacks = {},
    .source = "developers.binance.com/docs/derivatives/usds-margined-futures: trade (new, modify, batch, "
              "cancel all, countdown), account (position mode), user data streams, websocket-api",
};

}  // namespace cts::venue::binance
