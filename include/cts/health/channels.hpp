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

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/http.hpp"
#include "cts/core/http_date.hpp"
#include "cts/core/result.hpp"
#include "cts/core/url.hpp"
#include "cts/health/detail/json.hpp"
#include "cts/health/nflog.hpp"
#include "cts/health/notification.hpp"
#include "cts/sign/encoding.hpp"
#include "cts/sign/sha.hpp"

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
  Delivery action = Delivery::delivered;   ///< What to do.
  FailureReason reason = FailureReason::none;  ///< Why it failed.
  std::optional<Nanos> retry_after;        ///< The provider's minimum wait, when it gave one.
  std::string detail;                      ///< Human-readable, secret-free (status and a body excerpt).
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
  static Result<WebhookUrl> parse(std::string_view url) {
    Result<Url> split = split_url(url, "http", "https");
    if (!split) return make_error(ErrorCode::invalid_argument, "webhook URL: " + split.error().message);
    WebhookUrl out;
    out.origin = (split->tls ? "https://" : "http://") + split->host_header;
    const std::string_view target = split->target;
    const auto q = target.find('?');
    out.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) out.query = std::string(target.substr(q + 1));
    return out;
  }
};

/// The PagerDuty severity ("critical", "error", "warning", "info") of an alert's
/// `severity` label: critical→critical, high/error→error, medium/warning/warn→warning,
/// low/info→info; anything else→error (Alertmanager's default).
inline std::string_view pagerduty_severity(std::string_view label) noexcept {
  std::string lower;
  for (const char c : label) lower += cts::detail::ascii_lower(c);
  if (lower == "critical") return "critical";
  if (lower == "high" || lower == "error") return "error";
  if (lower == "medium" || lower == "warning" || lower == "warn") return "warning";
  if (lower == "low" || lower == "info") return "info";
  return "error";
}

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

/// The wait a provider's Retry-After asks for (core's parse_retry_after: clamped to
/// 7 days), or nothing when the value is malformed (the channel's floor applies then).
inline std::optional<Nanos> retry_after_hint(std::string_view value, SystemTime now) {
  auto delay = parse_retry_after(value, now);
  if (!delay) return std::nullopt;
  return *delay;
}

/// The verdicts by status code the webhook channels share: 5xx retry; 429 retry after
/// the hint; 401/403/404/410 disable; other 4xx drop.
inline SendVerdict classify_status(const HttpResponse& r, SystemTime now, bool success) {
  SendVerdict v;
  const std::string excerpt = truncate_bytes(r.body, 200);
  v.detail = "HTTP " + std::to_string(r.status) + (excerpt.empty() ? "" : ": " + excerpt);
  if (success) return v;
  if (r.status == 429) {
    v.action = Delivery::retry;
    v.reason = FailureReason::rate_limited;
    if (auto h = r.header("Retry-After")) v.retry_after = retry_after_hint(*h, now);
  } else if (r.status >= 500) {
    v.action = Delivery::retry;
    v.reason = FailureReason::server_error;
    if (auto h = r.header("Retry-After")) v.retry_after = retry_after_hint(*h, now);
  } else if (r.status == 401 || r.status == 403 || r.status == 404 || r.status == 410) {
    v.action = Delivery::disable;
    v.reason = FailureReason::auth;
  } else if (r.status >= 200 && r.status < 300) {
    v.action = Delivery::drop;  // a 2xx the provider documents as failure (Slack body != "ok")
    v.reason = FailureReason::client_error;
  } else {
    v.action = Delivery::drop;
    v.reason = FailureReason::client_error;
  }
  return v;
}

/// "[FIRING:2] v1 v2" or "[RESOLVED] v1 v2" (group label values).
inline std::string title(const Notification& n) {
  std::string out = n.status() == AlertStatus::firing
                        ? "[FIRING:" + std::to_string(n.count(AlertStatus::firing)) + "]"
                        : std::string("[RESOLVED]");
  for (const auto& l : n.group_labels.labels()) out += " " + l.value;
  if (n.group_labels.empty() && !n.alerts.empty()) out += " " + std::string(n.alerts.front().labels.get("alertname"));
  return out;
}

