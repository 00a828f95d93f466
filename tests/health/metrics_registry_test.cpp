// Tests for cts/health/metrics_registry.hpp.
#include <cts/health/exposition.hpp>
#include <cts/health/metrics_registry.hpp>

#include <doctest/doctest.h>

#include "exposition_parser.hpp"

using namespace cts::health;
using namespace std::chrono_literals;

TEST_CASE("families hand out stable children and collect them sorted") {
  cts::ManualClock clock;
  MetricsRegistry registry(clock);
  auto& orders = registry.counter({"orders_sent", "Orders sent.", {"venue"}});
  auto& xnas = orders.add(LabelSet{{"venue", "XNAS"}});
  auto& bnce = orders.add(LabelSet{{"venue", "BINANCE"}});
  CHECK(&orders.add(LabelSet{{"venue", "XNAS"}}) == &xnas);
  xnas.inc(3);
  bnce.inc();
  clock.advance(5s);
  auto& depth = registry.gauge({"queue_depth", "Queued items.", {}});
  depth.add(LabelSet{}).set(7);
  const auto snapshot = registry.collect();
  REQUIRE(snapshot.size() == 2);
  REQUIRE(snapshot[0].children.size() == 2);
  CHECK(snapshot[0].children[0].labels.get("venue") == "BINANCE");
  CHECK(std::get<std::uint64_t>(snapshot[0].children[1].value) == 3);
  CHECK(snapshot[0].children[0].created == cts::SystemTime{std::chrono::seconds{1'704'067'200}});
  CHECK(std::get<double>(snapshot[1].children[0].value) == 7.0);
  CHECK(orders.remove(LabelSet{{"venue", "XNAS"}}));
  CHECK_FALSE(orders.remove(LabelSet{{"venue", "XNAS"}}));
  CHECK(orders.size() == 1);
}

TEST_CASE("configuration errors throw") {
  MetricsRegistry registry;
  CHECK_THROWS_AS(registry.counter({"orders_total", "", {}}), std::invalid_argument);
  CHECK_THROWS_AS(registry.gauge({"bad-name", "", {}}), std::invalid_argument);
  CHECK_THROWS_AS(registry.gauge({"latency_ms", "", {}, "seconds"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.gauge({"x", "", {"le"}}), std::invalid_argument);
  auto& g = registry.gauge({"x", "", {"venue"}});
  CHECK_THROWS_AS(registry.gauge({"x", "", {}}), std::invalid_argument);
  CHECK_THROWS_AS(g.add(LabelSet{{"symbol", "BTC"}}), std::invalid_argument);
}

TEST_CASE("a registry's exposition passes the strict parser in both formats") {
  cts::ManualClock clock;
  MetricsRegistry registry(clock);
  registry.counter({"fills", "Fills applied.", {"venue", "side"}}).add(LabelSet{{"venue", "X"}, {"side", "buy"}}).inc(5);
  auto& h = registry.histogram({"ack_seconds", "Ack \"latency\".", {"venue"}, "seconds"}, {0.001, 0.01, 0.1});
  h.add(LabelSet{{"venue", "X"}}).observe(0.005);
  h.add(LabelSet{{"venue", "Y\n"}}).observe(5);
  auto& lat = registry.latency({"order_rtt_seconds", "Round trip.", {}, "seconds"},
                               {1'000'000'000, 3, {1'000, 1'000'000, 100'000'000}, 1e9});
  lat.add(LabelSet{}).record(2'000);
  lat.add(LabelSet{}).record(500);
  const auto text = text_004(registry);
  const auto om = openmetrics_100(registry);
  CHECK(exposition::parse(text, false).error == "");
  const auto parsed = exposition::parse(om, true);
  REQUIRE(parsed.error == "");
  const auto* rtt = parsed.family("order_rtt_seconds");
  REQUIRE(rtt != nullptr);
  // Buckets at 1 us, 1 ms, 100 ms: 500 ns and 2 us.
  CHECK(rtt->samples[0].labels[0].second == "1e-06");
  CHECK(rtt->samples[0].value == 1);
  CHECK(rtt->samples[1].value == 2);
  CHECK(rtt->samples[4].name == "order_rtt_seconds_sum");
  CHECK(rtt->samples[4].value == doctest::Approx(2.5e-6));
  CHECK(om.find("fills_total{side=\"buy\",venue=\"X\"} 5\n") != std::string::npos);
  CHECK(om.find("fills_created{side=\"buy\",venue=\"X\"} 1.7040672e+09\n") != std::string::npos);
}
