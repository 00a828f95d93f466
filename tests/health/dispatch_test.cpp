// Tests for cts/health/dispatch.hpp: ports of Alertmanager's dispatcher and
// acceptance tests (TestBatching, TestAggrGroup, TestResolved, TestInhibiting): group_wait
// and group_interval timing, resolved alerts, routing, inhibition and silences.
#include <cts/health/dispatch.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const SystemTime T0{std::chrono::seconds{1'704'067'200}};

Alert firing(std::string_view name, std::string_view venue, SystemTime starts = {}) {
  Alert a;
  a.labels = LabelSet{{"alertname", name}, {"venue", venue}};
  a.starts_at = starts;
  return a;
}

Route simple_routes(Nanos wait, Nanos interval, Nanos repeat) {
  RouteConfig root;
  root.receiver = "oncall";
  root.group_by = std::vector<std::string>{"alertname"};
  root.group_wait = wait;
  root.group_interval = interval;
  root.repeat_interval = repeat;
  return build_routes(root);
}
}  // namespace

TEST_CASE("group_wait batches alerts into one notification") {
  Dispatcher d(simple_routes(1s, 5s, 1h));
  d.ingest(firing("X", "A", T0 + 1100ms), T0 + 1100ms);
  d.ingest(firing("X", "B", T0 + 1700ms), T0 + 1700ms);
  CHECK(d.tick(T0 + 2000ms).empty());
  auto n = d.tick(T0 + 2100ms);
  REQUIRE(n.size() == 1);
  CHECK(n[0].alerts.size() == 2);
  CHECK(n[0].group_key == R"({}:{alertname="X"})");
  CHECK(n[0].receiver == "oncall");
  CHECK(n[0].status() == AlertStatus::firing);
}

TEST_CASE("an alert resolved before group_wait is flushed as resolved only") {
  Dispatcher d(simple_routes(1s, 5s, 1h));
  Alert a = firing("X", "A", T0);
  a.ends_at = T0 + 500ms;
  d.ingest(a, T0);
  auto n = d.tick(T0 + 1s);
  REQUIRE(n.size() == 1);
  CHECK(n[0].count(AlertStatus::firing) == 0);  // the dedup stage turns this into no notification
  d.flushed(n[0], true);
  CHECK(d.group_count() == 0);
}

TEST_CASE("group_interval: a new alert waits for the next tick; an old alert flushes at once") {
  Dispatcher d(simple_routes(30s, 5min, 4h));
  d.ingest(firing("X", "A", T0), T0);
  REQUIRE(d.tick(T0 + 30s).size() == 1);
  d.ingest(firing("X", "B", T0 + 40s), T0 + 40s);
  CHECK(d.tick(T0 + 41s).empty());
  CHECK(d.tick(T0 + 30s + 5min - 1s).empty());
  auto n = d.tick(T0 + 30s + 5min);
  REQUIRE(n.size() == 1);
  CHECK(n[0].alerts.size() == 2);
  // After a restart: an alert that started long ago flushes immediately.
  Dispatcher fresh(simple_routes(30s, 5min, 4h));
  fresh.ingest(firing("Y", "A", T0 - 10min), T0);
  CHECK(fresh.tick(T0).size() == 1);
}

TEST_CASE("resolve by timeout is delivered at the first tick after it (TestResolved)") {
  DispatcherOptions options{10s};
  Dispatcher d(simple_routes(1s, 1s, 1h), Inhibitor{}, nullptr, options);
  d.ingest(firing("X", "A", T0 + 1s), T0 + 1s);  // no ends_at: resolves at 11 s
  auto n = d.tick(T0 + 2s);
  REQUIRE(n.size() == 1);
  CHECK(n[0].alerts[0].timeout);
  CHECK(n[0].status() == AlertStatus::firing);
  d.flushed(n[0], true);
  for (int s = 3; s <= 11; ++s) {
    auto t = d.tick(T0 + s * 1s);
    REQUIRE(t.size() == 1);
    const bool resolved = t[0].status() == AlertStatus::resolved;
    CHECK(resolved == (s >= 11));
    d.flushed(t[0], true);
  }
  CHECK(d.group_count() == 0);
}

