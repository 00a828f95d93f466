// Matching engine: price-time priority, funds locked by open orders, maker/taker fees,
// Binance-style filters. See include/cts/sim/matching_engine.hpp.
#include "cts/sim/matching_engine.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace cts::sim {
namespace {

Error venue_error(ErrorCode code, std::string_view venue_code, std::string message) {
  return make_error(code, std::move(message), std::string(venue_code));
}

Error insufficient_balance(bool linear) {
  if (linear) return venue_error(ErrorCode::insufficient_funds, "110007", "Insufficient available balance");
  return venue_error(ErrorCode::insufficient_funds, "-2010", "Account has insufficient balance for requested action.");
}

// Bybit's error-code page spells it so.
Error reduce_only_refused() {
  return venue_error(ErrorCode::invalid_argument, "110017", "ReduceOnly rule not satisified.");
}

std::string client_key(AccountId account, std::string_view symbol, std::string_view client_order_id) {
  return fmt::format("{}:{}:{}", account, symbol, client_order_id);
}

Decimal times(Decimal a, Decimal b) { return a.mul(b, Rounding::half_even); }

}  // namespace

std::string market_key(InstrumentKind kind, std::string_view venue_symbol) {
  if (kind == InstrumentKind::spot) return std::string(venue_symbol);
  return fmt::format("{}/{}", to_string(kind), venue_symbol);
}

std::string_view to_binance(SimOrderType type) noexcept {
  switch (type) {
    case SimOrderType::limit: return "LIMIT";
    case SimOrderType::market: return "MARKET";
    case SimOrderType::limit_maker: return "LIMIT_MAKER";
  }
  return "INVALID";
}

std::string_view to_binance(TimeInForce tif) noexcept {
  switch (tif) {
    case TimeInForce::ioc: return "IOC";
    case TimeInForce::fok: return "FOK";
    default: return "GTC";
  }
}

std::string_view to_binance(OrderStatus status) noexcept {
  switch (status) {
    case OrderStatus::new_: return "NEW";
    case OrderStatus::partially_filled: return "PARTIALLY_FILLED";
    case OrderStatus::filled: return "FILLED";
    case OrderStatus::canceled: return "CANCELED";
    case OrderStatus::rejected: return "REJECTED";
    case OrderStatus::expired: return "EXPIRED";
    case OrderStatus::expired_in_match: return "EXPIRED_IN_MATCH";
  }
  return "INVALID";
}

std::string_view to_binance(ExecutionKind kind) noexcept {
  switch (kind) {
    case ExecutionKind::new_: return "NEW";
    case ExecutionKind::trade: return "TRADE";
    case ExecutionKind::canceled: return "CANCELED";
    case ExecutionKind::expired: return "EXPIRED";
    case ExecutionKind::trade_prevention: return "TRADE_PREVENTION";
  }
  return "INVALID";
}

MatchingEngine::MatchingEngine(EngineConfig config) : config_(std::move(config)) {}

void MatchingEngine::add_symbol(const Instrument& instrument, SymbolFilters filters) {
  const auto bad = [&](std::string_view why) {
    return Exception(
        make_error(ErrorCode::invalid_argument, fmt::format("symbol {}: {}", instrument.venue_symbol, why)));
  };
  if (!instrument.tick_size.is_positive() || !instrument.step_size.is_positive())
    throw bad("tick and step must be positive");
  if (instrument.kind != InstrumentKind::spot && instrument.kind != InstrumentKind::linear_perpetual)
    throw bad("only spot and linear perpetual markets are simulated");
  const std::string key = market_key(instrument.kind, instrument.venue_symbol);
  if (books_.contains(key)) throw bad("added twice");
  if (!filters.min_price) filters.min_price = instrument.tick_size;
  const auto& pct = filters.percent_price_by_side;
  if (filters.min_price->is_negative() || filters.max_price.is_negative() || filters.max_notional.is_negative() ||
      filters.notional_avg_price_mins < 0 ||
      (pct &&
       (pct->bid_multiplier_up.is_negative() || pct->bid_multiplier_down.is_negative() ||
        pct->ask_multiplier_up.is_negative() || pct->ask_multiplier_down.is_negative() || pct->avg_price_mins < 0))) {
    throw bad("filter values must not be negative");
  }
  const bool linear = instrument.kind == InstrumentKind::linear_perpetual;
  if (linear && (!filters.min_leverage.is_positive() || !filters.leverage_step.is_positive() ||
                 kDefaultLeverage < filters.min_leverage || kDefaultLeverage > filters.max_leverage)) {
    throw bad("the leverage filter must be positive and hold the default leverage");
  }
  Book& book = books_[key];
  book.instrument = instrument;
  book.linear = linear;
  book.filters = filters;
  symbol_order_.push_back(key);
}

const Instrument* MatchingEngine::instrument(std::string_view symbol) const {
  const auto it = books_.find(std::string(symbol));
  return it == books_.end() ? nullptr : &it->second.instrument;
}

const SymbolFilters* MatchingEngine::filters(std::string_view symbol) const {
  const auto it = books_.find(std::string(symbol));
  return it == books_.end() ? nullptr : &it->second.filters;
}

std::vector<const Instrument*> MatchingEngine::instruments() const {
  std::vector<const Instrument*> out;
  for (const auto& s : symbol_order_) out.push_back(&books_.at(s).instrument);
  return out;
}

AccountId MatchingEngine::create_account() {
  accounts_.emplace_back();
  return static_cast<AccountId>(accounts_.size() - 1);
}

