#pragma once
/// \file
/// Internal: readers for the numbers venues send as JSON strings with an empty string
/// for "none" (Bybit v5 and OKX v5 write every price, quantity and time this way: "",
/// "0.01", "1597026383085"). They record failures in a FieldReader like the readers of
/// cts/venue/detail/json.hpp.

#include <charconv>
#include <cstdint>
#include <string_view>

#include "cts/core/decimal.hpp"
#include "cts/core/detail/text.hpp"
#include "cts/venue/detail/json.hpp"

namespace cts::venue::detail {

/// Reads a decimal string that may be empty for "none" ("" → 0).
inline bool decimal_or_empty(FieldReader& fields, simdjson::ondemand::value& value, Decimal& out,
                             std::string_view field) {
  if (cts::detail::trim_spaces(value.raw_json_token(), " \t\r\n") == "\"\"") {
    out = Decimal{};
    return true;
  }
  return fields.decimal(value, out, field);
}

/// Reads a non-negative integer sent as a decimal string ("1684738540559", a time in
/// ms; "1688639403423213947", one in ns), exactly (out of int64 range fails); an empty
/// string reads as 0 when `empty_is_zero`.
inline bool digits_text(FieldReader& fields, simdjson::ondemand::value& value, std::int64_t& out,
                        std::string_view field, bool empty_is_zero = false) {
  std::string_view text;
  if (!fields.string(value, text, field)) return false;
  if (text.empty() && empty_is_zero) {
    out = 0;
    return true;
  }
  std::int64_t parsed = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (error != std::errc{} || end != text.data() + text.size() || text.front() == '-') {
    return fields.fail(field, "is not a decimal integer string");
  }
  out = parsed;
  return true;
}

}  // namespace cts::venue::detail
