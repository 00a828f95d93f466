#pragma once
/// \file
/// Internal: JSON strings, UTF-8 truncation and RFC 3339 time formatting, enough to emit
/// the channel payloads and health+json byte-for-byte. Strings are escaped as Go's
/// encoding/json does by default (so the Alertmanager-compatible webhook matches it),
/// by core's escaper (<cts/core/json_string.hpp>).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/detail/utf8.hpp"
#include "cts/core/json_string.hpp"

namespace cts::health::detail {

using cts::detail::utf8_sequence_length;

/// Appends `s` as a JSON string literal (with quotes) escaped as Go's encoding/json does:
/// core's escaper with JsonEscaping::go_html_safe, the one style of every health payload.
inline void append_json_string(std::string& out, std::string_view s) {
  cts::append_json_string(out, s, JsonEscaping::go_html_safe);
}

/// The longest prefix of `s` holding at most `max_code_points` code points and never
/// splitting a UTF-8 sequence (invalid bytes count as one code point each).
inline std::string_view utf8_prefix_code_points(std::string_view s, std::size_t max_code_points) noexcept {
  std::size_t i = 0;
  std::size_t count = 0;
  while (i < s.size() && count < max_code_points) {
    const std::size_t n = utf8_sequence_length(s, i);
    i += n == 0 ? 1 : n;
    ++count;
  }
  return s.substr(0, i);
}

/// Number of code points in `s` (invalid bytes count as one each).
inline std::size_t utf8_code_points(std::string_view s) noexcept {
  std::size_t i = 0;
  std::size_t count = 0;
  while (i < s.size()) {
    const std::size_t n = utf8_sequence_length(s, i);
    i += n == 0 ? 1 : n;
    ++count;
  }
  return count;
}

/// `s` cut to at most `max_code_points` code points, ending with "…" when cut.
inline std::string truncate_code_points(std::string_view s, std::size_t max_code_points) {
  if (utf8_code_points(s) <= max_code_points) return std::string(s);
  if (max_code_points == 0) return {};
  std::string out(utf8_prefix_code_points(s, max_code_points - 1));
  out += "\xE2\x80\xA6";
  return out;
}

/// `s` cut to at most `max_bytes` bytes on a code-point boundary, ending with "…"
/// when cut (and max_bytes >= 3).
inline std::string truncate_bytes(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  const std::size_t budget = max_bytes >= 3 ? max_bytes - 3 : max_bytes;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = utf8_sequence_length(s, i);
    const std::size_t step = n == 0 ? 1 : n;
    if (i + step > budget) break;
    i += step;
  }
  std::string out(s.substr(0, i));
  if (max_bytes >= 3) out += "\xE2\x80\xA6";
  return out;
}

/// `secs` since the Unix epoch in UTC as "YYYY-MM-DDTHH:MM:SS" (no fraction, no zone).
inline std::string utc_date_time(std::int64_t secs) {
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), rem / 3600,
                     (rem / 60) % 60, rem % 60);
}

/// `t` in UTC as RFC 3339 with exactly three fraction digits (milliseconds, truncated):
/// "2024-01-01T00:00:00.500Z".
inline std::string rfc3339_millis(SystemTime t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::int64_t secs = ms / 1000;
  std::int64_t frac = ms % 1000;
  if (frac < 0) {
    frac += 1000;
    --secs;
  }
  return fmt::format("{}.{:03}Z", utc_date_time(secs), frac);
}

/// `t` in UTC as Go's time.RFC3339Nano: "2024-01-01T00:00:00Z",
/// "2024-01-01T00:00:00.5Z" (trailing zeros of the fraction dropped).
inline std::string rfc3339_nano(SystemTime t) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  std::int64_t secs = ns / 1'000'000'000;
  std::int64_t frac = ns % 1'000'000'000;
  if (frac < 0) {
    frac += 1'000'000'000;
    --secs;
  }
  std::string out = utc_date_time(secs);
  if (frac != 0) {
    std::string f = fmt::format("{:09}", frac);
    while (f.back() == '0') f.pop_back();
    out += '.';
    out += f;
  }
  out += 'Z';
  return out;
}

/// Go's zero time.Time, "0001-01-01T00:00:00Z", which Alertmanager writes as the
/// endsAt of a firing alert.
inline constexpr std::string_view kGoZeroTime = "0001-01-01T00:00:00Z";

}  // namespace cts::health::detail
