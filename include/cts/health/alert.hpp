#pragma once
/// \file
/// Alerts and alerting rules. An Alert is identified by its labels only (annotations
/// never take part) and carries its own timing: it is resolved once `ends_at` is set and
/// not in the future. AlertRule reproduces Prometheus' rule state machine: pending for
/// `for`, firing, `keep_firing_for` against false resolves, resends every
/// `resend_delay`, resolved alerts resent for `resolved_retention`.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/health/labels.hpp"

namespace cts::health {

/// Firing or resolved, computed from time.
enum class AlertStatus : std::uint8_t { firing, resolved };

/// "firing" or "resolved".
constexpr std::string_view to_string(AlertStatus s) noexcept { return s == AlertStatus::firing ? "firing" : "resolved"; }

/// An alert as Alertmanager models it.
struct Alert {
  LabelSet labels;                ///< Identity; must include "alertname".
  LabelSet annotations;           ///< Extra information (summary, description, runbook).
  SystemTime starts_at{};         ///< When it started firing.
  SystemTime ends_at{};           ///< When it resolved, or when it auto-resolves; zero = unset.
  std::string generator_url;      ///< Link back to the source.
  SystemTime updated_at{};        ///< When this version was received.
  bool timeout = false;           ///< ends_at was set by resolve_timeout, not by the sender.

  /// Resolved when ends_at is set and not after `t`.
  [[nodiscard]] AlertStatus status_at(SystemTime t) const noexcept {
    return (ends_at != SystemTime{} && ends_at <= t) ? AlertStatus::resolved : AlertStatus::firing;
  }
  /// The label fingerprint.
  [[nodiscard]] std::uint64_t fingerprint() const noexcept { return labels.fingerprint(); }

  /// This (newer) alert merged with `older` of the same labels, Alertmanager's rules:
  /// the earliest starts_at is kept; the newer annotations win; an explicit ends_at
  /// beats a timeout one, and of two of the same kind the later update wins.
  [[nodiscard]] Alert merged_with(const Alert& older) const {
    Alert out = *this;
    if (older.starts_at != SystemTime{} && (out.starts_at == SystemTime{} || older.starts_at < out.starts_at)) {
      out.starts_at = older.starts_at;
    }
    if (older.updated_at > updated_at) {
      out.annotations = older.annotations;
      out.generator_url = older.generator_url;
      out.updated_at = older.updated_at;
    }
    const bool older_wins_end = (timeout && !older.timeout) ||
                                (timeout == older.timeout && older.updated_at > updated_at);
    if (older_wins_end && older.ends_at != SystemTime{}) {
      out.ends_at = older.ends_at;
      out.timeout = older.timeout;
    }
    return out;
  }
};

/// Rule-side state of one alert instance.
enum class RuleState : std::uint8_t { inactive, pending, firing };

/// One active instance of a rule's condition as evaluated: its labels and annotations.
struct RuleInstance {
  LabelSet labels;       ///< Labels (alertname is added by the rule).
  LabelSet annotations;  ///< Annotations.
};

/// Timing of an AlertRule (Prometheus defaults).
struct RuleTiming {
  Nanos for_{0};                                           ///< Pending time before firing.
  Nanos keep_firing_for{0};                                ///< Keep firing this long after the condition clears.
  Nanos resend_delay{std::chrono::minutes{1}};             ///< Resend firing (and resolved) alerts this often.
  Nanos resolved_retention{std::chrono::minutes{15}};      ///< Keep resending a resolved alert this long.
  Nanos eval_interval{std::chrono::seconds{15}};           ///< Evaluation period (ends_at = t + 4·max(interval, resend)).
};

/// A Prometheus-style alerting rule: call eval() every eval_interval with the instances
/// whose condition currently holds; it returns the alerts to send to the dispatcher.
/// Single-threaded.
class AlertRule {
 public:
  /// A rule named `alertname`.
  AlertRule(std::string alertname, RuleTiming timing) : name_(std::move(alertname)), timing_(timing) {}

