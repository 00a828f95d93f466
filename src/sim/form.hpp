#pragma once
// Internal to the simulator's fronts: application/x-www-form-urlencoded parsing of a
// query string or form body into decoded (name, value) pairs, in order, and lookups in
// them.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/sign/encoding.hpp"

namespace cts::sim::detail {

// Decoded (name, value) pairs, in the order received.
using Params = std::vector<std::pair<std::string, std::string>>;

// Decodes one form name or value: '+' is a space, then %XX escapes
// (sign::percent_decode); nothing on a malformed escape.
inline std::optional<std::string> form_decode(std::string_view in) {
  std::string plus_as_space(in);
  std::replace(plus_as_space.begin(), plus_as_space.end(), '+', ' ');
  auto decoded = sign::percent_decode(plus_as_space);
  if (!decoded) return std::nullopt;
  return std::move(*decoded);
}

// Splits "a=1&b=2" into decoded pairs appended to `out`; false on a malformed escape.
inline bool parse_form(std::string_view text, Params& out) {
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view item = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    auto key = form_decode(item.substr(0, eq));
    auto value = form_decode(eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1));
    if (!key || !value) return false;
    out.emplace_back(std::move(*key), std::move(*value));
  }
  return true;
}

// The value of the first parameter `name` in `params`; nothing when it is absent or empty.
inline std::optional<std::string_view> find_param(const Params& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v.empty() ? std::nullopt : std::optional<std::string_view>(v);
  }
  return std::nullopt;
}

// Removes the "signature=..." item from a raw query or body; returns its value.
inline std::optional<std::string> cut_signature(std::string& raw) {
  std::size_t start = 0;
  while (start <= raw.size()) {
    const std::size_t end = std::min(raw.find('&', start), raw.size());
    if (std::string_view(raw).substr(start, end - start).starts_with("signature=")) {
      std::string value = raw.substr(start + 10, end - start - 10);
      const std::size_t erase_from = start == 0 ? 0 : start - 1;
      const std::size_t erase_to = start == 0 && end < raw.size() ? end + 1 : end;
      raw.erase(erase_from, erase_to - erase_from);
      return value;
    }
    start = end + 1;
  }
  return std::nullopt;
}

// True when `item` is one of the comma-separated names of `list`.
inline bool in_comma_list(std::string_view list, std::string_view item) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    if (list.substr(0, comma) == item) return true;
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return false;
}

}  // namespace cts::sim::detail
