// The one retry policy of reads, over loopback: a scripted venue answers a read with a
// transient server error inside an HTTP 200 (Bybit retCode 10016 "Internal System
// Error.", bybit-exchange/docs v5 error.mdx; OKX code 50001 "Service temporarily
// unavailable", okx.com/docs-v5 "Error Code") and then with the documented success
// (tests/fixtures/bybit/market_time.json, tests/fixtures/okx/public_time.json): the
// registry's connection (the connector's reply-error reader in its RestChannel) sends
// the read again, books both sends in the rate budget, and returns the venue's time. A
// create answered so is sent once (its outcome unknown, resolved by client order id by
// the executor). A stop requested while a read waits to be retried ends the wait: the
// read returns its last answer without another send (no timing is asserted: a wait
// that ignored the stop would hold the test for hours). The coordinator hands a
// session's stop to a runner's open(), and a session whose start-up is stopped makes no
// retry.
#include <cts/engine/rest_channel.hpp>

#include <doctest/doctest.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <cts/engine/connection.hpp>
#include <cts/engine/coordinator.hpp>
#include <cts/engine/session.hpp>
#include <cts/net/http_server.hpp>
#include <cts/rate/policies/bybit.hpp>
#include <cts/rate/policies/okx.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/sqlite_journal.hpp>
#include <cts/venue/registry.hpp>

#include "../venue/support.hpp"
#include "counting_budget.hpp"
#include "stream_harness.hpp"

using namespace cts;
using namespace cts::literals;

namespace {

/// Bybit's answer to a request its servers failed (error.mdx: 10016 "Internal System
/// Error."), in the v5 envelope and an HTTP 200.
constexpr std::string_view kBybitServerError =
    R"({"retCode":10016,"retMsg":"Internal System Error.","result":{},"retExtInfo":{},"time":1688639403423})";
/// OKX's answer while a service is down (50001 "Service temporarily unavailable. Please
/// try again later."), in an HTTP 200.
constexpr std::string_view kOkxServerError =
    R"({"code":"50001","msg":"Service temporarily unavailable. Please try again later.","data":[]})";

/// A loopback venue answering requests with its script in order (the last answer then
/// for every later request), counting them and waking waiters on each.
struct ScriptedVenue {
  explicit ScriptedVenue(std::vector<std::string> bodies)
      : script(bodies.begin(), bodies.end()), server([this](const HttpRequest&) {
          std::lock_guard lock(mutex);
          ++requests;
          HttpResponse response;
          response.status = 200;
          response.set_header("Content-Type", "application/json");
          response.body = script.front();
          if (script.size() > 1) script.pop_front();
          arrived.notify_all();
          return response;
        }) {}

  /// Blocks until `count` requests arrived.
  void wait_for_requests(int count) {
    std::unique_lock lock(mutex);
    arrived.wait(lock, [&] { return requests >= count; });
  }
  int served() {
    std::lock_guard lock(mutex);
    return requests;
  }

  std::mutex mutex;
  std::condition_variable arrived;
  std::deque<std::string> script;
  int requests = 0;
  net::HttpServer server;
};

/// The registry's connection to `venue` (its `market`) at `server`, booking in `budget`.
std::unique_ptr<engine::VenueConnection> connect(VenueId venue, std::string_view market, const ScriptedVenue& server,
                                                 std::shared_ptr<rate::Budget> budget) {
  engine::ConnectionOptions options;
  options.base_url = server.server.base_url();
  options.credentials = sign::Credentials{"test-key", sign::Secret("test-secret"), sign::Secret("test-passphrase")};
  options.limiter = std::move(budget);
  return engine::VenueConnection::open(*venue::find_connector(venue, market).value(), std::move(options)).value();
}

}  // namespace

TEST_CASE(
    "read retry: the registry gives Bybit, OKX, BingX and OrangeX a reply-error reader; Binance and Pionex none") {
  const auto reads_errors = [](VenueId venue, std::string_view market) {
    return venue::find_connector(venue, market).value()->read_error != nullptr;
  };
  CHECK(reads_errors(VenueId::bybit, "linear"));
  CHECK(reads_errors(VenueId::bybit, "spot"));
  CHECK(reads_errors(VenueId::okx, "spot"));
  CHECK(reads_errors(VenueId::okx, "swap"));
  CHECK(reads_errors(VenueId::bingx, "swap"));
  CHECK(reads_errors(VenueId::bingx, "spot"));
  CHECK(reads_errors(VenueId::orangex, "perpetual"));
  // Their server errors come with an HTTP 5xx, retried by status.
  CHECK_FALSE(reads_errors(VenueId::binance_spot, "spot"));
  CHECK_FALSE(reads_errors(VenueId::pionex, "spot"));
}

