// Tests for cts/engine/monitor.hpp: the engine's monitor over a coordinator whose
// session's health checks the test sets — a failing check pending for `for`, firing, a
// webhook notification in Alertmanager's format, the resolve; a critical alert's
// incident, its escalation page while unacknowledged, acknowledgement through the alert,
// auto-resolution; silences; the rules over details and metrics (drawdown, clock
// skew); the history surviving a restart of the monitor on the same store, and kept
// under monitor.max_size; notifications queued while the channel fails surviving a
// restart and delivered once after it, a delivered one not sent again.
// Evaluations are called with the test's own times; nothing sleeps but the wait for
// the session to run.
#include <cts/engine/monitor.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <mutex>

#include <cts/health/exposition.hpp>
#include <cts/store/private_temp_dir.hpp>

#include "fake_runner.hpp"
#include "health/fake_transport.hpp"
#include "monitored_runner.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::engine::testing;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kOrigin = "http://127.0.0.1:9";

// 2026-12-06T17:00:00Z.
const SystemTime kT0 = SystemTime{std::chrono::sys_days{std::chrono::year{2026} / 12 / 6}.time_since_epoch() + 17h};

MonitorConfig fast_config() {
  MonitorConfig config;
  config.interval = 1s;
  config.for_ = 2s;
  config.group_wait = 0s;
  config.group_interval = 1s;
  config.escalate_after = 10s;
  return config;
}

std::vector<MonitorChannel> webhook_channel() {
  std::vector<MonitorChannel> channels;
  channels.push_back(MonitorChannel{std::make_unique<health::WebhookV4>(
                                        "webhook", health::WebhookUrl::parse(std::string(kOrigin) + "/hook").value(), true),
                                    {}});
  return channels;
}

HttpResponse ok_response() {
  HttpResponse r;
  r.status = 200;
  return r;
}

/// A coordinator running one monitored session "s1".
struct Rig {
  Coordinator coordinator;
  std::shared_ptr<MonitoredState> session = std::make_shared<MonitoredState>();
  fake::Transport transport;

  Rig() {
    REQUIRE(coordinator.add("s1", std::make_unique<MonitoredRunner>(session), fast()));
    coordinator.start_all();
    REQUIRE(eventually([&] { return coordinator.state("s1").value() == SessionState::running; }));
    transport.set_default(std::string(kOrigin), ok_response());
  }
  std::unique_ptr<Monitor> monitor(MonitorConfig config = fast_config(), std::unique_ptr<MonitorStore> store = nullptr) {
    Result<std::unique_ptr<Monitor>> m =
        Monitor::create(coordinator, std::move(config), transport, webhook_channel(), std::move(store));
    REQUIRE(m);
    return std::move(*m);
  }
  /// A monitor on the history at `path` (opened now, as at an engine's start).
  std::unique_ptr<Monitor> monitor_on(const std::filesystem::path& path) {
    Result<std::unique_ptr<MonitorStore>> store = MonitorStore::open(path);
    REQUIRE(store);
    return monitor(fast_config(), std::move(*store));
  }
  void evaluate(Monitor& m, SystemTime at) {
    transport.now = at;
    m.evaluate(at, RealClock{}.steady_now());
  }
  /// The requests sent so far that announce `alertname` with `status` ("firing", "resolved").
  std::size_t sent(std::string_view alertname, std::string_view status) const {
    std::size_t n = 0;
    for (const fake::Call& c : transport.calls) {
      const std::string& body = c.request.body;
      n += body.find(fmt::format("\"alertname\":\"{}\"", alertname)) != std::string::npos &&
                   body.find(fmt::format("\"status\":\"{}\"", status)) != std::string::npos
               ? 1
               : 0;
    }
    return n;
  }
  std::vector<std::string> bodies() const {
    std::vector<std::string> out;
    for (const fake::Call& c : transport.calls) out.push_back(c.request.body);
    return out;
  }
};

const AlertView* find_alert(const std::vector<AlertView>& alerts, std::string_view name) {
  for (const AlertView& a : alerts) {
    if (a.record.labels.get("alertname") == name) return &a;
  }
  return nullptr;
}

