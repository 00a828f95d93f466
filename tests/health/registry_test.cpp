// Tests for cts/health/registry.hpp: aggregation (worst wins, groups), stale checks
// turning unknown, scheduled probes through the debouncer, watchers, shutdown.
#include <cts/health/registry.hpp>

#include <doctest/doctest.h>

#include <thread>

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {

CheckSpec spec(std::string name, CheckKind kind, Criticality crit = Criticality::critical) {
  CheckSpec s;
  s.name = std::move(name);
  s.kind = kind;
  s.criticality = crit;
  s.period = 1s;
  s.failure_threshold = 1;
  return s;
}

// A check whose next results are scripted.
class ScriptedCheck final : public Check {
 public:
  explicit ScriptedCheck(std::vector<Result<CheckResult>>* script) : script_(script) {}
  Result<CheckResult> probe(SteadyTime, SystemTime wall) override {
    auto r = script_->front();
    script_->erase(script_->begin());
    if (r) r->time = wall;
    return r;
  }

 private:
  std::vector<Result<CheckResult>>* script_;
};

Result<CheckResult> ok(Status s) { return CheckResult{s, std::nullopt, {}, {}, {}}; }

}  // namespace

TEST_CASE("aggregation: worst wins, non-critical caps at warn, empty is unknown") {
  ManualClock clock;
  const auto now = clock.steady_now();
  HealthRegistry reg;
  CHECK(reg.aggregate(CheckKind::readiness, now) == Status::unknown);
  reg.add_pushed(spec("binance:session", CheckKind::readiness), now);
  reg.add_pushed(spec("journal:lag", CheckKind::readiness, Criticality::non_critical), now);
  reg.add_pushed(spec("process:loop", CheckKind::liveness), now);
  REQUIRE(reg.set_status("binance:session", Status::pass, now));
  REQUIRE(reg.set_status("journal:lag", Status::fail, now));
  CHECK(reg.aggregate(CheckKind::readiness, now) == Status::warn);
  REQUIRE(reg.set_status("binance:session", Status::fail, now));
  CHECK(reg.aggregate(CheckKind::readiness, now) == Status::fail);
  CHECK(reg.aggregate(CheckKind::liveness, now) == Status::pass);  // liveness starts as pass
  CHECK_FALSE(reg.set_status("nope", Status::pass, now));
  CHECK(reg.check("nope", now).error().code == ErrorCode::invalid_argument);
  CHECK_THROWS_AS(reg.add_pushed(spec("process:loop", CheckKind::liveness), now), std::invalid_argument);
}

TEST_CASE("named groups aggregate their members") {
  ManualClock clock;
  const auto now = clock.steady_now();
  HealthRegistry reg;
  auto a = spec("binance:md", CheckKind::readiness);
  a.groups = {"binance"};
  auto b = spec("okx:md", CheckKind::readiness);
  b.groups = {"okx"};
  reg.add_pushed(a, now);
  reg.add_pushed(b, now);
  REQUIRE(reg.set_status("binance:md", Status::pass, now));
  REQUIRE(reg.set_status("okx:md", Status::fail, now));
  CHECK(reg.aggregate("binance", now) == Status::pass);
  CHECK(reg.aggregate("okx", now) == Status::fail);
  CHECK(reg.aggregate("kraken", now) == Status::unknown);
}

TEST_CASE("a check that stops reporting becomes unknown, never stays healthy") {
  ManualClock clock;
  HealthRegistry reg;
  auto s = spec("feed:itch", CheckKind::readiness);
  s.staleness_limit = 5s;
  reg.add_pushed(s, clock.steady_now());
  REQUIRE(reg.set_status("feed:itch", Status::pass, clock.steady_now()));
  clock.advance(5s);
  CHECK(reg.check("feed:itch", clock.steady_now()).value() == Status::pass);
  clock.advance(1ms);
  CHECK(reg.check("feed:itch", clock.steady_now()).value() == Status::unknown);
  CHECK(reg.aggregate(CheckKind::readiness, clock.steady_now()) == Status::unknown);
  CHECK(reg.list(clock.steady_now()).at(0).stale);
}

