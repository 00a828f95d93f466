#pragma once
/// \file
/// cts::order::PositionBook: every position of an account, under a netting or hedging
/// OMS. Routes order fills to positions, splits a fill that crosses zero into a close
/// and an open (fee split pro rata), and keeps closed cycles as snapshots.

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "cts/core/instrument.hpp"
#include "cts/order/order.hpp"
#include "cts/order/position.hpp"

namespace cts::order {

/// The positions of one account. Not thread-safe: one owner (the session) drives it.
class PositionBook {
 public:
  /// An empty book under `oms`.
  explicit PositionBook(OmsType oms = OmsType::netting) : oms_(oms) {}

  /// The OMS type.
  [[nodiscard]] OmsType oms() const noexcept { return oms_; }

  /// Registers the instrument `spec.symbol` trades (needed before its first fill);
  /// replaces an earlier registration.
  void add_instrument(PositionSpec spec) { specs_.insert_or_assign(spec.symbol, std::move(spec)); }

  /// The registered facts of `symbol`, or nullptr.
  [[nodiscard]] const PositionSpec* find_instrument(std::string_view symbol) const { return find_spec(symbol); }

  /// The position id `order` trades: the symbol under netting; under hedging the order's
  /// position id, or its client order id when it has none.
  [[nodiscard]] std::string position_id_for(const Order& order) const {
    if (oms_ == OmsType::netting) return order.symbol();
    return order.position_id().empty() ? order.client_id().str() : order.position_id();
  }

  /// Checks whether apply(order, fill) would succeed, without changing anything.
  /// invalid_argument for an unregistered symbol or a fill the position refuses.
  [[nodiscard]] Result<void> check(const Order& order, const Fill& fill) const {
    const PositionSpec* spec = find_spec(order.symbol());
    if (spec == nullptr) {
      return make_error(ErrorCode::invalid_argument, fmt::format("no instrument registered for {}", order.symbol()));
    }
    Position probe(*spec, position_id_for(order));
    if (const Entry* e = find_entry(probe.id()); e != nullptr && !e->current.is_closed()) probe = e->current;
    return split_and_apply(probe, nullptr, order.side(), fill, SystemTime{});
  }

  /// Applies an order's fill to the position the order trades. A fill larger than an
  /// opposite position closes it (first part, fee·closed/qty rounded half-even) and
  /// opens the next cycle under the same id with the rest (the remaining fee); a spot
  /// fee paid in the base asset goes whole to the opening part. Errors as
  /// check(); the book is then unchanged.
  Result<void> apply(const Order& order, const Fill& fill, SystemTime ts) {
    const PositionSpec* spec = find_spec(order.symbol());
    if (spec == nullptr) {
      return make_error(ErrorCode::invalid_argument, fmt::format("no instrument registered for {}", order.symbol()));
    }
    std::string id = position_id_for(order);
    auto it = entries_.find(id);
    if (it == entries_.end()) it = entries_.emplace(id, Entry{Position(*spec, id), {}}).first;
    Entry& entry = it->second;
    if (entry.current.is_closed()) {
      entry.closed.push_back(std::move(entry.current));
      entry.current = Position(*spec, id);
    }
    Position updated = entry.current;
    std::optional<Position> reopened;
    if (Result<void> ok = split_and_apply(updated, &reopened, order.side(), fill, ts); !ok) {
      if (entry.current.fill_count() == 0 && entry.closed.empty()) entries_.erase(it);
      return ok;
    }
    if (reopened) {
      entry.closed.push_back(std::move(updated));
      entry.current = std::move(*reopened);
    } else {
      entry.current = std::move(updated);
    }
    return {};
  }

