#pragma once
/// \file
/// RejectionBreaker: stops an order loop that the venue refuses the same way again and
/// again. After `threshold` identical rejections in a row (same unified code, venue code
/// and message) it opens: no order may be sent until its backoff has elapsed; then one
/// order goes out as a probe. A probe refused again doubles the backoff (bounded by
/// `max_backoff`); any accepted order closes the breaker and resets the backoff. Pure
/// and time-injected; not thread-safe (the session thread owns it).

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>

#include "cts/core/clock.hpp"
#include "cts/core/error.hpp"

namespace cts::engine {

/// Settings of a RejectionBreaker.
struct BreakerOptions {
  /// Identical rejections in a row that open the breaker; 0 disables it.
  std::uint32_t threshold = 5;
  /// Wait before the first probe after the breaker opened.
  std::chrono::nanoseconds initial_backoff = std::chrono::seconds{1};
  /// Longest wait between probes (the backoff doubles up to it).
  std::chrono::nanoseconds max_backoff = std::chrono::seconds{60};
};

/// See the file comment.
class RejectionBreaker {
 public:
  /// A closed breaker with `options`.
  explicit RejectionBreaker(BreakerOptions options = {}) : options_(options) {}

  /// True when an order may be sent at `now`: the breaker is closed, or it is open and
  /// its backoff has elapsed (that order is the probe; until its answer is recorded no
  /// other order may go).
  [[nodiscard]] bool allow(SteadyTime now) {
    if (!open_) return true;
    if (probing_ || now < retry_at_) return false;
    probing_ = true;
    return true;
  }

  /// Records a venue rejection of an order sent at `now`.
  void on_rejected(const Error& error, SteadyTime now) {
    if (options_.threshold == 0) return;
    if (open_) {
      // The probe was refused too: wait twice as long (bounded) before the next.
      probing_ = false;
      backoff_ = std::min(backoff_ * 2, options_.max_backoff);
      retry_at_ = now + backoff_;
      last_ = error;
      return;
    }
    streak_ = last_ && *last_ == error ? streak_ + 1 : 1;
    last_ = error;
    if (streak_ >= options_.threshold) {
      open_ = true;
      ++trips_;
      backoff_ = std::min(options_.initial_backoff, options_.max_backoff);
      retry_at_ = now + backoff_;
    }
  }

  /// Records an order the venue accepted (or whose outcome is pending): closes the
  /// breaker and forgets the streak.
  void on_accepted() {
    open_ = false;
    probing_ = false;
    streak_ = 0;
    last_.reset();
  }

  /// True while open (orders are held back).
  [[nodiscard]] bool is_open() const noexcept { return open_; }
  /// When the next probe may go (meaningful while open).
  [[nodiscard]] SteadyTime retry_at() const noexcept { return retry_at_; }
  /// The wait in force before the next probe (meaningful while open).
  [[nodiscard]] std::chrono::nanoseconds backoff() const noexcept { return backoff_; }
  /// The last rejection recorded, if any since the last acceptance.
  [[nodiscard]] const std::optional<Error>& last_rejection() const noexcept { return last_; }
  /// Identical rejections in a row so far (while closed).
  [[nodiscard]] std::uint32_t streak() const noexcept { return streak_; }
  /// Times the breaker opened.
  [[nodiscard]] std::uint64_t trips() const noexcept { return trips_; }

 private:
  BreakerOptions options_;
  bool open_ = false;
  bool probing_ = false;
  std::uint32_t streak_ = 0;
  std::uint64_t trips_ = 0;
  std::optional<Error> last_;
  std::chrono::nanoseconds backoff_{0};
  SteadyTime retry_at_{};
};

}  // namespace cts::engine
