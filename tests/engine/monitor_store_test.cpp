// Tests for cts/engine/monitor_store.hpp: the monitor's SQLite history — rows written,
// the file closed and reopened, read back; retention deletes only what is older than
// the cut (and never an open incident or a firing alert); shrinking to a size deletes
// the oldest finished rows first and gives the space back; a file that is not a monitor
// history, or one another owner holds, is refused with an error naming it; the
// notifier's outbox and log records kept beside the history, never pruned.
#include <cts/engine/monitor_store.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <cts/store/private_temp_dir.hpp>
#include <cts/store/sqlite_journal.hpp>

using namespace cts;
using namespace cts::engine;
using namespace std::chrono_literals;

namespace {

const SystemTime kT0 = SystemTime{std::chrono::sys_days{std::chrono::year{2026} / 12 / 6}.time_since_epoch() + 17h};

AlertRecord alert(std::string id, bool firing, SystemTime starts, SystemTime ends) {
  AlertRecord a;
  a.id = std::move(id);
  a.labels = health::LabelSet{{"alertname", "UserStreamDown"}, {"session", "BTCUSDT"}, {"severity", "error"}};
  a.summary = "session BTCUSDT: the user data stream is down";
  a.description = "quote \" and \\ and \xC3\xA9";
  a.firing = firing;
  a.starts_at = starts;
  a.ends_at = ends;
  return a;
}

IncidentRecord incident(std::string id, health::IncidentState state, SystemTime opened) {
  IncidentRecord r;
  r.incident.id = std::move(id);
  r.incident.dedup_key = "00000000000000ab";
  r.incident.severity = health::Severity::critical;
  r.incident.state = state;
  r.incident.opened_at = opened;
  if (state >= health::IncidentState::resolved) r.incident.resolved_at = opened + 1min;
  health::Alert a;
  a.labels.set("alertname", "JournalErrors");
  r.incident.alerts.push_back(a);
  r.title = "session BTCUSDT cannot write its journal";
  r.timeline.push_back(TimelineEntry{opened, "triggered", "", std::nullopt, "JournalErrors: disk full"});
  return r;
}

}  // namespace

