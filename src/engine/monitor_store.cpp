// The monitor's SQLite history (declared in cts/engine/monitor_store.hpp).
#include "cts/engine/monitor_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "cts/health/channels.hpp"
#include "cts/store/owner_lock.hpp"
#include "cts/venue/json_reader.hpp"
#include "store/sqlite_support.hpp"

namespace cts::engine {

namespace {

using store::detail::Statement;

// "CTSM" as a big-endian 32-bit integer: PRAGMA application_id of a monitor history.
constexpr std::int32_t kApplicationId = 0x4354534D;
constexpr int kSchemaVersion = 1;
constexpr std::string_view kStore = "monitor history";

constexpr const char* kSchema =
    "BEGIN;"
    "CREATE TABLE alerts(id TEXT PRIMARY KEY, labels TEXT NOT NULL, summary TEXT NOT NULL, "
    "description TEXT NOT NULL, firing INTEGER NOT NULL, starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, "
    "acknowledged_by TEXT NOT NULL, acknowledged_at INTEGER NOT NULL, acknowledge_note TEXT NOT NULL, "
    "incident TEXT NOT NULL);"
    "CREATE TABLE silences(id TEXT PRIMARY KEY, matchers TEXT NOT NULL, starts_at INTEGER NOT NULL, "
    "ends_at INTEGER NOT NULL, created_by TEXT NOT NULL, comment TEXT NOT NULL);"
    "CREATE TABLE incidents(id TEXT PRIMARY KEY, number INTEGER NOT NULL, dedup_key TEXT NOT NULL, "
    "title TEXT NOT NULL, severity INTEGER NOT NULL, state INTEGER NOT NULL, opened_at INTEGER NOT NULL, "
    "acked_at INTEGER NOT NULL, acked_by TEXT NOT NULL, resolved_at INTEGER NOT NULL, closed_at INTEGER NOT NULL, "
    "postmortem TEXT NOT NULL, alerts TEXT NOT NULL, changed_at INTEGER NOT NULL);"
    "CREATE TABLE incident_events(incident TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, "
    "event TEXT NOT NULL, by TEXT NOT NULL, status INTEGER NOT NULL, text TEXT NOT NULL, "
    "PRIMARY KEY(incident, seq));"
    "CREATE TABLE uptime(component TEXT NOT NULL, at INTEGER NOT NULL, status INTEGER NOT NULL);"
    "CREATE INDEX uptime_by_time ON uptime(at);"
    "COMMIT;";

// The notifier's records (health::RecordStore), added to version 1 without changing
// it: a build that does not know them leaves them alone.
constexpr const char* kNotificationTables =
    "CREATE TABLE IF NOT EXISTS notification_outbox(seq INTEGER PRIMARY KEY, record BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS notification_log(seq INTEGER PRIMARY KEY, record BLOB NOT NULL);";

Error sqlite_error(sqlite3* db, std::string_view what) { return store::detail::sqlite_error(db, kStore, what); }

// A health::RecordStore kept in one table ("notification_outbox" or "notification_log")
// through the notifier's own connection, so that its writes never interleave with a
// history transaction of the other thread. That connection runs synchronous=FULL: a
// record is on disk once append() returns, as the health library's record file.
class RecordTable final : public health::RecordStore {
 public:
  RecordTable(sqlite3* db, std::string_view table)
      : db_(db),
        select_(fmt::format("SELECT record FROM {} ORDER BY seq", table)),
        insert_(fmt::format("INSERT INTO {}(record) VALUES(?)", table)),
        clear_(fmt::format("DELETE FROM {}", table)) {}

  Result<std::vector<std::string>> load() override {
    std::vector<std::string> records;
    Statement st;
    if (sqlite3_prepare_v2(db_, select_.c_str(), -1, &st.handle, nullptr) != SQLITE_OK)
      return sqlite_error(db_, select_);
    while (true) {
      const int rc = sqlite3_step(st.handle);
      if (rc == SQLITE_DONE) return records;
      if (rc != SQLITE_ROW) return sqlite_error(db_, select_);
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(st.handle, 0));
      records.emplace_back(bytes == nullptr
                               ? std::string()
                               : std::string(bytes, static_cast<std::size_t>(sqlite3_column_bytes(st.handle, 0))));
    }
  }

