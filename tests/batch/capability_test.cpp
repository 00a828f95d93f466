// Tests for cts/batch/capability.hpp: batch sizes per venue and category.
#include <cts/batch/capability.hpp>
#include <cts/rate/venue_policies.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::batch;

TEST_CASE("documented batch sizes per venue and category") {
  // Values from the venues' batch endpoint pages (see capability.hpp).
  CHECK(capability(VenueId::binance_usdm, Category::linear, Operation::place).max_per_batch == 5);
  CHECK(capability(VenueId::binance_usdm, Category::linear, Operation::cancel).max_per_batch == 10);
  CHECK(capability(VenueId::bybit, Category::spot, Operation::place).max_per_batch == 10);
  CHECK(capability(VenueId::bybit, Category::linear, Operation::place).max_per_batch == 20);
  CHECK(capability(VenueId::bybit, Category::option, Operation::place).max_per_batch == 20);
  CHECK(capability(VenueId::okx, Category::spot, Operation::place).max_per_batch == 20);
  CHECK(capability(VenueId::kraken, Category::spot, Operation::place).max_per_batch == 15);
  CHECK(capability(VenueId::kraken, Category::spot, Operation::place).single_instrument);
  CHECK(capability(VenueId::binance_spot, Category::spot, Operation::place).max_per_batch == 1);
  CHECK(capability(VenueId::coinbase, Category::spot, Operation::place).endpoint.empty());
}

TEST_CASE("cost rules: Binance per batch, OKX and Kraken per order") {
  CHECK(capability(VenueId::binance_usdm, Category::linear, Operation::place).cost_rule == CostRule::per_batch);
  CHECK(capability(VenueId::okx, Category::spot, Operation::place).cost_rule == CostRule::per_order);
  CHECK(capability(VenueId::kraken, Category::spot, Operation::place).cost_rule == CostRule::per_order);
}

TEST_CASE("every batch endpoint is priced in its venue's rate policy") {
  for (const auto& row : kBatchCapabilities) {
    INFO(to_string(row.venue) << " " << row.endpoint);
    CHECK(row.max_per_batch > 1);
    CHECK(rate::policy_for(row.venue).cost(row.endpoint).has_value());
  }
}
