// The seeded background market. See include/cts/sim/market_flow.hpp.
#include "cts/sim/market_flow.hpp"

#include <algorithm>

namespace cts::sim {

MarketFlow::MarketFlow(MatchingEngine& engine, MarketFlowConfig config, std::int64_t now_ms)
    : engine_(engine), config_(std::move(config)), dice_(config_.seed) {
  maker_ = engine_.create_account();
  taker_ = engine_.create_account();
  const Decimal plenty = Decimal::from_int(1'000'000'000'000LL);
  for (const std::string& market : engine_.markets()) {
    const Instrument* in = engine_.instrument(market);
    for (AccountId a : {maker_, taker_}) {
      engine_.deposit(a, in->base, plenty);
      engine_.deposit(a, in->quote, plenty);
      if (!in->settle.empty()) engine_.deposit(a, in->settle, plenty);
    }
    auto start = config_.start_price.find(market);
    if (start == config_.start_price.end()) start = config_.start_price.find(in->venue_symbol);
    mid_[market] = start != config_.start_price.end() ? start->second : in->tick_size * 1'000'000;
  }
  step(now_ms);
}

Decimal MarketFlow::mid(const std::string& symbol) const {
  const auto it = mid_.find(symbol);
  return it == mid_.end() ? Decimal{} : it->second;
}

void MarketFlow::advance_to(std::int64_t now_ms) {
  for (int i = 0; i < 20 && now_ms >= next_step_ms_; ++i) step(std::max(next_step_ms_, now_ms - config_.interval.count() * (19 - i)));
  if (now_ms >= next_step_ms_) next_step_ms_ = now_ms + config_.interval.count();
}

void MarketFlow::step(std::int64_t now_ms) {
  next_step_ms_ = now_ms + config_.interval.count();
  for (const std::string& symbol : engine_.markets()) {
    const Instrument* in = engine_.instrument(symbol);
    Decimal& mid = mid_[symbol];
    const auto move = static_cast<std::int64_t>(dice_.below(5)) - 2;  // -2..+2 ticks
    const Decimal lowest = in->tick_size * (static_cast<std::int64_t>(config_.levels + 1) * config_.spread_ticks + 1);
    mid = std::max(lowest, mid + in->tick_size * move);

    engine_.cancel_all(maker_, symbol, now_ms);
    const Decimal min_quantity = std::max(in->min_quantity, in->step_size);
    Decimal unit = min_quantity;
    while (!in->min_notional.is_zero() && unit.mul(mid, Rounding::half_even) < in->min_notional * 2) unit = unit * 10;
    for (int level = 1; level <= config_.levels; ++level) {
      const Decimal offset = in->tick_size * (static_cast<std::int64_t>(level) * config_.spread_ticks);
      for (Side side : {Side::buy, Side::sell}) {
        OrderRequest q;
        q.account = maker_;
        q.symbol = symbol;
        q.side = side;
        q.type = SimOrderType::limit;
        q.quantity = unit * static_cast<std::int64_t>(1 + dice_.below(10));
        q.price = side == Side::buy ? mid - offset : mid + offset;
        // The background market may be refused (funds, filters): it then just quotes less.
        (void)engine_.place(q, now_ms);
      }
    }
    if (dice_.chance(config_.taker_ppm)) {
      OrderRequest t;
      t.account = taker_;
      t.symbol = symbol;
      t.side = dice_.below(2) == 0 ? Side::buy : Side::sell;
      t.type = SimOrderType::market;
      t.quantity = unit * static_cast<std::int64_t>(1 + dice_.below(5));
      (void)engine_.place(t, now_ms);  // as above: a refused taker order simply does not trade
    }
  }
}

}  // namespace cts::sim
