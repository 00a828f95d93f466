#pragma once
/// \file
/// retry_startup_read(): how a trading session's start-up steps survive a venue that
/// fails for a moment. Those steps only read the venue (its clock, the instrument, the
/// first reconciliation, which logs in first where the venue logs in by a call), so one
/// that fails for a transient reason — the venue unreachable or overloaded, a reply lost
/// on the way back, a rate limit: rate::may_retry() of an idempotent request — is run
/// again after a full-jitter backoff (rate::RetryPolicy) instead of ending the start.
/// The RestChannel already resends a failed read a few times; this outer loop covers a
/// run of faults longer than that (a burst of 429s and a reset in a row). It never wraps
/// a mutation: an order whose reply is lost is an unknown outcome, resolved by its client
/// order id before anything is sent again.

#include <chrono>
#include <functional>
#include <random>
#include <string_view>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/rate/backoff.hpp"

namespace cts::engine {

/// How retry_startup_read() waits and reports.
struct StartupRetry {
  /// Attempts, delays and the total budget of one step (the first attempt included).
  rate::RetryPolicy policy{std::chrono::milliseconds{250}, std::chrono::seconds{4}, 6, std::chrono::seconds{30}};
  /// The steady clock the budget is measured on; steady_clock::now when empty (tests
  /// inject one).
  std::function<SteadyTime()> now;
  /// Waits `delay`; std::this_thread::sleep_for when empty (tests inject one).
  std::function<void(Nanos)> sleep;
  /// Receives one line per retry ("<what> failed (<error>): retrying in <n> ms"); may be
  /// empty.
  std::function<void(std::string_view)> log;
};

/// Runs `read` (a callable returning a Result, which must change nothing at the venue)
/// until it succeeds, fails with an error rate::may_retry() does not retry for an
/// idempotent request (auth_failed, invalid_argument, ...), or `retry.policy`'s attempts
/// or budget run out; returns its last result. `what` names the step in the log lines.
template <class Read>
auto retry_startup_read(std::string_view what, const StartupRetry& retry, Read&& read) -> decltype(read()) {
  const auto now = [&] { return retry.now ? retry.now() : std::chrono::steady_clock::now(); };
  std::minstd_rand jitter(static_cast<std::uint32_t>(now().time_since_epoch().count()));
  const SteadyTime first = now();
  for (std::uint32_t attempt = 1;; ++attempt) {
    auto result = read();
    if (result || !rate::may_retry(rate::Idempotency::idempotent, result.error().code)) return result;
    Result<Nanos> delay = retry.policy.next_delay(attempt, now() - first, std::nullopt, jitter);
    if (!delay) return result;
    if (retry.log) {
      retry.log(fmt::format("{} failed ({}): retrying in {} ms", what, result.error().to_string(),
                            std::chrono::duration_cast<std::chrono::milliseconds>(*delay).count()));
    }
    if (retry.sleep) {
      retry.sleep(*delay);
    } else {
      std::this_thread::sleep_for(*delay);
    }
  }
}

}  // namespace cts::engine
