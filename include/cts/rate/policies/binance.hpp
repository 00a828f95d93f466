#pragma once
/// \file
/// Binance spot and USDⓈ-M futures rate-limit policies.
///
/// Sources: developers.binance.com, spot "rest-api/limits" and "enums" (rate limiters),
/// the per-endpoint "Weight" lines of the spot and USDⓈ-M REST pages, and the
/// exchangeInfo `rateLimits` examples. Live values come from GET /api/v3/exchangeInfo
/// (spot) and GET /fapi/v1/exchangeInfo (USDⓈ-M); a caller that reads them can build a
/// Limiter from its own PoolSpec table with the same indices.
///
/// Connector usage: `kBinanceSpotPolicy.cost("GET /api/v3/depth", limit)` or the named
/// helpers below (binance_spot_depth_cost(limit), ...), which never fail for documented
/// arguments.

#include <array>
#include <chrono>
#include <string_view>

#include "cts/rate/policy.hpp"

namespace cts::rate {

/// Pool indices of kBinanceSpotPolicy.
namespace binance_spot_pool {
inline constexpr std::uint8_t request_weight = 0;  ///< REQUEST_WEIGHT 6000 / 1 min, per IP.
inline constexpr std::uint8_t orders_10s = 1;      ///< ORDERS 100 / 10 s, per account (unfilled orders).
inline constexpr std::uint8_t orders_1d = 2;       ///< ORDERS 200000 / 1 day, per account.
inline constexpr std::uint8_t raw_requests = 3;    ///< RAW_REQUESTS 61000 / 5 min, per IP (every request counts 1).
}  // namespace binance_spot_pool

/// Binance spot pools (exchangeInfo `rateLimits` values as published with the spot API).
inline constexpr std::array<PoolSpec, 4> kBinanceSpotPools{{
    {"REQUEST_WEIGHT", 6000, std::chrono::seconds{60}, Scope::ip, Counting::window, "X-MBX-USED-WEIGHT-1M", ""},
    {"ORDERS", 100, std::chrono::seconds{10}, Scope::account, Counting::window, "X-MBX-ORDER-COUNT-10S", ""},
    {"ORDERS_1D", 200000, std::chrono::hours{24}, Scope::account, Counting::window, "X-MBX-ORDER-COUNT-1D", ""},
    {"RAW_REQUESTS", 61000, std::chrono::seconds{300}, Scope::ip, Counting::window, "", ""},
}};

/// GET /api/v3/depth weight by `limit` (1–100: 5, 101–500: 25, 501–1000: 50, 1001–5000: 250).
inline constexpr std::array<ParamStep, 4> kBinanceSpotDepthSteps{{{100, 5}, {500, 25}, {1000, 50}, {5000, 250}}};

namespace detail {
/// A spot request: `weight` REQUEST_WEIGHT plus one RAW_REQUESTS.
constexpr EndpointSpec spot(std::string_view name, std::uint32_t weight) noexcept {
  namespace pool = binance_spot_pool;
  return endpoint(name, {{pool::request_weight, weight}, {pool::raw_requests, 1}});
}
/// A spot request that also places an order (counts in both ORDERS pools).
constexpr EndpointSpec spot_order(std::string_view name, std::uint32_t weight) noexcept {
  namespace pool = binance_spot_pool;
  return endpoint(name, {{pool::request_weight, weight}, {pool::orders_10s, 1}, {pool::orders_1d, 1}, {pool::raw_requests, 1}});
}
}  // namespace detail

/// Binance spot endpoint costs.
inline constexpr std::array<EndpointSpec, 22> kBinanceSpotEndpoints{{
    detail::spot("GET /api/v3/ping", 1),
    detail::spot("GET /api/v3/time", 1),
    detail::spot("GET /api/v3/exchangeInfo", 20),
    endpoint_by_param("GET /api/v3/depth", {{binance_spot_pool::raw_requests, 1}}, "limit",
                      binance_spot_pool::request_weight, kBinanceSpotDepthSteps, 100),
    detail::spot("GET /api/v3/trades", 25),
    detail::spot("GET /api/v3/ticker/price", 2),
    detail::spot("GET /api/v3/ticker/price (no symbol)", 4),
    detail::spot("GET /api/v3/ticker/bookTicker", 2),
    detail::spot("GET /api/v3/ticker/bookTicker (no symbol)", 4),
    detail::spot("GET /api/v3/ticker/24hr", 2),
    detail::spot("GET /api/v3/ticker/24hr (no symbol)", 80),
    detail::spot_order("POST /api/v3/order", 1),
    detail::spot("POST /api/v3/order/test", 1),
    detail::spot_order("POST /api/v3/order/cancelReplace", 1),
    detail::spot("DELETE /api/v3/order", 1),
    detail::spot("GET /api/v3/order", 4),
    detail::spot("GET /api/v3/openOrders", 6),
    detail::spot("GET /api/v3/openOrders (no symbol)", 80),
    detail::spot("DELETE /api/v3/openOrders", 1),
    detail::spot("GET /api/v3/allOrders", 20),
    detail::spot("GET /api/v3/account", 20),
    detail::spot("GET /api/v3/myTrades", 20),
}};

/// Spot: 429 and 418 block the IP. Binance always sends Retry-After with them; the
/// defaults (rest of a minute window; the shortest documented ban, 2 minutes) apply
/// only if it is missing.
inline constexpr std::array<BanRule, 2> kBinanceBans{{{429, Scope::ip, std::chrono::seconds{60}}, {418, Scope::ip, std::chrono::seconds{120}}}};

/// Binance spot throttle codes: -1003 TOO_MANY_REQUESTS, -1015 TOO_MANY_ORDERS.
inline constexpr std::array<std::string_view, 2> kBinanceSpotThrottleCodes{"-1003", "-1015"};

/// The Binance spot policy.
inline constexpr VenuePolicy kBinanceSpotPolicy{
    VenueId::binance_spot, kBinanceSpotPools, kBinanceSpotEndpoints, kBinanceBans, kBinanceSpotThrottleCodes,
    "developers.binance.com spot rest-api/limits, enums (rate limiters), per-endpoint weights; "
    "REQUEST_WEIGHT and RAW_REQUESTS per IP, ORDERS per account"};

/// The cost of GET /api/v3/depth?limit=`limit` (limit 1..5000). Errors: invalid_argument above 5000.
inline Result<Cost> binance_spot_depth_cost(std::uint32_t limit) {
  return kBinanceSpotPolicy.cost("GET /api/v3/depth", limit);
}

/// Pool indices of kBinanceUsdmPolicy.
namespace binance_usdm_pool {
inline constexpr std::uint8_t request_weight = 0;  ///< REQUEST_WEIGHT 2400 / 1 min, per IP.
inline constexpr std::uint8_t orders_1m = 1;       ///< ORDERS 1200 / 1 min, per account.
inline constexpr std::uint8_t orders_10s = 2;      ///< ORDERS 300 / 10 s, per account.
}  // namespace binance_usdm_pool

/// Binance USDⓈ-M pools. REQUEST_WEIGHT 2400/min and ORDERS 1200/min are the values of
/// the exchangeInfo examples; the 10-second ORDERS value (300) is reported by
/// third-party clients with no primary source found: read /fapi/v1/exchangeInfo live.
inline constexpr std::array<PoolSpec, 3> kBinanceUsdmPools{{
    {"REQUEST_WEIGHT", 2400, std::chrono::seconds{60}, Scope::ip, Counting::window, "X-MBX-USED-WEIGHT-1M", ""},
    {"ORDERS", 1200, std::chrono::seconds{60}, Scope::account, Counting::window, "X-MBX-ORDER-COUNT-1M", ""},
    {"ORDERS_10S", 300, std::chrono::seconds{10}, Scope::account, Counting::window, "X-MBX-ORDER-COUNT-10S", ""},
}};

/// GET /fapi/v1/depth weight by `limit` (5, 10, 20, 50: 2; 100: 5; 500: 10; 1000: 20).
inline constexpr std::array<ParamStep, 4> kBinanceUsdmDepthSteps{{{50, 2}, {100, 5}, {500, 10}, {1000, 20}}};

namespace detail {
/// A USDⓈ-M request of `weight` REQUEST_WEIGHT.
constexpr EndpointSpec usdm(std::string_view name, std::uint32_t weight) noexcept {
  return endpoint(name, {{binance_usdm_pool::request_weight, weight}});
}
/// A USDⓈ-M order request: IP weight `weight` (0 still subjects it to IP bans), and
/// `per_10s` / `per_1m` in the order-count pools.
constexpr EndpointSpec usdm_order(std::string_view name, std::uint32_t weight, std::uint32_t per_10s,
                                  std::uint32_t per_1m) noexcept {
  return endpoint(name, {{binance_usdm_pool::request_weight, weight},
                         {binance_usdm_pool::orders_10s, per_10s},
                         {binance_usdm_pool::orders_1m, per_1m}});
}
}  // namespace detail

/// Binance USDⓈ-M endpoint costs.
inline constexpr std::array<EndpointSpec, 30> kBinanceUsdmEndpoints{{
    detail::usdm("GET /fapi/v1/ping", 1),
    detail::usdm("GET /fapi/v1/time", 1),
    detail::usdm("GET /fapi/v1/exchangeInfo", 1),
    endpoint_by_param("GET /fapi/v1/depth", {}, "limit", binance_usdm_pool::request_weight, kBinanceUsdmDepthSteps,
                      500),
    detail::usdm("GET /fapi/v1/ticker/price", 1),
    detail::usdm("GET /fapi/v1/ticker/price (no symbol)", 2),
    detail::usdm("GET /fapi/v1/ticker/bookTicker", 2),
    detail::usdm("GET /fapi/v1/ticker/bookTicker (no symbol)", 5),
    detail::usdm("GET /fapi/v1/ticker/24hr", 1),
    detail::usdm("GET /fapi/v1/ticker/24hr (no symbol)", 40),
    detail::usdm_order("POST /fapi/v1/order", 0, 1, 1),
    detail::usdm_order("PUT /fapi/v1/order", 1, 1, 1),
    detail::usdm("DELETE /fapi/v1/order", 1),
    detail::usdm("GET /fapi/v1/order", 1),
    detail::usdm("GET /fapi/v1/openOrders", 1),
    detail::usdm("GET /fapi/v1/openOrders (no symbol)", 40),
    detail::usdm("DELETE /fapi/v1/allOpenOrders", 1),
    detail::usdm_order("POST /fapi/v1/batchOrders", 5, 5, 1),
    detail::usdm("DELETE /fapi/v1/batchOrders", 1),
    detail::usdm("GET /fapi/v1/trades", 5),
    detail::usdm("GET /fapi/v3/account", 5),
    detail::usdm("GET /fapi/v3/balance", 5),
    detail::usdm("GET /fapi/v2/positionRisk", 5),
    detail::usdm("GET /fapi/v3/positionRisk", 5),
    detail::usdm("GET /fapi/v1/userTrades", 5),
    detail::usdm("POST /fapi/v1/leverage", 1),
    detail::usdm("POST /fapi/v1/marginType", 1),
    detail::usdm("POST /fapi/v1/listenKey", 1),
    detail::usdm("PUT /fapi/v1/listenKey", 1),
    detail::usdm("DELETE /fapi/v1/listenKey", 1),
}};

/// USDⓈ-M throttle codes: -1003 TOO_MANY_REQUESTS, -1015 TOO_MANY_ORDERS, -1008 throttled
/// by system-level protection (it does not count against limits, but asks to slow down).
inline constexpr std::array<std::string_view, 3> kBinanceUsdmThrottleCodes{"-1003", "-1015", "-1008"};

/// The Binance USDⓈ-M futures policy.
inline constexpr VenuePolicy kBinanceUsdmPolicy{
    VenueId::binance_usdm, kBinanceUsdmPools, kBinanceUsdmEndpoints, kBinanceBans, kBinanceUsdmThrottleCodes,
    "developers.binance.com derivatives/usds-margined-futures general-info limits and per-endpoint weights; "
    "ORDERS_10S value unconfirmed by a primary source"};

/// The cost of GET /fapi/v1/depth?limit=`limit` (documented values 5..1000). Errors:
/// invalid_argument above 1000.
inline Result<Cost> binance_usdm_depth_cost(std::uint32_t limit) {
  return kBinanceUsdmPolicy.cost("GET /fapi/v1/depth", limit);
}

}  // namespace cts::rate
