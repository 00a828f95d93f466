#pragma once
/// \file
/// Bybit v5 rate-limit policy.
///
/// Source: bybit-exchange.github.io/docs/v5/rate-limit (rate-limit.mdx): 600 HTTP
/// requests per 5 s per IP across api.bybit.* (over it: HTTP 403 "access too frequent",
/// stop and wait at least 10 minutes); API limits per UID per endpoint over a rolling
/// second, reported in X-Bapi-Limit-Status (remaining) with retCode 10006 when exceeded.
/// Per-endpoint values are the UTA 2.0 Pro defaults of the docs' table (VIP tiers get
/// more: build a Limiter from your own PoolSpecs with the same indices). Batch endpoints
/// have a pool of their own, where each order of a batch counts as one request (spot,
/// linear and inverse: "Number of consumption = number of requests * number of orders
/// included in a single request"): their builders set venue::Request::cost_times.

#include <array>
#include <chrono>
#include <string_view>

#include "cts/rate/policy.hpp"

namespace cts::rate {

/// Pool indices of kBybitPolicy.
namespace bybit_pool {
inline constexpr std::uint8_t ip = 0;              ///< 600 requests / 5 s per IP.
inline constexpr std::uint8_t create_derivs = 1;   ///< POST /v5/order/create, linear/inverse/option: 10/s per UID.
inline constexpr std::uint8_t create_spot = 2;     ///< POST /v5/order/create, spot: 20/s per UID.
inline constexpr std::uint8_t amend = 3;           ///< POST /v5/order/amend: 10/s per UID.
inline constexpr std::uint8_t cancel = 4;          ///< POST /v5/order/cancel: 10/s per UID.
inline constexpr std::uint8_t batch = 5;           ///< POST /v5/order/*-batch: 10 requests/s per UID.
inline constexpr std::uint8_t order_query = 6;     ///< GET /v5/order/realtime|history: 50/s per UID.
inline constexpr std::uint8_t execution = 7;       ///< GET /v5/execution/list: 50/s per UID.
inline constexpr std::uint8_t position = 8;        ///< GET /v5/position/list: 50/s per UID.
}  // namespace bybit_pool

/// Bybit pools. Per-UID pools read their own X-Bapi-Limit-Status on each response.
inline constexpr std::array<PoolSpec, 9> kBybitPools{{
    {"IP", 600, std::chrono::seconds{5}, Scope::ip, Counting::window, "", ""},
    {"ORDER_CREATE_DERIVATIVES", 10, std::chrono::seconds{1}, Scope::account, Counting::window, "", "X-Bapi-Limit-Status"},
    {"ORDER_CREATE_SPOT", 20, std::chrono::seconds{1}, Scope::account, Counting::window, "", "X-Bapi-Limit-Status"},
    {"ORDER_AMEND", 10, std::chrono::seconds{1}, Scope::account, Counting::window, "", "X-Bapi-Limit-Status"},
    {"ORDER_CANCEL", 10, std::chrono::seconds{1}, Scope::account, Counting::window, "", "X-Bapi-Limit-Status"},
    {"ORDER_BATCH", 10, std::chrono::seconds{1}, Scope::account, Counting::window, "", "X-Bapi-Limit-Status"},
    {"ORDER_QUERY", 50, std::chrono::seconds{1}, Scope::account, Counting::window, "", "X-Bapi-Limit-Status"},
    {"EXECUTION_LIST", 50, std::chrono::seconds{1}, Scope::account, Counting::window, "", "X-Bapi-Limit-Status"},
    {"POSITION_LIST", 50, std::chrono::seconds{1}, Scope::account, Counting::window, "", "X-Bapi-Limit-Status"},
}};

/// Bybit endpoint costs: every request counts 1 against the IP pool. cancel-all (10/s
/// linear, 20/s spot) shares the cancel pool; wallet-balance (50/s per UID) counts
/// against the IP pool only, and so does user/query-api (the key's permissions), for
/// which the rate-limit page gives no per-UID limit.
inline constexpr std::array<EndpointSpec, 18> kBybitEndpoints{{
    endpoint("GET /v5/market/time", {{bybit_pool::ip, 1}}),
    endpoint("GET /v5/market/instruments-info", {{bybit_pool::ip, 1}}),
    endpoint("GET /v5/market/orderbook", {{bybit_pool::ip, 1}}),
    endpoint("GET /v5/market/tickers", {{bybit_pool::ip, 1}}),
    endpoint("POST /v5/order/create (linear)", {{bybit_pool::ip, 1}, {bybit_pool::create_derivs, 1}}),
    endpoint("POST /v5/order/create (spot)", {{bybit_pool::ip, 1}, {bybit_pool::create_spot, 1}}),
    endpoint("POST /v5/order/amend", {{bybit_pool::ip, 1}, {bybit_pool::amend, 1}}),
    endpoint("POST /v5/order/cancel", {{bybit_pool::ip, 1}, {bybit_pool::cancel, 1}}),
    endpoint("POST /v5/order/cancel-all", {{bybit_pool::ip, 1}, {bybit_pool::cancel, 1}}),
    endpoint("POST /v5/order/create-batch", {{bybit_pool::ip, 1}, {bybit_pool::batch, 1}}),
    endpoint("POST /v5/order/amend-batch", {{bybit_pool::ip, 1}, {bybit_pool::batch, 1}}),
    endpoint("POST /v5/order/cancel-batch", {{bybit_pool::ip, 1}, {bybit_pool::batch, 1}}),
    endpoint("GET /v5/order/realtime", {{bybit_pool::ip, 1}, {bybit_pool::order_query, 1}}),
    endpoint("GET /v5/order/history", {{bybit_pool::ip, 1}, {bybit_pool::order_query, 1}}),
    endpoint("GET /v5/execution/list", {{bybit_pool::ip, 1}, {bybit_pool::execution, 1}}),
    endpoint("GET /v5/position/list", {{bybit_pool::ip, 1}, {bybit_pool::position, 1}}),
    endpoint("GET /v5/account/wallet-balance", {{bybit_pool::ip, 1}}),
    endpoint("GET /v5/user/query-api", {{bybit_pool::ip, 1}}),
}};

/// 403 from the IP limit: stop everything on this IP for at least 10 minutes.
inline constexpr std::array<BanRule, 1> kBybitBans{{{403, Scope::ip, std::chrono::minutes{10}}}};
/// Reply codes of a request Bybit throttled (in an HTTP 200; error.mdx): 10006 "Too many
/// visits. Exceeded the API Rate Limit." (the per-UID limit of an endpoint; the reply's
/// X-Bapi-Limit-Reset-Timestamp says when it resets), 10018 "Exceeded the IP Rate Limit."
/// (listed, then struck through, by the error page: kept as a throttle should it come),
/// and spot's 170005 "Too many new orders" and 170222 "Too many requests in this time
/// frame.".
inline constexpr std::array<std::string_view, 4> kBybitThrottleCodes{"10006", "10018", "170005", "170222"};

/// The Bybit v5 policy.
inline constexpr VenuePolicy kBybitPolicy{VenueId::bybit, kBybitPools, kBybitEndpoints, kBybitBans, kBybitThrottleCodes,
                                          "bybit-exchange.github.io/docs/v5/rate-limit; UTA 2.0 Pro default tier"};

}  // namespace cts::rate
