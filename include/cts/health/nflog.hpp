#pragma once
/// \file
/// The notification log and the dedup decision (Alertmanager's nflog and
/// DedupStage.needsUpdate). An entry per (group, receiver, channel) holds the firing
/// and resolved fingerprints of the last *confirmed* delivery; record() is called only
/// after the channel confirmed it. Optionally durable (an fsync'd append-only file),
/// so a restart neither loses nor repeats what was delivered.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/health/detail/record_file.hpp"
#include "cts/health/record_store.hpp"

namespace cts::health {

/// Why a group is (or is not) sent to a channel now.
enum class NotifyReason : std::uint8_t {
  do_not_notify,             ///< Nothing new.
  first_notification,        ///< Never notified and something fires.
  new_alerts_in_group,       ///< An alert fires that was not in the last notification.
  all_alerts_resolved,       ///< Everything resolved (sent even without send_resolved, to clear the log).
  new_resolved_alerts,       ///< send_resolved and something resolved since.
  repeat_interval_elapsed,   ///< Unchanged for repeat_interval.
  resolved_before_delivery,  ///< SDK extension: fired and resolved while the firing state was never delivered.
};

/// snake_case name of `r` (the webhook's notification_reason vocabulary).
constexpr std::string_view to_string(NotifyReason r) noexcept {
  switch (r) {
    case NotifyReason::do_not_notify: return "do_not_notify";
    case NotifyReason::first_notification: return "first_notification";
    case NotifyReason::new_alerts_in_group: return "new_alerts_in_group";
    case NotifyReason::all_alerts_resolved: return "all_alerts_resolved";
    case NotifyReason::new_resolved_alerts: return "new_resolved_alerts";
    case NotifyReason::repeat_interval_elapsed: return "repeat_interval_elapsed";
    case NotifyReason::resolved_before_delivery: return "resolved_before_delivery";
  }
  return "invalid";
}

/// The last confirmed delivery of a group to one channel.
struct NotificationLogEntry {
  std::vector<std::uint64_t> firing;    ///< Sorted fingerprints that were firing.
  std::vector<std::uint64_t> resolved;  ///< Sorted fingerprints that were resolved.
  SystemTime timestamp{};               ///< When it was delivered (flush time).
};

/// The dedup decision, rows in Alertmanager's order. `firing`/`resolved` are sorted.
/// `undelivered_firing` is true when a firing state of the group was accepted for this
/// channel but never confirmed (it sits in the outbox): then a group that resolved in
/// the meantime is still announced (resolved_before_delivery) instead of silently
/// forgotten, which is the gap Alertmanager leaves.
inline NotifyReason needs_update(const NotificationLogEntry* entry, const std::vector<std::uint64_t>& firing,
                                 const std::vector<std::uint64_t>& resolved, bool send_resolved, Nanos repeat,
                                 SystemTime now, bool undelivered_firing = false) {
  const auto subset = [](const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
    return std::includes(b.begin(), b.end(), a.begin(), a.end());
  };
  if (entry == nullptr) {
    if (!firing.empty()) return NotifyReason::first_notification;
    return undelivered_firing ? NotifyReason::resolved_before_delivery : NotifyReason::do_not_notify;
  }
  if (!subset(firing, entry->firing)) {
    return entry->firing.empty() ? NotifyReason::first_notification : NotifyReason::new_alerts_in_group;
  }
  if (firing.empty()) {
    if (!entry->firing.empty()) return NotifyReason::all_alerts_resolved;
    return undelivered_firing ? NotifyReason::resolved_before_delivery : NotifyReason::do_not_notify;
  }
  if (send_resolved && !subset(resolved, entry->resolved)) return NotifyReason::new_resolved_alerts;
  if (entry->timestamp + repeat <= now) return NotifyReason::repeat_interval_elapsed;
  return NotifyReason::do_not_notify;
}

/// The log key of (group, receiver, channel).
inline std::string nflog_key(std::string_view group_key, std::string_view receiver, std::string_view channel) {
  return fmt::format("{}\x1f{}\x1f{}", group_key, receiver, channel);
}

/// Entries by key; in memory, or durable when open()ed on a file or a RecordStore.
/// Single-threaded.
class NotificationLog {
 public:
  /// An in-memory log.
  NotificationLog() = default;

