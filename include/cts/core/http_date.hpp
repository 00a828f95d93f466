#pragma once
/// \file
/// HTTP dates and the `Retry-After` field (RFC 9110 §5.6.7 and §10.2.3): the one parser
/// every component uses (the rate limiter's venue feedback, the alert channels).

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/detail/text.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"

namespace cts {

namespace detail {

/// Index 1..12 of a three-letter month name ("Jan".."Dec", case-sensitive), 0 if none.
constexpr unsigned http_month(std::string_view name) noexcept {
  constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (name == kMonths[i]) return i + 1;
  }
  return 0;
}

/// Whether `name` is a day name: "Mon".."Sun", or "Monday".."Sunday" when `long_form`.
constexpr bool http_day_name(std::string_view name, bool long_form) noexcept {
  constexpr std::array<std::string_view, 7> kShort{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  constexpr std::array<std::string_view, 7> kLong{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                  "Friday", "Saturday", "Sunday"};
  for (const auto day : long_form ? kLong : kShort) {
    if (name == day) return true;
  }
  return false;
}

/// The instant of a parsed HTTP date, or nothing when a field is out of range (day not in
/// the month, hour > 23, minute > 59, second > 60).
inline std::optional<SystemTime> http_instant(std::int64_t year, unsigned month, std::int64_t day, std::int64_t hour,
                                              std::int64_t minute, std::int64_t second) {
  if (year < 0 || month == 0 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 60) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(year)}, std::chrono::month{month},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return SystemTime{std::chrono::sys_days{date}} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second};
}

/// Parses "HH:MM:SS" into its three fields (-1 each when malformed).
constexpr void http_time_of_day(std::string_view t, std::int64_t& h, std::int64_t& m, std::int64_t& s) noexcept {
  h = m = s = -1;
  if (t.size() != 8 || t[2] != ':' || t[5] != ':') return;
  h = parse_digits(t.substr(0, 2));
  m = parse_digits(t.substr(3, 2));
  s = parse_digits(t.substr(6, 2));
}

}  // namespace detail

/// Parses an HTTP date in any of the three forms a recipient must accept (RFC 9110
/// §5.6.7): IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", the obsolete RFC 850 form
/// "Sunday, 06-Nov-94 08:49:37 GMT" and asctime's "Sun Nov  6 08:49:37 1994". The day
/// name is checked for form, not against the date. A two-digit RFC 850 year is the
/// latest year with those digits that is not more than 50 years after `now`.
/// Errors: protocol_error (quoting at most 64 bytes of the text) for anything else,
/// a date that does not exist (30 Feb) included.
inline Result<SystemTime> parse_http_date(std::string_view text, SystemTime now) {
  std::int64_t year = -1;
  unsigned month = 0;
  std::int64_t day = -1;
  std::int64_t hour = -1;
  std::int64_t minute = -1;
  std::int64_t second = -1;
  const std::size_t comma = text.find(',');
  if (comma == 3) {
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (29 bytes).
    if (text.size() == 29 && detail::http_day_name(text.substr(0, 3), false) && text.substr(3, 2) == ", " &&
        text[7] == ' ' && text[11] == ' ' && text[16] == ' ' && text.substr(25) == " GMT") {
      day = detail::parse_digits(text.substr(5, 2));
      month = detail::http_month(text.substr(8, 3));
      year = detail::parse_digits(text.substr(12, 4));
      detail::http_time_of_day(text.substr(17, 8), hour, minute, second);
    }
  } else if (comma != std::string_view::npos) {
    // rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT".
    const std::string_view rest = text.substr(comma);
    if (detail::http_day_name(text.substr(0, comma), true) && rest.size() == 24 && rest.substr(0, 2) == ", " &&
        rest[4] == '-' && rest[8] == '-' && rest[11] == ' ' && rest.substr(20) == " GMT") {
      day = detail::parse_digits(rest.substr(2, 2));
      month = detail::http_month(rest.substr(5, 3));
      const std::int64_t yy = detail::parse_digits(rest.substr(9, 2));
      if (yy >= 0) {
        const auto now_year =
            static_cast<int>(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(now)}.year());
        year = now_year + 50 - ((now_year + 50 - yy) % 100 + 100) % 100;
      }
      detail::http_time_of_day(rest.substr(12, 8), hour, minute, second);
    }
  } else if (text.size() == 24 && detail::http_day_name(text.substr(0, 3), false) && text[3] == ' ' && text[7] == ' ' &&
             text[10] == ' ' && text[19] == ' ') {
    // asctime-date: "Sun Nov  6 08:49:37 1994" (the day padded with a space).
    month = detail::http_month(text.substr(4, 3));
    day = detail::parse_digits(text[8] == ' ' ? text.substr(9, 1) : text.substr(8, 2));
    detail::http_time_of_day(text.substr(11, 8), hour, minute, second);
    year = detail::parse_digits(text.substr(20, 4));
  }
  if (const auto instant = detail::http_instant(year, month, day, hour, minute, second)) return *instant;
  return make_error(
      ErrorCode::protocol_error,
      fmt::format("malformed HTTP date \"{}\" (expected e.g. \"Sun, 06 Nov 1994 08:49:37 GMT\")", text.substr(0, 64)));
}

/// The longest pause a Retry-After may impose (7 days); a larger value is clamped to it,
/// so a garbage header cannot freeze a process for years (Binance's longest ban is 3 days).
inline constexpr Nanos kMaxRetryAfter = std::chrono::hours{24 * 7};

/// The delay a Retry-After value asks for: delay-seconds ("120") or an HTTP date (any
/// form parse_http_date() accepts) relative to `wall_now`, a date in the past meaning
/// no delay; spaces and tabs around the value are ignored. Clamped to kMaxRetryAfter.
/// Errors: protocol_error for anything else (a sign, a fraction, more than 18 digits,
/// a malformed date).
inline Result<Nanos> parse_retry_after(std::string_view value, SystemTime wall_now) {
  const std::string_view text = detail::trim_spaces(value);
  if (!text.empty() && text.front() >= '0' && text.front() <= '9') {
    const std::int64_t seconds = detail::parse_digits(text);
    if (seconds < 0) {
      return make_error(ErrorCode::protocol_error, fmt::format("malformed Retry-After \"{}\"", text.substr(0, 64)));
    }
    constexpr std::int64_t kMaxSeconds = std::chrono::duration_cast<std::chrono::seconds>(kMaxRetryAfter).count();
    return Nanos{std::chrono::seconds{std::min(seconds, kMaxSeconds)}};
  }
  const auto date = parse_http_date(text, wall_now);
  if (!date) return date.error();
  return std::clamp(std::chrono::duration_cast<Nanos>(*date - wall_now), Nanos{0}, kMaxRetryAfter);
}

}  // namespace cts
