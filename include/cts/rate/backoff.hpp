#pragma once
/// \file
/// Retry with full-jitter exponential backoff (AWS Architecture Blog, "Exponential
/// Backoff And Jitter"): delay = U(0, min(cap, base·2^n)), with a maximum number of
/// attempts and a total time budget; a venue's Retry-After is a floor. Only idempotent
/// requests retry: a create whose outcome is unknown must be resolved by asking the
/// venue (by client order id), never by sending it again.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"

namespace cts::rate {

/// Whether sending a request twice is harmless.
enum class Idempotency : std::uint8_t {
  idempotent,      ///< Reads, and writes the venue de-duplicates (e.g. cancel by client order id).
  non_idempotent,  ///< Creates and anything else that may act twice.
};

/// True when a request of kind `kind` that failed with `code` may be retried blindly:
/// only idempotent requests, and only for transient failures (network, timeout,
/// venue_unavailable, rate_limited, unknown_outcome). A non-idempotent request never is.
constexpr bool may_retry(Idempotency kind, ErrorCode code) noexcept {
  if (kind == Idempotency::non_idempotent) return false;
  switch (code) {
    case ErrorCode::network:
    case ErrorCode::timeout:
    case ErrorCode::venue_unavailable:
    case ErrorCode::rate_limited:
    case ErrorCode::unknown_outcome: return true;
    default: return false;
  }
}

/// Full-jitter exponential backoff with a cap, a maximum number of attempts and a total
/// budget. A value type; randomness is injected so tests are deterministic.
struct RetryPolicy {
  Nanos base = std::chrono::milliseconds{100};  ///< Delay scale of the first retry.
  Nanos cap = std::chrono::seconds{10};         ///< Largest jittered delay (Retry-After may exceed it).
  std::uint32_t max_attempts = 5;               ///< Total attempts, the first included.
  Nanos budget = std::chrono::seconds{30};      ///< Total time from the first attempt to the last start.

  /// The largest delay before retry number `retry` (0 for the first retry): min(cap, base·2^retry).
  [[nodiscard]] constexpr Nanos ceiling(std::uint32_t retry) const noexcept {
    if (base <= Nanos{0}) return Nanos{0};
    Nanos ceiling = base;
    for (std::uint32_t i = 0; i < retry && ceiling < cap; ++i) ceiling *= 2;
    return std::min(ceiling, cap);
  }

  /// The delay before the next attempt after `attempts_made` attempts (>= 1) have failed,
  /// `elapsed` after the first one started; `retry_after` (the venue's Retry-After) is a
  /// floor. `rng` is any uniform random bit generator. Errors: timeout when the attempts
  /// or the budget are exhausted (the message says which).
  template <std::uniform_random_bit_generator G>
  [[nodiscard]] Result<Nanos> next_delay(std::uint32_t attempts_made, Nanos elapsed, std::optional<Nanos> retry_after,
                                         G& rng) const {
    if (attempts_made >= max_attempts) {
      return make_error(ErrorCode::timeout, fmt::format("gave up after {} attempts", attempts_made));
    }
    const Nanos top = ceiling(attempts_made == 0 ? 0 : attempts_made - 1);
    std::uniform_int_distribution<std::int64_t> jitter(0, top.count());
    Nanos delay{jitter(rng)};
    if (retry_after) delay = std::max(delay, *retry_after);
    if (elapsed + delay > budget) {
      return make_error(ErrorCode::timeout,
                        fmt::format("retry budget of {} ms exhausted ({} ms elapsed, next delay {} ms)",
                                    std::chrono::duration_cast<std::chrono::milliseconds>(budget).count(),
                                    std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(),
                                    std::chrono::duration_cast<std::chrono::milliseconds>(delay).count()));
    }
    return delay;
  }
};

}  // namespace cts::rate
