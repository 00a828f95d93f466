#pragma once
/// \file
/// HealthRegistry: named checks (probed on a schedule, or pushed by their owner) with
/// debounce, flap detection and staleness; aggregation per kind (liveness, readiness,
/// startup) and per named group, "worst wins" under a configurable StatusOrder; watch
/// (current value immediately, then changes only, latest-value coalescing, never
/// blocking the publisher, as gRPC's health Watch); shutdown()/resume().
/// Thread-safe: every member takes the registry's mutex; probes run inside tick().

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/health/checks.hpp"
#include "cts/health/hysteresis.hpp"
#include "cts/health/status.hpp"

namespace cts::health {

/// How one check is scheduled, debounced and aggregated.
struct CheckSpec {
  std::string name;                                  ///< Unique; "component:measurement" renders best in health+json.
  CheckKind kind = CheckKind::readiness;             ///< Which aggregate it belongs to.
  Criticality criticality = Criticality::critical;   ///< Non-critical failures aggregate to warn.
  std::vector<std::string> groups;                   ///< Extra named groups (per venue, per strategy).
  Nanos period{std::chrono::seconds{10}};            ///< Probe period (ignored for pushed checks).
  Nanos initial_delay{0};                            ///< Delay before the first probe.
  std::uint32_t failure_threshold = 3;               ///< Consecutive non-pass results to publish them.
  std::uint32_t success_threshold = 1;               ///< Consecutive passes to publish pass.
  Nanos staleness_limit{0};                          ///< Older results read unknown; 0 = 3 × period.
  bool flap_detection = false;                       ///< Run a FlapDetector (5 % / 20 %) on published states.
  std::string component_type = "component";          ///< health+json componentType.
};

/// A check as seen at one instant.
struct CheckSnapshot {
  std::string name;                       ///< Check name.
  CheckKind kind = CheckKind::readiness;  ///< Kind.
  Criticality criticality = Criticality::critical;  ///< Criticality.
  std::string component_type;             ///< health+json componentType.
  Status status = Status::unknown;        ///< Effective: published, or unknown when stale, out-of-service when shut down.
  Status published = Status::unknown;     ///< Debounced status.
  bool stale = false;                     ///< The last result is older than the staleness limit.
  bool flapping = false;                  ///< The flap detector says flapping.
  std::optional<CheckResult> last_result; ///< The last probe result, if any.
  std::uint64_t probe_errors = 0;         ///< Probe errors so far.
  std::string last_error;                 ///< The last probe error's message.
};

/// Latest-value mailbox of one watcher: publishers overwrite, the reader takes.
class Watch {
 public:
  /// The status published since the last next() that differs from the last one
  /// returned, or nothing. Never blocks a publisher for longer than a copy.
  std::optional<Status> next() {
    const std::lock_guard lock(mutex_);
    auto out = pending_;
    if (out) last_delivered_ = *out;
    pending_.reset();
    return out;
  }

  /// Called by the registry: replaces the pending value (dropping a stale one), or
  /// clears it when `s` equals what the reader already has.
  void publish(Status s) {
    const std::lock_guard lock(mutex_);
    if (last_delivered_ && *last_delivered_ == s) {
      pending_.reset();
    } else {
      pending_ = s;
    }
  }

 private:
  std::mutex mutex_;
  std::optional<Status> pending_;
  std::optional<Status> last_delivered_;
};

/// The registry of health checks.
class HealthRegistry {
 public:
  /// A registry aggregating with `order` (default: fail, out-of-service, unknown, warn, pass).
  explicit HealthRegistry(StatusOrder order = {}) : order_(std::move(order)) {}

  /// Adds a probed check; its first probe is due at now + initial_delay. Throws
  /// std::invalid_argument on a duplicate or empty name or bad thresholds.
  void add(CheckSpec spec, std::unique_ptr<Check> check, SteadyTime now) {
    if (!check) throw std::invalid_argument("HealthRegistry::add: null check");
    insert(std::move(spec), std::move(check), now);
  }
  /// Adds a pushed check, driven by set_result()/set_status().
  void add_pushed(CheckSpec spec, SteadyTime now) { insert(std::move(spec), nullptr, now); }

