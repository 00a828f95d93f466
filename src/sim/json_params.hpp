#pragma once
// Internal to the simulator's fronts: a JSON request body's plain members as decoded
// (name, value) pairs (form.hpp's Params), and the digits-only integer reader both the
// Bybit and the OKX front use for ids, times and limits.

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <simdjson.h>

#include "form.hpp"

namespace cts::sim::detail {

// Reads the members of `object` into `out`: strings as their text, numbers as their
// token, booleans as "true"/"false"; null members are left out. A member named `nested`
// (when given) must be an array and is handed to `on_nested` instead. False for
// anything else (a nested object or array).
template <typename OnNested>
bool read_plain_members(simdjson::dom::object object, Params& out, std::string_view nested, OnNested&& on_nested) {
  for (const auto field : object) {
    if (!nested.empty() && field.key == nested) {
      simdjson::dom::array array;
      if (field.value.get(array) != simdjson::SUCCESS || !on_nested(array)) return false;
      continue;
    }
    std::string text;
    switch (field.value.type()) {
      case simdjson::dom::element_type::STRING: text.assign(std::string_view(field.value)); break;
      case simdjson::dom::element_type::INT64:
      case simdjson::dom::element_type::UINT64:
      case simdjson::dom::element_type::DOUBLE: text = simdjson::minify(field.value); break;
      case simdjson::dom::element_type::BOOL: text = bool(field.value) ? "true" : "false"; break;
      case simdjson::dom::element_type::NULL_VALUE: continue;
      default: return false;
    }
    out.emplace_back(std::string(field.key), std::move(text));
  }
  return true;
}

// True for 1 to 19 decimal digits.
inline bool all_digits(std::string_view v) {
  return !v.empty() && v.size() <= 19 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The value of 1 to 19 decimal digits that fit an int64; nothing otherwise.
inline std::optional<std::int64_t> to_int(std::string_view v) {
  if (!all_digits(v)) return std::nullopt;
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc{} || end != v.data() + v.size()) return std::nullopt;
  return out;
}

}  // namespace cts::sim::detail
