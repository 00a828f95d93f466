#pragma once
/// \file
/// Internal: byte-level parsing helpers shared by every parser of the project: hex
/// digits, runs of decimal digits, trimming (HTTP's optional whitespace by default).

#include <cstdint>
#include <string_view>

namespace cts::detail {

/// The value 0..15 of one hexadecimal digit (either case), or -1 for any other byte.
constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// `text` without the leading and trailing bytes found in `spaces`: by default spaces and
/// tabs (HTTP's optional whitespace); a line-oriented reader adds "\r".
constexpr std::string_view trim_spaces(std::string_view text, std::string_view spaces = " \t") noexcept {
  while (!text.empty() && spaces.find(text.front()) != std::string_view::npos) text.remove_prefix(1);
  while (!text.empty() && spaces.find(text.back()) != std::string_view::npos) text.remove_suffix(1);
  return text;
}

/// The value of 1..18 ASCII digits; -1 for anything else (empty, a sign, another byte,
/// more than 18 digits, which could overflow).
constexpr std::int64_t parse_digits(std::string_view digits) noexcept {
  if (digits.empty() || digits.size() > 18) return -1;
  std::int64_t value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace cts::detail