// JournalErrors fires on a monitor over the history at `path` while the webhook answers
// 500, for `evaluations` seconds (one evaluation, and one attempt, a second); then the
// monitor goes, as when the engine stops or crashes, with the notification undelivered.
void fire_while_refused(Rig& rig, const std::filesystem::path& path, int evaluations) {
  rig.transport.set_default(std::string(kOrigin), fake::reply(500));
  auto monitor = rig.monitor_on(path);
  rig.session->set("journal:writable", health::Status::fail, "disk full");
  for (int i = 0; i < evaluations; ++i) rig.evaluate(*monitor, kT0 + std::chrono::seconds{i});
  CHECK(rig.sent("JournalErrors", "firing") == static_cast<std::size_t>(evaluations));
  CHECK(monitor->channel_stats("webhook").delivered == 0);
  CHECK(monitor->outbox_stats().queued == 1);
}

}  // namespace

TEST_CASE("monitor: a failing check is pending for `for`, fires, is notified by webhook and resolves [threads]") {
  Rig rig;
  auto monitor = rig.monitor();
  rig.evaluate(*monitor, kT0);
  CHECK(monitor->alerts(false, 100, kT0).empty());

  rig.session->set("venue:user-stream", health::Status::warn, "user stream down for 12 s");
  rig.evaluate(*monitor, kT0 + 1s);
  CHECK(monitor->alerts(false, 100, kT0 + 1s).empty());  // pending: `for` is 2 s
  CHECK(rig.transport.calls.empty());

  rig.evaluate(*monitor, kT0 + 3s);
  const std::vector<AlertView> firing = monitor->alerts(true, 100, kT0 + 3s);
  REQUIRE(firing.size() == 1);
  const AlertRecord& a = firing[0].record;
  CHECK(a.labels.get("alertname") == "UserStreamDown");
  CHECK(a.labels.get("severity") == "error");
  CHECK(a.labels.get("session") == "s1");
  CHECK(a.firing);
  CHECK(a.summary == "session s1: the user data stream is down");
  CHECK(a.description == "user stream down for 12 s");
  CHECK(a.id.size() == 16);
  CHECK(a.id == fmt::format("{:016x}", a.labels.fingerprint()));
  CHECK(a.incident.empty());  // not critical: no incident
  REQUIRE(rig.transport.calls.size() == 1);
  CHECK(rig.transport.calls[0].request.path == "/hook");
  CHECK(rig.transport.calls[0].request.body.find("\"status\":\"firing\"") != std::string::npos);
  CHECK(rig.transport.calls[0].request.body.find("\"alertname\":\"UserStreamDown\"") != std::string::npos);

  rig.session->set("venue:user-stream", health::Status::pass);
  rig.evaluate(*monitor, kT0 + 4s);
  CHECK(monitor->alerts(true, 100, kT0 + 4s).empty());
  const std::optional<AlertView> resolved = monitor->alert(a.id, kT0 + 4s);
  REQUIRE(resolved);
  CHECK_FALSE(resolved->record.firing);
  CHECK(resolved->record.ends_at == kT0 + 4s);
  REQUIRE(rig.transport.calls.size() == 2);
  CHECK(rig.transport.calls[1].request.body.find("\"status\":\"resolved\"") != std::string::npos);
  CHECK(monitor->channel_stats("webhook").delivered == 2);
}

