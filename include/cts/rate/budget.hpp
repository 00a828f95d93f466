#pragma once
/// \file
/// cts::rate::Budget: what the engine needs from a venue connection's rate budget —
/// book a request's cost (waiting if need be), give an unused booking back, feed the
/// venue's answers back (bans, usage headers, throttles), and report the state for
/// health checks. The local rate::Limiter is one; rate::RedisBudget (a budget shared
/// by several processes through Redis, rate/redis_budget.hpp) is another. The engine
/// (RestChannel, VenueConnection, Coordinator) names only this interface.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/rate/gcra.hpp"
#include "cts/rate/policy.hpp"

namespace cts::rate {

/// A booking made by Budget::reserve(): the units are recorded now and may be used from
/// `ready_at`. Pass it to the same budget's cancel() to give the units back if it will
/// not be used.
struct Reservation {
  SteadyTime ready_at{};                                  ///< When the booked request may be sent.
  Cost cost;                                              ///< What was booked.
  std::array<GcraPool::Undo, kMaxLinkedPools> undo{};     ///< Per cost item, how to give it back.
  /// Booked in a shared budget's server (RedisBudget: `undo` holds server times) rather
  /// than in local pools.
  bool shared = false;
};

/// A pool's state for a health check.
struct PoolStatus {
  std::string_view name;   ///< The venue's name of the pool.
  Scope scope{};           ///< Its scope.
  std::uint64_t used = 0;  ///< Units in use now (local view, after server resync).
  std::uint64_t burst = 0; ///< Units usable at once.
  /// The venue reports this pool's usage in its answers (a usage header), so `used`
  /// includes what other processes on the same key or IP spent; false: `used` is this
  /// limiter's own spending.
  bool venue_reported = false;
};

/// The limiter's state for a health check.
struct LimiterStatus {
  std::array<SteadyTime, kScopeCount> blocked_until{};  ///< Per scope: banned until then (in the past = not banned).
  std::vector<PoolStatus> pools;                        ///< Per pool usage.
  /// Empty when the budget works as configured; else why it does not (a shared budget
  /// whose server is unreachable runs on its local fallback share: health checks warn).
  std::string degraded;
  /// True when `scope` is banned at `now`.
  [[nodiscard]] bool blocked(Scope scope, SteadyTime now) const noexcept {
    return blocked_until[static_cast<std::size_t>(scope)] > now;
  }
};

/// What on_response() learned.
struct Feedback {
  bool banned = false;            ///< The status matched a ban rule; the scope is blocked.
  Scope scope{};                  ///< The (last) blocked scope, when banned.
  SteadyTime blocked_until{};     ///< Until when, when banned.
  std::uint8_t pools_resynced = 0;///< Pools whose usage was raised from headers.
};

/// A venue connection's rate budget. Implementations are thread-safe: every member may
/// be called from any thread.
class Budget {
 public:
  virtual ~Budget() = default;

  /// The policy the budget enforces (its tables outlive the budget).
  [[nodiscard]] virtual const VenuePolicy& policy() const noexcept = 0;

  /// Books `cost` at `now` for use at the returned Reservation::ready_at, unless that is
  /// more than `max_wait` away. Errors: invalid_argument when the cost exceeds a pool's
  /// burst; rate_limited when a scope is banned or the wait would exceed `max_wait`
  /// (nothing is booked then).
  [[nodiscard]] virtual Result<Reservation> reserve(const Cost& cost, SteadyTime now, Nanos max_wait) = 0;

  /// Gives back the units of an unused reservation where nothing was booked after it.
  /// Returns the number of pools that got their units back.
  virtual std::size_t cancel(const Reservation& booking) noexcept = 0;

  /// Until when `scope` is banned (a time in the past when it is not).
  [[nodiscard]] virtual SteadyTime blocked_until(Scope scope) const noexcept = 0;

  /// Applies a venue response (ban statuses with Retry-After, usage headers; `cost` is
  /// the request's, for "remaining" headers). Errors: protocol_error naming a malformed
  /// header (a ban from the status code is still applied).
  virtual Result<Feedback> on_response(const HttpResponse& response, SteadyTime now, SystemTime wall_now,
                                       const Cost* cost) = 0;

  /// The venue throttled a request of `cost` inside an answer: blocks its scopes for `pause`.
  virtual void on_throttled(const Cost& cost, SteadyTime now, Nanos pause) noexcept = 0;

  /// A snapshot for health checks and metrics (allocates; not for the hot path).
  [[nodiscard]] virtual LimiterStatus status(SteadyTime now) const = 0;
};

}  // namespace cts::rate