/// One line per alert: "alertname — summary (label=value, ...) since/resolved time".
inline std::string alert_line(const Alert& a, SystemTime at, bool markdown) {
  std::string out = markdown ? "*" + std::string(a.labels.get("alertname")) + "*" : std::string(a.labels.get("alertname"));
  auto text = a.annotations.get("summary");
  if (text.empty()) text = a.annotations.get("description");
  if (!text.empty()) out += " \xE2\x80\x94 " + std::string(text);
  std::string labels;
  for (const auto& l : a.labels.labels()) {
    if (l.name == "alertname") continue;
    if (!labels.empty()) labels += ", ";
    labels += l.name + "=" + l.value;
  }
  if (!labels.empty()) out += " (" + labels + ")";
  if (a.status_at(at) == AlertStatus::firing) {
    out += " since " + rfc3339_nano(a.starts_at);
  } else {
    out += " fired " + rfc3339_nano(a.starts_at) + ", resolved " + rfc3339_nano(a.ends_at);
  }
  return out;
}

/// The alerts a channel shows: all, or only firing ones without send_resolved (a
/// resolved_before_delivery notice shows everything).
inline std::vector<const Alert*> visible_alerts(const Notification& n, bool send_resolved, NotifyReason reason) {
  std::vector<const Alert*> out;
  for (const auto& a : n.alerts) {
    if (send_resolved || reason == NotifyReason::resolved_before_delivery || a.status_at(n.at) == AlertStatus::firing) {
      out.push_back(&a);
    }
  }
  return out;
}

inline void append_kv_object(std::string& out, const LabelSet& kv) {
  out += '{';
  bool first = true;
  for (const auto& l : kv.labels()) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, l.name);
    out += ':';
    append_json_string(out, l.value);
  }
  out += '}';
}

inline HttpRequest json_post(const WebhookUrl& url, std::string body) {
  HttpRequest r;
  r.method = HttpMethod::post;
  r.path = url.path;
  r.query = url.query;
  r.body = std::move(body);
  r.set_header("Content-Type", "application/json");
  return r;
}

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
  static constexpr std::size_t kMaxBlocks = 50;          ///< Blocks per message.
  static constexpr std::size_t kMaxSectionText = 3000;   ///< Characters per section text.
  static constexpr std::size_t kMaxText = 40000;         ///< Characters of the fallback text.

  /// A channel posting to `url`.
  SlackWebhook(std::string name, WebhookUrl url, bool send_resolved = false)
      : HttpChannelBase(std::move(name), std::move(url), send_resolved) {}
  [[nodiscard]] std::string_view type() const noexcept override { return "slack"; }

  [[nodiscard]] HttpRequest render(const Notification& n, NotifyReason reason) const override {
    const auto alerts = detail::visible_alerts(n, send_resolved(), reason);
    std::string body = "{\"text\":";
    detail::append_json_string(body, detail::truncate_code_points(detail::title(n), kMaxText));
    body += ",\"blocks\":[";
    std::vector<std::string> sections;
    for (const Alert* a : alerts) sections.push_back(detail::alert_line(*a, n.at, true));
    if (sections.size() > kMaxBlocks) {
      const std::size_t hidden = sections.size() - (kMaxBlocks - 1);
      sections.resize(kMaxBlocks - 1);
      sections.push_back("\xE2\x80\xA6" "and " + std::to_string(hidden) + " more alerts");
    }
    for (std::size_t i = 0; i < sections.size(); ++i) {
      if (i != 0) body += ',';
      body += R"({"type":"section","text":{"type":"mrkdwn","text":)";
      detail::append_json_string(body, detail::truncate_code_points(sections[i], kMaxSectionText));
      body += "}}";
    }
    body += "]}";
    return detail::json_post(url(), std::move(body));
  }

  [[nodiscard]] SendVerdict classify(const HttpResponse& r, SystemTime now) const override {
    return detail::classify_status(r, now, r.status == 200 && r.body == "ok");
  }
};

