#pragma once
/// \file
/// The market maker's quoting rule as pure functions: a two-sided quote around the
/// mid, skewed against inventory, clipped by position limits, rounded to the
/// instrument's tick and step (compute_quote), then clamped against the book so that
/// neither side would take liquidity (keep_passive).

#include <optional>
#include <string>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"
#include "cts/core/error.hpp"
#include "cts/core/instrument.hpp"
#include "cts/core/result.hpp"

namespace cts::engine {

/// Parameters of the quoting rule.
struct QuotingParams {
  Decimal half_spread_fraction;  ///< Distance of each quote from the mid, as a fraction of the mid (0.001 = 10 bps).
  Decimal order_quantity;        ///< Quantity of each quote before rounding to step.
  Decimal max_position;          ///< |position| beyond which the side that grows it is not quoted.
  Decimal skew_fraction_per_unit;  ///< Shift of both quotes, as a fraction of the mid, per unit of position
                                   ///< (long inventory moves the quotes down to sell it).
};

/// One side of a quote.
struct QuoteLevel {
  Decimal price;     ///< Limit price, a multiple of the tick.
  Decimal quantity;  ///< Quantity, a multiple of the step.
};

/// The desired quotes; a side is absent when the position limit forbids it.
struct Quote {
  std::optional<QuoteLevel> bid;  ///< Buy quote.
  std::optional<QuoteLevel> ask;  ///< Sell quote.
};

/// Checks that `params.order_quantity` makes an order on `instrument` at all: rounded
/// down to its step, it must be positive and at least its minimum quantity (a quote
/// that rounds to nothing would never be sent, and the engine would trade nothing while
/// reporting healthy). Errors: invalid_argument naming the quantity, the step and the
/// minimum, and the contract size where the instrument counts in contracts.
inline Result<void> check_quote_quantity(const Instrument& instrument, const QuotingParams& params) {
  const Result<Decimal> rounded = instrument.round_quantity(params.order_quantity, Rounding::toward_zero);
  if (!rounded) return rounded.error();
  if (rounded->is_positive() && !(instrument.min_quantity.is_positive() && *rounded < instrument.min_quantity)) {
    return {};
  }
  const Decimal one = Decimal::from_int(1);
  const std::string unit = instrument.multiplier == one
                               ? instrument.base
                               : fmt::format("contracts of {} {}", instrument.multiplier, instrument.base);
  return make_error(ErrorCode::invalid_argument,
                    fmt::format("quote.quantity {} makes no order on {}: its step is {} and its minimum {} ({})",
                                params.order_quantity, instrument.venue_symbol, instrument.step_size,
                                instrument.min_quantity, unit));
}

/// Computes the quote for `mid` and signed `position`. The reservation price is
/// mid·(1 − skew·position); the bid is rounded down and the ask up to the tick, and the
/// ask is kept at least one tick above the bid. A side is dropped when its fill would
/// take |position| beyond max_position, and its quantity is trimmed so it cannot.
/// Errors: invalid_argument when the mid is not positive or the instrument has no
/// tick/step; out_of_range on overflow.
inline Result<Quote> compute_quote(const Instrument& instrument, const QuotingParams& params, Decimal mid,
                                   Decimal position) {
  if (!mid.is_positive()) return make_error(ErrorCode::invalid_argument, "mid price must be positive");
  const Result<Decimal> skew_shift = position.checked_mul(params.skew_fraction_per_unit, Rounding::half_even);
  if (!skew_shift) return skew_shift.error();
  const Result<Decimal> reservation = mid.checked_mul(Decimal::from_int(1) - *skew_shift, Rounding::half_even);
  if (!reservation) return reservation.error();
  const Result<Decimal> half_spread = mid.checked_mul(params.half_spread_fraction, Rounding::half_even);
  if (!half_spread) return half_spread.error();

  Result<Decimal> bid_price = instrument.round_price(*reservation - *half_spread, Rounding::floor);
  if (!bid_price) return bid_price.error();
  Result<Decimal> ask_price = instrument.round_price(*reservation + *half_spread, Rounding::ceiling);
  if (!ask_price) return ask_price.error();
  if (*ask_price <= *bid_price) *ask_price = *bid_price + instrument.tick_size;

  Quote quote;
  const auto side_quantity = [&](Decimal room) -> std::optional<Decimal> {
    Decimal wanted = params.order_quantity < room ? params.order_quantity : room;
    const Result<Decimal> rounded = instrument.round_quantity(wanted, Rounding::toward_zero);
    if (!rounded || !rounded->is_positive()) return std::nullopt;
    if (instrument.min_quantity.is_positive() && *rounded < instrument.min_quantity) return std::nullopt;
    return *rounded;
  };
  if (bid_price->is_positive()) {
    if (auto qty = side_quantity(params.max_position - position)) quote.bid = QuoteLevel{*bid_price, *qty};
  }
  if (auto qty = side_quantity(params.max_position + position)) quote.ask = QuoteLevel{*ask_price, *qty};
  return quote;
}

/// Clamps `quote` so that neither side would trade against the book whose best bid is
/// `best_bid` and best ask `best_ask`: the bid is lowered to the highest tick-grid price
/// strictly below the best ask, the ask raised to the lowest tick-grid price strictly
/// above the best bid; a side already passive is unchanged (clamping only moves a bid
/// down and an ask up, so the bid stays below the ask). A bid that would fall to zero
/// or below is dropped. A book that is empty on a side, or locked or crossed (best bid
/// ≥ best ask), gives no reference to stay passive against: both sides are dropped.
/// Errors: invalid_argument when the instrument has no tick (nothing is changed).
inline Result<void> keep_passive(Quote& quote, const Instrument& instrument, Decimal best_bid, Decimal best_ask) {
  if (!instrument.tick_size.is_positive())
    return make_error(ErrorCode::invalid_argument, "the instrument has no tick size");
  if (!best_bid.is_positive() || !best_ask.is_positive() || best_bid >= best_ask) {
    quote.bid.reset();
    quote.ask.reset();
    return {};
  }
  if (quote.bid && quote.bid->price >= best_ask) {
    Result<Decimal> below = instrument.round_price(best_ask, Rounding::floor);
    if (!below) return below.error();
    if (*below >= best_ask) *below -= instrument.tick_size;
    if (below->is_positive()) {
      quote.bid->price = *below;
    } else {
      quote.bid.reset();
    }
  }
  if (quote.ask && quote.ask->price <= best_bid) {
    Result<Decimal> above = instrument.round_price(best_bid, Rounding::ceiling);
    if (!above) return above.error();
    if (*above <= best_bid) *above += instrument.tick_size;
    quote.ask->price = *above;
  }
  return {};
}

}  // namespace cts::engine
