// Tests for the position step of OrderExecutor::reconcile (cts/engine/executor.hpp) on a
// derivatives venue: the Bybit simulator's BTCUSDT linear perpetual through the registry
// and the connection factory. The venue's position is compared with the engine's
// position book; a difference is reported, never adjusted. Expected sizes follow from
// the orders placed (written next to each check).
#include <cts/engine/executor.hpp>

#include <doctest/doctest.h>

#include <string>

#include <cts/engine/connection.hpp>
#include <cts/engine/journal_recorder.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/sqlite_journal.hpp>
#include <cts/venue/registry.hpp>

#include "stream_harness.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;

namespace {

std::int64_t now_ms() { return to_unix_millis(RealClock{}.system_now()); }
const std::string kLinearBook = sim::market_key(InstrumentKind::linear_perpetual, "BTCUSDT");

/// A counterparty's resting linear order.
void rest(sim::Simulator& simulator, Side side, Decimal quantity, Decimal price) {
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    const sim::AccountId other = engine.create_account();
    engine.deposit(other, "USDT", "10000000"_d);
    sim::OrderRequest order;
    order.account = other;
    order.symbol = kLinearBook;
    order.side = side;
    order.quantity = quantity;
    order.price = price;
    REQUIRE(engine.place(order, now_ms()));
  });
}

}  // namespace

TEST_CASE("reconcile on a linear venue: the venue's position equals the book's, and a difference is reported") {
  sim::SimulatorOptions options;
  options.venue = sim::SimVenue::bybit;
  options.market_flow = false;
  sim::Simulator simulator(options);
  ConnectionOptions connection_options;
  connection_options.base_url = simulator.base_url();
  connection_options.credentials =
      sign::Credentials{simulator.options().api_key, sign::Secret(simulator.options().api_secret), {}};
  const auto connection =
      VenueConnection::open(*venue::find_connector(VenueId::bybit, "linear").value(), std::move(connection_options))
          .value();
  venue::Gateway& gateway = connection->gateway();
  const Instrument instrument = gateway.instrument("BTCUSDT").value();
  order::Account account;
  REQUIRE(account.add_instrument(instrument));
  auto journal = store::SqliteJournal::open(cts_test::stream_journal_path("linear-position")).value();
  JournalRecorder recorder(*journal);
  RiskGate risk(instrument, RiskLimits{});
  auto ids = ClientOrderIdGenerator::for_this_process(RealClock{}.system_now());
  ExecutorOptions executor_options;
  executor_options.unknown_grace = std::chrono::milliseconds{0};
  OrderExecutor executor(gateway, account, risk, ids, recorder, instrument, executor_options);

  // Ours: buy 0.01 against a resting sell of 0.01 at 30000 → long 0.01 at the venue and here.
  rest(simulator, Side::sell, "0.01"_d, "30000"_d);
  const SteadyTime now = RealClock{}.steady_now();
  REQUIRE(executor.submit_limit(Side::buy, "0.01"_d, "30000"_d, TimeInForce::gtc, "30000"_d, now));
  REQUIRE(executor.sync(now));
  CHECK(executor.position() == "0.01"_d);
  const ReconcileReport agreed = executor.reconcile(now).value();
  REQUIRE(agreed.venue_position.has_value());
  CHECK(*agreed.venue_position == "0.01"_d);
  CHECK(agreed.conflicts.empty());

  // Not ours: someone buys 0.005 on the same account (a manual order, client id "manual-1"):
  // the venue holds 0.015, the engine's book 0.01.
  rest(simulator, Side::sell, "0.005"_d, "30000"_d);
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    sim::OrderRequest manual;
    manual.account = simulator.account();
    manual.symbol = kLinearBook;
    manual.side = Side::buy;
    manual.quantity = "0.005"_d;
    manual.price = "30000"_d;
    manual.client_order_id = "manual-1";
    REQUIRE(engine.place(manual, now_ms()));
  });
  const ReconcileReport differed = executor.reconcile(now).value();
  REQUIRE(differed.venue_position.has_value());
  CHECK(*differed.venue_position == "0.015"_d);
  CHECK(executor.position() == "0.01"_d);  // reported, not adjusted
  REQUIRE_FALSE(differed.conflicts.empty());
  CHECK(differed.conflicts.back() == "position: the venue holds 0.015 BTCUSDT, the engine's position book 0.01");
}

TEST_CASE("reconcile on a spot venue reads no position") {
  sim::SimulatorOptions options;
  options.market_flow = false;
  sim::Simulator simulator(options);
  cts_test::StreamHarness h(simulator, "spot-no-position");
  const ReconcileReport report = h.executor->reconcile(RealClock{}.steady_now()).value();
  CHECK_FALSE(report.venue_position.has_value());
}