TEST_CASE("monitor: a critical alert opens an incident that pages while unacknowledged and resolves with it [threads]") {
  Rig rig;
  auto monitor = rig.monitor();
  rig.session->set("journal:writable", health::Status::fail, "cannot write the journal: disk full");
  rig.evaluate(*monitor, kT0);  // JournalErrors fires at once
  std::vector<AlertView> firing = monitor->alerts(true, 100, kT0);
  REQUIRE(firing.size() == 1);
  const std::string id = firing[0].record.id;
  CHECK(firing[0].record.labels.get("alertname") == "JournalErrors");
  CHECK(firing[0].record.labels.get("severity") == "critical");
  CHECK(firing[0].record.incident == "INC-1");
  std::vector<IncidentRecord> open = monitor->incidents(true);
  REQUIRE(open.size() == 1);
  CHECK(open[0].incident.id == "INC-1");
  CHECK(open[0].incident.state == health::IncidentState::triggered);
  CHECK(open[0].title == "session s1 cannot write its journal");
  REQUIRE(open[0].timeline.size() == 1);
  CHECK(open[0].timeline[0].event == "triggered");
  CHECK(rig.transport.calls.size() == 1);

  // Not acknowledged after escalate_after (10 s): paged again.
  rig.evaluate(*monitor, kT0 + 10s);
  REQUIRE(rig.transport.calls.size() == 2);
  CHECK(rig.transport.calls[1].request.body.find("IncidentNotAcknowledged") != std::string::npos);
  CHECK(monitor->incident("INC-1")->timeline.back().event == "page");

  // Acknowledging the alert acknowledges its incident; a second time is refused.
  Result<AlertView> acked = monitor->acknowledge_alert(id, "alice", "looking", kT0 + 11s);
  REQUIRE(acked);
  CHECK(acked->record.acknowledged_by == "alice");
  CHECK(acked->record.acknowledged_at == kT0 + 11s);
  Result<AlertView> again = monitor->acknowledge_alert(id, "bob", "", kT0 + 12s);
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::invalid_transition);
  CHECK(monitor->alert(id, kT0 + 12s)->record.acknowledged_by == "alice");
  const IncidentRecord acked_incident = *monitor->incident("INC-1");
  CHECK(acked_incident.incident.state == health::IncidentState::acknowledged);
  CHECK(acked_incident.incident.acked_by == "alice");
  CHECK(acked_incident.timeline.back().event == "acknowledged");
  CHECK(acked_incident.timeline.back().by == "alice");
  // Acknowledged: no more pages.
  rig.evaluate(*monitor, kT0 + 20s);
  CHECK(rig.transport.calls.size() == 2);

  // The condition clears: the alert and its incident resolve.
  rig.session->set("journal:writable", health::Status::pass);
  rig.evaluate(*monitor, kT0 + 21s);
  CHECK_FALSE(monitor->alert(id, kT0 + 21s)->record.firing);
  const IncidentRecord resolved = *monitor->incident("INC-1");
  CHECK(resolved.incident.state == health::IncidentState::resolved);
  CHECK(resolved.incident.resolved_at == kT0 + 21s);
  CHECK(resolved.timeline.back().event == "resolved");
  CHECK(monitor->incidents(true).empty());
  REQUIRE(monitor->acknowledge_alert(id, "bob", "", kT0 + 22s).error().code == ErrorCode::invalid_transition);

  // Closing needs a resolved incident; a note needs a text.
  Result<IncidentRecord> noted = monitor->incident_action(
      "INC-1", IncidentAction::note, {"carol", "disk replaced", health::NoteStatus::monitoring, ""}, kT0 + 23s);
  REQUIRE(noted);
  CHECK(noted->timeline.back().event == "note");
  CHECK(noted->timeline.back().status == health::NoteStatus::monitoring);
  CHECK(monitor->incident_action("INC-1", IncidentAction::note, {"carol", "", std::nullopt, ""}, kT0 + 23s).error().code ==
        ErrorCode::invalid_argument);
  Result<IncidentRecord> closed =
      monitor->incident_action("INC-1", IncidentAction::close, {"carol", "", std::nullopt, "PM-7"}, kT0 + 24s);
  REQUIRE(closed);
  CHECK(closed->incident.state == health::IncidentState::closed);
  CHECK(closed->incident.postmortem == "PM-7");
  CHECK(monitor->incident_action("INC-1", IncidentAction::close, {"carol", "", std::nullopt, ""}, kT0 + 25s)
            .error()
            .code == ErrorCode::invalid_transition);
  CHECK(monitor->incident_action("INC-1", IncidentAction::acknowledge, {"carol", "", std::nullopt, ""}, kT0 + 25s)
            .error()
            .code == ErrorCode::invalid_transition);
  CHECK(monitor->incident_action("INC-9", IncidentAction::resolve, {}, kT0 + 25s).error().code ==
        ErrorCode::invalid_argument);
}