  Result<void> append(std::string_view record) override { return insert(record); }

  Result<void> rewrite(const std::vector<std::string>& records) override {
    if (Result<void> ok = store::detail::exec(db_, kStore, "BEGIN IMMEDIATE"); !ok) return ok;
    Result<void> done = store::detail::exec(db_, kStore, clear_.c_str());
    for (std::size_t i = 0; done && i < records.size(); ++i) done = insert(records[i]);
    if (done) done = store::detail::exec(db_, kStore, "COMMIT");
    if (!done) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return done;
  }

 private:
  Result<void> insert(std::string_view record) {
    Statement st;
    if (sqlite3_prepare_v2(db_, insert_.c_str(), -1, &st.handle, nullptr) != SQLITE_OK)
      return sqlite_error(db_, insert_);
    sqlite3_bind_blob(st.handle, 1, record.data(), static_cast<int>(record.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(st.handle) != SQLITE_DONE) return sqlite_error(db_, insert_);
    return {};
  }

  sqlite3* db_;
  std::string select_;
  std::string insert_;
  std::string clear_;
};

std::int64_t to_ns(SystemTime t) { return std::chrono::duration_cast<Nanos>(t.time_since_epoch()).count(); }
SystemTime from_ns(std::int64_t ns) { return SystemTime{std::chrono::duration_cast<SystemTime::duration>(Nanos{ns})}; }

std::string labels_json(const health::LabelSet& labels) {
  std::string out;
  health::detail::append_kv_object(out, labels);
  return out;
}

// The labels of a JSON object of strings written by labels_json().
Result<health::LabelSet> labels_from_json(std::string_view text) {
  health::LabelSet labels;
  venue::JsonReader reader;
  auto doc = reader.iterate(text);
  simdjson::ondemand::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) {
    return make_error(ErrorCode::protocol_error, "monitor history: a label set is not a JSON object");
  }
  for (auto field : object) {
    std::string_view name;
    std::string_view value;
    if (field.unescaped_key().get(name) != simdjson::SUCCESS || field.value().get_string().get(value) != simdjson::SUCCESS) {
      return make_error(ErrorCode::protocol_error, "monitor history: a label is not a string");
    }
    labels.set(std::string(name), value);
  }
  return labels;
}

// Lines of text joined by '\n' (alert names: no line breaks).
std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

std::string column_text(sqlite3_stmt* st, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, column));
  return text == nullptr ? std::string() : std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(st, column)));
}

