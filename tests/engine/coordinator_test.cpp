// Tests for cts/engine/coordinator.hpp: the state table, command delivery to session
// threads, shutdown requests (from a thread and from a real signal handler), failing
// sessions, the HTTP control surface on a real HttpServer, and two real TradingSessions
// against the in-process simulator sharing one rate limiter.
#include <cts/engine/coordinator.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <cts/net/http_client.hpp>
#include <cts/net/http_server.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/sqlite_journal.hpp>

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using namespace std::chrono_literals;

namespace {

/// What a FakeRunner saw, readable from the test thread.
struct FakeRecord {
  mutable std::mutex mutex;
  std::vector<std::string> events;       // "open", "pause", "resume", "shutdown:cancel", "shutdown:keep", "kill"
  std::set<std::thread::id> threads;     // every thread that called the runner
  int steps = 0;
  bool fail_open = false;
  bool fail_steps = false;
  bool hold_steps = false;               // a step blocks while this is true
  std::condition_variable released;

  int count(std::string_view event) const {
    std::lock_guard lock(mutex);
    return static_cast<int>(std::count(events.begin(), events.end(), event));
  }
  int step_count() const {
    std::lock_guard lock(mutex);
    return steps;
  }
  std::set<std::thread::id> callers() const {
    std::lock_guard lock(mutex);
    return threads;
  }
  void release() {
    std::lock_guard lock(mutex);
    hold_steps = false;
    released.notify_all();
  }
};

class FakeRunner final : public SessionRunner {
 public:
  explicit FakeRunner(std::shared_ptr<FakeRecord> record) : record_(std::move(record)) {
    steps_metric_ = &metrics_.counter({"fake_steps", "Steps of the fake"}).add({});
  }
  Result<void> open(SteadyTime) override {
    note("open");
    std::lock_guard lock(record_->mutex);
    if (record_->fail_open) return make_error(ErrorCode::network, "fake open failure");
    return {};
  }
  Result<void> step(SteadyTime) override {
    std::unique_lock lock(record_->mutex);
    record_->threads.insert(std::this_thread::get_id());
    ++record_->steps;
    steps_metric_->inc();
    record_->released.wait(lock, [&] { return !record_->hold_steps; });
    if (record_->fail_steps) return make_error(ErrorCode::network, "fake step failure");
    return {};
  }
  void pause() override { note("pause"); }
  void resume() override { note("resume"); }
  void shutdown(SteadyTime, ShutdownPolicy policy) override {
    note(policy == ShutdownPolicy::cancel_orders ? "shutdown:cancel" : "shutdown:keep");
  }
  void kill(std::string) override { note("kill"); }
  std::string status_line(SteadyTime) const override {
    std::lock_guard lock(record_->mutex);
    return fmt::format("steps={}", record_->steps);
  }
  SessionSummary summary(SteadyTime) override {
    SessionSummary s;
    s.orders.orders_submitted = 2;
    s.positions["BTC/USDT"] = "0.5"_d;
    s.health = "pass";
    return s;
  }
  const health::MetricsRegistry* metrics() const noexcept override { return &metrics_; }

 private:
  void note(std::string event) {
    std::lock_guard lock(record_->mutex);
    record_->threads.insert(std::this_thread::get_id());
    record_->events.push_back(std::move(event));
  }
  std::shared_ptr<FakeRecord> record_;
  health::MetricsRegistry metrics_;
  health::Counter* steps_metric_ = nullptr;
};

SessionOptions fast(ShutdownPolicy policy = ShutdownPolicy::cancel_orders, std::uint32_t max_errors = 100) {
  SessionOptions options;
  options.step_interval = 5ms;
  options.on_shutdown = policy;
  options.max_consecutive_errors = max_errors;
  return options;
}

/// Polls `condition` for up to 20 s (generous: a loaded machine is slow, never wrong).
template <class F>
bool eventually(F&& condition) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return condition();
}

std::shared_ptr<FakeRecord> add_fake(Coordinator& c, const std::string& name, SessionOptions options = fast()) {
  auto record = std::make_shared<FakeRecord>();
  REQUIRE(c.add(name, std::make_unique<FakeRunner>(record), options));
  return record;
}

}  // namespace

