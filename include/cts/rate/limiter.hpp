#pragma once
/// \file
/// cts::rate::Limiter: a venue's pools as GCRA meters, weighted linked acquisition (all
/// or nothing), reservations that can be cancelled, scope bans from 429/418/403 with
/// Retry-After, and resync from the venue's usage headers.
///
/// Per request:   `Decision d = limiter.try_acquire(cost, now);` (cost from the policy)
/// Per response:  `limiter.on_response(response, now, wall_now, &cost);`
/// Health check:  `limiter.status(now)` / `limiter.blocked_until(Scope::ip)`.

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/error.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/rate/budget.hpp"
#include "cts/rate/feedback.hpp"
#include "cts/rate/gcra.hpp"
#include "cts/rate/policy.hpp"

namespace cts::rate {

/// The answer to one try_acquire().
struct Decision {
  /// What happened.
  enum class Outcome : std::uint8_t {
    admitted,     ///< Cost recorded in every pool; send now.
    not_until,    ///< Nothing recorded; the same cost is admitted at `not_until` if nothing else arrives.
    blocked,      ///< Nothing recorded; the venue banned a scope of this request until `not_until`.
    too_costly,   ///< Nothing recorded; the cost exceeds a pool's burst and can never pass (fail fast).
  };
  Outcome outcome = Outcome::admitted;  ///< What happened.
  SteadyTime not_until{};               ///< For not_until and blocked: the earliest time worth retrying.
  std::uint8_t pool = 0;                ///< For not_until and too_costly: the first pool that refused.

  /// True when the request may be sent now.
  [[nodiscard]] constexpr bool admitted() const noexcept { return outcome == Outcome::admitted; }
  /// The time to wait from `now` before retrying (zero when admitted or too costly).
  [[nodiscard]] constexpr Nanos wait_from(SteadyTime now) const noexcept {
    if (outcome != Outcome::not_until && outcome != Outcome::blocked) return Nanos{0};
    return std::max(Nanos{0}, std::chrono::duration_cast<Nanos>(not_until - now));
  }
};

/// Options for a Limiter.
struct LimiterOptions {
  /// The share (1..100 percent) of the venue's budget this process may use, so several
  /// processes can split one account or IP: each limit becomes max(1, floor(limit·share/100)).
  unsigned share_percent = 100;
};

/// Rate limiter for one venue connection (or one process's share of it). Thread-safe:
/// try_acquire / reserve / cancel / on_response may be called from any thread. The
/// decision path (try_acquire) does not allocate, lock or make a syscall.
class Limiter final : public Budget {
 public:
  /// A limiter for `policy` (whose tables must outlive it: the constexpr tables do).
  /// Throws cts::Exception(invalid_argument) for a policy with more than 255 pools or a
  /// pool the GCRA meter rejects (configuration errors).
  explicit Limiter(const VenuePolicy& policy, LimiterOptions options = {})
      : policy_(policy), pools_(make_pools(policy, options)) {}

  /// Admits `cost` at `now` in all of its pools or in none. See Decision.
  [[nodiscard]] Decision try_acquire(const Cost& cost, SteadyTime now) noexcept {
    const std::int64_t now_ns = to_ns(now);
    if (const auto ban = ban_for(cost, now_ns)) return *ban;
    std::array<GcraPool::Undo, kMaxLinkedPools> undo{};
    for (std::uint8_t i = 0; i < cost.size; ++i) {
      const PoolWeight item = cost.items[i];
      const std::int64_t verdict = pools_[item.pool].meter.try_take(item.weight, now_ns, &undo[i]);
      if (verdict == kAdmitted) continue;
      for (std::uint8_t j = i; j-- > 0;) pools_[cost.items[j].pool].meter.give_back(undo[j]);
      if (verdict == kNever) return Decision{Decision::Outcome::too_costly, SteadyTime{}, item.pool};
      return Decision{Decision::Outcome::not_until, from_ns(latest_ready(cost, i, verdict, now_ns)), item.pool};
    }
    return Decision{};
  }

  /// try_acquire() at `clock.steady_now()`.
  template <Clock C>
  [[nodiscard]] Decision try_acquire(const Cost& cost, const C& clock) noexcept {
    return try_acquire(cost, clock.steady_now());
  }

  /// What try_acquire(cost, now) would decide, without recording anything.
  [[nodiscard]] Decision peek(const Cost& cost, SteadyTime now) const noexcept {
    const std::int64_t now_ns = to_ns(now);
    if (const auto ban = ban_for(cost, now_ns)) return *ban;
    std::int64_t ready = kAdmitted;
    std::uint8_t refusing = 0;
    for (const auto& item : cost.view()) {
      const std::int64_t verdict = pools_[item.pool].meter.peek(item.weight, now_ns);
      if (verdict == kNever) return Decision{Decision::Outcome::too_costly, SteadyTime{}, item.pool};
      if (verdict != kAdmitted && verdict > ready) {
        ready = verdict;
        refusing = item.pool;
      }
    }
    if (ready == kAdmitted) return Decision{};
    return Decision{Decision::Outcome::not_until, from_ns(ready), refusing};
  }