  /// Removes a check; watchers of it then see unknown. False when absent.
  bool remove(std::string_view name) {
    const std::lock_guard lock(mutex_);
    auto it = entries_.find(name);
    if (it == entries_.end()) return false;
    entries_.erase(it);
    notify(std::string(name), Status::unknown);
    return true;
  }

  /// Feeds a pushed (or probed) check one result, through its debouncer. Errors:
  /// invalid_argument for an unknown name; cancelled after shutdown() (ignored).
  Result<void> set_result(std::string_view name, CheckResult result, SteadyTime now) {
    const std::lock_guard lock(mutex_);
    if (shut_down_) return make_error(ErrorCode::cancelled, "health registry is shut down");
    auto it = entries_.find(name);
    if (it == entries_.end()) return make_error(ErrorCode::invalid_argument, "unknown health check '" + std::string(name) + "'");
    apply(it->second, std::move(result), now);
    notify(it->first, effective(it->second, now));
    return {};
  }
  /// set_result() with only a status.
  Result<void> set_status(std::string_view name, Status status, SteadyTime now) {
    return set_result(name, CheckResult{status, std::nullopt, {}, {}, {}}, now);
  }

  /// Runs every probe that is due, then re-evaluates staleness; watchers see changes.
  void tick(SteadyTime now, SystemTime wall) {
    const std::lock_guard lock(mutex_);
    for (auto& [name, e] : entries_) {
      if (e.check && now >= e.next_probe) {
        e.next_probe = now + e.spec.period;
        auto r = e.check->probe(now, wall);
        if (r) {
          apply(e, std::move(*r), now);
        } else {
          ++e.probe_errors;
          e.last_error = r.error().message;
        }
      }
      notify(name, effective(e, now));
    }
  }

  /// The effective status of one check. Error: invalid_argument for an unknown name
  /// (gRPC Check's NOT_FOUND).
  [[nodiscard]] Result<Status> check(std::string_view name, SteadyTime now) const {
    const std::lock_guard lock(mutex_);
    auto it = entries_.find(name);
    if (it == entries_.end()) return make_error(ErrorCode::invalid_argument, "unknown health check '" + std::string(name) + "'");
    return effective(it->second, now);
  }

  /// The aggregate of every check of `kind`: worst wins, non-critical capped at warn,
  /// unknown when there is none; out-of-service after shutdown().
  [[nodiscard]] Status aggregate(CheckKind kind, SteadyTime now) const {
    return aggregate_if(now, [kind](const Entry& e) { return e.spec.kind == kind; });
  }
  /// The aggregate of the checks listing `group` in their groups.
  [[nodiscard]] Status aggregate(std::string_view group, SteadyTime now) const {
    return aggregate_if(now, [group](const Entry& e) {
      return std::find(e.spec.groups.begin(), e.spec.groups.end(), group) != e.spec.groups.end();
    });
  }

  /// Every check, sorted by name.
  [[nodiscard]] std::vector<CheckSnapshot> list(SteadyTime now) const {
    const std::lock_guard lock(mutex_);
    std::vector<CheckSnapshot> out;
    out.reserve(entries_.size());
    for (const auto& [name, e] : entries_) {
      out.push_back(CheckSnapshot{name, e.spec.kind, e.spec.criticality, e.spec.component_type, effective(e, now),
                                  e.debouncer.published(), is_stale(e, now), e.flap && e.flap->flapping(),
                                  e.last_result, e.probe_errors, e.last_error});
    }
    return out;
  }

  /// Watches `name`: the returned mailbox holds the current status at once (unknown
  /// for a name not registered yet), then each change. Keep the shared_ptr; dropping it
  /// unsubscribes.
  std::shared_ptr<Watch> watch(std::string_view name, SteadyTime now) {
    const std::lock_guard lock(mutex_);
    auto w = std::make_shared<Watch>();
    auto it = entries_.find(name);
    w->publish(it == entries_.end() ? Status::unknown : effective(it->second, now));
    watchers_[std::string(name)].push_back(w);
    return w;
  }

