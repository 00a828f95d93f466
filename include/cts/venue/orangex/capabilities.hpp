#pragma once
/// \file
/// OrangeX's capabilities (cts::venue::VenueCapabilities) for its USDT perpetuals, as far
/// as the connector offers them. The official SDK (OrangeX-Global/orangex-api-python)
/// shows the JSON-RPC calls over REST and the WebSocket and the private WebSocket logged
/// in by `/public/auth` on the connection; the rest follows Deribit's API, whose dialect
/// OrangeX speaks, and is an assumption (docs/venues.md): `/private/edit` (new amount and
/// price), `/private/cancel_all_by_instrument`, post_only, one-way positions. No batch
/// calls and no dead-man switch are known. Orders go over the WebSocket as the REST
/// calls (ws_orders.hpp; the trading methods there are assumed, as over REST).

#include <span>
#include <string_view>

#include "cts/venue/capabilities.hpp"

namespace cts::venue::orangex {

/// Where the values come from.
inline constexpr std::string_view kCapabilitiesSource =
    "official SDK OrangeX-Global/orangex-api-python (JSON-RPC envelope, /public/auth, order book, WebSocket "
    "subscriptions); Deribit's JSON-RPC API for the trading methods (assumed, not verified)";

/// OrangeX USDT perpetuals ("BTC-USDT-PERPETUAL").
inline constexpr VenueCapabilities kPerpetualCapabilities{
    .venue = VenueId::orangex,
    .market = "perpetual",
    .websocket_order_entry = true,
    .amend = AmendSupport::price_and_quantity,
    .batch_create_max = 0,
    .batch_amend_max = 0,
    .batch_cancel_max = 0,
    .cancel_all = true,
    .cancel_all_after = false,
    .cancel_all_after_note = {},
    .post_only = true,
    .self_trade_prevention = {},
    .one_way_positions = true,
    .hedge_positions = false,
    .private_stream_login = PrivateStreamLogin::signed_request,
    .test_environment_lacks = {},
    .source = kCapabilitiesSource,
};

}  // namespace cts::venue::orangex