  /// Books `cost` now for use at the returned Reservation::ready_at, unless that is more
  /// than `max_wait` away. Bookings are served in call order (FIFO), so a heavy request
  /// is never starved by a stream of light ones. Errors: invalid_argument when the cost
  /// exceeds a pool's burst; rate_limited when a scope is banned or the wait would
  /// exceed `max_wait` (nothing is booked then).
  [[nodiscard]] Result<Reservation> reserve(const Cost& cost, SteadyTime now, Nanos max_wait) override {
    const std::int64_t now_ns = to_ns(now);
    if (const auto ban = ban_for(cost, now_ns)) {
      return make_error(ErrorCode::rate_limited,
                        fmt::format("{}: {} scope banned for another {} ms", policy_.venue,
                                    to_string(pools_[ban->pool].scope), millis(ban->not_until - now)));
    }
    for (const auto& item : cost.view()) {
      if (item.weight > pools_[item.pool].meter.burst()) return too_costly_error(item);
    }
    Reservation booking{now, cost, {}};
    std::int64_t ready_ns = now_ns;
    for (std::uint8_t i = 0; i < cost.size; ++i) {
      const PoolWeight item = cost.items[i];
      ready_ns = std::max(ready_ns, pools_[item.pool].meter.book(item.weight, now_ns, booking.undo[i]));
    }
    if (ready_ns - now_ns > max_wait.count()) {
      cancel(booking);
      return make_error(ErrorCode::rate_limited,
                        fmt::format("{}: the wait of {} ms exceeds the allowed {} ms", policy_.venue,
                                    (ready_ns - now_ns) / 1'000'000, max_wait.count() / 1'000'000));
    }
    booking.ready_at = from_ns(ready_ns);
    return booking;
  }

  /// Gives back the units of an unused reservation, in every pool where nothing was
  /// booked after it (where something was, the units stay spent: the later booking was
  /// timed assuming them). Returns the number of pools that got their units back.
  std::size_t cancel(const Reservation& booking) noexcept override {
    std::size_t restored = 0;
    for (std::uint8_t i = booking.cost.size; i-- > 0;) {
      restored += pools_[booking.cost.items[i].pool].meter.give_back(booking.undo[i]) ? 1 : 0;
    }
    return restored;
  }

  /// Blocks every request that draws from a pool of `scope` until `until` (a later
  /// deadline wins; an earlier one never shortens a ban).
  void block(Scope scope, SteadyTime until) noexcept {
    auto& slot = blocked_[static_cast<std::size_t>(scope)];
    const std::int64_t until_ns = to_ns(until);
    std::int64_t current = slot.load(std::memory_order_relaxed);
    while (current < until_ns &&
           !slot.compare_exchange_weak(current, until_ns, std::memory_order_acq_rel, std::memory_order_relaxed)) {
    }
  }

  /// Until when `scope` is banned (a time in the past, possibly the epoch, when it is not).
  [[nodiscard]] SteadyTime blocked_until(Scope scope) const noexcept override {
    return from_ns(blocked_[static_cast<std::size_t>(scope)].load(std::memory_order_acquire));
  }

  /// Raises pool `pool`'s usage to what the venue reports: `used` units spent out of the
  /// venue's full limit (all processes sharing it included). Only ever makes the pool
  /// stricter. Out-of-range pool indices are ignored.
  void resync_used(std::uint8_t pool, std::uint64_t used, SteadyTime now) noexcept {
    if (pool >= pool_count_) return;
    Pool& p = pools_[pool];
    const std::uint64_t venue_limit = policy_.pools[pool].limit;
    const std::uint64_t remaining = used >= venue_limit ? 0 : venue_limit - used;
    const std::uint64_t burst = p.meter.burst();
    p.meter.ensure_used(remaining >= burst ? 0 : burst - remaining, to_ns(now));
  }

  /// Applies a venue response: each ban rule matching the status blocks its scope until
  /// now + Retry-After (or + the rule's default pause when the venue sent none); usage headers of the policy's pools resync them;
  /// "remaining" headers resync the pools of `cost` (the request's cost) that declare
  /// them. Errors: protocol_error naming a malformed header; then no header was applied
  /// (a ban from the status code still is: it only makes the limiter stricter).
  Result<Feedback> on_response(const HttpResponse& response, SteadyTime now, SystemTime wall_now,
                               const Cost* cost = nullptr) override {
    const ResponseReading reading = read_response(policy_, response, wall_now, cost);
    Feedback feedback;
    for (std::uint8_t k = 0; k < reading.ban_count; ++k) {
      block(reading.bans[k].scope, now + reading.bans[k].pause);
      feedback.banned = true;
      feedback.scope = reading.bans[k].scope;
      feedback.blocked_until = blocked_until(reading.bans[k].scope);
    }
    if (reading.problem) return *reading.problem;
    for (std::uint8_t k = 0; k < reading.used_count; ++k) resync_used(reading.used[k].first, reading.used[k].second, now);
    feedback.pools_resynced = reading.used_count;
    return feedback;
  }