void bind_text(sqlite3_stmt* st, int index, std::string_view text) {
  sqlite3_bind_text(st, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

// The incident's sequence number ("INC-12" -> 12), 0 when it has another shape.
std::int64_t incident_number(std::string_view id) {
  if (!id.starts_with("INC-")) return 0;
  std::int64_t n = 0;
  for (char c : id.substr(4)) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

std::string_view to_string(ComponentStatus status) noexcept {
  switch (status) {
    case ComponentStatus::up: return "UP";
    case ComponentStatus::degraded: return "DEGRADED";
    case ComponentStatus::down: return "DOWN";
  }
  return "DEGRADED";
}

std::optional<ComponentStatus> parse_component_status(std::string_view text) noexcept {
  for (ComponentStatus s : {ComponentStatus::up, ComponentStatus::degraded, ComponentStatus::down}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

struct MonitorStore::Impl {
  sqlite3* db = nullptr;
  sqlite3* notifier_db = nullptr;  // the notifier's connection (RecordTable)
  std::string path;
  std::optional<store::OwnerLock> owner;  // released after the database is closed
  std::optional<RecordTable> outbox;
  std::optional<RecordTable> notification_log;

  ~Impl() {
    sqlite3_close_v2(notifier_db);
    sqlite3_close_v2(db);
  }

  Result<void> exec(const char* sql) const { return store::detail::exec(db, kStore, sql); }

  // Prepares `sql`, lets `bind` fill it, and steps it to completion.
  template <class Bind>
  Result<void> run(const char* sql, Bind bind) const {
    Statement st;
    if (sqlite3_prepare_v2(db, sql, -1, &st.handle, nullptr) != SQLITE_OK) return sqlite_error(db, sql);
    bind(st.handle);
    if (sqlite3_step(st.handle) != SQLITE_DONE) return sqlite_error(db, sql);
    return {};
  }

  // Prepares `sql` and calls `row` for every result row.
  template <class Row>
  Result<void> query(const char* sql, Row row) const {
    Statement st;
    if (sqlite3_prepare_v2(db, sql, -1, &st.handle, nullptr) != SQLITE_OK) return sqlite_error(db, sql);
    return rows(st.handle, sql, row);
  }

  template <class Row>
  Result<void> rows(sqlite3_stmt* st, const char* sql, Row row) const {
    while (true) {
      const int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) return {};
      if (rc != SQLITE_ROW) return sqlite_error(db, sql);
      if (Result<void> ok = row(st); !ok) return ok;
    }
  }

  // Runs `body` in a transaction: committed when it succeeds, rolled back otherwise.
  template <class Body>
  Result<void> transaction(Body body) const {
    if (Result<void> ok = exec("BEGIN IMMEDIATE"); !ok) return ok;
    Result<void> done = body();
    if (done) done = exec("COMMIT");
    if (!done) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return done;
  }
};

MonitorStore::MonitorStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MonitorStore::~MonitorStore() = default;

Result<std::unique_ptr<MonitorStore>> MonitorStore::open(const std::filesystem::path& path) {
  auto impl = std::make_unique<Impl>();
  impl->path = path.string();
  Result<store::OwnerLock> owner = store::OwnerLock::acquire(path, "monitor history");
  if (!owner) return owner.error();
  impl->owner.emplace(std::move(*owner));
  if (Result<void> opened = store::detail::open_writable(impl->path, kStore, impl->db); !opened) return opened.error();
  sqlite3* db = impl->db;
  Result<std::int64_t> app_id = store::detail::query_int(db, kStore, "PRAGMA application_id");
  if (!app_id) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("monitor history {} is not a SQLite database or is damaged ({})", impl->path,
                                  app_id.error().message),
                      app_id.error().venue_code);
  }
  if (*app_id == 0) {
    Result<std::int64_t> objects = store::detail::query_int(db, kStore, "SELECT count(*) FROM sqlite_master");
    if (!objects) return objects.error();
    if (*objects != 0) {
      return make_error(ErrorCode::protocol_error,
                        fmt::format("{} is a SQLite database of another application, not a monitor history", impl->path));
    }
    if (Result<void> ok = impl->exec("PRAGMA journal_mode=WAL"); !ok) return ok.error();
    if (Result<void> ok = impl->exec(kSchema); !ok) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("monitor history {} cannot be written: {}", impl->path, ok.error().message));
    }
    const std::string marks = fmt::format("PRAGMA application_id={}; PRAGMA user_version={}", kApplicationId, kSchemaVersion);
    if (Result<void> ok = impl->exec(marks.c_str()); !ok) return ok.error();
  } else if (*app_id != kApplicationId) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("{} belongs to another application (application_id {:#x}), not a monitor history",
                                  impl->path, *app_id));
  } else {
    Result<std::int64_t> version = store::detail::query_int(db, kStore, "PRAGMA user_version");
    if (!version) return version.error();
    if (*version != kSchemaVersion) {
      return make_error(ErrorCode::protocol_error, fmt::format("monitor history {} has schema version {}, this build reads {}",
                                                               impl->path, *version, kSchemaVersion));
    }
    if (Result<void> ok = impl->exec("PRAGMA journal_mode=WAL"); !ok) return ok.error();
  }
  // History, not money: a power cut may lose the last samples, never corrupt the file.
  if (Result<void> ok = impl->exec("PRAGMA synchronous=NORMAL"); !ok) return ok.error();
  if (Result<void> ok = impl->exec(kNotificationTables); !ok) return ok.error();
  if (Result<void> opened = store::detail::open_writable(impl->path, kStore, impl->notifier_db); !opened) {
    return opened.error();
  }
  // Notifications waiting for delivery: each one is on disk before it is attempted.
  if (Result<void> ok = store::detail::exec(impl->notifier_db, kStore, "PRAGMA synchronous=FULL"); !ok)
    return ok.error();
  impl->outbox.emplace(impl->notifier_db, "notification_outbox");
  impl->notification_log.emplace(impl->notifier_db, "notification_log");
  return std::unique_ptr<MonitorStore>(new MonitorStore(std::move(impl)));
}

