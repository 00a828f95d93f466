#pragma once
/// \file
/// OKX v5's capabilities (cts::venue::VenueCapabilities) for SPOT and SWAP (perpetual
/// futures), from okx.com/docs-v5/en: order entry over the private WebSocket (ops
/// `order`, `amend-order`, `cancel-order` and their batch forms, "Order Book Trading >
/// Trade > WS", each naming the instrument by `instIdCode`; cts builds the frames and
/// parses the replies, ws_orders.hpp, and the engine routes creates and cancels over it
/// through WsOrderEntry, ws_order_entry.hpp); `POST /api/v5/trade/amend-order` (new size and new price); batch place,
/// amend and cancel of at most 20 orders ("Place multiple orders": "Maximum 20 orders can
/// be placed per request", likewise amend and cancel); no cancel-all for spot and swap
/// (`mass-cancel` serves option market makers only); `POST
/// /api/v5/trade/cancel-all-after` ("Cancel All After"); `post_only` order type; stpMode
/// cancel_maker, cancel_taker, cancel_both; `net` and `long/short` position modes
/// (posSide); the private stream logged in by a signed `login` op ("WebSocket > Login");
/// demo trading selected by the `x-simulated-trading: 1` header ("Demo Trading
/// Services") and error 50038 "This feature is unavailable in demo trading".

#include <array>
#include <string_view>

#include "cts/venue/capabilities.hpp"
#include "cts/venue/okx/enums.hpp"

namespace cts::venue::okx {

/// OKX's stpMode values.
inline constexpr std::array<std::string_view, 3> kSelfTradePrevention{"cancel_maker", "cancel_taker", "cancel_both"};

/// What demo trading (`x-simulated-trading: 1`) does not offer.
inline constexpr std::array<std::string_view, 3> kDemoLacks{
    "features answering 50038 (unavailable in demo trading)",
    "production API keys (demo keys are created under Demo Trading)",
    "production instIdCode values (they differ in demo)"};

/// The note on OKX's dead-man switch.
inline constexpr std::string_view kCancelAllAfterNote =
    "POST /api/v5/trade/cancel-all-after: timeOut 0 (disarm) or 10..120 s, re-armed by each call (a heartbeat "
    "every second is recommended), for the whole sub-account or one order tag; 1 request per second";

/// The documentation pages the values come from.
inline constexpr std::string_view kCapabilitiesSource =
    "okx.com/docs-v5/en: order-book-trading trade (place, amend, cancel, multiple orders, cancel-all-after, WS "
    "order ops), websocket login, demo trading services, error codes";

/// OKX SPOT (no positions; tdMode cash).
inline constexpr VenueCapabilities kSpotCapabilities{
    .venue = VenueId::okx,
    .market = "spot",
    .websocket_order_entry = true,
    .amend = AmendSupport::price_and_quantity,
    .batch_create_max = 20,
    .batch_amend_max = 20,
    .batch_cancel_max = 20,
    .cancel_all = false,
    .cancel_all_after = true,
    .cancel_all_after_note = kCancelAllAfterNote,
    .post_only = true,
    .self_trade_prevention = kSelfTradePrevention,
    .one_way_positions = false,
    .hedge_positions = false,
    .private_stream_login = PrivateStreamLogin::signed_request,
    .test_environment_lacks = kDemoLacks,
    .source = kCapabilitiesSource,
};

/// OKX SWAP perpetuals (net mode or long/short mode per account).
inline constexpr VenueCapabilities kSwapCapabilities{
    .venue = VenueId::okx,
    .market = "swap",
    .websocket_order_entry = true,
    .amend = AmendSupport::price_and_quantity,
    .batch_create_max = 20,
    .batch_amend_max = 20,
    .batch_cancel_max = 20,
    .cancel_all = false,
    .cancel_all_after = true,
    .cancel_all_after_note = kCancelAllAfterNote,
    .post_only = true,
    .self_trade_prevention = kSelfTradePrevention,
    .one_way_positions = true,
    .hedge_positions = true,
    .private_stream_login = PrivateStreamLogin::signed_request,
    .test_environment_lacks = kDemoLacks,
    .source = kCapabilitiesSource,
};

/// The capabilities of `type`.
constexpr const VenueCapabilities& capabilities(InstType type) noexcept {
  return type == InstType::spot ? kSpotCapabilities : kSwapCapabilities;
}

}  // namespace cts::venue::okx
