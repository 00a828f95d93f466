#pragma once
/// \file
/// One rate-limit pool as a GCRA (generic cell rate algorithm) meter: a single atomic
/// "theoretical arrival time" per pool, lock-free, O(1), no allocation, no syscall.
///
/// A pool with burst B and emission interval T (one unit per T nanoseconds) admits a
/// request of cost n at time `now` iff max(tat, now) + n·T <= now + B·T, and then moves
/// tat there. Guarantee (checked by the tests with an independent audit): in every
/// closed window of length W the admitted cost is at most B + W/T.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/error.hpp"

namespace cts::rate {

/// Nanoseconds since the steady clock's epoch: the limiter's internal time unit.
constexpr std::int64_t to_ns(SteadyTime t) noexcept {
  return std::chrono::duration_cast<Nanos>(t.time_since_epoch()).count();
}
/// The SteadyTime `ns` nanoseconds after the steady clock's epoch.
constexpr SteadyTime from_ns(std::int64_t ns) noexcept {
  return SteadyTime{std::chrono::duration_cast<SteadyTime::duration>(Nanos{ns})};
}

/// The largest interval a pool accepts (2^60 ns, about 36 years); also the largest
/// tolerance burst·T. Keeps every sum of times and tolerances inside 64 bits.
inline constexpr std::int64_t kMaxIntervalNs = std::int64_t{1} << 60;
/// The largest burst a pool accepts (2^60 units).
inline constexpr std::uint64_t kMaxBurst = std::uint64_t{1} << 60;
/// Times passed to a pool must stay below this (2^61 ns, about 73 years after the steady
/// clock's epoch, i.e. boot); bookings saturate here, so sums never overflow.
inline constexpr std::int64_t kFarFutureNs = std::int64_t{1} << 61;

/// How much a pool lets through: at most `burst` units at once, refilled at `refill`
/// units per `interval`. burst == 0 is a closed pool: it admits no positive cost.
struct Quota {
  std::uint64_t burst = 0;  ///< Units available at once (the bucket size).
  std::uint64_t refill = 0; ///< Units regained per `interval`; 0 means "same as burst".
  Nanos interval{0};        ///< Refill period; must be positive.
};

/// Sentinel returned by GcraPool::try_take when the cost was admitted.
inline constexpr std::int64_t kAdmitted = std::numeric_limits<std::int64_t>::min();
/// Sentinel returned by GcraPool::try_take when the cost can never be admitted (cost > burst).
inline constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

/// A single GCRA pool. Thread-safe: every operation is one CAS loop on one atomic.
/// Times are nanoseconds on a monotonic clock (see to_ns()). A time earlier than one
/// already seen never grants more than that later time would (tat is never moved back
/// by the clock), so a backward step grants nothing.
class GcraPool {
 public:
  /// A pool for `quota`, initially full. Throws cts::Exception(invalid_argument) when the
  /// interval is not positive or above kMaxIntervalNs, or the burst is above kMaxBurst
  /// (configuration errors).
  explicit GcraPool(Quota quota) { reset(quota); }
  /// A closed pool (burst 0): it admits no positive cost until reset().
  GcraPool() noexcept = default;

  /// What a take or booking changed, so that give_back() can undo it.
  struct Undo {
    std::int64_t previous = 0;  ///< tat before.
    std::int64_t booked = 0;    ///< tat after (equal to previous when nothing was recorded).
  };

  GcraPool(const GcraPool&) = delete;
  GcraPool& operator=(const GcraPool&) = delete;

  /// Admits `cost` units at `now_ns` if the pool allows it and records them atomically.
  /// Returns kAdmitted, kNever (cost above the burst: it can never pass), or the earliest
  /// time in ns at which the same cost would be admitted if nothing else arrives.
  /// Cost 0 is always admitted and changes nothing.
  /// When admitted and `undo` is not null, *undo receives what give_back() needs.
  std::int64_t try_take(std::uint64_t cost, std::int64_t now_ns, Undo* undo = nullptr) noexcept {
    if (cost == 0) {
      if (undo != nullptr) *undo = Undo{};
      return kAdmitted;
    }
    if (cost > burst_) return kNever;
    const std::int64_t increment = static_cast<std::int64_t>(cost) * emission_ns_;
    std::int64_t tat = tat_.load(std::memory_order_relaxed);
    for (;;) {
      const std::int64_t new_tat = std::max(tat, now_ns) + increment;
      if (new_tat - tolerance_ns_ > now_ns) return new_tat - tolerance_ns_;
      if (tat_.compare_exchange_weak(tat, new_tat, std::memory_order_acq_rel, std::memory_order_relaxed)) {
        if (undo != nullptr) *undo = Undo{tat, new_tat};
        return kAdmitted;
      }
    }
  }

  /// Books `cost` units unconditionally (the pool may go into debt) and returns the time
  /// in ns at which the booked units may be used; *undo receives what give_back() needs.
  /// Precondition: cost <= burst().
  std::int64_t book(std::uint64_t cost, std::int64_t now_ns, Undo& undo) noexcept {
    if (cost == 0) {
      undo = Undo{};
      return now_ns;
    }
    const std::int64_t increment = static_cast<std::int64_t>(cost) * emission_ns_;
    std::int64_t tat = tat_.load(std::memory_order_relaxed);
    for (;;) {
      const std::int64_t new_tat = std::min(std::max(tat, now_ns), kFarFutureNs) + increment;
      if (tat_.compare_exchange_weak(tat, new_tat, std::memory_order_acq_rel, std::memory_order_relaxed)) {
        undo = Undo{tat, new_tat};
        return std::max(now_ns, new_tat - tolerance_ns_);
      }
    }
  }