TEST_CASE("the session state table: every legal and illegal transition") {
  using S = SessionState;
  using C = SessionCommand;
  // The documented table, written out independently of the implementation.
  const std::map<std::pair<S, C>, S> legal{
      {{S::created, C::start}, S::running},   {{S::running, C::start}, S::running},
      {{S::running, C::pause}, S::paused},    {{S::paused, C::pause}, S::paused},
      {{S::paused, C::resume}, S::running},   {{S::running, C::resume}, S::running},
      {{S::created, C::stop}, S::stopping},   {{S::running, C::stop}, S::stopping},
      {{S::paused, C::stop}, S::stopping},    {{S::stopping, C::stop}, S::stopping},
      {{S::stopped, C::stop}, S::stopped},    {{S::failed, C::stop}, S::failed},
      {{S::created, C::kill}, S::stopping},   {{S::running, C::kill}, S::stopping},
      {{S::paused, C::kill}, S::stopping},    {{S::stopping, C::kill}, S::stopping},
  };
  int checked = 0;
  for (S from : {S::created, S::running, S::paused, S::stopping, S::stopped, S::failed}) {
    for (C command : {C::start, C::pause, C::resume, C::stop, C::kill}) {
      CAPTURE(to_string(from));
      CAPTURE(to_string(command));
      const Result<S> to = transition(from, command);
      const auto it = legal.find({from, command});
      if (it != legal.end()) {
        REQUIRE(to);
        CHECK(*to == it->second);
      } else {
        REQUIRE(!to);
        CHECK(to.error().code == ErrorCode::invalid_argument);
        CHECK(to.error().message ==
              fmt::format("cannot {} a {} session", to_string(command), to_string(from)));
      }
      ++checked;
    }
  }
  CHECK(checked == 30);
  CHECK(transition(S::stopped, C::resume).error().message == "cannot resume a stopped session");
}

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

