// The log channel and its sinks (declared in cts/health/log_channel.hpp).
#include "cts/health/log_channel.hpp"

#include <cstdio>
#include <exception>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "cts/health/detail/json.hpp"

namespace cts::health {

namespace {

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

}  // namespace

LogSink ostream_log_sink(std::ostream& os) {
  return [&os](std::string_view line) {
    os << line << '\n';
    os.flush();
    if (!os) {
      os.clear();
      throw std::runtime_error("log stream write failed");
    }
  };
}

LogSink file_log_sink(std::FILE* file) {
  return [file](std::string_view line) {
    const bool ok = std::fwrite(line.data(), 1, line.size(), file) == line.size() && std::fputc('\n', file) != EOF &&
                    std::fflush(file) == 0;
    if (!ok) throw std::runtime_error("log file write failed");
  };
}

std::string_view log_level(const Notification& n) {
  std::string_view level = "info";
  const auto rank = [](std::string_view s) { return s == "critical" ? 3 : s == "error" ? 2 : s == "warning" ? 1 : 0; };
  for (const auto& a : n.alerts) {
    if (a.status_at(n.at) != AlertStatus::firing) continue;
    const auto s = pagerduty_severity(a.labels.get("severity"));
    if (rank(s) > rank(level)) level = s;
  }
  return level;
}

std::string render_log_line(const Notification& n, NotifyReason reason, std::string_view channel_name,
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

LogChannel::LogChannel(std::string name, LogSink sink, bool send_resolved)
    : name_(std::move(name)), origin_("log:" + name_), send_resolved_(send_resolved) {
  if (!sink) throw Exception(make_error(ErrorCode::invalid_argument, "LogChannel: empty sink"));
  sender_ = std::make_unique<SinkTransport>(std::move(sink));
}

HttpRequest LogChannel::render(const Notification& n, NotifyReason reason) const {
  HttpRequest r;
  r.method = HttpMethod::post;
  r.path = "/";
  r.body = render_log_line(n, reason, name_, send_resolved_);
  return r;
}

SendVerdict LogChannel::classify(const HttpResponse& r, SystemTime now) const {
  return detail::classify_status(r, now, r.status == 200);
}

}  // namespace cts::health
