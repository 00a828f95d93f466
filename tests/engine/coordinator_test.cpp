// Tests for cts/engine/coordinator.hpp: command delivery to session threads, shutdown
// requests (from a thread and from a real signal handler the test installs), failing
// sessions, the metrics and health views, the summary merge, and two real
// TradingSessions against the in-process simulator sharing one rate limiter.
#include <cts/engine/coordinator.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include <cts/engine/coordinator_metrics.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/sqlite_journal.hpp>

#include "fake_runner.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::engine::testing;
using namespace cts::literals;
using namespace std::chrono_literals;

namespace {

// The application's signal policy, as a program linking cts::engine writes it: the
// engine installs no handler of its own.
std::atomic<Coordinator*> g_signal_target{nullptr};
extern "C" void on_test_signal(int) {
  if (Coordinator* target = g_signal_target.load()) target->request_shutdown();
}

/// Routes `signal` to `coordinator.request_shutdown()` while alive.
class TestSignalHandler {
 public:
  TestSignalHandler(Coordinator& coordinator, int signal) : signal_(signal) {
    g_signal_target.store(&coordinator);
    struct sigaction action {};
    action.sa_handler = on_test_signal;
    sigemptyset(&action.sa_mask);
    REQUIRE(::sigaction(signal, &action, &previous_) == 0);
  }
  ~TestSignalHandler() {
    ::sigaction(signal_, &previous_, nullptr);
    g_signal_target.store(nullptr);
  }
  TestSignalHandler(const TestSignalHandler&) = delete;
  TestSignalHandler& operator=(const TestSignalHandler&) = delete;

 private:
  int signal_;
  struct sigaction previous_ {};
};

}  // namespace

TEST_CASE("merge_summaries: one summary unchanged; several summed and merged") {
  SessionSummary btc;
  btc.orders.orders_submitted = 3;
  btc.orders.fills = 2;
  btc.http_429 = 1;
  btc.positions["BTC/USDT"] = "0.002"_d;
  btc.fees["BTC"] = "0.000002"_d;
  btc.fees["USDT"] = "0.1"_d;
  btc.realized_pnl = "1.5"_d;
  btc.balances["BTC"] = BalanceSummary{"10.002"_d, "0"_d};
  btc.health = "pass";
  const SessionSummary one = merge_summaries(std::span(&btc, 1));
  CHECK(to_json(one) == to_json(btc));

  SessionSummary eth;
  eth.orders.orders_submitted = 4;
  eth.orders.fills = 1;
  eth.positions["ETH/USDT"] = "-0.01"_d;
  eth.fees["USDT"] = "0.2"_d;
  eth.realized_pnl = "-0.5"_d;
  eth.balances["BTC"] = BalanceSummary{"10.002"_d, "0"_d};
  eth.balances["ETH"] = BalanceSummary{"99.99"_d, "0.01"_d};
  eth.health = "warn";
  const std::vector<SessionSummary> both{btc, eth};
  const SessionSummary merged = merge_summaries(both);
  CHECK(merged.orders.orders_submitted == 7);
  CHECK(merged.orders.fills == 3);
  CHECK(merged.http_429 == 1);
  CHECK(merged.positions.at("BTC/USDT") == "0.002"_d);
  CHECK(merged.positions.at("ETH/USDT") == "-0.01"_d);
  CHECK(merged.fees.at("USDT") == "0.3"_d);
  CHECK(merged.fees.at("BTC") == "0.000002"_d);
  CHECK(merged.realized_pnl == "1"_d);
  CHECK(merged.balances.at("ETH").locked == "0.01"_d);
  CHECK(merged.health == "warn");
}

