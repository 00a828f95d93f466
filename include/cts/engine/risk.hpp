#pragma once
/// \file
/// Pre-trade risk checks and the kill switch. Every order the engine sends passes
/// RiskGate::check first; a refusal is an ErrorCode::rejected error whose message names
/// the limit, the value and the bound. Pure and time-injected; not thread-safe (one
/// gate per session thread) except KillSwitch, which any thread may trip.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/decimal.hpp"
#include "cts/core/error.hpp"
#include "cts/core/instrument.hpp"
#include "cts/core/order_types.hpp"
#include "cts/core/result.hpp"

namespace cts::engine {

/// Self-imposed limits. A zero (or zero duration) disables that check.
struct RiskLimits {
  Decimal max_order_notional;      ///< Largest notional of one order (quote units).
  Decimal max_position;            ///< Largest |position| per instrument after the order fills.
  Decimal price_band_fraction;     ///< Largest |price − mid| / mid, e.g. 0.05 for 5 %.
  std::uint32_t max_open_orders = 0;     ///< Open orders per instrument.
  std::uint32_t max_orders_per_window = 0;  ///< New orders per order_rate_window.
  std::chrono::nanoseconds order_rate_window{0};  ///< Window of the order-rate limit.
};

/// An order about to be sent, as the risk gate sees it.
struct OrderIntent {
  Side side = Side::buy;            ///< Side.
  Decimal quantity;                 ///< Quantity (base units or contracts).
  std::optional<Decimal> price;     ///< Limit price; none for market orders.
};

/// What the gate knows of the market and of our own state at check time.
struct RiskContext {
  std::optional<Decimal> mid;       ///< Current mid price, if known.
  Decimal position;                 ///< Signed position in the instrument.
  Decimal open_buy_quantity;        ///< Quantity of our open buy orders in the instrument.
  Decimal open_sell_quantity;       ///< Quantity of our open sell orders in the instrument.
  std::uint32_t open_orders = 0;    ///< Our open orders in the instrument.
};

/// A process-wide stop: once tripped, the gate refuses every new order until reset.
/// Thread-safe: any thread may trip it; the first reason is kept.
class KillSwitch {
 public:
  /// Trips the switch; `reason` is kept for status displays (never put a secret in it).
  void trip(std::string reason) {
    std::lock_guard lock(mutex_);
    if (tripped_.load(std::memory_order_relaxed)) return;
    reason_ = std::move(reason);
    tripped_.store(true, std::memory_order_release);
  }
  /// Re-arms the switch (an operator's decision).
  void reset() {
    std::lock_guard lock(mutex_);
    reason_.clear();
    tripped_.store(false, std::memory_order_release);
  }
  /// True once tripped. Lock-free.
  [[nodiscard]] bool tripped() const noexcept { return tripped_.load(std::memory_order_acquire); }
  /// The reason given to the first trip(); empty when not tripped.
  [[nodiscard]] std::string reason() const {
    std::lock_guard lock(mutex_);
    return reason_;
  }

 private:
  std::atomic<bool> tripped_{false};
  mutable std::mutex mutex_;
  std::string reason_;
};

/// Applies RiskLimits to each OrderIntent. The order-rate window is counted only for
/// orders the gate admitted and the caller then sent (record_sent).
class RiskGate {
 public:
  /// A gate for `instrument` with `limits`; `kill_switch` (optional, must outlive the
  /// gate) stops everything when tripped.
  RiskGate(Instrument instrument, RiskLimits limits, const KillSwitch* kill_switch = nullptr)
      : instrument_(std::move(instrument)), limits_(limits), kill_switch_(kill_switch) {}

  /// Checks `order` at time `now`. Errors (ErrorCode::rejected, message naming the rule):
  /// kill switch tripped; instrument rules (tick, step, min/max quantity, min notional:
  /// ErrorCode::invalid_argument from Instrument::validate); notional above the limit;
  /// price outside the band around the mid (or no mid known while a band is set);
  /// position after fill above the limit; too many open orders; order rate exceeded.
  [[nodiscard]] Result<void> check(const OrderIntent& order, const RiskContext& context, SteadyTime now);

  /// Counts an order sent at `now` against the order-rate window.
  void record_sent(SteadyTime now);

  /// The limits in force.
  [[nodiscard]] const RiskLimits& limits() const noexcept { return limits_; }

 private:
  static Error refuse(std::string message) { return make_error(ErrorCode::rejected, std::move(message)); }
  void expire(SteadyTime now);

  Instrument instrument_;
  RiskLimits limits_;
  const KillSwitch* kill_switch_;
  std::deque<SteadyTime> sent_;  // send times inside the order-rate window
};

inline void RiskGate::expire(SteadyTime now) {
  while (!sent_.empty() && now - sent_.front() >= limits_.order_rate_window) sent_.pop_front();
}

inline void RiskGate::record_sent(SteadyTime now) {
  if (limits_.max_orders_per_window == 0) return;
  expire(now);
  sent_.push_back(now);
}

inline Result<void> RiskGate::check(const OrderIntent& order, const RiskContext& context, SteadyTime now) {
  const std::string& symbol = instrument_.venue_symbol;
  if (kill_switch_ != nullptr && kill_switch_->tripped()) {
    return refuse(fmt::format("{}: kill switch tripped ({})", symbol, kill_switch_->reason()));
  }
  if (Result<void> rules = instrument_.validate({order.side, order.quantity, order.price, context.mid}); !rules) {
    return rules;
  }
  const std::optional<Decimal> valuation = order.price ? order.price : context.mid;
  if (limits_.max_order_notional.is_positive() && valuation) {
    const Result<Decimal> notional = instrument_.notional(order.quantity, *valuation);
    if (!notional || *notional > limits_.max_order_notional) {
      return refuse(fmt::format("{}: order notional {} exceeds the limit {}", symbol,
                                notional ? notional->to_string() : std::string("(overflow)"), limits_.max_order_notional));
    }
  }
  if (limits_.price_band_fraction.is_positive() && order.price) {
    if (!context.mid) return refuse(fmt::format("{}: no mid price known to check the price band", symbol));
    const Decimal distance = (*order.price - *context.mid).abs();
    const Result<Decimal> band = context.mid->checked_mul(limits_.price_band_fraction, Rounding::toward_zero);
    if (!band || distance > *band) {
      return refuse(fmt::format("{}: price {} is outside the band of {} around the mid {}", symbol, *order.price,
                                limits_.price_band_fraction, *context.mid));
    }
  }
  if (limits_.max_position.is_positive()) {
    // Worst case: this order and every open order on the same side fill.
    const Decimal same_side_open = order.side == Side::buy ? context.open_buy_quantity : context.open_sell_quantity;
    const Decimal change = order.quantity + same_side_open;
    const Decimal worst = order.side == Side::buy ? context.position + change : context.position - change;
    if (worst.abs() > limits_.max_position) {
      return refuse(fmt::format("{}: position could reach {}, above the limit {}", symbol, worst, limits_.max_position));
    }
  }
  if (limits_.max_open_orders != 0 && context.open_orders >= limits_.max_open_orders) {
    return refuse(fmt::format("{}: {} open orders, the limit is {}", symbol, context.open_orders, limits_.max_open_orders));
  }
  if (limits_.max_orders_per_window != 0) {
    expire(now);
    if (sent_.size() >= limits_.max_orders_per_window) {
      return refuse(fmt::format("{}: order rate limit of {} per {} ms reached", symbol, limits_.max_orders_per_window,
                                std::chrono::duration_cast<std::chrono::milliseconds>(limits_.order_rate_window).count()));
    }
  }
  return {};
}

}  // namespace cts::engine
