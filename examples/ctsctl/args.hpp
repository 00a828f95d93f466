#pragma once
/// \file
/// A small, strict option parser for ctsctl subcommands: `--name value`, `--name=value`
/// and boolean `--flag`; positional arguments; unknown options are errors.

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
  /// invalid_argument naming an unknown option or a missing value.
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

}  // namespace ctsctl
