#pragma once
/// \file
/// The Monitor's history (monitor.hpp) in SQLite, so that the operations API shows what
/// happened before a restart: each alert's last state with its acknowledgement, the
/// silences, the incidents with their timeline, and one uptime sample per component
/// per evaluation. prune() deletes what is older than the retention. The file is owned
/// by one process at a time (an OwnerLock on `<path>.lock`, as the journal).
/// It also keeps the notifier's outbox and notification log (notification_outbox(),
/// notification_log()), so that notifications queued but not yet delivered survive a
/// restart or a crash; retention and shrink_to() never delete those.
/// Not thread-safe: the Monitor calls the history under its own mutex, and the two
/// record stores (on a connection of their own) under its notifier's mutex.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/health/incident.hpp"
#include "cts/health/labels.hpp"
#include "cts/health/record_store.hpp"
#include "cts/health/silence.hpp"

namespace cts::engine {

/// How the operations API shows a component: pass is up, warn (and unknown, stale or
/// out of service) degraded, fail down.
enum class ComponentStatus : std::uint8_t { up, degraded, down };

/// "UP", "DEGRADED" or "DOWN".
std::string_view to_string(ComponentStatus status) noexcept;
/// The status named by to_string(), if any.
std::optional<ComponentStatus> parse_component_status(std::string_view text) noexcept;

/// The last known state of one alert (identified by its labels' fingerprint).
struct AlertRecord {
  std::string id;                 ///< The label fingerprint, 16 lower-case hex digits.
  health::LabelSet labels;        ///< Its labels (alertname, severity, session...).
  std::string summary;            ///< One line.
  std::string description;        ///< Detail (a check's output).
  bool firing = true;             ///< Firing, or resolved.
  SystemTime starts_at{};         ///< When it (last) started firing.
  SystemTime ends_at{};           ///< When it resolved; zero while firing.
  std::string acknowledged_by;    ///< Who acknowledged it (this firing); empty if nobody.
  SystemTime acknowledged_at{};   ///< When; zero if not acknowledged.
  std::string acknowledge_note;   ///< The note given with the acknowledgement.
  std::string incident;           ///< The incident it opened or joined ("INC-3"); empty if none.
};

/// One event of an incident's timeline.
struct TimelineEntry {
  SystemTime at{};                            ///< When.
  std::string event;                          ///< triggered, acknowledged, note, resolved, closed or page.
  std::string by;                             ///< Who (empty: the engine).
  std::optional<health::NoteStatus> status;   ///< A note's status.
  std::string text;                           ///< What.
};

/// An incident with what the operations API shows besides its on-call state.
struct IncidentRecord {
  health::Incident incident;            ///< State as the IncidentManager keeps it (alerts: their labels only).
  std::string title;                    ///< One line.
  std::vector<TimelineEntry> timeline;  ///< In order.
};

/// One uptime sample.
struct UptimeSample {
  std::string component;                        ///< "<session>/<check>" or "engine/<check>".
  SystemTime at{};                              ///< When it was taken.
  ComponentStatus status = ComponentStatus::up; ///< What it showed.
};

/// Everything load() returns.
struct MonitorHistory {
  std::vector<AlertRecord> alerts;          ///< Every alert kept.
  std::vector<health::Silence> silences;    ///< Every silence kept (equality matchers only).
  std::vector<IncidentRecord> incidents;    ///< Every incident kept, oldest first.
};

/// See the file comment.
class MonitorStore {
 public:
  /// Opens (creating if needed) the history at `path`. Errors: invalid_argument when
  /// another process owns it or it cannot be written; protocol_error when the file is
  /// not a monitor history (another SQLite database, another schema version) or is
  /// damaged; internal for other SQLite failures. Messages name the path.
  static Result<std::unique_ptr<MonitorStore>> open(const std::filesystem::path& path);
  /// Closes the database, then releases the lock.
  ~MonitorStore();
  MonitorStore(const MonitorStore&) = delete;
  MonitorStore& operator=(const MonitorStore&) = delete;

  /// Inserts or replaces alert `a.id`.
  Result<void> save_alert(const AlertRecord& a);
  /// Inserts or replaces silence `s.id` (its equality matchers are kept, others are dropped).
  Result<void> save_silence(const health::Silence& s);
  /// Inserts or replaces incident `r.incident.id` and its timeline.
  Result<void> save_incident(const IncidentRecord& r);
  /// Appends `samples` in one transaction.
  Result<void> add_uptime(std::span<const UptimeSample> samples);
  /// The uptime samples taken at or after `since`, by component then time.
  Result<std::vector<UptimeSample>> uptime_since(SystemTime since) const;
  /// Deletes uptime samples, resolved alerts, expired silences and resolved or closed
  /// incidents whose last change is before `before`. Returns how many rows went.
  Result<std::uint64_t> prune(SystemTime before);
  /// The bytes the history takes on disk: its file and write-ahead log.
  [[nodiscard]] std::uint64_t size_bytes() const;
  /// Brings the history down to `target_bytes` or less by deleting the oldest finished
  /// rows first: prune() with a cutoff moved from the oldest such row toward `now` in
  /// eighths until the rows kept fit, then VACUUM and a checkpoint that truncates the
  /// write-ahead log give the space back to the file system (O(size)). What is still
  /// going on at `now` (a firing alert, an active silence, an open incident) is never
  /// deleted, so the history may stay above the target. Returns how many rows went
  /// (0 when it fits already). Errors: those of prune() (nothing more deleted then).
  Result<std::uint64_t> shrink_to(std::uint64_t target_bytes, SystemTime now);
  /// Everything kept but the uptime samples.
  Result<MonitorHistory> load() const;
  /// The records of the notifier's outbox (health::Outbox::open): every notification
  /// queued for a channel and not yet confirmed. Each append is on disk (synchronous
  /// commit) when it returns. Valid as long as the store.
  health::RecordStore& notification_outbox();
  /// The records of the notifier's notification log (health::NotificationLog::open):
  /// what each channel was last told, so that nothing delivered is sent again after a
  /// restart. Valid as long as the store.
  health::RecordStore& notification_log();

 private:
  struct Impl;
  explicit MonitorStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cts::engine
