// What the operations API reads and changes in a Monitor (declared in
// cts/engine/monitor.hpp): the overview, alerts, silences, incidents and uptime.
#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "cts/engine/monitor.hpp"
#include "engine/monitor_state.hpp"

namespace cts::engine {

namespace {

ComponentStatus component_status(health::Status s) noexcept {
  switch (s) {
    case health::Status::pass: return ComponentStatus::up;
    case health::Status::fail: return ComponentStatus::down;
    default: return ComponentStatus::degraded;
  }
}

ComponentStatus session_status(const SessionRegistries& s) noexcept {
  switch (s.state) {
    case SessionState::running: return s.why.empty() ? ComponentStatus::up : ComponentStatus::degraded;
    case SessionState::failed: return ComponentStatus::down;
    default: return ComponentStatus::degraded;
  }
}

ComponentStatus channel_status(health::ChannelState s) noexcept {
  switch (s) {
    case health::ChannelState::healthy: return ComponentStatus::up;
    case health::ChannelState::degraded: return ComponentStatus::degraded;
    case health::ChannelState::disabled: return ComponentStatus::down;
  }
  return ComponentStatus::degraded;
}

bool is_open(const health::Incident& inc) noexcept {
  return inc.state == health::IncidentState::triggered || inc.state == health::IncidentState::acknowledged;
}

}  // namespace

Overview Monitor::overview(SteadyTime now) const {
  Overview out;
  out.started_at = started_at_;
  for (const SessionRegistries& s : coordinator_.registries()) {
    out.components.push_back(ComponentView{fmt::format("{}/session:state", s.name), session_status(s),
                                           s.why.empty() ? std::string(to_string(s.state)) : s.why});
    if (s.health == nullptr) continue;
    for (const health::CheckSnapshot& check : s.health->list(now)) {
      const ComponentStatus status = component_status(check.status);
      std::string output = check.last_result ? check.last_result->output : std::string();
      if (output.empty() && status != ComponentStatus::up) output = std::string(health::to_string(check.status));
      out.components.push_back(ComponentView{fmt::format("{}/{}", s.name, check.name), status, std::move(output)});
    }
  }
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, state] : state_->channel_states) {
      const ComponentStatus status = channel_status(state);
      out.components.push_back(ComponentView{fmt::format("engine/notify:{}", name), status,
                                             status == ComponentStatus::up ? std::string() : "notifications fail"});
    }
    if (store_ && config_.max_size != 0) {
      out.components.push_back(ComponentView{"engine/monitor:history-size", component_status(state_->history_status),
                                             state_->history_output});
    }
  }
  std::sort(out.components.begin(), out.components.end(),
            [](const ComponentView& a, const ComponentView& b) { return a.name < b.name; });
  for (const ComponentView& c : out.components) out.worst = std::max(out.worst, c.status);
  return out;
}

Overview Monitor::overview(SteadyTime now, SystemTime wall) const {
  Overview out = overview(now);
  std::lock_guard lock(mutex_);
  for (const auto& [id, a] : state_->alerts) {
    if (!a.firing || !state_->silences.silenced_by(a.labels, wall).empty()) continue;
    ++out.firing_alerts;
    const ComponentStatus status =
        a.labels.get("severity") == "critical" ? ComponentStatus::down : ComponentStatus::degraded;
    out.alerts_worst = std::max(out.alerts_worst, status);
  }
  return out;
}

AlertView Monitor::view(const AlertRecord& a, SystemTime wall) const {
  return AlertView{a, a.firing && !state_->silences.silenced_by(a.labels, wall).empty()};
}