TEST_CASE("monitor: a silenced alert is shown silenced and not notified until the silence expires [threads]") {
  Rig rig;
  MonitorConfig config = fast_config();
  config.for_ = 0s;
  auto monitor = rig.monitor(config);
  rig.session->set("market-data:staleness", health::Status::warn, "last update 9000 ms ago");
  rig.evaluate(*monitor, kT0);
  REQUIRE(rig.transport.calls.size() == 1);
  const std::string id = monitor->alerts(true, 10, kT0).at(0).record.id;

  Result<health::Silence> silence = monitor->silence_alert(id, 30min, "dave", "known feed outage", kT0 + 1s);
  REQUIRE(silence);
  CHECK(silence->ends_at == kT0 + 1s + 30min);
  CHECK(silence->created_by == "dave");
  CHECK(monitor->alert(id, kT0 + 2s)->silenced);
  CHECK(monitor->silence_alert(id, 0s, "dave", "", kT0 + 1s).error().code == ErrorCode::invalid_argument);

  // A new alert of the same session while silenced: the silence matches only the first.
  rig.session->set("venue:user-stream", health::Status::warn, "user stream down");
  rig.evaluate(*monitor, kT0 + 2s);
  // The library's dispatcher leaves the silenced alert out of its group's next flush:
  // the group then holds no firing alert, which the notifier announces as a group with
  // nothing firing; the new alert of another group is notified in full.
  REQUIRE(rig.transport.calls.size() == 3);
  CHECK(rig.transport.calls[1].request.body.find("\"status\":\"resolved\",\"alerts\":[]") != std::string::npos);
  CHECK(rig.transport.calls[2].request.body.find("UserStreamDown") != std::string::npos);
  CHECK(rig.transport.calls[2].request.body.find("StaleMarketData") == std::string::npos);

  Result<health::Silence> expired = monitor->expire_silence(silence->id, kT0 + 3s);
  REQUIRE(expired);
  CHECK(expired->ends_at == kT0 + 3s);
  CHECK_FALSE(monitor->alert(id, kT0 + 3s)->silenced);
  CHECK(monitor->expire_silence(silence->id, kT0 + 4s).error().code == ErrorCode::invalid_transition);
  CHECK(monitor->expire_silence("silence-99", kT0 + 4s).error().code == ErrorCode::invalid_argument);
  REQUIRE(monitor->silences().size() == 1);
}

TEST_CASE("monitor: a rate-limit pool nearly spent warns per pool and clears with hysteresis [threads]") {
  Rig rig;
  MonitorConfig config = fast_config();
  config.for_ = 0s;
  config.headroom_percent = 10;
  auto monitor = rig.monitor(config);
  auto& used = rig.session->metrics.gauge({"cts_rate_pool_used", "used", {"pool"}});
  auto& limit = rig.session->metrics.gauge({"cts_rate_pool_limit", "limit", {"pool"}});
  limit.add({{"pool", "ORDERS"}}).set(100);
  limit.add({{"pool", "REQUEST_WEIGHT"}}).set(6000);
  used.add({{"pool", "ORDERS"}}).set(89);          // 11 % left
  used.add({{"pool", "REQUEST_WEIGHT"}}).set(100);
  rig.evaluate(*monitor, kT0);
  CHECK(monitor->alerts(true, 10, kT0).empty());
  used.add({{"pool", "ORDERS"}}).set(90);  // 10 % left: warns
  rig.evaluate(*monitor, kT0 + 1s);
  const std::vector<AlertView> firing = monitor->alerts(true, 10, kT0 + 1s);
  REQUIRE(firing.size() == 1);
  CHECK(firing[0].record.labels.get("alertname") == "RateLimitHeadroom");
  CHECK(firing[0].record.labels.get("pool") == "ORDERS");
  CHECK(firing[0].record.labels.get("severity") == "warning");
  CHECK(firing[0].record.description == "10.0% of the rate limit left (90 of 100 in use)");
  used.add({{"pool", "ORDERS"}}).set(86);  // 14 %: still within the hysteresis (clears above 15 %)
  rig.evaluate(*monitor, kT0 + 2s);
  CHECK(monitor->alerts(true, 10, kT0 + 2s).size() == 1);
  used.add({{"pool", "ORDERS"}}).set(84);  // 16 %: clears
  rig.evaluate(*monitor, kT0 + 3s);
  CHECK(monitor->alerts(true, 10, kT0 + 3s).empty());
}

