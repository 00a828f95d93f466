#pragma once
/// \file
/// Positions and PnL, exact: cts::order::Position (one position cycle, from first fill
/// to flat) and cts::order::PositionBook (every position of an account under a netting
/// or hedging OMS, splitting fills that cross zero).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"
#include "cts/core/error.hpp"
#include "cts/core/instrument.hpp"
#include "cts/core/result.hpp"
#include "cts/order/order.hpp"

namespace cts::order {

/// How fills map to positions.
enum class OmsType : std::uint8_t {
  netting,  ///< One position per symbol.
  hedging,  ///< Several positions per symbol, each named by the orders that trade it.
};

/// "netting" or "hedging".
constexpr std::string_view to_string(OmsType oms) noexcept { return oms == OmsType::netting ? "netting" : "hedging"; }

/// Long, short or flat.
enum class PositionSide : std::uint8_t {
  flat,    ///< No quantity.
  long_,   ///< Positive signed quantity.
  short_,  ///< Negative signed quantity.
};

/// The instrument facts a position needs, copied from a cts::Instrument.
struct PositionSpec {
  std::string symbol;             ///< Unified symbol.
  InstrumentKind kind = InstrumentKind::spot;  ///< Spot, linear or inverse.
  Decimal multiplier = Decimal::from_int(1);   ///< Contract size.
  Asset base;                     ///< Base asset.
  Asset quote;                    ///< Quote asset.
  Asset settle;                   ///< Settlement asset (quote for spot).

  /// The facts of `instrument`. invalid_argument when an asset code is too long or the
  /// multiplier is not positive.
  static Result<PositionSpec> from(const Instrument& instrument) {
    PositionSpec spec;
    spec.symbol = instrument.unified_symbol();
    spec.kind = instrument.kind;
    spec.multiplier = instrument.multiplier;
    if (!spec.multiplier.is_positive()) {
      return make_error(ErrorCode::invalid_argument, fmt::format("{}: multiplier must be positive", spec.symbol));
    }
    Result<Asset> base = Asset::from(instrument.base), quote = Asset::from(instrument.quote);
    Result<Asset> settle = Asset::from(instrument.settle.empty()
                                           ? (is_inverse(instrument.kind) ? instrument.base : instrument.quote)
                                           : instrument.settle);
    if (!base) return base.error();
    if (!quote) return quote.error();
    if (!settle) return settle.error();
    spec.base = *base;
    spec.quote = *quote;
    spec.settle = *settle;
    return spec;
  }

  /// The asset PnL is realized in: the settlement asset (the quote for spot and linear
  /// contracts, the base for inverse ones).
  [[nodiscard]] const Asset& pnl_asset() const noexcept { return settle; }

  friend bool operator==(const PositionSpec&, const PositionSpec&) = default;
};

/// One position cycle: opened by a fill from flat, closed when the quantity returns to
/// zero (then it accepts no more fills; PositionBook opens the next cycle).
///
/// Arithmetic: the open cost Σ qty·price of the open quantity is kept exactly; the
/// average open price is derived from it, cost/|qty| rounded half-even at 18 decimals. Closing q of Q
/// removes cost·q/Q (the whole cost when q = Q), so a full cycle's linear PnL is exact:
/// multiplier·(Σ sell notional − Σ buy notional) minus settlement-asset fees.
///   linear:  pnl = multiplier·(q·px − removed cost), sign flipped for shorts;
///   inverse: pnl = q·multiplier/avg_open − q·multiplier/px, sign flipped for shorts,
///            each quotient rounded half-even at 18 decimals; prices must be positive.
/// Fees in the PnL asset reduce realized PnL; on spot, a fee in the base asset reduces
/// the quantity held (the average open price is kept).
class Position {
 public:
  /// Everything a position accumulates from its fills: what a journal snapshot stores
  /// to restore it without its fills (cts/store/snapshot.hpp).
  struct State {
    Decimal signed_qty;      ///< Signed open quantity.
    Decimal open_cost;       ///< Σ qty·price of the open quantity.
    Decimal avg_open;        ///< Average open price kept after the cycle closed.
    Decimal realized_pnl;    ///< Realized PnL.
    Decimal close_notional;  ///< Σ qty·price of closing fills.
    Decimal closed_qty;      ///< Σ closed quantity.
    Decimal buy_qty;         ///< Total bought.
    Decimal sell_qty;        ///< Total sold.
    Decimal peak_qty;        ///< Largest open quantity.
    std::vector<AssetAmount> fees;  ///< Fees per asset.
    SystemTime ts_opened{};  ///< Time of the opening fill.
    SystemTime ts_last{};    ///< Time of the last fill.
    std::uint32_t fill_count = 0;  ///< Number of fills applied.

