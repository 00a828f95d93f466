#pragma once
/// \file
/// Pionex rate-limit policy.
///
/// Source: Pionex API docs "Rate limit": endpoints carry weights; all endpoints share
/// 10 per second per IP, private endpoints also 10 per second per account (the two are
/// independent); over the limit → HTTP 429 and a 60 s ban, extended by 10 s per further
/// request. Individual endpoint weights are not in our sources: weight 1 is assumed for
/// the endpoints below; no usage headers are documented.

#include <array>
#include <chrono>
#include <string_view>

#include "cts/rate/policy.hpp"

namespace cts::rate {

/// Pool indices of kPionexPolicy.
namespace pionex_pool {
inline constexpr std::uint8_t ip = 0;       ///< All endpoints: 10/s per IP.
inline constexpr std::uint8_t account = 1;  ///< Private endpoints: 10/s per account.
}  // namespace pionex_pool

/// Pionex pools.
inline constexpr std::array<PoolSpec, 2> kPionexPools{{
    {"IP", 10, std::chrono::seconds{1}, Scope::ip, Counting::window, "", ""},
    {"ACCOUNT", 10, std::chrono::seconds{1}, Scope::account, Counting::window, "", ""},
}};

/// Pionex endpoint costs (weight 1 assumed).
inline constexpr std::array<EndpointSpec, 6> kPionexEndpoints{{
    endpoint("GET /api/v1/market/depth", {{pionex_pool::ip, 1}}),
    endpoint("GET /api/v1/common/symbols", {{pionex_pool::ip, 1}}),
    endpoint("POST /api/v1/trade/order", {{pionex_pool::ip, 1}, {pionex_pool::account, 1}}),
    endpoint("DELETE /api/v1/trade/order", {{pionex_pool::ip, 1}, {pionex_pool::account, 1}}),
    endpoint("GET /api/v1/trade/openOrders", {{pionex_pool::ip, 1}, {pionex_pool::account, 1}}),
    endpoint("GET /api/v1/account/balances", {{pionex_pool::ip, 1}, {pionex_pool::account, 1}}),
}};

/// 429 is a 60 s ban (every further request extends it by 10 s, so stop completely).
inline constexpr std::array<BanRule, 2> kPionexBans{{{429, Scope::ip, std::chrono::seconds{60}},
                                                     {429, Scope::account, std::chrono::seconds{60}}}};

/// The Pionex policy.
inline constexpr VenuePolicy kPionexPolicy{VenueId::pionex, kPionexPools, kPionexEndpoints, kPionexBans, {},
                                           "Pionex API docs rate limit section; endpoint weights assumed 1"};

}  // namespace cts::rate
