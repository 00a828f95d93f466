#pragma once
/// \file
/// A TWAP schedule as a pure function of time: how much of a parent order should have
/// been sent by a given moment, in step-sized slices.

#include <chrono>
#include <cstdint>

#include "cts/core/clock.hpp"
#include "cts/core/decimal.hpp"
#include "cts/core/error.hpp"
#include "cts/core/instrument.hpp"
#include "cts/core/result.hpp"

namespace cts::engine {

/// A parent order to execute evenly over [start, start + duration) in `slices` child
/// orders.
struct TwapPlan {
  Decimal total_quantity;           ///< Quantity to execute (positive).
  SteadyTime start;                 ///< When the first slice is due.
  std::chrono::nanoseconds duration{0};  ///< Length of the schedule (positive).
  std::uint32_t slices = 0;         ///< Number of child orders (≥ 1).
};

/// The schedule for one plan on one instrument.
class TwapSchedule {
 public:
  /// Validates `plan`: invalid_argument for a non-positive quantity or duration, zero
  /// slices, or a quantity that is not a multiple of the instrument's step.
  static Result<TwapSchedule> create(const Instrument& instrument, const TwapPlan& plan) {
    if (!plan.total_quantity.is_positive()) return make_error(ErrorCode::invalid_argument, "TWAP quantity must be positive");
    if (plan.duration <= std::chrono::nanoseconds{0}) return make_error(ErrorCode::invalid_argument, "TWAP duration must be positive");
    if (plan.slices == 0) return make_error(ErrorCode::invalid_argument, "TWAP needs at least one slice");
    if (instrument.step_size.is_positive() && !plan.total_quantity.is_multiple_of(instrument.step_size)) {
      return make_error(ErrorCode::invalid_argument, "TWAP quantity is not a multiple of the step size");
    }
    return TwapSchedule(instrument, plan);
  }

  /// Slices due by `now`: 0 before start, `slices` from start + duration·(slices−1)/slices on.
  [[nodiscard]] std::uint32_t slices_due(SteadyTime now) const noexcept {
    if (now < plan_.start) return 0;
    const auto elapsed = now - plan_.start;
    const auto per_slice = plan_.duration / plan_.slices;
    if (per_slice.count() == 0) return plan_.slices;
    const auto due = static_cast<std::uint64_t>(elapsed / per_slice) + 1;
    return due >= plan_.slices ? plan_.slices : static_cast<std::uint32_t>(due);
  }

  /// Cumulative quantity that should have been sent once `slices` slices are due: the
  /// total·slices/count rounded down to the step, and exactly the total at the end.
  [[nodiscard]] Decimal target_after(std::uint32_t slices) const {
    if (slices >= plan_.slices) return plan_.total_quantity;
    const Decimal share = plan_.total_quantity.mul(Decimal::from_int(slices), Rounding::toward_zero)
                              .div(Decimal::from_int(plan_.slices), Rounding::toward_zero);
    if (!step_.is_positive()) return share;
    return share.checked_round_to(step_, Rounding::toward_zero).value();
  }

  /// The quantity to send now given what was already sent (never negative).
  [[nodiscard]] Decimal quantity_due(SteadyTime now, Decimal already_sent) const {
    const Decimal target = target_after(slices_due(now));
    return target > already_sent ? target - already_sent : Decimal{};
  }

  /// The plan.
  [[nodiscard]] const TwapPlan& plan() const noexcept { return plan_; }

 private:
  TwapSchedule(const Instrument& instrument, const TwapPlan& plan) : plan_(plan), step_(instrument.step_size) {}
  TwapPlan plan_;
  Decimal step_;
};

}  // namespace cts::engine