  /// on_response() with both times read from `clock`.
  template <Clock C>
  Result<Feedback> on_response(const HttpResponse& response, const C& clock, const Cost* cost = nullptr) {
    return on_response(response, clock.steady_now(), clock.system_now(), cost);
  }

  /// Records that the venue answered a request with a throttle error code (e.g. Bybit
  /// 10006, OKX 50011) rather than a status: blocks the scopes of `cost` for `pause`.
  void on_throttled(const Cost& cost, SteadyTime now, Nanos pause) noexcept override {
    for (const auto& item : cost.view()) block(pools_[item.pool].scope, now + pause);
  }

  /// A snapshot for health checks (allocates; not for the hot path).
  [[nodiscard]] LimiterStatus status(SteadyTime now) const override {
    LimiterStatus out;
    for (std::size_t s = 0; s < kScopeCount; ++s) out.blocked_until[s] = from_ns(blocked_[s].load(std::memory_order_acquire));
    const std::int64_t now_ns = to_ns(now);
    for (std::uint8_t i = 0; i < pool_count_; ++i) {
      const PoolSpec& spec = policy_.pools[i];
      out.pools.push_back(PoolStatus{spec.name, pools_[i].scope, pools_[i].meter.used(now_ns), pools_[i].meter.burst(),
                                     !spec.used_header.empty() || !spec.remaining_header.empty()});
    }
    return out;
  }

  /// A clear error for a refused decision (allocates; call it off the hot path).
  [[nodiscard]] Error explain(const Decision& decision, SteadyTime now) const {
    switch (decision.outcome) {
      case Decision::Outcome::admitted: return make_error(ErrorCode::internal, "explain() called on an admitted decision");
      case Decision::Outcome::too_costly: return too_costly_error(PoolWeight{decision.pool, 0});
      case Decision::Outcome::blocked:
        return make_error(ErrorCode::rate_limited, fmt::format("{}: {} scope banned by the venue for another {} ms",
                                                               policy_.venue, to_string(pools_[decision.pool].scope),
                                                               millis(decision.not_until - now)));
      case Decision::Outcome::not_until:
        return make_error(ErrorCode::rate_limited,
                          fmt::format("{}: pool {} is exhausted; retry in {} ms", policy_.venue,
                                      policy_.pools[decision.pool].name, millis(decision.not_until - now)));
    }
    return make_error(ErrorCode::internal, "invalid decision");
  }

  /// The policy this limiter enforces.
  [[nodiscard]] const VenuePolicy& policy() const noexcept override { return policy_; }
  /// The local meter of pool `index` (precondition: index < policy().pools.size()).
  [[nodiscard]] const GcraPool& pool(std::uint8_t index) const noexcept { return pools_[index].meter; }

 private:
  struct Pool {
    GcraPool meter;
    Scope scope = Scope::ip;
  };

  static std::unique_ptr<Pool[]> make_pools(const VenuePolicy& policy, LimiterOptions options) {
    if (policy.pools.size() > 255) {
      throw Exception(make_error(ErrorCode::invalid_argument, "a rate policy may have at most 255 pools"));
    }
    auto pools = std::make_unique<Pool[]>(policy.pools.size());
    for (std::size_t i = 0; i < policy.pools.size(); ++i) {
      pools[i].meter.reset(quota_for(policy.pools[i], options.share_percent));
      pools[i].scope = policy.pools[i].scope;
    }
    return pools;
  }

  static constexpr long long millis(SteadyTime::duration d) noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  }

  std::optional<Decision> ban_for(const Cost& cost, std::int64_t now_ns) const noexcept {
    for (const auto& item : cost.view()) {
      const std::int64_t until = blocked_[static_cast<std::size_t>(pools_[item.pool].scope)].load(std::memory_order_acquire);
      if (until > now_ns) return Decision{Decision::Outcome::blocked, from_ns(until), item.pool};
    }
    return std::nullopt;
  }

  // The earliest time at which every pool from `first` on admits its part of `cost`.
  std::int64_t latest_ready(const Cost& cost, std::uint8_t first, std::int64_t first_ready, std::int64_t now_ns) const noexcept {
    std::int64_t ready = first_ready;
    for (std::uint8_t k = first + 1; k < cost.size; ++k) {
      const std::int64_t peek = pools_[cost.items[k].pool].meter.peek(cost.items[k].weight, now_ns);
      if (peek != kAdmitted && peek != kNever) ready = std::max(ready, peek);
    }
    return ready;
  }

  Error too_costly_error(PoolWeight item) const {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("{}: a cost of {} exceeds pool {}'s burst of {}; it can never be admitted",
                                  policy_.venue, item.weight, policy_.pools[item.pool].name,
                                  pools_[item.pool].meter.burst()));
  }

  const VenuePolicy& policy_;
  std::uint8_t pool_count_ = static_cast<std::uint8_t>(policy_.pools.size());
  std::unique_ptr<Pool[]> pools_;
  std::array<std::atomic<std::int64_t>, kScopeCount> blocked_{};
};

}  // namespace cts::rate
