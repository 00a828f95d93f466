#pragma once
/// \file
/// Gate APIv4 rate-limit policy.
///
/// Source: gate.com/docs/developers/apiv4/en/ "Frequency limit rule": public endpoints
/// 200 requests / 10 s per endpoint per IP; spot placement and amend together 10/s per
/// UID + market; spot cancel 200/s; other spot private 200 / 10 s per endpoint;
/// perpetual futures placement and amend 100/s, cancel 200/s, others 200 / 10 s; other
/// private endpoints 150 / 10 s. Counted per main account or sub-account. Usage comes
/// back in X-Gate-RateLimit-Requests-Remain (with -Limit and -Reset-Timestamp); 429 means
/// too many requests. Per-market and per-endpoint pools are merged into one pool each
/// here (stricter than the venue).

#include <array>
#include <chrono>
#include <string_view>

#include "cts/rate/policy.hpp"

namespace cts::rate {

/// Pool indices of kGatePolicy.
namespace gate_pool {
inline constexpr std::uint8_t public_ip = 0;       ///< Public: 200 / 10 s per IP.
inline constexpr std::uint8_t spot_place = 1;      ///< Spot place + amend: 10/s per UID + market.
inline constexpr std::uint8_t spot_cancel = 2;     ///< Spot cancel: 200/s.
inline constexpr std::uint8_t spot_other = 3;      ///< Other spot private: 200 / 10 s.
inline constexpr std::uint8_t futures_place = 4;   ///< Perpetual place + amend: 100/s.
inline constexpr std::uint8_t futures_cancel = 5;  ///< Perpetual cancel: 200/s.
inline constexpr std::uint8_t futures_other = 6;   ///< Other perpetual private: 200 / 10 s.
}  // namespace gate_pool

/// Gate pools.
inline constexpr std::array<PoolSpec, 7> kGatePools{{
    {"PUBLIC", 200, std::chrono::seconds{10}, Scope::ip, Counting::window, "", "X-Gate-RateLimit-Requests-Remain"},
    {"SPOT_PLACE_AMEND", 10, std::chrono::seconds{1}, Scope::account, Counting::window, "", "X-Gate-RateLimit-Requests-Remain"},
    {"SPOT_CANCEL", 200, std::chrono::seconds{1}, Scope::account, Counting::window, "", "X-Gate-RateLimit-Requests-Remain"},
    {"SPOT_OTHER", 200, std::chrono::seconds{10}, Scope::account, Counting::window, "", "X-Gate-RateLimit-Requests-Remain"},
    {"FUTURES_PLACE_AMEND", 100, std::chrono::seconds{1}, Scope::account, Counting::window, "", "X-Gate-RateLimit-Requests-Remain"},
    {"FUTURES_CANCEL", 200, std::chrono::seconds{1}, Scope::account, Counting::window, "", "X-Gate-RateLimit-Requests-Remain"},
    {"FUTURES_OTHER", 200, std::chrono::seconds{10}, Scope::account, Counting::window, "", "X-Gate-RateLimit-Requests-Remain"},
}};

/// Gate endpoint costs.
inline constexpr std::array<EndpointSpec, 11> kGateEndpoints{{
    endpoint("GET /api/v4/spot/order_book", {{gate_pool::public_ip, 1}}),
    endpoint("GET /api/v4/spot/currency_pairs", {{gate_pool::public_ip, 1}}),
    endpoint("POST /api/v4/spot/orders", {{gate_pool::spot_place, 1}}),
    endpoint("PATCH /api/v4/spot/orders/{order_id}", {{gate_pool::spot_place, 1}}),
    endpoint("DELETE /api/v4/spot/orders/{order_id}", {{gate_pool::spot_cancel, 1}}),
    endpoint("GET /api/v4/spot/open_orders", {{gate_pool::spot_other, 1}}),
    endpoint("GET /api/v4/spot/accounts", {{gate_pool::spot_other, 1}}),
    endpoint("GET /api/v4/futures/{settle}/order_book", {{gate_pool::public_ip, 1}}),
    endpoint("POST /api/v4/futures/{settle}/orders", {{gate_pool::futures_place, 1}}),
    endpoint("DELETE /api/v4/futures/{settle}/orders/{order_id}", {{gate_pool::futures_cancel, 1}}),
    endpoint("GET /api/v4/futures/{settle}/orders", {{gate_pool::futures_other, 1}}),
}};

/// 429: block the account and the IP for one second unless Retry-After says otherwise.
inline constexpr std::array<BanRule, 2> kGateBans{{{429, Scope::account, std::chrono::seconds{1}},
                                                   {429, Scope::ip, std::chrono::seconds{1}}}};
/// Gate's error label for throttling.
inline constexpr std::array<std::string_view, 1> kGateThrottleCodes{"TOO_MANY_REQUESTS"};

/// The Gate APIv4 policy.
inline constexpr VenuePolicy kGatePolicy{VenueId::gate, kGatePools, kGateEndpoints, kGateBans, kGateThrottleCodes,
                                         "gate.com/docs/developers/apiv4 Frequency limit rule"};

}  // namespace cts::rate
