#pragma once
/// \file
/// cts::order::Account: the order tracker and the position book kept in step. An
/// order's fill moves its position in the same call, and a refused event (duplicate
/// trade id, illegal transition, bad fill) changes neither.

#include <string_view>

#include "cts/core/instrument.hpp"
#include "cts/order/position_book.hpp"
#include "cts/order/tracker.hpp"

namespace cts::order {

/// Orders and positions of one account at one venue. Not thread-safe: one owner.
class Account {
 public:
  /// An empty account whose positions follow `oms`.
  explicit Account(OmsType oms = OmsType::netting) : positions_(oms) {}

  /// Registers an instrument (its positions need its kind, multiplier and assets).
  /// invalid_argument when its facts do not fit a PositionSpec.
  Result<void> add_instrument(const Instrument& instrument) {
    Result<PositionSpec> spec = PositionSpec::from(instrument);
    if (!spec) return spec.error();
    positions_.add_instrument(std::move(*spec));
    return {};
  }

  /// Creates an order (see OrderTracker::create). invalid_argument when its symbol has
  /// no registered instrument.
  Result<const Order*> create(const OrderRequest& request) {
    if (positions_.find_instrument(request.symbol) == nullptr) {
      return make_error(ErrorCode::invalid_argument, fmt::format("no instrument registered for {}", request.symbol));
    }
    return orders_.create(request);
  }

  /// Applies `event` to order `client_id` and, for a fill, to its position. Errors: those
  /// of OrderTracker::apply, checked first (so a duplicate trade id never reaches the
  /// position), then those of PositionBook::check. Nothing changes on error.
  Result<const Order*> apply(std::string_view client_id, const OrderEvent& event) {
    if (Result<void> ok = orders_.check(client_id, event); !ok) return ok.error();
    const Order* order = orders_.find(client_id);
    if (event.kind == OrderEventKind::filled) {
      if (Result<void> ok = positions_.check(*order, event.fill); !ok) return ok.error();
    }
    Result<const Order*> applied = orders_.apply(client_id, event);
    if (!applied) return applied;
    if (event.kind == OrderEventKind::filled) {
      if (Result<void> ok = positions_.apply(**applied, event.fill, event.ts); !ok) {
        return make_error(ErrorCode::internal, "position refused a checked fill: " + ok.error().to_string());
      }
    }
    return applied;
  }
  /// Same as apply(string_view, event).
  Result<const Order*> apply(const ClientOrderId& client_id, const OrderEvent& event) {
    return apply(client_id.view(), event);
  }

  /// Restores a position from a journal snapshot (see PositionBook::restore).
  void restore_position(std::vector<Position> closed, Position current) {
    positions_.restore(std::move(closed), std::move(current));
  }
  /// Re-creates an order from a journal snapshot, whose positions already hold its fills:
  /// the tracker only (errors as OrderTracker::create).
  Result<const Order*> restore_order(const OrderRequest& request) { return orders_.create(request); }
  /// Re-applies an event of an order from a journal snapshot to the tracker only (errors
  /// as OrderTracker::apply).
  Result<const Order*> restore_order_event(std::string_view client_id, const OrderEvent& event) {
    return orders_.apply(client_id, event);
  }
  /// Forgets terminal orders whose last event is before `before` (see
  /// OrderTracker::purge_terminal); their fills stay in the positions.
  std::size_t purge_terminal(SystemTime before) { return orders_.purge_terminal(before); }
  /// Folds position cycles closed before `before` (see PositionBook::fold_closed_cycles).
  std::size_t fold_closed_cycles(SystemTime before) { return positions_.fold_closed_cycles(before); }

  /// The orders.
  [[nodiscard]] const OrderTracker& orders() const noexcept { return orders_; }
  /// The positions.
  [[nodiscard]] const PositionBook& positions() const noexcept { return positions_; }

 private:
  OrderTracker orders_;
  PositionBook positions_;
};

}  // namespace cts::order
