#pragma once
// Internal to cts::engine: the value parsers of the configuration file, shared by the
// engine keys (config.cpp) and the monitor keys (monitor_config.cpp).
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"
#include "cts/core/result.hpp"

namespace cts::engine::detail {

/// A whole number of at most 19 digits, at most `max`.
inline Result<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t max) {
  if (text.empty() || text.size() > 19) return make_error(ErrorCode::invalid_argument, "expected a whole number");
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return make_error(ErrorCode::invalid_argument, "expected a whole number");
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > max) return make_error(ErrorCode::invalid_argument, fmt::format("must be at most {}", max));
  return value;
}

/// A decimal that is not negative.
inline Result<Decimal> parse_non_negative(std::string_view text) {
  Result<Decimal> value = Decimal::parse(text);
  if (value && value->is_negative()) return make_error(ErrorCode::invalid_argument, "must not be negative");
  return value;
}

}  // namespace cts::engine::detail
