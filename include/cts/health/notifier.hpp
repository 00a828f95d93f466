#pragma once
/// \file
/// Delivery: the Notifier takes each group notification from the dispatcher, decides
/// per channel whether it must be sent (the dedup decision against the notification
/// log), renders it into the durable outbox, and pump() sends what is due through a
/// NotificationTransport, with per-channel pacing, exponential backoff with jitter
/// that never goes earlier than the provider's Retry-After, and the verdicts of
/// channels.hpp: delivered (then, and only then, the notification log is written),
/// retry, drop (400: one message lost, meta-alert), disable (401/403/404/410: the
/// channel stops, queued groups are rerouted to its fallback, meta-alert).
/// Channels are independent: one failing channel never delays another.
/// Single-threaded: run submit() and pump() on the monitor thread; the transport's
/// send() blocks that thread for at most the request timeout.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/health/channels.hpp"
#include "cts/health/nflog.hpp"
#include "cts/health/notification.hpp"
#include "cts/health/outbox.hpp"

namespace cts::health {

/// Sends one request to an origin ("https://hooks.slack.com") and returns the response
/// or a transport error (network, timeout, unknown_outcome). Implementations: the
/// HTTP adapter in cts::health (src/health, over cts::net), fakes in tests.
class NotificationTransport {
 public:
  virtual ~NotificationTransport() = default;
  /// Sends `request` to `origin`, giving up after `timeout`.
  virtual Result<HttpResponse> send(std::string_view origin, const HttpRequest& request, Nanos timeout) = 0;
};

/// Exponential backoff with jitter (Alertmanager's: 500 ms × 1.5^n, ±50 %, at most
/// 60 s), never earlier than the provider's hint.
struct RetryPolicy {
  Nanos initial{std::chrono::milliseconds{500}};  ///< First delay.
  double multiplier = 1.5;                        ///< Growth per attempt.
  double jitter = 0.5;                            ///< Relative jitter: delay × (1 ± jitter).
  Nanos max{std::chrono::seconds{60}};            ///< Cap of the un-jittered delay.

  /// The delay after failed attempt number `attempt` (1-based) given `uniform` in
  /// [0, 1): the jittered backoff, or `hint` when that is later.
  [[nodiscard]] Nanos next_delay(std::uint32_t attempt, std::optional<Nanos> hint, double uniform) const noexcept {
    double base = static_cast<double>(initial.count()) * std::pow(multiplier, static_cast<double>(attempt) - 1.0);
    base = std::min(base, static_cast<double>(max.count()));
    const double jittered = base * (1.0 + jitter * (2.0 * uniform - 1.0));
    const Nanos backoff{static_cast<std::int64_t>(jittered)};
    return hint ? std::max(*hint, backoff) : backoff;
  }
};

/// A token bucket pacing one channel: `rate` requests per second, `burst` at once.
/// rate 0 means unpaced.
struct Pace {
  double rate = 0;     ///< Sustained requests per second (0: no pacing).
  double burst = 1;    ///< Bucket size.
};

/// Per-channel delivery settings.
struct ChannelOptions {
  RetryPolicy retry;                       ///< Backoff.
  Pace pace;                               ///< Pacing (Slack: 1/s, burst 3; PagerDuty: 2/s).
  Nanos timeout{std::chrono::seconds{10}}; ///< Per-request timeout.
  std::string fallback;                    ///< Channel (same notifier) that takes over when this one is disabled.
};

/// The health of a channel.
enum class ChannelState : std::uint8_t { healthy, degraded, disabled };

/// Counters of one channel.
struct ChannelStats {
  std::uint64_t attempts = 0;    ///< Requests sent.
  std::uint64_t delivered = 0;   ///< Confirmed deliveries.
  std::uint64_t retries = 0;     ///< Attempts that will be retried.
  std::uint64_t dropped = 0;     ///< Messages dropped as undeliverable.
  std::uint64_t rerouted = 0;    ///< Groups moved to the fallback.
  std::string last_failure;      ///< The last failed attempt's verdict (secret-free), empty if none.
  /// Outbox or notification-log writes that failed (disk full, read-only). Delivery stays
  /// at-least-once: an unrecorded ack or log entry can only cause a repeat notification.
  std::uint64_t persistence_failures = 0;
  std::string last_persistence_failure;  ///< The last such error, empty if none.
};

/// Notifier options.
struct NotifierOptions {
  std::uint64_t jitter_seed = 0x5eed;  ///< Seed of the jitter generator (tests fix it).
};

/// Renders, queues and delivers notifications.
class Notifier {
 public:
  /// A notifier writing to `outbox` and `log` and sending with `transport`; all three
  /// must outlive it.
  Notifier(NotificationTransport& transport, Outbox& outbox, NotificationLog& log, NotifierOptions options = {})
      : transport_(transport), outbox_(outbox), log_(log), rng_(options.jitter_seed) {}

