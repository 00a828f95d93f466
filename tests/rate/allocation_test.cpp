// The limiter's decision path allocates nothing: counted with a replaced global
// operator new (this replacement applies to the whole test binary; it only counts).
// cts-batch: standalone (operator new must be replaced at global scope).
#include <cts/rate/limiter.hpp>
#include <cts/rate/policies/binance.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>

namespace {
std::atomic<std::size_t> g_allocations{0};
}

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace cts;
using namespace cts::rate;
using namespace std::chrono_literals;

TEST_CASE("try_acquire, reserve and cancel allocate nothing") {
  Limiter limiter(kBinanceSpotPolicy);
  const Cost order = kBinanceSpotPolicy.cost("POST /api/v3/order").value();
  const Cost depth = binance_spot_depth_cost(1000).value();
  ManualClock clock;
  SteadyTime now = clock.steady_now();
  const std::size_t before = g_allocations.load();
  std::size_t admitted = 0, refused = 0;
  for (int i = 0; i < 10'000; ++i) {
    now += 1ms;
    const Decision a = limiter.try_acquire(order, now);
    const Decision b = limiter.try_acquire(depth, now);
    admitted += (a.admitted() ? 1 : 0) + (b.admitted() ? 1 : 0);
    refused += (a.admitted() ? 0 : 1) + (b.admitted() ? 0 : 1);
    auto booking = limiter.reserve(order, now, 1h);
    if (booking) limiter.cancel(*booking);
  }
  const std::size_t allocations = g_allocations.load() - before;
  CHECK(allocations == 0);
  // The counter does see allocations (so the zero above means something).
  const std::size_t probe = g_allocations.load();
  auto* boxed = new Decision{};
  CHECK(g_allocations.load() == probe + 1);
  delete boxed;
  CHECK(admitted > 0);
  CHECK(refused > 0);  // both paths, admitted and refused, were exercised
}