TEST_CASE("add refuses bad names, duplicates and null runners without changing anything") {
  Coordinator c;
  auto record = std::make_shared<FakeRecord>();
  CHECK(c.add("", std::make_unique<FakeRunner>(record)).error().code == ErrorCode::invalid_argument);
  CHECK(c.add("a/b", std::make_unique<FakeRunner>(record)).error().code == ErrorCode::invalid_argument);
  CHECK(c.add("a", nullptr).error().code == ErrorCode::invalid_argument);
  SessionOptions zero;
  zero.step_interval = 0ms;
  CHECK(!c.add("a", std::make_unique<FakeRunner>(record), zero));
  CHECK(c.states().empty());
  REQUIRE(c.add("a", std::make_unique<FakeRunner>(record)));
  CHECK(c.add("a", std::make_unique<FakeRunner>(record)).error().message == "session \"a\" already exists");
  CHECK(c.states().size() == 1);
  const Result<SessionState> unknown = c.pause("nope");
  REQUIRE(!unknown);
  CHECK(unknown.error().code == ErrorCode::invalid_argument);
  CHECK(unknown.error().message == "unknown session \"nope\"");
  CHECK(c.state("a").value() == SessionState::created);
  CHECK(c.pause("a").error().message == "session a: cannot pause a created session");
  CHECK(c.state("a").value() == SessionState::created);
}

TEST_CASE("commands reach the session thread; stop applies the policy once [threads]") {
  Coordinator c;
  auto record = add_fake(c, "a");
  CHECK(c.start("a").value() == SessionState::running);
  REQUIRE(eventually([&] { return record->step_count() >= 2; }));
  CHECK(c.pause("a").value() == SessionState::paused);
  CHECK(c.pause("a").value() == SessionState::paused);  // idempotent
  REQUIRE(eventually([&] { return record->count("pause") == 1; }));
  const int steps_when_paused = record->step_count();
  REQUIRE(eventually([&] { return record->step_count() > steps_when_paused; }));  // still stepping
  CHECK(c.resume("a").value() == SessionState::running);
  REQUIRE(eventually([&] { return record->count("resume") == 1; }));
  CHECK(c.stop("a").value() == SessionState::stopped);
  CHECK(c.stop("a").value() == SessionState::stopped);  // idempotent, no second shutdown
  CHECK(record->count("shutdown:cancel") == 1);
  CHECK(record->count("shutdown:keep") == 0);
  CHECK(record->count("pause") == 1);
  // Every call came from one thread, which is not the test's.
  const auto callers = record->callers();
  CHECK(callers.size() == 1);
  CHECK(callers.count(std::this_thread::get_id()) == 0);
  const Result<SessionState> again = c.resume("a");
  REQUIRE(!again);
  CHECK(again.error().message == "session a: cannot resume a stopped session");
  CHECK(c.summary("a")->orders.orders_submitted == 2);
}

TEST_CASE("a stop reaches a session still opening: its open() is handed the stop and returns [threads]") {
  Coordinator c;
  auto record = add_fake(c, "a");
  {
    std::lock_guard lock(record->mutex);
    record->hold_open = true;  // open() waits until the coordinator requests its stop
  }
  CHECK(c.start("a").value() == SessionState::running);
  REQUIRE(eventually([&] { return record->count("open") == 1; }));
  CHECK(c.stop("a").value() == SessionState::stopped);  // returns: the open was cut short
  CHECK(record->count("open:stopped") == 1);
  CHECK(record->step_count() == 0);
  CHECK(record->count("shutdown:cancel") == 0);  // never opened: nothing to shut down
}

