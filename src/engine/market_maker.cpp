#include "cts/engine/market_maker.hpp"

namespace cts::engine {

Result<void> MarketMaker::maintain(std::optional<ClientOrderId>& slot, Side side,
                                   const std::optional<QuoteLevel>& wanted, SteadyTime now) {
  if (slot) {
    const order::Order* resting = executor_.account().orders().find(*slot);
    if (resting == nullptr || resting->is_terminal()) {
      slot.reset();
    } else {
      bool keep = wanted.has_value() && resting->status() != order::OrderStatus::pending_cancel &&
                  resting->quantity() == wanted->quantity;
      if (keep && resting->price()) {
        const Decimal drift = (*resting->price() - wanted->price).abs();
        const Decimal allowed = wanted->price.mul(tolerance_, Rounding::toward_zero);
        keep = drift <= allowed;
      }
      if (keep) return {};
      Result<void> canceled = executor_.cancel(*slot);
      const order::Order* after = executor_.account().orders().find(*slot);
      if (after == nullptr || after->is_terminal()) slot.reset();
      if (!canceled) return canceled;
      if (slot) return {};  // still being canceled; quote again next step
    }
  }
  if (!wanted || paused_) return {};
  // Post-only where the venue has it; elsewhere GTC, the quote already clamped off the book.
  const TimeInForce time_in_force = gateway_.capabilities().post_only ? TimeInForce::post_only : TimeInForce::gtc;
  Result<ClientOrderId> placed = executor_.submit_limit(side, wanted->quantity, wanted->price, time_in_force, mid_, now);
  if (!placed) return placed.error();
  const order::Order* order = executor_.account().orders().find(*placed);
  if (order != nullptr && !order->is_terminal()) slot = *placed;
  return {};
}

Result<void> MarketMaker::own_open_orders() {
  Result<void> first;
  for (const ClientOrderId& id : executor_.open_orders()) {
    if ((bid_ && *bid_ == id) || (ask_ && *ask_ == id)) continue;
    const order::Order* order = executor_.account().orders().find(id);
    if (order == nullptr || order->outcome_unknown() || order->status() == order::OrderStatus::initialized) continue;
    std::optional<ClientOrderId>& slot = order->side() == Side::buy ? bid_ : ask_;
    const bool quote_like = order->type() == OrderType::limit && order->price().has_value();
    if (!slot && !paused_ && quote_like && order->status() != order::OrderStatus::pending_cancel) {
      slot = id;  // maintain() keeps it or replaces it, like a quote of ours
      continue;
    }
    Result<void> canceled = executor_.cancel(id);
    if (!canceled && first) first = canceled;
  }
  return first;
}

Result<void> MarketMaker::step(SteadyTime now) {
  std::optional<venue::BookTicker> streamed = feed_ != nullptr ? feed_->top(now) : std::nullopt;
  if (feed_ != nullptr && !streamed) ++rest_fallbacks_;
  Result<venue::BookTicker> ticker =
      streamed ? Result<venue::BookTicker>(std::move(*streamed)) : gateway_.book_ticker(executor_.instrument().venue_symbol);
  if (!ticker) return ticker.error();
  if (!ticker->bid_price.is_positive() || !ticker->ask_price.is_positive()) {
    return make_error(ErrorCode::venue_unavailable, "the book has no bid or no ask");
  }
  mid_ = (ticker->bid_price + ticker->ask_price).div(Decimal::from_int(2), Rounding::half_even);
  Result<void> synced;
  if (!last_sync_ || now - *last_sync_ >= sync_interval_) {
    synced = executor_.sync(now);
    last_sync_ = now;
  }
  Result<void> owned = own_open_orders();
  if (paused_) return synced ? owned : synced;
  Result<Quote> quote = compute_quote(executor_.instrument(), params_, *mid_, executor_.position());
  if (!quote) return quote.error();
  // A quote skewed by inventory can land beyond the other side of the book: clamped so
  // that the post-only order rests instead of being refused for taking.
  if (Result<void> passive = keep_passive(*quote, executor_.instrument(), ticker->bid_price, ticker->ask_price);
      !passive) {
    return passive;
  }
  Result<void> bid = maintain(bid_, Side::buy, quote->bid, now);
  Result<void> ask = maintain(ask_, Side::sell, quote->ask, now);
  if (!synced) return synced;
  if (!owned) return owned;
  if (!bid) return bid;
  return ask;
}

}  // namespace cts::engine
