#pragma once
/// \file
/// OKX v5 rate-limit policy.
///
/// Source: okx.com/docs-v5/en/#overview-rate-limits and the limit printed on each
/// endpoint. Public REST counts per IP; private REST and WebSocket order management per
/// User ID (sub-accounts have their own). Place, amend and cancel have independent
/// limits shared by REST and WebSocket. The trade limits are "per User ID + Instrument
/// ID"; one pool per limit here covers all instruments, which is stricter than the
/// venue (safe). Batch endpoints count per *order*: their builders set
/// venue::Request::cost_times, and the channel reserves Cost::times(n). The sub-account
/// cap (1000 new and amend orders per 2 s, error 50061) counts every order of a batch. OKX documents no usage headers. Errors 50011 "Rate limit reached" (HTTP
/// 200 or 429) and 50061 are throttles.

#include <array>
#include <chrono>
#include <string_view>

#include "cts/rate/policy.hpp"

namespace cts::rate {

/// Pool indices of kOkxPolicy.
namespace okx_pool {
inline constexpr std::uint8_t place = 0;          ///< Place order: 60 / 2 s.
inline constexpr std::uint8_t batch_place = 1;    ///< Place multiple orders: 300 orders / 2 s.
inline constexpr std::uint8_t cancel = 2;         ///< Cancel order: 60 / 2 s.
inline constexpr std::uint8_t batch_cancel = 3;   ///< Cancel multiple orders: 300 orders / 2 s.
inline constexpr std::uint8_t amend = 4;          ///< Amend order: 60 / 2 s.
inline constexpr std::uint8_t batch_amend = 5;    ///< Amend multiple orders: 300 orders / 2 s.
inline constexpr std::uint8_t sub_account = 6;    ///< New + amend orders per sub-account: 1000 / 2 s.
inline constexpr std::uint8_t order_query = 7;    ///< Get order details / pending orders: 60 / 2 s.
inline constexpr std::uint8_t balance = 8;        ///< Get balance: 10 / 2 s.
inline constexpr std::uint8_t books = 9;          ///< Get order book (public): 40 / 2 s per IP.
inline constexpr std::uint8_t public_misc = 10;   ///< Time and instruments (public): 10 / 2 s per IP (the stricter of the two).
inline constexpr std::uint8_t ticker = 11;        ///< Get ticker (public): 20 / 2 s per IP.
inline constexpr std::uint8_t order_history = 12; ///< Get order history (last 7 days): 40 / 2 s.
inline constexpr std::uint8_t fills = 13;         ///< Get transaction details (last 3 days): 60 / 2 s.
inline constexpr std::uint8_t positions = 14;     ///< Get positions: 10 / 2 s.
inline constexpr std::uint8_t cancel_all_after = 15;  ///< Cancel All After: 1 / s.
}  // namespace okx_pool

/// OKX pools.
inline constexpr std::array<PoolSpec, 16> kOkxPools{{
    {"PLACE_ORDER", 60, std::chrono::seconds{2}, Scope::account, Counting::window, "", ""},
    {"BATCH_ORDERS", 300, std::chrono::seconds{2}, Scope::account, Counting::window, "", ""},
    {"CANCEL_ORDER", 60, std::chrono::seconds{2}, Scope::account, Counting::window, "", ""},
    {"CANCEL_BATCH_ORDERS", 300, std::chrono::seconds{2}, Scope::account, Counting::window, "", ""},
    {"AMEND_ORDER", 60, std::chrono::seconds{2}, Scope::account, Counting::window, "", ""},
    {"AMEND_BATCH_ORDERS", 300, std::chrono::seconds{2}, Scope::account, Counting::window, "", ""},
    {"SUB_ACCOUNT_ORDERS", 1000, std::chrono::seconds{2}, Scope::account, Counting::window, "", ""},
    {"ORDER_QUERY", 60, std::chrono::seconds{2}, Scope::account, Counting::window, "", ""},
    {"BALANCE", 10, std::chrono::seconds{2}, Scope::account, Counting::window, "", ""},
    {"BOOKS", 40, std::chrono::seconds{2}, Scope::ip, Counting::window, "", ""},
    {"PUBLIC", 10, std::chrono::seconds{2}, Scope::ip, Counting::window, "", ""},
    {"TICKER", 20, std::chrono::seconds{2}, Scope::ip, Counting::window, "", ""},
    {"ORDER_HISTORY", 40, std::chrono::seconds{2}, Scope::account, Counting::window, "", ""},
    {"FILLS", 60, std::chrono::seconds{2}, Scope::account, Counting::window, "", ""},
    {"POSITIONS", 10, std::chrono::seconds{2}, Scope::account, Counting::window, "", ""},
    {"CANCEL_ALL_AFTER", 1, std::chrono::seconds{1}, Scope::account, Counting::window, "", ""},
}};

/// OKX endpoint costs (batch costs are per order: the channel multiplies them by venue::Request::cost_times).
inline constexpr std::array<EndpointSpec, 17> kOkxEndpoints{{
    endpoint("POST /api/v5/trade/order", {{okx_pool::place, 1}, {okx_pool::sub_account, 1}}),
    endpoint("POST /api/v5/trade/batch-orders", {{okx_pool::batch_place, 1}, {okx_pool::sub_account, 1}}),
    endpoint("POST /api/v5/trade/cancel-order", {{okx_pool::cancel, 1}}),
    endpoint("POST /api/v5/trade/cancel-batch-orders", {{okx_pool::batch_cancel, 1}}),
    endpoint("POST /api/v5/trade/amend-order", {{okx_pool::amend, 1}, {okx_pool::sub_account, 1}}),
    endpoint("POST /api/v5/trade/amend-batch-orders", {{okx_pool::batch_amend, 1}, {okx_pool::sub_account, 1}}),
    endpoint("GET /api/v5/trade/order", {{okx_pool::order_query, 1}}),
    endpoint("GET /api/v5/trade/orders-pending", {{okx_pool::order_query, 1}}),
    endpoint("GET /api/v5/account/balance", {{okx_pool::balance, 1}}),
    endpoint("GET /api/v5/market/books", {{okx_pool::books, 1}}),
    endpoint("GET /api/v5/public/time", {{okx_pool::public_misc, 1}}),
    endpoint("GET /api/v5/public/instruments", {{okx_pool::public_misc, 1}}),
    endpoint("GET /api/v5/market/ticker", {{okx_pool::ticker, 1}}),
    endpoint("GET /api/v5/trade/orders-history", {{okx_pool::order_history, 1}}),
    endpoint("GET /api/v5/trade/fills", {{okx_pool::fills, 1}}),
    endpoint("GET /api/v5/account/positions", {{okx_pool::positions, 1}}),
    endpoint("POST /api/v5/trade/cancel-all-after", {{okx_pool::cancel_all_after, 1}}),
}};

/// HTTP 429 (code 50011) may come from an IP or a User ID limit: block both for one window.
inline constexpr std::array<BanRule, 2> kOkxBans{{{429, Scope::ip, std::chrono::seconds{2}},
                                                  {429, Scope::account, std::chrono::seconds{2}}}};
/// 50011 "Rate limit reached"; 50061 sub-account order rate limit exceeded.
inline constexpr std::array<std::string_view, 2> kOkxThrottleCodes{"50011", "50061"};

/// The OKX v5 policy.
inline constexpr VenuePolicy kOkxPolicy{VenueId::okx, kOkxPools, kOkxEndpoints, kOkxBans, kOkxThrottleCodes,
                                        "okx.com/docs-v5/en/#overview-rate-limits and per-endpoint limits"};

}  // namespace cts::rate