TEST_CASE("pause, resume and stop one session or all [threads]") {
  Coordinator c;
  auto a = add_fake(c, "a");
  auto b = add_fake(c, "b", fast(ShutdownPolicy::keep_orders));
  c.start_all();
  CHECK(c.pause("a").value() == SessionState::paused);
  CHECK(c.state("b").value() == SessionState::running);
  REQUIRE(eventually([&] { return a->count("pause") == 1; }));
  CHECK(b->count("pause") == 0);

  const auto resumed = c.apply_all(SessionCommand::resume).value();
  CHECK(resumed.size() == 2);
  CHECK(c.state("a").value() == SessionState::running);
  CHECK(c.state("b").value() == SessionState::running);
  REQUIRE(eventually([&] { return a->count("resume") == 1; }));
  CHECK(b->count("resume") == 0);  // it was running: nothing to deliver

  REQUIRE(c.apply_all(SessionCommand::pause));
  REQUIRE(eventually([&] { return a->count("pause") == 2 && b->count("pause") == 1; }));

  CHECK(c.stop("a").value() == SessionState::stopped);
  CHECK(c.state("b").value() == SessionState::paused);
  const int b_steps = b->step_count();
  REQUIRE(eventually([&] { return b->step_count() > b_steps; }));  // b keeps stepping
  // a is stopped: "resume all" skips it and resumes b.
  REQUIRE(c.apply_all(SessionCommand::resume));
  CHECK(c.state("b").value() == SessionState::running);

  c.stop_all();
  CHECK(c.state("a").value() == SessionState::stopped);
  CHECK(c.state("b").value() == SessionState::stopped);
  CHECK(a->count("shutdown:cancel") == 1);
  CHECK(b->count("shutdown:keep") == 1);
  c.stop_all();
  CHECK(a->count("shutdown:cancel") + a->count("shutdown:keep") == 1);
  CHECK(b->count("shutdown:cancel") + b->count("shutdown:keep") == 1);
  // Two summaries merged.
  CHECK(c.summary().orders.orders_submitted == 4);
  CHECK(c.summary().positions.at("BTC/USDT") == "1"_d);
}

TEST_CASE("an illegal transition in apply_all changes no session [threads]") {
  Coordinator c;
  add_fake(c, "a");
  add_fake(c, "b");
  REQUIRE(c.start("a"));
  const auto refused = c.apply_all(SessionCommand::pause);
  REQUIRE(!refused);
  CHECK(refused.error().message == "session b: cannot pause a created session");
  CHECK(c.state("a").value() == SessionState::running);
  CHECK(c.state("b").value() == SessionState::created);
  c.stop_all();
}

TEST_CASE("request_shutdown from another thread stops every session; wait returns [threads]") {
  Coordinator c;
  auto a = add_fake(c, "a");
  auto b = add_fake(c, "b", fast(ShutdownPolicy::keep_orders));
  auto idle = add_fake(c, "idle");  // never started
  REQUIRE(c.start("a"));
  REQUIRE(c.start("b"));
  REQUIRE(eventually([&] { return a->step_count() > 0 && b->step_count() > 0; }));
  std::thread requester([&] { c.request_shutdown(); });
  c.wait();
  requester.join();
  for (const SessionInfo& info : c.states()) CHECK(info.state == SessionState::stopped);
  CHECK(a->count("shutdown:cancel") == 1);
  CHECK(b->count("shutdown:keep") == 1);
  CHECK(idle->count("open") == 0);  // never opened, nothing to shut down
  CHECK(idle->count("shutdown:cancel") == 0);
  CHECK(c.shutdown_requests() == 1);
  CHECK(!c.add("late", std::make_unique<FakeRunner>(std::make_shared<FakeRecord>())));
}

TEST_CASE("request_shutdown from a signal handler shuts down gracefully [threads]") {
  Coordinator c;
  auto a = add_fake(c, "a");
  c.start_all();
  REQUIRE(eventually([&] { return a->step_count() > 0; }));
  {
    TestSignalHandler handler(c, SIGTERM);
    REQUIRE(std::raise(SIGTERM) == 0);
    c.wait();
  }
  CHECK(c.state("a").value() == SessionState::stopped);
  CHECK(a->count("shutdown:cancel") == 1);
  CHECK(c.shutdown_requests() == 1);
}