  /// Loads and from now on persists the log in `path`. Errors: internal (I/O).
  Result<void> open(std::string path) {
    auto records = file_.open(std::move(path));
    if (!records) return records.error();
    attach(file_, *records);
    return {};
  }

  /// Loads and from now on persists the log in `store`, which must outlive the log.
  /// Errors: internal (I/O).
  Result<void> open(RecordStore& store) {
    auto records = store.load();
    if (!records) return records.error();
    attach(store, *records);
    return {};
  }

  /// The entry for `key`, or nullptr.
  [[nodiscard]] const NotificationLogEntry* query(const std::string& key) const {
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second;
  }

  /// Records a confirmed delivery (persisted before returning when durable). Errors:
  /// internal when writing fails; the entry is recorded in memory all the same, so this
  /// process does not notify the same state again (after a restart it may, once).
  Result<void> record(const std::string& key, NotificationLogEntry entry) {
    if (store_ != nullptr) {
      auto r = store_->append(encode(key, entry));
      if (!r) {
        entries_[key] = std::move(entry);
        return r;
      }
      if (++appends_since_compaction_ > 64 && appends_since_compaction_ > 4 * entries_.size()) {
        entries_[key] = entry;
        return compact();
      }
    }
    entries_[key] = std::move(entry);
    return {};
  }

  /// Drops entries older than `retention` (Alertmanager keeps 120 h); when durable and
  /// some went, the records are rewritten without them. Errors: internal (I/O; dropped
  /// in memory all the same, the stored records keep them until the next compaction).
  Result<void> gc(SystemTime now, Nanos retention) {
    const std::size_t before = entries_.size();
    for (auto it = entries_.begin(); it != entries_.end();) {
      it = (now - it->second.timestamp > retention) ? entries_.erase(it) : std::next(it);
    }
    if (store_ == nullptr || entries_.size() == before) return {};
    return compact();
  }
  /// Number of entries.
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

 private:
  void attach(RecordStore& store, const std::vector<std::string>& records) {
    store_ = &store;
    entries_.clear();
    for (const auto& r : records) {
      auto f = detail::decode_fields(r);
      if (!f || f->size() != 4) continue;
      NotificationLogEntry e;
      e.timestamp = SystemTime{std::chrono::duration_cast<SystemTime::duration>(Nanos{std::stoll((*f)[1])})};
      e.firing = decode_set((*f)[2]);
      e.resolved = decode_set((*f)[3]);
      entries_[(*f)[0]] = std::move(e);
    }
    ++appends_since_compaction_;
  }
  static std::string encode_set(const std::vector<std::uint64_t>& s) {
    std::string out;
    for (const auto fp : s) out += fmt::format("{:016x}", fp);
    return out;
  }
  static std::vector<std::uint64_t> decode_set(std::string_view s) {
    std::vector<std::uint64_t> out;
    for (std::size_t i = 0; i + 16 <= s.size(); i += 16) out.push_back(std::stoull(std::string(s.substr(i, 16)), nullptr, 16));
    return out;
  }
  static std::string encode(const std::string& key, const NotificationLogEntry& e) {
    const auto ns = std::chrono::duration_cast<Nanos>(e.timestamp.time_since_epoch()).count();
    return detail::encode_fields({key, std::to_string(ns), encode_set(e.firing), encode_set(e.resolved)});
  }
  Result<void> compact() {
    std::vector<std::string> records;
    for (const auto& [k, e] : entries_) records.push_back(encode(k, e));
    appends_since_compaction_ = 0;
    return store_->rewrite(records);
  }

  std::map<std::string, NotificationLogEntry> entries_;
  detail::RecordFile file_;       // the store of open(path)
  RecordStore* store_ = nullptr;  // where entries are persisted; none: in memory only
  std::size_t appends_since_compaction_ = 0;
};

}  // namespace cts::health
