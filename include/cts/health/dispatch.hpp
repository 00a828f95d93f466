#pragma once
/// \file
/// Routing and aggregation (Alertmanager's dispatcher): a route tree (depth-first,
/// first match wins unless `continue`, options inherited from the parent), groups keyed
/// by route and group labels, and the group timers: the first flush after group_wait
/// (at once for an alert older than group_wait), then every group_interval. A flush
/// carries the group's full state minus silenced, inhibited and muted alerts; resolved
/// alerts leave the group only after flushed(ok = true). Time is injected (`now`);
/// single-threaded.

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cts/health/alert.hpp"
#include "cts/health/inhibit.hpp"
#include "cts/health/matcher.hpp"
#include "cts/health/notification.hpp"
#include "cts/health/silence.hpp"

namespace cts::health {

/// A route as configured; unset options are inherited from the parent.
struct RouteConfig {
  std::string receiver;                                  ///< Receiver; inherited when empty.
  Matchers matchers;                                     ///< Which alerts take this route.
  bool continue_matching = false;                        ///< Try later siblings after a match.
  std::optional<std::vector<std::string>> group_by;      ///< Group labels; inherited when unset.
  bool group_by_all = false;                             ///< Group by every label ('...').
  std::optional<Nanos> group_wait;                       ///< Default 30 s.
  std::optional<Nanos> group_interval;                   ///< Default 5 min.
  std::optional<Nanos> repeat_interval;                  ///< Default 4 h.
  std::function<bool(SystemTime)> muted;                 ///< Mute time intervals (market closed...).
  std::vector<RouteConfig> routes;                       ///< Children.
};

/// A route with inheritance resolved.
struct Route {
  std::string key;                        ///< Path of matchers from the root, e.g. `{}/{team="fx"}`.
  std::string receiver;                   ///< Receiver.
  Matchers matchers;                      ///< Matchers of this node.
  bool continue_matching = false;         ///< See RouteConfig.
  std::vector<std::string> group_by;      ///< Group labels.
  bool group_by_all = false;              ///< Group by every label.
  Nanos group_wait{std::chrono::seconds{30}};       ///< First-flush delay.
  Nanos group_interval{std::chrono::minutes{5}};    ///< Flush period.
  Nanos repeat_interval{std::chrono::hours{4}};     ///< Re-notify period without change.
  std::function<bool(SystemTime)> muted;            ///< Mute predicate (inherited).
  std::vector<Route> children;                      ///< Children.

  /// The routes that handle `labels`, depth-first (first match wins unless continue).
  [[nodiscard]] std::vector<const Route*> match(const LabelSet& labels) const {
    std::vector<const Route*> out;
    if (!matches_all(matchers, labels)) return out;
    for (const auto& child : children) {
      auto found = child.match(labels);
      out.insert(out.end(), found.begin(), found.end());
      if (!found.empty() && !child.continue_matching) break;
    }
    if (out.empty()) out.push_back(this);
    return out;
  }
};

/// Resolves `config` (the root, which should match everything) into a Route tree.
/// Throws std::invalid_argument when the root has no receiver or a timer is not positive.
inline Route build_routes(const RouteConfig& config, const Route* parent = nullptr) {
  Route r;
  r.receiver = !config.receiver.empty() ? config.receiver : parent ? parent->receiver : std::string();
  if (r.receiver.empty()) throw std::invalid_argument("route: the root route needs a receiver");
  r.matchers = config.matchers;
  r.key = parent ? parent->key + "/" + to_string(config.matchers) : to_string(config.matchers);
  r.continue_matching = config.continue_matching;
  if (config.group_by) {
    r.group_by = *config.group_by;
    r.group_by_all = config.group_by_all;
  } else if (parent) {
    r.group_by = parent->group_by;
    r.group_by_all = config.group_by_all || parent->group_by_all;
  } else {
    r.group_by_all = config.group_by_all;
  }
  if (parent) {
    r.group_wait = parent->group_wait;
    r.group_interval = parent->group_interval;
    r.repeat_interval = parent->repeat_interval;
    r.muted = parent->muted;
  }
  if (config.group_wait) r.group_wait = *config.group_wait;
  if (config.group_interval) r.group_interval = *config.group_interval;
  if (config.repeat_interval) r.repeat_interval = *config.repeat_interval;
  if (config.muted) r.muted = config.muted;
  if (r.group_wait < Nanos::zero() || r.group_interval <= Nanos::zero() || r.repeat_interval <= Nanos::zero()) {
    throw std::invalid_argument("route: timers must be positive");
  }
  for (const auto& child : config.routes) r.children.push_back(build_routes(child, &r));
  return r;
}

/// Dispatcher options.
struct DispatcherOptions {
  Nanos resolve_timeout{std::chrono::minutes{5}};  ///< ends_at for alerts received without one.
};

/// Why an alert is left out of a notification.
struct Muting {
  std::vector<std::string> silenced_by;        ///< Active silences.
  std::optional<std::uint64_t> inhibited_by;   ///< Inhibiting alert's fingerprint.
};

/// Groups alerts by route and labels and decides when each group flushes.
class Dispatcher {
 public:
  /// A dispatcher over `routes`; `silences` (may be null) must outlive it.
  Dispatcher(Route routes, Inhibitor inhibitor = Inhibitor{}, const SilenceStore* silences = nullptr,
             DispatcherOptions options = {})
      : root_(std::make_unique<const Route>(std::move(routes))), inhibitor_(std::move(inhibitor)), silences_(silences), options_(options) {}