/// Discord webhook (`?wait=true`, so 200 carries the saved message as proof):
/// `content` at most 2000 characters, at most 10 embeds (title 256, description 4096,
/// 6000 characters in total), `allowed_mentions: {"parse": []}` so alert text cannot
/// ping anyone. A 429's JSON `retry_after` (float seconds) is honoured; a 404 disables
/// the channel for good. send_resolved defaults to true.
class DiscordWebhook final : public detail::HttpChannelBase {
 public:
  static constexpr std::size_t kMaxContent = 2000;       ///< Characters of content.
  static constexpr std::size_t kMaxEmbeds = 10;          ///< Embeds per message.
  static constexpr std::size_t kMaxTitle = 256;          ///< Characters per embed title.
  static constexpr std::size_t kMaxDescription = 4096;   ///< Characters per embed description.
  static constexpr std::size_t kMaxEmbedTotal = 6000;    ///< Characters across all embeds.
  static constexpr int kColorFiring = 0x992D22;          ///< Alertmanager's red.
  static constexpr int kColorResolved = 0x2ECC71;        ///< Alertmanager's green.

  /// A channel posting to `url` (wait=true is added to its query).
  DiscordWebhook(std::string name, WebhookUrl url, bool send_resolved = true)
      : HttpChannelBase(std::move(name), with_wait(std::move(url)), send_resolved) {}
  [[nodiscard]] std::string_view type() const noexcept override { return "discord"; }

  [[nodiscard]] HttpRequest render(const Notification& n, NotifyReason reason) const override {
    const auto alerts = detail::visible_alerts(n, send_resolved(), reason);
    std::string body = "{\"content\":";
    detail::append_json_string(body, detail::truncate_code_points(detail::title(n), kMaxContent));
    body += ",\"embeds\":[";
    std::size_t total = 0;
    std::size_t shown = 0;
    for (const Alert* a : alerts) {
      const bool last_slot = shown == kMaxEmbeds - 1 && alerts.size() > kMaxEmbeds;
      std::string title = last_slot ? "\xE2\x80\xA6" "and " + std::to_string(alerts.size() - shown) + " more alerts"
                                    : std::string(a->labels.get("alertname"));
      std::string description = last_slot ? std::string() : detail::alert_line(*a, n.at, false);
      title = detail::truncate_code_points(title, kMaxTitle);
      const std::size_t title_len = detail::utf8_code_points(title);
      if (total + title_len > kMaxEmbedTotal) break;
      const std::size_t room = std::min(kMaxDescription, kMaxEmbedTotal - total - title_len);
      description = detail::truncate_code_points(description, room);
      total += title_len + detail::utf8_code_points(description);
      if (shown != 0) body += ',';
      body += "{\"title\":";
      detail::append_json_string(body, title);
      if (!description.empty()) {
        body += ",\"description\":";
        detail::append_json_string(body, description);
      }
      body += ",\"color\":";
      body += std::to_string(a->status_at(n.at) == AlertStatus::firing ? kColorFiring : kColorResolved);
      body += '}';
      if (++shown == kMaxEmbeds || last_slot) break;
    }
    body += R"(],"allowed_mentions":{"parse":[]}})";
    return detail::json_post(url(), std::move(body));
  }

  [[nodiscard]] SendVerdict classify(const HttpResponse& r, SystemTime now) const override {
    SendVerdict v = detail::classify_status(r, now, r.status >= 200 && r.status < 300);
    if (r.status == 429) {
      if (auto body_hint = retry_after_from_body(r.body)) v.retry_after = std::max(v.retry_after.value_or(Nanos::zero()), *body_hint);
    }
    return v;
  }

