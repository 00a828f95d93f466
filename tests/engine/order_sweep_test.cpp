// Tests for cts/engine/order_sweep.hpp and the sessions that use it: the verified cancel
// against the embedded simulator (its fault injection failing the first cancels; a venue
// that never confirms), foreign orders left alone, and a session whose journal fills up
// (a real SQLITE_FULL) halting with nothing of ours left live at the venue.
#include <cts/engine/order_sweep.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <thread>

#include <fmt/format.h>
#include <cts/engine/coordinator.hpp>
#include <cts/engine/session.hpp>
#include "forwarding_gateway.hpp"
#include "stream_harness.hpp"
#include <cts/sim/simulator.hpp>
#include <cts/store/private_temp_dir.hpp>
#include <cts/store/sqlite_journal.hpp>

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using namespace std::chrono_literals;

namespace {

sim::SimulatorOptions still_market() {
  sim::SimulatorOptions options;
  options.market_flow = false;
  return options;
}

/// Forwards to a real gateway, except that its first `failing_cancels` cancel requests
/// go out while the simulator answers every request with a 503 before executing (its
/// error_before fault at probability 1): the cancels really fail, at the venue.
class FailingCancels final : public cts_test::ForwardingGateway {
 public:
  FailingCancels(venue::Gateway& real, sim::Simulator& simulator, int failing_cancels)
      : ForwardingGateway(real), simulator_(simulator), failing_(failing_cancels) {}
  Result<venue::OrderReport> cancel_order(const venue::OrderRef& r) override {
    return faulty([&] { return real_.cancel_order(r); });
  }
  Result<std::vector<venue::OrderReport>> cancel_open_orders(std::string_view s) override {
    ++cancel_alls;
    return faulty([&] { return real_.cancel_open_orders(s); });
  }

  int cancel_alls = 0;

 private:
  template <class F>
  auto faulty(F&& send) -> decltype(send()) {
    if (failing_ == 0) return send();
    if (failing_ > 0) --failing_;
    sim::FaultConfig always;
    always.error_before_ppm = 1'000'000;
    simulator_.set_faults(always);
    auto result = send();
    simulator_.set_faults({});
    return result;
  }
  sim::Simulator& simulator_;
  int failing_;  // -1: every cancel fails
};

void place(sim::Simulator& simulator, std::string_view client_id, Side side, Decimal price) {
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    sim::OrderRequest order;
    order.account = simulator.account();
    order.symbol = "BTCUSDT";
    order.side = side;
    order.quantity = "0.001"_d;
    order.price = price;
    order.client_order_id = std::string(client_id);
    REQUIRE(engine.place(order, to_unix_millis(RealClock{}.system_now())));
  });
}

std::vector<std::string> open_at_venue(sim::Simulator& simulator) {
  return simulator.with_engine([&](sim::MatchingEngine& engine) {
    std::vector<std::string> ids;
    for (const sim::Order& o : engine.open_orders(simulator.account(), "BTCUSDT")) ids.push_back(o.client_order_id);
    std::sort(ids.begin(), ids.end());
    return ids;
  });
}

bool ours(std::string_view client_id) { return client_id.starts_with("ours-"); }

}  // namespace

TEST_CASE("sweep: the first cancel-alls fail at the venue (503); the retry cancels, a listing confirms") {
  sim::Simulator simulator(still_market());
  const auto connection = cts_test::connect_to(simulator);
  place(simulator, "ours-1", Side::buy, "50000"_d);
  place(simulator, "ours-2", Side::sell, "70000"_d);
  FailingCancels gateway(connection->gateway(), simulator, 2);
  SweepOptions options;
  options.first_backoff = 1ms;
  options.deadline = 60s;  // generous: the test ends at the confirmation, long before
  const SweepResult result = sweep_open_orders(gateway, "BTCUSDT", ours, options);
  CHECK(result.confirmed);
  CHECK(result.still_open.empty());
  CHECK(result.cancel_requests == 3);
  CHECK(result.cancel_failures == 2);
  CHECK(gateway.cancel_alls == 3);
  REQUIRE(result.last_error.has_value());
  CHECK(result.last_error->code == ErrorCode::venue_unavailable);
  CHECK(result.rounds == 4);  // three listings with ours open, the last one empty
  CHECK(open_at_venue(simulator).empty());
  CHECK(simulator.stats().faults == 2);
}

TEST_CASE("sweep: with a foreign order listed, ours are cancelled one by one and the foreign one is left alone") {
  sim::Simulator simulator(still_market());
  const auto connection = cts_test::connect_to(simulator);
  place(simulator, "ours-1", Side::buy, "50000"_d);
  place(simulator, "manual-7", Side::buy, "49000"_d);
  place(simulator, "ours-2", Side::sell, "70000"_d);
  FailingCancels gateway(connection->gateway(), simulator, 1);
  SweepOptions options;
  options.first_backoff = 1ms;
  options.deadline = 60s;
  const SweepResult result = sweep_open_orders(gateway, "BTCUSDT", ours, options);
  CHECK(result.confirmed);
  CHECK(gateway.cancel_alls == 0);
  CHECK(result.cancel_failures == 1);  // the first one-by-one cancel hit the fault, then was sent again
  CHECK(result.cancel_requests == 3);
  REQUIRE(result.foreign.size() == 1);
  CHECK(result.foreign[0].client_order_id == "manual-7");
  CHECK(open_at_venue(simulator) == std::vector<std::string>{"manual-7"});
}

