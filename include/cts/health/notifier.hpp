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

#include <chrono>
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
  [[nodiscard]] Nanos next_delay(std::uint32_t attempt, std::optional<Nanos> hint, double uniform) const noexcept;
};

/// A token bucket pacing one channel: `rate` requests per second, `burst` at once.
/// rate 0 means unpaced.
struct Pace {
  double rate = 0;   ///< Sustained requests per second (0: no pacing).
  double burst = 1;  ///< Bucket size.
};

/// Per-channel delivery settings.
struct ChannelOptions {
  RetryPolicy retry;                        ///< Backoff.
  Pace pace;                                ///< Pacing (Slack: 1/s, burst 3; PagerDuty: 2/s).
  Nanos timeout{std::chrono::seconds{10}};  ///< Per-request timeout.
  std::string fallback;                     ///< Channel (same notifier) that takes over when this one is disabled.
};

/// The health of a channel.
enum class ChannelState : std::uint8_t { healthy, degraded, disabled };

/// Counters of one channel.
struct ChannelStats {
  std::uint64_t attempts = 0;   ///< Requests sent.
  std::uint64_t delivered = 0;  ///< Confirmed deliveries.
  std::uint64_t retries = 0;    ///< Attempts that will be retried.
  std::uint64_t dropped = 0;    ///< Messages dropped as undeliverable.
  std::uint64_t rerouted = 0;   ///< Groups moved to the fallback.
  std::string last_failure;     ///< The last failed attempt's verdict (secret-free), empty if none.
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
  Notifier(NotificationTransport& transport, Outbox& outbox, NotificationLog& log, NotifierOptions options = {});

  /// Adds `channel` to `receiver`. Throws std::invalid_argument on a duplicate name.
  void add_channel(std::string receiver, std::unique_ptr<Channel> channel, ChannelOptions options = {});

  /// Decides, renders and queues `n` for every channel of its receiver (a disabled
  /// channel's share goes to its fallback). Returns success once everything needed is
  /// durably queued or recorded: then the dispatcher may forget the resolved alerts.
  Result<void> submit(const Notification& n);

  /// Queues `n` for every channel of its receiver with `reason`, bypassing the dedup
  /// decision (for `ctsctl notify` and channel tests: the operator asked to send).
  Result<void> send_now(const Notification& n, NotifyReason reason);

  /// Sends every item due at `now`, channel by channel. An item with a lead sends the
  /// lead first; once it is confirmed (logged as a delivery of its firing state) the
  /// item's own request follows in the same pump if pacing allows. Returns the number
  /// of requests sent.
  std::size_t pump(SystemTime now);

  /// The earliest time pump() has work (an item due or a token refilled), if any.
  [[nodiscard]] std::optional<SystemTime> next_wakeup() const;

  /// Meta-alerts raised since the last call (AlertChannelDown, AlertNotificationDropped);
  /// feed them to the dispatcher so that they are routed like any alert.
  std::vector<Alert> take_meta_alerts() { return std::exchange(meta_alerts_, {}); }

  /// The state of channel `name` (healthy when unknown).
  [[nodiscard]] ChannelState state(std::string_view name) const;
  /// The counters of channel `name`.
  [[nodiscard]] ChannelStats stats(std::string_view name) const;
  /// Re-enables a disabled channel (operator action after fixing its URL or key).
  void enable(std::string_view name);

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

  std::string resolve_target(const std::string& name) const;

  Result<void> submit_to(const std::string& name, const Notification& n);

  static SendVerdict transport_verdict(const Error& e);

  bool take_token(ChannelEntry& c, SystemTime now);

  // A confirmed lead: record its firing state, then mark it done (a crash between the two
  // re-sends the lead, at least once). False when the outbox could not persist it.
  bool lead_delivered(ChannelEntry& c, const OutboxItem& item);

  // Counts a failed outbox or log write. Not fatal: the in-memory state goes on, and the
  // worst outcome after a restart is a notification sent twice (at-least-once).
  static void persisted(ChannelEntry& c, const Result<void>& written);

  void apply(const std::string& name, ChannelEntry& c, const OutboxItem& item, const SendVerdict& v, SystemTime now);

  // The last notification of a group is kept only while some channel still has it
  // queued (a disabled channel's queue is rerouted from it).
  void forget_if_idle(const std::string& group_key);

  void reroute(const std::string& name, ChannelEntry& c);

  void raise_meta(std::string_view alertname, const std::string& name, const ChannelEntry& c, const SendVerdict& v,
                  SystemTime now);

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
