#pragma once
/// \file
/// Linear perpetual positions of the simulator (one-way mode, Bybit's rules): per account
/// and market, a signed size, the average entry price, realised PnL, leverage and the
/// initial margin they hold in the settlement coin. Pure arithmetic over cts::Decimal; the
/// MatchingEngine moves positions with its fills and checks margin with them.
///
/// Rules (Bybit's one-way mode):
/// * a fill that increases the position (or opens it) keeps a quantity-weighted average
///   entry: entry' = (|size|·entry + qty·price) / (|size| + qty);
/// * a fill that reduces it realises (price − entry)·qty for a long and (entry − price)·qty
///   for a short, and keeps the entry;
/// * a fill that crosses through zero realises the closed part and opens the rest at the
///   fill price;
/// * positionValue = |size|·entry; initial margin = positionValue / leverage;
///   unrealised PnL = (mark − entry)·size (size signed).
///
/// Sizes are in contracts of `multiplier` base units each (Instrument::multiplier: 1 for
/// Bybit's linear markets, sized in base; OKX's BTC-USDT-SWAP contract is 0.01 BTC), so
/// every value and PnL above is also multiplied by it; prices stay per base unit.
///
/// Not thread-safe; the MatchingEngine (and so the Simulator) serialises access.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/decimal.hpp"
#include "cts/core/order_types.hpp"
#include "cts/core/result.hpp"

namespace cts::sim {

/// An account (one API key maps to one account).
using AccountId = std::uint32_t;

/// The leverage of a position nobody has set (Bybit's default for a new account: 10).
inline const Decimal kDefaultLeverage = Decimal::from_int(10);

/// One account's position on one linear market.
struct Position {
  Decimal size;                         ///< Signed quantity: > 0 long, < 0 short, 0 flat.
  Decimal entry_price;                  ///< Average entry price (0 when flat).
  Decimal leverage = kDefaultLeverage;  ///< Leverage (initial margin = value / leverage).
  Decimal closed_pnl;                   ///< Cumulative PnL realised by reducing fills, fees excluded.
  Decimal fees;                         ///< Cumulative trading fees paid on this market.
  Decimal current_closed_pnl;           ///< Like closed_pnl, since the position last opened from flat.
  Decimal current_fees;                 ///< Like fees, since the position last opened from flat.
  std::int64_t created_ms = 0;          ///< First fill or leverage change.
  std::int64_t updated_ms = 0;          ///< Last change.
  std::int64_t seq = 0;                 ///< Grows with every change (Bybit `seq`).
  Decimal multiplier = Decimal::from_int(1);  ///< Base units per contract (the market's Instrument::multiplier).

  /// Bybit's cumRealisedPnl: closed PnL minus fees (Bybit counts fees as realised loss).
  [[nodiscard]] Decimal realised_pnl() const { return closed_pnl - fees; }
  /// Bybit's curRealisedPnl: the same for the current holding.
  [[nodiscard]] Decimal current_realised_pnl() const { return current_closed_pnl - current_fees; }
  /// |size|·entry·multiplier.
  [[nodiscard]] Decimal value() const;
  /// value() / leverage (rounded half-even at Decimal's scale).
  [[nodiscard]] Decimal initial_margin() const;
  /// (mark − entry)·size·multiplier.
  [[nodiscard]] Decimal unrealised_pnl(Decimal mark) const;
};

/// Applies a fill of `quantity` (> 0 contracts) at `price` on `side` to `position` (see
/// the file comment) and returns the PnL it realised, times position.multiplier (zero
/// when it only increased the position).
/// Does not touch fees, times or seq.
Decimal apply_fill(Position& position, Side side, Decimal quantity, Decimal price);

/// How much of an order on `side` would reduce `position` without crossing zero: |size|
/// when `side` opposes the position, else zero.
Decimal reducible(const Position& position, Side side);

/// Every position of every account, keyed by account and market. See the file comment.
class PositionBook {
 public:
  /// The position of `account` on `market`, or nullptr when it never traded or set
  /// leverage there.
  [[nodiscard]] const Position* find(AccountId account, std::string_view market) const;
  /// The position of `account` on `market`, created flat (default leverage) if needed.
  Position& at(AccountId account, std::string_view market, std::int64_t now_ms);
  /// The leverage `account` uses on `market` (kDefaultLeverage when never set).
  [[nodiscard]] Decimal leverage(AccountId account, std::string_view market) const;
  /// Every position of `account` with its market, sorted by market.
  [[nodiscard]] std::vector<std::pair<std::string, Position>> of(AccountId account) const;

 private:
  std::map<std::pair<AccountId, std::string>, Position, std::less<>> positions_;
};

}  // namespace cts::sim
