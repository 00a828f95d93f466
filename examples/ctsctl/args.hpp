#pragma once
/// \file
/// A small, strict option parser for ctsctl subcommands: `--name value`, `--name=value`
/// and boolean `--flag`; positional arguments; unknown options are errors, and so is a
/// control character (CR, LF, NUL, ...) in any value: nothing a user types can split a
/// request line or a header. Plus the range-checked number parsers every subcommand uses.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <cts/core/error.hpp>
#include <cts/core/result.hpp>

namespace ctsctl {

/// Parsed arguments of one subcommand.
class Args {
 public:
  /// Parses `args`; `valued` lists the options that take a value, `flags` the boolean
  /// ones, `repeated` the valued options that may appear more than once. Errors:
  /// invalid_argument naming an unknown option, a missing value, or an option value or
  /// positional argument that contains a control character (0x00-0x1f, 0x7f).
  static cts::Result<Args> parse(std::span<const std::string_view> args, std::span<const std::string_view> valued,
                                 std::span<const std::string_view> flags,
                                 std::span<const std::string_view> repeated = {});

  /// The value of option `name` (without dashes), if given (the last one if repeated).
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  /// Every value of a repeated option, in order.
  [[nodiscard]] std::vector<std::string> all(std::string_view name) const;
  /// True when boolean option `name` was given.
  [[nodiscard]] bool flag(std::string_view name) const;
  /// Positional arguments, in order.
  [[nodiscard]] const std::vector<std::string>& positional() const noexcept { return positional_; }

 private:
  std::multimap<std::string, std::string, std::less<>> values_;
  std::vector<std::string> flags_;
  std::vector<std::string> positional_;
};

/// Parses `text`, the value of `--option`, as a whole decimal number in [min, max].
/// Errors: invalid_argument naming the option, the range and the text (signs, spaces,
/// fractions and out-of-range values are refused; nothing overflows).
cts::Result<std::int64_t> parse_integer(std::string_view option, std::string_view text, std::int64_t min,
                                        std::int64_t max);

/// Parses `text`, the value of `--option`, as a number of seconds in (0, max_seconds]
/// (decimals allowed, e.g. "0.5"; with `allow_zero`, 0 too). Errors: invalid_argument
/// naming the option, the range and the text.
cts::Result<double> parse_seconds(std::string_view option, std::string_view text, double max_seconds,
                                  bool allow_zero = false);

}  // namespace ctsctl
