#pragma once
/// \file
/// Incidents (PagerDuty semantics): triggered → acknowledged → resolved → closed, one
/// open incident per dedup_key (a trigger after resolve opens a new incident; an
/// acknowledge or resolve for a key with no open incident is dropped), status notes
/// (investigating / identified / monitoring) that do not drive paging, and an
/// escalation policy: steps with delays and conditions (if not acknowledged, if not
/// closed), repeated `loops` more times after the last step, an acknowledgement
/// timeout that returns the incident to triggered and restarts the steps, and an
/// auto-resolve timeout. Time is injected; single-threaded.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/health/alert.hpp"

namespace cts::health {

/// The on-call state of an incident.
enum class IncidentState : std::uint8_t { triggered, acknowledged, resolved, closed };

/// "triggered", "acknowledged", "resolved" or "closed".
constexpr std::string_view to_string(IncidentState s) noexcept {
  switch (s) {
    case IncidentState::triggered: return "triggered";
    case IncidentState::acknowledged: return "acknowledged";
    case IncidentState::resolved: return "resolved";
    case IncidentState::closed: return "closed";
  }
  return "invalid";
}

/// Communication status of a note (Statuspage's unresolved states).
enum class NoteStatus : std::uint8_t { investigating, identified, monitoring };

/// PagerDuty's severity enum.
enum class Severity : std::uint8_t { info, warning, error, critical };

/// A timestamped note.
struct IncidentNote {
  NoteStatus status = NoteStatus::investigating;  ///< Communication status.
  std::string text;                               ///< What was found or done.
  SystemTime at{};                                ///< When.
};

/// One incident.
struct Incident {
  std::string id;                        ///< "INC-1", "INC-2", ...
  std::string dedup_key;                 ///< Binds events to the open incident.
  Severity severity = Severity::error;   ///< Highest severity seen.
  IncidentState state = IncidentState::triggered;  ///< On-call state.
  SystemTime opened_at{};                ///< Trigger time.
  SystemTime acked_at{};                 ///< Last acknowledgement (zero if none).
  std::string acked_by;                  ///< Who acknowledged.
  SystemTime resolved_at{};              ///< Resolution time (zero if open).
  SystemTime closed_at{};                ///< Closing time (zero if not closed).
  std::string postmortem;                ///< Reference given on close.
  std::vector<IncidentNote> notes;       ///< Notes in order.
  std::vector<Alert> alerts;             ///< Alerts that triggered it.
  SystemTime escalation_started_at{};    ///< Start of the current escalation run.
  std::size_t next_step = 0;             ///< Next step index over all loops.
};

/// When an escalation step pages.
enum class EscalationCondition : std::uint8_t { if_not_acked, if_not_closed };

/// One escalation step: page `targets` if the condition holds, then wait `delay`
/// before the next step (PagerDuty's escalation_delay). The first step pages at
/// trigger time.
struct EscalationStep {
  Nanos delay{0};                                       ///< Wait before escalating to the next step.
  std::vector<std::string> targets;                     ///< Who to page.
  EscalationCondition condition = EscalationCondition::if_not_acked;  ///< When to page.
};

/// An escalation policy.
struct EscalationPolicy {
  std::vector<EscalationStep> steps;   ///< In order.
  std::uint32_t loops = 0;             ///< Extra passes after the last step (PagerDuty num_loops).
  Nanos ack_timeout{0};                ///< Acknowledged longer than this → triggered again (0: never).
  Nanos auto_resolve_timeout{0};       ///< Open longer than this → resolved (0: never).
};

/// A page to send.
struct Page {
  std::string incident_id;             ///< Incident.
  std::size_t step = 0;                ///< Step index within the policy.
  std::uint32_t loop = 0;              ///< Pass number, 0-based.
  std::vector<std::string> targets;    ///< Who.
  SystemTime at{};                     ///< Scheduled time.
};

/// The incidents of one service under one escalation policy.
class IncidentManager {
 public:
  /// A manager escalating with `policy`.
  explicit IncidentManager(EscalationPolicy policy) : policy_(std::move(policy)) {}

  /// Triggers `dedup_key` with `alert`: appended to the open incident for the key, or a
  /// new incident (also after the previous one resolved). Returns the incident id.
  std::string trigger(const std::string& dedup_key, Alert alert, Severity severity, SystemTime now) {
    if (Incident* open = find_open(dedup_key)) {
      open->alerts.push_back(std::move(alert));
      if (severity > open->severity) open->severity = severity;
      return open->id;
    }
    Incident inc;
    inc.id = fmt::format("INC-{}", ++next_id_);
    inc.dedup_key = dedup_key;
    inc.severity = severity;
    inc.opened_at = now;
    inc.escalation_started_at = now;
    inc.alerts.push_back(std::move(alert));
    const std::string id = inc.id;
    incidents_.emplace(id, std::move(inc));
    return id;
  }

  /// Acknowledges the open incident of `dedup_key`. Error invalid_transition (dropped)
  /// when there is none or it is already acknowledged.
  Result<void> acknowledge(const std::string& dedup_key, std::string who, SystemTime now) {
    Incident* inc = find_open(dedup_key);
    if (inc == nullptr || inc->state != IncidentState::triggered) {
      return make_error(ErrorCode::invalid_transition, "no triggered incident for this dedup_key");
    }
    inc->state = IncidentState::acknowledged;
    inc->acked_at = now;
    inc->acked_by = std::move(who);
    return {};
  }

