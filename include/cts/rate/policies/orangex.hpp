#pragma once
/// \file
/// OrangeX rate-limit policy.
///
/// OrangeX documents no rate limits in any source we could read (its official web docs
/// were not available; the official SDK OrangeX-Global/orangex-api-python says nothing).
/// A third-party integration log quotes support as "10 req/s", unverified. The policy
/// is therefore a conservative default: 5 requests/s per account and 5/s per IP, and
/// a 429 pauses both scopes for 10 s unless Retry-After says otherwise. JSON-RPC methods
/// are the endpoint names.

#include <array>
#include <chrono>
#include <string_view>

#include "cts/rate/policy.hpp"

namespace cts::rate {

/// Pool indices of kOrangexPolicy.
namespace orangex_pool {
inline constexpr std::uint8_t ip = 0;       ///< 5/s per IP (conservative default).
inline constexpr std::uint8_t account = 1;  ///< 5/s per account (conservative default).
}  // namespace orangex_pool

/// OrangeX pools (conservative defaults; nothing documented).
inline constexpr std::array<PoolSpec, 2> kOrangexPools{{
    {"IP", 5, std::chrono::seconds{1}, Scope::ip, Counting::window, "", ""},
    {"ACCOUNT", 5, std::chrono::seconds{1}, Scope::account, Counting::window, "", ""},
}};

/// OrangeX endpoint (JSON-RPC method) costs: every method the connector calls
/// (cts/venue/orangex/requests.hpp), public ones on the IP pool, private ones on both.
inline constexpr std::array<EndpointSpec, 17> kOrangexEndpoints{{
    endpoint("/public/auth", {{orangex_pool::ip, 1}}),
    endpoint("/public/get_time", {{orangex_pool::ip, 1}}),
    endpoint("/public/get_instrument", {{orangex_pool::ip, 1}}),
    endpoint("/public/get_order_book", {{orangex_pool::ip, 1}}),
    endpoint("/public/ticker", {{orangex_pool::ip, 1}}),
    endpoint("/private/buy", {{orangex_pool::ip, 1}, {orangex_pool::account, 1}}),
    endpoint("/private/sell", {{orangex_pool::ip, 1}, {orangex_pool::account, 1}}),
    endpoint("/private/edit", {{orangex_pool::ip, 1}, {orangex_pool::account, 1}}),
    endpoint("/private/cancel", {{orangex_pool::ip, 1}, {orangex_pool::account, 1}}),
    endpoint("/private/cancel_all_by_instrument", {{orangex_pool::ip, 1}, {orangex_pool::account, 1}}),
    endpoint("/private/get_open_orders_by_instrument", {{orangex_pool::ip, 1}, {orangex_pool::account, 1}}),
    endpoint("/private/get_order_state", {{orangex_pool::ip, 1}, {orangex_pool::account, 1}}),
    endpoint("/private/get_order_state_by_label", {{orangex_pool::ip, 1}, {orangex_pool::account, 1}}),
    endpoint("/private/get_user_trades_by_order", {{orangex_pool::ip, 1}, {orangex_pool::account, 1}}),
    endpoint("/private/get_user_trades_by_instrument", {{orangex_pool::ip, 1}, {orangex_pool::account, 1}}),
    endpoint("/private/get_account_summary", {{orangex_pool::ip, 1}, {orangex_pool::account, 1}}),
    endpoint("/private/get_position", {{orangex_pool::ip, 1}, {orangex_pool::account, 1}}),
}};

/// 429 (undocumented) pauses both scopes for 10 s.
inline constexpr std::array<BanRule, 2> kOrangexBans{{{429, Scope::ip, std::chrono::seconds{10}},
                                                      {429, Scope::account, std::chrono::seconds{10}}}};

/// The OrangeX policy (conservative default: the venue documents nothing reliable).
inline constexpr VenuePolicy kOrangexPolicy{VenueId::orangex, kOrangexPools, kOrangexEndpoints, kOrangexBans, {},
                                            "no documented limits; conservative default (unverified report: 10 req/s)"};

}  // namespace cts::rate
