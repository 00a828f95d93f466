#pragma once
/// \file
/// The order state machine as data: one constexpr table of (status, event) → status.
/// Every pair not in the table is an invalid transition.
///
/// The rows are nautilus_trader's `OrderStatus::transition` (Rust, crates/model/src/
/// orders/mod.rs) without its EMULATED/RELEASED rows (cts has no local emulation), plus
/// three rows of ours for OrderEventKind::outcome_unknown, which keeps an in-flight
/// order in its status and only marks it as awaiting a query by client order id.

#include <array>
#include <cstddef>
#include <optional>

#include "cts/order/status.hpp"

namespace cts::order {

/// One row of the transition table.
struct Transition {
  OrderStatus from;      ///< Current status.
  OrderEventKind event;  ///< What happened.
  OrderStatus to;        ///< Status named by the table. For fills it is FILLED and the
                         ///< order then derives PARTIALLY_FILLED or FILLED from its
                         ///< quantities; PENDING_* rows of modify/cancel rejects and
                         ///< updates are followed by a restore of the previous status.
};

namespace detail {
using S = OrderStatus;
using E = OrderEventKind;
}  // namespace detail

/// Every legal (status, event) pair, in nautilus's source order.
inline constexpr std::array kTransitionTable = {
    // External orders may enter the table at INITIALIZED with a venue event.
    Transition{detail::S::initialized, detail::E::denied, detail::S::denied},
    Transition{detail::S::initialized, detail::E::submitted, detail::S::submitted},
    Transition{detail::S::initialized, detail::E::rejected, detail::S::rejected},
    Transition{detail::S::initialized, detail::E::accepted, detail::S::accepted},
    Transition{detail::S::initialized, detail::E::canceled, detail::S::canceled},
    Transition{detail::S::initialized, detail::E::expired, detail::S::expired},
    Transition{detail::S::initialized, detail::E::triggered, detail::S::triggered},
    Transition{detail::S::initialized, detail::E::updated, detail::S::initialized},
    Transition{detail::S::submitted, detail::E::pending_update, detail::S::pending_update},
    Transition{detail::S::submitted, detail::E::pending_cancel, detail::S::pending_cancel},
    Transition{detail::S::submitted, detail::E::rejected, detail::S::rejected},
    Transition{detail::S::submitted, detail::E::canceled, detail::S::canceled},  // FOK and IOC
    Transition{detail::S::submitted, detail::E::accepted, detail::S::accepted},
    Transition{detail::S::submitted, detail::E::updated, detail::S::submitted},
    Transition{detail::S::submitted, detail::E::filled, detail::S::filled},
    Transition{detail::S::accepted, detail::E::rejected, detail::S::rejected},  // stop-limit
    Transition{detail::S::accepted, detail::E::pending_update, detail::S::pending_update},
    Transition{detail::S::accepted, detail::E::pending_cancel, detail::S::pending_cancel},
    Transition{detail::S::accepted, detail::E::canceled, detail::S::canceled},
    Transition{detail::S::accepted, detail::E::triggered, detail::S::triggered},
    Transition{detail::S::accepted, detail::E::updated, detail::S::accepted},
    Transition{detail::S::accepted, detail::E::expired, detail::S::expired},
    Transition{detail::S::accepted, detail::E::filled, detail::S::filled},
    Transition{detail::S::canceled, detail::E::filled, detail::S::filled},  // a late fill: the venue's word wins
    Transition{detail::S::pending_update, detail::E::rejected, detail::S::rejected},
    Transition{detail::S::pending_update, detail::E::accepted, detail::S::accepted},
    Transition{detail::S::pending_update, detail::E::canceled, detail::S::canceled},
    Transition{detail::S::pending_update, detail::E::expired, detail::S::expired},
    Transition{detail::S::pending_update, detail::E::triggered, detail::S::triggered},
    Transition{detail::S::pending_update, detail::E::pending_update, detail::S::pending_update},
    Transition{detail::S::pending_update, detail::E::pending_cancel, detail::S::pending_cancel},
    Transition{detail::S::pending_update, detail::E::modify_rejected, detail::S::pending_update},
    Transition{detail::S::pending_update, detail::E::updated, detail::S::pending_update},
    Transition{detail::S::pending_update, detail::E::filled, detail::S::filled},
    Transition{detail::S::pending_cancel, detail::E::rejected, detail::S::rejected},
    Transition{detail::S::pending_cancel, detail::E::pending_cancel, detail::S::pending_cancel},
    Transition{detail::S::pending_cancel, detail::E::cancel_rejected, detail::S::pending_cancel},
    Transition{detail::S::pending_cancel, detail::E::canceled, detail::S::canceled},
    Transition{detail::S::pending_cancel, detail::E::expired, detail::S::expired},
    Transition{detail::S::pending_cancel, detail::E::accepted, detail::S::accepted},  // a failed cancel
    Transition{detail::S::pending_cancel, detail::E::filled, detail::S::filled},
    Transition{detail::S::triggered, detail::E::rejected, detail::S::rejected},
    Transition{detail::S::triggered, detail::E::pending_update, detail::S::pending_update},
    Transition{detail::S::triggered, detail::E::pending_cancel, detail::S::pending_cancel},
    Transition{detail::S::triggered, detail::E::canceled, detail::S::canceled},
    Transition{detail::S::triggered, detail::E::expired, detail::S::expired},
    Transition{detail::S::triggered, detail::E::filled, detail::S::filled},
    Transition{detail::S::triggered, detail::E::updated, detail::S::triggered},
    Transition{detail::S::partially_filled, detail::E::pending_update, detail::S::pending_update},
    Transition{detail::S::partially_filled, detail::E::pending_cancel, detail::S::pending_cancel},
    Transition{detail::S::partially_filled, detail::E::canceled, detail::S::canceled},
    Transition{detail::S::partially_filled, detail::E::expired, detail::S::expired},
    Transition{detail::S::partially_filled, detail::E::filled, detail::S::filled},
    Transition{detail::S::partially_filled, detail::E::accepted, detail::S::accepted},
    Transition{detail::S::partially_filled, detail::E::updated, detail::S::partially_filled},
    // cts: an ambiguous reply leaves the in-flight status; only venue evidence moves it.
    Transition{detail::S::submitted, detail::E::outcome_unknown, detail::S::submitted},
    Transition{detail::S::pending_update, detail::E::outcome_unknown, detail::S::pending_update},
    Transition{detail::S::pending_cancel, detail::E::outcome_unknown, detail::S::pending_cancel},
};

namespace detail {
/// kTransitionTable as a dense (status × event) matrix; 0xFF marks an illegal pair.
inline constexpr auto kTransitionMatrix = [] {
  std::array<std::array<std::uint8_t, kOrderEventKindCount>, kOrderStatusCount> m{};
  for (auto& row : m) row.fill(0xFF);
  for (const Transition& t : kTransitionTable) {
    auto& cell = m[static_cast<std::size_t>(t.from)][static_cast<std::size_t>(t.event)];
    if (cell != 0xFF) throw "duplicate row in kTransitionTable";  // fails constant evaluation
    cell = static_cast<std::uint8_t>(t.to);
  }
  return m;
}();
}  // namespace detail

/// The status the table names for `event` in `from`, or nullopt when the pair is
/// illegal. O(1): one load from a 12×14 byte matrix built at compile time.
constexpr std::optional<OrderStatus> table_transition(OrderStatus from, OrderEventKind event) noexcept {
  const auto s = static_cast<std::size_t>(from);
  const auto e = static_cast<std::size_t>(event);
  if (s >= kOrderStatusCount || e >= kOrderEventKindCount) return std::nullopt;
  const std::uint8_t to = detail::kTransitionMatrix[s][e];
  if (to == 0xFF) return std::nullopt;
  return static_cast<OrderStatus>(to);
}

}  // namespace cts::order
