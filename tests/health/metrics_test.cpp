// Tests for cts/health/metrics.hpp.
#include <cts/health/metrics.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

using namespace cts::health;

TEST_CASE("counter adds") {
  Counter c;
  CHECK(c.value() == 0);
  c.inc();
  c.inc(41);
  c.inc(std::uint64_t{1} << 40);
  CHECK(c.value() == 42 + (std::uint64_t{1} << 40));
}

TEST_CASE("gauge sets, adds, and reads the injected clock") {
  Gauge g;
  g.set(2.5);
  g.add(-4);
  CHECK(g.value() == -1.5);
  cts::ManualClock clock;  // wall time 2024-01-01T00:00:00Z = 1704067200 s
  g.set_to_now(clock);
  CHECK(g.value() == 1704067200.0);
}

TEST_CASE("histogram buckets are le-inclusive and cumulative") {
  const std::vector<double> bounds{0.1, 1, 10};
  Histogram h(bounds);
  for (const double v : {0.05, 0.1, 0.5, 1.0, 7.0, 100.0}) h.observe(v);
  const auto s = h.snapshot();
  REQUIRE(s.cumulative.size() == 4);
  CHECK(s.cumulative[0] == 2);  // 0.05, 0.1 (le is inclusive)
  CHECK(s.cumulative[1] == 4);
  CHECK(s.cumulative[2] == 5);
  CHECK(s.cumulative[3] == 6);
  CHECK(s.count == 6);
  CHECK(s.sum == doctest::Approx(108.65));
}

TEST_CASE("histogram NaN goes to +Inf; bad bounds are rejected") {
  const std::vector<double> bounds{1, 2};
  Histogram h(bounds);
  h.observe(std::numeric_limits<double>::quiet_NaN());
  const auto s = h.snapshot();
  CHECK(s.cumulative[1] == 0);
  CHECK(s.cumulative[2] == 1);
  CHECK(std::isnan(s.sum));
  const std::vector<double> unsorted{2, 1};
  CHECK_THROWS_AS(Histogram{unsorted}, std::invalid_argument);
  const std::vector<double> inf{1, std::numeric_limits<double>::infinity()};
  CHECK_THROWS_AS(Histogram{inf}, std::invalid_argument);
}

TEST_CASE("histogram with many bounds uses the same le rule") {
  const auto bounds = Histogram::linear_bounds(1, 1, 40);  // 1..40
  Histogram h(bounds);
  h.observe(3.0);
  h.observe(3.5);
  h.observe(40.5);
  const auto s = h.snapshot();
  CHECK(s.cumulative[1] == 0);
  CHECK(s.cumulative[2] == 1);  // le=3
  CHECK(s.cumulative[3] == 2);  // le=4
  CHECK(s.cumulative[39] == 2);
  CHECK(s.count == 3);
  CHECK(Histogram::exponential_bounds(1, 2, 4) == std::vector<double>{1, 2, 4, 8});
  CHECK_THROWS_AS(Histogram::exponential_bounds(0, 2, 4), std::invalid_argument);
}

TEST_CASE("counter total is exact under concurrent increments [threads]") {
  Counter c;
  constexpr int kThreads = 8;
  constexpr int kPer = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPer; ++i) c.inc();
    });
  }
  for (auto& t : threads) t.join();
  CHECK(c.value() == std::uint64_t{kThreads} * kPer);
}

TEST_CASE("histogram snapshot invariants hold under concurrent observe [threads]") {
  const std::vector<double> bounds{1, 2, 3};
  Histogram h(bounds);
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) h.observe(static_cast<double>((i + t) % 5));
    });
  }
  bool ok = true;
  std::uint64_t last_count = 0;
  for (int i = 0; i < 200; ++i) {
    const auto s = h.snapshot();
    for (std::size_t b = 1; b < s.cumulative.size(); ++b) ok = ok && s.cumulative[b - 1] <= s.cumulative[b];
    ok = ok && s.cumulative.back() == s.count && s.count >= last_count;
    last_count = s.count;
  }
  for (auto& w : writers) w.join();
  CHECK(ok);
  CHECK(h.snapshot().count == 60000);
}

TEST_CASE("Counter::advance_to follows a running total and never goes down") {
  Counter c;
  c.advance_to(5);
  CHECK(c.value() == 5);
  c.advance_to(3);  // an older or reset total: unchanged
  CHECK(c.value() == 5);
  c.inc();
  c.advance_to(9);
  CHECK(c.value() == 9);
}

TEST_CASE("histogram_quantile interpolates inside the bucket as Prometheus does; difference is the interval") {
  Histogram h(std::vector<double>{1, 2, 4});
  CHECK_FALSE(histogram_quantile(0.5, h.snapshot()));  // nothing observed
  for (double v : {0.5, 1.5, 1.5, 3.0}) h.observe(v);
  const HistogramSnapshot all = h.snapshot();
  // Ranks of 4: q=0.5 -> 2 in (1, 2] holding 2 above 1 below: 1 + 1·(2-1)/2 = 1.5;
  // q=0.25 -> 1 in (0, 1]: 0 + 1·1/1 = 1; q=1 -> 4 in (2, 4]: 2 + 2·1/1 = 4.
  CHECK(*histogram_quantile(0.5, all) == doctest::Approx(1.5));
  CHECK(*histogram_quantile(0.25, all) == doctest::Approx(1.0));
  CHECK(*histogram_quantile(1.0, all) == doctest::Approx(4.0));
  h.observe(100);  // in +Inf: the highest finite bound
  CHECK(*histogram_quantile(1.0, h.snapshot()) == doctest::Approx(4.0));
  const HistogramSnapshot since = histogram_difference(h.snapshot(), all);
  CHECK(since.count == 1);
  CHECK(since.cumulative == std::vector<std::uint64_t>{0, 0, 0, 1});
  CHECK(since.sum == doctest::Approx(100));
  // A reset (fewer observations than before) counts the later snapshot alone.
  CHECK(histogram_difference(all, h.snapshot()).count == 4);
}
