#pragma once
/// \file
/// The engine's Monitor: evaluates the alert rules of monitor_rules.hpp over a
/// Coordinator's sessions every `monitor.interval_ms`, on its own thread, and runs what
/// follows through the health library: each rule is an AlertRule (pending for `for`,
/// firing, resolved), alerts go to the Dispatcher (grouping by alertname and session,
/// silences, inhibition of lower severities by a critical alert of the same session),
/// notifications to the Notifier with the configured channels (dedup against the
/// notification log, per-channel pacing and retries). A critical alert opens an
/// incident (IncidentManager) that pages again while unacknowledged; its resolution
/// resolves the incident. Acknowledging an alert acknowledges its incident.
///
/// The operations API (ops_api.hpp) reads and changes it through the members below;
/// every change is written to the MonitorStore (when one is given), and the state kept
/// there is loaded at construction, so the API shows what happened before a restart.
/// With a store, the notifier's outbox and notification log are kept there too: a
/// notification queued but not delivered (paced, or its channel failing) before a
/// restart or a crash is delivered after it, once; one delivered is not sent again.
///
/// Threading: every public member is thread-safe. The notifier's requests are sent by
/// the monitor thread outside the state mutex, so a slow channel never blocks the API.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/coordinator.hpp"
#include "cts/engine/monitor_config.hpp"
#include "cts/engine/monitor_rules.hpp"
#include "cts/engine/monitor_store.hpp"
#include "cts/health/alert.hpp"
#include "cts/health/channels.hpp"
#include "cts/health/dispatch.hpp"
#include "cts/health/incident.hpp"
#include "cts/health/metrics_registry.hpp"
#include "cts/health/nflog.hpp"
#include "cts/health/notifier.hpp"
#include "cts/health/outbox.hpp"
#include "cts/health/silence.hpp"

namespace cts::engine {

/// A channel and how the notifier paces and retries it.
struct MonitorChannel {
  std::unique_ptr<health::Channel> channel;  ///< The channel (its name must be unique).
  health::ChannelOptions options;            ///< Pacing, retries, timeout.
};

/// The notifier's outbox at a glance.
struct OutboxStats {
  std::size_t queued = 0;                 ///< Notifications waiting for delivery, all channels.
  std::uint64_t dropped_by_overflow = 0;  ///< Firing notifications dropped by the per-channel bound.
};

/// An alert as the operations API shows it.
struct AlertView {
  AlertRecord record;     ///< Its state.
  bool silenced = false;  ///< An active silence matches it now.
};

/// One component of the overview.
struct ComponentView {
  std::string name;          ///< "<session>/<check>" or "engine/<check>".
  ComponentStatus status = ComponentStatus::up;  ///< Its status.
  std::string output;        ///< Why it is not up (empty when up).
};

/// The overview: every component, the worst of them, and what the firing alerts add.
struct Overview {
  ComponentStatus worst = ComponentStatus::up;  ///< The worst component.
  /// The firing alerts no silence matches: down when one is critical, degraded when
  /// another fires (acknowledging an alert does not lower it: the condition still holds).
  ComponentStatus alerts_worst = ComponentStatus::up;
  std::size_t firing_alerts = 0;                ///< Firing alerts no silence matches.
  SystemTime started_at{};                      ///< When the monitor was made.
  std::vector<ComponentView> components;        ///< Sorted by name.

  /// The overall status: the worse of the components and the alerts (up: HEALTHY,
  /// degraded: DEGRADED, down: CRITICAL).
  [[nodiscard]] ComponentStatus overall() const noexcept { return std::max(worst, alerts_worst); }
};

/// The uptime of one component over a window.
struct ComponentUptime {
  std::string name;                    ///< Component.
  double uptime_ratio = 1.0;           ///< Share of samples that were UP.
  std::vector<UptimeSample> samples;   ///< The samples (at most `max_samples`, each the worst of its span).
};

/// An action on an incident.
enum class IncidentAction : std::uint8_t { acknowledge, note, resolve, close };

/// What an incident action carries (what each action reads is documented on incident_action()).
struct IncidentActionInput {
  std::string by;                                ///< Who.
  std::string text;                              ///< Note text.
  std::optional<health::NoteStatus> status;      ///< Note status.
  std::string postmortem;                        ///< Reference given on close.
};

/// Options of a Monitor.
struct MonitorOptions {
  /// Receives the monitor's own log lines (history write failures, pages). Null: none.
  /// Called from the monitor thread and API threads; must be thread-safe.
  std::function<void(std::string_view)> log;
};

/// See the file comment.
class Monitor {
 public:
  /// A monitor of `coordinator` (which must outlive it) with `config`, sending through
  /// `transport` (which must outlive it) to `channels` (one receiver; none: nothing is
  /// sent). `store` (may be null) is loaded now: its alerts, silences and incidents are
  /// the monitor's initial state. The thread starts with start(). Errors:
  /// invalid_argument for two channels of one name; the store's errors on load.
  static Result<std::unique_ptr<Monitor>> create(const Coordinator& coordinator, MonitorConfig config,
                                                 health::NotificationTransport& transport,
                                                 std::vector<MonitorChannel> channels,
                                                 std::unique_ptr<MonitorStore> store, MonitorOptions options = {});
  /// Stops the thread (stop()).
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  /// Starts the thread: evaluate() every interval, pump() in between. Once.
  void start();
  /// Stops and joins the thread after one last evaluation and pump; idempotent.
  void stop();

