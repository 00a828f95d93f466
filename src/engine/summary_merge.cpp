#include "cts/engine/summary_merge.hpp"

#include <string_view>
#include <vector>

#include "cts/health/status.hpp"

namespace cts::engine {

SessionSummary merge_summaries(std::span<const SessionSummary> summaries) {
  if (summaries.size() == 1) return summaries.front();
  SessionSummary out;
  const health::StatusOrder order;
  std::vector<std::string_view> healths;
  for (const SessionSummary& s : summaries) {
    out.orders.orders_submitted += s.orders.orders_submitted;
    out.orders.orders_filled += s.orders.orders_filled;
    out.orders.orders_canceled += s.orders.orders_canceled;
    out.orders.orders_rejected += s.orders.orders_rejected;
    out.orders.orders_denied += s.orders.orders_denied;
    out.orders.fills += s.orders.fills;
    out.orders.unknown_outcomes += s.orders.unknown_outcomes;
    out.orders.unknown_resolved += s.orders.unknown_resolved;
    out.orders.orders_adopted += s.orders.orders_adopted;
    out.orders.foreign_open_orders += s.orders.foreign_open_orders;
    out.http_429 += s.http_429;
    out.http_418 += s.http_418;
    for (const auto& [symbol, qty] : s.positions) out.positions[symbol] += qty;
    for (const auto& [asset, fee] : s.fees) out.fees[asset] += fee;
    out.realized_pnl += s.realized_pnl;
    if (!s.balances.empty()) out.balances = s.balances;
    if (!s.health.empty()) healths.push_back(s.health);
  }
  out.health = healths.empty() ? std::string() : std::string(order.worst(healths));
  return out;
}

}  // namespace cts::engine
