#pragma once
/// \file
/// Pionex rate-limit policy.
///
/// Source: pionex-open-api openapi.yaml, "Rate Limits" and the weight printed on each
/// endpoint: every endpoint has a weight; all endpoints share 10 per second per IP,
/// private endpoints also 10 per second per account (the two are independent); over the
/// limit → HTTP 429 and a 60 s ban of the IP or account, extended by 10 s per further
/// request. Weights: symbols, open orders, all orders, fills and fills by order id 5;
/// every other endpoint 1. An endpoint's weight is charged to both pools it counts
/// against. No usage headers are documented.

#include <array>
#include <chrono>
#include <string_view>

#include "cts/rate/policy.hpp"

namespace cts::rate {

/// Pool indices of kPionexPolicy.
namespace pionex_pool {
inline constexpr std::uint8_t ip = 0;       ///< All endpoints: weight 10/s per IP.
inline constexpr std::uint8_t account = 1;  ///< Private endpoints: weight 10/s per account.
}  // namespace pionex_pool

/// Pionex pools.
inline constexpr std::array<PoolSpec, 2> kPionexPools{{
    {"IP", 10, std::chrono::seconds{1}, Scope::ip, Counting::window, "", ""},
    {"ACCOUNT", 10, std::chrono::seconds{1}, Scope::account, Counting::window, "", ""},
}};

/// Pionex endpoint weights (public: the IP pool; private: both).
inline constexpr std::array<EndpointSpec, 17> kPionexEndpoints{{
    endpoint("GET /api/v1/common/symbols", {{pionex_pool::ip, 5}}),
    endpoint("GET /api/v1/market/depth", {{pionex_pool::ip, 1}}),
    endpoint("GET /api/v1/market/trades", {{pionex_pool::ip, 1}}),
    endpoint("GET /api/v1/market/tickers", {{pionex_pool::ip, 1}}),
    endpoint("GET /api/v1/market/bookTickers", {{pionex_pool::ip, 1}}),
    endpoint("GET /api/v1/market/klines", {{pionex_pool::ip, 1}}),
    endpoint("GET /api/v1/account/balances", {{pionex_pool::ip, 1}, {pionex_pool::account, 1}}),
    endpoint("POST /api/v1/trade/order", {{pionex_pool::ip, 1}, {pionex_pool::account, 1}}),
    endpoint("GET /api/v1/trade/order", {{pionex_pool::ip, 1}, {pionex_pool::account, 1}}),
    endpoint("DELETE /api/v1/trade/order", {{pionex_pool::ip, 1}, {pionex_pool::account, 1}}),
    endpoint("POST /api/v1/trade/massOrder", {{pionex_pool::ip, 1}, {pionex_pool::account, 1}}),
    endpoint("GET /api/v1/trade/orderByClientOrderId", {{pionex_pool::ip, 1}, {pionex_pool::account, 1}}),
    endpoint("GET /api/v1/trade/openOrders", {{pionex_pool::ip, 5}, {pionex_pool::account, 5}}),
    endpoint("GET /api/v1/trade/allOrders", {{pionex_pool::ip, 5}, {pionex_pool::account, 5}}),
    endpoint("DELETE /api/v1/trade/allOrders", {{pionex_pool::ip, 1}, {pionex_pool::account, 1}}),
    endpoint("GET /api/v1/trade/fills", {{pionex_pool::ip, 5}, {pionex_pool::account, 5}}),
    endpoint("GET /api/v1/trade/fillsByOrderId", {{pionex_pool::ip, 5}, {pionex_pool::account, 5}}),
}};

/// 429 is a 60 s ban (every further request extends it by 10 s, so stop completely).
inline constexpr std::array<BanRule, 2> kPionexBans{{{429, Scope::ip, std::chrono::seconds{60}},
                                                     {429, Scope::account, std::chrono::seconds{60}}}};

/// The Pionex policy.
inline constexpr VenuePolicy kPionexPolicy{VenueId::pionex, kPionexPools, kPionexEndpoints, kPionexBans, {},
                                           "pionex-open-api openapi.yaml: Rate Limits and each endpoint's weight"};

}  // namespace cts::rate