TEST_CASE("monitor: PnL drawdown from the session's detail and clock skew from its offset gauge [threads]") {
  Rig rig;
  MonitorConfig config = fast_config();
  config.for_ = 0s;
  config.drawdown = Decimal::parse("50").value();
  config.clock_skew = 1000ms;
  auto monitor = rig.monitor(config);
  auto set_pnl = [&](std::string_view realized, std::string_view unrealized) {
    SessionDetail d;
    d.realized_pnl = Decimal::parse(realized).value();
    d.unrealized_pnl = Decimal::parse(unrealized).value();
    std::lock_guard lock(rig.session->mutex);
    rig.session->detail = d;
  };
  health::Gauge& offset =
      rig.session->metrics.gauge({"cts_engine_clock_offset_seconds", "offset", {}, "seconds"}).add({});
  offset.set(-0.2);
  set_pnl("100", "20");  // peak 120
  REQUIRE(eventually([&] { return rig.coordinator.states()[0].detail.has_value(); }));
  rig.evaluate(*monitor, kT0);
  set_pnl("100", "-29.99");  // 120 - 70.01 = 49.99 below the peak: not yet
  REQUIRE(eventually([&] { return rig.coordinator.states()[0].detail->unrealized_pnl.is_negative(); }));
  rig.evaluate(*monitor, kT0 + 1s);
  CHECK(monitor->alerts(true, 10, kT0 + 1s).empty());

  set_pnl("90", "-20");  // 70: 50 below the peak
  offset.set(-1.5);
  REQUIRE(eventually([&] { return rig.coordinator.states()[0].detail->realized_pnl == Decimal::from_int(90); }));
  rig.evaluate(*monitor, kT0 + 2s);
  const std::vector<AlertView> firing = monitor->alerts(true, 10, kT0 + 2s);
  const AlertView* drawdown = find_alert(firing, "PnLDrawdown");
  REQUIRE(drawdown != nullptr);
  CHECK(drawdown->record.summary == "session s1: PnL is 50 below its peak");
  CHECK(drawdown->record.incident == "INC-1");
  const AlertView* skew = find_alert(firing, "ClockSkew");
  REQUIRE(skew != nullptr);
  CHECK(skew->record.labels.get("severity") == "warning");
  CHECK(skew->record.description == "clock offset -1500.000 ms against the venue");
}