  /// Changes `for`; a firing instance younger than the new value drops back to pending.
  void set_for(Nanos for_) noexcept { timing_.for_ = for_; }

  /// Evaluates at `t` with the instances present now; returns the alerts to send.
  std::vector<Alert> eval(const std::vector<RuleInstance>& present, SystemTime t) {
    std::vector<std::uint64_t> seen;
    for (const auto& inst : present) {
      const LabelSet labels = inst.labels.with("alertname", name_);
      const auto fp = labels.fingerprint();
      seen.push_back(fp);
      auto it = active_.find(fp);
      if (it != active_.end() && it->second.state != RuleState::inactive) {
        it->second.annotations = inst.annotations;
        it->second.keep_firing_since = SystemTime{};
      } else {
        active_[fp] = Instance{labels, inst.annotations, RuleState::pending, t, {}, {}, {}, {}, false};
      }
    }
    for (auto it = active_.begin(); it != active_.end();) {
      Instance& a = it->second;
      const bool is_present = std::find(seen.begin(), seen.end(), it->first) != seen.end();
      if (!is_present) {
        if (a.state == RuleState::pending) {
          it = active_.erase(it);
          continue;
        }
        if (a.state == RuleState::firing && timing_.keep_firing_for > Nanos::zero()) {
          if (a.keep_firing_since == SystemTime{}) a.keep_firing_since = t;
          if (t - a.keep_firing_since < timing_.keep_firing_for) {
            ++it;
            continue;
          }
        }
        if (a.state == RuleState::firing) {
          a.state = RuleState::inactive;
          a.resolved_at = a.keep_firing_since != SystemTime{} ? a.keep_firing_since : t;
        }
        if (a.state == RuleState::inactive && t - a.resolved_at > timing_.resolved_retention) {
          it = active_.erase(it);
          continue;
        }
      } else {
        if (a.state == RuleState::firing && t - a.active_at < timing_.for_) a.state = RuleState::pending;
        if (a.state == RuleState::pending && t - a.active_at >= timing_.for_) {
          a.state = RuleState::firing;
          a.fired_at = t;
        }
      }
      ++it;
    }
    std::vector<Alert> out;
    const Nanos valid_for = 4 * std::max(timing_.eval_interval, timing_.resend_delay);
    for (auto& [fp, a] : active_) {
      if (!needs_sending(a, t)) continue;
      a.last_sent_at = t;
      if (a.state == RuleState::inactive) a.resolved_announced = true;
      Alert alert;
      alert.labels = a.labels;
      alert.annotations = a.annotations;
      alert.starts_at = a.fired_at;
      alert.ends_at = a.state == RuleState::inactive ? a.resolved_at : t + valid_for;
      alert.updated_at = t;
      out.push_back(std::move(alert));
    }
    return out;
  }

  /// The rule's state: the maximum over instances (firing > pending > inactive).
  [[nodiscard]] RuleState state() const noexcept {
    RuleState s = RuleState::inactive;
    for (const auto& [fp, a] : active_) s = std::max(s, a.state);
    return s;
  }
  /// The rule's alertname.
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

 private:
  struct Instance {
    LabelSet labels;
    LabelSet annotations;
    RuleState state = RuleState::pending;
    SystemTime active_at{};
    SystemTime fired_at{};
    SystemTime resolved_at{};
    SystemTime last_sent_at{};
    SystemTime keep_firing_since{};
    bool resolved_announced = false;
  };
  [[nodiscard]] bool needs_sending(const Instance& a, SystemTime t) const noexcept {
    if (a.state == RuleState::pending) return false;
    if (a.state == RuleState::inactive && !a.resolved_announced) return true;
    return a.last_sent_at == SystemTime{} || a.last_sent_at + timing_.resend_delay <= t;
  }

  std::string name_;
  RuleTiming timing_;
  std::map<std::uint64_t, Instance> active_;
};

}  // namespace cts::health
