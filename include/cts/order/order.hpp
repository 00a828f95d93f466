#pragma once
/// \file
/// cts::order::Order: one order's state, moved only by OrderEvents through the
/// transition table, with exact fill accounting. Every refused event leaves the order
/// exactly as it was (strong guarantee).

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/order/event.hpp"
#include "cts/order/transition.hpp"

namespace cts::order {

/// An amount of one asset (fees per asset, PnL).
struct AssetAmount {
  Asset asset;     ///< The asset.
  Decimal amount;  ///< The amount.

  friend bool operator==(const AssetAmount&, const AssetAmount&) = default;
};

/// Sets the entry for `asset` in `amounts` to `total`, creating it when absent. Cannot
/// fail once the caller reserved room for one more entry: callers compute the total
/// with checked arithmetic first (an overflow is their error path), then set it.
inline void set_asset_amount(std::vector<AssetAmount>& amounts, const Asset& asset, Decimal total) {
  for (AssetAmount& entry : amounts) {
    if (entry.asset == asset) {
      entry.amount = total;
      return;
    }
  }
  amounts.push_back({asset, total});
}

/// The amount of `asset` in `amounts` (0 when absent).
inline Decimal amount_of(const std::vector<AssetAmount>& amounts, std::string_view asset) noexcept {
  for (const AssetAmount& entry : amounts) {
    if (entry.asset.view() == asset) return entry.amount;
  }
  return {};
}

/// True for the order types that have a TRIGGERED state (a stop-limit waits at the venue
/// after its trigger; market-style stops execute at once and never report it).
constexpr bool is_triggerable(OrderType type) noexcept {
  return type == OrderType::stop_limit || type == OrderType::take_profit_limit;
}

/// One order. Value type: copy it to snapshot, compare with == (every field).
///
/// Invariants kept after every apply(): filled is monotonic; leaves() + filled() ==
/// quantity() unless overfilled, then leaves() == 0 and overfill() == filled − quantity;
/// after a fill the status is FILLED iff filled ≥ quantity, else PARTIALLY_FILLED;
/// a trade id is applied at most once.
class Order {
 public:
  /// Creates an INITIALIZED order. invalid_argument when the client id or symbol is
  /// empty, the quantity is not positive, a limit type has no price, or a stop type has
  /// no trigger price.
  static Result<Order> create(const OrderRequest& request) {
    if (request.client_id.empty()) return make_error(ErrorCode::invalid_argument, "order needs a client order id");
    if (request.symbol.empty()) return make_error(ErrorCode::invalid_argument, "order needs a symbol");
    if (!request.quantity.is_positive()) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("order {}: quantity must be positive, got {}", request.client_id, request.quantity));
    }
    if (has_limit_price(request.type) && !request.price) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("order {}: a {} order needs a price", request.client_id, request.type));
    }
    if (has_trigger_price(request.type) && !request.trigger_price) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("order {}: a {} order needs a trigger price", request.client_id, request.type));
    }
    Order o;
    o.client_id_ = request.client_id;
    o.symbol_ = request.symbol;
    o.position_id_ = request.position_id;
    o.side_ = request.side;
    o.type_ = request.type;
    o.tif_ = request.tif;
    o.reduce_only_ = request.reduce_only;
    o.quantity_ = request.quantity;
    o.has_price_ = request.price.has_value();
    o.price_ = request.price.value_or(Decimal{});
    o.has_trigger_ = request.trigger_price.has_value();
    o.trigger_price_ = request.trigger_price.value_or(Decimal{});
    o.ts_init_ = request.ts;
    o.ts_last_ = request.ts;
    return o;
  }

  /// Applies `event`. Errors (the order is then unchanged):
  /// - duplicate_fill: a fill whose trade id was already applied (checked first);
  /// - invalid_argument: a fill without trade id or with a non-positive quantity, a fee
  ///   without asset, an update to a quantity below the filled quantity, or a venue
  ///   order id that differs from the known one on any event but `updated`;
  /// - invalid_transition: the (status, event) pair is not in kTransitionTable, or
  ///   `triggered` for a type that is not triggerable;
  /// - out_of_range: fill arithmetic overflowed the decimal range.
  Result<void> apply(const OrderEvent& event);

  /// Checks whether apply(event) would succeed, without changing anything.
  [[nodiscard]] Result<void> check(const OrderEvent& event) const { return validate(event, nullptr); }

  /// The client order id.
  [[nodiscard]] const ClientOrderId& client_id() const noexcept { return client_id_; }
  /// The venue's order id (empty until an event carried it).
  [[nodiscard]] const VenueOrderId& venue_order_id() const noexcept { return venue_order_id_; }
  /// The unified symbol.
  [[nodiscard]] const std::string& symbol() const noexcept { return symbol_; }
  /// The hedging position id the order trades (empty: default).
  [[nodiscard]] const std::string& position_id() const noexcept { return position_id_; }
  /// Side.
  [[nodiscard]] Side side() const noexcept { return side_; }
  /// Order type.
  [[nodiscard]] OrderType type() const noexcept { return type_; }
  /// Time in force.
  [[nodiscard]] TimeInForce time_in_force() const noexcept { return tif_; }
  /// Reduce-only flag.
  [[nodiscard]] bool reduce_only() const noexcept { return reduce_only_; }
  /// Current status.
  [[nodiscard]] OrderStatus status() const noexcept { return status_; }
  /// The status saved before the last non-pending transition (restored by modify and
  /// cancel rejects); nullopt before the first event.
  [[nodiscard]] std::optional<OrderStatus> previous_status() const noexcept {
    return has_previous_ ? std::optional<OrderStatus>(previous_status_) : std::nullopt;
  }
  /// True after outcome_unknown until the venue says anything about the order: the
  /// order must be queried by client order id, never re-sent under a new id.
  [[nodiscard]] bool outcome_unknown() const noexcept { return outcome_unknown_; }
  /// Order quantity.
  [[nodiscard]] Decimal quantity() const noexcept { return quantity_; }
  /// Limit price, if any.
  [[nodiscard]] std::optional<Decimal> price() const noexcept {
    return has_price_ ? std::optional<Decimal>(price_) : std::nullopt;
  }
  /// Trigger price, if any.
  [[nodiscard]] std::optional<Decimal> trigger_price() const noexcept {
    return has_trigger_ ? std::optional<Decimal>(trigger_price_) : std::nullopt;
  }
  /// Executed quantity (sum of fills).
  [[nodiscard]] Decimal filled() const noexcept { return filled_; }
  /// Quantity still to execute: max(quantity − filled, 0).
  [[nodiscard]] Decimal leaves() const noexcept {
    return filled_ >= quantity_ ? Decimal{} : Decimal::from_raw(quantity_.raw() - filled_.raw());
  }
  /// Quantity executed beyond the order quantity: max(filled − quantity, 0).
  [[nodiscard]] Decimal overfill() const noexcept {
    return filled_ <= quantity_ ? Decimal{} : Decimal::from_raw(filled_.raw() - quantity_.raw());
  }
  /// Sum of quantity·price over the fills, exact whenever each product has at most 18
  /// decimals (otherwise each product is rounded half-even at the 18th).
  [[nodiscard]] Decimal fill_notional() const noexcept { return notional_; }
  /// Quantity-weighted average fill price, fill_notional()/filled() rounded half-even
  /// at 18 decimals; 0 before the first fill.
  [[nodiscard]] Decimal avg_px() const noexcept {
    if (filled_.is_zero()) return {};
    Result<Decimal> avg = notional_.checked_div(filled_, Rounding::half_even);
    return avg ? *avg : Decimal{};
  }
  /// Fees paid, per asset, in order of first appearance.
  [[nodiscard]] const std::vector<AssetAmount>& fees() const noexcept { return fees_; }
  /// The fee paid in `asset` (0 when none).
  [[nodiscard]] Decimal fee(std::string_view asset) const noexcept { return amount_of(fees_, asset); }
  /// Trade ids applied, in order.
  [[nodiscard]] const std::vector<TradeId>& trade_ids() const noexcept { return trade_ids_; }
  /// True when a fill with `trade_id` was applied.
  [[nodiscard]] bool has_trade(const TradeId& trade_id) const noexcept {
    return std::find(trade_ids_.begin(), trade_ids_.end(), trade_id) != trade_ids_.end();
  }
  /// Creation time.
  [[nodiscard]] SystemTime ts_init() const noexcept { return ts_init_; }
  /// Time of the last applied event.
  [[nodiscard]] SystemTime ts_last() const noexcept { return ts_last_; }
  /// Number of events applied.
  [[nodiscard]] std::uint32_t event_count() const noexcept { return event_count_; }
  /// True while the order works at the venue (see cts::order::is_open).
  [[nodiscard]] bool is_open() const noexcept { return order::is_open(status_); }
  /// True once the order is closed (see cts::order::is_terminal).
  [[nodiscard]] bool is_terminal() const noexcept { return order::is_terminal(status_); }

  /// Every field equal.
  friend bool operator==(const Order&, const Order&) = default;

 private:
  /// What apply() will write, computed by validate() before anything changes.
  struct Pending {
    OrderStatus to = OrderStatus::initialized;
    Decimal filled;
    Decimal notional;
    Decimal quantity;
    Decimal fee_total;  // the fee asset's total after a fill with a fee
  };

  Order() = default;

  template <class T>
  static void reserve_one_more(std::vector<T>& v) {
    if (v.size() == v.capacity()) v.reserve(std::max<std::size_t>(4, v.capacity() * 2));
  }

  Result<void> validate(const OrderEvent& event, Pending* out) const;
  void commit(const OrderEvent& event, const Pending& pending);

  ClientOrderId client_id_;
  VenueOrderId venue_order_id_;
  std::string symbol_;
  std::string position_id_;
  Decimal quantity_;
  Decimal price_;
  Decimal trigger_price_;
  Decimal filled_;
  Decimal notional_;
  std::vector<AssetAmount> fees_;
  std::vector<TradeId> trade_ids_;
  SystemTime ts_init_{};
  SystemTime ts_last_{};
  std::uint32_t event_count_ = 0;
  Side side_ = Side::buy;
  OrderType type_ = OrderType::limit;
  TimeInForce tif_ = TimeInForce::gtc;
  OrderStatus status_ = OrderStatus::initialized;
  OrderStatus previous_status_ = OrderStatus::initialized;
  bool has_previous_ = false;
  bool has_price_ = false;
  bool has_trigger_ = false;
  bool reduce_only_ = false;
  bool outcome_unknown_ = false;
};