  /// Every check reads out-of-service (gRPC NOT_SERVING) and results are ignored
  /// until resume().
  void shutdown(SteadyTime now) {
    const std::lock_guard lock(mutex_);
    shut_down_ = true;
    for (auto& [name, e] : entries_) notify(name, effective(e, now));
  }
  /// Undoes shutdown(): checks read their own status again.
  void resume(SteadyTime now) {
    const std::lock_guard lock(mutex_);
    shut_down_ = false;
    for (auto& [name, e] : entries_) notify(name, effective(e, now));
  }

  /// The aggregation order.
  [[nodiscard]] const StatusOrder& order() const noexcept { return order_; }

 private:
  struct Entry {
    CheckSpec spec;
    std::unique_ptr<Check> check;
    Debouncer debouncer;
    std::optional<FlapDetector> flap;
    SteadyTime next_probe;
    SteadyTime last_result_at;
    std::optional<CheckResult> last_result;
    std::uint64_t probe_errors = 0;
    std::string last_error;
  };

  void insert(CheckSpec spec, std::unique_ptr<Check> check, SteadyTime now) {
    if (spec.name.empty()) throw std::invalid_argument("HealthRegistry: empty check name");
    if (spec.period <= Nanos::zero()) throw std::invalid_argument("HealthRegistry: period must be positive");
    Debouncer debouncer(spec.kind, spec.failure_threshold, spec.success_threshold);
    std::optional<FlapDetector> flap;
    if (spec.flap_detection) flap.emplace();
    const std::lock_guard lock(mutex_);
    if (entries_.count(spec.name) != 0) throw std::invalid_argument("HealthRegistry: duplicate check '" + spec.name + "'");
    std::string name = spec.name;
    const SteadyTime first = now + spec.initial_delay;
    auto& e = entries_
                  .emplace(name, Entry{std::move(spec), std::move(check), debouncer, flap, first, first, std::nullopt, 0, {}})
                  .first->second;
    notify(name, effective(e, now));
  }

  static void apply(Entry& e, CheckResult result, SteadyTime now) {
    e.debouncer.on_result(result.status);
    if (e.flap) e.flap->observe(e.debouncer.published());
    e.last_result = std::move(result);
    e.last_result_at = now;
  }

  [[nodiscard]] static Nanos staleness_limit(const Entry& e) noexcept {
    return e.spec.staleness_limit > Nanos::zero() ? e.spec.staleness_limit : 3 * e.spec.period;
  }
  [[nodiscard]] static bool is_stale(const Entry& e, SteadyTime now) noexcept {
    return now - e.last_result_at > staleness_limit(e);
  }
  [[nodiscard]] Status effective(const Entry& e, SteadyTime now) const noexcept {
    if (shut_down_) return Status::out_of_service;
    return is_stale(e, now) ? Status::unknown : e.debouncer.published();
  }

  template <class Pred>
  Status aggregate_if(SteadyTime now, Pred pred) const {
    const std::lock_guard lock(mutex_);
    std::vector<Status> statuses;
    for (const auto& [name, e] : entries_) {
      if (!pred(e)) continue;
      Status s = effective(e, now);
      if (e.spec.criticality == Criticality::non_critical && order_.rank(to_string(s)) >= 0 &&
          order_.rank(to_string(s)) < order_.rank("warn")) {
        s = Status::warn;
      }
      statuses.push_back(s);
    }
    if (shut_down_) return Status::out_of_service;
    return order_.worst(statuses);
  }

  void notify(const std::string& name, Status s) {
    auto it = watchers_.find(name);
    if (it == watchers_.end()) return;
    auto& list = it->second;
    list.erase(std::remove_if(list.begin(), list.end(), [](const std::weak_ptr<Watch>& w) { return w.expired(); }),
               list.end());
    for (auto& weak : list) {
      if (auto w = weak.lock()) w->publish(s);
    }
  }

  StatusOrder order_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;
  std::map<std::string, std::vector<std::weak_ptr<Watch>>, std::less<>> watchers_;
  bool shut_down_ = false;
};

}  // namespace cts::health