  /// One evaluation at `wall` / `now`: rules, dispatcher, incidents and their
  /// escalation, uptime samples, retention; then pump(). The thread calls it; tests
  /// call it directly with their own times (without start()).
  void evaluate(SystemTime wall, SteadyTime now);
  /// Sends what the notifier has due at `wall`.
  void pump(SystemTime wall);

  /// The components and their worst status at `now` (the alerts are not read).
  [[nodiscard]] Overview overview(SteadyTime now) const;
  /// overview(now) with the firing alerts that no silence matches at `wall` counted in.
  [[nodiscard]] Overview overview(SteadyTime now, SystemTime wall) const;

  /// The alerts, most recent start first: all, or the firing ones; at most `limit`.
  [[nodiscard]] std::vector<AlertView> alerts(bool firing_only, std::size_t limit, SystemTime wall) const;
  /// Alert `id`, if known.
  [[nodiscard]] std::optional<AlertView> alert(std::string_view id, SystemTime wall) const;
  /// Acknowledges firing alert `id` by `by` with `note`, and its incident when it has
  /// an open one. Errors: invalid_argument for an unknown id; invalid_transition when
  /// it is resolved or already acknowledged (nothing changes).
  Result<AlertView> acknowledge_alert(std::string_view id, std::string by, std::string note, SystemTime wall);
  /// Silences alert `id` for `duration` from `wall`: a silence whose matchers are the
  /// alert's labels. Errors: invalid_argument for an unknown id or a duration not positive.
  Result<health::Silence> silence_alert(std::string_view id, Nanos duration, std::string by, std::string comment,
                                        SystemTime wall);

  /// Every silence kept, newest first.
  [[nodiscard]] std::vector<health::Silence> silences() const;
  /// Silence `id`, if known.
  [[nodiscard]] std::optional<health::Silence> silence(std::string_view id) const;
  /// Expires silence `id` at `wall`. Errors: invalid_argument for an unknown id;
  /// invalid_transition when it has expired already.
  Result<health::Silence> expire_silence(std::string_view id, SystemTime wall);

  /// The incidents, newest first: all, or the open ones (triggered or acknowledged).
  [[nodiscard]] std::vector<IncidentRecord> incidents(bool open_only) const;
  /// Incident `id`, if known.
  [[nodiscard]] std::optional<IncidentRecord> incident(std::string_view id) const;
  /// Applies `action` to incident `id` at `wall`: acknowledge (by; only a triggered
  /// incident), note (text required, status default investigating), resolve (an open
  /// incident), close (a resolved one, with postmortem). Errors: invalid_argument for an
  /// unknown id or a note without text; invalid_transition for an illegal transition
  /// (nothing changes).
  Result<IncidentRecord> incident_action(std::string_view id, IncidentAction action, IncidentActionInput input,
                                         SystemTime wall);

  /// Every component's uptime since `since`, at most `max_samples` samples each.
  /// Errors: the store's (an empty list without a store).
  [[nodiscard]] Result<std::vector<ComponentUptime>> uptime(SystemTime since, std::size_t max_samples) const;

  /// When the monitor was made.
  [[nodiscard]] SystemTime started_at() const noexcept { return started_at_; }
  /// The notifier's counters of channel `name` (for tests and the log).
  [[nodiscard]] health::ChannelStats channel_stats(std::string_view name) const;
  /// The notifier's outbox: notifications queued and not yet delivered, and those
  /// dropped by its per-channel bound (each drop is also logged).
  [[nodiscard]] OutboxStats outbox_stats() const;
  /// The notifier's figures as Prometheus families, for the engine's /metrics:
  /// `cts_notifier_outbox_queued` (gauge), `cts_notifier_outbox_overflow_dropped_total`
  /// (firing notifications dropped by the outbox's bound), and per channel
  /// (`channel` label) `cts_notifier_attempts_total`, `cts_notifier_delivered_total`,
  /// `cts_notifier_retries_total`, `cts_notifier_dropped_total` (undeliverable) and
  /// `cts_notifier_persistence_failures_total`. A snapshot; thread-safe.
  [[nodiscard]] std::vector<health::FamilySnapshot> metric_families() const;

 private:
  struct State;
  Monitor(const Coordinator& coordinator, MonitorConfig config, health::NotificationTransport& transport,
          std::unique_ptr<MonitorStore> store, MonitorOptions options);
  void run();
  /// Opens the notification log and outbox kept in store_, so that what was queued
  /// before a restart is delivered by the next pump(). Errors: the store's.
  Result<void> reload_outbox();
  void note_alert(const health::Alert& alert, SystemTime wall);
  /// Prunes the history's oldest finished rows when it takes 80 % of monitor.max_size
  /// or more, then sets the history-size status; under mutex_.
  void bound_history(SystemTime wall);
  void save(const AlertRecord& a);
  void save(const IncidentRecord& r);
  void save(const health::Silence& s);
  [[nodiscard]] AlertView view(const AlertRecord& a, SystemTime wall) const;
  void log(std::string_view line) const;

  const Coordinator& coordinator_;
  MonitorConfig config_;
  MonitorOptions options_;
  SystemTime started_at_;
  std::unique_ptr<MonitorStore> store_;
  // Notifier side: under notifier_mutex_ (held while a request is sent).
  mutable std::mutex notifier_mutex_;
  health::Outbox outbox_;
  health::NotificationLog nflog_;
  health::Notifier notifier_;
  std::vector<std::string> channel_names_;
  std::uint64_t overflow_reported_ = 0;  // outbox drops already logged
  // State side: under mutex_.
  mutable std::mutex mutex_;
  std::unique_ptr<State> state_;
  // Thread.
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cts::engine