inline Result<void> Order::validate(const OrderEvent& event, Pending* out) const {
  const OrderEventKind kind = event.kind;
  Pending p{OrderStatus::initialized, filled_, notional_, quantity_, Decimal{}};
  if (kind == OrderEventKind::filled) {
    const Fill& f = event.fill;
    if (f.trade_id.empty()) {
      return make_error(ErrorCode::invalid_argument, fmt::format("order {}: fill without trade id", client_id_));
    }
    if (has_trade(f.trade_id)) {
      return make_error(ErrorCode::duplicate_fill,
                        fmt::format("order {}: trade {} was already applied", client_id_, f.trade_id));
    }
    if (!f.quantity.is_positive()) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("order {}: fill {} quantity must be positive, got {}", client_id_, f.trade_id, f.quantity));
    }
    if (!f.fee.is_zero() && f.fee_asset.empty()) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("order {}: fill {} has a fee without an asset", client_id_, f.trade_id));
    }
  }
  if (kind == OrderEventKind::triggered && !is_triggerable(type_)) {
    return make_error(ErrorCode::invalid_transition,
                      fmt::format("order {}: a {} order has no TRIGGERED state", client_id_, type_));
  }
  if (!event.venue_order_id.empty() && !venue_order_id_.empty() && event.venue_order_id != venue_order_id_ &&
      kind != OrderEventKind::updated) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("order {}: event {} carries venue order id {} but the order has {}", client_id_, kind,
                                  event.venue_order_id, venue_order_id_));
  }
  const std::optional<OrderStatus> to = table_transition(status_, kind);
  if (!to) {
    return make_error(ErrorCode::invalid_transition,
                      fmt::format("order {}: event {} is not valid in status {}", client_id_, kind, status_));
  }
  p.to = *to;
  if ((kind == OrderEventKind::modify_rejected || kind == OrderEventKind::cancel_rejected) && !has_previous_) {
    return make_error(ErrorCode::invalid_transition,
                      fmt::format("order {}: {} without a previous status to restore", client_id_, kind));
  }
  if (kind == OrderEventKind::filled) {
    Result<Decimal> filled = filled_.checked_add(event.fill.quantity);
    if (!filled) return filled.error();
    Result<Decimal> value = event.fill.quantity.checked_mul(event.fill.price, Rounding::half_even);
    if (!value) return value.error();
    Result<Decimal> notional = notional_.checked_add(*value);
    if (!notional) return notional.error();
    if (!event.fill.fee.is_zero()) {
      // An overflowing fee total is refused here, before anything changes.
      Result<Decimal> fee_total = fee(event.fill.fee_asset.view()).checked_add(event.fill.fee);
      if (!fee_total) return fee_total.error();
      p.fee_total = *fee_total;
    }
    p.filled = *filled;
    p.notional = *notional;
    p.to = p.filled >= quantity_ ? OrderStatus::filled : OrderStatus::partially_filled;
  }
  if (kind == OrderEventKind::updated && event.quantity) {
    if (!event.quantity->is_positive() || *event.quantity < filled_) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("order {}: updated quantity {} must be positive and at least the filled {}",
                                    client_id_, *event.quantity, filled_));
    }
    p.quantity = *event.quantity;
  }
  if (out != nullptr) *out = p;
  return {};
}

