#pragma once
/// \file
/// The durable per-channel outbox: rendered notifications waiting for confirmed
/// delivery. One item per (channel, group): a newer state of a group replaces the
/// queued one (every payload carries the group's full state), keeping the later of the
/// two retry times so a provider's Retry-After is never undercut. When a channel's
/// queue overflows, the oldest *firing-only* snapshot is dropped (counted); an item
/// holding resolved alerts is never dropped by overflow.
///
/// An item may carry a *lead*: a request that must be confirmed before its own request
/// is sent (PagerDuty's trigger for a group that resolved before the trigger was ever
/// delivered: PagerDuty ignores a resolve for a dedup_key it never saw). The lead is
/// cleared by lead_delivered() (persisted), so a restart resumes at the right step.
///
/// Durability: open(path) makes every change an fsync'd append to a record file before
/// the call returns, so a crash after a send but before ack() re-sends (at least once)
/// and a crash after ack() does not. The file holds webhook paths and routing keys:
/// it is created with mode 0600. open(RecordStore&) does the same in storage the
/// application provides (record_store.hpp). Single-threaded (the monitor's).

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/health/detail/record_file.hpp"
#include "cts/health/nflog.hpp"
#include "cts/health/record_store.hpp"

namespace cts::health {

/// One queued notification for one channel.
struct OutboxItem {
  std::uint64_t id = 0;                  ///< Assigned by the outbox.
  std::string channel;                   ///< Channel name.
  std::string group_key;                 ///< Group key.
  std::string log_key;                   ///< Notification-log key to record on delivery.
  NotifyReason reason = NotifyReason::first_notification;  ///< Why it is sent.
  HttpRequest request;                   ///< The rendered request.
  std::vector<std::uint64_t> firing;     ///< Firing fingerprints it announces.
  std::vector<std::uint64_t> resolved;   ///< Resolved fingerprints it announces.
  SystemTime flushed_at{};               ///< The notification's flush time (log timestamp).
  SystemTime created_at{};               ///< When it was first queued.
  std::uint32_t attempts = 0;            ///< Attempts so far.
  SystemTime next_at{};                  ///< Not before this time.
  std::optional<HttpRequest> lead;       ///< Sent and confirmed before `request`, when set.
  std::vector<std::uint64_t> lead_firing;  ///< Firing fingerprints the lead announces (logged on its delivery).
};

/// Outbox limits.
struct OutboxOptions {
  std::size_t max_items_per_channel = 10'000;  ///< Overflow drops the oldest firing-only item.
};

/// The outbox of every channel.
class Outbox {
 public:
  /// An in-memory outbox (tests, or when losing the queue on restart is acceptable).
  explicit Outbox(OutboxOptions options = {}) : options_(options) {}

  /// Loads the queue from `path` and persists every later change there. Errors:
  /// internal (I/O).
  Result<void> open(std::string path) {
    auto records = file_.open(std::move(path));
    if (!records) return records.error();
    return attach(file_, *records);
  }

  /// Loads the queue from `store` and persists every later change there; `store` must
  /// outlive the outbox. Errors: internal (I/O).
  Result<void> open(RecordStore& store) {
    auto records = store.load();
    if (!records) return records.error();
    return attach(store, *records);
  }

  /// Queues `item` (id assigned), replacing the item of the same channel and group.
  /// Returns the id. Errors: internal (I/O; nothing changed in memory).
  Result<std::uint64_t> enqueue(OutboxItem item) {
    if (auto old = find(item.channel, item.group_key)) {
      item.next_at = std::max(item.next_at, old->next_at);
      item.attempts = old->attempts;
      item.created_at = old->created_at;
      const auto old_id = old->id;
      if (auto r = persist(encode_delete(old_id)); !r) return r.error();
      unindex(old_id);
    }
    item.id = ++last_id_;
    if (auto r = persist(encode_put(item)); !r) return r.error();
    const std::string channel = item.channel;
    const auto id = item.id;
    index_[{item.channel, item.group_key}] = id;
    items_.emplace(id, std::move(item));
    if (auto r = enforce_limit(channel); !r) return r.error();
    return id;
  }

  /// The item `id`, or nullptr.
  [[nodiscard]] const OutboxItem* get(std::uint64_t id) const {
    auto it = items_.find(id);
    return it == items_.end() ? nullptr : &it->second;
  }
  /// The queued item of (channel, group), or nullptr.
  [[nodiscard]] const OutboxItem* find(std::string_view channel, std::string_view group_key) const {
    auto it = index_.find(std::pair<std::string, std::string>(channel, group_key));
    return it == index_.end() ? nullptr : get(it->second);
  }
  /// Ids of the items of `channel` due at `now`, oldest first.
  [[nodiscard]] std::vector<std::uint64_t> due(std::string_view channel, SystemTime now) const {
    std::vector<std::uint64_t> out;
    for (const auto& [id, it] : items_) {
      if (it.channel == channel && it.next_at <= now) out.push_back(id);
    }
    return out;
  }
  /// Ids of every item of `channel`, oldest first.
  [[nodiscard]] std::vector<std::uint64_t> items_of(std::string_view channel) const { return due(channel, SystemTime::max()); }
  /// The earliest next_at of `channel`'s items.
  [[nodiscard]] std::optional<SystemTime> next_due(std::string_view channel) const {
    std::optional<SystemTime> out;
    for (const auto& [id, it] : items_) {
      if (it.channel == channel && (!out || it.next_at < *out)) out = it.next_at;
    }
    return out;
  }

