// Tests for cts/engine/performance.hpp: PerformanceSampler over a session registry fed
// by hand, and GET /api/performance on the sans-I/O ControlApi. The expected
// percentiles follow Prometheus' histogram_quantile() (linear interpolation inside the
// bucket holding rank q·count) and were worked out by hand from the bucket bounds of
// kOrderRoundTripBounds, e.g. round trips of 3 ms and 7 ms: rank 1 of 2 lies in the
// bucket (2.5 ms, 5 ms] which holds one, so p50 = 2.5 + 2.5·1/1 = 5 ms.
#include <cts/engine/control_api.hpp>
#include <cts/engine/performance.hpp>
#include <cts/engine/request_metrics.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace cts;
using namespace cts::engine;
using namespace std::chrono_literals;

namespace {

/// The number after the first `"<key>":` at or after `from` in `json`.
double number_after(std::string_view json, std::string_view key, std::size_t from = 0) {
  const std::string needle = fmt::format("\"{}\":", key);
  const std::size_t at = json.find(needle, from);
  REQUIRE(at != std::string_view::npos);
  return std::stod(std::string(json.substr(at + needle.size(), 32)));
}

/// What a session registers that the sampler reads.
struct FakeSession {
  health::MetricsRegistry registry;
  RequestMetrics requests{registry, "binance"};
  health::Counter& orders = registry.counter({"cts_engine_orders_submitted", "orders"}).add({});
  health::Gauge& pnl = registry.gauge({"cts_engine_realized_pnl", "pnl"}).add({});

  [[nodiscard]] std::vector<SessionRegistries> sources(std::string name = "BTCUSDT") const {
    SessionRegistries source;
    source.name = std::move(name);
    source.state = SessionState::running;
    source.metrics = &registry;
    return {source};
  }
};

const SystemTime kT0 = from_unix_millis(1796556767000);  // 2026-12-06T11:32:47.000Z

}  // namespace

TEST_CASE("the sampler keeps a point per sample: the interval's median round trip, PnL, rates over the last minute") {
  FakeSession session;
  PerformanceSampler sampler;
  sampler.sample(session.sources(), kT0);
  session.requests.order_round_trip("rest", 3ms);
  session.requests.order_round_trip("ws", 7ms);
  session.requests.request("order");
  session.requests.request("order");
  session.requests.error("order", "http_4xx");
  session.orders.inc(2);
  session.pnl.set(12.5);
  sampler.sample(session.sources(), kT0 + 1s);
  session.requests.order_round_trip("rest", 30ms);
  session.pnl.set(-0.001);
  sampler.sample(session.sources(), kT0 + 2s);

  const std::vector<PerformancePoint> points = sampler.series("BTCUSDT");
  REQUIRE(points.size() == 3);
  CHECK_FALSE(points[0].order_rtt_ms_p50);
  CHECK(*points[1].order_rtt_ms_p50 == doctest::Approx(5.0));   // 3 ms and 7 ms
  CHECK(*points[2].order_rtt_ms_p50 == doctest::Approx(37.5));  // 30 ms alone: 25 + 25·0.5/1
  CHECK(points[1].pnl == 12.5);

  const std::string json = sampler.to_json(std::nullopt, kT0 + 2s);
  CHECK(json.starts_with(R"({"process":null,"sessions":[{"name":"BTCUSDT","venue":"binance","order_transport":"rest",)"));
  CHECK(number_after(json, "orders_total") == 2);
  CHECK(number_after(json, "orders_per_second") == doctest::Approx(1.0));  // 2 orders in the 2 s sampled
  CHECK(number_after(json, "errors_total") == 1);
  CHECK(number_after(json, "error_rate") == doctest::Approx(0.5));  // 1 failed of 2 sent
  // Every round trip so far (3, 7, 30 ms): p50 rank 1.5 in (5, 10] holding 1 above 1
  // below: 5 + 5·0.5 = 7.5; p90 rank 2.7 and p99 rank 2.97 in (25, 50]: 25 + 25·0.7,
  // 25 + 25·0.97.
  CHECK(number_after(json, "p50") == doctest::Approx(7.5));
  CHECK(number_after(json, "p90") == doctest::Approx(42.5));
  CHECK(number_after(json, "p99") == doctest::Approx(49.25));
  CHECK(json.find(R"({"session":"BTCUSDT","points":[{"at":"2026-12-06T11:32:47.000Z","order_rtt_ms_p50":null,"pnl":"0"},)"
                  R"({"at":"2026-12-06T11:32:48.000Z","order_rtt_ms_p50":5)") != std::string::npos);
  CHECK(json.find(R"("pnl":"12.5"})") != std::string::npos);
  CHECK(json.find(R"("pnl":"-0.001"}]}]})") != std::string::npos);
}

TEST_CASE("the sampler keeps only the window's points and forgets a session that is gone") {
  FakeSession session;
  PerformanceSampler sampler(PerformanceOptions{5s, 60s});
  for (int i = 0; i < 8; ++i) sampler.sample(session.sources(), kT0 + std::chrono::seconds(i));
  const std::vector<PerformancePoint> points = sampler.series("BTCUSDT");
  REQUIRE(points.size() == 5);  // the last 5 s: t0+3 .. t0+7
  CHECK(points.front().at == kT0 + 3s);
  sampler.sample(session.sources("ETHUSDT"), kT0 + 8s);
  CHECK(sampler.series("BTCUSDT").empty());
  CHECK(sampler.series("ETHUSDT").size() == 1);
}

TEST_CASE("GET /api/performance: the token as /sessions, the process figures, 404 without a sampler") {
  Coordinator c;
  FakeSession session;
  PerformanceSampler sampler;
  sampler.sample(session.sources(), kT0);
  const ControlApi api(c, sign::Secret("test-token-5f0c9a2e41d7b8c3"), "127.0.0.1:9100", "cts-engine", nullptr,
                       &sampler);
  HttpRequest request;
  request.method = HttpMethod::get;
  request.path = "/api/performance";
  request.headers = {{"Host", "127.0.0.1:9100"}};
  CHECK(api.handle(request).status == 401);
  request.headers.push_back({"Authorization", "Bearer test-token-5f0c9a2e41d7b8c3"});
  const HttpResponse answer = api.handle(request);
  CHECK(answer.status == 200);
  CHECK(answer.header("Content-Type") == "application/json");
  CHECK(answer.header("Cache-Control") == "no-store");
  CHECK(answer.body.starts_with(R"({"process":{"cpu_seconds":)"));
  CHECK(number_after(answer.body, "resident_memory_bytes") > 0);
  CHECK(number_after(answer.body, "open_fds") >= 3);
  CHECK(number_after(answer.body, "uptime_seconds") >= 0);
  CHECK(answer.body.find(R"("start_time":")") != std::string::npos);
  CHECK(answer.body.find(R"("sessions":[{"name":"BTCUSDT")") != std::string::npos);
  request.method = HttpMethod::post;
  CHECK(api.handle(request).status == 405);
  const ControlApi without(c, sign::Secret("test-token-5f0c9a2e41d7b8c3"), "127.0.0.1:9100");
  request.method = HttpMethod::get;
  const HttpResponse missing = without.handle(request);
  CHECK(missing.status == 404);
  CHECK(missing.body == "{\"error\":\"performance figures are not sampled by this engine\"}\n");
}
