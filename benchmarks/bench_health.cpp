// Metrics/*, Health/* and Alert/* against the floor Floor/atomic_fetch_add_relaxed
// (one uncontended relaxed fetch_add on a cache line the thread owns: the cost of any
// lock-free counter). Targets (issue 7): counter <= 5 ns, histogram <= 20 ns.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <cts/health/dispatch.hpp>
#include <cts/health/exposition.hpp>
#include <cts/health/latency.hpp>
#include <cts/health/metrics.hpp>
#include <cts/health/registry.hpp>

namespace {

using namespace std::chrono_literals;

void Floor_atomic_fetch_add_relaxed(benchmark::State& state) {
  alignas(64) std::atomic<std::uint64_t> cell{0};
  for (auto _ : state) cell.fetch_add(1, std::memory_order_relaxed);
  benchmark::DoNotOptimize(cell.load());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Floor_atomic_fetch_add_relaxed)->Name("Floor/atomic_fetch_add_relaxed");

void Metrics_counter_inc(benchmark::State& state) {
  static cts::health::Counter counter;
  for (auto _ : state) counter.inc();
  benchmark::DoNotOptimize(counter.value());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Metrics_counter_inc)->Name("Metrics/counter_inc")->ThreadRange(1, 2);

void Metrics_histogram_observe(benchmark::State& state) {
  // Prometheus' default buckets (11 bounds), values cycling through them.
  static const std::vector<double> bounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  static cts::health::Histogram histogram(bounds);
  static constexpr double kValues[8] = {0.003, 0.02, 0.07, 0.2, 0.6, 1.7, 4, 12};
  std::size_t i = 0;
  for (auto _ : state) histogram.observe(kValues[i++ & 7]);
  benchmark::DoNotOptimize(histogram.snapshot().count);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Metrics_histogram_observe)->Name("Metrics/histogram_observe")->ThreadRange(1, 2);

void Metrics_latency_record(benchmark::State& state) {
  // 1 ns .. 60 s at 3 significant digits; ack latencies around 20-900 us.
  cts::health::LatencyHistogram h(60'000'000'000, 3);
  static constexpr std::int64_t kValues[8] = {21'000, 35'500, 48'000, 77'000, 120'000, 250'000, 410'000, 900'000};
  std::size_t i = 0;
  for (auto _ : state) h.record(kValues[i++ & 7]);
  benchmark::DoNotOptimize(h.total_count());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Metrics_latency_record)->Name("Metrics/latency_record");

void Metrics_interval_record(benchmark::State& state) {
  cts::health::IntervalRecorder r(60'000'000'000, 3);
  std::int64_t v = 1000;
  for (auto _ : state) r.record(v++ & 0xFFFFF);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Metrics_interval_record)->Name("Metrics/interval_record");

void Health_registry_aggregate(benchmark::State& state) {
  // 32 checks (8 venues × 4 checks), readiness aggregate as a /health/ready scrape does.
  cts::ManualClock clock;
  cts::health::HealthRegistry reg;
  for (int v = 0; v < 8; ++v) {
    for (const char* m : {"session", "md", "skew", "headroom"}) {
      cts::health::CheckSpec spec;
      spec.name = "venue" + std::to_string(v) + ":" + m;
      spec.criticality = v % 2 == 0 ? cts::health::Criticality::critical : cts::health::Criticality::non_critical;
      reg.add_pushed(spec, clock.steady_now());
      (void)reg.set_status(spec.name, cts::health::Status::pass, clock.steady_now());
    }
  }
  for (auto _ : state) benchmark::DoNotOptimize(reg.aggregate(cts::health::CheckKind::readiness, clock.steady_now()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Health_registry_aggregate)->Name("Health/registry_aggregate");

void Alert_ingest_1000(benchmark::State& state) {
  // 1000 alerts (50 alertnames × 20 venues) into a dispatcher grouping by alertname,
  // then one flush: the cost of an alert storm per 1000 alerts.
  using namespace cts::health;
  std::vector<Alert> alerts;
  for (int i = 0; i < 1000; ++i) {
    Alert a;
    a.labels = LabelSet{{"alertname", "Alert" + std::to_string(i % 50)},
                        {"venue", "V" + std::to_string(i / 50)},
                        {"severity", "critical"}};
    alerts.push_back(std::move(a));
  }
  const cts::SystemTime t0{std::chrono::seconds{1'704'067'200}};
  RouteConfig root;
  root.receiver = "oncall";
  root.group_by = std::vector<std::string>{"alertname"};
  root.group_wait = 0s;
  const Route routes = build_routes(root);
  for (auto _ : state) {
    Dispatcher d(routes);
    for (const auto& a : alerts) d.ingest(a, t0);
    auto notifications = d.tick(t0);
    benchmark::DoNotOptimize(notifications.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 1000);
}
BENCHMARK(Alert_ingest_1000)->Name("Alert/ingest_1000");

void Metrics_exposition_openmetrics(benchmark::State& state) {
  cts::ManualClock clock;
  cts::health::MetricsRegistry reg(clock);
  auto& orders = reg.counter({"orders_sent", "Orders sent.", {"venue"}});
  auto& lat = reg.histogram({"ack_latency_seconds", "Ack latency.", {"venue"}, "seconds"},
                            cts::health::Histogram::exponential_bounds(0.0001, 2, 16));
  for (int v = 0; v < 10; ++v) {
    const cts::health::LabelSet l{{"venue", "V" + std::to_string(v)}};
    orders.add(l).inc(1000 + v);
    lat.add(l).observe(0.001 * v);
  }
  for (auto _ : state) benchmark::DoNotOptimize(cts::health::openmetrics_100(reg));
}
BENCHMARK(Metrics_exposition_openmetrics)->Name("Metrics/exposition_openmetrics_10x2");

}  // namespace
