#pragma once
// The fuzz target registry of cts-fuzz: each *_target.cpp registers one or more
// targets by name; fuzz_main.cpp runs the one CTS_FUZZ_TARGET names. A target takes
// one input and returns normally for any input; a crash, a sanitizer report, an
// uncaught exception or a failed property check (require()) is a finding.

#include <cstddef>
#include <string_view>

#include "cts/core/result.hpp"

namespace cts::fuzz {

/// A fuzz target: exercises the code under test with `input` (any bytes).
using Target = void (*)(std::string_view input);

/// Registers `target` under `name` at static initialisation (use CTS_FUZZ_TARGET).
struct Registration {
  Registration(std::string_view name, Target target);
};

/// Aborts with "property violated: <what>" unless `condition` holds: a finding.
void require(bool condition, std::string_view what);

/// The properties of an error a venue reply's reader returns: a valid ErrorCode, a
/// message, never an internal error (require() for each).
inline void require_reply_error(const Error& error) {
  require(static_cast<std::size_t>(error.code) < kErrorCodeCount, "an error carries a valid ErrorCode");
  require(!error.message.empty(), "an error says what is wrong");
  require(error.code != ErrorCode::internal, "a reply is never an internal error");
}

}  // namespace cts::fuzz

/// Defines and registers the fuzz target `name`; the body sees the input as `input`.
#define CTS_FUZZ_TARGET(name)                                                                          \
  static void cts_fuzz_target_##name(std::string_view input);                                          \
  static const ::cts::fuzz::Registration cts_fuzz_registration_##name{#name, &cts_fuzz_target_##name}; \
  static void cts_fuzz_target_##name(std::string_view input)
