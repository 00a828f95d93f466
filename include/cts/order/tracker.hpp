#pragma once
/// \file
/// cts::order::OrderTracker: every order of a session, found in O(1) by client order id
/// and by venue order id, with per-symbol views of the orders not yet closed.

#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/order/order.hpp"

namespace cts::order {

/// Owns orders. Pointers and references to orders stay valid until purge_terminal().
/// Not thread-safe: one owner (the session's strand) drives it.
class OrderTracker {
 public:
  /// An empty tracker.
  OrderTracker() = default;
  /// Orders are referenced by their own storage: not copyable, movable.
  OrderTracker(const OrderTracker&) = delete;
  /// Not copyable.
  OrderTracker& operator=(const OrderTracker&) = delete;
  /// Movable (pointers to orders stay valid).
  OrderTracker(OrderTracker&&) = default;
  /// Movable.
  OrderTracker& operator=(OrderTracker&&) = default;

  /// Creates an INITIALIZED order from `request`. Errors: duplicate_client_order_id when
  /// the id is taken; Order::create's invalid_argument errors.
  Result<const Order*> create(const OrderRequest& request) {
    if (by_client_.contains(request.client_id.view())) {
      return make_error(ErrorCode::duplicate_client_order_id,
                        fmt::format("client order id {} is already tracked", request.client_id));
    }
    Result<Order> order = Order::create(request);
    if (!order) return order.error();
    if (orders_.size() >= std::numeric_limits<std::uint32_t>::max() - 1) {
      return make_error(ErrorCode::out_of_range, "order tracker is full");
    }
    const auto index = static_cast<std::uint32_t>(orders_.size());
    orders_.push_back(std::move(*order));
    open_slot_.push_back(kNoSlot);
    const Order& stored = orders_.back();
    by_client_.emplace(stored.client_id().view(), index);
    add_open(index);
    return &stored;
  }

  /// Applies `event` to the order `client_id`. Errors: order_not_found; a venue order
  /// id already used by another order (invalid_argument); Order::apply's errors. On any
  /// error nothing changes.
  Result<const Order*> apply(const ClientOrderId& client_id, const OrderEvent& event) {
    return apply(client_id.view(), event);
  }
  /// Same as apply(ClientOrderId, event).
  Result<const Order*> apply(std::string_view client_id, const OrderEvent& event) {
    auto it = by_client_.find(client_id);
    if (it == by_client_.end()) {
      return make_error(ErrorCode::order_not_found, fmt::format("no order with client order id {}", client_id));
    }
    const std::uint32_t index = it->second;
    Order& order = orders_[index];
    if (Result<void> ok = order.check(event); !ok) return ok.error();
    const bool new_venue_id = !event.venue_order_id.empty() && event.venue_order_id != order.venue_order_id();
    if (new_venue_id) {
      auto owner = by_venue_.find(event.venue_order_id.view());
      if (owner != by_venue_.end() && owner->second != index) {
        return make_error(ErrorCode::invalid_argument,
                          fmt::format("venue order id {} already belongs to order {}", event.venue_order_id,
                                      orders_[owner->second].client_id()));
      }
      // The map's key views the order's own bytes: drop it before they change.
      if (!order.venue_order_id().empty()) by_venue_.erase(order.venue_order_id().view());
    }
    (void)order.apply(event);  // cannot fail: check() passed on the same state
    if (new_venue_id) by_venue_.emplace(order.venue_order_id().view(), index);
    if (order.is_terminal()) remove_open(index); else add_open(index);
    return &order;
  }

  /// Checks whether apply(client_id, event) would succeed, without changing anything.
  [[nodiscard]] Result<void> check(std::string_view client_id, const OrderEvent& event) const {
    const Order* order = find(client_id);
    if (order == nullptr) {
      return make_error(ErrorCode::order_not_found, fmt::format("no order with client order id {}", client_id));
    }
    return order->check(event);
  }

