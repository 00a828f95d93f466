// Tests for the coordinator's recovery: a session that fails for a transient reason is
// closed and opened again with exponential backoff up to the configured number of
// restarts, then failed; a permanent failure (or credentials refused at open) is final
// at once; a session waiting for its restart warns in /health; a stopped session makes
// /health warn while others run. A fake runner records what the coordinator asks; the
// last case restarts a real TradingSession against the embedded simulator.
#include <cts/engine/coordinator.hpp>
#include <cts/engine/coordinator_metrics.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <cts/sim/simulator.hpp>
#include <cts/store/sqlite_journal.hpp>

#include "stream_harness.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using namespace std::chrono_literals;

namespace {

/// What a RestartingRunner saw and is told to do, shared with the test thread.
struct Script {
  mutable std::mutex mutex;
  std::vector<std::string> events;                // "open", "step", "close", "shutdown:cancel", "shutdown:keep", "kill"
  std::vector<SteadyTime> opens;                  // when open() was called
  std::deque<Result<void>> open_results;          // consumed by open(); empty: success
  std::optional<SessionFailure> fail_after_step;  // failure() after each step of an opened session
  bool restartable = true;

  int count(std::string_view event) const {
    std::lock_guard lock(mutex);
    return static_cast<int>(std::count(events.begin(), events.end(), event));
  }
  std::vector<std::string> log() const {
    std::lock_guard lock(mutex);
    return events;
  }
};

class RestartingRunner final : public SessionRunner {
 public:
  explicit RestartingRunner(std::shared_ptr<Script> script) : script_(std::move(script)) {}
  Result<void> open(SteadyTime now, std::stop_token) override {
    std::lock_guard lock(script_->mutex);
    script_->events.emplace_back("open");
    script_->opens.push_back(now);
    failed_ = false;
    if (script_->open_results.empty()) return {};
    Result<void> result = script_->open_results.front();
    script_->open_results.pop_front();
    return result;
  }
  void close(SteadyTime) override { note("close"); }
  bool restartable() const noexcept override {
    std::lock_guard lock(script_->mutex);
    return script_->restartable;
  }
  std::optional<SessionFailure> failure() const override {
    std::lock_guard lock(script_->mutex);
    return failed_ ? script_->fail_after_step : std::nullopt;
  }
  Result<void> step(SteadyTime) override {
    std::lock_guard lock(script_->mutex);
    script_->events.emplace_back("step");
    failed_ = true;
    return {};
  }
  void pause() override { note("pause"); }
  void resume() override { note("resume"); }
  void shutdown(SteadyTime, ShutdownPolicy policy) override {
    note(policy == ShutdownPolicy::cancel_orders ? "shutdown:cancel" : "shutdown:keep");
  }
  void kill(std::string) override { note("kill"); }
  std::string status_line(SteadyTime) const override { return "fake"; }
  SessionSummary summary(SteadyTime) override {
    SessionSummary s;
    s.health = "pass";
    return s;
  }