  /// The `retry_after` float seconds of a Discord 429 body, if present.
  static std::optional<Nanos> retry_after_from_body(std::string_view body) {
    const auto key = body.find("\"retry_after\"");
    if (key == std::string_view::npos) return std::nullopt;
    auto pos = body.find(':', key);
    if (pos == std::string_view::npos) return std::nullopt;
    ++pos;
    while (pos < body.size() && body[pos] == ' ') ++pos;
    double secs = 0;
    auto r = std::from_chars(body.data() + pos, body.data() + body.size(), secs);
    if (r.ec != std::errc{} || secs < 0) return std::nullopt;
    return std::chrono::duration_cast<Nanos>(std::chrono::duration<double>(secs));
  }

 private:
  static WebhookUrl with_wait(WebhookUrl u) {
    if (u.query.find("wait=") == std::string::npos) u.query = u.query.empty() ? "wait=true" : u.query + "&wait=true";
    return u;
  }
};

/// PagerDuty Events API v2 (`POST /v2/enqueue`, 202 accepted). One PagerDuty alert per
/// group: dedup_key = hex(sha256(group key)) as in Alertmanager, so trigger and resolve
/// carry the same key. Trigger payload: summary at most 1024 characters, source,
/// severity in {critical, error, warning, info}, custom_details dropped with a note when
/// the body would exceed 512 KB; resolve carries only routing_key, dedup_key and
/// event_action. 429 waits at least a minute (PagerDuty asks for minutes).
class PagerDutyV2 final : public Channel {
 public:
  static constexpr std::size_t kMaxSummary = 1024;        ///< Characters of payload.summary.
  static constexpr std::size_t kMaxBody = 512 * 1000;     ///< Bytes of the event (Alertmanager's 512 000).

  /// A channel for integration `routing_key` (secret) at `url` (default endpoint
  /// https://events.pagerduty.com/v2/enqueue), `source` naming this host.
  PagerDutyV2(std::string name, std::string routing_key, WebhookUrl url, std::string source, bool send_resolved = true)
      : name_(std::move(name)), routing_key_(std::move(routing_key)), url_(std::move(url)), source_(std::move(source)),
        send_resolved_(send_resolved) {}
  [[nodiscard]] std::string_view type() const noexcept override { return "pagerduty"; }
  [[nodiscard]] const std::string& name() const noexcept override { return name_; }
  [[nodiscard]] const std::string& origin() const noexcept override { return url_.origin; }
  [[nodiscard]] bool send_resolved() const noexcept override { return send_resolved_; }
  [[nodiscard]] Nanos rate_limit_floor() const noexcept override { return std::chrono::minutes{1}; }
  [[nodiscard]] bool needs_firing_before_resolve() const noexcept override { return true; }

  /// The dedup_key of a group: hex SHA-256 of the group key (64 characters).
  static std::string dedup_key(std::string_view group_key) { return sign::hex_lower(sign::sha256(group_key)); }

  [[nodiscard]] HttpRequest render(const Notification& n, NotifyReason reason) const override {
    const bool firing = n.status() == AlertStatus::firing && reason != NotifyReason::resolved_before_delivery;
    std::string head = "{\"routing_key\":";
    detail::append_json_string(head, routing_key_);
    head += ",\"event_action\":";
    detail::append_json_string(head, firing ? "trigger" : "resolve");
    head += ",\"dedup_key\":";
    detail::append_json_string(head, dedup_key(n.group_key));
    if (!firing) return detail::json_post(url_, head + "}");
    std::string severity = "info";
    for (const auto& a : n.alerts) {
      if (a.status_at(n.at) != AlertStatus::firing) continue;
      const auto s = pagerduty_severity(a.labels.get("severity"));
      if (severity_rank(s) > severity_rank(severity)) severity = std::string(s);
    }
    std::string summary = detail::title(n);
    for (const auto& a : n.alerts) {
      const auto s = a.annotations.get("summary");
      if (!s.empty()) {
        summary += " \xE2\x80\x94 " + std::string(s);
        break;
      }
    }
    std::string payload = ",\"payload\":{\"summary\":";
    detail::append_json_string(payload, detail::truncate_code_points(summary, kMaxSummary));
    payload += ",\"source\":";
    detail::append_json_string(payload, source_);
    payload += ",\"severity\":";
    detail::append_json_string(payload, severity);
    payload += ",\"timestamp\":";
    detail::append_json_string(payload, detail::rfc3339_nano(n.at));
    std::string details = ",\"custom_details\":{\"firing\":";
    std::string lines;
    for (const auto& a : n.alerts) lines += detail::alert_line(a, n.at, false) + "\n";
    detail::append_json_string(details, lines);
    details += ",\"num_firing\":" + std::to_string(n.count(AlertStatus::firing));
    details += ",\"num_resolved\":" + std::to_string(n.count(AlertStatus::resolved)) + "}";
    std::string body = head + payload + details + "}}";
    if (body.size() > kMaxBody) {
      body = head + payload + R"(,"custom_details":{"note":"custom_details dropped: the event exceeded 512 KB"}}})";
    }
    return detail::json_post(url_, std::move(body));
  }