TEST_CASE("flush failure keeps resolved alerts; a re-fired alert is not deleted") {
  Dispatcher d(simple_routes(1s, 5s, 1h));
  Alert a = firing("X", "A", T0);
  a.ends_at = T0 + 2s;
  d.ingest(a, T0);
  auto n = d.tick(T0 + 6s);
  REQUIRE(n.size() == 1);
  d.flushed(n[0], false);
  CHECK(d.group_count() == 1);
  Alert again = firing("X", "A", T0 + 7s);
  d.ingest(again, T0 + 7s);  // re-fires mid-flush
  d.flushed(n[0], true);
  CHECK(d.group_count() == 1);
}

TEST_CASE("routing: first match wins, continue tries siblings, options inherit") {
  RouteConfig root;
  root.receiver = "default";
  root.group_by = std::vector<std::string>{"alertname"};
  root.group_wait = 5s;
  RouteConfig fx;
  fx.matchers = {Matcher("team", MatchOp::eq, "fx")};
  fx.receiver = "fx-oncall";
  fx.continue_matching = true;
  RouteConfig audit;
  audit.matchers = {Matcher("team", MatchOp::re, ".+")};
  audit.receiver = "audit";
  audit.group_wait = 1s;
  root.routes = {fx, audit};
  const Route r = build_routes(root);
  const auto m = r.match(LabelSet{{"team", "fx"}, {"alertname", "X"}});
  REQUIRE(m.size() == 2);
  CHECK(m[0]->receiver == "fx-oncall");
  CHECK(m[0]->group_wait == 5s);
  CHECK(m[0]->key == R"({}/{team="fx"})");
  CHECK(m[1]->receiver == "audit");
  CHECK(m[1]->group_wait == 1s);
  const auto none = r.match(LabelSet{{"alertname", "X"}});
  REQUIRE(none.size() == 1);
  CHECK(none[0]->receiver == "default");
  RouteConfig bad;
  CHECK_THROWS_AS(build_routes(bad), std::invalid_argument);
}

TEST_CASE("a muted route sends nothing but still ends matching") {
  RouteConfig root;
  root.receiver = "default";
  root.group_wait = 0s;
  RouteConfig closed;
  closed.matchers = {Matcher("venue", MatchOp::eq, "XNAS")};
  closed.receiver = "xnas";
  bool market_closed = true;
  closed.muted = [&market_closed](SystemTime) { return market_closed; };
  root.routes = {closed};
  Dispatcher d(build_routes(root));
  d.ingest(firing("Stale", "XNAS", T0), T0);
  CHECK(d.tick(T0).empty());
  market_closed = false;
  auto n = d.tick(T0 + 5min);
  REQUIRE(n.size() == 1);
  CHECK(n[0].receiver == "xnas");
}

TEST_CASE("inhibition and silences apply per flush; a silenced alert stays in the group") {
  SilenceStore silences;
  Inhibitor inhibitor({InhibitRule{{Matcher("alertname", MatchOp::eq, "VenueDown")},
                                   {Matcher("alertname", MatchOp::eq, "Stale")},
                                   {"venue"}}});
  RouteConfig root;
  root.receiver = "oncall";
  root.group_by = std::vector<std::string>{"venue"};
  root.group_wait = 1s;
  root.group_interval = 10s;
  Dispatcher d(build_routes(root), inhibitor, &silences);
  Alert down = firing("VenueDown", "XNAS", T0);
  d.ingest(down, T0);
  d.ingest(firing("Stale", "XNAS", T0), T0);
  auto n = d.tick(T0 + 1s);
  REQUIRE(n.size() == 1);
  REQUIRE(n[0].alerts.size() == 1);
  CHECK(n[0].alerts[0].labels.get("alertname") == "VenueDown");
  down.ends_at = T0 + 5s;
  d.ingest(down, T0 + 5s);
  n = d.tick(T0 + 11s);
  REQUIRE(n.size() == 1);
  CHECK(n[0].alerts.size() == 2);  // the target is back; the source shows as resolved
  d.flushed(n[0], true);
  REQUIRE(silences.add(Silence{"", {Matcher("alertname", MatchOp::eq, "Stale")}, T0 + 12s, T0 + 30s, "ops", ""},
                       T0 + 12s));
  n = d.tick(T0 + 21s);
  REQUIRE(n.size() == 1);
  CHECK(n[0].alerts.empty());
  CHECK(d.group_count() == 1);  // still held in the group
  n = d.tick(T0 + 31s);
  REQUIRE(n.size() == 1);
  CHECK(n[0].alerts.size() == 1);
}
