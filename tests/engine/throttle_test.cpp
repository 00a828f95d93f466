// Throttles a venue declares inside an HTTP 200, end to end over loopback: the embedded
// simulator's Bybit v5 front answers a burst with retCode 10006 "Too many visits.",
// `X-Bapi-Limit-Status: 0` and `X-Bapi-Limit-Reset-Timestamp` at the next whole second
// (as Bybit's rate-limit page describes an exhausted per-UID limit), and the connection
// the registry wires (engine::VenueConnection, Bybit's throttle reader in its RestChannel)
// must wait it out: a read is sent again after the reset and succeeds; a create is sent
// once, is reported rate_limited (Bybit did not execute it) and rests nowhere; the
// executor records it as refused by the venue without counting it as a refusal, and a
// throttled cancel leaves the order managed and open until a later cancel succeeds.
#include <cts/engine/connection.hpp>

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <cts/core/client_order_id.hpp>
#include <cts/engine/executor.hpp>
#include <cts/engine/journal_recorder.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/sqlite_journal.hpp>
#include <cts/venue/registry.hpp>

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

venue::NewOrder limit_buy(std::string client_id) {
  venue::NewOrder order;
  order.symbol = "BTCUSDT";
  order.side = Side::buy;
  order.type = OrderType::limit;
  order.time_in_force = TimeInForce::gtc;
  order.quantity = "0.01"_d;
  order.price = "20000"_d;
  order.client_order_id = std::move(client_id);
  return order;
}

std::filesystem::path fresh_journal(std::string_view name) {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("cts-throttle-test-{}", ::getpid());
  std::filesystem::create_directories(dir);
  auto path = dir / fmt::format("{}.sqlite", name);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path;
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
  const auto throttled = gateway.create_order(limit_buy("throttled-1"));
  REQUIRE_FALSE(throttled.has_value());
  CHECK(throttled.error().code == ErrorCode::rate_limited);
  CHECK(throttled.error().venue_code == "10006");
  CHECK(connection->channel().stats().requests_sent.load() == 1);  // a mutation is never re-sent
  CHECK(connection->channel().stats().throttled.load() == 1);
  CHECK(connection->limiter()->blocked_until(rate::Scope::account) > before);
  CHECK(open_at_venue(simulator).empty());

  // The next create waits for the reset, then rests.
  const auto placed = gateway.create_order(limit_buy("after-reset-1"));
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