    friend bool operator==(const State&, const State&) = default;
  };

  /// An empty (flat, never opened) position `id` for `spec`.
  Position(PositionSpec spec, std::string id) : spec_(std::move(spec)), id_(std::move(id)) {}
  /// Position `id` for `spec` as it was when `state` was taken (see state()).
  Position(PositionSpec spec, std::string id, const State& state)
      : spec_(std::move(spec)),
        id_(std::move(id)),
        signed_qty_(state.signed_qty),
        open_cost_(state.open_cost),
        avg_open_(state.avg_open),
        realized_pnl_(state.realized_pnl),
        close_notional_(state.close_notional),
        closed_qty_(state.closed_qty),
        buy_qty_(state.buy_qty),
        sell_qty_(state.sell_qty),
        peak_qty_(state.peak_qty),
        fees_(state.fees),
        ts_opened_(state.ts_opened),
        ts_last_(state.ts_last),
        fill_count_(state.fill_count) {}

  /// Everything the position accumulated (the inverse of the State constructor).
  [[nodiscard]] State state() const {
    return State{signed_qty_, open_cost_, avg_open_, realized_pnl_, close_notional_, closed_qty_, buy_qty_,
                 sell_qty_,   peak_qty_,  fees_,     ts_opened_,    ts_last_,        fill_count_};
  }

  /// Applies a fill of `side` that does not cross zero (PositionBook splits those).
  /// Errors (the position is then unchanged): invalid_argument for a non-positive
  /// quantity, a non-positive price on an inverse contract, a fee without asset, a
  /// fill that would cross zero, or a fill after the cycle closed; out_of_range on
  /// arithmetic overflow.
  Result<void> apply(Side side, const Fill& fill, SystemTime ts);

  /// Checks whether apply() would succeed, without changing anything.
  [[nodiscard]] Result<void> check(Side side, const Fill& fill) const {
    Next next;
    return compute(side, fill, next);
  }

  /// The position id (the symbol under netting).
  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  /// The instrument facts.
  [[nodiscard]] const PositionSpec& spec() const noexcept { return spec_; }
  /// Signed quantity: positive long, negative short.
  [[nodiscard]] Decimal signed_qty() const noexcept { return signed_qty_; }
  /// |signed_qty|.
  [[nodiscard]] Decimal quantity() const noexcept { return signed_qty_.abs(); }
  /// Largest |signed_qty| in this cycle.
  [[nodiscard]] Decimal peak_qty() const noexcept { return peak_qty_; }
  /// Long, short or flat (follows the sign of signed_qty).
  [[nodiscard]] PositionSide side() const noexcept {
    return signed_qty_.is_positive() ? PositionSide::long_
                                     : (signed_qty_.is_negative() ? PositionSide::short_ : PositionSide::flat);
  }
  /// Σ qty·price of the open quantity (positive).
  [[nodiscard]] Decimal open_cost() const noexcept { return open_cost_; }
  /// Average open price: open_cost/|qty| rounded half-even at 18 decimals; when flat,
  /// the value it had before closing (0 before the first fill).
  [[nodiscard]] Decimal avg_open() const noexcept {
    if (signed_qty_.is_zero()) return avg_open_;
    Result<Decimal> avg = open_cost_.checked_div(signed_qty_.abs(), Rounding::half_even);
    return avg ? *avg : Decimal{};
  }
  /// Average close price over the closing quantity, 0 before any close.
  [[nodiscard]] Decimal avg_close() const noexcept {
    if (closed_qty_.is_zero()) return {};
    Result<Decimal> avg = close_notional_.checked_div(closed_qty_, Rounding::half_even);
    return avg ? *avg : Decimal{};
  }
  /// Realized PnL in spec().pnl_asset(), net of fees paid in that asset.
  [[nodiscard]] Decimal realized_pnl() const noexcept { return realized_pnl_; }
  /// PnL of the open quantity valued at `mark`. invalid_argument for a non-positive
  /// mark on an inverse contract; out_of_range on overflow.
  [[nodiscard]] Result<Decimal> unrealized_pnl(Decimal mark) const;
  /// Total bought in this cycle.
  [[nodiscard]] Decimal buy_qty() const noexcept { return buy_qty_; }
  /// Total sold in this cycle.
  [[nodiscard]] Decimal sell_qty() const noexcept { return sell_qty_; }
  /// Fees per asset.
  [[nodiscard]] const std::vector<AssetAmount>& fees() const noexcept { return fees_; }
  /// The fee paid in `asset`.
  [[nodiscard]] Decimal fee(std::string_view asset) const noexcept { return amount_of(fees_, asset); }
  /// Number of fills applied.
  [[nodiscard]] std::uint32_t fill_count() const noexcept { return fill_count_; }
  /// True once the cycle returned to zero after opening.
  [[nodiscard]] bool is_closed() const noexcept { return fill_count_ > 0 && signed_qty_.is_zero(); }
  /// Time of the opening fill.
  [[nodiscard]] SystemTime ts_opened() const noexcept { return ts_opened_; }
  /// Time the cycle closed, if it did.
  [[nodiscard]] std::optional<SystemTime> ts_closed() const noexcept {
    return is_closed() ? std::optional<SystemTime>(ts_last_) : std::nullopt;
  }

