#pragma once
// Internal to the store: the text form of journal bodies (records and snapshots):
// space-separated key=value fields, values percent-escaped, decimals in their exact
// canonical form, times in integer nanoseconds.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/decimal.hpp"
#include "cts/core/result.hpp"

namespace cts::store::detail {

/// True for a character a value must escape.
inline bool needs_escape(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return c == '%' || c == ' ' || c == '=' || u < 0x21 || u == 0x7f;
}

/// Appends " key=value" (no space first), `value` percent-escaped.
inline void put(std::string& out, std::string_view key, std::string_view value) {
  if (!out.empty()) out += ' ';
  out += key;
  out += '=';
  for (char c : value) {
    if (needs_escape(c)) {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
}

/// Appends a decimal field in its canonical exact form.
inline void put(std::string& out, std::string_view key, Decimal value) { put(out, key, value.to_string()); }

/// Appends a time field in integer nanoseconds since the epoch.
inline void put(std::string& out, std::string_view key, SystemTime ts) {
  put(out, key, std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(ts.time_since_epoch()).count()));
}

/// The protocol_error of a malformed field `key`.
inline Error bad(std::string_view key, std::string_view why) {
  return make_error(ErrorCode::protocol_error, fmt::format("journal record: {} ({})", why, key));
}

/// The value `text` of field `key` with its escapes decoded.
inline Result<std::string> unescape(std::string_view key, std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size()) return bad(key, "truncated escape");
    const auto r = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (r.ec != std::errc() || r.ptr != text.data() + i + 3) return bad(key, "invalid escape");
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

/// Field `key` as a decimal.
inline Result<Decimal> to_decimal(std::string_view key, const std::string& text) {
  Result<Decimal> d = Decimal::parse(text);
  if (!d) return bad(key, "invalid decimal");
  return d;
}

/// Field `key` as a time (integer nanoseconds).
inline Result<SystemTime> to_time(std::string_view key, const std::string& text) {
  std::int64_t ns = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), ns);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return bad(key, "invalid time");
  return SystemTime{std::chrono::duration_cast<SystemTime::duration>(std::chrono::nanoseconds(ns))};
}

/// Field `key` as an identifier type with a checked from().
template <class Id>
Result<Id> to_id(std::string_view key, const std::string& text) {
  Result<Id> id = Id::from(text);
  if (!id) return bad(key, "invalid id");
  return id;
}


/// Calls parse(key, unescaped value) for every field of `body`, in order; stops at and
/// returns the first error (of parse, or protocol_error for a field without '=').
template <class Parse>
Result<void> for_each_field(std::string_view body, Parse&& parse) {
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find(' ', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view token = body.substr(start, end - start);
    start = end + 1;
    const std::size_t eq = token.find('=');
    if (eq == std::string_view::npos) return bad(token.substr(0, 32), "field without '='");
    const std::string_view key = token.substr(0, eq);
    Result<std::string> value = unescape(key, token.substr(eq + 1));
    if (!value) return value.error();
    if (Result<void> ok = parse(key, *value); !ok) return ok;
  }
  return {};
}

}  // namespace cts::store::detail