TEST_CASE("sweep: a venue that never confirms: cancels retried with backoff until the deadline, our orders listed") {
  sim::Simulator simulator(still_market());
  const auto connection = cts_test::connect_to(simulator);
  place(simulator, "ours-1", Side::buy, "50000.5"_d);
  place(simulator, "ours-2", Side::sell, "70000"_d);
  place(simulator, "manual-7", Side::buy, "49000"_d);
  FailingCancels gateway(connection->gateway(), simulator, -1);
  ManualClock clock;
  const SteadyTime start = clock.steady_now();
  std::vector<std::chrono::milliseconds> waits;
  SweepOptions options;  // the defaults: 10 s, 100 ms doubling to 2 s
  options.now = [&] { return clock.steady_now(); };
  options.sleep = [&](std::chrono::milliseconds wait) {
    waits.push_back(wait);
    clock.advance(wait);
  };
  const SweepResult result = sweep_open_orders(gateway, "BTCUSDT", ours, options);
  CHECK_FALSE(result.confirmed);
  CHECK(result.listed);
  // 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 2 + 2 + 2 = 9.1 s, then the 0.9 s left; the last
  // listing is taken at the deadline.
  CHECK(waits ==
        std::vector<std::chrono::milliseconds>{100ms, 200ms, 400ms, 800ms, 1600ms, 2000ms, 2000ms, 2000ms, 900ms});
  CHECK(clock.steady_now() - start == 10s);
  CHECK(result.rounds == 10);
  CHECK(result.cancel_requests == 18);  // two orders, one by one (a foreign order is listed), nine rounds
  CHECK(result.cancel_failures == 18);
  REQUIRE(result.still_open.size() == 2);
  std::vector<std::string> lines;
  for (const venue::OrderReport& order : result.still_open) lines.push_back(describe_open_order(order));
  std::sort(lines.begin(), lines.end());
  CHECK(lines[0].starts_with("BTCUSDT buy 0.001 @ 50000.5 client id ours-1 (venue order "));
  CHECK(lines[1].starts_with("BTCUSDT sell 0.001 @ 70000 client id ours-2 (venue order "));
  CHECK(lines[0].ends_with(", executed 0)"));
  CHECK(open_at_venue(simulator) == std::vector<std::string>{"manual-7", "ours-1", "ours-2"});
}

namespace {

/// A TradingSession on the simulator (REST only), with its journal in `dir`.
struct RealSession {
  RealSession(sim::Simulator& simulator, const store::PrivateTempDir& dir, store::SqliteJournalOptions journal_options,
              std::string_view extra_config = {}) {
    EngineConfig config = parse_engine_config(fmt::format(R"(
quote.half_spread = 0.001
quote.quantity = 0.001
quote.tolerance = 0
quote.refresh_ms = 10
{}
)",
                                                          extra_config))
                              .value();
    config.journal_path = (dir.path() / "journal.sqlite").string();
    SessionEndpoint endpoint;
    endpoint.base_url = simulator.base_url();
    endpoint.credentials.api_key = simulator.options().api_key;
    endpoint.credentials.secret = sign::Secret(simulator.options().api_secret);
    journal = store::SqliteJournal::open(config.journal_path, journal_options).value();
    session = TradingSession::open(config, std::move(endpoint), *journal).value();
  }
  std::unique_ptr<store::SqliteJournal> journal;
  std::unique_ptr<TradingSession> session;
};

}  // namespace

TEST_CASE(
    "a session whose journal is full (SQLITE_FULL) halts: every order of ours cancelled, health fail, nothing more "
    "sent") {
  sim::Simulator simulator;  // a moving market: the quotes are replaced and the journal grows
  const store::PrivateTempDir dir = store::PrivateTempDir::create("cts-engine-test-").value();
  store::SqliteJournalOptions journal_options;
  journal_options.max_pages = 3;  // the schema and one page of records
  RealSession real(simulator, dir, journal_options);
  TradingSession& session = *real.session;
  const RealClock clock;

  Result<void> last;
  bool seen_live_orders = false;
  for (int step = 0; step < 2000 && !session.failure(); ++step) {
    last = session.step(clock.steady_now());
    seen_live_orders = seen_live_orders || !open_at_venue(simulator).empty();
    std::this_thread::sleep_for(5ms);
  }
  REQUIRE(session.failure().has_value());
  CHECK(session.failure()->kind == FailureKind::permanent);
  CHECK(seen_live_orders);
  REQUIRE_FALSE(last.has_value());
  CHECK(last.error().message.find("the journal cannot be written, trading stopped and our orders cancelled") !=
        std::string::npos);
  CHECK(last.error().message.find("database or disk is full") != std::string::npos);
  CHECK(open_at_venue(simulator).empty());
  CHECK(session.left_open().empty());
  const SteadyTime now = clock.steady_now();
  CHECK(session.status_line(now).find("health=fail") != std::string::npos);
  const std::string health = session.health_response(now).body;
  CHECK(health.find("\"journal:writable\"") != std::string::npos);
  CHECK(health.find("\"status\":\"fail\"") != std::string::npos);

  // Halted for good: later steps send nothing and return the same error.
  const std::uint64_t requests = simulator.stats().requests;
  const Result<void> again = session.step(clock.steady_now());
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().message == last.error().message);
  session.resume();
  CHECK_FALSE(session.step(clock.steady_now()).has_value());
  CHECK(simulator.stats().requests == requests);
  CHECK(open_at_venue(simulator).empty());
}

