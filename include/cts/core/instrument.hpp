#pragma once
/// \file
/// Instruments: what a venue trades, its unified symbol (ccxt's convention), and the
/// trading rules (tick, step, min/max quantity, min notional, multiplier) with the
/// rounding and validation every order goes through.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"
#include "cts/core/error.hpp"
#include "cts/core/order_types.hpp"
#include "cts/core/result.hpp"

namespace cts {

/// What kind of contract an instrument is.
enum class InstrumentKind : std::uint8_t {
  spot,               ///< Exchange of base for quote.
  linear_perpetual,   ///< Perpetual swap margined and settled in the quote (e.g. USDT).
  inverse_perpetual,  ///< Perpetual swap margined and settled in the base (e.g. BTC).
  linear_future,      ///< Dated future settled in the quote.
  inverse_future,     ///< Dated future settled in the base.
};

/// "spot", "linear_perpetual", "inverse_perpetual", "linear_future" or "inverse_future".
constexpr std::string_view to_string(InstrumentKind kind) noexcept {
  switch (kind) {
    case InstrumentKind::spot: return "spot";
    case InstrumentKind::linear_perpetual: return "linear_perpetual";
    case InstrumentKind::inverse_perpetual: return "inverse_perpetual";
    case InstrumentKind::linear_future: return "linear_future";
    case InstrumentKind::inverse_future: return "inverse_future";
  }
  return "invalid";
}

/// True for contracts settled in the base asset (PnL in base, notional in quote = qty·multiplier).
constexpr bool is_inverse(InstrumentKind kind) noexcept {
  return kind == InstrumentKind::inverse_perpetual || kind == InstrumentKind::inverse_future;
}
/// True for dated futures.
constexpr bool is_dated(InstrumentKind kind) noexcept {
  return kind == InstrumentKind::linear_future || kind == InstrumentKind::inverse_future;
}

/// A unified symbol in ccxt's notation: `BASE/QUOTE` (spot), `BASE/QUOTE:SETTLE`
/// (perpetual), `BASE/QUOTE:SETTLE-YYMMDD` (dated future). Assets are upper-case
/// letters and digits.
struct UnifiedSymbol {
  std::string base;    ///< e.g. "BTC".
  std::string quote;   ///< e.g. "USDT".
  std::string settle;  ///< Empty for spot.
  std::string expiry;  ///< "YYMMDD" for dated futures, else empty.

  /// Parses the notation above. invalid_argument (naming the position) on anything else.
  static Result<UnifiedSymbol> parse(std::string_view text);
  /// The notation above.
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const UnifiedSymbol&, const UnifiedSymbol&) = default;
};

/// Limits an order is checked against before it is sent.
struct OrderCheck {
  Side side = Side::buy;                ///< Order side.
  Decimal quantity;                     ///< Order quantity (base units or contracts).
  std::optional<Decimal> price;         ///< Limit price, if the order has one.
  std::optional<Decimal> reference_price;  ///< Price to value a market order (mid, last).
};

/// A tradable instrument and its rules. Value type; copy freely.
///
/// Notional (what min_notional limits) is price·quantity·multiplier in the quote asset,
/// except for inverse contracts, where one contract is worth `multiplier` quote units
/// whatever the price: notional = quantity·multiplier.
struct Instrument {
  std::string venue_symbol;   ///< The venue's own name, e.g. "BTCUSDT".
  std::string base;           ///< Base asset, e.g. "BTC".
  std::string quote;          ///< Quote asset, e.g. "USDT".
  std::string settle;         ///< Settlement asset; empty for spot.
  std::string expiry;         ///< "YYMMDD" for dated futures.
  InstrumentKind kind = InstrumentKind::spot;  ///< Contract kind.
  Decimal tick_size;          ///< Price increment (> 0).
  Decimal step_size;          ///< Quantity increment (> 0).
  Decimal min_quantity;       ///< Smallest order quantity; 0 for none.
  Decimal max_quantity;       ///< Largest order quantity; 0 for none.
  Decimal min_notional;       ///< Smallest order notional; 0 for none.
  Decimal multiplier = Decimal::from_int(1);  ///< Contract size; 1 for spot.

  /// The unified symbol (`BTC/USDT`, `BTC/USDT:USDT`, `BTC/USD:BTC`, `BTC/USDT:USDT-250627`).
  [[nodiscard]] std::string unified_symbol() const;

  /// `price` rounded to a multiple of tick_size with `mode` (floor for bids and ceiling
  /// for asks keeps a quote passive). invalid_argument when tick_size is not positive.
  [[nodiscard]] Result<Decimal> round_price(Decimal price, Rounding mode) const;
  /// `quantity` rounded to a multiple of step_size with `mode` (toward_zero never
  /// exceeds the intended size). invalid_argument when step_size is not positive.
  [[nodiscard]] Result<Decimal> round_quantity(Decimal quantity, Rounding mode) const;
  /// The notional of `quantity` at `price` as defined above; out_of_range on overflow.
  [[nodiscard]] Result<Decimal> notional(Decimal quantity, Decimal price) const;

  /// Checks an order against every rule and names the first one violated:
  /// quantity positive, multiple of step, within [min, max]; price positive and a
  /// multiple of tick; notional ≥ min_notional (valued at the limit price, or at the
  /// reference price for market orders; skipped when neither is known).
  /// Errors: invalid_argument with the rule, the value and the limit in the message.
  [[nodiscard]] Result<void> validate(const OrderCheck& order) const;
};

}  // namespace cts

template <>
struct fmt::formatter<cts::InstrumentKind> : fmt::formatter<std::string_view> {
  auto format(cts::InstrumentKind v, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(cts::to_string(v), ctx);
  }
};

#include "cts/core/instrument-inl.hpp"
