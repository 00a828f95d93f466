// The notifier's delivery logic (declared in cts/health/notifier.hpp).
#include "cts/health/notifier.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cts::health {

Nanos RetryPolicy::next_delay(std::uint32_t attempt, std::optional<Nanos> hint, double uniform) const noexcept {
  double base = static_cast<double>(initial.count()) * std::pow(multiplier, static_cast<double>(attempt) - 1.0);
  base = std::min(base, static_cast<double>(max.count()));
  const double jittered = base * (1.0 + jitter * (2.0 * uniform - 1.0));
  const Nanos backoff{static_cast<std::int64_t>(jittered)};
  return hint ? std::max(*hint, backoff) : backoff;
}

Notifier::Notifier(NotificationTransport& transport, Outbox& outbox, NotificationLog& log, NotifierOptions options)
    : transport_(transport), outbox_(outbox), log_(log), rng_(options.jitter_seed) {}

void Notifier::add_channel(std::string receiver, std::unique_ptr<Channel> channel, ChannelOptions options) {
  const std::string name = channel->name();
  if (channels_.count(name) != 0) throw std::invalid_argument("Notifier: duplicate channel '" + name + "'");
  ChannelEntry e{std::move(receiver), std::move(channel), std::move(options), ChannelState::healthy, {}, 0, {}};
  e.tokens = e.options.pace.burst;
  channels_.emplace(name, std::move(e));
}

Result<void> Notifier::submit(const Notification& n) {
  for (auto& [name, c] : channels_) {
    if (c.receiver != n.receiver) continue;
    if (auto r = submit_to(resolve_target(name), n); !r) return r;
  }
  forget_if_idle(n.group_key);
  return {};
}

Result<void> Notifier::send_now(const Notification& n, NotifyReason reason) {
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

std::size_t Notifier::pump(SystemTime now) {
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
        const SendVerdict verdict =
            response ? c.channel->classify(*response, now) : transport_verdict(response.error());
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

std::optional<SystemTime> Notifier::next_wakeup() const {
  std::optional<SystemTime> out;
  for (const auto& [name, c] : channels_) {
    if (c.state == ChannelState::disabled) continue;
    auto due = outbox_.next_due(name);
    if (!due) continue;
    SystemTime t = *due;
    if (c.options.pace.rate > 0 && c.tokens < 1) {
      const auto refill =
          std::chrono::duration_cast<Nanos>(std::chrono::duration<double>((1 - c.tokens) / c.options.pace.rate));
      t = std::max(t, c.tokens_at + refill);
    }
    if (!out || t < *out) out = t;
  }
  return out;
}

ChannelState Notifier::state(std::string_view name) const {
  auto it = channels_.find(std::string(name));
  return it == channels_.end() ? ChannelState::healthy : it->second.state;
}

ChannelStats Notifier::stats(std::string_view name) const {
  auto it = channels_.find(std::string(name));
  return it == channels_.end() ? ChannelStats{} : it->second.stats;
}

void Notifier::enable(std::string_view name) {
  auto it = channels_.find(std::string(name));
  if (it != channels_.end()) it->second.state = ChannelState::healthy;
}

std::string Notifier::resolve_target(const std::string& name) const {
  std::string target = name;
  for (int hops = 0; hops < 4; ++hops) {
    const auto& c = channels_.at(target);
    if (c.state != ChannelState::disabled || c.options.fallback.empty() || channels_.count(c.options.fallback) == 0)
      break;
    target = c.options.fallback;
  }
  return target;
}

Result<void> Notifier::submit_to(const std::string& name, const Notification& n) {
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
  const bool undelivered_firing =
      queued != nullptr && !queued->firing.empty() && !subset(queued->firing, entry ? &entry->firing : nullptr);
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
  if (reason == NotifyReason::resolved_before_delivery && c.channel->needs_firing_before_resolve() &&
      queued != nullptr) {
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

SendVerdict Notifier::transport_verdict(const Error& e) {
  SendVerdict v;
  v.action = Delivery::retry;
  v.reason = e.code == ErrorCode::timeout ? FailureReason::timeout : FailureReason::network;
  v.detail = e.message;
  return v;
}

bool Notifier::take_token(ChannelEntry& c, SystemTime now) {
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

bool Notifier::lead_delivered(ChannelEntry& c, const OutboxItem& item) {
  ++c.stats.delivered;
  persisted(c, log_.record(item.log_key, NotificationLogEntry{item.lead_firing, {}, item.flushed_at}));
  const Result<void> done = outbox_.lead_delivered(item.id);
  persisted(c, done);
  return static_cast<bool>(done);
}

void Notifier::persisted(ChannelEntry& c, const Result<void>& written) {
  if (written) return;
  ++c.stats.persistence_failures;
  c.stats.last_persistence_failure = written.error().to_string();
}

void Notifier::apply(const std::string& name, ChannelEntry& c, const OutboxItem& item, const SendVerdict& v,
                     SystemTime now) {
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
      if (v.reason == FailureReason::rate_limited)
        hint = std::max(hint.value_or(Nanos::zero()), c.channel->rate_limit_floor());
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

void Notifier::forget_if_idle(const std::string& group_key) {
  for (const auto& [name, c] : channels_) {
    if (outbox_.find(name, group_key) != nullptr) return;
  }
  last_notification_.erase(group_key);
}

void Notifier::reroute(const std::string& name, ChannelEntry& c) {
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

void Notifier::raise_meta(std::string_view alertname, const std::string& name, const ChannelEntry& c,
                          const SendVerdict& v, SystemTime now) {
  Alert a;
  a.labels = LabelSet{{"alertname", alertname},
                      {"channel", name},
                      {"channel_type", c.channel->type()},
                      {"severity", "critical"},
                      {"reason", to_string(v.reason)}};
  a.annotations =
      LabelSet{{"summary", std::string(alertname == "AlertChannelDown" ? "notification channel disabled: "
                                                                       : "notification dropped as undeliverable: ") +
                               v.detail}};
  a.starts_at = now;
  meta_alerts_.push_back(std::move(a));
}

}  // namespace cts::health
