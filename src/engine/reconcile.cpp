// OrderExecutor::reconcile: the venue as the source of truth at start-up and after a
// reconnect. The venue's open orders and recent executions become an order::MassStatus,
// order::plan_reconciliation says what changes, and every change is journaled before
// the account applies it.
#include <algorithm>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "cts/engine/executor.hpp"
#include "cts/order/reconcile.hpp"
#include "order_mapping.hpp"

namespace cts::engine {

namespace {

using order::OrderEventKind;
using order::OrderStatus;

/// The venue's word for an order's state in the state machine's vocabulary. A cancel
/// in progress at the venue is still a working order.
OrderStatus to_order_status(venue::OrderStatus status) {
  switch (status) {
    case venue::OrderStatus::pending_new:
    case venue::OrderStatus::new_:
    case venue::OrderStatus::pending_cancel: return OrderStatus::accepted;
    case venue::OrderStatus::partially_filled: return OrderStatus::partially_filled;
    case venue::OrderStatus::filled: return OrderStatus::filled;
    case venue::OrderStatus::canceled: return OrderStatus::canceled;
    case venue::OrderStatus::rejected: return OrderStatus::rejected;
    case venue::OrderStatus::expired:
    case venue::OrderStatus::expired_in_match: return OrderStatus::expired;
  }
  return OrderStatus::accepted;
}

Result<order::OrderReport> to_order_report(const venue::OrderReport& order, const std::string& unified_symbol,
                                           SystemTime fallback) {
  order::OrderReport out;
  Result<ClientOrderId> client_id = ClientOrderId::from(order.client_order_id);
  if (!client_id) return client_id.error();
  Result<order::VenueOrderId> venue_id = order::VenueOrderId::from(order.order_id);
  if (!venue_id) return venue_id.error();
  out.client_id = *client_id;
  out.venue_order_id = *venue_id;
  out.symbol = unified_symbol;
  out.side = order.side;
  out.type = order.type;
  out.tif = order.time_in_force;
  out.quantity = order.quantity;
  if (order.price.is_positive()) out.price = order.price;
  if (order.trigger_price.is_positive()) out.trigger_price = order.trigger_price;
  out.status = to_order_status(order.status);
  out.filled = order.executed_quantity;
  out.avg_px = order.average_price;
  if (out.avg_px.is_zero() && order.executed_quantity.is_positive()) {
    Result<Decimal> average = order.cumulative_quote.checked_div(order.executed_quantity, Rounding::half_even);
    if (average) out.avg_px = *average;
  }
  out.ts = detail::venue_time(order.time_ms, fallback);
  return out;
}

Result<order::FillReport> to_fill_report(const venue::AccountTrade& trade, SystemTime fallback) {
  Result<order::Fill> fill =
      detail::to_fill(trade.id, trade.quantity, trade.price, trade.commission, trade.commission_asset);
  if (!fill) return fill.error();
  Result<order::VenueOrderId> venue_id = order::VenueOrderId::from(trade.order_id);
  if (!venue_id) return venue_id.error();
  order::FillReport out;
  out.venue_order_id = *venue_id;
  out.fill = *fill;
  out.ts = detail::venue_time(trade.time_ms, fallback);
  return out;
}

/// The venue's signed position of `symbol`: its legs summed.
Result<Decimal> read_position(venue::Gateway& gateway, const std::string& symbol) {
  Result<std::vector<venue::Position>> positions = gateway.positions(symbol);
  if (!positions) return positions.error();
  Decimal at_venue;
  for (const venue::Position& position : *positions) {
    if (position.symbol == symbol) at_venue += position.quantity;
  }
  return at_venue;
}

}  // namespace

bool OrderExecutor::is_ours(std::string_view client_id) const {
  return is_generated_client_order_id(client_id, gateway_.venue(), options_.client_id_prefix, wall_now());
}

void OrderExecutor::handle_foreign(const venue::OrderReport& order, ReconcileReport& report) {
  report.foreign.push_back(fmt::format("{} (venue id {}, {} {} @ {})",
                                       order.client_order_id.empty() ? "-" : order.client_order_id, order.order_id,
                                       order.side, order.quantity, order.price));
  if (options_.foreign_orders != ForeignOrderPolicy::cancel) return;
  // Not ours, so not journaled: a cancel needs no record to be safe.
  venue::OrderRef ref;
  ref.symbol = instrument_.venue_symbol;
  ref.order_id = order.order_id;
  if (Result<venue::OrderReport> canceled = gateway_.cancel_order(ref); canceled) {
    ++report.foreign_canceled;
  } else {
    report.conflicts.push_back(
        fmt::format("foreign order {} could not be cancelled: {}", order.order_id, canceled.error().to_string()));
  }
}

Result<void> OrderExecutor::close_unreported(const ClientOrderId& id, SteadyTime now, ReconcileReport& report) {
  const order::Order* order = account_.orders().find(id);
  if (order == nullptr || order->is_terminal()) return {};
  const SystemTime wall = wall_now();
  if (order->status() == OrderStatus::submitted) {
    // Sent (or about to be) when the process stopped, and the venue does not know it:
    // it never arrived, once the venue can no longer accept it.
    const Nanos age =
        wall > order->ts_last() ? std::chrono::duration_cast<Nanos>(wall - order->ts_last()) : Nanos::zero();
    if (age >= options_.unknown_grace) {
      ++report.resolved;
      return apply(
          id, detail::event_of(OrderEventKind::rejected, wall, "the venue has no such order after the receive window"));
    }
    const bool tracked =
        std::any_of(unknown_since_.begin(), unknown_since_.end(), [&](const auto& entry) { return entry.first == id; });
    if (!order->outcome_unknown()) {
      Result<void> marked =
          apply(id, detail::event_of(OrderEventKind::outcome_unknown, wall, "not known to the venue yet"));
      if (!marked) return marked;
      ++stats_.unknown_outcomes;
    }
    if (!tracked) unknown_since_.emplace_back(id, now - age);  // sync() concludes it after the grace
    return {};
  }
  // Accepted once, now neither open at the venue nor known to it: it cannot work.
  report.conflicts.push_back(
      fmt::format("order {} ({}) is no longer known to the venue; closed as cancelled", id, order->status()));
  ++report.resolved;
  return apply(id, detail::event_of(OrderEventKind::canceled, wall, "the venue no longer knows this order"));
}

Result<ReconcileReport> OrderExecutor::reconcile(SteadyTime now) {
  Result<ReconcileReport> first = reconcile_pass(now);
  if (!first || !first->position_conflict) return first;
  // The two position reads agree and the book does not: fills that cancel out may have
  // landed between them (a sell before the executions read, a buy after it). One more
  // pass reads them all again; its finding is the answer.
  Result<ReconcileReport> second = reconcile_pass(now);
  if (!second) return second.error();
  ReconcileReport& out = *second;
  first->conflicts.pop_back();  // the position's, which the second pass decides
  std::vector<std::string> conflicts;
  for (std::string& conflict : first->conflicts) {
    if (std::find(out.conflicts.begin(), out.conflicts.end(), conflict) == out.conflicts.end()) {
      conflicts.push_back(std::move(conflict));
    }
  }
  out.conflicts.insert(out.conflicts.begin(), conflicts.begin(), conflicts.end());  // the position's stays last
  for (std::string& foreign : first->foreign) {
    if (std::find(out.foreign.begin(), out.foreign.end(), foreign) == out.foreign.end()) {
      out.foreign.push_back(std::move(foreign));
    }
  }
  out.adopted += first->adopted;
  out.resolved += first->resolved;
  out.fills_applied += first->fills_applied;
  out.foreign_canceled += first->foreign_canceled;
  stats_.foreign_open_orders = out.foreign.size();
  return out;
}

Result<ReconcileReport> OrderExecutor::reconcile_pass(SteadyTime now) {
  const std::string& symbol = instrument_.venue_symbol;
  // Derivatives: the position before the executions are read, so that step 7 can tell
  // a fill that lands while this reconciliation reads (the position moves) from a
  // difference the executions cannot explain. Read first, so that the open orders and
  // the executions are read back to back.
  const bool has_positions = gateway_.capabilities().has_positions();
  std::optional<Decimal> position_before;
  if (has_positions) {
    Result<Decimal> before = read_position(gateway_, symbol);
    if (!before) return before.error();
    position_before = *before;
  }
  Result<std::vector<venue::OrderReport>> venue_open = gateway_.open_orders(symbol);
  if (!venue_open) return venue_open.error();
  Result<std::vector<venue::AccountTrade>> trades = gateway_.recent_trades(symbol, options_.recent_trades);
  if (!trades) return trades.error();

  ReconcileReport report;
  std::optional<Error> first_error;
  auto note = [&](const Error& error) {
    if (!first_error) first_error = error;
  };
  const SystemTime wall = wall_now();
  auto known = [&](const ClientOrderId* client_id, std::string_view venue_order_id) -> const order::Order* {
    if (client_id != nullptr) {
      if (const order::Order* order = account_.orders().find(*client_id)) return order;
    }
    return account_.orders().find_by_venue_id(venue_order_id);
  };

  // 1. The venue's open orders: ours (journaled, or recognised by the id scheme) or foreign.
  order::MassStatus status;
  status.open_orders_complete = true;
  std::unordered_set<std::string> ours;  // venue ids of the orders in status.orders
  std::vector<std::string> open_ours;    // of those, the ones the venue lists open
  for (const venue::OrderReport& listed : *venue_open) {
    if (listed.symbol != symbol) continue;
    ++report.venue_open_orders;
    Result<ClientOrderId> client_id = ClientOrderId::from(listed.client_order_id);
    const order::Order* local = known(client_id ? &*client_id : nullptr, listed.order_id);
    if (local == nullptr && !is_ours(listed.client_order_id)) {
      handle_foreign(listed, report);
      continue;
    }
    if (local == nullptr) ++report.adopted;
    Result<order::OrderReport> converted = to_order_report(listed, unified_symbol_, wall);
    if (!converted) {
      note(converted.error());
      continue;
    }
    status.orders.push_back(std::move(*converted));
    ours.insert(listed.order_id);
    open_ours.push_back(listed.order_id);
  }

  // 2. Orders the account has open that the venue does not list (the planner names
  //    them): their final state, by client id. No request is in flight while the
  //    session thread reconciles, so every one of them is asked about.
  order::ReconcileOptions options;
  options.now = SystemTime::max();
  options.recent = Nanos::zero();
  std::vector<ClientOrderId> queried;
  std::vector<ClientOrderId> absent;
  for (const ClientOrderId& id : order::plan_reconciliation(account_, status, options).to_query) {
    const order::Order* local = account_.orders().find(id);
    if (local == nullptr || local->symbol() != unified_symbol_) continue;
    venue::OrderRef ref;
    ref.symbol = symbol;
    ref.client_order_id = id.str();
    Result<venue::OrderReport> state = gateway_.query_order(ref);
    if (!state) {
      if (state.error().code == ErrorCode::order_not_found) {
        absent.push_back(id);
      } else {
        note(state.error());
      }
      continue;
    }
    Result<order::OrderReport> converted = to_order_report(*state, unified_symbol_, wall);
    if (!converted) {
      note(converted.error());
      continue;
    }
    status.orders.push_back(std::move(*converted));
    ours.insert(state->order_id);
    queried.push_back(id);
  }

  // 3. Executions of our orders, by trade id. An order whose executed quantity the
  //    recent list does not cover gets its own trades (never a synthetic fill, which a
  //    later report of the real trade would count again).
  for (const venue::AccountTrade& trade : *trades) {
    if (!trade.symbol.empty() && trade.symbol != symbol) continue;
    if (!ours.contains(trade.order_id) && known(nullptr, trade.order_id) == nullptr) {
      ++report.untracked_fills;
      continue;
    }
    Result<order::FillReport> fill = to_fill_report(trade, wall);
    if (!fill) {
      note(fill.error());
      continue;
    }
    status.fills.push_back(std::move(*fill));
  }
  for (order::OrderReport& reported : status.orders) {
    const std::string venue_order_id(reported.venue_order_id.str());
    const order::Order* local = known(&reported.client_id, venue_order_id);
    auto covered = [&] {
      Decimal sum = local != nullptr ? local->filled() : Decimal{};
      std::unordered_set<std::string> counted;
      for (const order::FillReport& fill : status.fills) {
        if (fill.venue_order_id != reported.venue_order_id || !counted.insert(fill.fill.trade_id.str()).second)
          continue;
        if (local == nullptr || !local->has_trade(fill.fill.trade_id)) sum += fill.fill.quantity;
      }
      return sum;
    };
    if (reported.filled <= covered()) continue;
    Result<std::vector<venue::AccountTrade>> own = gateway_.order_trades(symbol, venue_order_id);
    if (!own) {
      note(own.error());
      continue;
    }
    for (const venue::AccountTrade& trade : *own) {
      if (trade.order_id != venue_order_id) continue;
      Result<order::FillReport> fill = to_fill_report(trade, wall);
      if (fill) {
        status.fills.push_back(std::move(*fill));
      } else {
        note(fill.error());
      }
    }
    // Trades the venue does not list yet are applied when it does (sync() and the user
    // stream fetch them by order), never as a made-up fill the real one would repeat.
    if (const Decimal listed = covered(); reported.filled > listed) {
      report.conflicts.push_back(fmt::format("order {}: the venue reports {} executed but lists trades for {}",
                                             reported.client_id, reported.filled, listed));
      reported.filled = listed;
    }
  }
  // Nothing changes unless the whole picture could be read.
  if (first_error) return *first_error;

  // 4. The plan, journaled action by action. It stops at the first failure: later
  //    actions may build on it.
  const order::ReconcilePlan plan = order::plan_reconciliation(account_, status, options);
  for (const order::ReconcileConflict& conflict : plan.conflicts) report.conflicts.push_back(conflict.what);
  report.untracked_fills += plan.deferred_fills.size();
  for (const order::ReconcileAction& action : plan.actions) {
    if (action.create) {
      if (Result<void> recorded = recorder_.record_created(*action.create); !recorded) {
        note(recorded.error());
        break;
      }
      if (Result<const order::Order*> created = account_.create(*action.create); !created) {
        note(created.error());
        break;
      }
      continue;
    }
    Result<void> applied = apply(action.client_id, action.event);
    if (detail::is_duplicate(applied)) continue;
    if (!applied) {
      note(applied.error());
      break;
    }
    if (action.event.kind == OrderEventKind::filled) ++report.fills_applied;
  }
  for (const ClientOrderId& id : queried) {
    const order::Order* order = account_.orders().find(id);
    if (order != nullptr && order->is_terminal()) ++report.resolved;
  }

  // 5. What the venue could not tell: orders it does not know, and orders recorded but
  //    never sent (the submitted record precedes every send).
  for (const ClientOrderId& id : absent) {
    if (Result<void> closed = close_unreported(id, now, report); !closed) note(closed.error());
  }
  for (const ClientOrderId& id : open_orders()) {
    const order::Order* order = account_.orders().find(id);
    if (order->status() != OrderStatus::initialized) continue;
    ++report.resolved;
    if (Result<void> rejected = apply(id, detail::event_of(OrderEventKind::rejected, wall, "recorded but never sent"));
        !rejected) {
      note(rejected.error());
    }
  }

  // 6. An order of ours working at the venue that the account holds closed (concluded
  //    rejected too early, say) has no owner: cancel it. One the account holds filled
  //    is not working: the venue's own executions closed it, so its listing predates
  //    them (it filled between the open orders read and the executions read).
  for (const std::string& venue_order_id : open_ours) {
    const order::Order* local = known(nullptr, venue_order_id);
    if (local == nullptr || !local->is_terminal() || local->status() == OrderStatus::filled) continue;
    report.conflicts.push_back(
        fmt::format("order {} is {} here but open at the venue; cancelling it", local->client_id(), local->status()));
    venue::OrderRef ref;
    ref.symbol = symbol;
    ref.order_id = venue_order_id;
    if (Result<venue::OrderReport> canceled = gateway_.cancel_order(ref); !canceled) note(canceled.error());
  }

  // 7. Derivatives: the venue's position is the truth the engine's position book must
  //    match once every fill is applied. Read again now: equal to the read before the
  //    executions, every fill that makes it was in them, and a difference (fills the
  //    journal lost, trades not ours on the account) is reported, never papered over.
  //    Different, a fill landed while this reconciliation read, which the executions
  //    may miss: a difference is no finding; the owner watches it settle.
  if (!first_error && has_positions) {
    if (Result<Decimal> at_venue = read_position(gateway_, symbol); !at_venue) {
      note(at_venue.error());
    } else {
      report.venue_position = *at_venue;
      report.position_moving = *at_venue != *position_before;
      if (*at_venue != position() && !report.position_moving) {
        report.position_conflict = true;
        report.conflicts.push_back(fmt::format("position: the venue holds {} {}, the engine's position book {}",
                                               *at_venue, symbol, position()));
      }
    }
  }

  stats_.orders_adopted += report.adopted;
  stats_.foreign_open_orders = report.foreign.size();
  if (first_error) return *first_error;
  return report;
}

}  // namespace cts::engine
