#pragma once
/// \file
/// Internal: a minimal JSON writer and RFC 3339 time formatting, enough to emit the
/// channel payloads and health+json byte-for-byte. Strings are escaped as Go's
/// encoding/json does by default (so the Alertmanager-compatible webhook matches it):
/// `"` `\\` and control characters, plus `<` `>` `&` U+2028 U+2029 as \u escapes;
/// invalid UTF-8 becomes U+FFFD.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/clock.hpp"

namespace cts::health::detail {

/// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  const bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

/// Appends `s` as a JSON string literal (with quotes), Go encoding/json style.
inline void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    const std::string_view seq = s.substr(i, n);
    if (seq == "\xE2\x80\xA8") {
      out += "\\u2028";
    } else if (seq == "\xE2\x80\xA9") {
      out += "\\u2029";
    } else {
      out += seq;
    }
    i += n;
  }
  out += '"';
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

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
inline void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2 ? 1 : 0;
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
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  std::int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  civil_from_days(days, y, m, d);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", y, m, d, rem / 3600, (rem / 60) % 60, rem % 60);
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
