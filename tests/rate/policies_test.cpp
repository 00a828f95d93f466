// Tests for cts/rate/policies/*.hpp: every table loads and matches the documented numbers.
#include <cts/rate/limiter.hpp>
#include <cts/rate/venue_policies.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace cts;
using namespace cts::rate;
using namespace std::chrono_literals;

TEST_CASE("Binance spot pools match the documented exchangeInfo limits") {
  const auto& pools = kBinanceSpotPolicy.pools;
  REQUIRE(pools.size() == 4);
  CHECK(pools[binance_spot_pool::request_weight].limit == 6000);
  CHECK(pools[binance_spot_pool::request_weight].interval == 60s);
  CHECK(pools[binance_spot_pool::request_weight].scope == Scope::ip);
  CHECK(pools[binance_spot_pool::orders_10s].limit == 100);
  CHECK(pools[binance_spot_pool::orders_10s].interval == 10s);
  CHECK(pools[binance_spot_pool::orders_10s].scope == Scope::account);
  CHECK(pools[binance_spot_pool::orders_1d].limit == 200000);
  CHECK(pools[binance_spot_pool::raw_requests].limit == 61000);
  CHECK(pools[binance_spot_pool::raw_requests].interval == 300s);
}

TEST_CASE("Binance endpoint weights match the documentation vectors") {
  std::ifstream in(CTS_TEST_DATA_DIR "/rate/data/binance_weights.txt");
  REQUIRE(in.good());
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string which, name, param, pool;
    std::uint32_t weight = 0;
    fields >> which >> name >> param >> pool >> weight;
    for (auto& c : name) c = c == '_' ? ' ' : c;
    const VenuePolicy& policy = which == "spot" ? kBinanceSpotPolicy : kBinanceUsdmPolicy;
    const auto cost = param == "-" ? policy.cost(name) : policy.cost(name, static_cast<std::uint32_t>(std::stoul(param)));
    INFO(line);
    REQUIRE(cost.has_value());
    const auto index = policy.pool_index(pool);
    REQUIRE(index.has_value());
    CHECK(cost->weight_of(*index) == weight);
    ++checked;
  }
  CHECK(checked == 34);
}

TEST_CASE("Binance depth cost helpers and their errors") {
  CHECK(binance_spot_depth_cost(5000)->weight_of(binance_spot_pool::request_weight) == 250);
  CHECK(binance_spot_depth_cost(5000)->weight_of(binance_spot_pool::raw_requests) == 1);
  const auto too_deep = binance_spot_depth_cost(5001);
  REQUIRE(!too_deep.has_value());
  CHECK(too_deep.error().code == ErrorCode::invalid_argument);
  CHECK(too_deep.error().message.find("5000") != std::string::npos);
  CHECK(binance_usdm_depth_cost(1000)->weight_of(binance_usdm_pool::request_weight) == 20);
  CHECK(!binance_usdm_depth_cost(5000).has_value());
  const auto unknown = kBinanceSpotPolicy.cost("GET /api/v3/nonsense");
  REQUIRE(!unknown.has_value());
  CHECK(unknown.error().code == ErrorCode::unsupported);
}

TEST_CASE("Binance throttle codes and ban rules") {
  CHECK(kBinanceSpotPolicy.is_throttle_code("-1003"));
  CHECK(kBinanceSpotPolicy.is_throttle_code("-1015"));
  CHECK(!kBinanceSpotPolicy.is_throttle_code("-1021"));
  CHECK(kBinanceUsdmPolicy.is_throttle_code("-1008"));
  REQUIRE(kBinanceSpotPolicy.bans.size() == 2);
  CHECK(kBinanceSpotPolicy.bans[1].status == 418);
  CHECK(kBinanceSpotPolicy.bans[1].default_pause == 120s);
}

