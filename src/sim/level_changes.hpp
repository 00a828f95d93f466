#pragma once
// What a diff-depth frame lists: the levels of one side of a book that differ between
// what a stream's subscribers hold and the book now. Shared by the Bybit and OKX
// WebSocket sides, whose deltas carry absolute sizes with 0 for a removed level.

#include <vector>

#include "cts/sim/matching_engine.hpp"

namespace cts::sim::detail {

/// The levels of side `side` that differ between `sent` and `now` (both best first),
/// best first: a new or resized level with its size now, a level gone with size 0.
inline std::vector<Level> level_changes(const std::vector<Level>& sent, const std::vector<Level>& now, Side side) {
  const auto better = [side](const Decimal& a, const Decimal& b) { return side == Side::buy ? b < a : a < b; };
  std::vector<Level> changes;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < sent.size() || j < now.size()) {
    if (j == now.size() || (i < sent.size() && better(sent[i].price, now[j].price))) {
      changes.push_back(Level{sent[i++].price, Decimal{}});
    } else if (i == sent.size() || better(now[j].price, sent[i].price)) {
      changes.push_back(now[j++]);
    } else {
      if (sent[i].quantity != now[j].quantity) changes.push_back(now[j]);
      ++i;
      ++j;
    }
  }
  return changes;
}

}  // namespace cts::sim::detail