  /// Adds `channel` to `receiver`. Throws std::invalid_argument on a duplicate name.
  void add_channel(std::string receiver, std::unique_ptr<Channel> channel, ChannelOptions options = {}) {
    const std::string name = channel->name();
    if (channels_.count(name) != 0) throw std::invalid_argument("Notifier: duplicate channel '" + name + "'");
    ChannelEntry e{std::move(receiver), std::move(channel), std::move(options), ChannelState::healthy, {}, 0, {}};
    e.tokens = e.options.pace.burst;
    channels_.emplace(name, std::move(e));
  }

  /// Decides, renders and queues `n` for every channel of its receiver (a disabled
  /// channel's share goes to its fallback). Returns success once everything needed is
  /// durably queued or recorded: then the dispatcher may forget the resolved alerts.
  Result<void> submit(const Notification& n) {
    for (auto& [name, c] : channels_) {
      if (c.receiver != n.receiver) continue;
      if (auto r = submit_to(resolve_target(name), n); !r) return r;
    }
    forget_if_idle(n.group_key);
    return {};
  }

  /// Queues `n` for every channel of its receiver with `reason`, bypassing the dedup
  /// decision (for `ctsctl notify` and channel tests: the operator asked to send).
  Result<void> send_now(const Notification& n, NotifyReason reason) {
    for (auto& [name, c] : channels_) {
      if (c.receiver != n.receiver) continue;
      OutboxItem item;
      item.channel = name;
      item.group_key = n.group_key;
      item.log_key = nflog_key(n.group_key, n.receiver, name);
      item.reason = reason;
      item.request = c.channel->render(n, reason);
      item.firing = n.fingerprints(AlertStatus::firing);
      item.resolved = n.fingerprints(AlertStatus::resolved);
      item.flushed_at = item.created_at = item.next_at = n.at;
      if (auto id = outbox_.enqueue(std::move(item)); !id) return id.error();
    }
    return {};
  }

  /// Sends every item due at `now`, channel by channel. An item with a lead sends the
  /// lead first; once it is confirmed (logged as a delivery of its firing state) the
  /// item's own request follows in the same pump if pacing allows. Returns the number
  /// of requests sent.
  std::size_t pump(SystemTime now) {
    std::size_t sent = 0;
    for (auto& [name, c] : channels_) {
      if (c.state == ChannelState::disabled) continue;
      NotificationTransport& transport = c.channel->own_transport() != nullptr ? *c.channel->own_transport() : transport_;
      bool paced_out = false;
      for (const auto id : outbox_.due(name, now)) {
        for (;;) {
          const OutboxItem* item = outbox_.get(id);
          if (item == nullptr) break;
          if (!take_token(c, now)) {
            paced_out = true;
            break;
          }
          ++sent;
          ++c.stats.attempts;
          const bool leading = item->lead.has_value();
          auto response = transport.send(c.channel->origin(), leading ? *item->lead : item->request, c.options.timeout);
          const SendVerdict verdict = response ? c.channel->classify(*response, now) : transport_verdict(response.error());
          if (leading && verdict.action == Delivery::delivered) {
            if (!lead_delivered(c, *item)) break;
            continue;  // the item's own request is next
          }
          apply(name, c, *item, verdict, now);
          break;
        }
        if (paced_out || c.state == ChannelState::disabled) break;
      }
    }
    return sent;
  }

  /// The earliest time pump() has work (an item due or a token refilled), if any.
  [[nodiscard]] std::optional<SystemTime> next_wakeup() const {
    std::optional<SystemTime> out;
    for (const auto& [name, c] : channels_) {
      if (c.state == ChannelState::disabled) continue;
      auto due = outbox_.next_due(name);
      if (!due) continue;
      SystemTime t = *due;
      if (c.options.pace.rate > 0 && c.tokens < 1) {
        const auto refill = std::chrono::duration_cast<Nanos>(std::chrono::duration<double>((1 - c.tokens) / c.options.pace.rate));
        t = std::max(t, c.tokens_at + refill);
      }
      if (!out || t < *out) out = t;
    }
    return out;
  }

  /// Meta-alerts raised since the last call (AlertChannelDown, AlertNotificationDropped);
  /// feed them to the dispatcher so that they are routed like any alert.
  std::vector<Alert> take_meta_alerts() { return std::exchange(meta_alerts_, {}); }