Result<void> MonitorStore::save_alert(const AlertRecord& a) {
  return impl_->run(
      "INSERT OR REPLACE INTO alerts(id, labels, summary, description, firing, starts_at, ends_at, acknowledged_by, "
      "acknowledged_at, acknowledge_note, incident) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
      [&](sqlite3_stmt* st) {
        bind_text(st, 1, a.id);
        bind_text(st, 2, labels_json(a.labels));
        bind_text(st, 3, a.summary);
        bind_text(st, 4, a.description);
        sqlite3_bind_int(st, 5, a.firing ? 1 : 0);
        sqlite3_bind_int64(st, 6, to_ns(a.starts_at));
        sqlite3_bind_int64(st, 7, to_ns(a.ends_at));
        bind_text(st, 8, a.acknowledged_by);
        sqlite3_bind_int64(st, 9, to_ns(a.acknowledged_at));
        bind_text(st, 10, a.acknowledge_note);
        bind_text(st, 11, a.incident);
      });
}

Result<void> MonitorStore::save_silence(const health::Silence& s) {
  health::LabelSet equal;
  for (const health::Matcher& m : s.matchers) {
    if (m.op() == health::MatchOp::eq) equal.set(m.name(), m.value());
  }
  return impl_->run(
      "INSERT OR REPLACE INTO silences(id, matchers, starts_at, ends_at, created_by, comment) VALUES(?,?,?,?,?,?)",
      [&](sqlite3_stmt* st) {
        bind_text(st, 1, s.id);
        bind_text(st, 2, labels_json(equal));
        sqlite3_bind_int64(st, 3, to_ns(s.starts_at));
        sqlite3_bind_int64(st, 4, to_ns(s.ends_at));
        bind_text(st, 5, s.created_by);
        bind_text(st, 6, s.comment);
      });
}

Result<void> MonitorStore::save_incident(const IncidentRecord& r) {
  const health::Incident& inc = r.incident;
  std::vector<std::string> names;
  for (const health::Alert& a : inc.alerts) names.emplace_back(a.labels.get("alertname"));
  SystemTime changed = inc.opened_at;
  for (SystemTime t : {inc.acked_at, inc.resolved_at, inc.closed_at}) changed = std::max(changed, t);
  for (const TimelineEntry& e : r.timeline) changed = std::max(changed, e.at);
  return impl_->transaction([&]() -> Result<void> {
    Result<void> row = impl_->run(
        "INSERT OR REPLACE INTO incidents(id, number, dedup_key, title, severity, state, opened_at, acked_at, acked_by, "
        "resolved_at, closed_at, postmortem, alerts, changed_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [&](sqlite3_stmt* st) {
          bind_text(st, 1, inc.id);
          sqlite3_bind_int64(st, 2, incident_number(inc.id));
          bind_text(st, 3, inc.dedup_key);
          bind_text(st, 4, r.title);
          sqlite3_bind_int(st, 5, static_cast<int>(inc.severity));
          sqlite3_bind_int(st, 6, static_cast<int>(inc.state));
          sqlite3_bind_int64(st, 7, to_ns(inc.opened_at));
          sqlite3_bind_int64(st, 8, to_ns(inc.acked_at));
          bind_text(st, 9, inc.acked_by);
          sqlite3_bind_int64(st, 10, to_ns(inc.resolved_at));
          sqlite3_bind_int64(st, 11, to_ns(inc.closed_at));
          bind_text(st, 12, inc.postmortem);
          bind_text(st, 13, join_lines(names));
          sqlite3_bind_int64(st, 14, to_ns(changed));
        });
    if (!row) return row;
    for (std::size_t i = 0; i < r.timeline.size(); ++i) {
      const TimelineEntry& e = r.timeline[i];
      Result<void> event = impl_->run(
          "INSERT OR IGNORE INTO incident_events(incident, seq, at, event, by, status, text) VALUES(?,?,?,?,?,?,?)",
          [&](sqlite3_stmt* st) {
            bind_text(st, 1, inc.id);
            sqlite3_bind_int64(st, 2, static_cast<std::int64_t>(i));
            sqlite3_bind_int64(st, 3, to_ns(e.at));
            bind_text(st, 4, e.event);
            bind_text(st, 5, e.by);
            sqlite3_bind_int(st, 6, e.status ? static_cast<int>(*e.status) : -1);
            bind_text(st, 7, e.text);
          });
      if (!event) return event;
    }
    return {};
  });
}