TEST_CASE("monitor store: written, closed, reopened and read back; retention cuts only old finished rows") {
  Result<store::PrivateTempDir> dir = store::PrivateTempDir::create("cts-monitor-store");
  REQUIRE(dir);
  const auto path = dir->path() / "monitor.db";
  {
    auto store = MonitorStore::open(path);
    REQUIRE(store);
    REQUIRE((*store)->save_alert(alert("00000000000000aa", false, kT0 - 48h, kT0 - 47h)));  // old, resolved
    REQUIRE((*store)->save_alert(alert("00000000000000ab", true, kT0 - 48h, {})));           // old, still firing
    AlertRecord acked = alert("00000000000000ac", true, kT0, {});
    acked.acknowledged_by = "alice";
    acked.acknowledged_at = kT0 + 1s;
    acked.acknowledge_note = "on it";
    acked.incident = "INC-2";
    REQUIRE((*store)->save_alert(acked));
    health::Silence silence;
    silence.id = "silence-3";
    silence.matchers = {health::Matcher("alertname", health::MatchOp::eq, "UserStreamDown"),
                        health::Matcher("session", health::MatchOp::eq, "BTCUSDT")};
    silence.starts_at = kT0;
    silence.ends_at = kT0 + 2h;
    silence.created_by = "bob";
    silence.comment = "venue maintenance";
    REQUIRE((*store)->save_silence(silence));
    REQUIRE((*store)->save_incident(incident("INC-1", health::IncidentState::closed, kT0 - 48h)));      // old, closed
    REQUIRE((*store)->save_incident(incident("INC-9", health::IncidentState::triggered, kT0 - 48h)));   // old, open
    IncidentRecord noted = incident("INC-2", health::IncidentState::acknowledged, kT0);
    noted.timeline.push_back(TimelineEntry{kT0 + 5s, "note", "carol", health::NoteStatus::monitoring, "watching"});
    REQUIRE((*store)->save_incident(noted));
    const std::vector<UptimeSample> samples{{"BTCUSDT/venue:connectivity", kT0 - 48h, ComponentStatus::up},
                                            {"BTCUSDT/venue:connectivity", kT0, ComponentStatus::down},
                                            {"engine/notify:webhook", kT0, ComponentStatus::degraded}};
    REQUIRE((*store)->add_uptime(samples));
    Result<std::uint64_t> pruned = (*store)->prune(kT0 - 24h);
    REQUIRE(pruned);
    CHECK(*pruned == 4);  // the old sample, the old resolved alert, the closed incident and its event
  }
  auto store = MonitorStore::open(path);
  REQUIRE(store);
  Result<MonitorHistory> history = (*store)->load();
  REQUIRE(history);
  REQUIRE(history->alerts.size() == 2);
  CHECK(history->alerts[0].id == "00000000000000ab");
  const AlertRecord& a = history->alerts[1];
  CHECK(a.id == "00000000000000ac");
  CHECK(a.labels.get("alertname") == "UserStreamDown");
  CHECK(a.labels.get("severity") == "error");
  CHECK(a.description == "quote \" and \\ and \xC3\xA9");
  CHECK(a.firing);
  CHECK(a.starts_at == kT0);
  CHECK(a.ends_at == SystemTime{});
  CHECK(a.acknowledged_by == "alice");
  CHECK(a.acknowledged_at == kT0 + 1s);
  CHECK(a.acknowledge_note == "on it");
  CHECK(a.incident == "INC-2");
  REQUIRE(history->silences.size() == 1);
  CHECK(history->silences[0].id == "silence-3");
  CHECK(history->silences[0].matchers.size() == 2);
  CHECK(history->silences[0].created_by == "bob");
  CHECK(history->silences[0].ends_at == kT0 + 2h);
  REQUIRE(history->incidents.size() == 2);
  CHECK(history->incidents[0].incident.id == "INC-2");  // by number
  CHECK(history->incidents[1].incident.id == "INC-9");
  const IncidentRecord& r = history->incidents[0];
  CHECK(r.incident.state == health::IncidentState::acknowledged);
  CHECK(r.incident.severity == health::Severity::critical);
  CHECK(r.title == "session BTCUSDT cannot write its journal");
  REQUIRE(r.incident.alerts.size() == 1);
  CHECK(r.incident.alerts[0].labels.get("alertname") == "JournalErrors");
  REQUIRE(r.timeline.size() == 2);
  CHECK(r.timeline[1].event == "note");
  CHECK(r.timeline[1].by == "carol");
  CHECK(r.timeline[1].status == health::NoteStatus::monitoring);
  CHECK_FALSE(r.timeline[0].status);
  Result<std::vector<UptimeSample>> uptime = (*store)->uptime_since(kT0 - 72h);
  REQUIRE(uptime);
  REQUIRE(uptime->size() == 2);
  CHECK(uptime->at(0).component == "BTCUSDT/venue:connectivity");
  CHECK(uptime->at(0).status == ComponentStatus::down);
  CHECK(uptime->at(1).status == ComponentStatus::degraded);
}

TEST_CASE("monitor store: another owner, a journal and a file that is not SQLite are refused, naming the file") {
  Result<store::PrivateTempDir> dir = store::PrivateTempDir::create("cts-monitor-store");
  REQUIRE(dir);
  const auto path = dir->path() / "monitor.db";
  auto first = MonitorStore::open(path);
  REQUIRE(first);
  auto second = MonitorStore::open(path);
  REQUIRE_FALSE(second);
  CHECK(second.error().code == ErrorCode::invalid_argument);
  CHECK(second.error().message.find("in use") != std::string::npos);

  const auto journal_path = dir->path() / "journal.sqlite";
  {
    auto journal = store::SqliteJournal::open(journal_path);
    REQUIRE(journal);
  }
  auto journal = MonitorStore::open(journal_path);
  REQUIRE_FALSE(journal);
  CHECK(journal.error().code == ErrorCode::protocol_error);
  CHECK(journal.error().message.find("not a monitor history") != std::string::npos);

  const auto text_path = dir->path() / "notes.txt";
  std::ofstream(text_path) << "this is not a database, just some text long enough to fill a header page....";
  auto text = MonitorStore::open(text_path);
  REQUIRE_FALSE(text);
  CHECK(text.error().code == ErrorCode::protocol_error);
  CHECK(text.error().message.find(text_path.string()) != std::string::npos);
}

