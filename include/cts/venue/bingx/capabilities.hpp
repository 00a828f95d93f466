#pragma once
/// \file
/// BingX's capabilities (cts::venue::VenueCapabilities) for the USDT-M perpetual swap
/// ("swap v2"), from the BingX API docs v3 (BingX-API/docs-v3): no order entry over
/// WebSocket (the WebSocket carries market data and the account stream only); no native
/// amend (`POST /openApi/swap/v1/trade/cancelReplace` cancels and replaces:
/// SwapGateway::cancel_replace); batch place
/// `POST /openApi/swap/v2/trade/batchOrders` ("up to 5 orders") and batch cancel `DELETE
/// /openApi/swap/v2/trade/batchOrders` ("up to 10 orders", swap-v2 docs); cancel-all
/// `DELETE /openApi/swap/v2/trade/allOpenOrders`; the dead-man switch `POST
/// /openApi/swap/v2/trade/cancelAllAfter`; `timeInForce` PostOnly; one-way (`BOTH`) and
/// hedge (`LONG`/`SHORT`) position modes (`/openApi/swap/v1/positionSide/dual`); the
/// account stream named by a listen key valid 60 minutes (`/openApi/user/auth/userDataStream`).
/// And for spot (docs v3 spot pages): no WebSocket order entry either; no native amend
/// (`POST /openApi/spot/v1/trade/order/cancelReplace`: SpotGateway::cancel_replace); batch place `POST
/// /openApi/spot/v1/trade/batchOrders` ("limited to 5 orders"); batch cancel `POST
/// /openApi/spot/v1/trade/cancelOrders` (a list of orderIds, its longest not documented:
/// not counted here); cancel-all `POST /openApi/spot/v1/trade/cancelOpenOrders`; the
/// dead-man switch `POST /openApi/spot/v1/trade/cancelAllAfter`; `timeInForce` PostOnly;
/// no positions; the same listen key, its events subscribed on `/market`.

#include <array>
#include <chrono>
#include <string_view>

#include "cts/venue/capabilities.hpp"

namespace cts::venue::bingx {

/// What the VST demo environment (https://open-api-vst.bingx.com, VST coins) lacks.
inline constexpr std::array<std::string_view, 2> kDemoLacks{
    "real assets (VST demo coins, requested with POST /openApi/swap/v1/trade/getVst)",
    "spot trading (the VST host serves the perpetual swap)"};

/// The note on BingX's dead-man switch.
inline constexpr std::string_view kCancelAllAfterNote =
    "POST /openApi/swap/v2/trade/cancelAllAfter (SwapGateway::cancel_all_after): type ACTIVATE with timeOut "
    "10..120 s, re-armed by each call, or CLOSE; every open swap order of the account is cancelled when it runs "
    "out; 1 request per second (the docs give 2/second and 1 time/1s)";

/// What the VST demo environment lacks for spot.
inline constexpr std::array<std::string_view, 1> kSpotDemoLacks{"spot trading (the VST host serves the perpetual swap)"};

/// The note on BingX's spot dead-man switch.
inline constexpr std::string_view kSpotCancelAllAfterNote =
    "POST /openApi/spot/v1/trade/cancelAllAfter (SpotGateway::cancel_all_after): type ACTIVATE with timeOut "
    "10..120 s, re-armed by each call, or CLOSE; every open spot order of the account is cancelled when it runs "
    "out (the swap's orders are the swap switch's); 1 request per second (the docs give 10/second and 1 time/1s)";

/// The documentation the values come from.
inline constexpr std::string_view kCapabilitiesSource =
    "BingX-API/docs-v3 (swap trade endpoints, WebSocket rules, listen key) and "
    "BingX-API/BingX-swap-api-v2-doc (batch sizes)";

/// BingX USDT-M perpetual swap.
inline constexpr VenueCapabilities kSwapCapabilities{
    .venue = VenueId::bingx,
    .market = "swap",
    .websocket_order_entry = false,
    .amend = AmendSupport::none,
    .batch_create_max = 5,
    .batch_amend_max = 0,
    .batch_cancel_max = 10,
    .cancel_all = true,
    .cancel_all_after = true,
    .cancel_all_after_note = kCancelAllAfterNote,
    .post_only = true,
    .self_trade_prevention = {},
    .one_way_positions = true,
    .hedge_positions = true,
    .private_stream_login = PrivateStreamLogin::listen_key,
    .listen_key_validity = std::chrono::minutes{60},
    .test_environment_lacks = kDemoLacks,
    .source = kCapabilitiesSource,
};

/// The spot documentation the values come from.
inline constexpr std::string_view kSpotCapabilitiesSource =
    "BingX-API/docs-v3 (spot trade endpoints: place, batchOrders, cancelOrders, cancelOpenOrders, cancelAllAfter, "
    "cancelReplace; spot WebSocket account data)";

/// BingX spot.
inline constexpr VenueCapabilities kSpotCapabilities{
    .venue = VenueId::bingx,
    .market = "spot",
    .websocket_order_entry = false,
    .amend = AmendSupport::none,
    .batch_create_max = 5,
    .batch_amend_max = 0,
    .batch_cancel_max = 0,
    .cancel_all = true,
    .cancel_all_after = true,
    .cancel_all_after_note = kSpotCancelAllAfterNote,
    .post_only = true,
    .self_trade_prevention = {},
    .one_way_positions = false,
    .hedge_positions = false,
    .private_stream_login = PrivateStreamLogin::listen_key,
    .listen_key_validity = std::chrono::minutes{60},
    .test_environment_lacks = kSpotDemoLacks,
    .source = kSpotCapabilitiesSource,
};

}  // namespace cts::venue::bingx
