#pragma once
// Internal to cts::engine: the value parsers of the configuration file, shared by the
// engine keys (config.cpp) and the monitor keys (monitor_config.cpp).
#include <chrono>
#include <cstdint>
#include <optional>
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

/// A size in bytes: a whole number with an optional `k`, `M` or `G` suffix (KiB, MiB,
/// GiB), at most 2^50 bytes (journal.max_size, monitor.max_size). Errors name the rule.
inline Result<std::uint64_t> parse_size(std::string_view value) {
  const char unit = value.empty() ? '\0' : value.back();
  const std::uint64_t scale = unit == 'k' ? 1ULL << 10 : unit == 'M' ? 1ULL << 20 : unit == 'G' ? 1ULL << 30 : 1;
  Result<std::uint64_t> n = parse_unsigned(scale == 1 ? value : value.substr(0, value.size() - 1), (1ULL << 50) / scale);
  if (!n) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("must be a whole number of bytes, with k, M or G for KiB, MiB, GiB: {}", n.error().message));
  }
  return *n * scale;
}

/// "<n>d", "<n>h" or "<n>m", positive, at most 10 years (monitor.retention,
/// journal.retention, orders.retention).
inline std::optional<std::chrono::seconds> parse_retention(std::string_view value) {
  if (value.size() < 2) return std::nullopt;
  const char unit = value.back();
  const std::int64_t scale = unit == 'd' ? 86'400 : unit == 'h' ? 3'600 : unit == 'm' ? 60 : 0;
  if (scale == 0) return std::nullopt;
  Result<std::uint64_t> n = parse_unsigned(value.substr(0, value.size() - 1), 3'650 * 86'400);
  if (!n || *n == 0 || static_cast<std::int64_t>(*n) * scale > 3'650LL * 86'400) return std::nullopt;
  return std::chrono::seconds(static_cast<std::int64_t>(*n) * scale);
}


}  // namespace cts::engine::detail
