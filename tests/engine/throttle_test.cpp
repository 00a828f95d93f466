// Throttles a venue declares inside an HTTP 200, end to end over loopback: the embedded
// simulator's Bybit v5 front answers a burst with retCode 10006 "Too many visits.",
// `X-Bapi-Limit-Status: 0` and `X-Bapi-Limit-Reset-Timestamp` at the next whole second
// (as Bybit's rate-limit page describes an exhausted per-UID limit), and the connection
// the registry wires (engine::VenueConnection, Bybit's throttle reader in its RestChannel)
// must wait it out: a read is sent again after the reset and succeeds; a create is sent
// once, is reported rate_limited (Bybit did not execute it) and rests nowhere; the
// executor records it as refused by the venue without counting it as a refusal, and a
// throttled cancel leaves the order managed and open until a later cancel succeeds. A
// loopback server that always throttles pins how long the RestChannel holds the scopes:
// until the reset on the local clock (the server-time offset applied), one second when
// the answer names no reset, never more than a minute.
#include <cts/engine/connection.hpp>

#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <cts/core/client_order_id.hpp>
#include <cts/engine/executor.hpp>
#include <cts/engine/journal_recorder.hpp>
#include <cts/engine/rest_channel.hpp>
#include <cts/net/http_server.hpp>
#include <cts/rate/policies/bybit.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/sqlite_journal.hpp>
#include <cts/venue/bybit/rate_limit.hpp>
#include <cts/venue/registry.hpp>

#include "../venue/support.hpp"

using namespace cts;
using namespace cts::literals;

namespace {

/// A quiet Bybit simulator (no background market: only the test's orders).
sim::SimulatorOptions quiet_bybit() {
  sim::SimulatorOptions options;
  options.venue = sim::SimVenue::bybit;
  options.market_flow = false;
  return options;
}

/// The registry's Bybit linear connection to `simulator`, with its funded key.
std::unique_ptr<engine::VenueConnection> connect_bybit(const sim::Simulator& simulator) {
  engine::ConnectionOptions options;
  options.base_url = simulator.base_url();
  options.credentials =
      sign::Credentials{simulator.options().api_key, sign::Secret(simulator.options().api_secret), {}};
  return engine::VenueConnection::open(*venue::find_connector(VenueId::bybit, "linear").value(), std::move(options))
      .value();
}

/// The next `count` requests the simulator serves are answered 10006.
void arm_burst(sim::Simulator& simulator, std::uint32_t count) {
  sim::FaultConfig faults;
  faults.burst_429 = count;
  simulator.set_faults(faults);
}

std::int64_t wall_ms() { return to_unix_millis(RealClock{}.system_now()); }

/// The reset the simulator names for a throttle answered at `ms` or later: at least the
/// next whole second after `ms`.
std::int64_t earliest_reset_after(std::int64_t ms) { return (ms / 1000 + 1) * 1000; }

/// Steady and wall clocks may drift apart by a fraction of a millisecond over the wait;
/// the reset is compared with this much slack.
constexpr std::int64_t kClockSlackMs = 2;

std::vector<sim::Order> open_at_venue(sim::Simulator& simulator) {
  return simulator.with_engine([&](sim::MatchingEngine& engine) {
    return engine.open_orders(simulator.account(), sim::market_key(InstrumentKind::linear_perpetual, "BTCUSDT"));
  });
}

std::filesystem::path fresh_journal(std::string_view name) {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("cts-throttle-test-{}", ::getpid());
  std::filesystem::create_directories(dir);
  auto path = dir / fmt::format("{}.sqlite", name);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path;
}

/// A loopback server answering every request as Bybit answers an exhausted limit: HTTP
/// 200, retCode 10006, and X-Bapi-Limit-Reset-Timestamp when `reset_ms` is set.
struct ThrottlingServer {
  explicit ThrottlingServer(std::optional<std::int64_t> reset_ms)
      : reset(reset_ms), server([this](const HttpRequest&) {
          std::lock_guard lock(mutex);
          ++requests;
          HttpResponse response;
          response.status = 200;
          response.body = R"({"retCode":10006,"retMsg":"Too many visits!","result":{},"retExtInfo":{},"time":0})";
          if (reset) response.set_header("X-Bapi-Limit-Reset-Timestamp", std::to_string(*reset));
          return response;
        }) {}