  /// The state of channel `name` (healthy when unknown).
  [[nodiscard]] ChannelState state(std::string_view name) const {
    auto it = channels_.find(std::string(name));
    return it == channels_.end() ? ChannelState::healthy : it->second.state;
  }
  /// The counters of channel `name`.
  [[nodiscard]] ChannelStats stats(std::string_view name) const {
    auto it = channels_.find(std::string(name));
    return it == channels_.end() ? ChannelStats{} : it->second.stats;
  }
  /// Re-enables a disabled channel (operator action after fixing its URL or key).
  void enable(std::string_view name) {
    auto it = channels_.find(std::string(name));
    if (it != channels_.end()) it->second.state = ChannelState::healthy;
  }

 private:
  struct ChannelEntry {
    std::string receiver;
    std::unique_ptr<Channel> channel;
    ChannelOptions options;
    ChannelState state;
    ChannelStats stats;
    double tokens;
    SystemTime tokens_at;
  };

  std::string resolve_target(const std::string& name) const {
    std::string target = name;
    for (int hops = 0; hops < 4; ++hops) {
      const auto& c = channels_.at(target);
      if (c.state != ChannelState::disabled || c.options.fallback.empty() || channels_.count(c.options.fallback) == 0) break;
      target = c.options.fallback;
    }
    return target;
  }

  Result<void> submit_to(const std::string& name, const Notification& n) {
    auto& c = channels_.at(name);
    last_notification_[n.group_key] = n;
    const std::string key = nflog_key(n.group_key, n.receiver, name);
    const auto firing = n.fingerprints(AlertStatus::firing);
    const auto resolved = n.fingerprints(AlertStatus::resolved);
    const NotificationLogEntry* entry = log_.query(key);
    const OutboxItem* queued = outbox_.find(name, n.group_key);
    const auto subset = [](const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>* b) {
      return b != nullptr && std::includes(b->begin(), b->end(), a.begin(), a.end());
    };
    // A queued firing state announcing alerts the receiver never heard of.
    const bool undelivered_firing = queued != nullptr && !queued->firing.empty() &&
                                    !subset(queued->firing, entry ? &entry->firing : nullptr);
    NotifyReason reason = firing.empty() && undelivered_firing
                              ? NotifyReason::resolved_before_delivery
                              : needs_update(entry, firing, resolved, c.channel->send_resolved(), n.repeat_interval, n.at,
                                             undelivered_firing);
    if (reason == NotifyReason::do_not_notify) {
      if (queued == nullptr) return {};
      reason = queued->reason;  // keep the queued state current (coalescing)
    }
    if (reason == NotifyReason::all_alerts_resolved && !c.channel->send_resolved()) {
      if (queued != nullptr) {
        if (auto r = outbox_.drop(queued->id); !r) return r;
      }
      return log_.record(key, NotificationLogEntry{firing, resolved, n.at});  // clears the log, sends nothing
    }
    OutboxItem item;
    item.channel = name;
    item.group_key = n.group_key;
    item.log_key = key;
    item.reason = reason;
    item.request = c.channel->render(n, reason);
    item.firing = firing;
    item.resolved = resolved;
    item.flushed_at = n.at;
    item.created_at = n.at;
    item.next_at = n.at;
    if (reason == NotifyReason::resolved_before_delivery && c.channel->needs_firing_before_resolve() && queued != nullptr) {
      // The receiver never saw the group fire: the undelivered firing request goes first.
      if (queued->lead) {
        item.lead = queued->lead;
        item.lead_firing = queued->lead_firing;
      } else if (!queued->firing.empty()) {
        item.lead = queued->request;
        item.lead_firing = queued->firing;
      }
    }
    auto id = outbox_.enqueue(std::move(item));
    if (!id) return id.error();
    return {};
  }

  static SendVerdict transport_verdict(const Error& e) {
    SendVerdict v;
    v.action = Delivery::retry;
    v.reason = e.code == ErrorCode::timeout ? FailureReason::timeout : FailureReason::network;
    v.detail = e.message;
    return v;
  }

  bool take_token(ChannelEntry& c, SystemTime now) {
    if (c.options.pace.rate <= 0) return true;
    if (c.tokens_at != SystemTime{} && now > c.tokens_at) {
      c.tokens = std::min(c.options.pace.burst,
                          c.tokens + std::chrono::duration<double>(now - c.tokens_at).count() * c.options.pace.rate);
    }
    c.tokens_at = now;
    if (c.tokens < 1) return false;
    c.tokens -= 1;
    return true;
  }

