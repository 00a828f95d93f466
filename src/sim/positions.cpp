// Linear perpetual positions. See include/cts/sim/positions.hpp.
#include "cts/sim/positions.hpp"

#include <algorithm>

namespace cts::sim {

Decimal Position::value() const {
  return size.abs().mul(entry_price, Rounding::half_even).mul(multiplier, Rounding::half_even);
}

Decimal Position::initial_margin() const { return value().div(leverage, Rounding::half_even); }

Decimal Position::unrealised_pnl(Decimal mark) const {
  return (mark - entry_price).mul(size, Rounding::half_even).mul(multiplier, Rounding::half_even);
}

Decimal reducible(const Position& position, Side side) {
  const bool opposes = side == Side::buy ? position.size.is_negative() : position.size.is_positive();
  return opposes ? position.size.abs() : Decimal{};
}

Decimal apply_fill(Position& position, Side side, Decimal quantity, Decimal price) {
  const Decimal closing = std::min(quantity, reducible(position, side));
  const Decimal opening = quantity - closing;
  Decimal realised;
  if (closing.is_positive()) {
    // Long: (price − entry)·qty; short: (entry − price)·qty.
    const Decimal per_unit = position.size.is_positive() ? price - position.entry_price : position.entry_price - price;
    realised = per_unit.mul(closing, Rounding::half_even).mul(position.multiplier, Rounding::half_even);
    position.size = position.size.is_positive() ? position.size - closing : position.size + closing;
    if (position.size.is_zero()) position.entry_price = Decimal{};
  }
  if (opening.is_positive()) {
    const Decimal held = position.size.abs();
    const Decimal cost = held.mul(position.entry_price, Rounding::half_even) + opening.mul(price, Rounding::half_even);
    position.entry_price = cost.div(held + opening, Rounding::half_even);
    position.size = side == Side::buy ? position.size + opening : position.size - opening;
  }
  return realised;
}

const Position* PositionBook::find(AccountId account, std::string_view market) const {
  const auto it = positions_.find(std::pair<AccountId, std::string>(account, std::string(market)));
  return it == positions_.end() ? nullptr : &it->second;
}

Position& PositionBook::at(AccountId account, std::string_view market, std::int64_t now_ms) {
  auto [it, inserted] = positions_.try_emplace(std::pair<AccountId, std::string>(account, std::string(market)));
  if (inserted) it->second.created_ms = it->second.updated_ms = now_ms;
  return it->second;
}

Decimal PositionBook::leverage(AccountId account, std::string_view market) const {
  const Position* p = find(account, market);
  return p == nullptr ? kDefaultLeverage : p->leverage;
}

std::vector<std::pair<std::string, Position>> PositionBook::of(AccountId account) const {
  std::vector<std::pair<std::string, Position>> out;
  for (auto it = positions_.lower_bound(std::pair<AccountId, std::string>(account, std::string()));
       it != positions_.end() && it->first.first == account; ++it) {
    out.emplace_back(it->first.second, it->second);
  }
  return out;
}

}  // namespace cts::sim