std::vector<AlertView> Monitor::alerts(bool firing_only, std::size_t limit, SystemTime wall) const {
  std::lock_guard lock(mutex_);
  std::vector<AlertView> out;
  for (const auto& [id, a] : state_->alerts) {
    if (!firing_only || a.firing) out.push_back(view(a, wall));
  }
  std::sort(out.begin(), out.end(), [](const AlertView& x, const AlertView& y) {
    return x.record.starts_at != y.record.starts_at ? x.record.starts_at > y.record.starts_at : x.record.id < y.record.id;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::optional<AlertView> Monitor::alert(std::string_view id, SystemTime wall) const {
  std::lock_guard lock(mutex_);
  auto it = state_->alerts.find(id);
  if (it == state_->alerts.end()) return std::nullopt;
  return view(it->second, wall);
}

Result<AlertView> Monitor::acknowledge_alert(std::string_view id, std::string by, std::string note, SystemTime wall) {
  std::lock_guard lock(mutex_);
  State& s = *state_;
  auto it = s.alerts.find(id);
  if (it == s.alerts.end()) return make_error(ErrorCode::invalid_argument, fmt::format("unknown alert \"{}\"", id));
  AlertRecord& a = it->second;
  if (!a.firing) return make_error(ErrorCode::invalid_transition, fmt::format("alert {} is resolved", id));
  if (!a.acknowledged_by.empty()) {
    return make_error(ErrorCode::invalid_transition,
                      fmt::format("alert {} is already acknowledged by {}", id, a.acknowledged_by));
  }
  a.acknowledged_by = by;
  a.acknowledged_at = wall;
  a.acknowledge_note = note;
  save(a);
  if (!a.incident.empty() && s.incidents.acknowledge(a.id, by, wall)) {
    if (auto r = s.incident_records.find(a.incident); r != s.incident_records.end()) {
      r->second.incident = *s.incidents.get(a.incident);
      r->second.timeline.push_back(TimelineEntry{wall, "acknowledged", by, std::nullopt,
                                                 note.empty() ? fmt::format("alert {} acknowledged", id) : note});
      save(r->second);
    }
  }
  return view(a, wall);
}

Result<health::Silence> Monitor::silence_alert(std::string_view id, Nanos duration, std::string by,
                                               std::string comment, SystemTime wall) {
  if (duration <= Nanos::zero()) return make_error(ErrorCode::invalid_argument, "the duration must be positive");
  std::lock_guard lock(mutex_);
  State& s = *state_;
  auto it = s.alerts.find(id);
  if (it == s.alerts.end()) return make_error(ErrorCode::invalid_argument, fmt::format("unknown alert \"{}\"", id));
  health::Silence silence;
  for (const health::Label& l : it->second.labels.labels()) silence.matchers.emplace_back(l.name, health::MatchOp::eq, l.value);
  silence.starts_at = wall;
  silence.ends_at = wall + duration;
  silence.created_by = std::move(by);
  silence.comment = std::move(comment);
  Result<std::string> added = s.silences.add(silence, wall);
  if (!added) return added.error();
  const health::Silence& stored = *s.silences.find(*added);
  save(stored);
  return stored;
}

std::vector<health::Silence> Monitor::silences() const {
  std::lock_guard lock(mutex_);
  std::vector<health::Silence> out = state_->silences.list();
  std::sort(out.begin(), out.end(), [](const health::Silence& a, const health::Silence& b) {
    return a.starts_at != b.starts_at ? a.starts_at > b.starts_at : a.id > b.id;
  });
  return out;
}

std::optional<health::Silence> Monitor::silence(std::string_view id) const {
  std::lock_guard lock(mutex_);
  const health::Silence* s = state_->silences.find(std::string(id));
  if (s == nullptr) return std::nullopt;
  return *s;
}

Result<health::Silence> Monitor::expire_silence(std::string_view id, SystemTime wall) {
  std::lock_guard lock(mutex_);
  const health::Silence* s = state_->silences.find(std::string(id));
  if (s == nullptr) return make_error(ErrorCode::invalid_argument, fmt::format("unknown silence \"{}\"", id));
  if (s->state_at(wall) == health::SilenceState::expired) {
    return make_error(ErrorCode::invalid_transition, fmt::format("silence {} has expired already", id));
  }
  if (Result<void> done = state_->silences.expire(std::string(id), wall); !done) return done.error();
  save(*s);
  return *s;
}

std::vector<IncidentRecord> Monitor::incidents(bool open_only) const {
  std::lock_guard lock(mutex_);
  std::vector<IncidentRecord> out;
  for (auto id = state_->incident_order.rbegin(); id != state_->incident_order.rend(); ++id) {
    auto it = state_->incident_records.find(*id);
    if (it == state_->incident_records.end()) continue;
    if (!open_only || is_open(it->second.incident)) out.push_back(it->second);
  }
  return out;
}

std::optional<IncidentRecord> Monitor::incident(std::string_view id) const {
  std::lock_guard lock(mutex_);
  auto it = state_->incident_records.find(id);
  if (it == state_->incident_records.end()) return std::nullopt;
  return it->second;
}

Result<IncidentRecord> Monitor::incident_action(std::string_view id, IncidentAction action, IncidentActionInput input,
                                                SystemTime wall) {
  std::lock_guard lock(mutex_);
  State& s = *state_;
  auto it = s.incident_records.find(id);
  if (it == s.incident_records.end()) return make_error(ErrorCode::invalid_argument, fmt::format("unknown incident \"{}\"", id));
  IncidentRecord& r = it->second;
  const std::string key = r.incident.dedup_key;
  const std::string incident_id = r.incident.id;
  TimelineEntry entry{wall, "", input.by, std::nullopt, input.text};
  switch (action) {
    case IncidentAction::acknowledge: {
      if (r.incident.state != health::IncidentState::triggered) {
        return make_error(ErrorCode::invalid_transition,
                          fmt::format("incident {} is {}, only a triggered incident can be acknowledged", id,
                                      health::to_string(r.incident.state)));
      }
      if (Result<void> done = s.incidents.acknowledge(key, input.by, wall); !done) return done.error();
      entry.event = "acknowledged";
      // The alert behind it is acknowledged with it.
      if (auto a = s.alerts.find(key); a != s.alerts.end() && a->second.firing && a->second.acknowledged_by.empty()) {
        a->second.acknowledged_by = input.by;
        a->second.acknowledged_at = wall;
        a->second.acknowledge_note = input.text;
        save(a->second);
      }
      break;
    }
    case IncidentAction::note: {
      if (input.text.empty()) return make_error(ErrorCode::invalid_argument, "a note needs a text");
      const health::NoteStatus status = input.status.value_or(health::NoteStatus::investigating);
      if (Result<void> done = s.incidents.note(incident_id, status, input.text, wall); !done) return done.error();
      entry.event = "note";
      entry.status = status;
      break;
    }
    case IncidentAction::resolve: {
      if (!is_open(r.incident)) {
        return make_error(ErrorCode::invalid_transition,
                          fmt::format("incident {} is {}, only an open incident can be resolved", id,
                                      health::to_string(r.incident.state)));
      }
      if (Result<void> done = s.incidents.resolve(key, wall); !done) return done.error();
      entry.event = "resolved";
      break;
    }
    case IncidentAction::close: {
      if (r.incident.state != health::IncidentState::resolved) {
        return make_error(ErrorCode::invalid_transition,
                          fmt::format("incident {} is {}, only a resolved incident can be closed", id,
                                      health::to_string(r.incident.state)));
      }
      if (Result<void> done = s.incidents.close(incident_id, input.postmortem, wall); !done) return done.error();
      entry.event = "closed";
      if (entry.text.empty() && !input.postmortem.empty()) entry.text = fmt::format("postmortem: {}", input.postmortem);
      break;
    }
  }
  r.incident = *s.incidents.get(incident_id);
  r.timeline.push_back(std::move(entry));
  save(r);
  return r;
}

Result<std::vector<ComponentUptime>> Monitor::uptime(SystemTime since, std::size_t max_samples) const {
  std::vector<ComponentUptime> out;
  if (!store_) return out;
  Result<std::vector<UptimeSample>> samples = [&] {
    std::lock_guard lock(mutex_);
    return store_->uptime_since(since);
  }();
  if (!samples) return samples.error();
  const std::size_t cap = std::max<std::size_t>(max_samples, 1);
  for (std::size_t begin = 0; begin < samples->size();) {
    std::size_t end = begin;
    while (end < samples->size() && (*samples)[end].component == (*samples)[begin].component) ++end;
    ComponentUptime c;
    c.name = (*samples)[begin].component;
    const std::size_t n = end - begin;
    const std::size_t up = static_cast<std::size_t>(std::count_if(
        samples->begin() + static_cast<std::ptrdiff_t>(begin), samples->begin() + static_cast<std::ptrdiff_t>(end),
        [](const UptimeSample& s) { return s.status == ComponentStatus::up; }));
    c.uptime_ratio = static_cast<double>(up) / static_cast<double>(n);
    // Each kept sample is the worst of a span of ceil(n / cap) samples, at its start.
    const std::size_t span = (n + cap - 1) / cap;
    for (std::size_t i = begin; i < end; i += span) {
      UptimeSample worst = (*samples)[i];
      for (std::size_t j = i; j < std::min(i + span, end); ++j) worst.status = std::max(worst.status, (*samples)[j].status);
      c.samples.push_back(std::move(worst));
    }
    out.push_back(std::move(c));
    begin = end;
  }
  return out;
}

}  // namespace cts::engine