TEST_CASE("monitor store: shrinking to a size deletes the oldest finished rows first, never what is going on") {
  Result<store::PrivateTempDir> dir = store::PrivateTempDir::create("cts-monitor-store");
  REQUIRE(dir);
  const auto path = dir->path() / "monitor.db";
  constexpr int kSamples = 6 * 24 * 60;  // a sample a minute for six days, the last at kT0
  {
    auto store = MonitorStore::open(path);
    REQUIRE(store);
    std::vector<UptimeSample> samples;
    for (int i = 0; i < kSamples; ++i) {
      samples.push_back({"BTCUSDT/venue:connectivity", kT0 - std::chrono::minutes(kSamples - 1 - i), ComponentStatus::up});
    }
    REQUIRE((*store)->add_uptime(samples));
    REQUIRE((*store)->save_alert(alert("00000000000000aa", false, kT0 - 150h, kT0 - 140h)));  // the oldest, resolved
    REQUIRE((*store)->save_alert(alert("00000000000000ab", true, kT0 - 150h, {})));            // as old, firing
    REQUIRE((*store)->save_incident(incident("INC-9", health::IncidentState::triggered, kT0 - 150h)));  // open
    health::Silence silence;
    silence.id = "silence-1";
    silence.matchers = {health::Matcher("session", health::MatchOp::eq, "BTCUSDT")};
    silence.starts_at = kT0 - 150h;
    silence.ends_at = kT0 + 1h;  // still active
    REQUIRE((*store)->save_silence(silence));
  }
  // Reopened: the write-ahead log was folded into the file at close.
  auto store = MonitorStore::open(path);
  REQUIRE(store);
  const std::uint64_t full = (*store)->size_bytes();
  CHECK(full == std::filesystem::file_size(path));
  Result<std::uint64_t> nothing = (*store)->shrink_to(full, kT0);
  REQUIRE(nothing);
  CHECK(*nothing == 0);  // it fits already

  const std::uint64_t target = full / 2;
  Result<std::uint64_t> removed = (*store)->shrink_to(target, kT0);
  REQUIRE(removed);
  CHECK((*store)->size_bytes() <= target);
  CHECK(std::filesystem::file_size(path) <= target);  // the space is given back
  Result<std::vector<UptimeSample>> kept = (*store)->uptime_since(kT0 - 1000h);
  REQUIRE(kept);
  CHECK(*removed == static_cast<std::uint64_t>(kSamples) - kept->size() + 1);  // the samples and the resolved alert
  CHECK(kept->size() > static_cast<std::size_t>(kSamples) / 4);  // no more than needed: eighths of the span
  CHECK(kept->size() < static_cast<std::size_t>(kSamples) / 2);
  // The newest are those kept, up to the last one.
  CHECK(kept->back().at == kT0);
  CHECK(kept->front().at == kT0 - std::chrono::minutes(kept->size() - 1));
  Result<MonitorHistory> history = (*store)->load();
  REQUIRE(history);
  REQUIRE(history->alerts.size() == 1);
  CHECK(history->alerts[0].id == "00000000000000ab");
  REQUIRE(history->incidents.size() == 1);
  CHECK(history->incidents[0].incident.id == "INC-9");
  CHECK(history->silences.size() == 1);

  // Below what is going on: every finished row goes, and the rest stays.
  Result<std::uint64_t> all = (*store)->shrink_to(1, kT0);
  REQUIRE(all);
  CHECK(*all == kept->size());
  CHECK((*store)->uptime_since(kT0 - 1000h)->empty());
  history = (*store)->load();
  REQUIRE(history);
  CHECK(history->alerts.size() == 1);
  CHECK(history->incidents.size() == 1);
  CHECK(history->silences.size() == 1);
}

TEST_CASE("monitor store: the notifier's records survive a reopen; retention and shrinking never delete them") {
  Result<store::PrivateTempDir> dir = store::PrivateTempDir::create("cts-monitor-store");
  REQUIRE(dir);
  const auto path = dir->path() / "monitor.db";
  const std::string binary("queued\0with a zero byte", 23);
  {
    auto store = MonitorStore::open(path);
    REQUIRE(store);
    health::RecordStore& outbox = (*store)->notification_outbox();
    REQUIRE(outbox.append("first"));
    REQUIRE(outbox.append("second"));
    REQUIRE(outbox.rewrite({"second", binary}));  // a compaction
    REQUIRE((*store)->notification_log().append("delivered"));
    REQUIRE((*store)->save_alert(alert("00000000000000aa", false, kT0 - 150h, kT0 - 140h)));
  }
  auto store = MonitorStore::open(path);
  REQUIRE(store);
  const std::vector<std::string> outbox{"second", binary};
  const std::vector<std::string> log{"delivered"};
  CHECK((*store)->notification_outbox().load().value() == outbox);
  CHECK((*store)->notification_log().load().value() == log);
  Result<std::uint64_t> pruned = (*store)->prune(kT0);
  REQUIRE(pruned);
  CHECK(*pruned == 1);  // the resolved alert
  REQUIRE((*store)->shrink_to(1, kT0));
  CHECK((*store)->notification_outbox().load().value() == outbox);
  CHECK((*store)->notification_log().load().value() == log);
}