  /// The current cycle of position `id` (possibly closed), or nullptr.
  [[nodiscard]] const Position* find(std::string_view id) const {
    const Entry* e = find_entry(id);
    return e == nullptr ? nullptr : &e->current;
  }
  /// The closed cycles of position `id`, oldest first (the current one excluded).
  [[nodiscard]] const std::vector<Position>* closed_cycles(std::string_view id) const {
    const Entry* e = find_entry(id);
    return e == nullptr ? nullptr : &e->closed;
  }
  /// Ids of every position, sorted.
  [[nodiscard]] std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& [id, e] : entries_) out.push_back(id);
    std::sort(out.begin(), out.end());
    return out;
  }

  /// Σ signed quantity of the current cycles of `symbol` (the net exposure).
  [[nodiscard]] Decimal net_quantity(std::string_view symbol) const {
    Decimal sum;
    for_each_cycle(symbol, [&](const Position& p, bool current) {
      if (current) sum += p.signed_qty();
    });
    return sum;
  }
  /// Σ realized PnL of every cycle (closed and current) of `symbol`.
  [[nodiscard]] Decimal realized_pnl(std::string_view symbol) const {
    Decimal sum;
    for_each_cycle(symbol, [&](const Position& p, bool) { sum += p.realized_pnl(); });
    return sum;
  }
  /// Σ fees paid in `asset` over every cycle of `symbol`.
  [[nodiscard]] Decimal fees(std::string_view symbol, std::string_view asset) const {
    Decimal sum;
    for_each_cycle(symbol, [&](const Position& p, bool) { sum += p.fee(asset); });
    return sum;
  }
  /// Σ unrealized PnL of the current cycles of `symbol` at `mark`; errors as
  /// Position::unrealized_pnl.
  [[nodiscard]] Result<Decimal> unrealized_pnl(std::string_view symbol, Decimal mark) const {
    Decimal sum;
    std::optional<Error> error;
    for_each_cycle(symbol, [&](const Position& p, bool current) {
      if (!current || error) return;
      Result<Decimal> pnl = p.unrealized_pnl(mark);
      if (!pnl) error = pnl.error();
      else sum += *pnl;
    });
    if (error) return *error;
    return sum;
  }
  /// Average open price of the open cycles of `symbol` taken together (Σ open cost /
  /// Σ |qty|, half-even at 18 decimals) when they are all on one side; 0 when flat;
  /// nullopt when long and short cycles are open at once.
  [[nodiscard]] std::optional<Decimal> avg_open(std::string_view symbol) const {
    Decimal cost, qty;
    int sign = 0;
    bool mixed = false;
    for_each_cycle(symbol, [&](const Position& p, bool current) {
      if (!current || p.signed_qty().is_zero()) return;
      if (sign != 0 && sign != p.signed_qty().sign()) mixed = true;
      sign = p.signed_qty().sign();
      cost += p.open_cost();
      qty += p.quantity();
    });
    if (mixed) return std::nullopt;
    if (qty.is_zero()) return Decimal{};
    return cost.div(qty, Rounding::half_even);
  }

  /// Calls f(closed, current) for every position id, in id order: its closed cycles
  /// (oldest first) and its current cycle.
  template <class F>
  void for_each_position(F&& f) const {
    for (const auto& [id, e] : entries_) f(e.closed, e.current);
  }
  /// Sets position `current.id()` to `closed` cycles (oldest first) and `current`,
  /// replacing what the book held under that id (restoring a journal snapshot).
  void restore(std::vector<Position> closed, Position current) {
    std::string id = current.id();
    entries_.insert_or_assign(std::move(id), Entry{std::move(current), std::move(closed)});
  }
  /// Folds, for every position, the closed cycles that closed before `before` into one
  /// cycle (the oldest), so a long run keeps one summary per position instead of every
  /// cycle: realized PnL, fees, bought, sold and closed quantities, close notional and
  /// fill counts are summed, the peak is the largest, the times span them all. The
  /// book's totals (realized_pnl, fees) are unchanged. Returns the cycles removed.
  std::size_t fold_closed_cycles(SystemTime before) {
    std::size_t removed = 0;
    for (auto& [id, e] : entries_) {
      std::size_t old = 0;
      while (old < e.closed.size() && e.closed[old].ts_closed() && *e.closed[old].ts_closed() < before) ++old;
      if (old < 2) continue;
      Position::State sum = e.closed.front().state();
      for (std::size_t i = 1; i < old; ++i) {
        const Position::State s = e.closed[i].state();
        sum.realized_pnl += s.realized_pnl;
        sum.close_notional += s.close_notional;
        sum.closed_qty += s.closed_qty;
        sum.buy_qty += s.buy_qty;
        sum.sell_qty += s.sell_qty;
        sum.peak_qty = std::max(sum.peak_qty, s.peak_qty);
        for (const AssetAmount& fee : s.fees) {
          set_asset_amount(sum.fees, fee.asset, amount_of(sum.fees, fee.asset.view()) + fee.amount);
        }
        sum.avg_open = s.avg_open;
        sum.ts_last = s.ts_last;
        sum.fill_count += s.fill_count;
      }
      Position folded(e.closed.front().spec(), id, sum);
      e.closed.erase(e.closed.begin() + 1, e.closed.begin() + static_cast<std::ptrdiff_t>(old));
      e.closed.front() = std::move(folded);
      removed += old - 1;
    }
    return removed;
  }
  /// Every field of every position equal.
  friend bool operator==(const PositionBook&, const PositionBook&) = default;

 private:
  struct Entry {
    Position current;
    std::vector<Position> closed;
    friend bool operator==(const Entry&, const Entry&) = default;
  };

  [[nodiscard]] const PositionSpec* find_spec(std::string_view symbol) const {
    auto it = specs_.find(symbol);
    return it == specs_.end() ? nullptr : &it->second;
  }
  [[nodiscard]] const Entry* find_entry(std::string_view id) const {
    auto it = entries_.find(id);
    return it == entries_.end() ? nullptr : &it->second;
  }
  template <class F>
  void for_each_cycle(std::string_view symbol, F&& f) const {
    for (const auto& [id, e] : entries_) {
      if (e.current.spec().symbol != symbol) continue;
      for (const Position& p : e.closed) f(p, false);
      f(e.current, true);
    }
  }

  // Applies `fill` to `pos`; when it crosses zero, the rest opens `*reopened` (or, when
  // reopened is null, is only checked).
  static Result<void> split_and_apply(Position& pos, std::optional<Position>* reopened, Side side, const Fill& fill,
                                      SystemTime ts) {
    const Decimal held = pos.quantity();
    const bool crosses = !held.is_zero() && pos.signed_qty().sign() != sign_of(side) && fill.quantity > held;
    if (!crosses) return reopened == nullptr ? pos.check(side, fill) : pos.apply(side, fill, ts);
    Fill close = fill, open = fill;
    close.quantity = held;
    open.quantity = fill.quantity - held;
    const bool base_fee = pos.spec().kind == InstrumentKind::spot && fill.fee_asset == pos.spec().base;
    if (base_fee) {
      // A spot fee in the base asset leaves the account with the fill: charged whole to
      // the opening part, so the closing part ends exactly flat and the holdings after
      // the fill equal the venue's balance change (no fee fraction is stranded in the
      // closed cycle).
      close.fee = Decimal{};
      close.fee_asset = Asset{};
    } else if (!fill.fee.is_zero()) {
      Result<Decimal> share = fill.fee.checked_mul(held, Rounding::half_even);
      if (share) share = share->checked_div(fill.quantity, Rounding::half_even);
      if (!share) return share.error();
      close.fee = *share;
      open.fee = fill.fee - *share;
    }
    Position next(pos.spec(), pos.id());
    if (Result<void> ok = next.check(side, open); !ok) return ok;
    if (reopened == nullptr) return pos.check(side, close);
    if (Result<void> ok = pos.apply(side, close, ts); !ok) return ok;
    if (Result<void> ok = next.apply(side, open, ts); !ok) return ok;
    *reopened = std::move(next);
    return {};
  }

  OmsType oms_;
  std::map<std::string, PositionSpec, std::less<>> specs_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace cts::order