  // A confirmed lead: record its firing state, then mark it done (a crash between the two
  // re-sends the lead, at least once). False when the outbox could not persist it.
  bool lead_delivered(ChannelEntry& c, const OutboxItem& item) {
    ++c.stats.delivered;
    persisted(c, log_.record(item.log_key, NotificationLogEntry{item.lead_firing, {}, item.flushed_at}));
    const Result<void> done = outbox_.lead_delivered(item.id);
    persisted(c, done);
    return static_cast<bool>(done);
  }

  // Counts a failed outbox or log write. Not fatal: the in-memory state goes on, and the
  // worst outcome after a restart is a notification sent twice (at-least-once).
  static void persisted(ChannelEntry& c, const Result<void>& written) {
    if (written) return;
    ++c.stats.persistence_failures;
    c.stats.last_persistence_failure = written.error().to_string();
  }

  void apply(const std::string& name, ChannelEntry& c, const OutboxItem& item, const SendVerdict& v, SystemTime now) {
    const std::uint64_t id = item.id;
    if (v.action != Delivery::delivered) c.stats.last_failure = std::string(to_string(v.reason)) + ": " + v.detail;
    switch (v.action) {
      case Delivery::delivered: {
        NotificationLogEntry entry{item.firing, item.resolved, item.flushed_at};
        const std::string log_key = item.log_key;
        const std::string group_key = item.group_key;
        persisted(c, outbox_.ack(id));
        persisted(c, log_.record(log_key, std::move(entry)));
        forget_if_idle(group_key);
        ++c.stats.delivered;
        if (c.state == ChannelState::degraded && outbox_.items_of(name).empty()) c.state = ChannelState::healthy;
        return;
      }
      case Delivery::retry: {
        ++c.stats.retries;
        c.state = ChannelState::degraded;
        std::optional<Nanos> hint = v.retry_after;
        if (v.reason == FailureReason::rate_limited) hint = std::max(hint.value_or(Nanos::zero()), c.channel->rate_limit_floor());
        const std::uint32_t attempts = item.attempts + 1;
        const Nanos delay = c.options.retry.next_delay(attempts, hint, uniform_(rng_));
        persisted(c, outbox_.reschedule(id, attempts, now + delay));
        return;
      }
      case Delivery::drop: {
        ++c.stats.dropped;
        persisted(c, outbox_.drop(id));
        raise_meta("AlertNotificationDropped", name, c, v, now);
        return;
      }
      case Delivery::disable: {
        c.state = ChannelState::disabled;
        raise_meta("AlertChannelDown", name, c, v, now);
        reroute(name, c);
        return;
      }
    }
  }

  // The last notification of a group is kept only while some channel still has it
  // queued (a disabled channel's queue is rerouted from it).
  void forget_if_idle(const std::string& group_key) {
    for (const auto& [name, c] : channels_) {
      if (outbox_.find(name, group_key) != nullptr) return;
    }
    last_notification_.erase(group_key);
  }

  void reroute(const std::string& name, ChannelEntry& c) {
    if (c.options.fallback.empty() || channels_.count(c.options.fallback) == 0) return;  // kept until enable()
    for (const auto id : outbox_.items_of(name)) {
      const OutboxItem* item = outbox_.get(id);
      auto n = last_notification_.find(item->group_key);
      if (n == last_notification_.end()) continue;
      const std::string target = resolve_target(name);
      if (target == name) continue;
      if (submit_to(target, n->second)) {
        persisted(c, outbox_.drop(id));
        ++c.stats.rerouted;
      }
    }
  }

  void raise_meta(std::string_view alertname, const std::string& name, const ChannelEntry& c, const SendVerdict& v,
                  SystemTime now) {
    Alert a;
    a.labels = LabelSet{{"alertname", alertname}, {"channel", name}, {"channel_type", c.channel->type()},
                        {"severity", "critical"}, {"reason", to_string(v.reason)}};
    a.annotations = LabelSet{{"summary", std::string(alertname == "AlertChannelDown"
                                                         ? "notification channel disabled: "
                                                         : "notification dropped as undeliverable: ") +
                                             v.detail}};
    a.starts_at = now;
    meta_alerts_.push_back(std::move(a));
  }

  NotificationTransport& transport_;
  Outbox& outbox_;
  NotificationLog& log_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  std::map<std::string, ChannelEntry> channels_;
  std::map<std::string, Notification> last_notification_;
  std::vector<Alert> meta_alerts_;
};

}  // namespace cts::health