TEST_CASE(
    "a session whose journal fails is failed by the coordinator at once, not restarted, whatever "
    "max_consecutive_errors says [threads]") {
  sim::Simulator simulator;
  const store::PrivateTempDir dir = store::PrivateTempDir::create("cts-engine-test-").value();
  store::SqliteJournalOptions journal_options;
  journal_options.max_pages = 3;
  RealSession real(simulator, dir, journal_options, "max_consecutive_errors = 0");
  Coordinator coordinator;
  SessionOptions options;
  options.step_interval = 10ms;
  options.max_consecutive_errors = 0;  // never give up on errors alone
  options.restart.max_restarts = 3;    // a journal failure is permanent: never restarted
  int reopened = 0;
  SessionOpener reopen = [&reopened](store::Journal&, std::stop_token) -> Result<std::unique_ptr<TradingSession>> {
    ++reopened;
    return make_error(ErrorCode::internal, "a permanent failure must not be restarted");
  };
  REQUIRE(coordinator.add(
      "BTCUSDT",
      std::make_unique<TradingSessionRunner>(std::move(real.journal), std::move(real.session), std::move(reopen)),
      options));
  coordinator.start_all();
  REQUIRE(coordinator.wait_for(120s));
  const std::vector<SessionInfo> states = coordinator.states();
  REQUIRE(states.size() == 1);
  CHECK(states[0].state == SessionState::failed);
  CHECK(states[0].error.find("permanent failure") != std::string::npos);
  CHECK(states[0].error.find("the journal cannot be written") != std::string::npos);
  CHECK(states[0].restarts == 0);
  CHECK(reopened == 0);
  CHECK(states[0].status.find("health=fail") != std::string::npos);
  CHECK(open_at_venue(simulator).empty());
  const SessionSummary summary = coordinator.summary();
  CHECK(summary.health == "fail");
  CHECK(summary.left_open.empty());
}

TEST_CASE("stop with cancel_orders: the venue's cancel-all, verified; orders the venue keeps are reported") {
  sim::Simulator simulator;
  const store::PrivateTempDir dir = store::PrivateTempDir::create("cts-engine-test-").value();
  RealSession real(simulator, dir, {}, "shutdown.deadline_ms = 300");
  TradingSession& session = *real.session;
  const RealClock clock;
  for (int step = 0; step < 2000 && open_at_venue(simulator).size() < 2; ++step) {
    (void)session.step(clock.steady_now());
    std::this_thread::sleep_for(5ms);
  }
  REQUIRE(open_at_venue(simulator).size() == 2);
  // The venue refuses every request now: nothing can be cancelled or confirmed.
  sim::FaultConfig always;
  always.error_before_ppm = 1'000'000;
  simulator.set_faults(always);
  session.shutdown(clock.steady_now(), ShutdownPolicy::cancel_orders);
  simulator.set_faults({});
  // Never listed: what the account believes open is reported, and the venue agrees.
  REQUIRE(session.left_open().size() == 2);
  std::vector<std::string> reported;
  for (const venue::OrderReport& order : session.left_open()) {
    CHECK(order.symbol == "BTCUSDT");
    CHECK(order.quantity == "0.001"_d);
    CHECK(order.price.is_positive());
    reported.push_back(order.client_order_id);
  }
  std::sort(reported.begin(), reported.end());
  CHECK(reported == open_at_venue(simulator));
  const SessionSummary summary = session.summary(clock.steady_now());
  CHECK(summary.left_open.size() == 2);
  CHECK(summary.health == "fail");
  const std::string json = to_json(summary);
  CHECK(json.find("\"left_open\": [\n    {\"symbol\": \"BTCUSDT\", \"side\": \"") != std::string::npos);
  CHECK(json.find("\"client_order_id\": \"" + reported[0] + "\"") != std::string::npos);

  // The venue answers again: a second stop cancels them, confirmed, with the cancel-all.
  session.shutdown(clock.steady_now(), ShutdownPolicy::cancel_orders);
  CHECK(session.left_open().empty());
  CHECK(open_at_venue(simulator).empty());
  CHECK(session.summary(clock.steady_now()).left_open.empty());
}
