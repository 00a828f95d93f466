#pragma once
/// \file
/// Pionex spot's capabilities (cts::venue::VenueCapabilities), from pionex-open-api
/// openapi.yaml and websocketapi.yaml: no order entry over WebSocket (the streams carry
/// market data and account updates only); no amend; `POST /api/v1/trade/massOrder` places
/// up to 20 LIMIT orders at once; no batch cancel; `DELETE /api/v1/trade/allOrders`
/// cancels every open order of a symbol; no dead-man switch, post-only or self-trade
/// prevention; the private stream is opened by a signed URL (`key`, `timestamp`,
/// `signature` in the query of wss://ws.pionex.com/ws), no listen key. The specification
/// names one server, production: no test environment.

#include <array>
#include <string_view>

#include "cts/venue/capabilities.hpp"

namespace cts::venue::pionex {

/// What Pionex's test environment lacks: there is none.
inline constexpr std::array<std::string_view, 1> kTestLacks{
    "everything: Pionex documents no testnet or demo host (openapi.yaml lists production only)"};

/// The documents the values come from.
inline constexpr std::string_view kCapabilitiesSource =
    "pionex-open-api openapi.yaml (trade: order, massOrder, allOrders) and websocketapi.yaml (private stream "
    "authentication)";

/// Pionex spot.
inline constexpr VenueCapabilities kSpotCapabilities{
    .venue = VenueId::pionex,
    .market = "spot",
    .websocket_order_entry = false,
    .amend = AmendSupport::none,
    .batch_create_max = 20,
    .batch_amend_max = 0,
    .batch_cancel_max = 0,
    .cancel_all = true,
    .cancel_all_after = false,
    .cancel_all_after_note = {},
    .post_only = false,
    .self_trade_prevention = {},
    .one_way_positions = false,
    .hedge_positions = false,
    .private_stream_login = PrivateStreamLogin::signed_request,
    .test_environment_lacks = kTestLacks,
    .source = kCapabilitiesSource,
};

}  // namespace cts::venue::pionex
