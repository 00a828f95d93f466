#pragma once
/// \file
/// The command line every example program takes: `[--duration SECONDS] [BASE_URL]`.

#include <charconv>
#include <chrono>
#include <string>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include <cts/core/error.hpp>
#include <cts/core/result.hpp>

namespace cts_examples {

/// What an example program was asked to do.
struct CommandLine {
  std::chrono::seconds duration{};  ///< How long to run (positive).
  std::string base_url;             ///< The venue to trade on; empty: the embedded simulator.
};

/// Reads `[--duration SECONDS] [BASE_URL]` from argv[1] to argv[argc - 1];
/// `default_duration` stands when --duration is absent. Errors (invalid_argument, the
/// message says which word): a --duration that is not a positive whole number of seconds
/// or has no value, an unknown option, a second URL. argv is read only during the call.
inline cts::Result<CommandLine> parse_command_line(int argc, char** argv, std::chrono::seconds default_duration) {
  CommandLine parsed{default_duration, {}};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--duration") {
      if (i + 1 == argc)
        return cts::make_error(cts::ErrorCode::invalid_argument, "--duration needs a number of seconds");
      const std::string_view text = argv[++i];
      int seconds = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
      if (error != std::errc{} || end != text.data() + text.size() || seconds <= 0) {
        return cts::make_error(cts::ErrorCode::invalid_argument,
                               fmt::format("--duration takes a positive number of seconds, not \"{}\"", text));
      }
      parsed.duration = std::chrono::seconds{seconds};
    } else if (!arg.starts_with("-") && parsed.base_url.empty()) {
      parsed.base_url = arg;
    } else {
      return cts::make_error(cts::ErrorCode::invalid_argument, fmt::format("unexpected argument \"{}\"", arg));
    }
  }
  return parsed;
}

}  // namespace cts_examples
