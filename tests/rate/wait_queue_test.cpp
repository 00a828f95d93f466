// Tests for cts/rate/wait_queue.hpp: priority-ordered FIFO waiting with cancellation.
#include <cts/rate/wait_queue.hpp>

#include <doctest/doctest.h>

#include <vector>

using namespace cts;
using namespace cts::rate;
using namespace std::chrono_literals;

namespace {

// One leaky pool: 4 units at once, 4 per second (T = 250 ms).
constexpr std::array<PoolSpec, 1> kPools{{{"P", 4, std::chrono::seconds{1}, Scope::account, Counting::leaky, "", ""}}};
constexpr VenuePolicy kPolicy{VenueId::okx, kPools, {}, {}, {}, "test"};

Cost units(std::uint32_t n) {
  Cost c;
  c.add(0, n);
  return c;
}

std::vector<WaitId> ids(const std::vector<Grant>& grants) {
  std::vector<WaitId> out;
  for (const auto& g : grants) out.push_back(g.id);
  return out;
}

}  // namespace

TEST_CASE("FIFO within a priority, strict between priorities") {
  ManualClock clock;
  Limiter limiter(kPolicy);
  WaitQueue queue(limiter, 3);
  const auto now = clock.steady_now();
  const WaitId low1 = queue.enqueue(units(1), 2, now).value();
  const WaitId low2 = queue.enqueue(units(1), 2, now).value();
  const WaitId high = queue.enqueue(units(1), 0, now).value();
  const WaitId mid = queue.enqueue(units(1), 1, now).value();
  CHECK(ids(queue.poll(now)) == std::vector<WaitId>{high, mid, low1, low2});
  CHECK(queue.waiting() == 0);
}

TEST_CASE("a heavy head is not overtaken by light requests behind it") {
  ManualClock clock;
  Limiter limiter(kPolicy);
  WaitQueue queue(limiter, 2);
  const auto now = clock.steady_now();
  REQUIRE(limiter.try_acquire(units(3), now).admitted());
  const WaitId heavy = queue.enqueue(units(4), 0, now).value();
  const WaitId light = queue.enqueue(units(1), 0, now).value();
  const WaitId lower = queue.enqueue(units(1), 1, now).value();
  CHECK(queue.poll(now).empty());  // 1 unit is free, but the heavy head needs 4
  const auto wake = queue.next_wake();
  REQUIRE(wake.has_value());
  CHECK(*wake == now + 750ms);  // 3 units back at 250 ms each
  CHECK(queue.poll(*wake - 1ns).empty());
  CHECK(ids(queue.poll(*wake)) == std::vector<WaitId>{heavy});
  CHECK(ids(queue.poll(*wake + 250ms)) == std::vector<WaitId>{light});
  CHECK(ids(queue.poll(*wake + 500ms)) == std::vector<WaitId>{lower});
}

TEST_CASE("cancel: a waiter is removed, a granted reservation is returned") {
  ManualClock clock;
  Limiter limiter(kPolicy);
  WaitQueue queue(limiter, 1);
  const auto now = clock.steady_now();
  const WaitId first = queue.enqueue(units(4), 0, now).value();
  const WaitId second = queue.enqueue(units(4), 0, now).value();
  const auto grants = queue.poll(now);
  REQUIRE(ids(grants) == std::vector<WaitId>{first});
  CHECK(queue.cancel(second));
  CHECK(!queue.cancel(second));
  CHECK(!queue.cancel(first));  // granted: cancel the Grant instead
  CHECK(limiter.pool(0).used(to_ns(now)) == 4);
  CHECK(queue.cancel(grants[0]) == 1);
  CHECK(limiter.pool(0).used(to_ns(now)) == 0);
  CHECK(limiter.try_acquire(units(4), now).admitted());
}

TEST_CASE("impossible waits fail fast; lookahead grants early bookings") {
  ManualClock clock;
  Limiter limiter(kPolicy);
  const auto now = clock.steady_now();
  WaitQueue queue(limiter, 1, 500ms);
  const auto too_big = queue.enqueue(units(5), 0, now);
  REQUIRE(!too_big.has_value());
  CHECK(too_big.error().code == ErrorCode::invalid_argument);
  CHECK(!queue.enqueue(units(1), 1, now).has_value());  // priority out of range
  REQUIRE(limiter.try_acquire(units(4), now).admitted());
  REQUIRE(queue.enqueue(units(2), 0, now).has_value());
  const auto grants = queue.poll(now);  // ready in 500 ms: within the lookahead
  REQUIRE(grants.size() == 1);
  CHECK(grants[0].reservation.ready_at == now + 500ms);
  CHECK_THROWS_AS(WaitQueue(limiter, 0), Exception);
}

TEST_CASE("Limiter::peek predicts without recording") {
  ManualClock clock;
  Limiter limiter(kPolicy);
  const auto now = clock.steady_now();
  CHECK(limiter.peek(units(4), now).admitted());
  CHECK(limiter.pool(0).used(to_ns(now)) == 0);
  REQUIRE(limiter.try_acquire(units(4), now).admitted());
  const Decision d = limiter.peek(units(2), now);
  CHECK(d.outcome == Decision::Outcome::not_until);
  CHECK(d.not_until == now + 500ms);
  CHECK(limiter.peek(units(9), now).outcome == Decision::Outcome::too_costly);
}