TEST_CASE("probes run on schedule, through the debouncer; probe errors do not count") {
  ManualClock clock;
  HealthRegistry reg;
  std::vector<Result<CheckResult>> script{ok(Status::pass), ok(Status::fail), ok(Status::fail),
                                          make_error(ErrorCode::timeout, "probe timed out"), ok(Status::fail)};
  auto s = spec("venue:ping", CheckKind::readiness);
  s.failure_threshold = 3;
  s.initial_delay = 2s;
  reg.add(s, std::make_unique<ScriptedCheck>(&script), clock.steady_now());
  reg.tick(clock.steady_now(), clock.system_now());
  CHECK(script.size() == 5);  // not due before the initial delay
  auto tick = [&] {
    clock.advance(1s);
    reg.tick(clock.steady_now(), clock.system_now());
    return reg.check("venue:ping", clock.steady_now()).value();
  };
  clock.advance(1s);
  CHECK(tick() == Status::pass);  // t=2 s: first probe
  CHECK(tick() == Status::pass);  // F (run 1)
  CHECK(tick() == Status::pass);  // F (run 2)
  CHECK(tick() == Status::pass);  // error: run unchanged
  CHECK(tick() == Status::fail);  // F (run 3)
  const auto snap = reg.list(clock.steady_now()).at(0);
  CHECK(snap.probe_errors == 1);
  CHECK(snap.last_error == "probe timed out");
}

TEST_CASE("watch: current value at once, changes only, unknown name then real value") {
  ManualClock clock;
  const auto now = clock.steady_now();
  HealthRegistry reg;
  auto early = reg.watch("binance:session", now);
  CHECK(early->next() == Status::unknown);
  reg.add_pushed(spec("binance:session", CheckKind::readiness), now);
  CHECK(early->next() == Status::fail);  // readiness starts as fail
  REQUIRE(reg.set_status("binance:session", Status::pass, now));
  auto w = reg.watch("binance:session", now);
  CHECK(w->next() == Status::pass);
  CHECK_FALSE(w->next());
  REQUIRE(reg.set_status("binance:session", Status::pass, now));
  CHECK_FALSE(w->next());  // no change, nothing delivered
  REQUIRE(reg.set_status("binance:session", Status::fail, now));
  REQUIRE(reg.set_status("binance:session", Status::pass, now));
  CHECK_FALSE(w->next());  // fail then pass before reading: back to what the reader has
}

TEST_CASE("shutdown makes everything out-of-service and ignores updates; resume restores") {
  ManualClock clock;
  const auto now = clock.steady_now();
  HealthRegistry reg;
  reg.add_pushed(spec("a:b", CheckKind::readiness), now);
  REQUIRE(reg.set_status("a:b", Status::pass, now));
  auto w = reg.watch("a:b", now);
  CHECK(w->next() == Status::pass);
  reg.shutdown(now);
  CHECK(w->next() == Status::out_of_service);
  CHECK(reg.aggregate(CheckKind::readiness, now) == Status::out_of_service);
  CHECK(reg.set_status("a:b", Status::fail, now).error().code == ErrorCode::cancelled);
  reg.resume(now);
  CHECK(w->next() == Status::pass);
}

TEST_CASE("watch: a slow subscriber sees the final value and never blocks the publisher [threads]") {
  ManualClock clock;
  HealthRegistry reg;
  reg.add_pushed(spec("a:b", CheckKind::readiness), clock.steady_now());
  auto w = reg.watch("a:b", clock.steady_now());
  std::thread publisher([&] {
    for (int i = 0; i < 1000; ++i) {
      (void)reg.set_status("a:b", i % 2 == 0 ? Status::pass : Status::warn, clock.steady_now());
    }
    (void)reg.set_status("a:b", Status::pass, clock.steady_now());
  });
  publisher.join();  // completes without any reader
  std::optional<Status> last;
  while (auto s = w->next()) last = s;
  CHECK(last == Status::pass);
}