Result<void> MonitorStore::add_uptime(std::span<const UptimeSample> samples) {
  if (samples.empty()) return {};
  return impl_->transaction([&]() -> Result<void> {
    constexpr const char* kInsert = "INSERT INTO uptime(component, at, status) VALUES(?,?,?)";
    Statement st;
    if (sqlite3_prepare_v2(impl_->db, kInsert, -1, &st.handle, nullptr) != SQLITE_OK) {
      return sqlite_error(impl_->db, kInsert);
    }
    for (const UptimeSample& s : samples) {
      sqlite3_reset(st.handle);
      bind_text(st.handle, 1, s.component);
      sqlite3_bind_int64(st.handle, 2, to_ns(s.at));
      sqlite3_bind_int(st.handle, 3, static_cast<int>(s.status));
      if (sqlite3_step(st.handle) != SQLITE_DONE) return sqlite_error(impl_->db, kInsert);
    }
    return {};
  });
}

Result<std::vector<UptimeSample>> MonitorStore::uptime_since(SystemTime since) const {
  constexpr const char* kSelect = "SELECT component, at, status FROM uptime WHERE at >= ? ORDER BY component, at";
  Statement st;
  if (sqlite3_prepare_v2(impl_->db, kSelect, -1, &st.handle, nullptr) != SQLITE_OK) {
    return sqlite_error(impl_->db, kSelect);
  }
  sqlite3_bind_int64(st.handle, 1, to_ns(since));
  std::vector<UptimeSample> out;
  Result<void> read = impl_->rows(st.handle, kSelect, [&](sqlite3_stmt* row) -> Result<void> {
    const int status = sqlite3_column_int(row, 2);
    if (status < 0 || status > static_cast<int>(ComponentStatus::down)) {
      return make_error(ErrorCode::protocol_error, "monitor history: an uptime sample has an unknown status");
    }
    out.push_back(UptimeSample{column_text(row, 0), from_ns(sqlite3_column_int64(row, 1)),
                               static_cast<ComponentStatus>(status)});
    return {};
  });
  if (!read) return read.error();
  return out;
}

Result<std::uint64_t> MonitorStore::prune(SystemTime before) {
  const std::int64_t cut = to_ns(before);
  std::uint64_t removed = 0;
  Result<void> done = impl_->transaction([&]() -> Result<void> {
    static constexpr const char* kDeletes[] = {
        "DELETE FROM uptime WHERE at < ?1",
        "DELETE FROM alerts WHERE firing = 0 AND ends_at < ?1",
        "DELETE FROM silences WHERE ends_at < ?1",
        "DELETE FROM incident_events WHERE incident IN (SELECT id FROM incidents WHERE state >= 2 AND changed_at < ?1)",
        "DELETE FROM incidents WHERE state >= 2 AND changed_at < ?1",
    };
    for (const char* sql : kDeletes) {
      Result<void> ok = impl_->run(sql, [&](sqlite3_stmt* st) { sqlite3_bind_int64(st, 1, cut); });
      if (!ok) return ok;
      removed += static_cast<std::uint64_t>(sqlite3_changes(impl_->db));
    }
    return {};
  });
  if (!done) return done.error();
  return removed;
}

