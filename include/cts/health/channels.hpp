#pragma once
/// \file
/// Notification channels, pure: render() turns a Notification into a cts::HttpRequest
/// (within the channel's documented limits: lengths in code points, counts, UTF-8
/// boundaries) and classify() turns the cts::HttpResponse into delivered / retry (not
/// before the provider's Retry-After or retry_after) / drop the message / disable the
/// channel. Sending is the NotificationTransport's job (notifier.hpp). Built-ins: Slack
/// incoming webhook, Discord webhook, PagerDuty Events API v2, and a generic webhook
/// byte-compatible with Alertmanager's version 4 JSON.
///
/// Secrets: a webhook URL (Slack, Discord) or a routing key (PagerDuty) is a
/// credential. Channels keep it, put it only into the request, and never into an
/// error message or describe().

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/health/nflog.hpp"
#include "cts/health/notification.hpp"

namespace cts::health {

class NotificationTransport;

/// What to do after an attempt.
enum class Delivery : std::uint8_t {
  delivered,  ///< Confirmed: record it in the notification log.
  retry,      ///< Transient: try again, not before retry_after.
  drop,       ///< This message can never succeed (e.g. 400): drop it, raise a meta-alert.
  disable,    ///< The endpoint is gone or refuses us (401/403/404/410): stop using the channel.
};

/// Why an attempt failed (Alertmanager's notifications_failed_total reasons).
enum class FailureReason : std::uint8_t { none, client_error, server_error, rate_limited, auth, timeout, network };

/// "none", "clientError", "serverError", "rateLimited", "authError", "timeout", "network".
constexpr std::string_view to_string(FailureReason r) noexcept {
  switch (r) {
    case FailureReason::none: return "none";
    case FailureReason::client_error: return "clientError";
    case FailureReason::server_error: return "serverError";
    case FailureReason::rate_limited: return "rateLimited";
    case FailureReason::auth: return "authError";
    case FailureReason::timeout: return "timeout";
    case FailureReason::network: return "network";
  }
  return "invalid";
}

/// The classification of one attempt.
struct SendVerdict {
  Delivery action = Delivery::delivered;       ///< What to do.
  FailureReason reason = FailureReason::none;  ///< Why it failed.
  std::optional<Nanos> retry_after;            ///< The provider's minimum wait, when it gave one.
  std::string detail;                          ///< Human-readable, secret-free (status and a body excerpt).
};

/// A webhook URL split for the transport: origin "scheme://host[:port]" and the path and
/// query the request carries. The whole URL is a secret; so are path and query.
struct WebhookUrl {
  std::string origin;  ///< "https://hooks.slack.com".
  std::string path;    ///< "/services/T000/B000/XXXX".
  std::string query;   ///< Without '?'.