TEST_CASE("monitor: alerts, acknowledgements, silences, incidents and uptime survive a restart [threads]") {
  Result<store::PrivateTempDir> dir = store::PrivateTempDir::create("cts-monitor-test");
  REQUIRE(dir);
  const std::filesystem::path path = dir->path() / "monitor.db";
  Rig rig;
  std::string alert_id;
  std::string silence_id;
  {
    Result<std::unique_ptr<MonitorStore>> store = MonitorStore::open(path);
    REQUIRE(store);
    auto monitor = rig.monitor(fast_config(), std::move(*store));
    rig.session->set("journal:writable", health::Status::fail, "disk full");
    rig.evaluate(*monitor, kT0);
    alert_id = monitor->alerts(true, 10, kT0).at(0).record.id;
    REQUIRE(monitor->acknowledge_alert(alert_id, "alice", "on it", kT0 + 1s));
    REQUIRE(monitor->incident_action("INC-1", IncidentAction::note,
                                     {"alice", "found the disk", health::NoteStatus::identified, ""}, kT0 + 2s));
    Result<health::Silence> silence = monitor->silence_alert(alert_id, 2h, "alice", "maintenance", kT0 + 3s);
    REQUIRE(silence);
    silence_id = silence->id;
    rig.evaluate(*monitor, kT0 + 4s);
  }
  // The same store reopened by a new monitor shows what happened before.
  Result<std::unique_ptr<MonitorStore>> reopened = MonitorStore::open(path);
  REQUIRE(reopened);
  auto monitor = rig.monitor(fast_config(), std::move(*reopened));
  const std::optional<AlertView> alert = monitor->alert(alert_id, kT0 + 5s);
  REQUIRE(alert);
  CHECK(alert->record.firing);
  CHECK(alert->record.labels.get("alertname") == "JournalErrors");
  CHECK(alert->record.acknowledged_by == "alice");
  CHECK(alert->record.acknowledged_at == kT0 + 1s);
  CHECK(alert->record.acknowledge_note == "on it");
  CHECK(alert->record.incident == "INC-1");
  CHECK(alert->silenced);
  const std::optional<health::Silence> silence = monitor->silence(silence_id);
  REQUIRE(silence);
  CHECK(silence->ends_at == kT0 + 3s + 2h);
  CHECK(silence->comment == "maintenance");
  const std::optional<IncidentRecord> incident = monitor->incident("INC-1");
  REQUIRE(incident);
  CHECK(incident->incident.state == health::IncidentState::acknowledged);
  CHECK(incident->incident.acked_by == "alice");
  REQUIRE(incident->timeline.size() == 3);
  CHECK(incident->timeline[0].event == "triggered");
  CHECK(incident->timeline[1].event == "acknowledged");
  CHECK(incident->timeline[2].event == "note");
  CHECK(incident->timeline[2].status == health::NoteStatus::identified);
  CHECK(incident->timeline[2].text == "found the disk");
  CHECK(incident->timeline[2].at == kT0 + 2s);
  Result<std::vector<ComponentUptime>> uptime = monitor->uptime(kT0 - 1h, 100);
  REQUIRE(uptime);
  const auto journal = std::find_if(uptime->begin(), uptime->end(),
                                    [](const ComponentUptime& c) { return c.name == "s1/journal:writable"; });
  REQUIRE(journal != uptime->end());
  REQUIRE(journal->samples.size() == 2);  // one per evaluation
  CHECK(journal->samples[0].status == ComponentStatus::down);
  CHECK(journal->uptime_ratio == 0.0);

  // The condition cleared while the engine was down: the first evaluation resolves the
  // alert kept from before, and its incident; a new critical alert is INC-2.
  rig.session->set("journal:writable", health::Status::pass);
  rig.evaluate(*monitor, kT0 + 6s);
  CHECK_FALSE(monitor->alert(alert_id, kT0 + 6s)->record.firing);
  CHECK(monitor->incident("INC-1")->incident.state == health::IncidentState::resolved);
  rig.session->set("journal:writable", health::Status::fail, "disk full again");
  rig.evaluate(*monitor, kT0 + 7s);
  CHECK(monitor->alert(alert_id, kT0 + 7s)->record.incident == "INC-2");
  CHECK(monitor->alert(alert_id, kT0 + 7s)->record.acknowledged_by.empty());
}

TEST_CASE("monitor: the notifier's figures are Prometheus families: refused attempts, the queue, no delivery [threads]") {
  Result<store::PrivateTempDir> dir = store::PrivateTempDir::create("cts-monitor-test");
  REQUIRE(dir);
  Rig rig;
  rig.transport.set_default(std::string(kOrigin), fake::reply(500));
  auto monitor = rig.monitor_on(dir->path() / "monitor.db");
  rig.session->set("journal:writable", health::Status::fail, "disk full");
  rig.evaluate(*monitor, kT0);
  rig.evaluate(*monitor, kT0 + std::chrono::seconds{1});
  REQUIRE(rig.sent("JournalErrors", "firing") == 2);  // two attempts, both answered 500

  const std::string text = health::text_004(monitor->metric_families());
  CHECK(text.find("# TYPE cts_notifier_outbox_queued gauge\ncts_notifier_outbox_queued 1\n") != std::string::npos);
  CHECK(text.find("# TYPE cts_notifier_outbox_overflow_dropped_total counter\n"
                  "cts_notifier_outbox_overflow_dropped_total 0\n") != std::string::npos);
  CHECK(text.find("cts_notifier_attempts_total{channel=\"webhook\"} 2\n") != std::string::npos);
  CHECK(text.find("cts_notifier_delivered_total{channel=\"webhook\"} 0\n") != std::string::npos);
  CHECK(text.find("cts_notifier_dropped_total{channel=\"webhook\"} 0\n") != std::string::npos);
  CHECK(text.find("cts_notifier_persistence_failures_total{channel=\"webhook\"} 0\n") != std::string::npos);
}

