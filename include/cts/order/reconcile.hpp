#pragma once
/// \file
/// Reconciliation: from the venue's reports (open/recent orders, recent fills,
/// positions), the events that bring an Account to the venue's state. Planning is pure
/// (the account is not touched) and deterministic: the same reports give the same plan,
/// synthetic ids are pure functions of the reports, and once a plan is applied a second
/// pass over the same reports plans nothing.

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cts/order/account.hpp"

namespace cts::order {

/// The venue's view of one order.
struct OrderReport {
  ClientOrderId client_id;       ///< Our id, when the venue has one (empty otherwise).
  VenueOrderId venue_order_id;   ///< The venue's id (required).
  std::string symbol;            ///< Unified symbol.
  Side side = Side::buy;         ///< Side.
  OrderType type = OrderType::limit;  ///< Type.
  TimeInForce tif = TimeInForce::gtc; ///< Time in force.
  Decimal quantity;              ///< Order quantity.
  std::optional<Decimal> price;  ///< Limit price.
  std::optional<Decimal> trigger_price;  ///< Trigger price.
  OrderStatus status = OrderStatus::accepted;  ///< accepted, triggered, partially_filled, filled, canceled, expired or rejected.
  Decimal filled;                ///< Executed quantity.
  Decimal avg_px;                ///< Average execution price (0 when unknown).
  SystemTime ts{};               ///< Venue time of the report.
};

/// The venue's view of one execution.
struct FillReport {
  VenueOrderId venue_order_id;  ///< The order it belongs to.
  ClientOrderId client_id;      ///< Our id of that order, when the venue reports it.
  Fill fill;                    ///< The execution (trade id required).
  SystemTime ts{};              ///< Venue time of the execution.

  friend bool operator==(const FillReport&, const FillReport&) = default;
};

/// The venue's view of one position (net per symbol).
struct PositionReport {
  std::string symbol;              ///< Unified symbol.
  Decimal signed_qty;              ///< Positive long, negative short.
  std::optional<Decimal> avg_open; ///< The venue's entry price; needed to book a correction.
  SystemTime ts{};                 ///< Venue time of the report.
};

/// Everything the venue said in one reconciliation pass.
struct MassStatus {
  std::vector<OrderReport> orders;        ///< Open orders and recently closed ones.
  std::vector<FillReport> fills;          ///< Recent fills.
  std::vector<PositionReport> positions;  ///< Positions (empty for spot).
  bool open_orders_complete = true;       ///< `orders` lists every open order (so a local open order missing from it must be queried).
};

/// Tuning of a pass.
struct ReconcileOptions {
  SystemTime now{};                    ///< Current time.
  Nanos recent = std::chrono::seconds(5);  ///< Orders whose last event is this recent are not queried.
};

/// One step of a plan: create an order, or apply an event to one.
struct ReconcileAction {
  std::optional<OrderRequest> create;  ///< Set: create this (external) order.
  ClientOrderId client_id;             ///< Otherwise: the order the event applies to.
  OrderEvent event;                    ///< The event.

  friend bool operator==(const ReconcileAction&, const ReconcileAction&) = default;
};

/// A difference reconciliation could not settle.
struct ReconcileConflict {
  std::string what;  ///< Human-readable description naming the order or symbol.

  friend bool operator==(const ReconcileConflict&, const ReconcileConflict&) = default;
};

/// The outcome of planning.
struct ReconcilePlan {
  std::vector<ReconcileAction> actions;     ///< Apply in order with apply_plan().
  std::vector<FillReport> deferred_fills;   ///< Fills for orders nobody reported yet: pass them again next time.
  std::vector<ClientOrderId> to_query;      ///< Local orders the venue did not report: query each by client order id.
  std::vector<ReconcileConflict> conflicts; ///< Venue states the local order cannot reach (reported, not forced).

  /// True when there is nothing to do.
  [[nodiscard]] bool empty() const noexcept {
    return actions.empty() && deferred_fills.empty() && to_query.empty() && conflicts.empty();
  }