  /// Every field equal.
  friend bool operator==(const Position&, const Position&) = default;

 private:
  struct Next {
    Decimal signed_qty, open_cost, avg_open, realized, close_notional, closed_qty, buy_qty, sell_qty, peak;
  };
  Result<void> compute(Side side, const Fill& fill, Next& next) const;

  PositionSpec spec_;
  std::string id_;
  Decimal signed_qty_;
  Decimal open_cost_;
  Decimal avg_open_;
  Decimal realized_pnl_;
  Decimal close_notional_;
  Decimal closed_qty_;
  Decimal buy_qty_;
  Decimal sell_qty_;
  Decimal peak_qty_;
  std::vector<AssetAmount> fees_;
  SystemTime ts_opened_{};
  SystemTime ts_last_{};
  std::uint32_t fill_count_ = 0;
};

namespace detail {
/// Chains checked decimal operations: the first error sticks, later steps are skipped.
class Calc {
 public:
  Decimal add(Decimal a, Decimal b) { return step(a.checked_add(b)); }
  Decimal sub(Decimal a, Decimal b) { return step(a.checked_sub(b)); }
  Decimal mul(Decimal a, Decimal b) { return step(a.checked_mul(b, Rounding::half_even)); }
  Decimal div(Decimal a, Decimal b) { return step(a.checked_div(b, Rounding::half_even)); }
  [[nodiscard]] bool ok() const noexcept { return !error_.has_value(); }
  [[nodiscard]] const Error& error() const { return *error_; }