TEST_CASE(
    "read retry: a read Bybit answers with retCode 10016 in an HTTP 200 is sent again, booked twice, and succeeds") {
  ScriptedVenue venue({std::string(kBybitServerError), cts_test::fixture_text("bybit", "market_time.json")});
  auto budget = std::make_shared<cts_test::CountingBudget>(rate::kBybitPolicy);
  const auto connection = connect(VenueId::bybit, "linear", venue, budget);
  const Result<std::int64_t> time = connection->gateway().server_time_ms();
  REQUIRE(time.has_value());
  CHECK(*time == 1688639403423);  // timeNano 1688639403423213947 / 10^6
  CHECK(venue.served() == 2);
  CHECK(budget->bookings() == 2);  // each send charged in the rate budget
  const engine::ChannelStats& stats = connection->channel().stats();
  CHECK(stats.requests_sent.load() == 2);
  CHECK(stats.transient_replies.load() == 1);
  CHECK(stats.read_retries.load() == 1);
  CHECK(stats.throttled.load() == 0);
}

TEST_CASE("read retry: a read OKX answers with code 50001 in an HTTP 200 is sent again and succeeds") {
  ScriptedVenue venue({std::string(kOkxServerError), cts_test::fixture_text("okx", "public_time.json")});
  auto budget = std::make_shared<cts_test::CountingBudget>(rate::kOkxPolicy);
  const auto connection = connect(VenueId::okx, "spot", venue, budget);
  const Result<std::int64_t> time = connection->gateway().server_time_ms();
  REQUIRE(time.has_value());
  CHECK(*time == 1597026383085);
  CHECK(venue.served() == 2);
  CHECK(budget->bookings() == 2);
  CHECK(connection->channel().stats().transient_replies.load() == 1);
}

TEST_CASE("read retry: a create Bybit answers with retCode 10016 is sent once, its outcome unknown") {
  ScriptedVenue venue({std::string(kBybitServerError)});
  auto budget = std::make_shared<cts_test::CountingBudget>(rate::kBybitPolicy);
  const auto connection = connect(VenueId::bybit, "linear", venue, budget);
  const Result<venue::OrderReport> created = connection->gateway().create_order(cts_test::btcusdt_limit_buy("retry-test-1"));
  REQUIRE_FALSE(created.has_value());
  // The venue may have acted (error.mdx): never re-sent, resolved by client order id.
  CHECK(created.error().code == ErrorCode::unknown_outcome);
  CHECK(created.error().venue_code == "10016");
  CHECK(venue.served() == 1);
  CHECK(budget->bookings() == 1);
  CHECK(connection->channel().stats().requests_sent.load() == 1);
  CHECK(connection->channel().stats().transient_replies.load() == 0);
  CHECK(connection->channel().stats().read_retries.load() == 0);
}

TEST_CASE("read retry: a stop requested while a read waits for its retry ends the wait; the last answer stands") {
  ScriptedVenue venue({std::string(kBybitServerError)});
  auto budget = std::make_shared<cts_test::CountingBudget>(rate::kBybitPolicy);
  const auto connection = connect(VenueId::bybit, "linear", venue, budget);
  std::stop_source stop;
  std::mutex mutex;
  std::condition_variable logged;
  std::vector<std::string> lines;
  engine::ReadRetry patient;
  // Waits of up to ten hours: only the stop can end this one in a test's time.
  patient.policy = rate::RetryPolicy{std::chrono::hours{10}, std::chrono::hours{10}, 6, std::chrono::hours{100}};
  patient.stop = stop.get_token();
  patient.log = [&](std::string_view line) {
    std::lock_guard lock(mutex);
    lines.emplace_back(line);
    logged.notify_all();
  };
  connection->channel().set_read_retry(patient);
  Result<std::int64_t> time = 0;
  std::thread reader([&] { time = connection->gateway().server_time_ms(); });
  {
    std::unique_lock lock(mutex);
    logged.wait(lock, [&] { return !lines.empty(); });  // the read is about to wait for its retry
  }
  stop.request_stop();
  reader.join();
  REQUIRE_FALSE(time.has_value());
  CHECK(time.error().code == ErrorCode::venue_unavailable);  // 10016 on a read, error.mdx
  CHECK(venue.served() == 1);
  CHECK(connection->channel().stats().read_retries.load() == 0);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].starts_with("GET /v5/market/time failed (venue_unavailable, HTTP 200): retrying in "));
}

TEST_CASE(
    "read retry: a session whose stop is requested before it starts makes no retry and fails with the venue's error") {
  sim::SimulatorOptions options;
  options.venue = sim::SimVenue::bybit;
  options.market_flow = false;
  sim::Simulator simulator(options);
  sim::FaultConfig down;  // every request answered 10016 before it is served
  down.error_before_ppm = 1'000'000;
  simulator.set_faults(down);
  engine::EngineConfig config;
  config.venue = VenueId::bybit;
  config.category = "linear";
  config.symbol = "BTCUSDT";
  engine::SessionEndpoint endpoint;  // REST only
  endpoint.base_url = simulator.base_url();
  endpoint.credentials.api_key = simulator.options().api_key;
  endpoint.credentials.secret = sign::Secret(simulator.options().api_secret);
  std::stop_source stop;
  stop.request_stop();
  endpoint.stop = stop.get_token();
  auto journal = store::SqliteJournal::open(cts_test::stream_journal_path("read-retry-stopped").string()).value();
  const Result<std::unique_ptr<engine::TradingSession>> opened =
      engine::TradingSession::open(config, std::move(endpoint), *journal);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().code == ErrorCode::venue_unavailable);
  CHECK(simulator.stats().requests == 1);  // the clock's read, not retried
}
