#pragma once
/// \file
/// BingX rate-limit policy.
///
/// Source: BingX-API/docs-v3 (rate-limit template): per-endpoint per-UID limits such as
/// "5/second"; IP groups: market group 500 requests / 10 s and 1000 / min per IP;
/// account groups 2000 / 10 s per IP with 300 / 10 s per interface. The older swap-v2
/// text gives private 10/s per UID; over the limit → 429. Per-endpoint UID limits vary
/// and are not all in our sources: one conservative 5/s pool covers the private
/// endpoints listed here, except the two cancelAllAfter endpoints, each with its own
/// 1/s: the swap's docs give "2/second" in the limit field and "1 time/1s" in the text,
/// spot's "10/second" and "1 time/1s"; the stricter is kept.

#include <array>
#include <chrono>
#include <string_view>

#include "cts/rate/policy.hpp"

namespace cts::rate {

/// Pool indices of kBingxPolicy.
namespace bingx_pool {
inline constexpr std::uint8_t market_10s = 0;   ///< Market group: 500 / 10 s per IP.
inline constexpr std::uint8_t market_1m = 1;    ///< Market group: 1000 / min per IP.
inline constexpr std::uint8_t account_ip = 2;   ///< Account groups: 2000 / 10 s per IP.
inline constexpr std::uint8_t interface = 3;    ///< Per interface: 300 / 10 s per IP.
inline constexpr std::uint8_t private_uid = 4;  ///< Private endpoints: 5/s per UID (conservative).
inline constexpr std::uint8_t cancel_all_after = 5;  ///< Swap cancelAllAfter: 1/s per UID (the stricter of its "2/second" and "1 time/1s").
inline constexpr std::uint8_t spot_cancel_all_after = 6;  ///< Spot cancelAllAfter: 1/s per UID (the stricter of its "10/second" and "1 time/1s").
}  // namespace bingx_pool

/// BingX pools.
inline constexpr std::array<PoolSpec, 7> kBingxPools{{
    {"MARKET_10S", 500, std::chrono::seconds{10}, Scope::ip, Counting::window, "", ""},
    {"MARKET_1M", 1000, std::chrono::seconds{60}, Scope::ip, Counting::window, "", ""},
    {"ACCOUNT_10S", 2000, std::chrono::seconds{10}, Scope::ip, Counting::window, "", ""},
    {"INTERFACE_10S", 300, std::chrono::seconds{10}, Scope::ip, Counting::window, "", ""},
    {"PRIVATE_UID", 5, std::chrono::seconds{1}, Scope::account, Counting::window, "", ""},
    {"CANCEL_ALL_AFTER", 1, std::chrono::seconds{1}, Scope::account, Counting::window, "", ""},
    {"SPOT_CANCEL_ALL_AFTER", 1, std::chrono::seconds{1}, Scope::account, Counting::window, "", ""},
}};

namespace detail {
/// A BingX private request: account group, per-interface and per-UID pools.
constexpr EndpointSpec bingx_private(std::string_view name) noexcept {
  return endpoint(name, {{bingx_pool::account_ip, 1}, {bingx_pool::interface, 1}, {bingx_pool::private_uid, 1}});
}
/// A BingX market-data request.
constexpr EndpointSpec bingx_market(std::string_view name) noexcept {
  return endpoint(name, {{bingx_pool::market_10s, 1}, {bingx_pool::market_1m, 1}});
}
}  // namespace detail

/// BingX endpoint costs: every endpoint the spot connector (cts/venue/bingx/spot_requests.hpp;
/// its docs limit of 10/s per UID, balance 5/s, falls under the one conservative pool) and
/// the swap connector (cts/venue/bingx/requests.hpp) send.
inline constexpr std::array<EndpointSpec, 30> kBingxEndpoints{{
    detail::bingx_market("GET /openApi/spot/v1/common/symbols"),
    detail::bingx_market("GET /openApi/spot/v1/market/depth"),
    detail::bingx_market("GET /openApi/spot/v1/ticker/bookTicker"),
    detail::bingx_market("GET /openApi/swap/v2/quote/depth"),
    detail::bingx_market("GET /openApi/swap/v2/server/time"),
    detail::bingx_market("GET /openApi/swap/v2/quote/contracts"),
    detail::bingx_market("GET /openApi/swap/v2/quote/bookTicker"),
    detail::bingx_private("POST /openApi/spot/v1/trade/order"),
    detail::bingx_private("POST /openApi/spot/v1/trade/cancel"),
    detail::bingx_private("GET /openApi/spot/v1/trade/query"),
    detail::bingx_private("GET /openApi/spot/v1/trade/openOrders"),
    detail::bingx_private("POST /openApi/spot/v1/trade/cancelOpenOrders"),
    detail::bingx_private("GET /openApi/spot/v1/trade/myTrades"),
    detail::bingx_private("GET /openApi/spot/v1/account/balance"),
    detail::bingx_private("POST /openApi/spot/v1/trade/order/cancelReplace"),
    endpoint("POST /openApi/spot/v1/trade/cancelAllAfter",
             {{bingx_pool::account_ip, 1}, {bingx_pool::interface, 1}, {bingx_pool::spot_cancel_all_after, 1}}),
    detail::bingx_private("POST /openApi/swap/v2/trade/order"),
    detail::bingx_private("DELETE /openApi/swap/v2/trade/order"),
    detail::bingx_private("POST /openApi/swap/v2/trade/batchOrders"),
    detail::bingx_private("GET /openApi/swap/v2/trade/order"),
    detail::bingx_private("GET /openApi/swap/v2/trade/openOrders"),
    detail::bingx_private("DELETE /openApi/swap/v2/trade/allOpenOrders"),
    detail::bingx_private("GET /openApi/swap/v2/trade/fillHistory"),
    detail::bingx_private("POST /openApi/swap/v1/trade/cancelReplace"),
    endpoint("POST /openApi/swap/v2/trade/cancelAllAfter",
             {{bingx_pool::account_ip, 1}, {bingx_pool::interface, 1}, {bingx_pool::cancel_all_after, 1}}),
    detail::bingx_private("GET /openApi/swap/v3/user/balance"),
    detail::bingx_private("GET /openApi/swap/v2/user/positions"),
    detail::bingx_private("POST /openApi/user/auth/userDataStream"),
    detail::bingx_private("PUT /openApi/user/auth/userDataStream"),
    detail::bingx_private("DELETE /openApi/user/auth/userDataStream"),
}};

/// Codes BingX answers a throttled request with, in an HTTP 200 body too ("100410 - Rate
/// limit exceeded", docs v3 common error codes).
inline constexpr std::array<std::string_view, 1> kBingxThrottleCodes{"100410"};

/// 429 → block both scopes for one second unless Retry-After says otherwise.
inline constexpr std::array<BanRule, 2> kBingxBans{{{429, Scope::ip, std::chrono::seconds{1}},
                                                    {429, Scope::account, std::chrono::seconds{1}}}};

/// The BingX policy.
inline constexpr VenuePolicy kBingxPolicy{VenueId::bingx, kBingxPools, kBingxEndpoints, kBingxBans, kBingxThrottleCodes,
                                          "BingX-API/docs-v3 rate-limit template; per-UID value conservative"};

}  // namespace cts::rate
