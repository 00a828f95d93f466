// Tests for cts/rate/limiter.hpp: linked pools, reservations, bans, server feedback.
#include <cts/rate/limiter.hpp>
#include <cts/rate/policies/binance.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <thread>
#include <vector>

#include "rate/audit.hpp"

using namespace cts;
using namespace cts::rate;
using namespace std::chrono_literals;

namespace {

// A three-pool test policy: A 10/s per IP, B 4/s per account, C 1000/day per account.
constexpr std::array<PoolSpec, 3> kPools{{
    {"A", 10, std::chrono::seconds{1}, Scope::ip, Counting::leaky, "X-Used-A", ""},
    {"B", 4, std::chrono::seconds{1}, Scope::account, Counting::leaky, "", "X-Remaining-B"},
    {"C", 1000, std::chrono::hours{24}, Scope::account, Counting::window, "", ""},
}};
constexpr std::array<BanRule, 2> kBans{{{429, Scope::ip, std::chrono::seconds{5}}, {403, Scope::account, std::chrono::minutes{10}}}};
constexpr VenuePolicy kTestPolicy{VenueId::bybit, kPools, {}, kBans, {}, "test"};

Cost cost_of(std::initializer_list<PoolWeight> items) {
  Cost c;
  for (auto item : items) c.add(item.pool, item.weight);
  return c;
}

HttpResponse response(int status, std::initializer_list<HttpHeader> headers) {
  HttpResponse r;
  r.status = status;
  r.headers = headers;
  return r;
}

}  // namespace

TEST_CASE("linked pools: all or nothing") {
  ManualClock clock;
  Limiter limiter(kTestPolicy);
  const auto now = clock.steady_now();
  const Cost b_only = cost_of({{1, 4}});
  REQUIRE(limiter.try_acquire(b_only, now).admitted());
  const Cost a_and_b = cost_of({{0, 3}, {1, 1}});
  const Decision d = limiter.try_acquire(a_and_b, now);
  CHECK(d.outcome == Decision::Outcome::not_until);
  CHECK(d.pool == 1);
  CHECK(limiter.pool(0).used(to_ns(now)) == 0);  // A's tentative units were given back
  CHECK(d.not_until == now + 250ms);
  CHECK(!limiter.try_acquire(a_and_b, d.not_until - 1ns).admitted());
  CHECK(limiter.try_acquire(a_and_b, d.not_until).admitted());
  CHECK(limiter.pool(0).used(to_ns(d.not_until)) == 3);
}

TEST_CASE("not_until covers every pool, not only the first that refused") {
  ManualClock clock;
  Limiter limiter(kTestPolicy);
  const auto now = clock.steady_now();
  REQUIRE(limiter.try_acquire(cost_of({{0, 10}, {1, 4}}), now).admitted());
  const Decision d = limiter.try_acquire(cost_of({{0, 1}, {1, 4}}), now);
  REQUIRE(d.outcome == Decision::Outcome::not_until);
  CHECK(d.not_until == now + 1s);  // B needs 4 × 250 ms; A alone would need 100 ms
  CHECK(d.wait_from(now) == 1s);
}

TEST_CASE("a cost above a pool's burst fails fast with a clear error") {
  ManualClock clock;
  Limiter limiter(kTestPolicy);
  const Decision d = limiter.try_acquire(cost_of({{0, 1}, {1, 5}}), clock.steady_now());
  CHECK(d.outcome == Decision::Outcome::too_costly);
  CHECK(d.pool == 1);
  const Error e = limiter.explain(d, clock.steady_now());
  CHECK(e.code == ErrorCode::invalid_argument);
  CHECK(e.message.find("exceeds pool B's burst of 4") != std::string::npos);
  CHECK(limiter.pool(0).used(to_ns(clock.steady_now())) == 0);
  const auto r = limiter.reserve(cost_of({{1, 5}}), clock.steady_now(), 1h);
  REQUIRE(!r.has_value());
  CHECK(r.error().code == ErrorCode::invalid_argument);
}

TEST_CASE("reservations are FIFO; a heavy request is not starved by light ones") {
  ManualClock clock;
  Limiter limiter(kTestPolicy);
  const auto now = clock.steady_now();
  REQUIRE(limiter.try_acquire(cost_of({{1, 4}}), now).admitted());
  auto heavy = limiter.reserve(cost_of({{1, 4}}), now, 10s);
  REQUIRE(heavy.has_value());
  CHECK(heavy->ready_at == now + 1s);
  auto light = limiter.reserve(cost_of({{1, 1}}), now, 10s);
  REQUIRE(light.has_value());
  CHECK(light->ready_at == now + 1250ms);  // behind the heavy one
  // try_acquire of a light request now cannot jump the queue either.
  CHECK(!limiter.try_acquire(cost_of({{1, 1}}), now + 1s).admitted());
}

