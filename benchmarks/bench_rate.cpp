// Rate/... : the limiter's decision path, with injected time, with a clock read, across
// three linked pools and with two threads on one pool; Floor/steady_clock_now is the
// cost of the clock read itself, measured in the same executable.
#include <array>
#include <chrono>
#include <cstdint>

#include <benchmark/benchmark.h>

#include <cts/core/clock.hpp>
#include <cts/rate/limiter.hpp>

namespace {

using namespace std::chrono_literals;

// Pools so large that every decision is admitted: the benchmark measures the admitted
// path (the common one), not a stream of refusals.
constexpr std::array<cts::rate::PoolSpec, 3> kBenchPools{{
    {"WEIGHT", 1'000'000'000'000, std::chrono::seconds{1}, cts::rate::Scope::ip, cts::rate::Counting::leaky, "", ""},
    {"ORDERS_10S", 1'000'000'000'000, std::chrono::seconds{1}, cts::rate::Scope::account, cts::rate::Counting::leaky, "", ""},
    {"ORDERS_1D", 1'000'000'000'000, std::chrono::seconds{1}, cts::rate::Scope::account, cts::rate::Counting::leaky, "", ""},
}};
constexpr cts::rate::VenuePolicy kBenchPolicy{cts::VenueId::binance_spot, kBenchPools, {}, {}, {}, "benchmark"};

cts::rate::Cost one_pool() {
  cts::rate::Cost cost;
  cost.add(0, 1);
  return cost;
}

cts::rate::Cost three_pools() {
  cts::rate::Cost cost;
  cost.add(0, 1);
  cost.add(1, 1);
  cost.add(2, 1);
  return cost;
}

void Rate_acquire_injected_time(benchmark::State& state) {
  cts::rate::Limiter limiter(kBenchPolicy);
  const cts::rate::Cost cost = one_pool();
  cts::SteadyTime now = cts::ManualClock{}.steady_now();
  for (auto _ : state) {
    now += 1ns;
    auto decision = limiter.try_acquire(cost, now);
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Rate_acquire_injected_time)->Name("Rate/acquire_injected_time");

void Rate_acquire_with_clock(benchmark::State& state) {
  cts::rate::Limiter limiter(kBenchPolicy);
  const cts::rate::Cost cost = one_pool();
  const cts::RealClock clock;
  for (auto _ : state) {
    auto decision = limiter.try_acquire(cost, clock);
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Rate_acquire_with_clock)->Name("Rate/acquire_with_clock");

void Rate_acquire_3_linked_pools(benchmark::State& state) {
  cts::rate::Limiter limiter(kBenchPolicy);
  const cts::rate::Cost cost = three_pools();
  cts::SteadyTime now = cts::ManualClock{}.steady_now();
  for (auto _ : state) {
    now += 1ns;
    auto decision = limiter.try_acquire(cost, now);
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Rate_acquire_3_linked_pools)->Name("Rate/acquire_3_linked_pools");

cts::rate::Limiter& shared_limiter() {
  static cts::rate::Limiter limiter(kBenchPolicy);
  return limiter;
}

void Rate_acquire_contended_2_threads(benchmark::State& state) {
  cts::rate::Limiter& limiter = shared_limiter();
  const cts::rate::Cost cost = one_pool();
  cts::SteadyTime now = cts::ManualClock{}.steady_now();
  for (auto _ : state) {
    now += 1ns;
    auto decision = limiter.try_acquire(cost, now);
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Rate_acquire_contended_2_threads)->Name("Rate/acquire_contended_2_threads")->Threads(2)->UseRealTime();

void Floor_steady_clock_now(benchmark::State& state) {
  for (auto _ : state) {
    auto now = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(now);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Floor_steady_clock_now)->Name("Floor/steady_clock_now");

}  // namespace
