// CountingBudget: a rate::Limiter that counts the bookings it grants, for the tests that
// check every request a RestChannel sends is booked in the rate budget (resends and
// retries included).
#pragma once

#include <cstddef>
#include <mutex>

#include <cts/rate/budget.hpp>
#include <cts/rate/limiter.hpp>

namespace cts_test {

/// A Limiter that counts the bookings it grants (each one a request the channel may send).
class CountingBudget final : public cts::rate::Budget {
 public:
  explicit CountingBudget(const cts::rate::VenuePolicy& policy) : limiter_(policy) {}

  [[nodiscard]] const cts::rate::VenuePolicy& policy() const noexcept override { return limiter_.policy(); }
  [[nodiscard]] cts::Result<cts::rate::Reservation> reserve(const cts::rate::Cost& cost, cts::SteadyTime now,
                                                            cts::Nanos max_wait) override {
    cts::Result<cts::rate::Reservation> booked = limiter_.reserve(cost, now, max_wait);
    if (booked) {
      std::lock_guard lock(mutex_);
      ++bookings_;
    }
    return booked;
  }
  std::size_t cancel(const cts::rate::Reservation& booking) noexcept override {
    {
      std::lock_guard lock(mutex_);
      --bookings_;
    }
    return limiter_.cancel(booking);
  }
  [[nodiscard]] cts::SteadyTime blocked_until(cts::rate::Scope scope) const noexcept override {
    return limiter_.blocked_until(scope);
  }
  cts::Result<cts::rate::Feedback> on_response(const cts::HttpResponse& response, cts::SteadyTime now,
                                               cts::SystemTime wall_now, const cts::rate::Cost* cost) override {
    return limiter_.on_response(response, now, wall_now, cost);
  }
  void on_throttled(const cts::rate::Cost& cost, cts::SteadyTime now, cts::Nanos pause) noexcept override {
    limiter_.on_throttled(cost, now, pause);
  }
  [[nodiscard]] cts::rate::LimiterStatus status(cts::SteadyTime now) const override { return limiter_.status(now); }

  /// Bookings granted and not given back.
  [[nodiscard]] int bookings() const {
    std::lock_guard lock(mutex_);
    return bookings_;
  }

 private:
  cts::rate::Limiter limiter_;
  mutable std::mutex mutex_;
  int bookings_ = 0;
};

}  // namespace cts_test