TEST_CASE("a second shutdown request stops at once and keeps the orders [threads]") {
  std::mutex log_mutex;
  std::vector<std::string> log;
  CoordinatorOptions options;
  options.log = [&](std::string_view line) {
    std::lock_guard lock(log_mutex);
    log.emplace_back(line);
  };
  Coordinator c(options);
  auto a = add_fake(c, "a");
  {
    std::lock_guard lock(a->mutex);
    a->hold_steps = true;  // the next step blocks: the session cannot shut down yet
  }
  c.start_all();
  REQUIRE(eventually([&] { return a->step_count() > 0; }));
  TestSignalHandler handler(c, SIGINT);
  REQUIRE(std::raise(SIGINT) == 0);
  REQUIRE(std::raise(SIGINT) == 0);
  auto logged = [&](std::string_view text) {
    std::lock_guard lock(log_mutex);
    return std::any_of(log.begin(), log.end(), [&](const std::string& l) { return l.find(text) != std::string::npos; });
  };
  REQUIRE(eventually([&] { return logged("second shutdown request"); }));
  a->release();
  c.wait();
  CHECK(a->count("shutdown:keep") == 1);
  CHECK(a->count("shutdown:cancel") == 0);
  CHECK(c.state("a").value() == SessionState::stopped);
}

TEST_CASE("a session whose steps keep failing is failed; the others keep running [threads]") {
  Coordinator c;
  auto bad = std::make_shared<FakeRecord>();
  bad->fail_steps = true;
  REQUIRE(c.add("bad", std::make_unique<FakeRunner>(bad), fast(ShutdownPolicy::cancel_orders, 3)));
  auto good = add_fake(c, "good");
  c.start_all();
  REQUIRE(eventually([&] { return c.state("bad").value() == SessionState::failed; }));
  CHECK(bad->step_count() == 3);
  CHECK(bad->count("shutdown:cancel") == 1);  // its policy applied as far as possible
  const int good_steps = good->step_count();
  REQUIRE(eventually([&] { return good->step_count() > good_steps + 2; }));
  CHECK(c.state("good").value() == SessionState::running);
  const auto infos = c.states();
  CHECK(infos[0].error.find("fake step failure") != std::string::npos);
  CHECK(c.resume("bad").error().message == "session bad: cannot resume a failed session");
  const HttpResponse health = health_response(c, RealClock{}.steady_now());
  CHECK(health.status == 503);
  CHECK(health.body.find("\"bad/session:state\"") != std::string::npos);
  c.stop_all();
  CHECK(c.state("bad").value() == SessionState::failed);
  CHECK(c.state("good").value() == SessionState::stopped);
}

TEST_CASE("a session that cannot open is failed without a shutdown [threads]") {
  Coordinator c;
  auto bad = std::make_shared<FakeRecord>();
  bad->fail_open = true;
  REQUIRE(c.add("bad", std::make_unique<FakeRunner>(bad), fast(ShutdownPolicy::cancel_orders, 2)));
  c.start_all();
  c.wait();
  CHECK(c.state("bad").value() == SessionState::failed);
  CHECK(bad->count("open") == 2);
  CHECK(bad->step_count() == 0);
  CHECK(bad->count("shutdown:cancel") == 0);
  CHECK(!c.summary("bad"));
}

// --- real parts: two TradingSessions against the in-process simulator ---------------