Balance& MatchingEngine::asset(AccountId account, std::string_view name) {
  auto& assets = accounts_.at(account).assets;
  auto it = assets.find(name);
  if (it == assets.end()) it = assets.emplace(std::string(name), Balance{}).first;
  return it->second;
}

void MatchingEngine::deposit(AccountId account, std::string_view asset_name, Decimal amount) {
  if (amount.is_negative()) throw Exception(make_error(ErrorCode::invalid_argument, "deposit must not be negative"));
  asset(account, asset_name).free += amount;
}

Balance MatchingEngine::balance(AccountId account, std::string_view asset_name) const {
  const auto& assets = accounts_.at(account).assets;
  const auto it = assets.find(asset_name);
  return it == assets.end() ? Balance{} : it->second;
}

std::map<std::string, Balance, std::less<>> MatchingEngine::balances(AccountId account) const {
  return accounts_.at(account).assets;
}

Decimal MatchingEngine::fees_collected(std::string_view asset_name) const {
  const auto it = fees_.find(asset_name);
  return it == fees_.end() ? Decimal{} : it->second;
}

Decimal MatchingEngine::total_supply(std::string_view asset_name) const {
  Decimal total = fees_collected(asset_name);
  for (const auto& account : accounts_) {
    const auto it = account.assets.find(asset_name);
    if (it != account.assets.end()) total += it->second.free + it->second.locked;
  }
  return total;
}

Decimal MatchingEngine::fee(Decimal amount, Decimal rate) const {
  return amount.mul(rate, Rounding::half_even).round(config_.fee_decimals, Rounding::ceiling);
}

