#pragma once
/// \file
/// OrderBook: a local price-level book (aggregated quantity per price) kept in two
/// sorted contiguous arrays whose best level is at the back, so the frequent changes
/// near the top of the book move few elements and lookups are binary searches.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"
#include "cts/core/error.hpp"
#include "cts/core/order_types.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue {

/// A price-level order book. Not thread-safe; one owner applies updates.
class OrderBook {
 public:
  /// Removes every level and resets the update id to 0.
  void clear() noexcept {
    bids_.clear();
    asks_.clear();
    last_update_id_ = 0;
  }

  /// Replaces the whole book with `snapshot` (levels of quantity 0 are skipped).
  /// Errors (book unchanged): protocol_error when a price is not positive, a quantity
  /// is negative, or a side is not strictly sorted best first.
  Result<void> load(const BookSnapshot& snapshot) {
    // One pass per side in the usual case; the separate checks below only run to name
    // the first problem of a bad snapshot.
    std::size_t empty_bids = 0;
    std::size_t empty_asks = 0;
    if (!valid_and_sorted(snapshot.bids, std::greater<>{}, empty_bids) ||
        !valid_and_sorted(snapshot.asks, std::less<>{}, empty_asks)) [[unlikely]] {
      if (auto r = check_levels(snapshot.bids, "bid"); !r) return r;
      if (auto r = check_levels(snapshot.asks, "ask"); !r) return r;
      return make_error(ErrorCode::protocol_error, "book snapshot levels are not sorted best first");
    }
    fill_reversed(bids_, snapshot.bids, empty_bids);
    fill_reversed(asks_, snapshot.asks, empty_asks);
    last_update_id_ = snapshot.last_update_id;
    return {};
  }

  /// Applies changed levels (quantity 0 removes a level; removing an absent level is
  /// a no-op) and sets the update id. Errors (book unchanged): protocol_error for a
  /// non-positive price or a negative quantity.
  Result<void> apply(std::span<const PriceLevel> bids, std::span<const PriceLevel> asks, std::uint64_t update_id) {
    if (auto r = check_levels(bids, "bid"); !r) return r;
    if (auto r = check_levels(asks, "ask"); !r) return r;
    for (const PriceLevel& level : bids) set_level(bids_, level, std::less<>{});
    for (const PriceLevel& level : asks) set_level(asks_, level, std::greater<>{});
    last_update_id_ = update_id;
    return {};
  }

  /// The best (highest) bid, if any.
  [[nodiscard]] std::optional<PriceLevel> best_bid() const noexcept {
    return bids_.empty() ? std::nullopt : std::optional<PriceLevel>(bids_.back());
  }
  /// The best (lowest) ask, if any.
  [[nodiscard]] std::optional<PriceLevel> best_ask() const noexcept {
    return asks_.empty() ? std::nullopt : std::optional<PriceLevel>(asks_.back());
  }
  /// The `index`-th best level of `side` (0 = best). Precondition: index < depth(side).
  [[nodiscard]] const PriceLevel& level(Side side, std::size_t index) const noexcept {
    const auto& levels = side == Side::buy ? bids_ : asks_;
    return levels[levels.size() - 1 - index];
  }
  /// Number of levels on `side` (buy = bids).
  [[nodiscard]] std::size_t depth(Side side) const noexcept { return side == Side::buy ? bids_.size() : asks_.size(); }
  /// True when both sides are non-empty and the best bid is at or above the best ask:
  /// a book in that state is corrupt (missed updates) and must be resynchronised.
  [[nodiscard]] bool crossed() const noexcept {
    return !bids_.empty() && !asks_.empty() && bids_.back().price >= asks_.back().price;
  }
  /// The venue update id the book reflects.
  [[nodiscard]] std::uint64_t last_update_id() const noexcept { return last_update_id_; }

 private:
  static Result<void> check_levels(std::span<const PriceLevel> levels, std::string_view side) {
    for (const PriceLevel& level : levels) {
      if (!level.price.is_positive() || level.quantity.is_negative()) {
        return make_error(ErrorCode::protocol_error,
                          fmt::format("{} level {} @ {} is invalid (price must be positive, quantity not negative)",
                                      side, level.quantity.to_string(), level.price.to_string()));
      }
    }
    return {};
  }
  // Every price positive, every quantity not negative, prices strictly ordered by
  // `better`: one branch-free pass that does not say what is wrong. Counts the levels of
  // quantity 0 into `empty`.
  template <class Better>
  static bool valid_and_sorted(std::span<const PriceLevel> levels, Better better, std::size_t& empty) noexcept {
    if (levels.empty()) return true;
    bool valid = levels[0].price.is_positive() && !levels[0].quantity.is_negative();
    std::size_t zeros = levels[0].quantity.is_zero();
    for (std::size_t i = 1; i < levels.size(); ++i) {
      const bool level_ok = levels[i].price.is_positive() & !levels[i].quantity.is_negative() &
                            better(levels[i - 1].price, levels[i].price);
      valid = valid & level_ok;
      zeros += levels[i].quantity.is_zero();
    }
    empty = zeros;
    return valid;
  }
  // `out` = `best_first` reversed, without its `empty` levels of quantity 0.
  static void fill_reversed(std::vector<PriceLevel>& out, std::span<const PriceLevel> best_first, std::size_t empty) {
    out.assign(best_first.rbegin(), best_first.rend());
    if (empty != 0) std::erase_if(out, [](const PriceLevel& level) { return level.quantity.is_zero(); });
  }
  // `levels` is sorted by `order` (worst first, best at the back).
  template <class Order>
  static void set_level(std::vector<PriceLevel>& levels, const PriceLevel& level, Order order) {
    auto it = std::lower_bound(levels.begin(), levels.end(), level.price,
                               [&](const PriceLevel& a, const Decimal& price) { return order(a.price, price); });
    const bool found = it != levels.end() && it->price == level.price;
    if (level.quantity.is_zero()) {
      if (found) levels.erase(it);
    } else if (found) {
      it->quantity = level.quantity;
    } else {
      levels.insert(it, level);
    }
  }

  std::vector<PriceLevel> bids_;  // ascending: best bid at the back
  std::vector<PriceLevel> asks_;  // descending: best ask at the back
  std::uint64_t last_update_id_ = 0;
};

}  // namespace cts::venue