  /// Splits `url` with core's split_url(). Errors (invalid_argument, never quoting the
  /// URL): not http(s), no host, user information, a bad port, a space, line break or
  /// '#' in the path.
  static Result<WebhookUrl> parse(std::string_view url);
};

/// The PagerDuty severity ("critical", "error", "warning", "info") of an alert's
/// `severity` label: critical→critical, high/error→error, medium/warning/warn→warning,
/// low/info→info; anything else→error (Alertmanager's default).
std::string_view pagerduty_severity(std::string_view label) noexcept;

/// A notification channel (pure: render and classify).
class Channel {
 public:
  virtual ~Channel() = default;
  /// The channel type: "slack", "discord", "pagerduty", "webhook".
  [[nodiscard]] virtual std::string_view type() const noexcept = 0;
  /// The configured name (unique per receiver), safe to log.
  [[nodiscard]] virtual const std::string& name() const noexcept = 0;
  /// The origin the transport connects to ("https://hooks.slack.com"), safe to log.
  [[nodiscard]] virtual const std::string& origin() const noexcept = 0;
  /// Whether resolved alerts are sent (all-resolved groups are still logged).
  [[nodiscard]] virtual bool send_resolved() const noexcept = 0;
  /// The request announcing `n` for `reason`.
  [[nodiscard]] virtual HttpRequest render(const Notification& n, NotifyReason reason) const = 0;
  /// The verdict on `response` received at `now`.
  [[nodiscard]] virtual SendVerdict classify(const HttpResponse& response, SystemTime now) const = 0;
  /// The smallest wait after a 429 without a usable hint (PagerDuty: minutes).
  [[nodiscard]] virtual Nanos rate_limit_floor() const noexcept { return std::chrono::seconds{1}; }
  /// Whether the receiver ignores a resolve for a group it never saw firing (PagerDuty:
  /// a resolve for an unknown dedup_key is dropped). Then, when a group resolves before
  /// its firing state was delivered, the notifier sends the undelivered firing request
  /// first and the resolve only after it was confirmed. Other channels get one message
  /// announcing that the alerts fired and resolved (reason resolved_before_delivery).
  [[nodiscard]] virtual bool needs_firing_before_resolve() const noexcept { return false; }
  /// The transport this channel must be sent through instead of the notifier's (the
  /// email channel's SMTP sender, the log channel's sink), or nullptr. Owned by the
  /// channel; used only from the notifier's thread.
  [[nodiscard]] virtual NotificationTransport* own_transport() noexcept { return nullptr; }
};

namespace detail {

/// The verdicts by status code the webhook channels share: 5xx retry; 429 retry after
/// the hint; 401/403/404/410 disable; other 4xx drop.
SendVerdict classify_status(const HttpResponse& r, SystemTime now, bool success);

/// "[FIRING:2] v1 v2" or "[RESOLVED] v1 v2" (group label values).
std::string title(const Notification& n);

/// One line per alert: "alertname — summary (label=value, ...) since/resolved time".
std::string alert_line(const Alert& a, SystemTime at, bool markdown);

/// The alerts a channel shows: all, or only firing ones without send_resolved (a
/// resolved_before_delivery notice shows everything).
std::vector<const Alert*> visible_alerts(const Notification& n, bool send_resolved, NotifyReason reason);

/// Appends `kv` as a JSON object of strings, in label order.
void append_kv_object(std::string& out, const LabelSet& kv);

/// A POST of the JSON `body` to `url`'s path and query.
HttpRequest json_post(const WebhookUrl& url, std::string body);

/// Shared state of the webhook-style channels.
class HttpChannelBase : public Channel {
 public:
  HttpChannelBase(std::string name, WebhookUrl url, bool send_resolved)
      : name_(std::move(name)), url_(std::move(url)), send_resolved_(send_resolved) {}
  [[nodiscard]] const std::string& name() const noexcept override { return name_; }
  [[nodiscard]] const std::string& origin() const noexcept override { return url_.origin; }
  [[nodiscard]] bool send_resolved() const noexcept override { return send_resolved_; }

 protected:
  [[nodiscard]] const WebhookUrl& url() const noexcept { return url_; }

 private:
  std::string name_;
  WebhookUrl url_;
  bool send_resolved_;
};

}  // namespace detail

/// Slack incoming webhook: `{"text": fallback, "blocks": [sections]}`; a section's text
/// is at most 3000 characters, a message at most 50 blocks, `text` at most 40 000;
/// success is 200 with body "ok". send_resolved defaults to false (Alertmanager).
class SlackWebhook final : public detail::HttpChannelBase {
 public:
  static constexpr std::size_t kMaxBlocks = 50;         ///< Blocks per message.
  static constexpr std::size_t kMaxSectionText = 3000;  ///< Characters per section text.
  static constexpr std::size_t kMaxText = 40000;        ///< Characters of the fallback text.

  /// A channel posting to `url`.
  SlackWebhook(std::string name, WebhookUrl url, bool send_resolved = false)
      : HttpChannelBase(std::move(name), std::move(url), send_resolved) {}
  [[nodiscard]] std::string_view type() const noexcept override { return "slack"; }

  [[nodiscard]] HttpRequest render(const Notification& n, NotifyReason reason) const override;

  [[nodiscard]] SendVerdict classify(const HttpResponse& r, SystemTime now) const override;
};

/// Discord webhook (`?wait=true`, so 200 carries the saved message as proof):
/// `content` at most 2000 characters, at most 10 embeds (title 256, description 4096,
/// 6000 characters in total), `allowed_mentions: {"parse": []}` so alert text cannot
/// ping anyone. A 429's JSON `retry_after` (float seconds) is honoured; a 404 disables
/// the channel for good. send_resolved defaults to true.
class DiscordWebhook final : public detail::HttpChannelBase {
 public:
  static constexpr std::size_t kMaxContent = 2000;      ///< Characters of content.
  static constexpr std::size_t kMaxEmbeds = 10;         ///< Embeds per message.
  static constexpr std::size_t kMaxTitle = 256;         ///< Characters per embed title.
  static constexpr std::size_t kMaxDescription = 4096;  ///< Characters per embed description.
  static constexpr std::size_t kMaxEmbedTotal = 6000;   ///< Characters across all embeds.
  static constexpr int kColorFiring = 0x992D22;         ///< Alertmanager's red.
  static constexpr int kColorResolved = 0x2ECC71;       ///< Alertmanager's green.

