#pragma once
/// \file
/// Coinbase Advanced Trade rate-limit policy.
///
/// Source: a secondary summary of docs.cloud.coinbase.com/advanced-trade/docs/
/// rest-api-rate-limits (the primary page was not retrievable): private REST 30
/// requests/s per user, public REST 10 requests/s per IP; over the limit → HTTP 429.
/// Coinbase documents no usage headers here. Treat the numbers as provisional.

#include <array>
#include <chrono>
#include <string_view>

#include "cts/rate/policy.hpp"

namespace cts::rate {

/// Pool indices of kCoinbasePolicy.
namespace coinbase_pool {
inline constexpr std::uint8_t private_user = 0;  ///< Private REST: 30/s per user.
inline constexpr std::uint8_t public_ip = 1;     ///< Public REST: 10/s per IP.
}  // namespace coinbase_pool

/// Coinbase pools.
inline constexpr std::array<PoolSpec, 2> kCoinbasePools{{
    {"PRIVATE", 30, std::chrono::seconds{1}, Scope::account, Counting::window, "", ""},
    {"PUBLIC", 10, std::chrono::seconds{1}, Scope::ip, Counting::window, "", ""},
}};

/// Coinbase endpoint costs.
inline constexpr std::array<EndpointSpec, 8> kCoinbaseEndpoints{{
    endpoint("POST /api/v3/brokerage/orders", {{coinbase_pool::private_user, 1}}),
    endpoint("POST /api/v3/brokerage/orders/batch_cancel", {{coinbase_pool::private_user, 1}}),
    endpoint("POST /api/v3/brokerage/orders/edit", {{coinbase_pool::private_user, 1}}),
    endpoint("GET /api/v3/brokerage/orders/historical/batch", {{coinbase_pool::private_user, 1}}),
    endpoint("GET /api/v3/brokerage/orders/historical/{order_id}", {{coinbase_pool::private_user, 1}}),
    endpoint("GET /api/v3/brokerage/accounts", {{coinbase_pool::private_user, 1}}),
    endpoint("GET /api/v3/brokerage/market/product_book", {{coinbase_pool::public_ip, 1}}),
    endpoint("GET /api/v3/brokerage/market/products", {{coinbase_pool::public_ip, 1}}),
}};

/// 429 without a documented scope: block both for one second unless Retry-After says otherwise.
inline constexpr std::array<BanRule, 2> kCoinbaseBans{{{429, Scope::account, std::chrono::seconds{1}},
                                                       {429, Scope::ip, std::chrono::seconds{1}}}};

/// The Coinbase Advanced Trade policy.
inline constexpr VenuePolicy kCoinbasePolicy{VenueId::coinbase, kCoinbasePools, kCoinbaseEndpoints, kCoinbaseBans, {},
                                             "secondary summary of Coinbase Advanced Trade REST rate limits "
                                             "(primary page not retrieved): provisional"};

}  // namespace cts::rate