  /// Undoes the take or booking described by `undo`, but only when nothing was recorded
  /// after it (otherwise the units stay spent: returning them could let later bookings
  /// overlap earlier ones, which would over-grant). Returns true when restored.
  bool give_back(const Undo& undo) noexcept {
    if (undo.booked == undo.previous) return false;
    std::int64_t expected = undo.booked;
    return tat_.compare_exchange_strong(expected, undo.previous, std::memory_order_acq_rel, std::memory_order_relaxed);
  }

  /// The earliest time at which `cost` would be admitted, without recording anything
  /// (kAdmitted when it would be admitted at `now_ns`, kNever when cost > burst).
  [[nodiscard]] std::int64_t peek(std::uint64_t cost, std::int64_t now_ns) const noexcept {
    if (cost == 0) return kAdmitted;
    if (cost > burst_) return kNever;
    const std::int64_t tat = tat_.load(std::memory_order_acquire);
    const std::int64_t ready = std::max(tat, now_ns) + static_cast<std::int64_t>(cost) * emission_ns_ - tolerance_ns_;
    return ready > now_ns ? ready : kAdmitted;
  }

  /// Raises the pool's usage so that at least `used` units count as spent at `now_ns`
  /// (server feedback). Never lowers usage: a venue's counter can only make us stricter.
  void ensure_used(std::uint64_t used, std::int64_t now_ns) noexcept {
    const std::uint64_t units = std::min(used, burst_);
    const std::int64_t target = now_ns + static_cast<std::int64_t>(units) * emission_ns_;
    std::int64_t tat = tat_.load(std::memory_order_relaxed);
    while (tat < target &&
           !tat_.compare_exchange_weak(tat, target, std::memory_order_acq_rel, std::memory_order_relaxed)) {
    }
  }

  /// Units in use at `now_ns` (rounded up), between 0 and burst().
  [[nodiscard]] std::uint64_t used(std::int64_t now_ns) const noexcept {
    const std::int64_t ahead = tat_.load(std::memory_order_acquire) - now_ns;
    if (ahead <= 0 || emission_ns_ == 0) return 0;
    const auto units = static_cast<std::uint64_t>((ahead + emission_ns_ - 1) / emission_ns_);
    return std::min(units, burst_);
  }

  /// The current theoretical arrival time in ns (for give_back() and diagnostics).
  [[nodiscard]] std::int64_t tat() const noexcept { return tat_.load(std::memory_order_acquire); }
  /// Units available at once.
  [[nodiscard]] std::uint64_t burst() const noexcept { return burst_; }
  /// Nanoseconds per unit (the emission interval T, rounded up so the rate never exceeds the quota).
  [[nodiscard]] std::int64_t emission_ns() const noexcept { return emission_ns_; }

  /// Reconfigures the pool for `quota` and refills it. Not safe against concurrent use of
  /// this pool (configuration time only). Throws like the constructor.
  void reset(Quota quota) {
    reset_config(quota);
    tat_.store(kEmptyTat, std::memory_order_release);
  }

 private:
  static constexpr std::int64_t kEmptyTat = std::numeric_limits<std::int64_t>::min() / 2;

  void reset_config(Quota quota) {
    const std::int64_t interval = quota.interval.count();
    if (interval <= 0 || interval > kMaxIntervalNs) {
      throw Exception(make_error(ErrorCode::invalid_argument,
                                 fmt::format("rate pool interval must be in (0, 2^60] ns, got {} ns", interval)));
    }
    if (quota.burst > kMaxBurst || quota.refill > kMaxBurst) {
      throw Exception(make_error(ErrorCode::invalid_argument, "rate pool burst/refill above 2^60 units"));
    }
    burst_ = quota.burst;
    const std::uint64_t refill = quota.refill == 0 ? quota.burst : quota.refill;
    if (refill == 0) {
      emission_ns_ = 0;
      tolerance_ns_ = 0;
      return;
    }
    // Round T up: the pool may be slightly slower than the quota, never faster.
    const auto unsigned_interval = static_cast<std::uint64_t>(interval);
    emission_ns_ = static_cast<std::int64_t>((unsigned_interval + refill - 1) / refill);
    // Keep burst·T within kMaxIntervalNs: an absurd configuration gets a smaller burst
    // (stricter), never a wrapped-around one.
    const unsigned __int128 tolerance = static_cast<unsigned __int128>(burst_) * static_cast<std::uint64_t>(emission_ns_);
    if (tolerance > static_cast<unsigned __int128>(kMaxIntervalNs)) {
      burst_ = static_cast<std::uint64_t>(kMaxIntervalNs) / static_cast<std::uint64_t>(emission_ns_);
    }
    tolerance_ns_ = static_cast<std::int64_t>(burst_) * emission_ns_;
  }

  alignas(64) std::atomic<std::int64_t> tat_{kEmptyTat};
  std::int64_t emission_ns_ = 0;
  std::int64_t tolerance_ns_ = 0;
  std::uint64_t burst_ = 0;
};

}  // namespace cts::rate
