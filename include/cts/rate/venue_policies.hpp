#pragma once
/// \file
/// The rate-limit policy of every venue cts knows, by VenueId.

#include "cts/core/venue_id.hpp"
#include "cts/rate/policies/binance.hpp"
#include "cts/rate/policies/bingx.hpp"
#include "cts/rate/policies/bybit.hpp"
#include "cts/rate/policies/coinbase.hpp"
#include "cts/rate/policies/gate.hpp"
#include "cts/rate/policies/htx.hpp"
#include "cts/rate/policies/kraken.hpp"
#include "cts/rate/policies/okx.hpp"
#include "cts/rate/policies/orangex.hpp"
#include "cts/rate/policies/pionex.hpp"
#include "cts/rate/policy.hpp"

namespace cts::rate {

/// The built-in policy for `venue` (a constexpr table with static storage). Never fails
/// for a valid VenueId.
constexpr const VenuePolicy& policy_for(VenueId venue) noexcept {
  switch (venue) {
    case VenueId::binance_spot: return kBinanceSpotPolicy;
    case VenueId::binance_usdm: return kBinanceUsdmPolicy;
    case VenueId::bybit: return kBybitPolicy;
    case VenueId::okx: return kOkxPolicy;
    case VenueId::kraken: return kKrakenPolicy;
    case VenueId::coinbase: return kCoinbasePolicy;
    case VenueId::htx: return kHtxPolicy;
    case VenueId::gate: return kGatePolicy;
    case VenueId::bingx: return kBingxPolicy;
    case VenueId::pionex: return kPionexPolicy;
    case VenueId::orangex: return kOrangexPolicy;
  }
  return kOrangexPolicy;
}

}  // namespace cts::rate