TEST_CASE("a cancelled reservation returns its units") {
  ManualClock clock;
  Limiter limiter(kTestPolicy);
  const auto now = clock.steady_now();
  REQUIRE(limiter.try_acquire(cost_of({{0, 10}}), now).admitted());
  auto booking = limiter.reserve(cost_of({{0, 5}, {2, 1}}), now, 10s);
  REQUIRE(booking.has_value());
  CHECK(booking->ready_at == now + 500ms);
  CHECK(limiter.cancel(*booking) == 2);
  // The same cost is again available at +500 ms for someone else, not at +1 s.
  const Decision d = limiter.try_acquire(cost_of({{0, 5}}), now);
  CHECK(d.not_until == now + 500ms);
  SUBCASE("a cancel after a later booking keeps the units spent (no overlap)") {
    auto first = limiter.reserve(cost_of({{0, 5}}), now, 10s);
    auto second = limiter.reserve(cost_of({{0, 5}}), now, 10s);
    REQUIRE(first.has_value());
    REQUIRE(second.has_value());
    CHECK(second->ready_at == now + 1s);
    CHECK(limiter.cancel(*first) == 0);
    CHECK(limiter.try_acquire(cost_of({{0, 1}}), now + 1s).outcome == Decision::Outcome::not_until);
  }
}

TEST_CASE("reserve refuses a wait beyond max_wait and books nothing") {
  ManualClock clock;
  Limiter limiter(kTestPolicy);
  const auto now = clock.steady_now();
  REQUIRE(limiter.try_acquire(cost_of({{0, 10}}), now).admitted());
  const auto r = limiter.reserve(cost_of({{0, 5}}), now, 100ms);
  REQUIRE(!r.has_value());
  CHECK(r.error().code == ErrorCode::rate_limited);
  CHECK(limiter.try_acquire(cost_of({{0, 1}}), now + 100ms).admitted());
}

TEST_CASE("429 with Retry-After blocks the whole scope until the deadline") {
  ManualClock clock;
  Limiter limiter(kTestPolicy);
  const auto now = clock.steady_now();
  const auto fb = limiter.on_response(response(429, {{"Retry-After", "30"}}), now, clock.system_now());
  REQUIRE(fb.has_value());
  CHECK(fb->banned);
  CHECK(fb->scope == Scope::ip);
  CHECK(fb->blocked_until == now + 30s);
  CHECK(limiter.blocked_until(Scope::ip) == now + 30s);
  const Decision d = limiter.try_acquire(cost_of({{0, 1}}), now + 29s);
  CHECK(d.outcome == Decision::Outcome::blocked);
  CHECK(d.not_until == now + 30s);
  CHECK(limiter.explain(d, now + 29s).code == ErrorCode::rate_limited);
  // Account-scope pools are not banned by an IP ban; a zero-weight IP item is.
  CHECK(limiter.try_acquire(cost_of({{1, 1}}), now + 1s).admitted());
  CHECK(limiter.try_acquire(cost_of({{1, 1}, {0, 0}}), now + 2s).outcome == Decision::Outcome::blocked);
  CHECK(limiter.try_acquire(cost_of({{0, 1}}), now + 30s).admitted());
  CHECK(limiter.status(now + 1s).blocked(Scope::ip, now + 1s));
  CHECK(!limiter.status(now + 31s).blocked(Scope::ip, now + 31s));
  CHECK(!limiter.reserve(cost_of({{0, 1}}), now + 1s, 1h).has_value());
}