  /// A channel posting to `url` (wait=true is added to its query).
  DiscordWebhook(std::string name, WebhookUrl url, bool send_resolved = true)
      : HttpChannelBase(std::move(name), with_wait(std::move(url)), send_resolved) {}
  [[nodiscard]] std::string_view type() const noexcept override { return "discord"; }

  [[nodiscard]] HttpRequest render(const Notification& n, NotifyReason reason) const override;

  [[nodiscard]] SendVerdict classify(const HttpResponse& r, SystemTime now) const override;

  /// The `retry_after` float seconds of a Discord 429 body, if present.
  static std::optional<Nanos> retry_after_from_body(std::string_view body);

 private:
  static WebhookUrl with_wait(WebhookUrl u);
};

/// PagerDuty Events API v2 (`POST /v2/enqueue`, 202 accepted). One PagerDuty alert per
/// group: dedup_key = hex(sha256(group key)) as in Alertmanager, so trigger and resolve
/// carry the same key. Trigger payload: summary at most 1024 characters, source,
/// severity in {critical, error, warning, info}, custom_details dropped with a note when
/// the body would exceed 512 KB; resolve carries only routing_key, dedup_key and
/// event_action. 429 waits at least a minute (PagerDuty asks for minutes).
class PagerDutyV2 final : public Channel {
 public:
  static constexpr std::size_t kMaxSummary = 1024;     ///< Characters of payload.summary.
  static constexpr std::size_t kMaxBody = 512 * 1000;  ///< Bytes of the event (Alertmanager's 512 000).

  /// A channel for integration `routing_key` (secret) at `url` (default endpoint
  /// https://events.pagerduty.com/v2/enqueue), `source` naming this host.
  PagerDutyV2(std::string name, std::string routing_key, WebhookUrl url, std::string source, bool send_resolved = true)
      : name_(std::move(name)),
        routing_key_(std::move(routing_key)),
        url_(std::move(url)),
        source_(std::move(source)),
        send_resolved_(send_resolved) {}
  [[nodiscard]] std::string_view type() const noexcept override { return "pagerduty"; }
  [[nodiscard]] const std::string& name() const noexcept override { return name_; }
  [[nodiscard]] const std::string& origin() const noexcept override { return url_.origin; }
  [[nodiscard]] bool send_resolved() const noexcept override { return send_resolved_; }
  [[nodiscard]] Nanos rate_limit_floor() const noexcept override { return std::chrono::minutes{1}; }
  [[nodiscard]] bool needs_firing_before_resolve() const noexcept override { return true; }

  /// The dedup_key of a group: hex SHA-256 of the group key (64 characters).
  static std::string dedup_key(std::string_view group_key);

  [[nodiscard]] HttpRequest render(const Notification& n, NotifyReason reason) const override;

  [[nodiscard]] SendVerdict classify(const HttpResponse& r, SystemTime now) const override;

 private:
  static int severity_rank(std::string_view s) noexcept;
  std::string name_;
  std::string routing_key_;
  WebhookUrl url_;
  std::string source_;
  bool send_resolved_;
};

/// The generic webhook, byte-compatible with Alertmanager's version 4 payload (as Go's
/// json.Encoder writes it, trailing newline included): receiver, status, alerts
/// (firing alerts carry the zero endsAt), groupLabels, commonLabels,
/// commonAnnotations, externalURL, version "4", groupKey, truncatedAlerts. Any 2xx
/// is success; 429 is retried after Retry-After. send_resolved defaults to true.
class WebhookV4 final : public detail::HttpChannelBase {
 public:
  /// A channel posting to `url`; `max_alerts` (0 = all) truncates and reports
  /// truncatedAlerts; `external_url` is the link to this monitor.
  WebhookV4(std::string name, WebhookUrl url, bool send_resolved = true, std::size_t max_alerts = 0,
            std::string external_url = {})
      : HttpChannelBase(std::move(name), std::move(url), send_resolved),
        max_alerts_(max_alerts),
        external_url_(std::move(external_url)) {}
  [[nodiscard]] std::string_view type() const noexcept override { return "webhook"; }

  /// The JSON body (without transport framing).
  [[nodiscard]] std::string body(const Notification& n, NotifyReason reason) const;

  [[nodiscard]] HttpRequest render(const Notification& n, NotifyReason reason) const override;
  [[nodiscard]] SendVerdict classify(const HttpResponse& r, SystemTime now) const override;

 private:
  std::size_t max_alerts_;
  std::string external_url_;
};

}  // namespace cts::health
