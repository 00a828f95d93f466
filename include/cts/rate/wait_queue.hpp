#pragma once
/// \file
/// cts::rate::WaitQueue: a waiting acquire in front of a Limiter, FIFO within a priority
/// and strict between priorities, with cancellation. Waiters hold nothing until
/// granted; a grant carries a Reservation that cancel() gives back if it goes unused.
/// Driven by poll(now) (no hidden threads); next_wake() says when to poll again.

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/rate/limiter.hpp"

namespace cts::rate {

/// Identifies one waiter of a WaitQueue.
using WaitId = std::uint64_t;

/// A granted waiter: its cost is booked in the limiter from `reservation.ready_at`.
struct Grant {
  WaitId id = 0;            ///< From enqueue().
  Reservation reservation;  ///< Give it to WaitQueue::cancel(const Grant&) if the request is not sent.
};

/// Priority-ordered FIFO waiting for one Limiter. Thread-safe (one mutex; not the
/// lock-free decision path: use Limiter::try_acquire directly where waiting is not wanted).
class WaitQueue {
 public:
  /// A queue with `priorities` levels (0 most urgent) in front of `limiter`, which must
  /// outlive it. A head is granted once its cost would be ready within `lookahead` of
  /// now (0: only when admissible now). Throws cts::Exception(invalid_argument) for zero
  /// or more than 16 priority levels.
  explicit WaitQueue(Limiter& limiter, std::size_t priorities = 4, Nanos lookahead = Nanos{0})
      : limiter_(limiter), lookahead_(lookahead), levels_(priorities) {
    if (priorities == 0 || priorities > 16) {
      throw Exception(make_error(ErrorCode::invalid_argument, "WaitQueue needs 1..16 priority levels"));
    }
  }

  /// Queues a wait for `cost` at `priority`. Errors: invalid_argument for a priority out
  /// of range or a cost that can never be admitted (it fails now instead of hanging).
  Result<WaitId> enqueue(const Cost& cost, std::size_t priority, SteadyTime now) {
    if (priority >= levels_.size()) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("priority {} out of range (0..{})", priority, levels_.size() - 1));
    }
    const Decision check = limiter_.peek(cost, now);
    if (check.outcome == Decision::Outcome::too_costly) return limiter_.explain(check, now);
    std::lock_guard lock(mutex_);
    const WaitId id = ++last_id_;
    levels_[priority].push_back(Waiter{id, cost});
    return id;
  }

  /// Grants waiters in order (priority, then arrival) while the limiter lets the head
  /// through; stops at the first head that must wait, so nothing overtakes it (no
  /// starvation of heavy requests by light ones).
  std::vector<Grant> poll(SteadyTime now) {
    std::lock_guard lock(mutex_);
    std::vector<Grant> granted;
    wake_ = std::nullopt;
    for (auto& level : levels_) {
      while (!level.empty()) {
        const Waiter& head = level.front();
        auto booking = limiter_.reserve(head.cost, now, lookahead_);
        if (!booking) {
          const Decision d = limiter_.peek(head.cost, now);
          wake_ = d.admitted() ? now : d.not_until;
          return granted;
        }
        granted.push_back(Grant{head.id, std::move(*booking)});
        level.pop_front();
      }
    }
    return granted;
  }

  /// Removes a waiter that was not granted yet. False when it is unknown or granted.
  bool cancel(WaitId id) {
    std::lock_guard lock(mutex_);
    for (auto& level : levels_) {
      for (auto it = level.begin(); it != level.end(); ++it) {
        if (it->id == id) {
          level.erase(it);
          return true;
        }
      }
    }
    return false;
  }

  /// Gives back the units of a grant that will not be used (see Limiter::cancel).
  /// Returns the number of pools that got their units back.
  std::size_t cancel(const Grant& grant) noexcept { return limiter_.cancel(grant.reservation); }

  /// When the head that stopped the last poll() can go (nullopt: nothing waits on the limiter).
  [[nodiscard]] std::optional<SteadyTime> next_wake() const {
    std::lock_guard lock(mutex_);
    return wake_;
  }

  /// Waiters not yet granted.
  [[nodiscard]] std::size_t waiting() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& level : levels_) n += level.size();
    return n;
  }

 private:
  struct Waiter {
    WaitId id;
    Cost cost;
  };

  Limiter& limiter_;
  const Nanos lookahead_;
  mutable std::mutex mutex_;
  std::vector<std::deque<Waiter>> levels_;
  std::optional<SteadyTime> wake_;
  WaitId last_id_ = 0;
};

}  // namespace cts::rate
