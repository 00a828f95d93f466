// The notification channels' rendering and classification (declared in
// cts/health/channels.hpp).
#include "cts/health/channels.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/detail/ascii.hpp"
#include "cts/core/http_date.hpp"
#include "cts/core/url.hpp"
#include "cts/health/detail/json.hpp"
#include "cts/sign/encoding.hpp"
#include "cts/sign/sha.hpp"

namespace cts::health {

Result<WebhookUrl> WebhookUrl::parse(std::string_view url) {
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

std::string_view pagerduty_severity(std::string_view label) noexcept {
  std::string lower;
  for (const char c : label) lower += cts::detail::ascii_lower(c);
  if (lower == "critical") return "critical";
  if (lower == "high" || lower == "error") return "error";
  if (lower == "medium" || lower == "warning" || lower == "warn") return "warning";
  if (lower == "low" || lower == "info") return "info";
  return "error";
}

namespace detail {

namespace {

/// The wait a provider's Retry-After asks for (core's parse_retry_after: clamped to
/// 7 days), or nothing when the value is malformed (the channel's floor applies then).
std::optional<Nanos> retry_after_hint(std::string_view value, SystemTime now) {
  auto delay = parse_retry_after(value, now);
  if (!delay) return std::nullopt;
  return *delay;
}

}  // namespace

SendVerdict classify_status(const HttpResponse& r, SystemTime now, bool success) {
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

std::string title(const Notification& n) {
  std::string out = n.status() == AlertStatus::firing ? "[FIRING:" + std::to_string(n.count(AlertStatus::firing)) + "]"
                                                      : std::string("[RESOLVED]");
  for (const auto& l : n.group_labels.labels()) out += " " + l.value;
  if (n.group_labels.empty() && !n.alerts.empty()) out += " " + std::string(n.alerts.front().labels.get("alertname"));
  return out;
}

std::string alert_line(const Alert& a, SystemTime at, bool markdown) {
  std::string out =
      markdown ? "*" + std::string(a.labels.get("alertname")) + "*" : std::string(a.labels.get("alertname"));
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

std::vector<const Alert*> visible_alerts(const Notification& n, bool send_resolved, NotifyReason reason) {
  std::vector<const Alert*> out;
  for (const auto& a : n.alerts) {
    if (send_resolved || reason == NotifyReason::resolved_before_delivery || a.status_at(n.at) == AlertStatus::firing) {
      out.push_back(&a);
    }
  }
  return out;
}

void append_kv_object(std::string& out, const LabelSet& kv) {
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

HttpRequest json_post(const WebhookUrl& url, std::string body) {
  HttpRequest r;
  r.method = HttpMethod::post;
  r.path = url.path;
  r.query = url.query;
  r.body = std::move(body);
  r.set_header("Content-Type", "application/json");
  return r;
}

}  // namespace detail

HttpRequest SlackWebhook::render(const Notification& n, NotifyReason reason) const {
  const auto alerts = detail::visible_alerts(n, send_resolved(), reason);
  std::string body = "{\"text\":";
  detail::append_json_string(body, detail::truncate_code_points(detail::title(n), kMaxText));
  body += ",\"blocks\":[";
  std::vector<std::string> sections;
  for (const Alert* a : alerts) sections.push_back(detail::alert_line(*a, n.at, true));
  if (sections.size() > kMaxBlocks) {
    const std::size_t hidden = sections.size() - (kMaxBlocks - 1);
    sections.resize(kMaxBlocks - 1);
    sections.push_back(
        "\xE2\x80\xA6"
        "and " +
        std::to_string(hidden) + " more alerts");
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

SendVerdict SlackWebhook::classify(const HttpResponse& r, SystemTime now) const {
  return detail::classify_status(r, now, r.status == 200 && r.body == "ok");
}

HttpRequest DiscordWebhook::render(const Notification& n, NotifyReason reason) const {
  const auto alerts = detail::visible_alerts(n, send_resolved(), reason);
  std::string body = "{\"content\":";
  detail::append_json_string(body, detail::truncate_code_points(detail::title(n), kMaxContent));
  body += ",\"embeds\":[";
  std::size_t total = 0;
  std::size_t shown = 0;
  for (const Alert* a : alerts) {
    const bool last_slot = shown == kMaxEmbeds - 1 && alerts.size() > kMaxEmbeds;
    std::string title = last_slot ? "\xE2\x80\xA6"
                                    "and " +
                                        std::to_string(alerts.size() - shown) + " more alerts"
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

SendVerdict DiscordWebhook::classify(const HttpResponse& r, SystemTime now) const {
  SendVerdict v = detail::classify_status(r, now, r.status >= 200 && r.status < 300);
  if (r.status == 429) {
    if (auto body_hint = retry_after_from_body(r.body))
      v.retry_after = std::max(v.retry_after.value_or(Nanos::zero()), *body_hint);
  }
  return v;
}

std::optional<Nanos> DiscordWebhook::retry_after_from_body(std::string_view body) {
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

WebhookUrl DiscordWebhook::with_wait(WebhookUrl u) {
  if (u.query.find("wait=") == std::string::npos) u.query = u.query.empty() ? "wait=true" : u.query + "&wait=true";
  return u;
}

HttpRequest PagerDutyV2::render(const Notification& n, NotifyReason reason) const {
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

SendVerdict PagerDutyV2::classify(const HttpResponse& r, SystemTime now) const {
  return detail::classify_status(r, now, r.status == 202);
}

int PagerDutyV2::severity_rank(std::string_view s) noexcept {
  return s == "critical" ? 3 : s == "error" ? 2 : s == "warning" ? 1 : 0;
}

std::string WebhookV4::body(const Notification& n, NotifyReason reason) const {
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

HttpRequest WebhookV4::render(const Notification& n, NotifyReason reason) const {
  return detail::json_post(url(), body(n, reason));
}

SendVerdict WebhookV4::classify(const HttpResponse& r, SystemTime now) const {
  return detail::classify_status(r, now, r.status >= 200 && r.status < 300);
}

std::string PagerDutyV2::dedup_key(std::string_view group_key) { return sign::hex_lower(sign::sha256(group_key)); }

}  // namespace cts::health
