// Tests for cts/engine/twap.hpp.
#include <cts/engine/twap.hpp>

#include <doctest/doctest.h>

#include "support/test_instruments.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using namespace std::chrono_literals;

namespace {
Instrument btcusdt() { return cts::testing::btcusdt_spot(); }
}  // namespace

TEST_CASE("slices come due evenly and the last one carries the remainder") {
  ManualClock clock;
  const SteadyTime start = clock.steady_now() + 5s;
  auto schedule = TwapSchedule::create(btcusdt(), {"1.00003"_d, start, 100s, 10}).value();
  CHECK(schedule.slices_due(clock.steady_now()) == 0);
  CHECK(schedule.quantity_due(clock.steady_now(), Decimal{}) == Decimal{});
  CHECK(schedule.slices_due(start) == 1);
  CHECK(schedule.quantity_due(start, Decimal{}) == "0.1"_d);  // 0.100003 rounded down to the step
  CHECK(schedule.slices_due(start + 9999ms) == 1);
  CHECK(schedule.slices_due(start + 10s) == 2);
  CHECK(schedule.quantity_due(start + 10s, "0.1"_d) == "0.1"_d);  // target 0.200006 -> 0.2
  CHECK(schedule.target_after(3) == "0.30000"_d);
  CHECK(schedule.slices_due(start + 90s) == 10);
  CHECK(schedule.quantity_due(start + 90s, "0.9"_d) == "0.10003"_d);
  CHECK(schedule.quantity_due(start + 500s, "1.00003"_d) == Decimal{});
  CHECK(schedule.quantity_due(start + 500s, "2"_d) == Decimal{});
}

TEST_CASE("plans are validated") {
  const SteadyTime t{};
  CHECK(TwapSchedule::create(btcusdt(), {Decimal{}, t, 10s, 2}).error().code == ErrorCode::invalid_argument);
  CHECK(TwapSchedule::create(btcusdt(), {"1"_d, t, 0s, 2}).error().code == ErrorCode::invalid_argument);
  CHECK(TwapSchedule::create(btcusdt(), {"1"_d, t, 10s, 0}).error().code == ErrorCode::invalid_argument);
  CHECK(TwapSchedule::create(btcusdt(), {"1.000001"_d, t, 10s, 2}).error().code == ErrorCode::invalid_argument);
}