health::RecordStore& MonitorStore::notification_outbox() { return *impl_->outbox; }

health::RecordStore& MonitorStore::notification_log() { return *impl_->notification_log; }

std::uint64_t MonitorStore::size_bytes() const { return store::detail::database_bytes(impl_->path); }

Result<std::uint64_t> MonitorStore::shrink_to(std::uint64_t target_bytes, SystemTime now) {
  // The bytes of the pages in use (the file keeps freed pages until VACUUM).
  const auto used = [&]() -> Result<std::uint64_t> {
    Result<std::int64_t> pages = store::detail::query_int(impl_->db, kStore, "PRAGMA page_count");
    if (!pages) return pages.error();
    Result<std::int64_t> free = store::detail::query_int(impl_->db, kStore, "PRAGMA freelist_count");
    if (!free) return free.error();
    Result<std::int64_t> page = store::detail::query_int(impl_->db, kStore, "PRAGMA page_size");
    if (!page) return page.error();
    return static_cast<std::uint64_t>((*pages - *free) * *page);
  };
  if (size_bytes() <= target_bytes) return 0;
  const std::string oldest_sql = fmt::format(
      "SELECT coalesce(min(t), 0) FROM (SELECT min(at) AS t FROM uptime UNION ALL "
      "SELECT min(ends_at) FROM alerts WHERE firing = 0 UNION ALL SELECT min(ends_at) FROM silences WHERE ends_at < {0} "
      "UNION ALL SELECT min(changed_at) FROM incidents WHERE state >= 2)",
      to_ns(now));
  Result<std::int64_t> oldest = store::detail::query_int(impl_->db, kStore, oldest_sql.c_str());
  if (!oldest) return oldest.error();
  std::uint64_t removed = 0;
  const std::int64_t span = to_ns(now) - *oldest;
  for (int eighth = 1; *oldest != 0 && span > 0 && eighth <= 8; ++eighth) {
    // One nanosecond past the cutoff: prune() keeps rows at its cutoff, and the last
    // step must reach `now`.
    Result<std::uint64_t> pruned = prune(from_ns(*oldest + span / 8 * eighth + (eighth == 8 ? span % 8 + 1 : 0)));
    if (!pruned) return pruned.error();
    removed += *pruned;
    Result<std::uint64_t> kept = used();
    if (!kept) return kept.error();
    if (*kept <= target_bytes) break;
  }
  // Failing these leaves the rows deleted and the file larger: the next call retries.
  (void)impl_->exec("VACUUM");
  (void)impl_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return removed;
}

