#pragma once
/// \file
/// What a gateway answers for a cancel the venue accepted but reports asynchronously
/// (Bybit v5, OKX v5 acknowledge a cancel request before the order leaves the book).

#include <optional>
#include <utility>

#include "cts/core/result.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue {

/// The order a cancel acknowledgement `ack` names: its ids where it gives them, `ref`'s
/// otherwise.
[[nodiscard]] inline OrderRef acknowledged_ref(const OrderRef& ref, const OrderAck& ack) {
  return OrderRef{ref.symbol, ack.order_id.empty() ? ref.order_id : std::optional(ack.order_id),
                  ack.client_order_id.empty() ? ref.client_order_id : ack.client_order_id};
}

/// The report of an accepted cancel of `ref` (acknowledged by `ack`, naming `acknowledged`),
/// given `state`, the order as a query after the acknowledgement found it: that state when
/// it is final, else the order (or, when the query failed, what the acknowledgement names)
/// as pending_cancel. Never an error: the cancel was accepted.
[[nodiscard]] inline OrderReport accepted_cancel_report(const OrderRef& ref, const OrderRef& acknowledged,
                                                        const OrderAck& ack, Result<OrderReport> state) {
  if (state && is_final(state->status)) return std::move(*state);
  OrderReport report = state ? std::move(*state) : OrderReport{};
  report.symbol = ref.symbol;
  if (!state) {
    report.order_id = acknowledged.order_id.value_or("");
    report.client_order_id = acknowledged.client_order_id;
    report.time_ms = ack.time_ms;
  }
  report.status = OrderStatus::pending_cancel;
  return report;
}

}  // namespace cts::venue