 private:
  void note(std::string event) {
    std::lock_guard lock(script_->mutex);
    script_->events.push_back(std::move(event));
  }
  std::shared_ptr<Script> script_;
  bool failed_ = false;  // session thread only
};

SessionOptions restarting(std::uint32_t max_restarts, std::chrono::milliseconds backoff,
                          ShutdownPolicy policy = ShutdownPolicy::keep_orders) {
  SessionOptions options;
  options.step_interval = 10ms;
  options.on_shutdown = policy;
  options.max_consecutive_errors = 3;
  options.restart.max_restarts = max_restarts;
  options.restart.initial_backoff = backoff;
  options.restart.max_backoff = backoff * 2;
  return options;
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 20s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

SessionInfo info_of(const Coordinator& c, std::string_view name) {
  for (const SessionInfo& info : c.states()) {
    if (info.name == name) return info;
  }
  FAIL("no session ", name);
  return {};
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace

TEST_CASE("a transient failure restarts the session with growing backoff, then fails it [threads]") {
  auto script = std::make_shared<Script>();
  script->fail_after_step = SessionFailure{FailureKind::transient,
                                           make_error(ErrorCode::venue_unavailable, "the market data stream is down")};
  Coordinator c;
  REQUIRE(c.add("s", std::make_unique<RestartingRunner>(script), restarting(2, 50ms)));
  c.start_all();
  REQUIRE(eventually([&] { return c.state("s").value() == SessionState::failed; }));
  // open, step, (cancel, close, open, step) twice, then failed: the policy applied once more.
  CHECK(script->log() == std::vector<std::string>{"open", "step", "shutdown:cancel", "close", "open", "step",
                                                  "shutdown:cancel", "close", "open", "step", "shutdown:keep"});
  {
    std::lock_guard lock(script->mutex);
    REQUIRE(script->opens.size() == 3);
    CHECK(script->opens[1] - script->opens[0] >= 50ms);   // first restart: the initial backoff
    CHECK(script->opens[2] - script->opens[1] >= 100ms);  // second: doubled
  }
  const SessionInfo info = info_of(c, "s");
  CHECK(info.restarts == 2);
  CHECK(contains(info.error, "transient failure: venue_unavailable: the market data stream is down"));
  CHECK(contains(info.error, "(after 2 restarts)"));
  const std::optional<SessionSummary> summary = c.summary("s");
  REQUIRE(summary);
  CHECK(summary->health == "fail");
  REQUIRE_FALSE(summary->health_reasons.empty());
  CHECK(contains(summary->health_reasons.front(), "s failed: transient failure"));
}

TEST_CASE("a permanent failure is final at once: no restart [threads]") {
  auto script = std::make_shared<Script>();
  script->fail_after_step = SessionFailure{
      FailureKind::permanent, make_error(ErrorCode::internal, "the journal cannot be written (disk full)")};
  Coordinator c;
  REQUIRE(c.add("s", std::make_unique<RestartingRunner>(script), restarting(5, 10ms, ShutdownPolicy::cancel_orders)));
  c.start_all();
  REQUIRE(eventually([&] { return c.state("s").value() == SessionState::failed; }));
  CHECK(script->log() == std::vector<std::string>{"open", "step", "shutdown:cancel"});
  const SessionInfo info = info_of(c, "s");
  CHECK(info.restarts == 0);
  CHECK(contains(info.error, "permanent failure: internal: the journal cannot be written (disk full)"));
  const HttpResponse health = health_response(c, RealClock{}.steady_now());
  CHECK(health.status == 503);
  CHECK(contains(health.body, "the journal cannot be written"));
}

TEST_CASE("credentials refused at open fail the session at once, without retrying [threads]") {
  auto script = std::make_shared<Script>();
  script->open_results.push_back(
      make_error(ErrorCode::invalid_signature, "the venue refused the API credentials", "-1022"));
  Coordinator c;
  REQUIRE(c.add("s", std::make_unique<RestartingRunner>(script), restarting(5, 10ms)));
  c.start_all();
  REQUIRE(eventually([&] { return c.state("s").value() == SessionState::failed; }));
  CHECK(script->log() == std::vector<std::string>{"open"});
  CHECK(contains(info_of(c, "s").error, "permanent failure: invalid_signature"));
}

TEST_CASE("a runner that cannot restart fails on a transient failure [threads]") {
  auto script = std::make_shared<Script>();
  script->restartable = false;
  script->fail_after_step = SessionFailure{FailureKind::transient, make_error(ErrorCode::network, "unreachable")};
  Coordinator c;
  REQUIRE(c.add("s", std::make_unique<RestartingRunner>(script), restarting(5, 10ms)));
  c.start_all();
  REQUIRE(eventually([&] { return c.state("s").value() == SessionState::failed; }));
  CHECK(script->count("close") == 0);
  CHECK(info_of(c, "s").restarts == 0);
}

TEST_CASE("a failed restart counts as an attempt; a restart that opens again runs on [threads]") {
  auto script = std::make_shared<Script>();
  script->fail_after_step = SessionFailure{FailureKind::transient, make_error(ErrorCode::network, "unreachable")};
  script->open_results = {Result<void>{}, make_error(ErrorCode::network, "connection refused")};
  Coordinator c;
  REQUIRE(c.add("s", std::make_unique<RestartingRunner>(script), restarting(3, 10ms)));
  c.start_all();
  REQUIRE(eventually([&] { return c.state("s").value() == SessionState::failed; }));
  // open ok, step fails → restart 1: open refused → restart 2: open ok, step fails →
  // restart 3: open ok, step fails → out of restarts.
  CHECK(script->log() == std::vector<std::string>{"open", "step", "shutdown:cancel", "close", "open", "open", "step",
                                                  "shutdown:cancel", "close", "open", "step", "shutdown:keep"});
  CHECK(info_of(c, "s").restarts == 3);
}

TEST_CASE("while a restart is pending /health warns and says why; a stopped session warns while others run [threads]") {
  auto script = std::make_shared<Script>();
  script->fail_after_step = SessionFailure{FailureKind::transient, make_error(ErrorCode::network, "unreachable")};
  Coordinator c;
  REQUIRE(c.add("waiting", std::make_unique<RestartingRunner>(script), restarting(1, std::chrono::minutes{10})));
  auto steady = std::make_shared<Script>();
  REQUIRE(c.add("steady", std::make_unique<RestartingRunner>(steady), restarting(0, 10ms)));
  c.start_all();
  REQUIRE(eventually([&] { return info_of(c, "waiting").restarts == 1; }));
  const SessionInfo info = info_of(c, "waiting");
  CHECK(info.state == SessionState::running);
  CHECK(contains(info.restart, "restart 1 of 1 in 600000 ms after a transient failure: network: unreachable"));
  HttpResponse health = health_response(c, RealClock{}.steady_now());
  CHECK(health.status == 200);  // warn is still ready
  CHECK(contains(health.body, "\"status\":\"warn\""));
  CHECK(contains(health.body, "restart 1 of 1"));
  // Stopping it while it waits: nothing is open to shut down.
  REQUIRE(c.stop("waiting").value() == SessionState::stopped);
  CHECK(script->count("shutdown:keep") == 0);
  health = health_response(c, RealClock{}.steady_now());
  CHECK(contains(health.body, "session waiting is stopped"));
  CHECK(contains(health.body, "\"status\":\"warn\""));
  c.stop_all();
  health = health_response(c, RealClock{}.steady_now());
  CHECK(health.status == 503);  // all stopped: out of service
}

namespace {

std::size_t open_at_venue(sim::Simulator& simulator) {
  return simulator.with_engine([&](sim::MatchingEngine& engine) {
    std::size_t open = 0;
    for (const sim::Order& o : engine.all_orders(simulator.account(), "BTCUSDT")) {
      open += o.status == sim::OrderStatus::new_ || o.status == sim::OrderStatus::partially_filled ? 1 : 0;
    }
    return open;
  });
}

}  // namespace

TEST_CASE("a real session restarts after the venue was unreachable, reconciled with it like a fresh start [threads]") {
  sim::Simulator simulator(cts_test::still_market());  // only our quotes and a fixed book: nothing fills
  cts_test::counterparty(simulator, Side::sell, "0.01"_d, "10001"_d);
  cts_test::counterparty(simulator, Side::buy, "0.01"_d, "9999"_d);
  EngineConfig config;
  config.journal_path = cts_test::stream_journal_path("restart-real").string();
  config.refresh_interval = 100ms;
  config.max_consecutive_errors = 2;
  config.restart.max_restarts = 20;
  config.restart.initial_backoff = 50ms;
  config.restart.max_backoff = 400ms;
  SessionEndpoint endpoint;  // REST only
  endpoint.base_url = simulator.base_url();
  endpoint.credentials.api_key = simulator.options().api_key;
  endpoint.credentials.secret = sign::Secret(simulator.options().api_secret);
  auto journal = store::SqliteJournal::open(config.journal_path).value();
  auto first = TradingSession::open(config, endpoint, *journal).value();
  SessionOpener reopen = [config, endpoint](store::Journal& j, std::stop_token stop) {
    SessionEndpoint with_stop = endpoint;
    with_stop.stop = std::move(stop);
    return TradingSession::open(config, std::move(with_stop), j);
  };
  Coordinator c;
  REQUIRE(c.add("BTCUSDT", std::make_unique<TradingSessionRunner>(std::move(journal), std::move(first), reopen),
                session_options(config)));
  c.start_all();
  REQUIRE(eventually([&] { return open_at_venue(simulator) == 2; }));

  // The venue becomes unreachable (every request 503, nothing executed): steps fail,
  // the session is restarted, and its quotes cannot be cancelled meanwhile.
  sim::FaultConfig down;
  down.error_before_ppm = 1'000'000;
  simulator.set_faults(down);
  REQUIRE(eventually([&] { return info_of(c, "BTCUSDT").restarts >= 1; }, 60s));
  CHECK(open_at_venue(simulator) == 2);  // left live: nothing reached the venue
  simulator.set_faults(sim::FaultConfig{});

  // A fresh start: the journal replayed, the venue asked about every order it lists as
  // open, quoting again.
  REQUIRE(eventually([&] { return info_of(c, "BTCUSDT").restart.empty(); }, 60s));
  CHECK(c.state("BTCUSDT").value() == SessionState::running);
  // The restarted session owns the quotes the first one left live (from the journal,
  // confirmed by the venue): they take its quote slots, so the venue holds one bid and
  // one ask, not a second pair.
  REQUIRE(eventually([&] { return info_of(c, "BTCUSDT").status.find(" open=2 ") != std::string::npos; }, 30s));
  CHECK(open_at_venue(simulator) == 2);
  // Stopped with cancel_orders, the restarted session cancels them: nothing is left.
  c.stop_all();
  CHECK(open_at_venue(simulator) == 0);
  const SessionSummary summary = c.summary();
  CHECK(summary.orders.orders_submitted >= 2);
  CHECK(summary.orders.orders_canceled >= 2);
  CHECK(summary.left_open.empty());
  CHECK(c.state("BTCUSDT").value() == SessionState::stopped);
}