TEST_CASE(
    "monitor: notifications the channel refused survive a restart, arrive once, and are not sent again [threads]") {
  Result<store::PrivateTempDir> dir = store::PrivateTempDir::create("cts-monitor-test");
  REQUIRE(dir);
  const std::filesystem::path path = dir->path() / "monitor.db";
  Rig rig;
  fire_while_refused(rig, path, 2);  // the retry (backoff at most 750 ms) fails too

  rig.transport.set_default(std::string(kOrigin), ok_response());
  {
    auto monitor = rig.monitor_on(path);
    CHECK(monitor->outbox_stats().queued == 1);
    rig.evaluate(*monitor, kT0 + 2s);  // the condition still holds: the same group flushes again
    rig.evaluate(*monitor, kT0 + 3s);
    rig.evaluate(*monitor, kT0 + 4s);
    CHECK(rig.sent("JournalErrors", "firing") == 3);  // two refused before the restart, one delivered after
    CHECK(monitor->channel_stats("webhook").delivered == 1);
    CHECK(monitor->outbox_stats().queued == 0);
  }

  {
    auto monitor = rig.monitor_on(path);
    CHECK(monitor->outbox_stats().queued == 0);
    rig.evaluate(*monitor, kT0 + 5s);
    rig.evaluate(*monitor, kT0 + 6s);
    CHECK(rig.sent("JournalErrors", "firing") == 3);  // delivered before the restart: not sent again
    CHECK(monitor->channel_stats("webhook").delivered == 0);

    // The resolution is refused, then the engine stops.
    rig.transport.set_default(std::string(kOrigin), fake::reply(500));
    rig.session->set("journal:writable", health::Status::pass);
    rig.evaluate(*monitor, kT0 + 7s);
    CHECK(rig.sent("JournalErrors", "resolved") == 1);
    CHECK(monitor->outbox_stats().queued == 1);
  }

  rig.transport.set_default(std::string(kOrigin), ok_response());
  auto monitor = rig.monitor_on(path);
  rig.evaluate(*monitor, kT0 + 8s);
  rig.evaluate(*monitor, kT0 + 9s);
  CHECK(rig.sent("JournalErrors", "resolved") == 2);  // refused once, delivered once
  CHECK(rig.sent("JournalErrors", "firing") == 3);
  CHECK(monitor->channel_stats("webhook").delivered == 1);
  CHECK(monitor->outbox_stats().queued == 0);
}

TEST_CASE("monitor: an alert that resolved while the engine was down is announced once, as resolved [threads]") {
  Result<store::PrivateTempDir> dir = store::PrivateTempDir::create("cts-monitor-test");
  REQUIRE(dir);
  const std::filesystem::path path = dir->path() / "monitor.db";
  Rig rig;
  fire_while_refused(rig, path, 1);
  // The condition cleared while the engine was down; the channel works again.
  rig.session->set("journal:writable", health::Status::pass);
  rig.transport.set_default(std::string(kOrigin), ok_response());
  auto monitor = rig.monitor_on(path);
  rig.evaluate(*monitor, kT0 + 2s);
  rig.evaluate(*monitor, kT0 + 3s);
  // The queued firing state is replaced by the current one: one request, saying the alert
  // fired (its startsAt) and resolved (its endsAt).
  CHECK(rig.sent("JournalErrors", "firing") == 1);  // the refused attempt before the restart
  CHECK(rig.sent("JournalErrors", "resolved") == 1);
  CHECK(monitor->channel_stats("webhook").delivered == 1);
  CHECK(monitor->outbox_stats().queued == 0);
}

