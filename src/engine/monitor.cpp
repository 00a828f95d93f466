// The Monitor's evaluation loop (declared in cts/engine/monitor.hpp); the operations
// the API calls are in monitor_operations.cpp.
#include "cts/engine/monitor.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "engine/monitor_state.hpp"

namespace cts::engine {

namespace {

/// Pages of an unacknowledged incident after the first: this many, `escalate_after` apart.
constexpr std::size_t kEscalationPages = 3;
/// Retention is applied at most this often.
constexpr std::chrono::minutes kPruneInterval{10};
/// Share of monitor.max_size from which the oldest history is pruned, and at which the
/// MonitorHistorySize alert warns when pruning leaves that much.
constexpr std::uint64_t kHistoryWarnPercent = 80;
/// Share of monitor.max_size the pruning brings the history down to.
constexpr std::uint64_t kHistoryTargetPercent = 60;
/// The receiver every alert is routed to.
constexpr std::string_view kReceiver = "engine";

health::Route engine_routes(const MonitorConfig& config) {
  health::RouteConfig root;
  root.receiver = std::string(kReceiver);
  root.group_by = std::vector<std::string>{"alertname", "session"};
  root.group_wait = config.group_wait;
  root.group_interval = config.group_interval;
  root.repeat_interval = config.repeat_interval;
  return health::build_routes(root);
}

/// A critical alert of a session mutes that session's warnings and errors.
health::Inhibitor engine_inhibitor() {
  health::InhibitRule rule;
  rule.source = {health::Matcher("severity", health::MatchOp::eq, "critical")};
  rule.target = {health::Matcher("severity", health::MatchOp::re, "warning|error")};
  rule.equal = {"session"};
  return health::Inhibitor({std::move(rule)});
}

health::EscalationPolicy engine_escalation(const MonitorConfig& config) {
  health::EscalationPolicy policy;
  // Step 0 pages at trigger time: the alert's own notification. The later steps page
  // again while nobody has acknowledged.
  for (std::size_t i = 0; i <= kEscalationPages; ++i) {
    policy.steps.push_back(health::EscalationStep{config.escalate_after, {"on-call"}, health::EscalationCondition::if_not_acked});
  }
  return policy;
}

health::AlertRule make_rule(const AlertRuleSpec& spec, const MonitorConfig& config) {
  health::RuleTiming timing;
  timing.for_ = spec.immediate ? Nanos::zero() : Nanos(config.for_);
  timing.eval_interval = config.interval;
  return health::AlertRule(std::string(spec.alertname), timing);
}

}  // namespace

Result<std::unique_ptr<Monitor>> Monitor::create(const Coordinator& coordinator, MonitorConfig config,
                                                 health::NotificationTransport& transport,
                                                 std::vector<MonitorChannel> channels,
                                                 std::unique_ptr<MonitorStore> store, MonitorOptions options) {
  std::optional<MonitorHistory> history;
  if (store) {
    Result<MonitorHistory> loaded = store->load();
    if (!loaded) return loaded.error();
    history = std::move(*loaded);
  }
  std::unique_ptr<Monitor> monitor(new Monitor(coordinator, std::move(config), transport, std::move(store), std::move(options)));
  for (MonitorChannel& c : channels) {
    const std::string name = c.channel->name();
    try {
      monitor->notifier_.add_channel(std::string(kReceiver), std::move(c.channel), std::move(c.options));
    } catch (const std::invalid_argument&) {
      return make_error(ErrorCode::invalid_argument, fmt::format("monitor: two channels are named {}", name));
    }
    monitor->channel_names_.push_back(name);
  }
  if (monitor->store_) {
    if (Result<void> ok = monitor->reload_outbox(); !ok) return ok.error();
  }
  if (history) {
    State& s = *monitor->state_;
    for (AlertRecord& a : history->alerts) {
      const std::string id = a.id;
      s.alerts.emplace(id, std::move(a));
    }
    for (health::Silence& silence : history->silences) (void)s.silences.restore(std::move(silence));
    const SystemTime restarted = monitor->started_at_;
    for (IncidentRecord& r : history->incidents) {
      // Escalation goes on from the restart: the next page is escalate_after from now
      // (the first, the alert's own notification, was sent before).
      r.incident.escalation_started_at = restarted;
      r.incident.next_step = 1;
      if (!s.incidents.restore(r.incident)) continue;
      s.incident_order.push_back(r.incident.id);
      const std::string id = r.incident.id;
      s.incident_records.emplace(id, std::move(r));
    }
  }
  return monitor;
}

Monitor::Monitor(const Coordinator& coordinator, MonitorConfig config, health::NotificationTransport& transport,
                 std::unique_ptr<MonitorStore> store, MonitorOptions options)
    : coordinator_(coordinator),
      config_(std::move(config)),
      options_(std::move(options)),
      started_at_(RealClock{}.system_now()),
      store_(std::move(store)),
      notifier_(transport, outbox_, nflog_),
      state_(std::make_unique<State>(engine_routes(config_), engine_inhibitor(), config_, engine_escalation(config_))) {
  for (const AlertRuleSpec& spec : alert_rules()) state_->rules.emplace(std::string(spec.alertname), make_rule(spec, config_));
}

Monitor::~Monitor() { stop(); }

void Monitor::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void Monitor::stop() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Monitor::run() {
  const RealClock clock;
  SteadyTime next_eval = clock.steady_now();
  while (true) {
    const SteadyTime now = clock.steady_now();
    if (now >= next_eval) {
      evaluate(clock.system_now(), now);
      next_eval = now + config_.interval;
    } else {
      pump(clock.system_now());
    }
    std::unique_lock lock(wake_mutex_);
    // Between evaluations the notifier's retries are sent when due (at least every 100 ms).
    const SteadyTime wake = std::min(next_eval, clock.steady_now() + std::chrono::milliseconds{100});
    wake_.wait_until(lock, std::chrono::steady_clock::time_point(wake.time_since_epoch()), [&] { return stopping_; });
    if (stopping_) break;
  }
  evaluate(clock.system_now(), clock.steady_now());
}

void Monitor::evaluate(SystemTime wall, SteadyTime now) {
  const std::vector<SessionRegistries> sessions = coordinator_.registries();
  const std::vector<SessionInfo> infos = coordinator_.states();
  const Overview components = overview(now);
  std::vector<health::Notification> due;
  std::vector<health::Notification> pages;
  {
    std::lock_guard lock(mutex_);
    State& s = *state_;
    bound_history(wall);
    std::vector<AlertCondition> conditions = s.evaluator.evaluate(sessions, infos, now, wall);
    if (s.history_status != health::Status::pass) {
      conditions.push_back(AlertCondition{
          "MonitorHistorySize",
          health::LabelSet{{"session", "engine"}, {"severity", to_string(health::Severity::warning)}},
          "the monitor's history nears or passes monitor.max_size", s.history_output});
    }
    std::set<std::string> present;
    for (auto& [name, rule] : s.rules) {
      std::vector<health::RuleInstance> instances;
      for (const AlertCondition& c : conditions) {
        if (c.alertname != name) continue;
        instances.push_back(health::RuleInstance{
            c.labels, health::LabelSet{{"summary", c.summary}, {"description", c.description}}});
        present.insert(alert_id(c.labels.with("alertname", name).fingerprint()));
      }
      for (health::Alert& alert : rule.eval(instances, wall)) {
        note_alert(alert, wall);
        s.dispatcher.ingest(std::move(alert), wall);
      }
    }
    // A firing alert whose condition no longer holds resolves now, also one kept from
    // before a restart (its rule starts afresh and would never announce it).
    for (auto& [id, record] : s.alerts) {
      if (!record.firing || present.count(id) != 0 || s.rules.count(record.labels.get("alertname")) == 0) continue;
      health::Alert resolved;
      resolved.labels = record.labels;
      resolved.annotations = health::LabelSet{{"summary", record.summary}, {"description", record.description}};
      resolved.starts_at = record.starts_at;
      resolved.ends_at = wall;
      note_alert(resolved, wall);
      s.dispatcher.ingest(std::move(resolved), wall);
    }
    for (const health::Page& page : s.incidents.tick(wall)) {
      if (page.step == 0 && page.loop == 0) continue;  // the alert's own notification
      auto record = s.incident_records.find(page.incident_id);
      if (record == s.incident_records.end()) continue;
      record->second.timeline.push_back(TimelineEntry{
          wall, "page", "", std::nullopt,
          fmt::format("not acknowledged after {} min: paging again", page.step * config_.escalate_after.count() / 60'000)});
      save(record->second);
      health::Alert alert;
      alert.labels = health::LabelSet{{"alertname", "IncidentNotAcknowledged"},
                                      {"incident", page.incident_id},
                                      {"severity", "critical"}};
      alert.annotations = health::LabelSet{{"summary", fmt::format("{} is not acknowledged: {}", page.incident_id,
                                                                   record->second.title)}};
      alert.starts_at = wall;
      alert.ends_at = wall + config_.escalate_after;
      health::Notification n;
      n.receiver = std::string(kReceiver);
      n.group_labels = health::LabelSet{{"incident", page.incident_id}};
      n.group_key = fmt::format("page:{}:{}", page.incident_id, page.step);
      n.alerts = {std::move(alert)};
      n.at = wall;
      pages.push_back(std::move(n));
      log(fmt::format("monitor: {} not acknowledged, paging again (step {})", page.incident_id, page.step));
    }
    if (store_) {
      std::vector<UptimeSample> samples;
      samples.reserve(components.components.size());
      for (const ComponentView& c : components.components) samples.push_back(UptimeSample{c.name, wall, c.status});
      if (Result<void> added = store_->add_uptime(samples); !added) {
        log(fmt::format("monitor: uptime samples not kept: {}", added.error().to_string()));
      }
      if (wall - s.last_prune >= kPruneInterval) {
        s.last_prune = wall;
        if (Result<std::uint64_t> pruned = store_->prune(wall - config_.retention); !pruned) {
          log(fmt::format("monitor: history retention failed: {}", pruned.error().to_string()));
        }
      }
    }
    s.silences.gc(wall, config_.retention);
    due = s.dispatcher.tick(wall);
  }
  std::vector<std::pair<std::size_t, bool>> outcomes;
  std::vector<health::Alert> meta;
  {
    std::lock_guard lock(notifier_mutex_);
    for (std::size_t i = 0; i < due.size(); ++i) {
      const Result<void> queued = notifier_.submit(due[i]);
      if (!queued) log(fmt::format("monitor: a notification was not queued: {}", queued.error().to_string()));
      outcomes.emplace_back(i, static_cast<bool>(queued));
    }
    for (const health::Notification& n : pages) {
      if (Result<void> queued = notifier_.send_now(n, health::NotifyReason::first_notification); !queued) {
        log(fmt::format("monitor: a page was not queued: {}", queued.error().to_string()));
      }
    }
    meta = notifier_.take_meta_alerts();
    // What each channel was told is kept as long as the history (at least a repeat interval).
    const Nanos kept = std::max<Nanos>(config_.retention, config_.repeat_interval);
    if (Result<void> gone = nflog_.gc(wall, kept); !gone) {
      log(fmt::format("monitor: the notification log was not pruned: {}", gone.error().to_string()));
    }
  }
  {
    std::lock_guard lock(mutex_);
    for (const auto& [i, ok] : outcomes) state_->dispatcher.flushed(due[i], ok);
    for (health::Alert& alert : meta) {
      note_alert(alert, wall);
      state_->dispatcher.ingest(std::move(alert), wall);
    }
  }
  pump(wall);
}

void Monitor::bound_history(SystemTime wall) {
  State& s = *state_;
  const std::uint64_t limit = config_.max_size;
  if (!store_ || limit == 0) return;
  const std::uint64_t before = store_->size_bytes();
  if (before * 100 >= limit * kHistoryWarnPercent) {
    Result<std::uint64_t> removed = store_->shrink_to(limit * kHistoryTargetPercent / 100, wall);
    if (!removed) {
      log(fmt::format("monitor: pruning the history to monitor.max_size failed: {}", removed.error().to_string()));
    } else if (*removed > 0) {
      log(fmt::format("monitor: the history took {} bytes of monitor.max_size {}: its {} oldest finished rows pruned, "
                      "{} bytes now",
                      before, limit, *removed, store_->size_bytes()));
    }
  }
  const std::uint64_t size = store_->size_bytes();
  s.history_status = size >= limit                                   ? health::Status::fail
                     : size * 100 >= limit * kHistoryWarnPercent ? health::Status::warn
                                                                   : health::Status::pass;
  s.history_output = s.history_status == health::Status::pass
                         ? std::string()
                         : fmt::format("the monitor's history takes {} bytes of monitor.max_size {} ({}%) after pruning "
                                       "every finished row it could: firing alerts, active silences and open incidents "
                                       "are kept",
                                       size, limit, size * 100 / limit);
}

Result<void> Monitor::reload_outbox() {
  std::lock_guard lock(notifier_mutex_);
  if (Result<void> ok = nflog_.open(store_->notification_log()); !ok) return ok.error();
  if (Result<void> ok = outbox_.open(store_->notification_outbox()); !ok) return ok.error();
  if (outbox_.size() == 0) return {};
  std::size_t configured = 0;
  for (const std::string& name : channel_names_) configured += outbox_.items_of(name).size();
  log(fmt::format("monitor: {} notifications queued before the restart are sent again", configured));
  if (configured != outbox_.size()) {
    log(fmt::format("monitor: {} queued notifications are for channels no longer configured: kept until they are",
                    outbox_.size() - configured));
  }
  return {};
}

void Monitor::pump(SystemTime wall) {
  std::map<std::string, health::ChannelState, std::less<>> states;
  {
    std::lock_guard lock(notifier_mutex_);
    notifier_.pump(wall);
    for (const std::string& name : channel_names_) states[name] = notifier_.state(name);
    if (outbox_.dropped_by_overflow() > overflow_reported_) {
      log(fmt::format("monitor: the outbox overflowed: {} firing notifications dropped ({} in all), resolved ones kept",
                      outbox_.dropped_by_overflow() - overflow_reported_, outbox_.dropped_by_overflow()));
      overflow_reported_ = outbox_.dropped_by_overflow();
    }
  }
  std::lock_guard lock(mutex_);
  state_->channel_states = std::move(states);
}

void Monitor::note_alert(const health::Alert& alert, SystemTime wall) {
  State& s = *state_;
  const std::string id = alert_id(alert.fingerprint());
  const bool firing = alert.status_at(wall) == health::AlertStatus::firing;
  auto it = s.alerts.find(id);
  if (firing) {
    const std::string summary(alert.annotations.get("summary"));
    const std::string description(alert.annotations.get("description"));
    if (it != s.alerts.end() && it->second.firing) {
      if (it->second.summary != summary || it->second.description != description) {
        it->second.summary = summary;
        it->second.description = description;
        save(it->second);
      }
      return;
    }
    AlertRecord record;
    record.id = id;
    record.labels = alert.labels;
    record.summary = summary;
    record.description = description;
    record.firing = true;
    record.starts_at = alert.starts_at != SystemTime{} ? alert.starts_at : wall;
    if (alert.labels.get("severity") == "critical") {
      const bool joins = s.incidents.open_for(id) != nullptr;
      record.incident = s.incidents.trigger(id, alert, health::Severity::critical, wall);
      if (!joins) s.incident_order.push_back(record.incident);
      IncidentRecord& incident = s.incident_records[record.incident];
      incident.incident = *s.incidents.get(record.incident);
      if (incident.title.empty()) incident.title = summary.empty() ? std::string(alert.labels.get("alertname")) : summary;
      incident.timeline.push_back(TimelineEntry{wall, "triggered", "", std::nullopt,
                                                fmt::format("{}: {}", alert.labels.get("alertname"), description)});
      save(incident);
    }
    save(record);
    s.alerts.insert_or_assign(id, std::move(record));
    return;
  }
  if (it == s.alerts.end() || !it->second.firing) return;
  AlertRecord& record = it->second;
  record.firing = false;
  record.ends_at = alert.ends_at != SystemTime{} ? std::min(alert.ends_at, wall) : wall;
  save(record);
  if (record.incident.empty() || s.incidents.open_for(id) == nullptr) return;
  if (!s.incidents.resolve(id, wall)) return;
  auto incident = s.incident_records.find(record.incident);
  if (incident == s.incident_records.end()) return;
  incident->second.incident = *s.incidents.get(record.incident);
  incident->second.timeline.push_back(TimelineEntry{wall, "resolved", "", std::nullopt,
                                                    fmt::format("{} resolved", record.labels.get("alertname"))});
  save(incident->second);
}

void Monitor::save(const AlertRecord& a) {
  if (!store_) return;
  if (Result<void> ok = store_->save_alert(a); !ok) log(fmt::format("monitor: alert {} not kept: {}", a.id, ok.error().to_string()));
}

void Monitor::save(const IncidentRecord& r) {
  if (!store_) return;
  if (Result<void> ok = store_->save_incident(r); !ok) {
    log(fmt::format("monitor: incident {} not kept: {}", r.incident.id, ok.error().to_string()));
  }
}

void Monitor::save(const health::Silence& silence) {
  if (!store_) return;
  if (Result<void> ok = store_->save_silence(silence); !ok) {
    log(fmt::format("monitor: silence {} not kept: {}", silence.id, ok.error().to_string()));
  }
}

void Monitor::log(std::string_view line) const {
  if (options_.log) options_.log(line);
}

OutboxStats Monitor::outbox_stats() const {
  std::lock_guard lock(notifier_mutex_);
  return OutboxStats{outbox_.size(), outbox_.dropped_by_overflow()};
}

std::vector<health::FamilySnapshot> Monitor::metric_families() const {
  std::lock_guard lock(notifier_mutex_);
  const SystemTime created = started_at_;
  std::vector<health::FamilySnapshot> families;
  families.push_back(health::FamilySnapshot{"cts_notifier_outbox_queued",
                                            "Notifications queued and not yet delivered, all channels",
                                            "",
                                            health::MetricType::gauge,
                                            {{{}, static_cast<double>(outbox_.size()), created}}});
  families.push_back(health::FamilySnapshot{
      "cts_notifier_outbox_overflow_dropped",
      "Firing notifications dropped because a channel's outbox was full (resolved ones are never dropped)",
      "",
      health::MetricType::counter,
      {{{}, std::uint64_t{outbox_.dropped_by_overflow()}, created}}});
  struct PerChannel {
    std::string_view name;
    std::string_view help;
    std::uint64_t health::ChannelStats::*field;
  };
  static constexpr PerChannel kPerChannel[] = {
      {"cts_notifier_attempts", "Delivery attempts sent, per channel", &health::ChannelStats::attempts},
      {"cts_notifier_delivered", "Notifications the channel confirmed, per channel", &health::ChannelStats::delivered},
      {"cts_notifier_retries", "Attempts that failed and will be retried, per channel", &health::ChannelStats::retries},
      {"cts_notifier_dropped", "Notifications dropped as undeliverable, per channel", &health::ChannelStats::dropped},
      {"cts_notifier_persistence_failures", "Outbox or notification-log writes that failed, per channel",
       &health::ChannelStats::persistence_failures},
  };
  for (const PerChannel& figure : kPerChannel) {
    health::FamilySnapshot family{std::string(figure.name), std::string(figure.help), "", health::MetricType::counter,
                                  {}};
    for (const std::string& channel : channel_names_) {
      const health::ChannelStats stats = notifier_.stats(channel);
      family.children.push_back(health::ChildSnapshot{health::LabelSet{{"channel", channel}}, stats.*figure.field, created});
    }
    families.push_back(std::move(family));
  }
  return families;
}

health::ChannelStats Monitor::channel_stats(std::string_view name) const {
  std::lock_guard lock(notifier_mutex_);
  return notifier_.stats(name);
}

}  // namespace cts::engine