  /// The order with `client_id`, or nullptr.
  [[nodiscard]] const Order* find(std::string_view client_id) const {
    auto it = by_client_.find(client_id);
    return it == by_client_.end() ? nullptr : &orders_[it->second];
  }
  /// The order with `client_id`, or nullptr.
  [[nodiscard]] const Order* find(const ClientOrderId& client_id) const { return find(client_id.view()); }
  /// The order the venue calls `venue_order_id`, or nullptr.
  [[nodiscard]] const Order* find_by_venue_id(std::string_view venue_order_id) const {
    auto it = by_venue_.find(venue_order_id);
    return it == by_venue_.end() ? nullptr : &orders_[it->second];
  }

  /// The orders of `symbol` that are not in a terminal status (INITIALIZED and in-flight
  /// ones included), in no particular order.
  [[nodiscard]] std::vector<const Order*> open_orders(std::string_view symbol) const {
    std::vector<const Order*> out;
    auto it = open_by_symbol_.find(std::string(symbol));
    if (it == open_by_symbol_.end()) return out;
    out.reserve(it->second.size());
    for (std::uint32_t index : it->second) out.push_back(&orders_[index]);
    return out;
  }
  /// Number of orders of `symbol` not in a terminal status.
  [[nodiscard]] std::size_t open_count(std::string_view symbol) const {
    auto it = open_by_symbol_.find(std::string(symbol));
    return it == open_by_symbol_.end() ? 0 : it->second.size();
  }

  /// Number of orders tracked (closed ones included until purged).
  [[nodiscard]] std::size_t size() const noexcept { return orders_.size(); }
  /// Calls f(const Order&) for every order, in creation order.
  template <class F>
  void for_each(F&& f) const {
    for (const Order& o : orders_) f(o);
  }

  /// Forgets terminal orders whose last event is before `before` (a late fill for one
  /// of them is then order_not_found). Invalidates every pointer to orders. O(n).
  std::size_t purge_terminal(SystemTime before) {
    std::deque<Order> kept;
    for (Order& o : orders_) {
      if (!(o.is_terminal() && o.ts_last() < before)) kept.push_back(std::move(o));
    }
    const std::size_t removed = orders_.size() - kept.size();
    by_client_.clear();
    by_venue_.clear();
    open_by_symbol_.clear();
    open_slot_.assign(kept.size(), kNoSlot);
    orders_ = std::move(kept);
    for (std::uint32_t i = 0; i < orders_.size(); ++i) {
      by_client_.emplace(orders_[i].client_id().view(), i);
      if (!orders_[i].venue_order_id().empty()) by_venue_.emplace(orders_[i].venue_order_id().view(), i);
      if (!orders_[i].is_terminal()) add_open(i);
    }
    return removed;
  }

 private:
  static constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();

  void add_open(std::uint32_t index) {
    if (open_slot_[index] != kNoSlot) return;
    std::vector<std::uint32_t>& list = open_by_symbol_[orders_[index].symbol()];
    open_slot_[index] = static_cast<std::uint32_t>(list.size());
    list.push_back(index);
  }
  void remove_open(std::uint32_t index) {
    const std::uint32_t slot = open_slot_[index];
    if (slot == kNoSlot) return;
    std::vector<std::uint32_t>& list = open_by_symbol_[orders_[index].symbol()];
    const std::uint32_t moved = list.back();
    list[slot] = moved;
    open_slot_[moved] = slot;
    list.pop_back();
    open_slot_[index] = kNoSlot;
  }

  std::deque<Order> orders_;
  std::vector<std::uint32_t> open_slot_;  // position in open_by_symbol_[symbol], or kNoSlot
  std::unordered_map<std::string_view, std::uint32_t> by_client_;  // keys view orders_' bytes
  std::unordered_map<std::string_view, std::uint32_t> by_venue_;   // keys view orders_' bytes
  std::unordered_map<std::string, std::vector<std::uint32_t>> open_by_symbol_;
};

}  // namespace cts::order
