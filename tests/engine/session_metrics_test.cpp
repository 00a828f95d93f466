// Tests for a session's metric families as Prometheus reads them, against a session
// trading on the embedded simulator over loopback: counts of events are counters named
// "..._total" that only grow from one scrape to the next; an order's round trip lands
// in the REST histogram; requests, rate-limit pools and the journal are exposed; the
// requests and the 429 counted match what the simulator's front counted.
#include <cts/engine/session.hpp>
#include <cts/store/sqlite_journal.hpp>

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <string_view>

#include "stream_harness.hpp"

using namespace cts;
using namespace cts::engine;

namespace {

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

SessionEndpoint rest_endpoint(const sim::Simulator& simulator) {
  SessionEndpoint endpoint;
  endpoint.base_url = simulator.base_url();
  endpoint.credentials.api_key = simulator.options().api_key;
  endpoint.credentials.secret = sign::Secret(simulator.options().api_secret);
  return endpoint;
}

/// Every sample line "<name>{labels} <value>" of a text exposition, by its name and labels.
std::map<std::string, double> samples(std::string_view text) {
  std::map<std::string, double> out;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t space = line.rfind(' ');
    out[std::string(line.substr(0, space))] = std::stod(std::string(line.substr(space + 1)));
  }
  return out;
}

}  // namespace

TEST_CASE("a session's counts are counters named _total that only grow between scrapes") {
  sim::Simulator simulator;
  auto journal = store::SqliteJournal::open(cts_test::stream_journal_path("metrics-counters")).value();
  auto session = TradingSession::open(EngineConfig{}, rest_endpoint(simulator), *journal).value();
  REQUIRE(session->step(RealClock{}.steady_now()));
  const std::string first = session->metrics_text();
  for (std::string_view family : {"cts_engine_orders_submitted_total", "cts_engine_fills_total",
                                  "cts_engine_step_errors_total", "cts_engine_orders_adopted_total",
                                  "cts_engine_market_data_rest_fallbacks_total"}) {
    CAPTURE(family);
    CHECK(contains(first, fmt::format("# TYPE {} counter\n", family)));
  }
  CHECK(contains(first, "# TYPE cts_engine_open_orders gauge\n"));
  CHECK_FALSE(contains(first, "cts_engine_orders_submitted "));  // no longer a gauge of that name
  const std::map<std::string, double> before = samples(first);
  CHECK(before.at("cts_engine_orders_submitted_total") == 2);  // a bid and an ask
  for (int i = 0; i < 3; ++i) REQUIRE(session->step(RealClock{}.steady_now()));
  const std::map<std::string, double> after = samples(session->metrics_text());
  for (const auto& [name, value] : before) {
    if (!name.ends_with("_total")) continue;
    CAPTURE(name);
    CHECK(after.at(name) >= value);
  }
}

TEST_CASE("an order round trip over REST is observed; requests, rate pools and the journal are exposed") {
  sim::Simulator simulator;
  auto journal = store::SqliteJournal::open(cts_test::stream_journal_path("metrics-families")).value();
  auto session = TradingSession::open(EngineConfig{}, rest_endpoint(simulator), *journal).value();
  const std::map<std::string, double> idle = samples(session->metrics_text());
  CHECK(idle.at(R"(cts_engine_requests_total{endpoint_class="order",venue="binance"})") == 0);
  REQUIRE(session->step(RealClock{}.steady_now()));  // a bid and an ask
  const std::string text = session->metrics_text();
  for (std::string_view type : {"# TYPE cts_engine_order_rtt_seconds histogram\n",
                                "# TYPE cts_engine_requests_total counter\n",
                                "# TYPE cts_journal_append_seconds histogram\n",
                                "# TYPE cts_journal_size_bytes gauge\n", "# TYPE cts_rate_pool_used gauge\n",
                                "# TYPE cts_rate_pool_limit gauge\n", "# TYPE cts_rate_blocked gauge\n",
                                "# TYPE cts_engine_orders_rejected_total counter\n",
                                "# TYPE cts_engine_realized_pnl gauge\n"}) {
    CAPTURE(type);
    CHECK(contains(text, type));
  }
  const std::map<std::string, double> after = samples(text);
  CHECK(after.at(R"(cts_engine_order_rtt_seconds_count{transport="rest",venue="binance"})") == 2);
  CHECK(after.at(R"(cts_engine_order_rtt_seconds_bucket{transport="rest",venue="binance",le="+Inf"})") == 2);
  CHECK(after.at(R"(cts_engine_order_rtt_seconds_sum{transport="rest",venue="binance"})") > 0);
  CHECK(after.at(R"(cts_engine_requests_total{endpoint_class="order",venue="binance"})") == 2);
  CHECK(after.at(R"(cts_engine_requests_total{endpoint_class="public",venue="binance"})") >= 1);
  // Binance spot's pools (docs: REQUEST_WEIGHT 6000 per minute, ORDERS 100 per 10 s):
  // the quotes used units of the order pool, never above what it allows at once.
  const double orders_used = after.at(R"(cts_rate_pool_used{pool="ORDERS"})");
  CHECK(orders_used >= 2);
  CHECK(orders_used <= after.at(R"(cts_rate_pool_limit{pool="ORDERS"})"));
  CHECK(after.at(R"(cts_rate_blocked{scope="ip"})") == 0);
  // Each order record was appended and committed (creation, submitted, accepted ...).
  CHECK(after.at("cts_journal_append_seconds_count") >= 4);
  CHECK(after.at("cts_journal_size_bytes") > 0);
  CHECK(after.at("cts_journal_errors_total") == 0);
}

TEST_CASE("a 429 from the venue is one request error of reason http_429; the retried read is counted as sent") {
  sim::Simulator simulator;
  auto journal = store::SqliteJournal::open(cts_test::stream_journal_path("metrics-429")).value();
  auto session = TradingSession::open(EngineConfig{}, rest_endpoint(simulator), *journal).value();
  const auto total = [](const std::map<std::string, double>& samples, std::string_view prefix,
                        std::string_view part = {}) {
    double sum = 0;
    for (const auto& [name, value] : samples) {
      if (name.starts_with(prefix) && contains(name, part)) sum += value;
    }
    return sum;
  };
  const std::map<std::string, double> before = samples(session->metrics_text());
  const sim::FrontStats venue_before = simulator.stats();
  CHECK(total(before, "cts_engine_request_errors_total{") == 0);
  sim::FaultConfig faults;
  faults.burst_429 = 1;  // the next request: 429 -1003 with Retry-After: 1
  simulator.set_faults(faults);
  (void)session->step(RealClock{}.steady_now());
  const std::map<std::string, double> after = samples(session->metrics_text());
  CHECK(total(after, "cts_engine_request_errors_total{", "reason=\"http_429\"") == 1);
  CHECK(total(after, "cts_engine_request_errors_total{") == 1);
  // As the venue counted them: every request that reached it (the refused one and its
  // retry included), and one 429.
  const sim::FrontStats venue_after = simulator.stats();
  CHECK(venue_after.rate_limited - venue_before.rate_limited == 1);
  CHECK(total(after, "cts_engine_requests_total{") - total(before, "cts_engine_requests_total{") ==
        static_cast<double>(venue_after.requests - venue_before.requests));
}