namespace {

std::filesystem::path fresh_journal_path(std::string_view name) {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("cts-coordinator-test-{}", ::getpid());
  std::filesystem::create_directories(dir);
  auto path = dir / fmt::format("{}.sqlite", name);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path;
}

std::size_t open_at_venue(sim::Simulator& simulator, std::string_view symbol) {
  return simulator.with_engine(
      [&](sim::MatchingEngine& engine) { return engine.open_orders(simulator.account(), symbol).size(); });
}

/// Opens a TradingSession on `symbol` with a shared limiter and adds it to `c`.
void add_real(Coordinator& c, sim::Simulator& simulator, const std::string& symbol, Decimal quantity,
              ShutdownPolicy policy, std::string_view test) {
  EngineConfig config = parse_engine_config(fmt::format(R"(
symbols = BTCUSDT,ETHUSDT
journal = {}
quote.half_spread = 0.002
quote.quantity = 0.001
quote.max_position = 0.01
quote.refresh_ms = 50
ETHUSDT.quote.quantity = {}
ETHUSDT.quote.max_position = 0.1
ETHUSDT.risk.max_position = 0.2
)",
                                                        fresh_journal_path(test).string(), quantity))
                            .value();
  config.on_shutdown = policy;
  const EngineConfig session = session_config(config, symbol);
  CHECK(session.journal_path == fresh_journal_path(test).string() + "." + symbol);
  SessionEndpoint endpoint;
  endpoint.base_url = simulator.base_url();
  endpoint.credentials.api_key = simulator.options().api_key;
  endpoint.credentials.secret = sign::Secret(simulator.options().api_secret);
  endpoint.limiter = c.shared_limiter(VenueId::binance_spot, endpoint.base_url, endpoint.credentials.api_key);
  auto journal = store::SqliteJournal::open(session.journal_path).value();
  auto opened = TradingSession::open(session, std::move(endpoint), *journal);
  REQUIRE(opened);
  REQUIRE(c.add(symbol, std::make_unique<TradingSessionRunner>(std::move(journal), std::move(*opened)),
                session_options(session)));
}

}  // namespace

TEST_CASE("two real sessions: pause one, resume it, stop all with cancel_orders [threads]") {
  sim::Simulator simulator;
  Coordinator c;
  add_real(c, simulator, "BTCUSDT", "0.01"_d, ShutdownPolicy::cancel_orders, "cancel");
  add_real(c, simulator, "ETHUSDT", "0.01"_d, ShutdownPolicy::cancel_orders, "cancel");
  CHECK(c.shared_limiter(VenueId::binance_spot, simulator.base_url(), simulator.options().api_key).use_count() == 4);  // the map, this copy, 2 sessions
  c.start_all();
  REQUIRE(eventually([&] { return open_at_venue(simulator, "BTCUSDT") > 0 && open_at_venue(simulator, "ETHUSDT") > 0; }));

  REQUIRE(c.pause("BTCUSDT"));
  REQUIRE(eventually([&] { return open_at_venue(simulator, "BTCUSDT") == 0; }));
  // The other session keeps quoting, and the paused one keeps stepping without quoting.
  std::this_thread::sleep_for(300ms);
  CHECK(open_at_venue(simulator, "BTCUSDT") == 0);
  CHECK(open_at_venue(simulator, "ETHUSDT") > 0);
  CHECK(c.state("ETHUSDT").value() == SessionState::running);

  REQUIRE(c.resume("BTCUSDT"));
  REQUIRE(eventually([&] { return open_at_venue(simulator, "BTCUSDT") > 0; }));

  const HttpResponse health = health_response(c, RealClock{}.steady_now());
  CHECK(health.body.find("\"BTCUSDT/venue:connectivity\"") != std::string::npos);
  CHECK(health.body.find("\"ETHUSDT/venue:connectivity\"") != std::string::npos);
  const std::string metrics = metrics_text(c);
  CHECK(metrics.find("cts_engine_open_orders{session=\"ETHUSDT\"}") != std::string::npos);
  CHECK(metrics.find("cts_engine_open_orders{session=\"BTCUSDT\"}") != std::string::npos);

  c.stop_all();
  CHECK(open_at_venue(simulator, "BTCUSDT") == 0);
  CHECK(open_at_venue(simulator, "ETHUSDT") == 0);
  const SessionSummary summary = c.summary();
  CHECK(summary.orders.orders_submitted >= 4);
  CHECK(summary.positions.count("BTC/USDT") == 1);
  CHECK(summary.positions.count("ETH/USDT") == 1);
  CHECK(summary.orders.orders_denied == 0);  // the ETH quotes pass its filters
  CHECK(summary.http_429 == 0);
}

