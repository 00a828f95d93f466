#pragma once
/// \file
/// The venues cts knows, as one enum shared by signers, rate policies and connectors.

#include <array>
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/detail/ascii.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"

namespace cts {

/// A venue (and, where they differ in rules, a venue's product line).
enum class VenueId : std::uint8_t {
  binance_spot,  ///< Binance spot (api.binance.com).
  binance_usdm,  ///< Binance USD-M futures (fapi.binance.com).
  bybit,         ///< Bybit v5 unified API.
  okx,           ///< OKX v5.
  kraken,        ///< Kraken spot REST.
  coinbase,      ///< Coinbase Advanced Trade.
  htx,           ///< HTX (Huobi) spot.
  gate,          ///< Gate APIv4.
  bingx,         ///< BingX.
  pionex,        ///< Pionex.
  orangex,       ///< OrangeX.
};

/// Every venue, in enum order.
inline constexpr std::array<VenueId, 11> kAllVenues{
    VenueId::binance_spot, VenueId::binance_usdm, VenueId::bybit, VenueId::okx,   VenueId::kraken, VenueId::coinbase,
    VenueId::htx,          VenueId::gate,         VenueId::bingx, VenueId::pionex, VenueId::orangex};

/// The command-line name of a venue: "binance", "binance-usdm", "bybit", "okx", "kraken",
/// "coinbase", "htx", "gate", "bingx", "pionex", "orangex".
constexpr std::string_view to_string(VenueId venue) noexcept {
  switch (venue) {
    case VenueId::binance_spot: return "binance";
    case VenueId::binance_usdm: return "binance-usdm";
    case VenueId::bybit: return "bybit";
    case VenueId::okx: return "okx";
    case VenueId::kraken: return "kraken";
    case VenueId::coinbase: return "coinbase";
    case VenueId::htx: return "htx";
    case VenueId::gate: return "gate";
    case VenueId::bingx: return "bingx";
    case VenueId::pionex: return "pionex";
    case VenueId::orangex: return "orangex";
  }
  return "invalid";
}

/// Parses a venue name as to_string() gives it (case-insensitive; "binance-spot" is also
/// accepted). invalid_argument listing the known names otherwise.
inline Result<VenueId> parse_venue(std::string_view text) {
  if (detail::iequals(text, "binance-spot")) return VenueId::binance_spot;
  for (VenueId venue : kAllVenues) {
    if (detail::iequals(text, to_string(venue))) return venue;
  }
  return make_error(ErrorCode::invalid_argument,
                    fmt::format("unknown venue \"{}\" (expected binance, binance-usdm, bybit, okx, kraken, coinbase, "
                                "htx, gate, bingx, pionex or orangex)",
                                text.substr(0, 64)));
}

}  // namespace cts

template <>
struct fmt::formatter<cts::VenueId> : fmt::formatter<std::string_view> {
  auto format(cts::VenueId v, format_context& ctx) const { return fmt::formatter<std::string_view>::format(cts::to_string(v), ctx); }
};