  std::mutex mutex;
  std::optional<std::int64_t> reset;
  int requests = 0;
  net::HttpServer server;
};

/// What one throttled create did to a fresh Bybit limiter, with the steady and wall
/// clocks read around the call.
struct Held {
  SteadyTime blocked_until;                            ///< The account scope's block after the call.
  SteadyTime before, after;                            ///< The steady clock around the call.
  std::int64_t wall_before_ms = 0, wall_after_ms = 0;  ///< The wall clock around the call.
  std::uint64_t throttled = 0, sent = 0;               ///< The channel's counters.
  std::optional<std::int64_t> reset_ms;                ///< The reset the server named.
};

/// Sends one create (a mutation: never re-sent) through a RestChannel with Bybit's policy
/// and throttle reader to a server answering 10006 with `reset_ms` (computed by
/// `reset_of(wall ms now)`), the channel believing the venue's clock is `offset` ahead.
template <class ResetOf>
Held throttled_create(ResetOf reset_of, std::chrono::milliseconds offset) {
  const std::int64_t now = wall_ms();
  ThrottlingServer server(reset_of(now));
  Held held;
  held.reset_ms = server.reset;
  net::HttpClient http("http://127.0.0.1:" + std::to_string(server.server.port()));
  rate::Limiter limiter(rate::kBybitPolicy);
  engine::RestChannel channel(http, limiter, nullptr, &venue::bybit::throttle_signal);
  channel.set_server_time_offset(offset);
  venue::Request request;
  request.http.method = HttpMethod::post;
  request.http.path = "/v5/order/create";
  request.http.body = "{}";
  request.venue = VenueId::bybit;
  request.endpoint = "POST /v5/order/create (linear)";
  request.mutation = true;
  held.before = RealClock{}.steady_now();
  held.wall_before_ms = wall_ms();
  const Result<HttpResponse> response = channel.execute(request);
  held.wall_after_ms = wall_ms();
  held.after = RealClock{}.steady_now();
  REQUIRE(response.has_value());
  CHECK(response->status == 200);  // the answer goes back to the connector
  held.blocked_until = limiter.blocked_until(rate::Scope::account);
  held.throttled = channel.stats().throttled.load();
  held.sent = channel.stats().requests_sent.load();
  return held;
}

std::int64_t ms_between(SteadyTime from, SteadyTime to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

}  // namespace

TEST_CASE("throttle: the registry gives Bybit a throttle reader and Binance none (its throttles are 429/418)") {
  const auto reads_throttles = [](VenueId venue, std::string_view market) {
    return venue::find_connector(venue, market).value()->read_throttle != nullptr;
  };
  CHECK(reads_throttles(VenueId::bybit, "linear"));
  CHECK(reads_throttles(VenueId::bybit, "spot"));
  CHECK_FALSE(reads_throttles(VenueId::binance_spot, "spot"));
  CHECK_FALSE(reads_throttles(VenueId::binance_usdm, "usdm"));
}

TEST_CASE("throttle: a read Bybit throttles with retCode 10006 is sent again after the reset and succeeds") {
  sim::Simulator simulator(quiet_bybit());
  const auto connection = connect_bybit(simulator);
  arm_burst(simulator, 1);
  const SteadyTime before = RealClock{}.steady_now();
  const std::int64_t before_ms = wall_ms();
  const auto orders = connection->gateway().open_orders("BTCUSDT");
  const std::int64_t after_ms = wall_ms();
  REQUIRE(orders.has_value());
  CHECK(orders->empty());
  const engine::ChannelStats& stats = connection->channel().stats();
  CHECK(stats.throttled.load() == 1);
  CHECK(stats.requests_sent.load() == 2);  // the throttled one and the retry
  CHECK(stats.http_429.load() == 0);
  CHECK(simulator.stats().rate_limited == 1);
  // The limiter recorded the block the venue declared (the per-UID scope of the request).
  CHECK(connection->limiter()->blocked_until(rate::Scope::account) > before);
  // The retry went out no earlier than the reset the venue named.
  CHECK(after_ms + kClockSlackMs >= earliest_reset_after(before_ms));
}

TEST_CASE("throttle: a create Bybit throttles is sent once, reported rate_limited, and rests nowhere") {
  sim::Simulator simulator(quiet_bybit());
  const auto connection = connect_bybit(simulator);
  venue::Gateway& gateway = connection->gateway();
  arm_burst(simulator, 1);
  const SteadyTime before = RealClock{}.steady_now();
  const std::int64_t before_ms = wall_ms();
  const auto throttled = gateway.create_order(cts_test::btcusdt_limit_buy("throttled-1"));
  REQUIRE_FALSE(throttled.has_value());
  CHECK(throttled.error().code == ErrorCode::rate_limited);
  CHECK(throttled.error().venue_code == "10006");
  CHECK(connection->channel().stats().requests_sent.load() == 1);  // a mutation is never re-sent
  CHECK(connection->channel().stats().throttled.load() == 1);
  CHECK(connection->limiter()->blocked_until(rate::Scope::account) > before);
  CHECK(open_at_venue(simulator).empty());

  // The next create waits for the reset, then rests.
  const auto placed = gateway.create_order(cts_test::btcusdt_limit_buy("after-reset-1"));
  const std::int64_t after_ms = wall_ms();
  REQUIRE(placed.has_value());
  CHECK(after_ms + kClockSlackMs >= earliest_reset_after(before_ms));
  const auto open = open_at_venue(simulator);
  REQUIRE(open.size() == 1);
  CHECK(open[0].client_order_id == "after-reset-1");
}

TEST_CASE("throttle: the executor records a throttled create as not live and a throttled cancel as still open") {
  sim::Simulator simulator(quiet_bybit());
  const auto connection = connect_bybit(simulator);
  venue::Gateway& gateway = connection->gateway();
  const Instrument instrument = gateway.instrument("BTCUSDT").value();
  auto journal = store::SqliteJournal::open(fresh_journal("executor")).value();
  engine::JournalRecorder recorder(*journal);
  order::Account account;
  ClientOrderIdGenerator ids = ClientOrderIdGenerator::for_this_process(RealClock{}.system_now());
  engine::RiskGate risk(instrument, engine::RiskLimits{});  // only the instrument's rules
  engine::OrderExecutor executor(gateway, account, risk, ids, recorder, instrument, engine::ExecutorOptions{});

  arm_burst(simulator, 1);
  const ClientOrderId refused =
      executor.submit_limit(Side::buy, "0.01"_d, "20000"_d, TimeInForce::gtc, "20000"_d, RealClock{}.steady_now())
          .value();
  CHECK(account.orders().find(refused)->status() == order::OrderStatus::rejected);
  CHECK(open_at_venue(simulator).empty());
  CHECK(executor.stats().unknown_outcomes == 0);  // Bybit's 10006: not executed, nothing to resolve
  CHECK(executor.refused_in_a_row() == 0);        // a throttle is not the venue refusing the order
  CHECK_FALSE(executor.breaker().is_open());

  const ClientOrderId live =
      executor.submit_limit(Side::buy, "0.01"_d, "20000"_d, TimeInForce::gtc, "20000"_d, RealClock{}.steady_now())
          .value();
  CHECK(account.orders().find(live)->status() == order::OrderStatus::accepted);
  REQUIRE(open_at_venue(simulator).size() == 1);

  arm_burst(simulator, 1);
  const Result<void> throttled_cancel = executor.cancel(live);
  REQUIRE_FALSE(throttled_cancel);
  CHECK(throttled_cancel.error().code == ErrorCode::rate_limited);
  // The order is still ours and still open on both sides: the next cancel is tried.
  CHECK(account.orders().find(live)->status() == order::OrderStatus::accepted);
  CHECK(executor.open_orders().size() == 1);
  CHECK(open_at_venue(simulator).size() == 1);

  REQUIRE(executor.cancel(live));
  CHECK(account.orders().find(live)->status() == order::OrderStatus::canceled);
  CHECK(open_at_venue(simulator).empty());
}

TEST_CASE(
    "throttle: the channel holds the scopes until the venue's reset on the local clock, 1 s without one, 60 s at "
    "most") {
  using std::chrono::milliseconds;
  SUBCASE("no reset named: one second") {
    const Held held = throttled_create([](std::int64_t) { return std::optional<std::int64_t>{}; }, milliseconds{0});
    CHECK(held.throttled == 1);
    CHECK(held.sent == 1);  // a mutation is sent once
    CHECK(held.blocked_until >= held.before + engine::kDefaultThrottlePause);
    CHECK(held.blocked_until <= held.after + engine::kDefaultThrottlePause);
  }
  SUBCASE("the reset 3 s ahead on a venue clock 1 s ahead of ours: 2 s on ours") {
    const Held held =
        throttled_create([](std::int64_t now) { return std::optional<std::int64_t>{now + 3000}; }, milliseconds{1000});
    CHECK(held.throttled == 1);
    // blocked = steady at the answer + (reset - offset - wall at the answer), the answer
    // lying between the clock readings; 2 ms of slack for the wall clock's ms readings.
    REQUIRE(held.reset_ms.has_value());
    const std::int64_t reset_local = *held.reset_ms - 1000;  // the reset as sent, minus the offset
    CHECK(ms_between(held.after, held.blocked_until) <= reset_local - held.wall_before_ms + 2);
    CHECK(ms_between(held.before, held.blocked_until) >= reset_local - held.wall_after_ms - 2);
  }
  SUBCASE("a reset an hour ahead is held for a minute") {
    const Held held = throttled_create([](std::int64_t now) { return std::optional<std::int64_t>{now + 3'600'000}; },
                                       milliseconds{0});
    CHECK(held.blocked_until >= held.before + engine::kMaxThrottlePause);
    CHECK(held.blocked_until <= held.after + engine::kMaxThrottlePause);
  }
  SUBCASE("a reset already past holds nothing") {
    const Held held =
        throttled_create([](std::int64_t now) { return std::optional<std::int64_t>{now - 5000}; }, milliseconds{0});
    CHECK(held.throttled == 1);
    CHECK(held.blocked_until <= held.after);
  }
}