 private:
  Decimal step(Result<Decimal> r) {
    if (r) return *r;
    if (!error_) error_ = r.error();
    return {};
  }
  std::optional<Error> error_;
};
}  // namespace detail

inline Result<void> Position::compute(Side side, const Fill& f, Next& n) const {
  if (!f.quantity.is_positive()) {
    return make_error(ErrorCode::invalid_argument, fmt::format("position {}: fill quantity must be positive", id_));
  }
  if (is_inverse(spec_.kind) && !f.price.is_positive()) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("position {}: inverse contracts need a positive price, got {}", id_, f.price));
  }
  if (!f.fee.is_zero() && f.fee_asset.empty()) {
    return make_error(ErrorCode::invalid_argument, fmt::format("position {}: fee without an asset", id_));
  }
  if (is_closed()) {
    return make_error(ErrorCode::invalid_argument, fmt::format("position {}: the cycle is closed", id_));
  }
  detail::Calc c;
  const Decimal q = f.quantity;
  const Decimal mult = spec_.multiplier;
  const int dir = sign_of(side);
  const Decimal held = signed_qty_.abs();
  n = Next{signed_qty_, open_cost_, avg_open_, realized_pnl_, close_notional_, closed_qty_, buy_qty_, sell_qty_, peak_qty_};
  if (side == Side::buy) n.buy_qty = c.add(buy_qty_, q); else n.sell_qty = c.add(sell_qty_, q);
  const Decimal notional = c.mul(q, f.price);
  if (signed_qty_.is_zero() || signed_qty_.sign() == dir) {
    n.open_cost = c.add(open_cost_, notional);
    n.signed_qty = c.add(signed_qty_, dir > 0 ? q : -q);
  } else {
    if (q > held) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("position {}: fill of {} crosses zero from {}", id_, q, signed_qty_));
    }
    const Decimal removed = q == held ? open_cost_ : c.div(c.mul(open_cost_, q), held);
    const int long_dir = signed_qty_.is_positive() ? 1 : -1;
    Decimal pnl;
    if (is_inverse(spec_.kind)) {
      const Decimal contracts_value = c.mul(q, mult);
      pnl = c.sub(c.div(contracts_value, c.div(open_cost_, held)), c.div(contracts_value, f.price));
    } else {
      pnl = c.sub(notional, removed);
      if (mult != Decimal::from_int(1)) pnl = c.mul(mult, pnl);
    }
    n.realized = c.add(n.realized, long_dir > 0 ? pnl : -pnl);
    n.open_cost = c.sub(open_cost_, removed);
    n.signed_qty = c.add(signed_qty_, dir > 0 ? q : -q);
    n.close_notional = c.add(close_notional_, notional);
    n.closed_qty = c.add(closed_qty_, q);
  }
  if (!f.fee.is_zero()) {
    if (f.fee_asset == spec_.pnl_asset()) n.realized = c.sub(n.realized, f.fee);
    if (spec_.kind == InstrumentKind::spot && f.fee_asset == spec_.base) {
      // The fee left the account in the traded asset: holdings shrink, avg open stays.
      const Decimal before = n.signed_qty.abs();
      n.signed_qty = c.sub(n.signed_qty, f.fee);
      const Decimal after = n.signed_qty.abs();
      if (!before.is_zero()) n.open_cost = c.div(c.mul(n.open_cost, after), before);
    }
  }
  const Decimal now_held = n.signed_qty.abs();
  if (now_held.is_zero()) {
    n.open_cost = Decimal{};
    if (!held.is_zero()) n.avg_open = c.div(open_cost_, held);  // kept for the closed cycle
  }
  n.peak = now_held > peak_qty_ ? now_held : peak_qty_;
  if (!c.ok()) return c.error();
  return {};
}

inline Result<void> Position::apply(Side side, const Fill& fill, SystemTime ts) {
  Next n;
  if (Result<void> ok = compute(side, fill, n); !ok) return ok;
  if (!fill.fee.is_zero()) {
    // An overflowing fee total is refused here, before anything changes.
    Result<Decimal> fee_total = fee(fill.fee_asset.view()).checked_add(fill.fee);
    if (!fee_total) return fee_total.error();
    fees_.reserve(fees_.size() + 1);
    set_asset_amount(fees_, fill.fee_asset, *fee_total);
  }
  if (fill_count_ == 0) ts_opened_ = ts;
  signed_qty_ = n.signed_qty;
  open_cost_ = n.open_cost;
  avg_open_ = n.avg_open;
  realized_pnl_ = n.realized;
  close_notional_ = n.close_notional;
  closed_qty_ = n.closed_qty;
  buy_qty_ = n.buy_qty;
  sell_qty_ = n.sell_qty;
  peak_qty_ = n.peak;
  ts_last_ = ts;
  ++fill_count_;
  return {};
}

inline Result<Decimal> Position::unrealized_pnl(Decimal mark) const {
  if (signed_qty_.is_zero()) return Decimal{};
  detail::Calc c;
  const Decimal held = signed_qty_.abs();
  Decimal pnl;
  if (is_inverse(spec_.kind)) {
    if (!mark.is_positive()) {
      return make_error(ErrorCode::invalid_argument, fmt::format("position {}: inverse mark must be positive", id_));
    }
    const Decimal value = c.mul(held, spec_.multiplier);
    pnl = c.sub(c.div(value, avg_open()), c.div(value, mark));
  } else {
    pnl = c.mul(spec_.multiplier, c.sub(c.mul(held, mark), open_cost_));
  }
  if (!c.ok()) return c.error();
  return signed_qty_.is_positive() ? pnl : -pnl;
}

}  // namespace cts::order