TEST_CASE("Retry-After as an HTTP date, the default pause, and a later ban never shortens") {
  ManualClock clock(from_unix_millis(784'111'777'000));  // Sun, 06 Nov 1994 08:49:37 GMT
  Limiter limiter(kTestPolicy);
  const auto now = clock.steady_now();
  auto fb = limiter.on_response(response(429, {{"Retry-After", "Sun, 06 Nov 1994 08:51:37 GMT"}}), clock);
  REQUIRE(fb.has_value());
  CHECK(limiter.blocked_until(Scope::ip) == now + 120s);
  fb = limiter.on_response(response(429, {}), now, clock.system_now());  // default 5 s: shorter, ignored
  CHECK(limiter.blocked_until(Scope::ip) == now + 120s);
  fb = limiter.on_response(response(403, {}), now, clock.system_now());
  CHECK(limiter.blocked_until(Scope::account) == now + 10min);
  fb = limiter.on_response(response(200, {}), now, clock.system_now());
  REQUIRE(fb.has_value());
  CHECK(!fb->banned);
}

TEST_CASE("a malformed Retry-After still bans (default pause) and reports the problem") {
  ManualClock clock;
  Limiter limiter(kTestPolicy);
  const auto now = clock.steady_now();
  const auto fb = limiter.on_response(response(429, {{"Retry-After", "soon"}}), now, clock.system_now());
  REQUIRE(!fb.has_value());
  CHECK(fb.error().code == ErrorCode::protocol_error);
  CHECK(limiter.blocked_until(Scope::ip) == now + 5s);
}

TEST_CASE("usage headers resync pools; malformed ones change nothing") {
  ManualClock clock;
  Limiter limiter(kTestPolicy);
  const auto now = clock.steady_now();
  const Cost b = cost_of({{1, 1}});
  SUBCASE("used header") {
    auto fb = limiter.on_response(response(200, {{"x-used-a", "8"}}), now, clock.system_now());
    REQUIRE(fb.has_value());
    CHECK(fb->pools_resynced == 1);
    CHECK(limiter.pool(0).used(to_ns(now)) == 8);
    CHECK(limiter.try_acquire(cost_of({{0, 2}}), now).admitted());
    CHECK(!limiter.try_acquire(cost_of({{0, 1}}), now).admitted());
  }
  SUBCASE("remaining header applies to the request's own pools only") {
    auto fb = limiter.on_response(response(200, {{"X-Remaining-B", "1"}}), now, clock.system_now());
    REQUIRE(fb.has_value());
    CHECK(fb->pools_resynced == 0);  // no cost given: the header belongs to some endpoint
    fb = limiter.on_response(response(200, {{"X-Remaining-B", "1"}}), now, clock.system_now(), &b);
    REQUIRE(fb.has_value());
    CHECK(fb->pools_resynced == 1);
    CHECK(limiter.pool(1).used(to_ns(now)) == 3);
  }
  SUBCASE("malformed") {
    auto fb = limiter.on_response(response(200, {{"X-Used-A", "12a"}}), now, clock.system_now());
    REQUIRE(!fb.has_value());
    CHECK(fb.error().code == ErrorCode::protocol_error);
    CHECK(fb.error().message.find("X-Used-A") != std::string::npos);
    CHECK(limiter.pool(0).used(to_ns(now)) == 0);
    fb = limiter.on_response(response(200, {{"X-Used-A", "99999999999999999999999"}}), now, clock.system_now());
    CHECK(!fb.has_value());
    CHECK(limiter.pool(0).used(to_ns(now)) == 0);
  }
  SUBCASE("a lower server count never loosens the local view") {
    REQUIRE(limiter.try_acquire(cost_of({{0, 9}}), now).admitted());
    auto fb = limiter.on_response(response(200, {{"X-Used-A", "1"}}), now, clock.system_now());
    REQUIRE(fb.has_value());
    CHECK(limiter.pool(0).used(to_ns(now)) == 9);
  }
}

TEST_CASE("Binance weight header resync against the shared IP budget") {
  ManualClock clock;
  Limiter limiter(kBinanceSpotPolicy);
  const auto now = clock.steady_now();
  const Cost depth = binance_spot_depth_cost(5000).value();  // weight 250
  auto fb = limiter.on_response(response(200, {{"X-MBX-USED-WEIGHT-1M", "5900"}}), now, clock.system_now());
  REQUIRE(fb.has_value());
  // 100 left at the venue: a weight-250 request must wait, a weight-25 one passes.
  CHECK(!limiter.try_acquire(depth, now).admitted());
  CHECK(limiter.try_acquire(binance_spot_depth_cost(500).value(), now).admitted());
}

TEST_CASE("share percentage splits the budget, flooring at one") {
  ManualClock clock;
  Limiter limiter(kBinanceSpotPolicy, LimiterOptions{25});
  CHECK(limiter.pool(binance_spot_pool::request_weight).burst() == 750);  // 6000·25% = 1500, half as burst
  CHECK(limiter.pool(binance_spot_pool::orders_10s).burst() == 12);
  Limiter tiny(kTestPolicy, LimiterOptions{1});
  CHECK(tiny.pool(1).burst() == 1);  // floor(4·1%) = 0 → 1
}

TEST_CASE("Binance spot: admitted weight in every minute stays within 6000 under random load") {
  ManualClock clock;
  Limiter limiter(kBinanceSpotPolicy);
  std::mt19937_64 rng(42);
  const std::array<const char*, 5> names{"POST /api/v3/order", "GET /api/v3/account", "GET /api/v3/depth",
                                         "GET /api/v3/openOrders", "GET /api/v3/exchangeInfo"};
  std::array<std::vector<test::Grant>, 4> grants;
  for (int i = 0; i < 20'000; ++i) {
    clock.advance(Nanos{static_cast<std::int64_t>(rng() % 20'000'000)});
    const char* name = names[rng() % names.size()];
    const Cost cost = kBinanceSpotPolicy.cost(name, static_cast<std::uint32_t>(1 + rng() % 5000)).value();
    const auto now = clock.steady_now();
    if (limiter.try_acquire(cost, now).admitted()) {
      for (const auto& item : cost.view()) grants[item.pool].push_back({to_ns(now), item.weight});
    }
  }
  for (std::size_t p = 0; p < 4; ++p) {
    const PoolSpec& spec = kBinanceSpotPools[p];
    INFO(spec.name);
    CHECK(!grants[p].empty());
    CHECK(test::max_in_window(grants[p], spec.interval.count()) <= spec.limit);
  }
  CHECK(test::max_in_window(grants[0], 60'000'000'000) > 3000);  // and it is actually used
}

TEST_CASE("linked pools stay consistent with 2 threads hammering them [threads]") {
  Limiter limiter(kTestPolicy);
  ManualClock clock;
  std::vector<test::Grant> grants_a[2], grants_b[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(static_cast<std::uint64_t>(t) + 99);
      for (int i = 0; i < 20'000; ++i) {
        if (rng() % 16 == 0) clock.advance(Nanos{static_cast<std::int64_t>(rng() % 50'000'000)});
        const auto now = clock.steady_now();
        const Cost cost = cost_of({{0, static_cast<std::uint32_t>(1 + rng() % 3)}, {1, 1}});
        if (limiter.try_acquire(cost, now).admitted()) {
          grants_a[t].push_back({to_ns(now), cost.weight_of(0)});
          grants_b[t].push_back({to_ns(now), 1});
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  auto merge = [](std::vector<test::Grant> (&parts)[2]) {
    std::vector<test::Grant> all = parts[0];
    all.insert(all.end(), parts[1].begin(), parts[1].end());
    return all;
  };
  const auto a = merge(grants_a);
  const auto b = merge(grants_b);
  CHECK(a.size() > 50);
  CHECK(test::audit_windows(a, 10, 10, 1'000'000'000) == "");
  CHECK(test::audit_windows(b, 4, 4, 1'000'000'000) == "");
}

TEST_CASE("acquire through a clock") {
  ManualClock clock;
  Limiter limiter(kTestPolicy);
  CHECK(limiter.try_acquire(cost_of({{0, 10}}), clock).admitted());
  CHECK(!limiter.try_acquire(cost_of({{0, 1}}), clock).admitted());
  clock.advance(100ms);
  CHECK(limiter.try_acquire(cost_of({{0, 1}}), clock).admitted());
}

TEST_CASE("Binance 418 blocks USD-M orders through their zero-weight IP item; account pools stay usable after") {
  ManualClock clock;
  Limiter limiter(kBinanceUsdmPolicy);
  const auto now = clock.steady_now();
  const Cost order = kBinanceUsdmPolicy.cost("POST /fapi/v1/order").value();
  CHECK(order.weight_of(binance_usdm_pool::request_weight) == 0);
  REQUIRE(limiter.try_acquire(order, now).admitted());
  CHECK(limiter.pool(binance_usdm_pool::request_weight).used(to_ns(now)) == 0);
  const auto fb = limiter.on_response(response(418, {{"Retry-After", "180"}}), now, clock.system_now());
  REQUIRE(fb.has_value());
  const Decision d = limiter.try_acquire(order, now + 1s);
  CHECK(d.outcome == Decision::Outcome::blocked);
  CHECK(d.not_until == now + 180s);
  CHECK(limiter.try_acquire(order, now + 180s).admitted());
}

TEST_CASE("status: a pool is venue-reported only when the venue sends its usage in a header") {
  Limiter limiter(kTestPolicy);
  const LimiterStatus status = limiter.status(SteadyTime{});
  REQUIRE(status.pools.size() == 3);
  CHECK(status.pools[0].venue_reported);        // A: used header
  CHECK(status.pools[1].venue_reported);        // B: remaining header
  CHECK_FALSE(status.pools[2].venue_reported);  // C: none: only our own spending
  CHECK(status.pools[2].name == "C");
}