TEST_CASE("SIGTERM through the installed handler shuts down gracefully [threads]") {
  Coordinator c;
  auto a = add_fake(c, "a");
  c.start_all();
  REQUIRE(eventually([&] { return a->step_count() > 0; }));
  install_signal_handlers(c);
  REQUIRE(std::raise(SIGTERM) == 0);
  c.wait();
  uninstall_signal_handlers();
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
  install_signal_handlers(c);
  REQUIRE(std::raise(SIGINT) == 0);
  REQUIRE(std::raise(SIGINT) == 0);
  auto logged = [&](std::string_view text) {
    std::lock_guard lock(log_mutex);
    return std::any_of(log.begin(), log.end(), [&](const std::string& l) { return l.find(text) != std::string::npos; });
  };
  REQUIRE(eventually([&] { return logged("second shutdown request"); }));
  a->release();
  c.wait();
  uninstall_signal_handlers();
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
  const HttpResponse health = c.health_response(RealClock{}.steady_now());
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

TEST_CASE("the HTTP control surface on a real server [threads]") {
  Coordinator c;
  auto a = add_fake(c, "a");
  auto b = add_fake(c, "b");
  c.start_all();
  REQUIRE(eventually([&] { return a->step_count() > 0 && b->step_count() > 0; }));
  net::HttpServer server([&](const HttpRequest& r) { return c.handle_http(r); });
  net::HttpClient client(server.base_url());
  auto call = [&](HttpMethod method, std::string path) {
    HttpRequest request;
    request.method = method;
    request.path = std::move(path);
    return client.send(request).value();
  };

  HttpResponse r = call(HttpMethod::get, "/sessions");
  CHECK(r.status == 200);
  CHECK(r.header("Content-Type") == "application/json");
  CHECK(r.body.find(R"({"name":"a","state":"running","status":"steps=)") != std::string::npos);
  CHECK(r.body.find(R"({"name":"b","state":"running")") != std::string::npos);

  r = call(HttpMethod::post, "/sessions/a/pause");
  CHECK(r.status == 200);
  CHECK(r.body == "{\"name\":\"a\",\"state\":\"paused\"}\n");
  CHECK(c.state("a").value() == SessionState::paused);
  REQUIRE(eventually([&] { return a->count("pause") == 1; }));

  r = call(HttpMethod::post, "/sessions/nope/pause");
  CHECK(r.status == 404);
  CHECK(r.body.find("unknown session \\\"nope\\\"") != std::string::npos);
  r = call(HttpMethod::get, "/sessions/a/pause");
  CHECK(r.status == 405);
  CHECK(r.header("Allow") == "POST");
  r = call(HttpMethod::post, "/sessions");
  CHECK(r.status == 405);
  CHECK(r.header("Allow") == "GET");
  r = call(HttpMethod::post, "/sessions/a/explode");
  CHECK(r.status == 404);

  r = call(HttpMethod::post, "/sessions/resume");
  CHECK(r.status == 200);
  CHECK(r.body.find(R"({"name":"a","state":"running")") != std::string::npos);
  CHECK(c.state("a").value() == SessionState::running);
  r = call(HttpMethod::post, "/sessions/pause");
  CHECK(r.status == 200);
  CHECK(c.state("b").value() == SessionState::paused);
  r = call(HttpMethod::get, "/sessions/pause");
  CHECK(r.status == 405);

  r = call(HttpMethod::post, "/sessions/b/stop");
  CHECK(r.status == 200);
  CHECK((r.body == "{\"name\":\"b\",\"state\":\"stopping\"}\n" || r.body == "{\"name\":\"b\",\"state\":\"stopped\"}\n"));
  REQUIRE(eventually([&] { return c.state("b").value() == SessionState::stopped; }));
  r = call(HttpMethod::post, "/sessions/b/resume");
  CHECK(r.status == 409);
  CHECK(r.body.find("cannot resume a stopped session") != std::string::npos);
  r = call(HttpMethod::get, "/sessions/b");
  CHECK(r.status == 200);
  CHECK(r.body.find(R"("state":"stopped")") != std::string::npos);

  r = call(HttpMethod::get, "/metrics");
  CHECK(r.status == 200);
  CHECK(r.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(r.body.find("fake_steps_total{session=\"a\"} ") != std::string::npos);
  CHECK(r.body.find("fake_steps_total{session=\"b\"} ") != std::string::npos);
  CHECK(r.body.find("cts_engine_session_state{session=\"b\",state=\"stopped\"} 1") != std::string::npos);
  // One HELP and one TYPE line per family.
  std::map<std::string, int> meta;
  std::size_t pos = 0;
  while (pos < r.body.size()) {
    const std::size_t eol = r.body.find('\n', pos);
    const std::string line = r.body.substr(pos, eol - pos);
    if (line.starts_with("# ")) {
      const std::size_t name_end = line.find(' ', 7);
      ++meta[line.substr(0, name_end)];
    }
    pos = eol == std::string::npos ? r.body.size() : eol + 1;
  }
  CHECK(meta["# TYPE fake_steps_total"] == 1);
  CHECK(meta["# HELP fake_steps_total"] == 1);
  for (const auto& [key, n] : meta) {
    CAPTURE(key);
    CHECK(n == 1);
  }

  r = call(HttpMethod::get, "/health");
  CHECK(r.header("Content-Type") == "application/health+json");
  CHECK(r.body.find("\"a/session:state\"") != std::string::npos);
  CHECK(r.body.find("\"b/session:state\"") != std::string::npos);
  CHECK(r.status == 200);  // a is paused (pass), b stopped on purpose (not counted)
  CHECK(call(HttpMethod::get, "/nowhere").status == 404);
  server.stop();
  c.stop_all();
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
  endpoint.limiter = c.shared_limiter(endpoint.base_url, endpoint.credentials.api_key);
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
  CHECK(c.shared_limiter(simulator.base_url(), simulator.options().api_key).use_count() == 4);  // the map, this copy, 2 sessions
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

  const HttpResponse health = c.health_response(RealClock{}.steady_now());
  CHECK(health.body.find("\"BTCUSDT/venue:connectivity\"") != std::string::npos);
  CHECK(health.body.find("\"ETHUSDT/venue:connectivity\"") != std::string::npos);
  const std::string metrics = c.metrics_text();
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
