#include "cts/engine/summary_merge.hpp"

#include <string_view>
#include <vector>

#include "cts/health/status.hpp"

namespace cts::engine {

void add_order_counters(ExecutorStats& into, const ExecutorStats& from) noexcept {
  into.orders_submitted += from.orders_submitted;
  into.orders_denied += from.orders_denied;
  into.orders_held += from.orders_held;
  into.orders_rejected += from.orders_rejected;
  into.orders_filled += from.orders_filled;
  into.orders_canceled += from.orders_canceled;
  into.fills += from.fills;
  into.unknown_outcomes += from.unknown_outcomes;
  into.unknown_resolved += from.unknown_resolved;
  into.cancel_failures += from.cancel_failures;
  into.stream_updates += from.stream_updates;
  into.stream_ignored += from.stream_ignored;
  into.orders_adopted += from.orders_adopted;
  into.foreign_open_orders += from.foreign_open_orders;
}

SessionSummary merge_summaries(std::span<const SessionSummary> summaries) {
  if (summaries.size() == 1) return summaries.front();
  SessionSummary out;
  const health::StatusOrder order;
  std::vector<std::string_view> healths;
  for (const SessionSummary& s : summaries) {
    add_order_counters(out.orders, s.orders);
    out.health_reasons.insert(out.health_reasons.end(), s.health_reasons.begin(), s.health_reasons.end());
    out.http_429 += s.http_429;
    out.http_418 += s.http_418;
    out.throttled += s.throttled;
    out.order_route.transport = s.order_route.transport;
    out.order_route.over_ws += s.order_route.over_ws;
    out.order_route.over_rest += s.order_route.over_rest;
    out.order_route.fallbacks += s.order_route.fallbacks;
    out.order_route.unknown_outcomes += s.order_route.unknown_outcomes;
    out.order_route.late_replies += s.order_route.late_replies;
    for (const auto& [symbol, qty] : s.positions) out.positions[symbol] += qty;
    for (const auto& [symbol, position] : s.venue_positions) out.venue_positions[symbol] = position;
    for (const auto& [asset, fee] : s.fees) out.fees[asset] += fee;
    out.realized_pnl += s.realized_pnl;
    if (!s.balances.empty()) out.balances = s.balances;
    out.left_open.insert(out.left_open.end(), s.left_open.begin(), s.left_open.end());
    if (!s.health.empty()) healths.push_back(s.health);
  }
  out.health = healths.empty() ? std::string() : std::string(order.worst(healths));
  return out;
}

}  // namespace cts::engine