TEST_CASE("quota_for sizes window pools so no venue window can overflow") {
  const PoolSpec weight = kBinanceSpotPools[0];
  const Quota q = quota_for(weight);
  CHECK(q.burst == 3000);
  CHECK(q.refill == 3000);
  CHECK(q.burst + q.refill == weight.limit);
  const Quota half = quota_for(weight, 50);
  CHECK(half.burst + half.refill == 3000);
  const PoolSpec tiny{"T", 3, 1s, Scope::ip, Counting::window, "", ""};
  CHECK(quota_for(tiny, 10).burst == 1);  // floor(0.3) floors at 1, never 0
  const PoolSpec leaky{"K", 15, 45s, Scope::account, Counting::leaky, "", ""};
  CHECK(quota_for(leaky).burst == 15);
  CHECK(quota_for(leaky).refill == 15);
}

TEST_CASE("every venue table loads, is consistent, and matches the documented numbers") {
  for (VenueId venue : kAllVenues) {
    const VenuePolicy& policy = policy_for(venue);
    INFO(to_string(venue));
    CHECK(policy.venue == venue);
    CHECK(!policy.pools.empty());
    CHECK(!policy.endpoints.empty());
    CHECK(!policy.source.empty());
    Limiter limiter(policy);  // constructs every pool
    for (std::size_t i = 0; i < policy.pools.size(); ++i) {
      CHECK(policy.pools[i].limit > 0);
      CHECK(policy.pools[i].interval > 0s);
      for (std::size_t j = i + 1; j < policy.pools.size(); ++j) CHECK(policy.pools[i].name != policy.pools[j].name);
    }
    for (std::size_t e = 0; e < policy.endpoints.size(); ++e) {
      const EndpointSpec& spec = policy.endpoints[e];
      INFO(spec.name);
      for (std::size_t f = e + 1; f < policy.endpoints.size(); ++f) CHECK(spec.name != policy.endpoints[f].name);
      const auto cost = policy.cost(spec.name);
      REQUIRE(cost.has_value());
      CHECK(cost->size > 0);
      for (const auto& item : cost->view()) CHECK(item.pool < policy.pools.size());
      // Every documented call fits its pools: none is "too costly" at the default parameter.
      ManualClock clock;
      CHECK(limiter.try_acquire(*cost, clock.steady_now()).outcome != Decision::Outcome::too_costly);
    }
  }
  std::ifstream in(CTS_TEST_DATA_DIR "/rate/data/venue_limits.txt");
  REQUIRE(in.good());
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string venue_name, pool, scope;
    std::uint64_t limit = 0;
    std::int64_t interval_ms = 0;
    fields >> venue_name >> pool >> limit >> interval_ms >> scope;
    INFO(line);
    const VenuePolicy& policy = policy_for(parse_venue(venue_name).value());
    const auto index = policy.pool_index(pool);
    REQUIRE(index.has_value());
    const PoolSpec& spec = policy.pools[*index];
    CHECK(spec.limit == limit);
    CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(spec.interval).count() == interval_ms);
    CHECK(to_string(spec.scope) == scope);
    ++checked;
  }
  CHECK(checked == 33);
}

TEST_CASE("Kraken cancel penalty depends on the order's age") {
  const auto at = [](std::uint32_t age) {
    return kKrakenPolicy.cost("POST /0/private/CancelOrder", age).value().weight_of(kraken_pool::trading);
  };
  CHECK(at(0) == 8);
  CHECK(at(4) == 8);
  CHECK(at(5) == 6);
  CHECK(at(14) == 5);
  CHECK(at(15) == 4);
  CHECK(at(89) == 2);
  CHECK(at(299) == 1);
  CHECK(at(300) == 0);
  CHECK(kKrakenPolicy.cost("POST /0/private/CancelOrder").value().weight_of(kraken_pool::trading) == 8);
  CHECK(kKrakenPolicy.cost("POST /0/private/AmendOrder", 20).value().weight_of(kraken_pool::trading) == 1);
}

TEST_CASE("OKX batches cost per order; Binance USD-M batches per request") {
  const Cost okx = kOkxPolicy.cost("POST /api/v5/trade/batch-orders").value().times(20);
  CHECK(okx.weight_of(okx_pool::batch_place) == 20);
  CHECK(okx.weight_of(okx_pool::sub_account) == 20);
  const Cost binance = kBinanceUsdmPolicy.cost("POST /fapi/v1/batchOrders").value();
  CHECK(binance.weight_of(binance_usdm_pool::request_weight) == 5);
}
