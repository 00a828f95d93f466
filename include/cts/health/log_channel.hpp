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
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include "cts/health/channels.hpp"
#include "cts/health/notifier.hpp"

namespace cts::health {

/// Receives one complete log line, without the trailing newline. May throw to signal a
/// transient failure.
using LogSink = std::function<void(std::string_view line)>;

/// A sink writing each line plus '\n' to `os` and flushing it; throws
/// std::runtime_error when the stream fails. `os` must outlive the sink.
LogSink ostream_log_sink(std::ostream& os);

/// A sink writing each line plus '\n' to `file` and flushing it; throws
/// std::runtime_error when the write fails. `file` must outlive the sink.
LogSink file_log_sink(std::FILE* file);

/// The log level of a notification: "info" when nothing fires, else the most severe
/// firing alert's `severity` label mapped to critical/error/warning/info.
std::string_view log_level(const Notification& n);

/// The JSON line for `n` sent for `reason` by channel `channel_name` (no newline).
/// Shows every alert when `send_resolved` or the reason is resolved_before_delivery,
/// else only firing alerts.
std::string render_log_line(const Notification& n, NotifyReason reason, std::string_view channel_name,
                            bool send_resolved);

/// Writes notifications as JSON lines to a LogSink (see the file comment). Origin
/// "log:<name>". Use it from the notifier's thread only.
class LogChannel final : public Channel {
 public:
  /// A channel named `name` writing to `sink`. Throws cts::Exception (invalid_argument)
  /// when `sink` is empty.
  LogChannel(std::string name, LogSink sink, bool send_resolved = true);
  [[nodiscard]] std::string_view type() const noexcept override { return "log"; }
  [[nodiscard]] const std::string& name() const noexcept override { return name_; }
  [[nodiscard]] const std::string& origin() const noexcept override { return origin_; }
  [[nodiscard]] bool send_resolved() const noexcept override { return send_resolved_; }

  /// A request whose body is the line (method POST, path "/").
  [[nodiscard]] HttpRequest render(const Notification& n, NotifyReason reason) const override;
  /// 200 (the sink returned) is delivered; anything else cannot come from the sink.
  [[nodiscard]] SendVerdict classify(const HttpResponse& r, SystemTime now) const override;
  [[nodiscard]] NotificationTransport* own_transport() noexcept override { return sender_.get(); }

 private:
  std::string name_;
  std::string origin_;
  bool send_resolved_;
  std::unique_ptr<NotificationTransport> sender_;  // calls the sink
};

}  // namespace cts::health