// The quantity-weighted average trade price over the last `minutes` (0: the last trade
// price); nothing before the first trade. Drops trades older than the widest window.
std::optional<Decimal> MatchingEngine::average_price(Book& book, int minutes, std::int64_t now_ms) {
  if (minutes == 0 || !book.last_price) return book.last_price;
  const int widest =
      std::max(book.filters.notional_avg_price_mins,
               book.filters.percent_price_by_side ? book.filters.percent_price_by_side->avg_price_mins : 0);
  const auto start = [&](int mins) { return now_ms - std::int64_t{mins} * 60'000; };
  while (!book.window.empty() && book.window.front().time_ms <= start(widest)) {
    book.window_quantity -= book.window.front().quantity;
    book.window_quote -= book.window.front().quote;
    book.window.pop_front();
  }
  Decimal quantity = book.window_quantity, quote = book.window_quote;
  if (minutes != widest) {
    quantity = quote = Decimal{};
    for (auto it = book.window.rbegin(); it != book.window.rend() && it->time_ms > start(minutes); ++it) {
      quantity += it->quantity;
      quote += it->quote;
    }
  }
  // No trade inside the window: the last price stands in (a quiet market keeps its level).
  if (!quantity.is_positive()) return book.last_price;
  return quote.checked_div(quantity, Rounding::half_even).value_or(*book.last_price);
}

Result<void> MatchingEngine::check_filters(Book& book, const OrderRequest& r, std::int64_t now_ms) {
  const Instrument& in = book.instrument;
  const SymbolFilters& f = book.filters;
  const auto filter = [](std::string_view name) {
    return venue_error(ErrorCode::invalid_argument, "-1013", fmt::format("Filter failure: {}", name));
  };
  // true when a ≤ b·factor (an overflowing product is larger than anything).
  const auto at_most = [](Decimal a, Decimal b, Decimal factor) {
    const Result<Decimal> limit = b.checked_mul(factor, Rounding::half_even);
    return !limit || a <= *limit;
  };
  const auto at_least = [](Decimal a, Decimal b, Decimal factor) {
    const Result<Decimal> limit = b.checked_mul(factor, Rounding::half_even);
    return limit && a >= *limit;
  };
  if (r.type != SimOrderType::market) {
    if (!r.price) return venue_error(ErrorCode::invalid_argument, "-1102", "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
    const Decimal price = *r.price;
    if (!price.is_positive() || price < *f.min_price || (f.max_price.is_positive() && price > f.max_price) ||
        !price.is_multiple_of(in.tick_size)) {
      return filter("PRICE_FILTER");
    }
    if (f.percent_price_by_side) {
      const PercentPriceBySide& pct = *f.percent_price_by_side;
      if (const std::optional<Decimal> average = average_price(book, pct.avg_price_mins, now_ms)) {
        const bool buy = r.side == Side::buy;
        const Decimal up = buy ? pct.bid_multiplier_up : pct.ask_multiplier_up;
        const Decimal down = buy ? pct.bid_multiplier_down : pct.ask_multiplier_down;
        if (!at_most(price, *average, up) || !at_least(price, *average, down)) return filter("PERCENT_PRICE_BY_SIDE");
      }
    }
  }
  const auto check_notional = [&](Decimal notional, bool apply_min, bool apply_max) -> Result<void> {
    if (apply_min && notional < in.min_notional) return filter("NOTIONAL");
    if (apply_max && f.max_notional.is_positive() && notional > f.max_notional) return filter("NOTIONAL");
    return {};
  };
  const bool market = r.type == SimOrderType::market;
  const bool by_quote = market && r.quote_quantity.has_value();
  if (by_quote) {
    if (!r.quote_quantity->is_positive()) return venue_error(ErrorCode::invalid_argument, "-1102", "Mandatory parameter 'quoteOrderQty' was not sent, was empty/null, or malformed.");
    return check_notional(*r.quote_quantity, f.apply_min_to_market, f.apply_max_to_market);
  }
  if (!r.quantity.is_positive()) return venue_error(ErrorCode::invalid_argument, "-1102", "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.");
  if (!r.quantity.is_multiple_of(in.step_size) || r.quantity < in.min_quantity ||
      (in.max_quantity.is_positive() && r.quantity > in.max_quantity)) {
    return filter("LOT_SIZE");
  }
  std::optional<Decimal> value_price = r.price;
  if (market) {
    value_price = average_price(book, f.notional_avg_price_mins, now_ms);
    // Before the first trade there is no average: the best opposite price values it.
    if (!value_price && r.side == Side::buy && !book.asks.empty()) value_price = book.asks.begin()->first;
    if (!value_price && r.side == Side::sell && !book.bids.empty()) value_price = book.bids.begin()->first;
  }
  if (value_price) {
    // price·quantity·multiplier (a contract holds `multiplier` base units).
    const Result<Decimal> value = r.quantity.checked_mul(*value_price, Rounding::half_even);
    if (!value) return filter("NOTIONAL");
    const Result<Decimal> notional = value->checked_mul(in.multiplier, Rounding::half_even);
    if (!notional) return filter("NOTIONAL");
    return check_notional(*notional, !market || f.apply_min_to_market, !market || f.apply_max_to_market);
  }
  return {};
}

// Quantity that could execute now against other accounts' orders at acceptable prices.
Decimal MatchingEngine::fillable(const Book& book, const OrderRequest& r) const {
  Decimal total;
  const auto walk = [&](const auto& levels, auto acceptable) {
    for (const auto& [price, ids] : levels) {
      if (!acceptable(price)) break;
      for (OrderId id : ids) {
        const Order& o = orders_.at(id);
        if (o.account != r.account) total += o.quantity - o.executed;
      }
    }
  };
  if (r.side == Side::buy) {
    walk(book.asks, [&](Decimal p) { return r.type == SimOrderType::market || p <= *r.price; });
  } else {
    walk(book.bids, [&](Decimal p) { return r.type == SimOrderType::market || p >= *r.price; });
  }
  return total;
}

// Funds to lock: quote for buys, base for sells.
Result<Decimal> MatchingEngine::funds_needed(const Book& book, const OrderRequest& r) const {
  if (r.side == Side::sell) {
    if (r.type != SimOrderType::market || !r.quote_quantity) return r.quantity;
    // Sell for a quote amount: the base the walk would need.
    Decimal remaining_quote = *r.quote_quantity, base;
    for (const auto& [price, ids] : book.bids) {
      for (OrderId id : ids) {
        const Order& o = orders_.at(id);
        if (o.account == r.account) continue;
        const Decimal affordable = remaining_quote.div(price, Rounding::floor).checked_round_to(book.instrument.step_size, Rounding::floor).value();
        const Decimal q = std::min(o.quantity - o.executed, affordable);
        if (!q.is_positive()) return base;
        base += q;
        remaining_quote -= times(q, price);
      }
    }
    return base;
  }
  if (r.type != SimOrderType::market) return r.quantity.checked_mul(*r.price, Rounding::half_even);
  if (r.quote_quantity) return *r.quote_quantity;
  // Market buy by quantity: the cost of walking the book.
  Decimal remaining = r.quantity, cost;
  for (const auto& [price, ids] : book.asks) {
    for (OrderId id : ids) {
      const Order& o = orders_.at(id);
      if (o.account == r.account || !remaining.is_positive()) continue;
      const Decimal q = std::min(o.quantity - o.executed, remaining);
      cost += times(q, price);
      remaining -= q;
    }
  }
  return cost;
}

Result<PlaceOutcome> MatchingEngine::place(const OrderRequest& r, std::int64_t now_ms) {
  const auto book_it = books_.find(r.symbol);
  if (book_it == books_.end()) return venue_error(ErrorCode::invalid_argument, "-1121", "Invalid symbol.");
  if (r.account >= accounts_.size()) return venue_error(ErrorCode::auth_failed, "-2015", "Invalid API-key, IP, or permissions for action.");
  Book& book = book_it->second;
  if (r.reduce_only && !book.linear) {
    return venue_error(ErrorCode::invalid_argument, "-1106", "Parameter 'reduceOnly' sent when not required.");
  }
  if (book.linear && r.type == SimOrderType::market && r.quote_quantity) {
    return venue_error(ErrorCode::invalid_argument, "10001", "Linear orders are sized in the base coin.");
  }
  if (auto ok = check_filters(book, r, now_ms); !ok) return ok.error();
  if (!r.client_order_id.empty() && open_by_client_id_.contains(client_key(r.account, r.symbol, r.client_order_id))) {
    return venue_error(ErrorCode::duplicate_client_order_id, "-2010", "Duplicate order sent.");
  }
  if (r.type == SimOrderType::limit_maker) {
    const bool crosses = r.side == Side::buy ? (!book.asks.empty() && book.asks.begin()->first <= *r.price)
                                             : (!book.bids.empty() && book.bids.begin()->first >= *r.price);
    if (crosses) return venue_error(ErrorCode::rejected, "-2010", "Order would immediately match and take.");
  }
  if (r.reduce_only) {
    const Position* held = positions_.find(r.account, r.symbol);
    const Decimal room = held == nullptr ? Decimal{} : reducible(*held, r.side);
    if (room.is_zero() || r.quantity > room) return reduce_only_refused();
  }
  auto needed = book.linear ? linear_margin(book, r) : funds_needed(book, r);
  if (!needed) return venue_error(ErrorCode::invalid_argument, "-1013", "Filter failure: NOTIONAL");
  const std::string& locked_asset = lock_asset(book, r.side);
  if (available(r.account, locked_asset) < *needed) return insufficient_balance(book.linear);
  Balance& funds = asset(r.account, locked_asset);

  const OrderId id = next_order_id_++;
  Order order;
  order.id = id;
  order.account = r.account;
  order.symbol = r.symbol;
  order.client_order_id = r.client_order_id.empty() ? fmt::format("sim-{}", id) : r.client_order_id;
  order.side = r.side;
  order.type = r.type;
  order.time_in_force = r.type == SimOrderType::market ? TimeInForce::gtc : r.time_in_force;
  order.price = r.type == SimOrderType::market ? Decimal{} : *r.price;
  order.quantity = r.quantity;
  order.quote_quantity = r.quote_quantity.value_or(Decimal{});
  order.reduce_only = r.reduce_only;
  order.time_ms = order.update_ms = now_ms;

  PlaceOutcome outcome;
  const bool fok_short = r.type == SimOrderType::limit && r.time_in_force == TimeInForce::fok && fillable(book, r) < r.quantity;
  if (fok_short) {
    emit(order, std::nullopt, ExecutionKind::new_, now_ms, false);
    order.status = OrderStatus::expired;
    emit(order, std::nullopt, ExecutionKind::expired, now_ms, false);
  } else {
    funds.free -= *needed;
    funds.locked += *needed;
    order.locked = *needed;
    emit(order, std::nullopt, ExecutionKind::new_, now_ms, true);
    const std::size_t first_event = events_.size();
    match(book, order, outcome.fills, now_ms);
    const Decimal remaining = order.quantity - order.executed;
    const bool rests = order.type != SimOrderType::market && order.time_in_force == TimeInForce::gtc && remaining.is_positive();
    if (rests) {
      order.status = order.executed.is_positive() ? OrderStatus::partially_filled : OrderStatus::new_;
      if (order.side == Side::buy) {
        book.bids[order.price].push_back(id);
      } else {
        book.asks[order.price].push_back(id);
      }
      open_by_client_id_[client_key(order.account, order.symbol, order.client_order_id)] = id;
      ++book.update_id;
      touch(book, order.side, order.price);
    } else {
      if (order.type == SimOrderType::market && order.quote_quantity.is_positive()) order.quantity = order.executed;
      order.status = remaining.is_positive() || !order.executed.is_positive() ? OrderStatus::expired : OrderStatus::filled;
      const bool freed = release(order);
      if (order.status == OrderStatus::expired) {
        emit(order, std::nullopt, ExecutionKind::expired, now_ms, freed);
      } else if (record_events_) {
        // The last fill completed the order: its report says FILLED with the final
        // quantity (a market order by quote amount learns it only now) and carries the
        // balances after any unused lock was returned.
        for (std::size_t i = events_.size(); i > first_event; --i) {
          ExecutionEvent& last = events_[i - 1];
          if (last.order.id != order.id || last.kind != ExecutionKind::trade) continue;
          last.order.status = OrderStatus::filled;
          last.order.quantity = order.quantity;
          last.order.locked = order.locked;
          last.balances = snapshot_balances(order);
          break;
        }
      }
    }
  }
  outcome.order = order;
  if (is_open(order.status) || config_.retain_history) {
    accounts_[order.account].orders.push_back(id);
    orders_.emplace(id, std::move(order));
  }
  return outcome;
}

void MatchingEngine::match(Book& book, Order& taker, std::vector<Fill>& fills, std::int64_t now_ms) {
  const auto run = [&](auto& levels, auto acceptable) {
    while (!levels.empty()) {
      auto level = levels.begin();
      if (!acceptable(level->first)) return;
      auto& queue = level->second;
      while (!queue.empty()) {
        Order& maker = orders_.at(queue.front());
        if (maker.account == taker.account) {  // self-trade prevention: expire the maker
          maker.status = OrderStatus::expired_in_match;
          maker.update_ms = now_ms;
          const bool freed = release(maker);
          open_by_client_id_.erase(client_key(maker.account, maker.symbol, maker.client_order_id));
          ++book.update_id;
          touch(book, maker.side, maker.price);
          emit(maker, std::nullopt, ExecutionKind::trade_prevention, now_ms, freed);
          queue.pop_front();
          continue;
        }
        Decimal quantity = std::min(maker.quantity - maker.executed, taker.quantity - taker.executed);
        if (maker.reduce_only) {
          // What the resting reduce-only order may still fill without growing the position.
          const Position* held = positions_.find(maker.account, maker.symbol);
          const Decimal room = held == nullptr ? Decimal{} : reducible(*held, maker.side);
          if (room.is_zero()) {
            cancel_in_match(book, maker, now_ms);
            queue.pop_front();
            continue;
          }
          quantity = std::min(quantity, room);
        }
        if (taker.type == SimOrderType::market && taker.quote_quantity.is_positive()) {
          const Decimal spendable = taker.quote_quantity - taker.cumulative_quote;
          quantity = std::min(maker.quantity - maker.executed,
                              spendable.div(level->first, Rounding::floor).checked_round_to(book.instrument.step_size, Rounding::floor).value());
        }
        if (!quantity.is_positive()) return;
        settle(book, taker, maker, quantity, fills, now_ms);
        if (maker.executed == maker.quantity) {
          open_by_client_id_.erase(client_key(maker.account, maker.symbol, maker.client_order_id));
          if (!config_.retain_history) {
            orders_.erase(queue.front());
          }
          queue.pop_front();
        }
        const bool by_quote = taker.type == SimOrderType::market && taker.quote_quantity.is_positive();
        if (!by_quote && taker.executed == taker.quantity) break;
      }
      if (queue.empty()) levels.erase(level);
      const bool by_quote = taker.type == SimOrderType::market && taker.quote_quantity.is_positive();
      if (!by_quote && taker.executed == taker.quantity) return;
    }
  };
  if (taker.side == Side::buy) {
    run(book.asks, [&](Decimal p) { return taker.type == SimOrderType::market || p <= taker.price; });
  } else {
    run(book.bids, [&](Decimal p) { return taker.type == SimOrderType::market || p >= taker.price; });
  }
}

void MatchingEngine::settle(Book& book, Order& taker, Order& maker, Decimal quantity, std::vector<Fill>& fills,
                            std::int64_t now_ms) {
  const Instrument& in = book.instrument;
  const Decimal price = maker.price;
  const Decimal quote = times(price, quantity);
  Order& buyer = taker.side == Side::buy ? taker : maker;
  Order& seller = taker.side == Side::buy ? maker : taker;
  const bool buyer_is_maker = &buyer == &maker;
  const std::int64_t trade_id = book.next_trade_id++;
  const auto make_fill = [&](const Order& o, bool is_maker) {
    Fill fill;
    fill.trade_id = trade_id;
    fill.order_id = o.id;
    fill.account = o.account;
    fill.symbol = o.symbol;
    fill.price = price;
    fill.quantity = quantity;
    fill.quote_quantity = quote;
    fill.is_buyer = o.side == Side::buy;
    fill.is_maker = is_maker;
    fill.time_ms = now_ms;
    return fill;
  };
  Fill maker_fill = make_fill(maker, true);
  Fill taker_fill = make_fill(taker, false);

  if (book.linear) {
    move_linear_funds(book, maker, quantity, price, true, maker_fill, now_ms);
    move_linear_funds(book, taker, quantity, price, false, taker_fill, now_ms);
  } else {
    // The buyer's lock is released at its own limit price (or at the trade price for a
    // market buy); the difference from the trade price returns to its free balance.
    const Decimal buyer_release = buyer.type == SimOrderType::market ? quote : times(buyer.price, quantity);
    Balance& buyer_quote = asset(buyer.account, in.quote);
    buyer_quote.locked -= buyer_release;
    buyer_quote.free += buyer_release - quote;
    buyer.locked -= buyer_release;
    Balance& seller_base = asset(seller.account, in.base);
    seller_base.locked -= quantity;
    seller.locked -= quantity;

    const Decimal buyer_fee = fee(quantity, buyer_is_maker ? config_.maker_fee_rate : config_.taker_fee_rate);
    const Decimal seller_fee = fee(quote, buyer_is_maker ? config_.taker_fee_rate : config_.maker_fee_rate);
    asset(buyer.account, in.base).free += quantity - buyer_fee;
    asset(seller.account, in.quote).free += quote - seller_fee;
    fees_[in.base] += buyer_fee;
    fees_[in.quote] += seller_fee;
    for (Fill* fill : {&maker_fill, &taker_fill}) {
      fill->commission = fill->is_buyer ? buyer_fee : seller_fee;
      fill->commission_asset = fill->is_buyer ? in.base : in.quote;
    }
  }

  for (Order* o : {&taker, &maker}) {
    o->executed += quantity;
    o->cumulative_quote += quote;
    o->update_ms = now_ms;
    if (o != &taker || o->type != SimOrderType::market) {
      o->status = o->executed == o->quantity ? OrderStatus::filled : OrderStatus::partially_filled;
    }
  }
  if (maker.status == OrderStatus::filled) release(maker);

  ++book.update_id;
  touch(book, maker.side, price);
  book.trades.push_back(Trade{trade_id, price, quantity, quote, now_ms, buyer_is_maker});
  book.window.push_back(WindowTrade{now_ms, quantity, quote});
  book.window_quantity += quantity;
  book.window_quote += quote;
  book.last_price = price;
  if (record_events_) book.changes.trades.push_back(book.trades.back());
  if (book.trades.size() > config_.recent_trades) book.trades.pop_front();
  if (config_.retain_history) {
    accounts_[maker.account].fills.push_back(maker_fill);
    accounts_[taker.account].fills.push_back(taker_fill);
  }
  emit(maker, maker_fill, ExecutionKind::trade, now_ms, true);
  if (record_events_) {
    Order snapshot = taker;
    snapshot.status = taker.executed == taker.quantity ? OrderStatus::filled : OrderStatus::partially_filled;
    emit(snapshot, taker_fill, ExecutionKind::trade, now_ms, true);
  }
  fills.push_back(std::move(taker_fill));
}

// One side of a linear fill: the order's margin for `quantity` returns to the free
// balance, the position moves, the fee is paid and the realised PnL credited, both in the
// settlement coin.
void MatchingEngine::move_linear_funds(Book& book, Order& order, Decimal quantity, Decimal price, bool is_maker,
                                       Fill& fill, std::int64_t now_ms) {
  const std::string& coin = lock_asset(book, order.side);
  Balance& cash = asset(order.account, coin);
  const Decimal remaining = order.quantity - order.executed;
  const Decimal release = quantity >= remaining
                              ? order.locked
                              : order.locked.mul(quantity, Rounding::half_even).div(remaining, Rounding::floor);
  cash.locked -= release;
  cash.free += release;
  order.locked -= release;

  const Decimal fee_paid = fee(times(times(price, quantity), book.instrument.multiplier),
                               is_maker ? config_.maker_fee_rate : config_.taker_fee_rate);
  Position& held = positions_.at(order.account, order.symbol, now_ms);
  held.multiplier = book.instrument.multiplier;
  if (held.size.is_zero()) held.current_closed_pnl = held.current_fees = Decimal{};
  fill.closed_quantity = std::min(quantity, reducible(held, order.side));
  fill.realised_pnl = apply_fill(held, order.side, quantity, price);
  held.closed_pnl += fill.realised_pnl;
  held.current_closed_pnl += fill.realised_pnl;
  held.fees += fee_paid;
  held.current_fees += fee_paid;
  held.updated_ms = now_ms;
  ++held.seq;
  cash.free += fill.realised_pnl - fee_paid;
  fees_[coin] += fee_paid;
  fill.commission = fee_paid;
  fill.commission_asset = coin;
}

// A resting reduce-only order reached by a taker when nothing is left to reduce: cancelled
// in place (the caller pops it from its level).
void MatchingEngine::cancel_in_match(Book& book, Order& maker, std::int64_t now_ms) {
  maker.status = OrderStatus::canceled;
  maker.update_ms = now_ms;
  const bool freed = release(maker);
  open_by_client_id_.erase(client_key(maker.account, maker.symbol, maker.client_order_id));
  ++book.update_id;
  touch(book, maker.side, maker.price);
  emit(maker, std::nullopt, ExecutionKind::canceled, now_ms, freed);
}

const std::string& MatchingEngine::lock_asset(const Book& book, Side side) const {
  const Instrument& in = book.instrument;
  if (book.linear) return in.settle.empty() ? in.quote : in.settle;
  return side == Side::buy ? in.quote : in.base;
}

Decimal MatchingEngine::available(AccountId account, std::string_view asset_name) const {
  return balance(account, asset_name).free - position_margin(account, asset_name);
}

// Initial margin of a linear order: its value (limit: price·qty; market: the cost of
// walking the other accounts' opposite orders) over the account's leverage; nothing for
// reduce-only.
Result<Decimal> MatchingEngine::linear_margin(const Book& book, const OrderRequest& r) const {
  if (r.reduce_only) return Decimal{};
  Decimal value;
  if (r.type != SimOrderType::market) {
    auto limit_value = r.quantity.checked_mul(*r.price, Rounding::half_even);
    if (!limit_value) return limit_value.error();
    value = *limit_value;
  } else {
    Decimal remaining = r.quantity;
    const auto walk = [&](const auto& levels) {
      for (const auto& [price, ids] : levels) {
        for (OrderId id : ids) {
          const Order& o = orders_.at(id);
          if (o.account == r.account || !remaining.is_positive()) continue;
          const Decimal q = std::min(o.quantity - o.executed, remaining);
          value += times(q, price);
          remaining -= q;
        }
      }
    };
    if (r.side == Side::buy) {
      walk(book.asks);
    } else {
      walk(book.bids);
    }
  }
  return times(value, book.instrument.multiplier).div(positions_.leverage(r.account, r.symbol), Rounding::half_even);
}

const Position* MatchingEngine::position(AccountId account, std::string_view symbol) const {
  return positions_.find(account, symbol);
}

std::vector<std::pair<std::string, Position>> MatchingEngine::positions(AccountId account) const {
  return positions_.of(account);
}

Decimal MatchingEngine::leverage(AccountId account, std::string_view symbol) const {
  return positions_.leverage(account, symbol);
}

Result<void> MatchingEngine::set_leverage(AccountId account, std::string_view symbol, Decimal leverage,
                                          std::int64_t now_ms) {
  const auto it = books_.find(std::string(symbol));
  if (it == books_.end() || !it->second.linear || account >= accounts_.size()) {
    return venue_error(ErrorCode::invalid_argument, "10001", "Request parameter error. Not a linear symbol.");
  }
  const Book& book = it->second;
  const SymbolFilters& f = book.filters;
  if (leverage < f.min_leverage || leverage > f.max_leverage || !leverage.is_multiple_of(f.leverage_step)) {
    return venue_error(ErrorCode::invalid_argument, "10001",
                       fmt::format("Request parameter error. Leverage must lie in [{}, {}] in steps of {}.",
                                   f.min_leverage, f.max_leverage, f.leverage_step));
  }
  if (positions_.leverage(account, symbol) == leverage) {
    return venue_error(ErrorCode::rejected, "110043", "Set leverage not modified");
  }
  if (const Position* held = positions_.find(account, symbol)) {
    Position changed = *held;
    changed.leverage = leverage;
    const Decimal more = changed.initial_margin() - held->initial_margin();
    if (more.is_positive() && more > available(account, lock_asset(book, Side::buy))) {
      return venue_error(ErrorCode::insufficient_funds, "110044", "Insufficient available margin");
    }
  }
  Position& held = positions_.at(account, symbol, now_ms);
  held.multiplier = book.instrument.multiplier;
  held.leverage = leverage;
  held.updated_ms = now_ms;
  ++held.seq;
  return {};
}

Decimal MatchingEngine::position_margin(AccountId account, std::string_view coin) const {
  Decimal total;
  for (const auto& [market, held] : positions_.of(account)) {
    if (lock_asset(books_.at(market), Side::buy) == coin) total += held.initial_margin();
  }
  return total;
}

Decimal MatchingEngine::order_margin(AccountId account, std::string_view coin) const {
  Decimal total;
  for (const Order& o : open_orders(account, {})) {
    const Book& book = books_.at(o.symbol);
    if (book.linear && lock_asset(book, o.side) == coin) total += o.locked;
  }
  return total;
}

std::optional<Decimal> MatchingEngine::mark_price(std::string_view symbol) const {
  const auto it = books_.find(std::string(symbol));
  if (it == books_.end()) return std::nullopt;
  const auto [bid, ask] = top(symbol);
  if (bid && ask) return (bid->price + ask->price).div(Decimal::from_int(2), Rounding::half_even);
  return it->second.last_price;
}

// Returns whatever the order still holds to the owner's free balance; true if it held
// anything.
bool MatchingEngine::release(Order& order) {
  if (order.locked.is_zero()) return false;
  Balance& b = asset(order.account, lock_asset(books_.at(order.symbol), order.side));
  b.locked -= order.locked;
  b.free += order.locked;
  order.locked = Decimal{};
  return true;
}

void MatchingEngine::remove_from_book(Book& book, const Order& order) {
  const auto erase_from = [&](auto& levels) {
    const auto level = levels.find(order.price);
    if (level == levels.end()) return;
    auto& queue = level->second;
    queue.erase(std::remove(queue.begin(), queue.end(), order.id), queue.end());
    if (queue.empty()) levels.erase(level);
  };
  if (order.side == Side::buy) {
    erase_from(book.bids);
  } else {
    erase_from(book.asks);
  }
}

void MatchingEngine::touch(Book& book, Side side, Decimal price) {
  if (record_events_) book.changes.levels.push_back(LevelChange{side, price});
}

std::vector<AssetBalance> MatchingEngine::snapshot_balances(const Order& order) const {
  const Instrument& in = books_.at(order.symbol).instrument;
  return {AssetBalance{in.base, balance(order.account, in.base)}, AssetBalance{in.quote, balance(order.account, in.quote)}};
}

void MatchingEngine::emit(const Order& order, const std::optional<Fill>& fill, ExecutionKind kind, std::int64_t now_ms,
                          bool balances_changed) {
  if (!record_events_) return;
  ExecutionEvent event{order, fill, kind, now_ms, {}};
  if (balances_changed) event.balances = snapshot_balances(order);
  events_.push_back(std::move(event));
}

MarketChanges MatchingEngine::take_market_changes(std::string_view symbol) {
  const auto it = books_.find(std::string(symbol));
  if (it == books_.end()) return {};
  MarketChanges out;
  std::swap(out, it->second.changes);
  return out;
}

Decimal MatchingEngine::level_quantity(std::string_view symbol, Side side, Decimal price) const {
  const auto it = books_.find(std::string(symbol));
  if (it == books_.end()) return {};
  const auto sum = [&](const auto& levels) {
    Decimal total;
    const auto level = levels.find(price);
    if (level == levels.end()) return total;
    for (OrderId id : level->second) {
      const Order& o = orders_.at(id);
      total += o.quantity - o.executed;
    }
    return total;
  };
  return side == Side::buy ? sum(it->second.bids) : sum(it->second.asks);
}

std::vector<ExecutionEvent> MatchingEngine::take_events() {
  std::vector<ExecutionEvent> out;
  out.swap(events_);
  return out;
}

Result<Order> MatchingEngine::cancel(AccountId account, std::string_view symbol, std::optional<OrderId> order_id,
                                     std::string_view client_order_id, std::int64_t now_ms) {
  const Order* found = find_order(account, symbol, order_id, client_order_id);
  if (found == nullptr || !is_open(found->status)) return venue_error(ErrorCode::order_not_found, "-2011", "Unknown order sent.");
  Order& order = orders_.at(found->id);
  Book& book = books_.at(order.symbol);
  remove_from_book(book, order);
  ++book.update_id;
  touch(book, order.side, order.price);
  const bool freed = release(order);
  order.status = OrderStatus::canceled;
  order.update_ms = now_ms;
  open_by_client_id_.erase(client_key(order.account, order.symbol, order.client_order_id));
  emit(order, std::nullopt, ExecutionKind::canceled, now_ms, freed);
  Order out = order;
  if (!config_.retain_history) orders_.erase(out.id);
  return out;
}

Result<Order> MatchingEngine::amend(AccountId account, std::string_view symbol, std::optional<OrderId> order_id,
                                    std::string_view client_order_id, std::optional<Decimal> quantity,
                                    std::optional<Decimal> price, std::int64_t now_ms) {
  const Order* found = find_order(account, symbol, order_id, client_order_id);
  if (found == nullptr || !is_open(found->status)) return venue_error(ErrorCode::order_not_found, "-2011", "Unknown order sent.");
  if (!quantity && !price) return make_error(ErrorCode::invalid_argument, "an amendment needs a new quantity or price");
  Order& order = orders_.at(found->id);
  Book& book = books_.at(order.symbol);
  const Decimal new_quantity = quantity.value_or(order.quantity);
  const Decimal new_price = price.value_or(order.price);
  if (new_quantity <= order.executed) return make_error(ErrorCode::invalid_argument, "the new quantity must exceed the filled quantity");
  const bool crosses = order.side == Side::buy ? (!book.asks.empty() && book.asks.begin()->first <= new_price)
                                               : (!book.bids.empty() && book.bids.begin()->first >= new_price);
  if (crosses) return make_error(ErrorCode::invalid_argument, "the new price would cross the book");
  OrderRequest request;
  request.account = account;
  request.symbol = order.symbol;
  request.side = order.side;
  request.type = SimOrderType::limit;
  request.quantity = new_quantity;
  request.price = new_price;
  if (auto ok = check_filters(book, request, now_ms); !ok) return ok.error();
  request.quantity = new_quantity - order.executed;
  request.reduce_only = order.reduce_only;
  if (order.reduce_only) {
    const Position* held = positions_.find(account, order.symbol);
    if (held == nullptr || request.quantity > reducible(*held, order.side)) return reduce_only_refused();
  }
  auto needed = book.linear ? linear_margin(book, request) : funds_needed(book, request);
  if (!needed) return venue_error(ErrorCode::invalid_argument, "-1013", "Filter failure: NOTIONAL");
  const std::string& locked_asset = lock_asset(book, order.side);
  if (available(account, locked_asset) + order.locked < *needed) return insufficient_balance(book.linear);
  Balance& funds = asset(account, locked_asset);

  remove_from_book(book, order);
  touch(book, order.side, order.price);
  funds.free = funds.free + order.locked - *needed;
  funds.locked = funds.locked - order.locked + *needed;
  order.locked = *needed;
  order.quantity = new_quantity;
  order.price = new_price;
  order.update_ms = now_ms;
  if (order.side == Side::buy) {
    book.bids[order.price].push_back(order.id);
  } else {
    book.asks[order.price].push_back(order.id);
  }
  ++book.update_id;
  touch(book, order.side, order.price);
  return order;
}

std::vector<Order> MatchingEngine::cancel_all(AccountId account, std::string_view symbol, std::int64_t now_ms) {
  std::vector<Order> out;
  for (const Order& o : open_orders(account, symbol)) {
    if (auto c = cancel(account, symbol, o.id, {}, now_ms)) out.push_back(std::move(*c));
  }
  return out;
}

const Order* MatchingEngine::find_order(AccountId account, std::string_view symbol, std::optional<OrderId> order_id,
                                        std::string_view client_order_id) const {
  if (order_id) {
    const auto it = orders_.find(*order_id);
    if (it == orders_.end() || it->second.account != account || it->second.symbol != symbol) return nullptr;
    return &it->second;
  }
  if (const auto open = open_by_client_id_.find(client_key(account, symbol, client_order_id)); open != open_by_client_id_.end()) {
    return &orders_.at(open->second);
  }
  if (account >= accounts_.size()) return nullptr;
  const auto& ids = accounts_[account].orders;
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    const auto found = orders_.find(*it);
    if (found != orders_.end() && found->second.symbol == symbol && found->second.client_order_id == client_order_id) return &found->second;
  }
  return nullptr;
}

std::vector<Order> MatchingEngine::open_orders(AccountId account, std::string_view symbol) const {
  std::vector<Order> out;
  if (account >= accounts_.size()) return out;
  for (OrderId id : accounts_[account].orders) {
    const auto it = orders_.find(id);
    if (it != orders_.end() && is_open(it->second.status) && (symbol.empty() || it->second.symbol == symbol)) out.push_back(it->second);
  }
  return out;
}

std::vector<Order> MatchingEngine::all_orders(AccountId account, std::string_view symbol) const {
  std::vector<Order> out;
  if (account >= accounts_.size()) return out;
  for (OrderId id : accounts_[account].orders) {
    const auto it = orders_.find(id);
    if (it != orders_.end() && it->second.symbol == symbol) out.push_back(it->second);
  }
  return out;
}

std::vector<Fill> MatchingEngine::account_fills(AccountId account, std::string_view symbol) const {
  std::vector<Fill> out;
  if (account >= accounts_.size()) return out;
  for (const Fill& f : accounts_[account].fills) {
    if (f.symbol == symbol) out.push_back(f);
  }
  return out;
}

std::pair<std::vector<Level>, std::vector<Level>> MatchingEngine::depth(std::string_view symbol, std::size_t limit) const {
  std::pair<std::vector<Level>, std::vector<Level>> out;
  const auto it = books_.find(std::string(symbol));
  if (it == books_.end()) return out;
  const auto collect = [&](const auto& levels, std::vector<Level>& into) {
    for (const auto& [price, ids] : levels) {
      if (into.size() >= limit) break;
      Decimal total;
      for (OrderId id : ids) {
        const Order& o = orders_.at(id);
        total += o.quantity - o.executed;
      }
      into.push_back(Level{price, total});
    }
  };
  collect(it->second.bids, out.first);
  collect(it->second.asks, out.second);
  return out;
}

std::pair<std::optional<Level>, std::optional<Level>> MatchingEngine::top(std::string_view symbol) const {
  auto [bids, asks] = depth(symbol, 1);
  std::pair<std::optional<Level>, std::optional<Level>> out;
  if (!bids.empty()) out.first = bids.front();
  if (!asks.empty()) out.second = asks.front();
  return out;
}

std::int64_t MatchingEngine::last_update_id(std::string_view symbol) const {
  const auto it = books_.find(std::string(symbol));
  return it == books_.end() ? 0 : it->second.update_id;
}

std::vector<Trade> MatchingEngine::recent_trades(std::string_view symbol, std::size_t limit) const {
  const auto it = books_.find(std::string(symbol));
  if (it == books_.end()) return {};
  const auto& trades = it->second.trades;
  const std::size_t n = std::min(limit, trades.size());
  return {trades.end() - static_cast<std::ptrdiff_t>(n), trades.end()};
}

}  // namespace cts::sim
