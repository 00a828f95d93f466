// Tests for cts/health/checks.hpp.
#include <cts/health/checks.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

TEST_CASE("staleness: unknown before data, then by age; passes outside the active window") {
  ManualClock clock;
  bool market_open = true;
  StalenessCheck md({250ms, 1s, [&market_open](SystemTime) { return market_open; }});
  CHECK(md.probe(clock.steady_now(), clock.system_now())->status == Status::unknown);
  md.update(clock.steady_now());
  clock.advance(100ms);
  auto r = md.probe(clock.steady_now(), clock.system_now());
  CHECK(r->status == Status::pass);
  CHECK(r->observed_value == 100.0);
  CHECK(r->observed_unit == "ms");
  CHECK(r->output.empty());
  clock.advance(250ms);
  r = md.probe(clock.steady_now(), clock.system_now());
  CHECK(r->status == Status::warn);
  CHECK(r->output == "last update 350 ms ago");
  clock.advance(1s);
  CHECK(md.probe(clock.steady_now(), clock.system_now())->status == Status::fail);
  market_open = false;
  CHECK(md.probe(clock.steady_now(), clock.system_now())->status == Status::pass);
  CHECK_THROWS_AS(StalenessCheck({2s, 1s, {}}), std::invalid_argument);
}

TEST_CASE("unknown-outcome orders: warn from 1, fail from 3, clear at 0") {
  ManualClock clock;
  UnknownOrdersCheck c(1, 3);
  auto probe = [&] { return c.probe(clock.steady_now(), clock.system_now())->status; };
  CHECK(probe() == Status::unknown);
  c.set_count(0);
  CHECK(probe() == Status::pass);
  c.set_count(1);
  CHECK(probe() == Status::warn);
  c.set_count(3);
  CHECK(probe() == Status::fail);
  c.set_count(2);
  CHECK(probe() == Status::warn);
  c.set_count(0);
  CHECK(probe() == Status::pass);
}

TEST_CASE("clock skew against the venue's server time") {
  const SystemTime sent{std::chrono::seconds{1'700'000'000}};
  // Server stamped 40 ms after our send; round trip 20 ms: offset +30 ms.
  CHECK(ClockSkewCheck::offset_from(sent + 40ms, sent, sent + 20ms) == 30ms);
  ManualClock clock;
  ClockSkewCheck skew({Worse::higher, 50, 40, 500, 400});
  CHECK(skew.probe(clock.steady_now(), clock.system_now())->status == Status::unknown);
  skew.record_offset(-60ms);
  auto r = skew.probe(clock.steady_now(), clock.system_now());
  CHECK(r->status == Status::warn);
  CHECK(r->observed_value == -60.0);
  skew.record_offset(45ms);
  CHECK(skew.probe(clock.steady_now(), clock.system_now())->status == Status::warn);  // hysteresis
  skew.record_offset(1s);
  CHECK(skew.probe(clock.steady_now(), clock.system_now())->status == Status::fail);
  skew.record_offset(1ms);
  CHECK(skew.probe(clock.steady_now(), clock.system_now())->status == Status::pass);
}

TEST_CASE("rate-limit headroom, 429 throttle and 418 ban") {
  ManualClock clock;
  HeadroomCheck h({Worse::lower, 20, 30, 5, 10});
  auto probe = [&] { return h.probe(clock.steady_now(), clock.system_now())->status; };
  CHECK(probe() == Status::unknown);
  h.update(5400, 6000);  // Binance spot weight: 10 % left
  CHECK(probe() == Status::warn);
  h.update(1000, 6000);
  CHECK(probe() == Status::pass);
  h.on_rate_limited(clock.steady_now() + 7s);
  CHECK(probe() == Status::warn);
  clock.advance(7s);
  CHECK(probe() == Status::pass);
  h.on_banned(clock.steady_now() + 120s);
  CHECK(probe() == Status::fail);
  clock.advance(121s);
  CHECK(probe() == Status::pass);
}

TEST_CASE("callback check passes errors through") {
  CallbackCheck c([](SteadyTime, SystemTime) -> Result<CheckResult> {
    return make_error(ErrorCode::network, "session socket closed");
  });
  ManualClock clock;
  auto r = c.probe(clock.steady_now(), clock.system_now());
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::network);
}
