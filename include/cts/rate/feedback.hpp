#pragma once
/// \file
/// Parsing of the venue feedback the limiter consumes: `Retry-After` (delay-seconds or
/// an IMF-fixdate HTTP date, RFC 9110 §10.2.3) and usage-count headers such as
/// `X-MBX-USED-WEIGHT-1M`. Pure functions; no allocation on success.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"

namespace cts::rate {

namespace detail {

/// `text` without leading and trailing spaces and tabs.
constexpr std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

/// Parses 1..18 ASCII digits; -1 for anything else (empty, sign, other bytes, too long).
constexpr std::int64_t parse_digits(std::string_view digits) noexcept {
  if (digits.empty() || digits.size() > 18) return -1;
  std::int64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace detail

/// Parses an IMF-fixdate such as "Sun, 06 Nov 1994 08:49:37 GMT" into a SystemTime.
/// The day name is checked for form, not against the date. Errors: protocol_error.
inline Result<SystemTime> parse_http_date(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static constexpr std::array<std::string_view, 7> kDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  const auto bad = [&] {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("malformed HTTP date \"{}\" (expected e.g. \"Sun, 06 Nov 1994 08:49:37 GMT\")",
                                  text.substr(0, 64)));
  };
  // "Sun, 06 Nov 1994 08:49:37 GMT" is exactly 29 bytes.
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' || text[16] != ' ' ||
      text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
    return bad();
  }
  bool day_ok = false;
  for (auto day : kDays) day_ok = day_ok || text.substr(0, 3) == day;
  unsigned month = 0;
  for (unsigned i = 0; i < 12; ++i) {
    if (text.substr(8, 3) == kMonths[i]) month = i + 1;
  }
  const std::int64_t day = detail::parse_digits(text.substr(5, 2));
  const std::int64_t year = detail::parse_digits(text.substr(12, 4));
  const std::int64_t hour = detail::parse_digits(text.substr(17, 2));
  const std::int64_t minute = detail::parse_digits(text.substr(20, 2));
  const std::int64_t second = detail::parse_digits(text.substr(23, 2));
  if (!day_ok || month == 0 || day < 1 || day > 31 || year < 1970 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60) {
    return bad();
  }
  const std::int64_t days = detail::days_from_civil(year, month, static_cast<unsigned>(day));
  const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second;
  return SystemTime{std::chrono::duration_cast<SystemTime::duration>(std::chrono::seconds{seconds})};
}

/// The longest pause a Retry-After may impose (7 days); a larger value is clamped to it,
/// so a garbage header cannot freeze a process for years (Binance's longest ban is 3 days).
inline constexpr Nanos kMaxRetryAfter = std::chrono::hours{24 * 7};

/// The delay a Retry-After value asks for: delay-seconds ("120") or an HTTP date
/// relative to `wall_now` (a date in the past means no delay). Clamped to
/// kMaxRetryAfter. Errors: protocol_error for anything else.
inline Result<Nanos> parse_retry_after(std::string_view value, SystemTime wall_now) {
  const std::string_view text = detail::trim(value);
  if (!text.empty() && text.front() >= '0' && text.front() <= '9') {
    const std::int64_t seconds = detail::parse_digits(text);
    if (seconds < 0) {
      return make_error(ErrorCode::protocol_error,
                        fmt::format("malformed Retry-After \"{}\"", text.substr(0, 64)));
    }
    return std::min<Nanos>(kMaxRetryAfter, std::chrono::seconds{std::min<std::int64_t>(seconds, 7 * 86400)});
  }
  const auto date = parse_http_date(text);
  if (!date) return date.error();
  const auto delay = std::chrono::duration_cast<Nanos>(*date - wall_now);
  return std::clamp(delay, Nanos{0}, kMaxRetryAfter);
}

/// Parses a usage header's value (a non-negative decimal count such as "1187").
/// Errors: protocol_error naming the header.
inline Result<std::uint64_t> parse_header_count(std::string_view header_name, std::string_view value) {
  const std::int64_t count = detail::parse_digits(detail::trim(value));
  if (count < 0) {
    return make_error(ErrorCode::protocol_error, fmt::format("malformed {} header \"{}\" (expected a count)",
                                                             header_name, value.substr(0, 64)));
  }
  return static_cast<std::uint64_t>(count);
}

}  // namespace cts::rate