  [[nodiscard]] SendVerdict classify(const HttpResponse& r, SystemTime now) const override {
    return detail::classify_status(r, now, r.status == 202);
  }

 private:
  static int severity_rank(std::string_view s) noexcept {
    return s == "critical" ? 3 : s == "error" ? 2 : s == "warning" ? 1 : 0;
  }
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
      : HttpChannelBase(std::move(name), std::move(url), send_resolved), max_alerts_(max_alerts),
        external_url_(std::move(external_url)) {}
  [[nodiscard]] std::string_view type() const noexcept override { return "webhook"; }

  /// The JSON body (without transport framing).
  [[nodiscard]] std::string body(const Notification& n, NotifyReason reason) const {
    const auto alerts = detail::visible_alerts(n, send_resolved(), reason);
    const std::size_t shown = max_alerts_ == 0 ? alerts.size() : std::min(max_alerts_, alerts.size());
    std::string out = "{\"receiver\":";
    detail::append_json_string(out, n.receiver);
    out += ",\"status\":";
    detail::append_json_string(out, to_string(n.status()));
    out += ",\"alerts\":[";
    for (std::size_t i = 0; i < shown; ++i) {
      const Alert& a = *alerts[i];
      const bool firing = a.status_at(n.at) == AlertStatus::firing;
      if (i != 0) out += ',';
      out += "{\"status\":";
      detail::append_json_string(out, to_string(a.status_at(n.at)));
      out += ",\"labels\":";
      detail::append_kv_object(out, a.labels);
      out += ",\"annotations\":";
      detail::append_kv_object(out, a.annotations);
      out += ",\"startsAt\":";
      detail::append_json_string(out, detail::rfc3339_nano(a.starts_at));
      out += ",\"endsAt\":";
      detail::append_json_string(out, firing ? detail::kGoZeroTime : detail::rfc3339_nano(a.ends_at));
      out += ",\"generatorURL\":";
      detail::append_json_string(out, a.generator_url);
      out += ",\"fingerprint\":";
      detail::append_json_string(out, a.labels.fingerprint_hex());
      out += '}';
    }
    out += "],\"groupLabels\":";
    detail::append_kv_object(out, n.group_labels);
    out += ",\"commonLabels\":";
    detail::append_kv_object(out, n.common_labels());
    out += ",\"commonAnnotations\":";
    detail::append_kv_object(out, n.common_annotations());
    out += ",\"externalURL\":";
    detail::append_json_string(out, external_url_);
    out += ",\"version\":\"4\",\"groupKey\":";
    detail::append_json_string(out, n.group_key);
    out += ",\"truncatedAlerts\":" + std::to_string(alerts.size() - shown) + "}\n";
    return out;
  }

  [[nodiscard]] HttpRequest render(const Notification& n, NotifyReason reason) const override {
    return detail::json_post(url(), body(n, reason));
  }
  [[nodiscard]] SendVerdict classify(const HttpResponse& r, SystemTime now) const override {
    return detail::classify_status(r, now, r.status >= 200 && r.status < 300);
  }

 private:
  std::size_t max_alerts_;
  std::string external_url_;
};

}  // namespace cts::health
