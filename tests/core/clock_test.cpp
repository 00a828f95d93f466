// Tests for cts/core/clock.hpp.
#include <cts/core/clock.hpp>

#include <doctest/doctest.h>

#include <thread>
#include <vector>

using namespace cts;
using namespace std::chrono_literals;

TEST_CASE("ManualClock moves only when told") {
  ManualClock clock;
  const SteadyTime t0 = clock.steady_now();
  const SystemTime w0 = clock.system_now();
  CHECK(to_unix_millis(w0) == 1'704'067'200'000);
  CHECK(clock.steady_now() == t0);
  clock.advance(1500ms);
  CHECK(clock.steady_now() - t0 == 1500ms);
  CHECK(clock.system_now() - w0 == 1500ms);
  clock.advance(-500ms);
  CHECK(clock.steady_now() - t0 == 1000ms);
  clock.set_wall(from_unix_millis(1'800'000'000'000));
  CHECK(to_unix_millis(clock.system_now()) == 1'800'000'000'000);
  CHECK(clock.steady_now() - t0 == 1000ms);
  clock.set(t0 + 10s);
  CHECK(clock.steady_now() == t0 + 10s);
  CHECK(to_unix_millis(clock.system_now()) == 1'800'000'009'000);
}

TEST_CASE("RealClock reads the machine's clocks") {
  RealClock clock;
  const SteadyTime a = clock.steady_now();
  const SteadyTime b = clock.steady_now();
  CHECK(b >= a);
  CHECK(to_unix_millis(clock.system_now()) > 1'700'000'000'000);
}

TEST_CASE("ManualClock is safe to share between threads [threads]") {
  ManualClock clock;
  const SteadyTime start = clock.steady_now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) {
        clock.advance(1ns);
        (void)clock.system_now();
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(clock.steady_now() - start == 20'000ns);
}

TEST_CASE("unix millisecond conversions") {
  CHECK(to_unix_millis(from_unix_millis(1'499'827'319'559)) == 1'499'827'319'559);
}
