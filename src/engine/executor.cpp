#include "cts/engine/executor.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "order_mapping.hpp"

namespace cts::engine {

namespace {

using order::OrderEvent;
using order::OrderEventKind;
using order::OrderStatus;

using detail::event_of;
using detail::is_duplicate;
using detail::to_fill;
using detail::venue_time;

}  // namespace

OrderExecutor::OrderExecutor(venue::Gateway& gateway, order::Account& account, RiskGate& risk,
                             ClientOrderIdGenerator& ids, OrderRecorder& recorder, Instrument instrument,
                             ExecutorOptions options)
    : gateway_(gateway),
      account_(account),
      risk_(risk),
      ids_(ids),
      recorder_(recorder),
      instrument_(std::move(instrument)),
      unified_symbol_(instrument_.unified_symbol()),
      options_(std::move(options)),
      breaker_(options_.breaker) {
  if (account_.positions().find_instrument(unified_symbol_) == nullptr) {
    account_.add_instrument(instrument_).value();
  }
}

void OrderExecutor::note_refusal(const Error& error) {
  ++refused_in_a_row_;
  last_refusal_ = error.to_string();
}

Result<void> OrderExecutor::noted(Result<void> recorded) {
  if (!recorded && !journal_error_) journal_error_ = recorded.error();
  return recorded;
}

Result<void> OrderExecutor::apply(const ClientOrderId& id, const OrderEvent& event) {
  if (Result<void> ok = account_.orders().check(id.view(), event); !ok) return ok;
  const order::Order* order = account_.orders().find(id);
  const OrderStatus before = order->status();
  if (Result<void> recorded = noted(recorder_.record_event(id, event)); !recorded) return recorded;
  Result<const order::Order*> applied = account_.apply(id, event);
  if (!applied) return applied.error();
  const OrderStatus after = (*applied)->status();
  if (event.kind == OrderEventKind::filled) ++stats_.fills;
  if (after != before) {
    if (after == OrderStatus::filled) ++stats_.orders_filled;
    if (after == OrderStatus::canceled || after == OrderStatus::expired) ++stats_.orders_canceled;
    if (after == OrderStatus::rejected) ++stats_.orders_rejected;
  }
  return {};
}

Result<ClientOrderId> OrderExecutor::submit_limit(Side side, Decimal quantity, Decimal price, TimeInForce tif,
                                                  std::optional<Decimal> mid, SteadyTime now) {
  RiskContext context;
  context.mid = mid;
  context.position = position();
  context.open_buy_quantity = open_quantity(Side::buy);
  context.open_sell_quantity = open_quantity(Side::sell);
  context.open_orders = static_cast<std::uint32_t>(account_.orders().open_count(unified_symbol_));
  if (Result<void> allowed = risk_.check({side, quantity, price}, context, now); !allowed) {
    ++stats_.orders_denied;
    note_refusal(allowed.error());
    return allowed.error();
  }
  if (!breaker_.allow(now)) {
    ++stats_.orders_held;
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(breaker_.retry_at() - now);
    Error held =
        make_error(ErrorCode::rejected,
                   fmt::format("{}: order breaker open after repeated identical rejections ({}); next attempt in {} ms",
                               instrument_.venue_symbol,
                               breaker_.last_rejection() ? breaker_.last_rejection()->to_string() : std::string("?"),
                               std::max<std::int64_t>(wait.count(), 0)));
    note_refusal(held);
    return held;
  }
  Result<ClientOrderId> id = ids_.next_for(gateway_.venue());
  if (!id) return id.error();

  order::OrderRequest request;
  request.client_id = *id;
  request.symbol = unified_symbol_;
  request.side = side;
  request.type = OrderType::limit;
  request.tif = tif;
  request.quantity = quantity;
  request.price = price;
  request.ts = wall_now();
  // Recorded before anything is sent: a crash after this line leaves a journaled order
  // that reconciliation resolves by client id.
  if (Result<void> recorded = noted(recorder_.record_created(request)); !recorded) return recorded.error();
  if (Result<const order::Order*> created = account_.create(request); !created) return created.error();
  if (Result<void> ok = apply(*id, event_of(OrderEventKind::submitted, wall_now())); !ok) return ok.error();

  venue::NewOrder wire;
  wire.symbol = instrument_.venue_symbol;
  wire.side = side;
  wire.type = OrderType::limit;
  wire.time_in_force = tif;
  wire.quantity = quantity;
  wire.price = price;
  wire.client_order_id = id->str();
  risk_.record_sent(now);
  ++stats_.orders_submitted;
  Result<venue::OrderReport> reply = gateway_.create_order(wire);
  if (reply) {
    if (reply->status == venue::OrderStatus::rejected) {
      note_refusal(make_error(ErrorCode::rejected, "rejected by the venue"));
    } else {
      breaker_.on_accepted();
      refused_in_a_row_ = 0;
    }
    if (Result<void> ok = apply_report(*id, *reply); !ok) return ok.error();
    return *id;
  }
  const Error& error = reply.error();
  if (outcome_may_be_unknown(error.code)) {
    // The venue may have taken it: not a refusal, and no reason to hold orders back.
    breaker_.on_accepted();
    refused_in_a_row_ = 0;
    ++stats_.unknown_outcomes;
    unknown_since_.emplace_back(*id, now);
    if (Result<void> ok = apply(*id, event_of(OrderEventKind::outcome_unknown, wall_now(), error.to_string())); !ok) {
      return ok.error();
    }
    return *id;
  }
  // Any other error proves the venue did not take the order (not sent, or refused).
  // The venue's own refusals feed the breaker and the refusal streak.
  // Rate limiting and transport failures are the limiter's and the connectivity
  // check's business: they neither count as a refusal nor clear the streak.
  if (!error.venue_code.empty() && error.code != ErrorCode::rate_limited) {
    breaker_.on_rejected(error, now);
    note_refusal(error);
  }
  if (Result<void> ok = apply(*id, event_of(OrderEventKind::rejected, wall_now(), error.to_string())); !ok) {
    return ok.error();
  }
  return *id;
}

Result<void> OrderExecutor::apply_trades(const ClientOrderId& id, std::string_view venue_order_id) {
  Result<std::vector<venue::AccountTrade>> trades = gateway_.order_trades(instrument_.venue_symbol, venue_order_id);
  if (!trades) return trades.error();
  for (const venue::AccountTrade& trade : *trades) {
    if (trade.order_id != venue_order_id) continue;
    Result<order::Fill> fill = to_fill(trade.id, trade.quantity, trade.price, trade.commission, trade.commission_asset);
    if (!fill) return fill.error();
    Result<void> ok = apply(id, order::make_fill_event(*fill, venue_time(trade.time_ms, wall_now())));
    if (!ok && !is_duplicate(ok)) return ok;
  }
  return {};
}

Result<void> OrderExecutor::apply_report(const ClientOrderId& id, const venue::OrderReport& report) {
  const order::Order* order = account_.orders().find(id);
  if (order == nullptr) return make_error(ErrorCode::order_not_found, fmt::format("no order {}", id));
  const SystemTime ts = venue_time(report.time_ms, wall_now());
  if (report.status == venue::OrderStatus::rejected) {
    if (order->is_terminal()) return {};
    return apply(id, event_of(OrderEventKind::rejected, ts, "rejected by the venue"));
  }
  if (order->status() == OrderStatus::submitted || order->venue_order_id().empty()) {
    Result<order::VenueOrderId> venue_id = order::VenueOrderId::from(report.order_id);
    if (!venue_id) return venue_id.error();
    OrderEvent accepted = event_of(OrderEventKind::accepted, ts);
    accepted.venue_order_id = *venue_id;
    if (order->status() == OrderStatus::submitted) {
      if (Result<void> ok = apply(id, accepted); !ok) return ok;
    }
  }
  for (const venue::Fill& f : report.fills) {
    Result<order::Fill> fill = to_fill(f.trade_id, f.quantity, f.price, f.commission, f.commission_asset);
    if (!fill) return fill.error();
    Result<void> ok = apply(id, order::make_fill_event(*fill, ts));
    if (!ok && !is_duplicate(ok)) return ok;
  }
  order = account_.orders().find(id);
  if (report.executed_quantity > order->filled()) {
    if (Result<void> ok = apply_trades(id, report.order_id); !ok) return ok;
    order = account_.orders().find(id);
  }
  if (order->is_terminal() && order->status() != OrderStatus::canceled) return {};
  switch (report.status) {
    case venue::OrderStatus::canceled:
      if (order->status() == OrderStatus::canceled) return {};
      return apply(id, event_of(OrderEventKind::canceled, ts, "canceled at the venue"));
    case venue::OrderStatus::expired:
    case venue::OrderStatus::expired_in_match:
      return apply(id, event_of(OrderEventKind::expired, ts, fmt::format("{} at the venue", report.status)));
    default:
      return {};
  }
}

Result<void> OrderExecutor::apply_update(const venue::OrderUpdate& update, SteadyTime /*now*/) {
  const venue::OrderReport& state = update.order;
  Result<ClientOrderId> id = ClientOrderId::from(state.client_order_id);
  const order::Order* order = id ? account_.orders().find(*id) : nullptr;
  if (state.symbol != instrument_.venue_symbol || order == nullptr || order->symbol() != unified_symbol_) {
    ++stats_.stream_ignored;
    return {};
  }
  if (update.amended) {
    ++stats_.stream_ignored;  // the executor never amends; a manual amendment shows in the next sync
    return {};
  }
  // The update carries the order's state after the event; its execution is the one
  // fill REST would list for it. apply_report() then does what a reply would.
  venue::OrderReport report = state;
  report.fills.clear();
  if (update.last_fill) report.fills.push_back(*update.last_fill);
  if (report.time_ms <= 0) report.time_ms = update.event_time_ms;
  ++stats_.stream_updates;
  return apply_report(*id, report);
}

Result<void> OrderExecutor::cancel(const ClientOrderId& id) {
  const order::Order* order = account_.orders().find(id);
  if (order == nullptr) return make_error(ErrorCode::order_not_found, fmt::format("no order {}", id));
  if (order->is_terminal() || order->outcome_unknown()) return {};
  if (order->status() != OrderStatus::pending_cancel) {
    if (Result<void> ok = apply(id, event_of(OrderEventKind::pending_cancel, wall_now())); !ok) return ok;
  }
  venue::OrderRef ref;
  ref.symbol = instrument_.venue_symbol;
  ref.client_order_id = id.str();
  if (!order->venue_order_id().empty()) ref.order_id = order->venue_order_id().str();
  Result<venue::OrderReport> reply = gateway_.cancel_order(ref);
  if (reply) return apply_report(id, *reply);
  ++stats_.cancel_failures;
  // The venue refused or did not answer: find out what the order really is.
  Result<venue::OrderReport> state = gateway_.query_order(ref);
  if (state) {
    if (Result<void> ok = apply_report(id, *state); !ok) return ok;
    order = account_.orders().find(id);
    if (order->status() == OrderStatus::pending_cancel && !venue::is_final(state->status)) {
      if (Result<void> ok = apply(id, event_of(OrderEventKind::cancel_rejected, wall_now(), reply.error().to_string()));
          !ok) {
        return ok;
      }
    }
  }
  return reply.error();
}

std::size_t OrderExecutor::cancel_all() {
  std::size_t failures = 0;
  for (const ClientOrderId& id : open_orders()) {
    if (!cancel(id)) ++failures;
  }
  return failures;
}

Result<void> OrderExecutor::sync(SteadyTime now) {
  std::optional<Error> first_error;
  auto note = [&](const Result<void>& r) {
    if (!r && !first_error) first_error = r.error();
  };

  // 1. Unknown outcomes: ask the venue by client order id.
  for (auto it = unknown_since_.begin(); it != unknown_since_.end();) {
    const order::Order* order = account_.orders().find(it->first);
    if (order == nullptr || !order->outcome_unknown()) {
      // Resolved meanwhile by another path (a user-stream update, a reconciliation).
      if (order != nullptr) ++stats_.unknown_resolved;
      it = unknown_since_.erase(it);
      continue;
    }
    venue::OrderRef ref;
    ref.symbol = instrument_.venue_symbol;
    ref.client_order_id = it->first.str();
    Result<venue::OrderReport> state = gateway_.query_order(ref);
    if (state) {
      note(apply_report(it->first, *state));
      ++stats_.unknown_resolved;
      it = unknown_since_.erase(it);
    } else if (state.error().code == ErrorCode::order_not_found && now - it->second >= options_.unknown_grace) {
      note(apply(it->first, event_of(OrderEventKind::rejected, wall_now(),
                                     "the venue has no such order after the receive window")));
      ++stats_.unknown_resolved;
      it = unknown_since_.erase(it);
    } else {
      if (state.error().code != ErrorCode::order_not_found) note(state.error());
      ++it;
    }
  }

  // 2. Open orders: new fills, and the final state of those the venue closed.
  Result<std::vector<venue::OrderReport>> venue_open = gateway_.open_orders(instrument_.venue_symbol);
  if (!venue_open) return venue_open.error();
  std::unordered_map<std::string, const venue::OrderReport*> by_client;
  bool unmanaged = false;  // an order of ours works at the venue and the account does not know it
  for (const venue::OrderReport& report : *venue_open) {
    by_client.emplace(report.client_order_id, &report);
    if (account_.orders().find(report.client_order_id) == nullptr && is_ours(report.client_order_id)) unmanaged = true;
  }
  for (const ClientOrderId& id : open_orders()) {
    const order::Order* order = account_.orders().find(id);
    if (order->outcome_unknown()) continue;
    const auto found = by_client.find(id.str());
    if (found != by_client.end()) {
      if (found->second->executed_quantity > order->filled() || order->status() == OrderStatus::submitted) {
        note(apply_report(id, *found->second));
      }
      continue;
    }
    venue::OrderRef ref;
    ref.symbol = instrument_.venue_symbol;
    ref.client_order_id = id.str();
    Result<venue::OrderReport> state = gateway_.query_order(ref);
    if (state) {
      note(apply_report(id, *state));
    } else {
      note(state.error());
    }
  }
  if (unmanaged) {
    if (Result<ReconcileReport> adopted = reconcile(now); !adopted) note(adopted.error());
  }
  if (first_error) return *first_error;
  return {};
}

std::vector<ClientOrderId> OrderExecutor::open_orders() const {
  std::vector<ClientOrderId> out;
  for (const order::Order* order : account_.orders().open_orders(unified_symbol_)) out.push_back(order->client_id());
  return out;
}

Decimal OrderExecutor::open_quantity(Side side) const {
  Decimal total;
  for (const order::Order* order : account_.orders().open_orders(unified_symbol_)) {
    if (order->side() == side) total += order->leaves();
  }
  return total;
}

}  // namespace cts::engine
