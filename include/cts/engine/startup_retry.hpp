#pragma once
/// \file
/// startup_read_retry(): the patience of a trading session's start-up. Those steps only
/// read the venue (its clock, the instrument, the first reconciliation, which logs in
/// first where the venue logs in by a call), and each read is retried by the one policy
/// every read follows, the RestChannel's (what is transient — a transport failure, a
/// 429/418, a 5xx, a throttle, a transient venue error inside an HTTP 200 — and the
/// full-jitter backoff). The start-up only sets more patience on it: more attempts with
/// longer waits per read, a deadline for all of them together, and the session's stop,
/// which ends a wait at once. Mutations are never retried, at start-up or later: an
/// order whose reply is lost is an unknown outcome, resolved by its client order id
/// before anything is sent again.

#include <chrono>
#include <stop_token>

#include "cts/core/clock.hpp"
#include "cts/engine/rest_channel.hpp"
#include "cts/rate/backoff.hpp"

namespace cts::engine {

/// The backoff of one start-up read: 6 attempts, 250 ms doubling to 4 s (full jitter: at
/// most 7.75 s of waits in all, about half that on average), within 15 s (a venue's
/// Retry-After or throttle reset can lengthen a wait up to that).
inline constexpr rate::RetryPolicy kStartupReadPolicy{std::chrono::milliseconds{250}, std::chrono::seconds{4}, 6,
                                                      std::chrono::seconds{15}};
/// How long after the start-up begins its reads stop being retried, all reads together:
/// a start against a venue that stays unreachable fails within this (plus the attempt
/// under way, at most the HTTP client's timeout).
inline constexpr std::chrono::seconds kStartupRetryWindow{20};

/// The ReadRetry a session's start-up, begun at `started`, sets on its RestChannel:
/// kStartupReadPolicy, a deadline kStartupRetryWindow after `started`, and `stop` (the
/// session's: a stop request ends a wait at once, and the start-up fails with the last
/// error).
[[nodiscard]] inline ReadRetry startup_read_retry(std::stop_token stop, SteadyTime started) {
  ReadRetry retry;
  retry.policy = kStartupReadPolicy;
  retry.stop = std::move(stop);
  retry.deadline = started + kStartupRetryWindow;
  return retry;
}

}  // namespace cts::engine