  /// Receives an alert at `now`: stamps updated_at, sets a timeout ends_at when there is
  /// none, merges it into the group of every matching route.
  void ingest(Alert alert, SystemTime now) {
    alert.updated_at = now;
    if (alert.starts_at == SystemTime{}) alert.starts_at = now;
    if (alert.ends_at == SystemTime{}) {
      alert.ends_at = now + options_.resolve_timeout;
      alert.timeout = true;
    }
    for (const Route* route : root_->match(alert.labels)) {
      const LabelSet group_labels = route->group_by_all ? alert.labels : alert.labels.subset(route->group_by);
      const std::string key = route->key + ":" + group_labels.to_string();
      auto it = groups_.find(key);
      if (it == groups_.end()) {
        Group g{route, group_labels, {}, now + route->group_wait};
        it = groups_.emplace(key, std::move(g)).first;
      }
      Group& g = it->second;
      const auto fp = alert.fingerprint();
      auto existing = g.alerts.find(fp);
      if (existing != g.alerts.end() && existing->second.status_at(now) == AlertStatus::firing) {
        existing->second = alert.merged_with(existing->second);
      } else {
        g.alerts[fp] = alert;
      }
      // An alert older than group_wait (e.g. after a restart) flushes at once.
      if (alert.starts_at + route->group_wait < now && g.next_flush > now) g.next_flush = now;
    }
  }

  /// The notifications of every group due at `now` (empty groups are dropped). A
  /// group's next flush moves to next_flush + group_interval.
  std::vector<Notification> tick(SystemTime now) {
    std::vector<Notification> out;
    std::vector<Alert> all;
    for (const auto& [key, g] : groups_) {
      for (const auto& [fp, a] : g.alerts) all.push_back(a);
    }
    for (auto& [key, g] : groups_) {
      if (g.next_flush > now) continue;
      while (g.next_flush <= now) g.next_flush += g.route->group_interval;
      if (g.route->muted && g.route->muted(now)) continue;
      Notification n{key, g.route->receiver, g.group_labels, {}, now, g.route->repeat_interval, 0};
      for (const auto& [fp, a] : g.alerts) {
        if (muting(a, all, now)) continue;
        n.alerts.push_back(a);
      }
      std::sort(n.alerts.begin(), n.alerts.end(), [](const Alert& x, const Alert& y) { return x.labels < y.labels; });
      out.push_back(std::move(n));
    }
    return out;
  }

  /// Reports the outcome of a flush. On success the resolved alerts it carried are
  /// removed unless they changed since; an empty group is deleted.
  void flushed(const Notification& n, bool ok) {
    if (!ok) return;
    auto it = groups_.find(n.group_key);
    if (it == groups_.end()) return;
    for (const auto& sent : n.alerts) {
      if (sent.status_at(n.at) != AlertStatus::resolved) continue;
      auto a = it->second.alerts.find(sent.fingerprint());
      if (a != it->second.alerts.end() && a->second.updated_at == sent.updated_at) it->second.alerts.erase(a);
    }
    // Resolved alerts muted at flush time were not sent; they go too once resolved.
    for (auto a = it->second.alerts.begin(); a != it->second.alerts.end();) {
      if (a->second.status_at(n.at) == AlertStatus::resolved && a->second.updated_at <= n.at) {
        a = it->second.alerts.erase(a);
      } else {
        ++a;
      }
    }
    if (it->second.alerts.empty()) groups_.erase(it);
  }

  /// Why `a` would be left out of a notification at `now`, or nullopt when it is sent.
  [[nodiscard]] std::optional<Muting> muting(const Alert& a, std::span<const Alert> all, SystemTime now) const {
    Muting m;
    if (silences_) m.silenced_by = silences_->silenced_by(a.labels, now);
    m.inhibited_by = inhibitor_.inhibited_by(a.labels, all, now);
    if (m.silenced_by.empty() && !m.inhibited_by) return std::nullopt;
    return m;
  }

  /// The earliest next flush, if any group exists.
  [[nodiscard]] std::optional<SystemTime> next_flush() const {
    std::optional<SystemTime> out;
    for (const auto& [key, g] : groups_) {
      if (!out || g.next_flush < *out) out = g.next_flush;
    }
    return out;
  }
  /// Number of groups.
  [[nodiscard]] std::size_t group_count() const noexcept { return groups_.size(); }
  /// The route tree.
  [[nodiscard]] const Route& routes() const noexcept { return *root_; }

 private:
  struct Group {
    const Route* route;
    LabelSet group_labels;
    std::map<std::uint64_t, Alert> alerts;
    SystemTime next_flush;
  };
  std::unique_ptr<const Route> root_;  // groups point into it: keep it at a stable address
  Inhibitor inhibitor_;
  const SilenceStore* silences_;
  DispatcherOptions options_;
  std::map<std::string, Group> groups_;
};

}  // namespace cts::health
