#pragma once
/// \file
/// Internal: locale-independent ASCII helpers.

#include <string_view>

namespace cts::detail {

/// Lower-cases one ASCII letter; other bytes are returned unchanged.
constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// Case-insensitive ASCII equality.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

}  // namespace cts::detail
