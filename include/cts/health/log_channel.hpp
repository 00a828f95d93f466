#pragma once
/// \file
/// The log channel: every notification becomes one JSON line (JSON Lines: one object,
/// no newline inside, UTF-8) handed to a sink the user provides — a callback, a
/// std::ostream or a FILE*. Fields, in this order:
///
///     {"ts":"2024-01-01T00:00:30Z","level":"error","channel":"log","receiver":"oncall",
///      "status":"firing","reason":"first_notification","group_key":"{}:{...}",
///      "title":"[FIRING:1] VenueDown","firing":1,"resolved":0,
///      "alerts":[{"status":"firing","labels":{...},"annotations":{...},
///                 "startsAt":"...","endsAt":"...","fingerprint":"%016x"}]}
///
/// `ts` is the flush time; `level` is the highest `severity` label among the firing
/// alerts mapped like PagerDuty's (critical, error, warning, info; unknown → error),
/// and "info" for a resolved group; `endsAt` is "" for a firing alert. The line holds
/// only the notification's own content (the log channel has no credentials, and no
/// other channel's URL or key ever reaches a Notification). The sink is called on the
/// notifier's thread; a sink that throws is a transient failure (retried with backoff),
/// anything else is a confirmed delivery. send_resolved defaults to true.

#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "cts/core/error.hpp"
#include "cts/health/channels.hpp"
#include "cts/health/notifier.hpp"

namespace cts::health {

/// Receives one complete log line, without the trailing newline. May throw to signal a
/// transient failure.
using LogSink = std::function<void(std::string_view line)>;

/// A sink writing each line plus '\n' to `os` and flushing it; throws
/// std::runtime_error when the stream fails. `os` must outlive the sink.
inline LogSink ostream_log_sink(std::ostream& os) {
  return [&os](std::string_view line) {
    os << line << '\n';
    os.flush();
    if (!os) {
      os.clear();
      throw std::runtime_error("log stream write failed");
    }
  };
}

/// A sink writing each line plus '\n' to `file` and flushing it; throws
/// std::runtime_error when the write fails. `file` must outlive the sink.
inline LogSink file_log_sink(std::FILE* file) {
  return [file](std::string_view line) {
    const bool ok = std::fwrite(line.data(), 1, line.size(), file) == line.size() && std::fputc('\n', file) != EOF &&
                    std::fflush(file) == 0;
    if (!ok) throw std::runtime_error("log file write failed");
  };
}

/// The log level of a notification: "info" when nothing fires, else the most severe
/// firing alert's `severity` label mapped to critical/error/warning/info.
inline std::string_view log_level(const Notification& n) {
  std::string_view level = "info";
  const auto rank = [](std::string_view s) { return s == "critical" ? 3 : s == "error" ? 2 : s == "warning" ? 1 : 0; };
  for (const auto& a : n.alerts) {
    if (a.status_at(n.at) != AlertStatus::firing) continue;
    const auto s = pagerduty_severity(a.labels.get("severity"));
    if (rank(s) > rank(level)) level = s;
  }
  return level;
}

/// The JSON line for `n` sent for `reason` by channel `channel_name` (no newline).
/// Shows every alert when `send_resolved` or the reason is resolved_before_delivery,
/// else only firing alerts.
inline std::string render_log_line(const Notification& n, NotifyReason reason, std::string_view channel_name,
                                   bool send_resolved) {
  std::string out = "{\"ts\":";
  detail::append_json_string(out, detail::rfc3339_nano(n.at));
  out += ",\"level\":";
  detail::append_json_string(out, log_level(n));
  out += ",\"channel\":";
  detail::append_json_string(out, channel_name);
  out += ",\"receiver\":";
  detail::append_json_string(out, n.receiver);
  out += ",\"status\":";
  detail::append_json_string(out, to_string(n.status()));
  out += ",\"reason\":";
  detail::append_json_string(out, to_string(reason));
  out += ",\"group_key\":";
  detail::append_json_string(out, n.group_key);
  out += ",\"title\":";
  detail::append_json_string(out, detail::title(n));
  out += ",\"firing\":" + std::to_string(n.count(AlertStatus::firing));
  out += ",\"resolved\":" + std::to_string(n.count(AlertStatus::resolved));
  out += ",\"alerts\":[";
  bool first = true;
  for (const Alert* a : detail::visible_alerts(n, send_resolved, reason)) {
    if (!first) out += ',';
    first = false;
    const bool firing = a->status_at(n.at) == AlertStatus::firing;
    out += "{\"status\":";
    detail::append_json_string(out, to_string(a->status_at(n.at)));
    out += ",\"labels\":";
    detail::append_kv_object(out, a->labels);
    out += ",\"annotations\":";
    detail::append_kv_object(out, a->annotations);
    out += ",\"startsAt\":";
    detail::append_json_string(out, detail::rfc3339_nano(a->starts_at));
    out += ",\"endsAt\":";
    detail::append_json_string(out, firing ? std::string() : detail::rfc3339_nano(a->ends_at));
    out += ",\"fingerprint\":";
    detail::append_json_string(out, a->labels.fingerprint_hex());
    out += '}';
  }
  out += "]}";
  return out;
}

/// Writes notifications as JSON lines to a LogSink (see the file comment). Origin
/// "log:<name>". Use it from the notifier's thread only.
class LogChannel final : public Channel {
 public:
  /// A channel named `name` writing to `sink`. Throws cts::Exception (invalid_argument)
  /// when `sink` is empty.
  LogChannel(std::string name, LogSink sink, bool send_resolved = true)
      : name_(std::move(name)), origin_("log:" + name_), send_resolved_(send_resolved) {
    if (!sink) throw Exception(make_error(ErrorCode::invalid_argument, "LogChannel: empty sink"));
    sender_ = std::make_unique<SinkTransport>(std::move(sink));
  }
  [[nodiscard]] std::string_view type() const noexcept override { return "log"; }
  [[nodiscard]] const std::string& name() const noexcept override { return name_; }
  [[nodiscard]] const std::string& origin() const noexcept override { return origin_; }
  [[nodiscard]] bool send_resolved() const noexcept override { return send_resolved_; }

  /// A request whose body is the line (method POST, path "/").
  [[nodiscard]] HttpRequest render(const Notification& n, NotifyReason reason) const override {
    HttpRequest r;
    r.method = HttpMethod::post;
    r.path = "/";
    r.body = render_log_line(n, reason, name_, send_resolved_);
    return r;
  }
  /// 200 (the sink returned) is delivered; anything else cannot come from the sink.
  [[nodiscard]] SendVerdict classify(const HttpResponse& r, SystemTime now) const override {
    return detail::classify_status(r, now, r.status == 200);
  }
  [[nodiscard]] NotificationTransport* own_transport() noexcept override { return sender_.get(); }

 private:
  // Calls the sink with the request body; a throwing sink is a network-class error
  // (retried) carrying the exception's what().
  class SinkTransport final : public NotificationTransport {
   public:
    explicit SinkTransport(LogSink sink) : sink_(std::move(sink)) {}
    Result<HttpResponse> send(std::string_view, const HttpRequest& request, Nanos) override {
      try {
        sink_(request.body);
      } catch (const std::exception& e) {
        return make_error(ErrorCode::network, std::string("log sink failed: ") + e.what());
      } catch (...) {
        return make_error(ErrorCode::network, "log sink failed");
      }
      return HttpResponse{200, {}, {}};
    }

   private:
    LogSink sink_;
  };

  std::string name_;
  std::string origin_;
  bool send_resolved_;
  std::unique_ptr<SinkTransport> sender_;
};

}  // namespace cts::health
