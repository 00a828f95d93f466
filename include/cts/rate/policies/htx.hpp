#pragma once
/// \file
/// HTX (Huobi) spot rate-limit policy.
///
/// Source: htx.com/en-us/opend/newApiPages/ (per-endpoint values): the "new version"
/// rule counts per UID per endpoint across all of the UID's keys, and reports it in
/// X-HB-RateLimit-Requests-Remain / -Expire. A typical value, printed on
/// /v1/account/accounts and /v1/order/orders/submitCancelClientOrder, is 100 per 2 s;
/// the same value is assumed for the other private endpoints listed here. Public market
/// data per IP is not in our sources: a conservative 10/s is assumed.

#include <array>
#include <chrono>
#include <string_view>

#include "cts/rate/policy.hpp"

namespace cts::rate {

/// Pool indices of kHtxPolicy.
namespace htx_pool {
inline constexpr std::uint8_t place = 0;        ///< POST /v1/order/orders/place: 100 / 2 s per UID.
inline constexpr std::uint8_t cancel = 1;       ///< Cancels: 100 / 2 s per UID.
inline constexpr std::uint8_t query = 2;        ///< Order queries: 100 / 2 s per UID.
inline constexpr std::uint8_t account = 3;      ///< Account endpoints: 100 / 2 s per UID.
inline constexpr std::uint8_t batch = 4;        ///< POST /v1/order/batch-orders: 100 / 2 s per UID (assumed).
inline constexpr std::uint8_t public_ip = 5;    ///< Public market data: 10/s per IP (assumed, conservative).
}  // namespace htx_pool

/// HTX pools.
inline constexpr std::array<PoolSpec, 6> kHtxPools{{
    {"ORDER_PLACE", 100, std::chrono::seconds{2}, Scope::account, Counting::window, "", "X-HB-RateLimit-Requests-Remain"},
    {"ORDER_CANCEL", 100, std::chrono::seconds{2}, Scope::account, Counting::window, "", "X-HB-RateLimit-Requests-Remain"},
    {"ORDER_QUERY", 100, std::chrono::seconds{2}, Scope::account, Counting::window, "", "X-HB-RateLimit-Requests-Remain"},
    {"ACCOUNT", 100, std::chrono::seconds{2}, Scope::account, Counting::window, "", "X-HB-RateLimit-Requests-Remain"},
    {"BATCH_ORDERS", 100, std::chrono::seconds{2}, Scope::account, Counting::window, "", "X-HB-RateLimit-Requests-Remain"},
    {"PUBLIC", 10, std::chrono::seconds{1}, Scope::ip, Counting::window, "", ""},
}};

/// HTX endpoint costs.
inline constexpr std::array<EndpointSpec, 9> kHtxEndpoints{{
    endpoint("POST /v1/order/orders/place", {{htx_pool::place, 1}}),
    endpoint("POST /v1/order/batch-orders", {{htx_pool::batch, 1}}),
    endpoint("POST /v1/order/orders/submitCancelClientOrder", {{htx_pool::cancel, 1}}),
    endpoint("POST /v1/order/orders/{order-id}/submitcancel", {{htx_pool::cancel, 1}}),
    endpoint("GET /v1/order/openOrders", {{htx_pool::query, 1}}),
    endpoint("GET /v1/order/orders/getClientOrder", {{htx_pool::query, 1}}),
    endpoint("GET /v1/account/accounts", {{htx_pool::account, 1}}),
    endpoint("GET /market/depth", {{htx_pool::public_ip, 1}}),
    endpoint("GET /v1/common/timestamp", {{htx_pool::public_ip, 1}}),
}};

/// 429 is not documented for HTX; treat it as a throttle of both scopes for 2 s.
inline constexpr std::array<BanRule, 2> kHtxBans{{{429, Scope::account, std::chrono::seconds{2}},
                                                  {429, Scope::ip, std::chrono::seconds{2}}}};

/// The HTX policy.
inline constexpr VenuePolicy kHtxPolicy{VenueId::htx, kHtxPools, kHtxEndpoints, kHtxBans, {},
                                        "htx.com opend newApiPages (100 times/2s typical, per UID per endpoint); "
                                        "public per-IP limit assumed"};

}  // namespace cts::rate
