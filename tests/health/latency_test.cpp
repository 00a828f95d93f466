// Tests for cts/health/latency.hpp. The oracle is an exactly sorted array; the
// coordinated-omission case is the HdrHistogram README example.
#include <cts/health/latency.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>
#include <vector>

using namespace cts::health;

TEST_CASE("percentiles are within the precision of an exact sorted oracle") {
  for (const int digits : {2, 3}) {
    LatencyHistogram h(3'600'000'000'000, digits);
    std::mt19937_64 rng(42);
    std::lognormal_distribution<double> dist(11.0, 1.5);  // ~60 us median, heavy tail
    std::vector<std::int64_t> values;
    for (int i = 0; i < 20000; ++i) {
      const auto v = std::max<std::int64_t>(1, static_cast<std::int64_t>(dist(rng)));
      values.push_back(v);
      h.record(v);
    }
    std::sort(values.begin(), values.end());
    CHECK(h.total_count() == values.size());
    const double tolerance = std::pow(10.0, -digits);
    for (const double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 100.0}) {
      const auto rank = std::max<std::size_t>(1, static_cast<std::size_t>(p / 100.0 * values.size() + 0.5));
      const auto exact = static_cast<double>(values[rank - 1]);
      const auto got = static_cast<double>(h.percentile(p));
      CHECK_MESSAGE(std::abs(got - exact) <= exact * tolerance + 1, "p=" << p << " digits=" << digits);
    }
  }
}

TEST_CASE("bucket equivalence ranges and exact small values") {
  LatencyHistogram h(1'000'000, 3);  // 2048 sub-buckets: values below 2048 are exact
  CHECK(h.lowest_equivalent(1000) == 1000);
  CHECK(h.highest_equivalent(1000) == 1000);
  CHECK(h.lowest_equivalent(10007) == 10000);   // width 8 at 8192..16383
  CHECK(h.highest_equivalent(10007) == 10007);
  CHECK(h.lowest_equivalent(10008) == 10008);
  h.record(5);
  h.record(0);  // counts as 1
  h.record(2'000'000);
  CHECK(h.min() == 1);
  CHECK(h.clamped() == 1);
  CHECK(h.max() == 1'000'000);
  CHECK(h.sum() == 1'000'006);
  CHECK_THROWS_AS(LatencyHistogram(1, 3), std::invalid_argument);
  CHECK_THROWS_AS(LatencyHistogram(100, 6), std::invalid_argument);
}

TEST_CASE("coordinated-omission correction reproduces the HdrHistogram README example") {
  // 10 000 results of 1 ms, one 100 s stall, expected interval 10 ms (values in ns).
  LatencyHistogram raw(3'600'000'000'000, 3);
  LatencyHistogram corrected(3'600'000'000'000, 3);
  for (int i = 0; i < 10000; ++i) {
    raw.record(1'000'000);
    corrected.record_corrected(1'000'000, 10'000'000);
  }
  raw.record(100'000'000'000);
  corrected.record_corrected(100'000'000'000, 10'000'000);
  CHECK(raw.total_count() == 10001);
  CHECK(raw.percentile(99.99) <= 1'001'000);  // the stall hides beyond 99.99 %
  CHECK(corrected.total_count() == 20000);    // 9 999 backfilled samples
  CHECK(corrected.percentile(50) <= 1'001'000);
  CHECK(corrected.percentile(75) == doctest::Approx(50'000'000'000).epsilon(0.002));
}

TEST_CASE("to_buckets gives cumulative counts for exposition") {
  LatencyHistogram h(1'000'000'000, 3);
  for (const std::int64_t v : {100, 200, 1500, 90'000}) h.record(v);
  const std::vector<std::int64_t> bounds{100, 1000, 100'000};
  CHECK(h.to_buckets(bounds) == std::vector<std::uint64_t>{1, 2, 4, 4});
}

TEST_CASE("interval recorder loses no samples across 1000 swaps [threads]") {
  IntervalRecorder recorder(1'000'000'000, 3);
  LatencyHistogram total(1'000'000'000, 3);
  constexpr int kWriters = 3;
  constexpr int kPer = 10000;
  std::vector<std::thread> writers;
  for (int t = 0; t < kWriters; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kPer; ++i) recorder.record(1 + (i % 1000) + t);
    });
  }
  for (int i = 0; i < 1000; ++i) recorder.sample_and_swap(total);
  for (auto& w : writers) w.join();
  recorder.sample_and_swap(total);
  recorder.sample_and_swap(total);
  CHECK(total.total_count() == std::uint64_t{kWriters} * kPer);
}
