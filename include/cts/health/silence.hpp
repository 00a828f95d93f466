#pragma once
/// \file
/// Silences (Alertmanager semantics): a set of matchers muting matching alerts between
/// starts_at and ends_at. State at t: pending before starts_at, expired after ends_at,
/// active otherwise; only active silences mute. Updating matchers, or moving the start
/// of an active silence, expires the old silence and creates a new id (a history).
/// Single-threaded (owned by the monitor).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/health/matcher.hpp"

namespace cts::health {

/// The state of a silence at a given time: pending before starts_at, active in
/// [starts_at, ends_at), expired from ends_at.
enum class SilenceState : std::uint8_t { pending, active, expired };

/// A silence.
struct Silence {
  std::string id;               ///< Assigned by SilenceStore::add.
  Matchers matchers;            ///< AND-combined matchers; must not be empty.
  SystemTime starts_at{};       ///< Start (inclusive).
  SystemTime ends_at{};         ///< End.
  std::string created_by;       ///< Who.
  std::string comment;          ///< Why.

  /// The state at `t`.
  [[nodiscard]] SilenceState state_at(SystemTime t) const noexcept {
    if (t < starts_at) return SilenceState::pending;
    if (t >= ends_at) return SilenceState::expired;
    return SilenceState::active;
  }
};

/// The silences of one monitor.
class SilenceStore {
 public:
  /// Adds `s` with a new id and returns the id. Errors (invalid_argument, nothing
  /// stored): no matcher, or ends_at before starts_at, or ends_at already past.
  Result<std::string> add(Silence s, SystemTime now) {
    if (s.matchers.empty()) return make_error(ErrorCode::invalid_argument, "silence without matchers");
    if (s.ends_at < s.starts_at) return make_error(ErrorCode::invalid_argument, "silence ends before it starts");
    if (s.ends_at <= now) return make_error(ErrorCode::invalid_argument, "silence already expired");
    s.id = fmt::format("silence-{}", ++next_id_);
    std::string id = s.id;
    silences_.emplace(id, std::move(s));
    return id;
  }

  /// Puts back a silence kept from an earlier run, under its own id (expired ones
  /// included); later silences are numbered after the highest "silence-<n>" restored.
  /// Error invalid_argument when a silence of that id exists or it has no matcher.
  Result<void> restore(Silence s) {
    if (s.matchers.empty()) return make_error(ErrorCode::invalid_argument, "silence without matchers");
    if (silences_.count(s.id) != 0) return make_error(ErrorCode::invalid_argument, "silence '" + s.id + "' exists already");
    constexpr std::string_view kPrefix = "silence-";
    if (s.id.starts_with(kPrefix) && s.id.size() > kPrefix.size()) {
      std::uint64_t n = 0;
      bool digits = true;
      for (char c : std::string_view(s.id).substr(kPrefix.size())) {
        digits = digits && c >= '0' && c <= '9';
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (digits && n > next_id_) next_id_ = n;
    }
    std::string id = s.id;
    silences_.emplace(std::move(id), std::move(s));
    return {};
  }

  /// Updates silence `id` with `s`. In place when the matchers are unchanged and the
  /// change is allowed (an active silence keeps its start; a pending one may not start
  /// in the past); otherwise the old one is expired and `s` is added under a new id.
  /// Returns the id now in force. Error: invalid_argument for an unknown id.
  Result<std::string> update(const std::string& id, Silence s, SystemTime now) {
    auto it = silences_.find(id);
    if (it == silences_.end()) return make_error(ErrorCode::invalid_argument, "unknown silence '" + id + "'");
    Silence& old = it->second;
    const SilenceState st = old.state_at(now);
    const bool same_matchers = old.matchers == s.matchers;
    const bool allowed = st != SilenceState::expired &&
                         ((st == SilenceState::active && s.starts_at == old.starts_at) ||
                          (st == SilenceState::pending && s.starts_at >= now)) &&
                         s.ends_at > now && s.ends_at >= s.starts_at;
    if (same_matchers && allowed) {
      s.id = id;
      old = std::move(s);
      return id;
    }
    auto added = add(std::move(s), now);
    if (!added) return added;
    (void)expire(id, now);  // cannot fail: `id` was found above
    return added;
  }

  /// Expires `id` now: an active silence ends now; a pending one starts and ends now.
  /// Expiring an expired silence does nothing. Error: invalid_argument for an unknown id.
  Result<void> expire(const std::string& id, SystemTime now) {
    auto it = silences_.find(id);
    if (it == silences_.end()) return make_error(ErrorCode::invalid_argument, "unknown silence '" + id + "'");
    Silence& s = it->second;
    switch (s.state_at(now)) {
      case SilenceState::expired: break;
      case SilenceState::active: s.ends_at = now; break;
      case SilenceState::pending: s.starts_at = s.ends_at = now; break;
    }
    return {};
  }

  /// Ids of the active silences muting `labels` at `t`.
  [[nodiscard]] std::vector<std::string> silenced_by(const LabelSet& labels, SystemTime t) const {
    std::vector<std::string> out;
    for (const auto& [id, s] : silences_) {
      if (s.state_at(t) == SilenceState::active && matches_all(s.matchers, labels)) out.push_back(id);
    }
    return out;
  }
  /// The silence `id`, or nullptr.
  [[nodiscard]] const Silence* find(const std::string& id) const {
    auto it = silences_.find(id);
    return it == silences_.end() ? nullptr : &it->second;
  }
  /// Every silence kept (pending, active and expired), by id.
  [[nodiscard]] std::vector<Silence> list() const {
    std::vector<Silence> out;
    out.reserve(silences_.size());
    for (const auto& [id, s] : silences_) out.push_back(s);
    return out;
  }
  /// Deletes silences expired for longer than `retention`; returns how many.
  std::size_t gc(SystemTime now, Nanos retention) {
    std::size_t n = 0;
    for (auto it = silences_.begin(); it != silences_.end();) {
      if (it->second.state_at(now) == SilenceState::expired && now - it->second.ends_at > retention) {
        it = silences_.erase(it);
        ++n;
      } else {
        ++it;
      }
    }
    return n;
  }

 private:
  std::map<std::string, Silence> silences_;
  std::uint64_t next_id_ = 0;
};

}  // namespace cts::health
