#pragma once
/// \file
/// Inline definitions for instrument.hpp.

#include "cts/core/instrument.hpp"

namespace cts {

namespace detail {
constexpr bool is_asset_char(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/// Length of the asset code starting at `pos`, or 0 when none.
constexpr std::size_t asset_length(std::string_view text, std::size_t pos) noexcept {
  std::size_t end = pos;
  while (end < text.size() && is_asset_char(text[end])) ++end;
  return end - pos;
}

inline Error bad_symbol(std::string_view text, std::size_t pos, std::string_view expected) {
  return make_error(ErrorCode::invalid_argument,
                    fmt::format("invalid unified symbol \"{}\": expected {} at position {}", text.substr(0, 64), expected, pos));
}
}  // namespace detail

inline Result<UnifiedSymbol> UnifiedSymbol::parse(std::string_view text) {
  UnifiedSymbol out;
  std::size_t pos = 0;
  std::size_t len = detail::asset_length(text, pos);
  if (len == 0) return detail::bad_symbol(text, pos, "a base asset (A-Z, 0-9)");
  out.base = std::string(text.substr(pos, len));
  pos += len;
  if (pos >= text.size() || text[pos] != '/') return detail::bad_symbol(text, pos, "'/'");
  ++pos;
  len = detail::asset_length(text, pos);
  if (len == 0) return detail::bad_symbol(text, pos, "a quote asset (A-Z, 0-9)");
  out.quote = std::string(text.substr(pos, len));
  pos += len;
  if (pos == text.size()) return out;
  if (text[pos] != ':') return detail::bad_symbol(text, pos, "':' or the end");
  ++pos;
  len = detail::asset_length(text, pos);
  if (len == 0) return detail::bad_symbol(text, pos, "a settle asset (A-Z, 0-9)");
  out.settle = std::string(text.substr(pos, len));
  pos += len;
  if (pos == text.size()) return out;
  if (text[pos] != '-') return detail::bad_symbol(text, pos, "'-' or the end");
  ++pos;
  if (text.size() - pos != 6) return detail::bad_symbol(text, pos, "an expiry YYMMDD");
  for (std::size_t i = pos; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return detail::bad_symbol(text, i, "a digit of the expiry YYMMDD");
  }
  out.expiry = std::string(text.substr(pos));
  return out;
}

inline std::string UnifiedSymbol::to_string() const {
  std::string out = base + "/" + quote;
  if (!settle.empty()) out += ":" + settle;
  if (!expiry.empty()) out += "-" + expiry;
  return out;
}

inline std::string Instrument::unified_symbol() const {
  UnifiedSymbol symbol{base, quote, kind == InstrumentKind::spot ? std::string{} : settle,
                       is_dated(kind) ? expiry : std::string{}};
  return symbol.to_string();
}

inline Result<Decimal> Instrument::round_price(Decimal price, Rounding mode) const {
  if (!tick_size.is_positive()) {
    return make_error(ErrorCode::invalid_argument, fmt::format("{}: tick size {} is not positive", venue_symbol, tick_size));
  }
  return price.checked_round_to(tick_size, mode);
}

inline Result<Decimal> Instrument::round_quantity(Decimal quantity, Rounding mode) const {
  if (!step_size.is_positive()) {
    return make_error(ErrorCode::invalid_argument, fmt::format("{}: step size {} is not positive", venue_symbol, step_size));
  }
  return quantity.checked_round_to(step_size, mode);
}

inline Result<Decimal> Instrument::notional(Decimal quantity, Decimal price) const {
  if (is_inverse(kind)) return quantity.checked_mul(multiplier, Rounding::half_even);
  Result<Decimal> value = quantity.checked_mul(price, Rounding::half_even);
  if (!value) return value;
  return value->checked_mul(multiplier, Rounding::half_even);
}

inline Result<void> Instrument::validate(const OrderCheck& order) const {
  auto violated = [&](std::string what) {
    return Result<void>(make_error(ErrorCode::invalid_argument, fmt::format("{}: {}", venue_symbol, what)));
  };
  const Decimal qty = order.quantity;
  if (!qty.is_positive()) return violated(fmt::format("quantity {} must be positive", qty));
  if (step_size.is_positive() && !qty.is_multiple_of(step_size)) {
    return violated(fmt::format("quantity {} is not a multiple of step size {}", qty, step_size));
  }
  if (min_quantity.is_positive() && qty < min_quantity) {
    return violated(fmt::format("quantity {} is below the minimum quantity {}", qty, min_quantity));
  }
  if (max_quantity.is_positive() && qty > max_quantity) {
    return violated(fmt::format("quantity {} is above the maximum quantity {}", qty, max_quantity));
  }
  if (order.price) {
    const Decimal price = *order.price;
    if (!price.is_positive()) return violated(fmt::format("price {} must be positive", price));
    if (tick_size.is_positive() && !price.is_multiple_of(tick_size)) {
      return violated(fmt::format("price {} is not a multiple of tick size {}", price, tick_size));
    }
  }
  const std::optional<Decimal> valuation = order.price ? order.price : order.reference_price;
  if (min_notional.is_positive() && valuation) {
    const Result<Decimal> value = notional(qty, *valuation);
    if (!value) return violated(fmt::format("notional of quantity {} at {} overflows", qty, *valuation));
    if (*value < min_notional) {
      return violated(fmt::format("notional {} is below the minimum notional {}", *value, min_notional));
    }
  }
  return {};
}

}  // namespace cts