TEST_CASE("monitor: the history past 80 % of monitor.max_size loses its oldest rows; MonitorHistorySize when it cannot") {
  Result<store::PrivateTempDir> dir = store::PrivateTempDir::create("cts-monitor-test");
  REQUIRE(dir);
  const std::filesystem::path path = dir->path() / "monitor.db";
  constexpr int kSamples = 3 * 24 * 60;  // a sample a minute for three days before kT0
  {
    Result<std::unique_ptr<MonitorStore>> store = MonitorStore::open(path);
    REQUIRE(store);
    std::vector<UptimeSample> samples;
    for (int i = 0; i < kSamples; ++i) {
      samples.push_back({"s1/venue:connectivity", kT0 - std::chrono::minutes(kSamples - i), ComponentStatus::up});
    }
    REQUIRE((*store)->add_uptime(samples));
  }
  const std::uintmax_t full = std::filesystem::file_size(path);  // closed: the log folded into the file
  Rig rig;
  std::vector<std::string> logged;
  std::mutex log_mutex;
  MonitorConfig config = fast_config();
  config.max_size = full * 100 / 85;  // the history takes 85 % of it
  Result<std::unique_ptr<MonitorStore>> store = MonitorStore::open(path);
  REQUIRE(store);
  Result<std::unique_ptr<Monitor>> created = Monitor::create(
      rig.coordinator, config, rig.transport, webhook_channel(), std::move(*store),
      MonitorOptions{[&](std::string_view line) {
        std::lock_guard lock(log_mutex);
        logged.emplace_back(line);
      }});
  REQUIRE(created);
  Monitor& monitor = **created;
  rig.evaluate(monitor, kT0);
  CHECK(std::filesystem::file_size(path) < config.max_size * 80 / 100);
  {
    std::lock_guard lock(log_mutex);
    REQUIRE(logged.size() == 1);
    CHECK(logged[0].find("oldest finished rows pruned") != std::string::npos);
  }
  Result<std::vector<ComponentUptime>> uptime = monitor.uptime(kT0 - 96h, 100000);
  REQUIRE(uptime);
  const auto connectivity = std::find_if(uptime->begin(), uptime->end(),
                                         [](const ComponentUptime& c) { return c.name == "s1/venue:connectivity"; });
  REQUIRE(connectivity != uptime->end());
  REQUIRE_FALSE(connectivity->samples.empty());
  CHECK(connectivity->samples.front().at > kT0 - std::chrono::minutes(kSamples));  // the oldest went
  CHECK(std::any_of(connectivity->samples.begin(), connectivity->samples.end(),
                    [](const UptimeSample& u) { return u.at == kT0 - 1min; }));  // the newest stayed
  const Overview fitting = monitor.overview(RealClock{}.steady_now());
  const auto component = [](const Overview& o) {
    return std::find_if(o.components.begin(), o.components.end(),
                        [](const ComponentView& c) { return c.name == "engine/monitor:history-size"; });
  };
  REQUIRE(component(fitting) != fitting.components.end());
  CHECK(component(fitting)->status == ComponentStatus::up);
  CHECK(monitor.alerts(true, 10, kT0).empty());

  // A limit below what the empty history's tables take: nothing finished is left to
  // prune, the component is down and MonitorHistorySize fires after `for`.
  MonitorConfig tiny = fast_config();
  tiny.max_size = 4096;
  Result<store::PrivateTempDir> other = store::PrivateTempDir::create("cts-monitor-test");
  REQUIRE(other);
  auto small = rig.monitor(tiny, MonitorStore::open(other->path() / "monitor.db").value());
  rig.evaluate(*small, kT0);
  rig.evaluate(*small, kT0 + 3s);
  const Overview over = small->overview(RealClock{}.steady_now());
  REQUIRE(component(over) != over.components.end());
  CHECK(component(over)->status == ComponentStatus::down);
  CHECK(component(over)->output.find("of monitor.max_size 4096") != std::string::npos);
  const std::vector<AlertView> firing = small->alerts(true, 10, kT0 + 3s);
  const AlertView* size_alert = find_alert(firing, "MonitorHistorySize");
  REQUIRE(size_alert != nullptr);
  CHECK(size_alert->record.labels.get("severity") == "warning");
  CHECK(size_alert->record.labels.get("session") == "engine");
  CHECK(size_alert->record.description.find("firing alerts, active silences and open incidents are kept") !=
        std::string::npos);
}
