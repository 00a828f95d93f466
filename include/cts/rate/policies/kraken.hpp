#pragma once
/// \file
/// Kraken spot REST rate-limit policy.
///
/// Source: docs.kraken.com/api/docs/guides/spot-rest-ratelimits and spot-ratelimits.
/// Both Kraken limiters are leaky counters, which a GCRA pool mirrors exactly:
/// - the REST call counter per API key: +1 per call, +2 for ledger and trade-history
///   calls; Starter tier: maximum 15, decaying 0.33/s (15 drains in 45.5 s, rounded up
///   to 46 s here). Intermediate is 20 at 0.5/s, Pro 20 at 1/s. AddOrder and
///   CancelOrder do not count here.
/// - the trading-engine counter per currency pair, shared by REST, WebSocket and FIX:
///   add +1; amend +1 plus +3/+2/+1 within 5/10/15 s of placement; cancel
///   +8/+6/+5/+4/+2/+1 under 5/10/15/45/90/300 s after placement. The Starter threshold
///   60 (decay 1/s) comes from a secondary source (nautilus_trader's docs citing
///   spot-ratelimits); the primary table was not retrieved. One pool covers all pairs
///   here, stricter than the venue.
/// Public endpoints: Kraken asks for about one call per second per IP; modelled as 1/s.
/// Kraken reports rate limits as errors in an HTTP 200 body ("EAPI:Rate limit exceeded",
/// "EOrder:Rate limit exceeded", "EService:Throttled"): call Limiter::on_throttled.

#include <array>
#include <chrono>
#include <string_view>

#include "cts/rate/policy.hpp"

namespace cts::rate {

/// Pool indices of kKrakenPolicy.
namespace kraken_pool {
inline constexpr std::uint8_t rest = 0;     ///< REST call counter per API key (Starter: 15, −0.33/s).
inline constexpr std::uint8_t trading = 1;  ///< Trading-engine counter (Starter: 60, −1/s).
inline constexpr std::uint8_t public_ip = 2;///< Public endpoints: 1/s per IP.
}  // namespace kraken_pool

/// Kraken pools (Starter tier).
inline constexpr std::array<PoolSpec, 3> kKrakenPools{{
    {"REST_COUNTER", 15, std::chrono::seconds{46}, Scope::account, Counting::leaky, "", ""},
    {"TRADING_COUNTER", 60, std::chrono::seconds{60}, Scope::account, Counting::leaky, "", ""},
    {"PUBLIC", 1, std::chrono::seconds{1}, Scope::ip, Counting::window, "", ""},
}};

/// Cancel penalty by order age in whole seconds (param "age_s"; unknown age: the worst, 8).
inline constexpr std::array<ParamStep, 7> kKrakenCancelSteps{
    {{4, 8}, {9, 6}, {14, 5}, {44, 4}, {89, 2}, {299, 1}, {0xFFFFFFFFu, 0}}};
/// Amend: +1 fixed plus +3/+2/+1 within 5/10/15 s of placement (param "age_s").
inline constexpr std::array<ParamStep, 4> kKrakenAmendSteps{{{4, 4}, {9, 3}, {14, 2}, {0xFFFFFFFFu, 1}}};

/// Kraken endpoint costs.
inline constexpr std::array<EndpointSpec, 11> kKrakenEndpoints{{
    endpoint("GET /0/public/Time", {{kraken_pool::public_ip, 1}}),
    endpoint("GET /0/public/AssetPairs", {{kraken_pool::public_ip, 1}}),
    endpoint("GET /0/public/Depth", {{kraken_pool::public_ip, 1}}),
    endpoint("POST /0/private/AddOrder", {{kraken_pool::trading, 1}}),
    endpoint("POST /0/private/AddOrderBatch", {{kraken_pool::trading, 1}}),
    endpoint_by_param("POST /0/private/CancelOrder", {}, "age_s", kraken_pool::trading, kKrakenCancelSteps, 0),
    endpoint_by_param("POST /0/private/AmendOrder", {}, "age_s", kraken_pool::trading, kKrakenAmendSteps, 0),
    endpoint("POST /0/private/Balance", {{kraken_pool::rest, 1}}),
    endpoint("POST /0/private/OpenOrders", {{kraken_pool::rest, 1}}),
    endpoint("POST /0/private/QueryOrders", {{kraken_pool::rest, 1}}),
    endpoint("POST /0/private/TradesHistory", {{kraken_pool::rest, 2}}),
}};

/// Kraken throttle messages (error strings in the JSON body).
inline constexpr std::array<std::string_view, 3> kKrakenThrottleCodes{"EAPI:Rate limit exceeded",
                                                                      "EOrder:Rate limit exceeded", "EService:Throttled"};

/// The Kraken spot policy (Starter tier; no status-code bans: Kraken answers 200 with an error).
inline constexpr VenuePolicy kKrakenPolicy{VenueId::kraken, kKrakenPools, kKrakenEndpoints, {}, kKrakenThrottleCodes,
                                           "docs.kraken.com spot-rest-ratelimits, spot-ratelimits; trading tier "
                                           "thresholds from a secondary source"};

}  // namespace cts::rate
