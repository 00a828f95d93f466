#pragma once
// The client order ids of an account's open orders at the simulated venue, sorted: what
// the front tests of lost replies compare (the orders exist whatever the client heard).
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <cts/sim/matching_engine.hpp>

namespace cts::test {

inline std::vector<std::string> open_client_ids(const sim::MatchingEngine& engine, sim::AccountId account,
                                                std::string_view symbol) {
  std::vector<std::string> ids;
  for (const sim::Order& order : engine.open_orders(account, symbol)) ids.push_back(order.client_order_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace cts::test