Result<MonitorHistory> MonitorStore::load() const {
  MonitorHistory out;
  Result<void> alerts = impl_->query(
      "SELECT id, labels, summary, description, firing, starts_at, ends_at, acknowledged_by, acknowledged_at, "
      "acknowledge_note, incident FROM alerts ORDER BY starts_at",
      [&](sqlite3_stmt* st) -> Result<void> {
        Result<health::LabelSet> labels = labels_from_json(column_text(st, 1));
        if (!labels) return labels.error();
        AlertRecord a;
        a.id = column_text(st, 0);
        a.labels = std::move(*labels);
        a.summary = column_text(st, 2);
        a.description = column_text(st, 3);
        a.firing = sqlite3_column_int(st, 4) != 0;
        a.starts_at = from_ns(sqlite3_column_int64(st, 5));
        a.ends_at = from_ns(sqlite3_column_int64(st, 6));
        a.acknowledged_by = column_text(st, 7);
        a.acknowledged_at = from_ns(sqlite3_column_int64(st, 8));
        a.acknowledge_note = column_text(st, 9);
        a.incident = column_text(st, 10);
        out.alerts.push_back(std::move(a));
        return {};
      });
  if (!alerts) return alerts.error();
  Result<void> silences = impl_->query(
      "SELECT id, matchers, starts_at, ends_at, created_by, comment FROM silences ORDER BY starts_at",
      [&](sqlite3_stmt* st) -> Result<void> {
        Result<health::LabelSet> equal = labels_from_json(column_text(st, 1));
        if (!equal) return equal.error();
        health::Silence s;
        s.id = column_text(st, 0);
        for (const health::Label& l : equal->labels()) s.matchers.emplace_back(l.name, health::MatchOp::eq, l.value);
        s.starts_at = from_ns(sqlite3_column_int64(st, 2));
        s.ends_at = from_ns(sqlite3_column_int64(st, 3));
        s.created_by = column_text(st, 4);
        s.comment = column_text(st, 5);
        out.silences.push_back(std::move(s));
        return {};
      });
  if (!silences) return silences.error();
  Result<void> incidents = impl_->query(
      "SELECT id, dedup_key, title, severity, state, opened_at, acked_at, acked_by, resolved_at, closed_at, "
      "postmortem, alerts FROM incidents ORDER BY number",
      [&](sqlite3_stmt* st) -> Result<void> {
        const int severity = sqlite3_column_int(st, 3);
        const int state = sqlite3_column_int(st, 4);
        if (severity < 0 || severity > static_cast<int>(health::Severity::critical) || state < 0 ||
            state > static_cast<int>(health::IncidentState::closed)) {
          return make_error(ErrorCode::protocol_error, "monitor history: an incident has an unknown severity or state");
        }
        IncidentRecord r;
        health::Incident& inc = r.incident;
        inc.id = column_text(st, 0);
        inc.dedup_key = column_text(st, 1);
        r.title = column_text(st, 2);
        inc.severity = static_cast<health::Severity>(severity);
        inc.state = static_cast<health::IncidentState>(state);
        inc.opened_at = from_ns(sqlite3_column_int64(st, 5));
        inc.acked_at = from_ns(sqlite3_column_int64(st, 6));
        inc.acked_by = column_text(st, 7);
        inc.resolved_at = from_ns(sqlite3_column_int64(st, 8));
        inc.closed_at = from_ns(sqlite3_column_int64(st, 9));
        inc.postmortem = column_text(st, 10);
        const std::string names = column_text(st, 11);
        for (std::size_t start = 0; start < names.size();) {
          const std::size_t end = std::min(names.find('\n', start), names.size());
          health::Alert a;
          a.labels.set("alertname", std::string_view(names).substr(start, end - start));
          inc.alerts.push_back(std::move(a));
          start = end + 1;
        }
        out.incidents.push_back(std::move(r));
        return {};
      });
  if (!incidents) return incidents.error();
  for (IncidentRecord& r : out.incidents) {
    constexpr const char* kEvents =
        "SELECT at, event, by, status, text FROM incident_events WHERE incident = ? ORDER BY seq";
    Statement st;
    if (sqlite3_prepare_v2(impl_->db, kEvents, -1, &st.handle, nullptr) != SQLITE_OK) {
      return sqlite_error(impl_->db, kEvents);
    }
    bind_text(st.handle, 1, r.incident.id);
    Result<void> events = impl_->rows(st.handle, kEvents, [&](sqlite3_stmt* row) -> Result<void> {
      TimelineEntry e;
      e.at = from_ns(sqlite3_column_int64(row, 0));
      e.event = column_text(row, 1);
      e.by = column_text(row, 2);
      const int status = sqlite3_column_int(row, 3);
      if (status >= 0 && status <= static_cast<int>(health::NoteStatus::monitoring)) {
        e.status = static_cast<health::NoteStatus>(status);
      }
      e.text = column_text(row, 4);
      r.timeline.push_back(std::move(e));
      return {};
    });
    if (!events) return events.error();
  }
  return out;
}

}  // namespace cts::engine
