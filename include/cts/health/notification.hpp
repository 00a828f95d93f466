#pragma once
/// \file
/// Notification: the full current state of one aggregation group, as handed from the
/// dispatcher to the channels (every webhook carries full state, so a newer
/// notification for a group replaces an older queued one).

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "cts/health/alert.hpp"
#include "cts/health/labels.hpp"

namespace cts::health {

/// One group's state at a flush.
struct Notification {
  std::string group_key;        ///< Route key + ":" + group labels, e.g. `{}/{team="fx"}:{alertname="X"}`.
  std::string receiver;         ///< Receiver name.
  LabelSet group_labels;        ///< The group-by labels.
  std::vector<Alert> alerts;    ///< Every alert of the group (firing and resolved), sorted by labels.
  SystemTime at{};              ///< Flush time: decides firing/resolved.
  Nanos repeat_interval{std::chrono::hours{4}};  ///< The route's repeat interval.
  std::size_t truncated_alerts = 0;              ///< Alerts left out by a channel's max_alerts.

  /// "firing" when any alert fires at `at`, else "resolved".
  [[nodiscard]] AlertStatus status() const noexcept {
    for (const auto& a : alerts) {
      if (a.status_at(at) == AlertStatus::firing) return AlertStatus::firing;
    }
    return AlertStatus::resolved;
  }
  /// Fingerprints of the alerts with status `s`, sorted.
  [[nodiscard]] std::vector<std::uint64_t> fingerprints(AlertStatus s) const {
    std::vector<std::uint64_t> out;
    for (const auto& a : alerts) {
      if (a.status_at(at) == s) out.push_back(a.fingerprint());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  /// Number of alerts with status `s`.
  [[nodiscard]] std::size_t count(AlertStatus s) const noexcept {
    return static_cast<std::size_t>(
        std::count_if(alerts.begin(), alerts.end(), [&](const Alert& a) { return a.status_at(at) == s; }));
  }
  /// Labels present with the same value in every alert.
  [[nodiscard]] LabelSet common_labels() const { return common(&Alert::labels); }
  /// Annotations present with the same value in every alert.
  [[nodiscard]] LabelSet common_annotations() const { return common(&Alert::annotations); }

 private:
  [[nodiscard]] LabelSet common(LabelSet Alert::*member) const {
    if (alerts.empty()) return {};
    LabelSet out = alerts.front().*member;
    for (const auto& l : (alerts.front().*member).labels()) {
      for (const auto& a : alerts) {
        if ((a.*member).get(l.name) != l.value) {
          out.set(l.name, "");
          break;
        }
      }
    }
    return out;
  }
};

}  // namespace cts::health
