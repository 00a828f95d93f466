// Tests for cts/rate/gcra.hpp: the single-pool meter.
#include <cts/rate/gcra.hpp>

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
constexpr std::int64_t kStart = 1'000'000'000;  // 1 s after the steady epoch, like ManualClock
}

TEST_CASE("a full pool admits its burst at once, then one unit per emission interval") {
  GcraPool pool(Quota{10, 10, 1s});  // 10 at once, 10 per second
  CHECK(pool.emission_ns() == 100'000'000);
  for (int i = 0; i < 10; ++i) CHECK(pool.try_take(1, kStart) == kAdmitted);
  const std::int64_t next = pool.try_take(1, kStart);
  CHECK(next == kStart + 100'000'000);
  CHECK(pool.used(kStart) == 10);
}

TEST_CASE("wait-time accuracy: admitted exactly at not_until, not 1 ns before") {
  GcraPool pool(Quota{5, 5, 1s});
  CHECK(pool.try_take(5, kStart) == kAdmitted);
  const std::int64_t ready = pool.try_take(3, kStart);
  REQUIRE(ready != kAdmitted);
  CHECK(ready == kStart + 3 * 200'000'000);
  CHECK(pool.try_take(3, ready - 1) == ready);
  CHECK(pool.peek(3, ready - 1) == ready);
  CHECK(pool.peek(3, ready) == kAdmitted);
  CHECK(pool.try_take(3, ready) == kAdmitted);
  CHECK(pool.try_take(1, ready) != kAdmitted);
}

