#pragma once
/// \file
/// Why a trading session cannot go on, and whether starting it again could help: a
/// transient failure (the venue unreachable, a stream down past its deadline) may be
/// retried by a fresh start; a permanent one (credentials the venue refuses, a journal
/// that cannot be written, a tripped kill switch) would fail the same way again.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"

namespace cts::engine {

/// Whether a fresh start of the session could overcome a failure.
enum class FailureKind : std::uint8_t {
  transient,  ///< A restart (with backoff) may succeed.
  permanent,  ///< A restart would fail the same way: an operator must act.
};

/// "transient" or "permanent".
constexpr std::string_view to_string(FailureKind kind) noexcept {
  return kind == FailureKind::permanent ? "permanent" : "transient";
}

/// A session's failure: its kind and the error that caused it (whose message says why;
/// never a secret).
struct SessionFailure {
  FailureKind kind = FailureKind::transient;  ///< Whether a restart may help.
  Error error;                                ///< The cause.

  /// "permanent failure: auth_failed: ..." — for logs, status lines and /health.
  [[nodiscard]] std::string to_string() const {
    return fmt::format("{} failure: {}", engine::to_string(kind), error.to_string());
  }
};

/// The failure an error that stopped a session amounts to: permanent for credential
/// errors, transient for everything else (network, timeouts, 5xx, rate limits).
inline SessionFailure classify_failure(Error error) {
  const FailureKind kind = is_credential_error(error.code) ? FailureKind::permanent : FailureKind::transient;
  return SessionFailure{kind, std::move(error)};
}

/// How a session that failed for a transient reason is started again.
struct RestartPolicy {
  /// Restarts allowed over the session's life; 0: a failure is final.
  std::uint32_t max_restarts = 3;
  /// Wait before the first restart; each further restart waits twice as long.
  std::chrono::milliseconds initial_backoff{1'000};
  /// Longest wait before a restart.
  std::chrono::milliseconds max_backoff{30'000};
};

/// The wait before restart number `attempt` (1 for the first): initial_backoff ·
/// 2^(attempt − 1), at most max_backoff.
constexpr std::chrono::milliseconds restart_delay(const RestartPolicy& policy, std::uint32_t attempt) noexcept {
  std::chrono::milliseconds delay = policy.initial_backoff;
  for (std::uint32_t i = 1; i < attempt && delay < policy.max_backoff; ++i) delay *= 2;
  return std::min(delay, policy.max_backoff);
}

}  // namespace cts::engine