  // ack, lead_delivered, drop and reschedule change the queue in memory even when
  // writing the change fails (internal error returned): this process then neither
  // re-sends a delivered item nor retries without backoff; after a restart the older
  // record at worst sends an item once more (delivery is at-least-once).

  /// Removes a delivered item. Errors: invalid_argument (unknown id), internal (I/O;
  /// removed in memory all the same).
  Result<void> ack(std::uint64_t id) { return erase(id); }
  /// Records that item `id`'s lead was confirmed: its own request is next. Errors:
  /// invalid_argument (unknown id or no lead; nothing changed), internal (I/O; changed
  /// in memory all the same).
  Result<void> lead_delivered(std::uint64_t id) {
    auto it = items_.find(id);
    if (it == items_.end() || !it->second.lead) return make_error(ErrorCode::invalid_argument, "no outbox lead to confirm");
    Result<void> written = persist(detail::encode_fields({"l", std::to_string(id)}));
    it->second.lead.reset();
    it->second.lead_firing.clear();
    return written;
  }
  /// Removes an item that can never be delivered. Errors as ack().
  Result<void> drop(std::uint64_t id) { return erase(id); }
  /// Records an attempt: `attempts` so far and the earliest next try. Errors:
  /// invalid_argument (unknown id), internal (I/O; rescheduled in memory all the same).
  Result<void> reschedule(std::uint64_t id, std::uint32_t attempts, SystemTime next_at) {
    auto it = items_.find(id);
    if (it == items_.end()) return make_error(ErrorCode::invalid_argument, "unknown outbox item");
    Result<void> written =
        persist(detail::encode_fields({"s", std::to_string(id), std::to_string(attempts), ns(next_at)}));
    it->second.attempts = attempts;
    it->second.next_at = next_at;
    return written;
  }

  /// Items queued across channels.
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  /// Firing-only snapshots dropped by overflow (resolved states are never dropped).
  [[nodiscard]] std::uint64_t dropped_by_overflow() const noexcept { return dropped_; }
  /// Age of the oldest item at `now` (zero when empty).
  [[nodiscard]] Nanos oldest_age(SystemTime now) const noexcept {
    Nanos out{0};
    for (const auto& [id, it] : items_) out = std::max(out, std::chrono::duration_cast<Nanos>(now - it.created_at));
    return out;
  }

 private:
  static std::string ns(SystemTime t) {
    return std::to_string(std::chrono::duration_cast<Nanos>(t.time_since_epoch()).count());
  }
  static SystemTime from_ns(const std::string& s) {
    return SystemTime{std::chrono::duration_cast<SystemTime::duration>(Nanos{std::stoll(s)})};
  }
  static std::string encode_set(const std::vector<std::uint64_t>& s) {
    std::string out;
    for (const auto v : s) detail::append_netstring(out, std::to_string(v));
    return out;
  }
  static std::vector<std::uint64_t> decode_set(const std::string& s) {
    std::vector<std::uint64_t> out;
    if (auto f = detail::decode_fields(s)) {
      for (const auto& v : *f) out.push_back(std::stoull(v));
    }
    return out;
  }
  static std::string encode_delete(std::uint64_t id) { return detail::encode_fields({"d", std::to_string(id)}); }
  static std::string encode_headers(const HttpRequest& r) {
    std::string headers;
    for (const auto& h : r.headers) {
      detail::append_netstring(headers, h.name);
      detail::append_netstring(headers, h.value);
    }
    return headers;
  }
  static void decode_headers(const std::string& s, HttpRequest& r) {
    if (auto hs = detail::decode_fields(s)) {
      for (std::size_t k = 0; k + 1 < hs->size(); k += 2) r.headers.push_back({(*hs)[k], (*hs)[k + 1]});
    }
  }
  // A lead is one field: empty when absent, else its method, path, query, body, headers.
  static std::string encode_lead(const std::optional<HttpRequest>& r) {
    if (!r) return {};
    return detail::encode_fields({std::to_string(static_cast<int>(r->method)), r->path, r->query, r->body, encode_headers(*r)});
  }
  static std::optional<HttpRequest> decode_lead(const std::string& s) {
    if (s.empty()) return std::nullopt;
    auto f = detail::decode_fields(s);
    if (!f || f->size() != 5) return std::nullopt;
    HttpRequest r;
    r.method = static_cast<HttpMethod>(std::stoi((*f)[0]));
    r.path = (*f)[1];
    r.query = (*f)[2];
    r.body = (*f)[3];
    decode_headers((*f)[4], r);
    return r;
  }
  static std::string encode_put(const OutboxItem& i) {
    return detail::encode_fields({"p", std::to_string(i.id), i.channel, i.group_key, i.log_key,
                                  std::to_string(static_cast<int>(i.reason)),
                                  std::to_string(static_cast<int>(i.request.method)), i.request.path, i.request.query,
                                  i.request.body, encode_headers(i.request), encode_set(i.firing), encode_set(i.resolved),
                                  ns(i.flushed_at), ns(i.created_at), std::to_string(i.attempts), ns(i.next_at),
                                  encode_lead(i.lead), encode_set(i.lead_firing)});
  }