TEST_CASE("two real sessions stopped with keep_orders leave their quotes working [threads]") {
  sim::Simulator simulator;
  Coordinator c;
  add_real(c, simulator, "BTCUSDT", "0.01"_d, ShutdownPolicy::keep_orders, "keep");
  add_real(c, simulator, "ETHUSDT", "0.01"_d, ShutdownPolicy::keep_orders, "keep");
  c.start_all();
  REQUIRE(eventually([&] { return open_at_venue(simulator, "BTCUSDT") > 0 && open_at_venue(simulator, "ETHUSDT") > 0; }));
  c.request_shutdown();
  c.wait();
  CHECK(open_at_venue(simulator, "BTCUSDT") > 0);
  CHECK(open_at_venue(simulator, "ETHUSDT") > 0);
  for (const SessionInfo& info : c.states()) CHECK(info.state == SessionState::stopped);
}

TEST_CASE("metrics_text: every session's families labelled; holdings only when asked [threads]") {
  Coordinator c;
  auto a = add_fake(c, "a");
  auto b = add_fake(c, "b");
  c.start_all();
  REQUIRE(eventually([&] { return a->step_count() > 0 && b->step_count() > 0; }));
  REQUIRE(c.stop("b"));
  const std::string all = metrics_text(c);
  CHECK(all.find("fake_steps_total{session=\"a\"} ") != std::string::npos);
  CHECK(all.find("fake_steps_total{session=\"b\"} ") != std::string::npos);
  CHECK(all.find("fake_position{session=\"a\"} 0.5") != std::string::npos);
  CHECK(all.find("cts_engine_session_state{session=\"b\",state=\"stopped\"} 1") != std::string::npos);
  CHECK(all.find("cts_engine_session_state{session=\"a\",state=\"running\"} 1") != std::string::npos);
  // One HELP and one TYPE line per family, though two sessions export each.
  std::map<std::string, int> meta;
  std::size_t pos = 0;
  while (pos < all.size()) {
    const std::size_t eol = all.find('\n', pos);
    const std::string line = all.substr(pos, eol - pos);
    if (line.starts_with("# ")) ++meta[line.substr(0, line.find(' ', 7))];
    pos = eol == std::string::npos ? all.size() : eol + 1;
  }
  CHECK(meta["# TYPE fake_steps_total"] == 1);
  CHECK(meta["# HELP fake_steps_total"] == 1);
  // The process's families once, unlabelled, though two sessions run.
  CHECK(meta["# TYPE process_cpu_seconds_total"] == 1);
  CHECK(all.find("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total ") != std::string::npos);
  CHECK(all.find("# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes ") != std::string::npos);
  CHECK(all.find("# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds ") != std::string::npos);
  CHECK(all.find("process_open_fds{") == std::string::npos);
  for (const auto& [key, n] : meta) {
    CAPTURE(key);
    CHECK(n == 1);
  }
  const std::string open = metrics_text(c, MetricsExposure::public_only);
  CHECK(open.find("fake_steps_total{session=\"a\"} ") != std::string::npos);
  CHECK(open.find("fake_position") == std::string::npos);
  CHECK(reveals_holdings("cts_engine_position"));
  CHECK(reveals_holdings("cts_engine_realized_pnl"));
  CHECK(reveals_holdings("cts_engine_balance_free"));
  CHECK(!reveals_holdings("cts_engine_open_orders"));

  const HttpResponse health = health_response(c, RealClock{}.steady_now(), "test-service");
  CHECK(health.header("Content-Type") == "application/health+json");
  CHECK(health.body.find("\"a/session:state\"") != std::string::npos);
  CHECK(health.body.find("\"b/session:state\"") != std::string::npos);
  CHECK(health.body.find("test-service") != std::string::npos);
  CHECK(health.status == 200);  // a runs (pass), b stopped on purpose (not counted)
  c.stop_all();
}
