#pragma once
/// \file
/// cts::order::OrderTracker: every order of a session, found in O(1) by client order id
/// and by venue order id, with per-symbol views of the orders not yet closed.

#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/order/id_index.hpp"
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
    if (by_client_.find(request.client_id.view()) != kNotFound) {
      return make_error(ErrorCode::duplicate_client_order_id,
                        fmt::format("client order id {} is already tracked", request.client_id));
    }
    Result<Order> order = Order::create(request);
    if (!order) return order.error();
    if (all().size() >= std::numeric_limits<std::uint32_t>::max() - 1) {
      return make_error(ErrorCode::out_of_range, "order tracker is full");
    }
    const auto index = static_cast<std::uint32_t>(all().size());
    all().push_back(std::move(*order));
    open_slot_.push_back(kNoSlot);
    by_client_.insert(index);
    add_open(index);
    return &all().back();
  }

  /// Applies `event` to the order `client_id`. Errors: order_not_found; a venue order
  /// id already used by another order (invalid_argument); Order::apply's errors. On any
  /// error nothing changes.
  Result<const Order*> apply(const ClientOrderId& client_id, const OrderEvent& event) {
    return apply(client_id.view(), event);
  }
  /// Same as apply(ClientOrderId, event).
  Result<const Order*> apply(std::string_view client_id, const OrderEvent& event) {
    const std::uint32_t index = by_client_.find(client_id);
    if (index == kNotFound) {
      return make_error(ErrorCode::order_not_found, fmt::format("no order with client order id {}", client_id));
    }
    Order& order = all()[index];
    if (Result<void> ok = order.check(event); !ok) return ok.error();
    const bool new_venue_id = !event.venue_order_id.empty() && event.venue_order_id != order.venue_order_id();
    if (new_venue_id) {
      const std::uint32_t owner = by_venue_.find(event.venue_order_id.view());
      if (owner != kNotFound && owner != index) {
        return make_error(ErrorCode::invalid_argument,
                          fmt::format("venue order id {} already belongs to order {}", event.venue_order_id,
                                      all()[owner].client_id()));
      }
      // The index reads keys from the order's own bytes: drop the entry before they change.
      if (!order.venue_order_id().empty()) by_venue_.erase(order.venue_order_id().view());
    }
    (void)order.apply(event);  // cannot fail: check() passed on the same state
    if (new_venue_id) by_venue_.insert(index);
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
    const std::uint32_t index = by_client_.find(client_id);
    return index == kNotFound ? nullptr : &all()[index];
  }
  /// The order with `client_id`, or nullptr.
  [[nodiscard]] const Order* find(const ClientOrderId& client_id) const { return find(client_id.view()); }
  /// The order the venue calls `venue_order_id`, or nullptr.
  [[nodiscard]] const Order* find_by_venue_id(std::string_view venue_order_id) const {
    const std::uint32_t index = by_venue_.find(venue_order_id);
    return index == kNotFound ? nullptr : &all()[index];
  }

  /// The orders of `symbol` that are not in a terminal status (INITIALIZED and in-flight
  /// ones included), in no particular order.
  [[nodiscard]] std::vector<const Order*> open_orders(std::string_view symbol) const {
    std::vector<const Order*> out;
    auto it = open_by_symbol_.find(symbol);
    if (it == open_by_symbol_.end()) return out;
    out.reserve(it->second.size());
    for (std::uint32_t index : it->second) out.push_back(&all()[index]);
    return out;
  }
  /// Number of orders of `symbol` not in a terminal status.
  [[nodiscard]] std::size_t open_count(std::string_view symbol) const {
    auto it = open_by_symbol_.find(symbol);
    return it == open_by_symbol_.end() ? 0 : it->second.size();
  }

  /// Number of orders tracked (closed ones included until purged).
  [[nodiscard]] std::size_t size() const noexcept { return all().size(); }
  /// Calls f(const Order&) for every order, in creation order.
  template <class F>
  void for_each(F&& f) const {
    for (const Order& o : all()) f(o);
  }

  /// Forgets terminal orders whose last event is before `before` (a late fill for one
  /// of them is then order_not_found). Invalidates every pointer to orders. O(n).
  std::size_t purge_terminal(SystemTime before) {
    std::deque<Order> kept;
    for (Order& o : all()) {
      if (!(o.is_terminal() && o.ts_last() < before)) kept.push_back(std::move(o));
    }
    const std::size_t removed = all().size() - kept.size();
    by_client_.clear();
    by_venue_.clear();
    open_by_symbol_.clear();
    open_slot_.assign(kept.size(), kNoSlot);
    all() = std::move(kept);
    for (std::uint32_t i = 0; i < all().size(); ++i) {
      by_client_.insert(i);
      if (!all()[i].venue_order_id().empty()) by_venue_.insert(i);
      if (!all()[i].is_terminal()) add_open(i);
    }
    return removed;
  }

 private:
  static constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();

  std::deque<Order>& all() noexcept { return *storage_; }
  const std::deque<Order>& all() const noexcept { return *storage_; }

  void add_open(std::uint32_t index) {
    if (open_slot_[index] != kNoSlot) return;
    std::vector<std::uint32_t>& list = open_by_symbol_[all()[index].symbol()];
    open_slot_[index] = static_cast<std::uint32_t>(list.size());
    list.push_back(index);
  }
  void remove_open(std::uint32_t index) {
    const std::uint32_t slot = open_slot_[index];
    if (slot == kNoSlot) return;
    std::vector<std::uint32_t>& list = open_by_symbol_[all()[index].symbol()];
    const std::uint32_t moved = list.back();
    list[slot] = moved;
    open_slot_[moved] = slot;
    list.pop_back();
    open_slot_[index] = kNoSlot;
  }

  // The orders live on the heap so that the indexes' view of them survives a move.
  struct ClientKey {
    const std::deque<Order>* orders;
    std::string_view operator()(std::uint32_t i) const noexcept { return (*orders)[i].client_id().view(); }
  };
  struct VenueKey {
    const std::deque<Order>* orders;
    std::string_view operator()(std::uint32_t i) const noexcept { return (*orders)[i].venue_order_id().view(); }
  };
  static constexpr std::uint32_t kNotFound = IdIndex<ClientKey>::kNone;

  std::unique_ptr<std::deque<Order>> storage_ = std::make_unique<std::deque<Order>>();
  std::vector<std::uint32_t> open_slot_;  // position in open_by_symbol_[symbol], or kNoSlot
  IdIndex<ClientKey> by_client_{ClientKey{storage_.get()}};
  IdIndex<VenueKey> by_venue_{VenueKey{storage_.get()}};
  // Heterogeneous lookup: a string_view symbol finds its entry without a std::string.
  struct SymbolHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::vector<std::uint32_t>, SymbolHash, std::equal_to<>> open_by_symbol_;
};

}  // namespace cts::order
