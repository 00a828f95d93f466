#pragma once
/// \file
/// Bybit v5's capabilities (cts::venue::VenueCapabilities) for spot and linear
/// (USDT/USDC perpetuals and futures), from bybit-exchange/docs v5: order entry over the
/// trade WebSocket `/v5/trade` (websocket/trade/guideline.mdx); `POST /v5/order/amend`
/// (price, quantity, trigger price); batch create, amend and cancel of at most 10 orders
/// for spot and 20 for linear (order/batch-place.mdx, batch-amend.mdx, batch-cancel.mdx);
/// `POST /v5/order/cancel-all`; Disconnection Protect (order/dcp.mdx: for institutional
/// clients only, enabled through the account manager, armed by subscribing the private
/// `dcp` topic); PostOnly time in force; smpType (enum.mdx); one-way and hedge position
/// modes for linear (position/position-mode.mdx, enum.mdx positionIdx); the private
/// stream authenticated by an `auth` frame (websocket/wss-authentication.mdx); and what
/// demo trading lacks (demo.mdx).

#include <array>
#include <string_view>

#include "cts/venue/bybit/enums.hpp"
#include "cts/venue/capabilities.hpp"

namespace cts::venue::bybit {

/// Bybit's smpType values.
inline constexpr std::array<std::string_view, 4> kSelfTradePrevention{"None", "CancelMaker", "CancelTaker",
                                                                      "CancelBoth"};
/// What demo trading (api-demo.bybit.com) does not offer.
inline constexpr std::array<std::string_view, 4> kDemoLacks{
    "the trade WebSocket (/v5/trade)", "public streams (use mainnet's)", "rate limits above the default",
    "orders older than 7 days"};

/// The note on Bybit's dead-man switch.
inline constexpr std::string_view kDisconnectionProtectNote =
    "Disconnection Protect: institutional clients only, enabled through the account manager, armed by "
    "subscribing the private dcp topic; window 3..300 s (POST /v5/order/disconnected-cancel-all)";

/// The documentation pages the values come from.
inline constexpr std::string_view kCapabilitiesSource =
    "bybit-exchange/docs v5: order/*.mdx, order/dcp.mdx, enum.mdx, position/position-mode.mdx, "
    "websocket/trade/guideline.mdx, websocket/wss-authentication.mdx, demo.mdx";

/// Bybit spot (no positions; batches of 10).
inline constexpr VenueCapabilities kSpotCapabilities{
    .venue = VenueId::bybit,
    .market = "spot",
    .websocket_order_entry = true,
    .amend = AmendSupport::price_and_quantity,
    .batch_create_max = 10,
    .batch_amend_max = 10,
    .batch_cancel_max = 10,
    .cancel_all = true,
    .cancel_all_after = true,
    .cancel_all_after_note = kDisconnectionProtectNote,
    .post_only = true,
    .self_trade_prevention = kSelfTradePrevention,
    .one_way_positions = false,
    .hedge_positions = false,
    .private_stream_login = PrivateStreamLogin::signed_request,
    .test_environment_lacks = kDemoLacks,
    .source = kCapabilitiesSource,
};

/// Bybit linear perpetuals and futures (one-way by default, hedge mode per symbol or
/// settle coin; batches of 20).
inline constexpr VenueCapabilities kLinearCapabilities{
    .venue = VenueId::bybit,
    .market = "linear",
    .websocket_order_entry = true,
    .amend = AmendSupport::price_and_quantity,
    .batch_create_max = 20,
    .batch_amend_max = 20,
    .batch_cancel_max = 20,
    .cancel_all = true,
    .cancel_all_after = true,
    .cancel_all_after_note = kDisconnectionProtectNote,
    .post_only = true,
    .self_trade_prevention = kSelfTradePrevention,
    .one_way_positions = true,
    .hedge_positions = true,
    .private_stream_login = PrivateStreamLogin::signed_request,
    .test_environment_lacks = kDemoLacks,
    .source = kCapabilitiesSource,
};

/// The capabilities of `category`.
constexpr const VenueCapabilities& capabilities(Category category) noexcept {
  return category == Category::spot ? kSpotCapabilities : kLinearCapabilities;
}

}  // namespace cts::venue::bybit