inline void Order::commit(const OrderEvent& event, const Pending& p) {
  const OrderEventKind kind = event.kind;
  if (kind == OrderEventKind::filled) {
    // The only steps that can throw (allocation) come before any change.
    reserve_one_more(trade_ids_);
    reserve_one_more(fees_);
  }
  const bool restores = kind == OrderEventKind::modify_rejected || kind == OrderEventKind::cancel_rejected;
  const bool pending = status_ == OrderStatus::pending_update || status_ == OrderStatus::pending_cancel;
  const OrderStatus before = status_;
  if (!restores && !pending) {
    previous_status_ = status_;
    has_previous_ = true;
  }
  status_ = p.to;
  if (restores || (kind == OrderEventKind::updated && before == OrderStatus::pending_update)) status_ = previous_status_;
  if (kind == OrderEventKind::filled) {
    filled_ = p.filled;
    notional_ = p.notional;
    trade_ids_.push_back(event.fill.trade_id);
    if (!event.fill.fee.is_zero()) set_asset_amount(fees_, event.fill.fee_asset, p.fee_total);
  }
  if (kind == OrderEventKind::updated) {
    quantity_ = p.quantity;
    if (event.price) {
      price_ = *event.price;
      has_price_ = true;
    }
    if (event.trigger_price) {
      trigger_price_ = *event.trigger_price;
      has_trigger_ = true;
    }
  }
  if (!event.venue_order_id.empty()) venue_order_id_ = event.venue_order_id;
  switch (kind) {
    case OrderEventKind::outcome_unknown: outcome_unknown_ = true; break;
    case OrderEventKind::submitted:
    case OrderEventKind::denied:
    case OrderEventKind::pending_update:
    case OrderEventKind::pending_cancel: break;
    default: outcome_unknown_ = false; break;  // the venue spoke
  }
  ts_last_ = event.ts;
  ++event_count_;
}

inline Result<void> Order::apply(const OrderEvent& event) {
  Pending p;
  if (Result<void> ok = validate(event, &p); !ok) return ok;
  commit(event, p);
  return {};
}

}  // namespace cts::order