  /// Resolves the open incident of `dedup_key`. Error invalid_transition when none is open.
  Result<void> resolve(const std::string& dedup_key, SystemTime now) {
    Incident* inc = find_open(dedup_key);
    if (inc == nullptr) return make_error(ErrorCode::invalid_transition, "no open incident for this dedup_key");
    inc->state = IncidentState::resolved;
    inc->resolved_at = now;
    return {};
  }

  /// Closes resolved incident `id` with a postmortem reference. Error
  /// invalid_transition unless it is resolved; invalid_argument for an unknown id.
  Result<void> close(const std::string& id, std::string postmortem, SystemTime now) {
    auto it = incidents_.find(id);
    if (it == incidents_.end()) return make_error(ErrorCode::invalid_argument, "unknown incident " + id);
    if (it->second.state != IncidentState::resolved) {
      return make_error(ErrorCode::invalid_transition, "only a resolved incident can be closed");
    }
    it->second.state = IncidentState::closed;
    it->second.closed_at = now;
    it->second.postmortem = std::move(postmortem);
    return {};
  }

  /// Adds a note to incident `id`. Error invalid_argument for an unknown id.
  Result<void> note(const std::string& id, NoteStatus status, std::string text, SystemTime now) {
    auto it = incidents_.find(id);
    if (it == incidents_.end()) return make_error(ErrorCode::invalid_argument, "unknown incident " + id);
    it->second.notes.push_back(IncidentNote{status, std::move(text), now});
    return {};
  }

  /// Advances timeouts and escalation to `now`; returns the pages due.
  std::vector<Page> tick(SystemTime now) {
    std::vector<Page> pages;
    for (auto& [id, inc] : incidents_) {
      if (inc.state == IncidentState::acknowledged && policy_.ack_timeout > Nanos::zero() &&
          now - inc.acked_at >= policy_.ack_timeout) {
        inc.state = IncidentState::triggered;
        inc.escalation_started_at = inc.acked_at + policy_.ack_timeout;
        inc.next_step = 0;
      }
      const bool open = inc.state == IncidentState::triggered || inc.state == IncidentState::acknowledged;
      if (open && policy_.auto_resolve_timeout > Nanos::zero() && now - inc.opened_at >= policy_.auto_resolve_timeout) {
        inc.state = IncidentState::resolved;
        inc.resolved_at = inc.opened_at + policy_.auto_resolve_timeout;
      }
      if (policy_.steps.empty()) continue;
      const std::size_t total = policy_.steps.size() * (std::size_t{policy_.loops} + 1);
      while (inc.next_step < total &&
             (inc.state == IncidentState::triggered || inc.state == IncidentState::acknowledged)) {
        const SystemTime at = step_time(inc, inc.next_step);
        if (at > now) break;
        const std::size_t step = inc.next_step % policy_.steps.size();
        const auto& s = policy_.steps[step];
        const bool page = s.condition == EscalationCondition::if_not_closed || inc.state == IncidentState::triggered;
        if (page) {
          pages.push_back(Page{id, step, static_cast<std::uint32_t>(inc.next_step / policy_.steps.size()), s.targets, at});
        }
        ++inc.next_step;
      }
    }
    return pages;
  }

  /// Puts back an incident kept from an earlier run (its id, state and escalation
  /// position as they were); later incidents are numbered after the highest "INC-<n>"
  /// restored. Error invalid_argument when an incident of that id exists.
  Result<void> restore(Incident incident) {
    if (incidents_.count(incident.id) != 0) {
      return make_error(ErrorCode::invalid_argument, "incident " + incident.id + " exists already");
    }
    if (incident.id.starts_with("INC-")) {
      std::uint64_t n = 0;
      bool digits = incident.id.size() > 4;
      for (char c : std::string_view(incident.id).substr(4)) {
        digits = digits && c >= '0' && c <= '9';
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (digits && n > next_id_) next_id_ = n;
    }
    const std::string id = incident.id;
    incidents_.emplace(id, std::move(incident));
    return {};
  }

  /// Incident `id`, or nullptr.
  [[nodiscard]] const Incident* get(const std::string& id) const {
    auto it = incidents_.find(id);
    return it == incidents_.end() ? nullptr : &it->second;
  }
  /// The open (triggered or acknowledged) incident of `dedup_key`, or nullptr.
  [[nodiscard]] const Incident* open_for(const std::string& dedup_key) const {
    for (const auto& [id, inc] : incidents_) {
      if (inc.dedup_key == dedup_key &&
          (inc.state == IncidentState::triggered || inc.state == IncidentState::acknowledged)) {
        return &inc;
      }
    }
    return nullptr;
  }

 private:
  Incident* find_open(const std::string& dedup_key) {
    for (auto& [id, inc] : incidents_) {
      if (inc.dedup_key == dedup_key &&
          (inc.state == IncidentState::triggered || inc.state == IncidentState::acknowledged)) {
        return &inc;
      }
    }
    return nullptr;
  }
  [[nodiscard]] SystemTime step_time(const Incident& inc, std::size_t index) const {
    Nanos offset{0};
    for (std::size_t k = 0; k < index; ++k) offset += policy_.steps[k % policy_.steps.size()].delay;
    return inc.escalation_started_at + offset;
  }

  EscalationPolicy policy_;
  std::map<std::string, Incident> incidents_;
  std::uint64_t next_id_ = 0;
};

}  // namespace cts::health