  Result<void> attach(RecordStore& store, const std::vector<std::string>& records) {
    items_.clear();
    index_.clear();
    for (const auto& r : records) replay(r);
    store_ = &store;
    return compact();
  }

  void replay(const std::string& record) {
    auto f = detail::decode_fields(record);
    if (!f || f->empty()) return;
    const auto& v = *f;
    if (v[0] == "p" && (v.size() == 17 || v.size() == 19)) {  // 17: written before leads existed
      OutboxItem i;
      i.id = std::stoull(v[1]);
      i.channel = v[2];
      i.group_key = v[3];
      i.log_key = v[4];
      i.reason = static_cast<NotifyReason>(std::stoi(v[5]));
      i.request.method = static_cast<HttpMethod>(std::stoi(v[6]));
      i.request.path = v[7];
      i.request.query = v[8];
      i.request.body = v[9];
      decode_headers(v[10], i.request);
      i.firing = decode_set(v[11]);
      i.resolved = decode_set(v[12]);
      i.flushed_at = from_ns(v[13]);
      i.created_at = from_ns(v[14]);
      i.attempts = static_cast<std::uint32_t>(std::stoul(v[15]));
      i.next_at = from_ns(v[16]);
      if (v.size() == 19) {
        i.lead = decode_lead(v[17]);
        i.lead_firing = decode_set(v[18]);
      }
      last_id_ = std::max(last_id_, i.id);
      index_[{i.channel, i.group_key}] = i.id;
      items_[i.id] = std::move(i);
    } else if (v[0] == "d" && v.size() == 2) {
      unindex(std::stoull(v[1]));
    } else if (v[0] == "l" && v.size() == 2) {
      auto it = items_.find(std::stoull(v[1]));
      if (it != items_.end()) {
        it->second.lead.reset();
        it->second.lead_firing.clear();
      }
    } else if (v[0] == "s" && v.size() == 4) {
      auto it = items_.find(std::stoull(v[1]));
      if (it != items_.end()) {
        it->second.attempts = static_cast<std::uint32_t>(std::stoul(v[2]));
        it->second.next_at = from_ns(v[3]);
      }
    }
  }

  void unindex(std::uint64_t id) {
    auto it = items_.find(id);
    if (it == items_.end()) return;
    index_.erase({it->second.channel, it->second.group_key});
    items_.erase(it);
  }
  Result<void> persist(const std::string& record) {
    if (store_ == nullptr) return {};
    return store_->append(record);
  }
  Result<void> erase(std::uint64_t id) {
    if (items_.count(id) == 0) return make_error(ErrorCode::invalid_argument, "unknown outbox item");
    Result<void> written = persist(encode_delete(id));
    unindex(id);
    if (!written) return written;
    if (store_ != nullptr && ++erasures_since_compaction_ > 256) return compact();
    return {};
  }
  Result<void> enforce_limit(const std::string& channel) {
    std::vector<std::uint64_t> ids = items_of(channel);
    if (ids.size() <= options_.max_items_per_channel) return {};
    for (const auto id : ids) {
      if (items_.at(id).resolved.empty()) {
        ++dropped_;
        return erase(id);
      }
    }
    return {};  // every item holds resolved alerts: keep them all
  }
  Result<void> compact() {
    if (store_ == nullptr) return {};
    std::vector<std::string> records;
    for (const auto& [id, it] : items_) records.push_back(encode_put(it));
    erasures_since_compaction_ = 0;
    return store_->rewrite(records);
  }

  OutboxOptions options_;
  std::map<std::uint64_t, OutboxItem> items_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> index_;  // (channel, group) -> id
  std::uint64_t last_id_ = 0;
  std::uint64_t dropped_ = 0;
  detail::RecordFile file_;       // the store of open(path)
  RecordStore* store_ = nullptr;  // where changes are persisted; none: in memory only
  std::size_t erasures_since_compaction_ = 0;
};

}  // namespace cts::health