  friend bool operator==(const ReconcilePlan&, const ReconcilePlan&) = default;
};

namespace detail {
/// FNV-1a over `parts` separated by 0x1f: a stable 64-bit digest for synthetic ids.
inline std::uint64_t stable_digest(std::initializer_list<std::string_view> parts) noexcept {
  std::uint64_t h = 14695981039346656037ULL;
  for (std::string_view part : parts) {
    for (char c : part) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    h ^= 0x1f;
    h *= 1099511628211ULL;
  }
  return h;
}
inline std::string synthetic_id(char prefix, std::initializer_list<std::string_view> parts) {
  return fmt::format("{}{:016x}", prefix, stable_digest(parts));
}
}  // namespace detail

/// The deterministic client order id given to an order the venue knows and we do not:
/// the venue's client id when it reported one, else "X" + a digest of its venue id.
inline ClientOrderId external_client_id(const OrderReport& report) {
  if (!report.client_id.empty()) return report.client_id;
  return ClientOrderId::from(detail::synthetic_id('X', {report.venue_order_id.view()})).value();
}

/// Plans the events that bring `account` to the venue's state in `status`.
///
/// Orders: an unknown order is created (external_client_id) and accepted; a SUBMITTED
/// one is accepted; missing fills are applied by trade id; a reported filled quantity
/// beyond the known fills becomes one synthetic fill (trade id "R" + digest, priced so
/// that the average matches the venue's); terminal statuses are applied. PENDING_*
/// orders are never moved by an open status alone. Fills whose order nobody knows are
/// deferred (out-of-order reports). Local non-terminal orders missing from a complete
/// open-orders report are listed to query, not canceled. Positions: a net quantity
/// that still differs after the planned fills is booked as a synthetic external order
/// and fill at the venue's entry price (ids "P" + digest of symbol, quantity and time);
/// without an entry price it is a conflict.
inline ReconcilePlan plan_reconciliation(const Account& account, const MassStatus& status,
                                         const ReconcileOptions& options = {}) {
  ReconcilePlan plan;
  std::map<std::string, Order> work;  // client id -> order as the plan leaves it
  std::map<std::string, std::string> venue_to_client;
  std::map<std::string, Decimal> planned_net;  // symbol -> Σ signed planned fill quantity

  auto working = [&](std::string_view client_id) -> Order* {
    auto it = work.find(std::string(client_id));
    if (it != work.end()) return &it->second;
    const Order* local = account.orders().find(client_id);
    if (local == nullptr) return nullptr;
    return &work.emplace(std::string(client_id), *local).first->second;
  };
  auto locate = [&](const ClientOrderId& client_id, const VenueOrderId& venue_id) -> Order* {
    if (!client_id.empty()) {
      if (Order* o = working(client_id.view())) return o;
    }
    if (venue_id.empty()) return nullptr;
    if (auto it = venue_to_client.find(venue_id.str()); it != venue_to_client.end()) return working(it->second);
    if (const Order* local = account.orders().find_by_venue_id(venue_id.view())) return working(local->client_id().view());
    return nullptr;
  };
  auto emit = [&](Order& order, OrderEvent event) {
    if (Result<void> ok = order.apply(event); !ok) {
      plan.conflicts.push_back({fmt::format("order {}: {}", order.client_id(), ok.error().message)});
      return;
    }
    if (event.kind == OrderEventKind::filled) {
      planned_net[order.symbol()] += sign_of(order.side()) > 0 ? event.fill.quantity : -event.fill.quantity;
    }
    if (!order.venue_order_id().empty()) venue_to_client[order.venue_order_id().str()] = order.client_id().str();
    plan.actions.push_back({std::nullopt, order.client_id(), std::move(event)});
  };
  auto create = [&](OrderRequest request) -> Order* {
    Result<Order> created = Order::create(request);
    if (!created) {
      plan.conflicts.push_back({fmt::format("cannot create external order {}: {}", request.client_id, created.error().message)});
      return nullptr;
    }
    plan.actions.push_back({request, request.client_id, {}});
    return &work.emplace(request.client_id.str(), std::move(*created)).first->second;
  };

  // Fills, de-duplicated by trade id and grouped by order; applied in (ts, trade id) order.
  std::vector<const FillReport*> fills;
  for (const FillReport& f : status.fills) {
    const bool seen = std::any_of(fills.begin(), fills.end(), [&](const FillReport* g) { return g->fill.trade_id == f.fill.trade_id; });
    if (!seen) fills.push_back(&f);
  }
  std::sort(fills.begin(), fills.end(), [](const FillReport* a, const FillReport* b) {
    return a->ts != b->ts ? a->ts < b->ts : a->fill.trade_id < b->fill.trade_id;
  });
  auto apply_fills = [&](Order& order, const VenueOrderId& venue_id) {
    for (const FillReport* f : fills) {
      const bool mine = (!venue_id.empty() && f->venue_order_id == venue_id) ||
                        (!f->client_id.empty() && f->client_id == order.client_id());
      if (!mine || order.has_trade(f->fill.trade_id)) continue;
      emit(order, make_fill_event(f->fill, f->ts));
    }
  };

  std::vector<std::string> reported;  // client ids the venue reported
  for (const OrderReport& report : status.orders) {
    Order* order = locate(report.client_id, report.venue_order_id);
    if (order == nullptr) {
      OrderRequest request;
      request.client_id = external_client_id(report);
      request.symbol = report.symbol;
      request.side = report.side;
      request.type = report.type;
      request.tif = report.tif;
      request.quantity = report.quantity;
      request.price = report.price;
      request.trigger_price = report.trigger_price;
      request.ts = report.ts;
      order = create(request);
      if (order == nullptr) continue;
    }
    reported.push_back(order->client_id().str());
    const bool venue_rejected = report.status == OrderStatus::rejected;
    if (!venue_rejected && (order->status() == OrderStatus::initialized || order->status() == OrderStatus::submitted)) {
      OrderEvent accepted = make_event(OrderEventKind::accepted, report.ts);
      accepted.venue_order_id = report.venue_order_id;
      emit(*order, accepted);
    }
    apply_fills(*order, report.venue_order_id);
    if (report.filled > order->filled()) {
      const Decimal missing = report.filled - order->filled();
      Fill synthetic;
      synthetic.trade_id = TradeId::from(detail::synthetic_id('R', {report.venue_order_id.view(), report.filled.to_string()})).value();
      synthetic.quantity = missing;
      Result<Decimal> total = report.avg_px.checked_mul(report.filled, Rounding::half_even);
      Result<Decimal> price = total ? total->checked_sub(order->fill_notional()) : total;
      if (price) price = price->checked_div(missing, Rounding::half_even);
      synthetic.price = report.avg_px.is_zero() ? report.price.value_or(Decimal{}) : (price ? *price : report.avg_px);
      emit(*order, make_fill_event(synthetic, report.ts));
    }
    std::optional<OrderEventKind> closing;
    if (report.status == OrderStatus::canceled) closing = OrderEventKind::canceled;
    if (report.status == OrderStatus::expired) closing = OrderEventKind::expired;
    if (report.status == OrderStatus::rejected) closing = OrderEventKind::rejected;
    if (closing && order->status() != report.status) {
      OrderEvent event = make_event(*closing, report.ts);
      if (order->venue_order_id().empty()) event.venue_order_id = report.venue_order_id;
      emit(*order, event);
    }
    if (report.status == OrderStatus::triggered && order->status() == OrderStatus::accepted) {
      emit(*order, make_event(OrderEventKind::triggered, report.ts));
    }
  }

  // Fills of orders absent from the order reports: known locally, or deferred.
  for (const FillReport* f : fills) {
    Order* order = locate(f->client_id, f->venue_order_id);
    if (order == nullptr) {
      plan.deferred_fills.push_back(*f);
      continue;
    }
    if (!order->has_trade(f->fill.trade_id)) emit(*order, make_fill_event(f->fill, f->ts));
  }

  // Local working orders the venue did not list: ask the venue about each.
  if (status.open_orders_complete) {
    account.orders().for_each([&](const Order& local) {
      if (local.is_terminal() || local.status() == OrderStatus::initialized) return;
      if (std::find(reported.begin(), reported.end(), local.client_id().view()) != reported.end()) return;
      if (local.ts_last() + options.recent > options.now) return;
      plan.to_query.push_back(local.client_id());
    });
  }

  // Positions: book what the reported fills do not explain.
  for (const PositionReport& report : status.positions) {
    const Decimal local = account.positions().net_quantity(report.symbol) + planned_net[report.symbol];
    if (local == report.signed_qty) continue;
    const Decimal diff = report.signed_qty - local;
    if (!report.avg_open) {
      plan.conflicts.push_back({fmt::format("position {}: local {} venue {} and no venue entry price to book the difference",
                                            report.symbol, local, report.signed_qty)});
      continue;
    }
    const std::string ts = std::to_string(to_unix_millis(report.ts));
    const std::string digest_source = report.signed_qty.to_string();
    OrderRequest request;
    request.client_id = ClientOrderId::from(detail::synthetic_id('P', {report.symbol, digest_source, ts})).value();
    request.symbol = report.symbol;
    request.side = diff.is_positive() ? Side::buy : Side::sell;
    request.type = OrderType::market;
    request.quantity = diff.abs();
    request.ts = report.ts;
    if (account.orders().find(request.client_id) != nullptr) {
      plan.conflicts.push_back({fmt::format("position {}: correction {} already booked but local {} venue {}", report.symbol,
                                            request.client_id, local, report.signed_qty)});
      continue;
    }
    Order* order = create(request);
    if (order == nullptr) continue;
    OrderEvent accepted = make_event(OrderEventKind::accepted, report.ts);
    accepted.venue_order_id = VenueOrderId::from(request.client_id.view()).value();
    emit(*order, accepted);
    Fill fill;
    fill.trade_id = TradeId::from(request.client_id.view()).value();
    fill.quantity = diff.abs();
    fill.price = *report.avg_open;
    emit(*order, make_fill_event(fill, report.ts));
  }
  return plan;
}

/// Applies a plan's actions to `account` in order; stops at the first error and returns
/// it (the actions before it stay applied, as each is a venue fact).
inline Result<void> apply_plan(Account& account, const ReconcilePlan& plan) {
  for (const ReconcileAction& action : plan.actions) {
    if (action.create) {
      if (Result<const Order*> r = account.create(*action.create); !r) return r.error();
      continue;
    }
    if (Result<const Order*> r = account.apply(action.client_id, action.event); !r) return r.error();
  }
  return {};
}

}  // namespace cts::order