TEST_CASE("a backward clock step grants nothing") {
  GcraPool pool(Quota{4, 4, 1s});
  CHECK(pool.try_take(4, kStart + 10'000'000'000) == kAdmitted);
  // Ten seconds earlier than the last decision: still exhausted, nothing is minted.
  CHECK(pool.try_take(1, kStart) != kAdmitted);
  CHECK(pool.try_take(1, kStart + 10'000'000'000) != kAdmitted);
  CHECK(pool.try_take(1, kStart + 10'250'000'000) == kAdmitted);
}

TEST_CASE("cost above the burst fails fast; cost zero is free") {
  GcraPool pool(Quota{10, 10, 1s});
  CHECK(pool.try_take(11, kStart) == kNever);
  CHECK(pool.peek(11, kStart) == kNever);
  CHECK(pool.try_take(0, kStart) == kAdmitted);
  CHECK(pool.used(kStart) == 0);
}

TEST_CASE("extreme quotas neither overflow nor admit everything") {
  SUBCASE("zero quota is closed") {
    GcraPool pool(Quota{0, 0, 1s});
    CHECK(pool.try_take(1, kStart) == kNever);
    CHECK(pool.try_take(0, kStart) == kAdmitted);
  }
  SUBCASE("a default-constructed pool is closed") {
    GcraPool pool;
    CHECK(pool.try_take(1, kStart) == kNever);
  }
  SUBCASE("burst 2^32 over 30 days") {
    const std::uint64_t burst = std::uint64_t{1} << 32;
    GcraPool pool(Quota{burst, burst, std::chrono::hours{24 * 30}});
    CHECK(pool.try_take(burst, kStart) == kAdmitted);
    const std::int64_t next = pool.try_take(1, kStart);
    CHECK(next > kStart);
    CHECK(pool.try_take(burst, kStart + 1'000'000'000) != kAdmitted);
  }
  SUBCASE("absurd burst over a day is clamped, not wrapped") {
    GcraPool pool(Quota{kMaxBurst, 1, std::chrono::hours{24}});
    CHECK(pool.burst() <= kMaxBurst);
    CHECK(static_cast<unsigned __int128>(pool.burst()) * static_cast<std::uint64_t>(pool.emission_ns()) <=
          static_cast<unsigned __int128>(kMaxIntervalNs));
    CHECK(pool.try_take(pool.burst(), kStart) == kAdmitted);
    CHECK(pool.try_take(1, kStart) != kAdmitted);
  }
  SUBCASE("more units than nanoseconds") {
    GcraPool pool(Quota{std::uint64_t{1} << 40, std::uint64_t{1} << 40, 1s});
    CHECK(pool.emission_ns() == 1);
    CHECK(pool.try_take(std::uint64_t{1} << 40, kStart) == kAdmitted);
    CHECK(pool.try_take(1, kStart) == kStart + 1);
  }
  SUBCASE("times near the far future do not overflow") {
    GcraPool pool(Quota{10, 10, 1s});
    const std::int64_t far = kFarFutureNs - 1;
    CHECK(pool.try_take(10, far) == kAdmitted);
    CHECK(pool.try_take(1, far) != kAdmitted);
  }
  SUBCASE("misconfiguration throws") {
    CHECK_THROWS_AS(GcraPool(Quota{1, 1, 0s}), Exception);
    CHECK_THROWS_AS(GcraPool(Quota{1, 1, -1s}), Exception);
    CHECK_THROWS_AS(GcraPool(Quota{kMaxBurst + 1, 1, 1s}), Exception);
  }
}

TEST_CASE("booking goes into debt in call order and give_back undoes only the last booking") {
  GcraPool pool(Quota{2, 2, 1s});  // T = 500 ms
  GcraPool::Undo a{}, b{};
  CHECK(pool.book(2, kStart, a) == kStart);
  CHECK(pool.book(2, kStart, b) == kStart + 1'000'000'000);
  CHECK(!pool.give_back(a));  // b was booked after a: a's units stay spent
  CHECK(pool.give_back(b));
  CHECK(pool.try_take(1, kStart) != kAdmitted);
  CHECK(pool.try_take(1, kStart + 500'000'000) == kAdmitted);
}

TEST_CASE("server usage only ever raises the meter") {
  GcraPool pool(Quota{100, 100, 1s});
  pool.ensure_used(90, kStart);
  CHECK(pool.used(kStart) == 90);
  pool.ensure_used(10, kStart);
  CHECK(pool.used(kStart) == 90);
  CHECK(pool.try_take(10, kStart) == kAdmitted);
  CHECK(pool.try_take(1, kStart) != kAdmitted);
  pool.ensure_used(1'000'000, kStart);  // more than the burst: clamps to full
  CHECK(pool.used(kStart) == 100);
}

TEST_CASE("never over-grant: random arrivals and costs pass the sliding-window audit") {
  std::mt19937_64 rng(20261122);
  for (int round = 0; round < 40; ++round) {
    const std::uint64_t burst = 1 + rng() % 50;
    const std::uint64_t refill = 1 + rng() % 80;
    const std::int64_t interval = 1'000 + static_cast<std::int64_t>(rng() % 5'000'000);
    GcraPool pool(Quota{burst, refill, Nanos{interval}});
    std::vector<test::Grant> grants;
    std::int64_t now = kStart;
    for (int i = 0; i < 600; ++i) {
      switch (rng() % 4) {
        case 0: break;                                                          // same instant
        case 1: now += static_cast<std::int64_t>(rng() % 1000); break;          // tiny step
        case 2: now += static_cast<std::int64_t>(rng() % (interval / 4 + 1)); break;
        default: now -= static_cast<std::int64_t>(rng() % 2000); break;         // backward step
      }
      const std::uint64_t cost = rng() % (burst + 2);  // sometimes 0, sometimes above burst
      if (pool.try_take(cost, now) == kAdmitted && cost > 0) grants.push_back({now, cost});
    }
    INFO("round " << round << " burst " << burst << " refill " << refill << " interval " << interval);
    CHECK(test::audit_windows(grants, burst, refill, interval) == "");
    CHECK(!grants.empty());
  }
}

TEST_CASE("the audit itself catches an over-grant") {
  // Two bursts 1 ns apart from a pool of burst 10 refilling 10 per second: impossible.
  const std::vector<test::Grant> bad{{0, 10}, {1, 10}};
  CHECK(test::audit_windows(bad, 10, 10, 1'000'000'000) != "");
  const std::vector<test::Grant> good{{0, 10}, {1'000'000'000, 10}};
  CHECK(test::audit_windows(good, 10, 10, 1'000'000'000) == "");
}

TEST_CASE("never over-grant with 2 threads hammering one pool [threads]") {
  GcraPool pool(Quota{20, 20, 1ms});
  ManualClock clock;
  std::vector<test::Grant> grants[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(static_cast<std::uint64_t>(t) + 7);
      for (int i = 0; i < 20'000; ++i) {
        if (rng() % 8 == 0) clock.advance(Nanos{static_cast<std::int64_t>(rng() % 20'000)});
        const std::int64_t now = to_ns(clock.steady_now());
        const std::uint64_t cost = 1 + rng() % 4;
        if (pool.try_take(cost, now) == kAdmitted) grants[t].push_back({now, cost});
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<test::Grant> all = grants[0];
  all.insert(all.end(), grants[1].begin(), grants[1].end());
  CHECK(all.size() > 100);
  // O(n^2) audit on the merged log; keep it bounded.
  std::sort(all.begin(), all.end(), [](const test::Grant& a, const test::Grant& b) { return a.at_ns < b.at_ns; });
  if (all.size() > 6000) all.resize(6000);  // a contiguous stretch of time
  CHECK(test::audit_windows(all, 20, 20, 1'000'000) == "");
}
