// Tests for cts/health/log_channel.hpp: the JSON line (hand-written expected text),
// the level mapping, the ostream/FILE sinks, and delivery through the notifier with a
// capturing sink (a throwing sink is retried, nothing else fails).
#include <cts/health/log_channel.hpp>

#include <doctest/doctest.h>

#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "fake_transport.hpp"

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const SystemTime T0{std::chrono::seconds{1'704'067'200}};

Notification venue_down(SystemTime at, bool resolved) {
  Notification n = fake::notification("VenueDown", T0);
  n.at = at;
  n.alerts[0].labels.set("severity", "critical");
  n.alerts[0].annotations.set("summary", "XNAS \"down\"\nsince open");
  n.alerts[0].ends_at = resolved ? T0 + 25s : SystemTime{};
  return n;
}

struct Capture {
  std::vector<std::string> lines;
  int failures_left = 0;
  LogSink sink() {
    return [this](std::string_view line) {
      if (failures_left > 0) {
        --failures_left;
        throw std::runtime_error("disk full");
      }
      lines.emplace_back(line);
    };
  }
};
}  // namespace

TEST_CASE("log channel: one JSON line per notification, fields as documented") {
  const Notification n = venue_down(T0 + 30s, false);
  const std::string fp = n.alerts[0].labels.fingerprint_hex();
  const std::string expected =
      R"({"ts":"2024-01-01T00:00:30Z","level":"critical","channel":"audit","receiver":"oncall","status":"firing",)"
      R"("reason":"first_notification","group_key":"{}:{alertname=\"VenueDown\"}","title":"[FIRING:1] VenueDown",)"
      R"("firing":1,"resolved":0,"alerts":[{"status":"firing","labels":{"alertname":"VenueDown","severity":"critical",)"
      R"("venue":"XNAS"},"annotations":{"summary":"XNAS \"down\"\nsince open"},"startsAt":"2024-01-01T00:00:00Z",)"
      R"("endsAt":"","fingerprint":")" + fp + R"("}]})";
  const std::string line = render_log_line(n, NotifyReason::first_notification, "audit", true);
  CHECK(line == expected);
  CHECK(line.find('\n') == std::string::npos);  // the newline in the summary is escaped
}

TEST_CASE("log channel: resolved group is level info with endsAt; levels follow severity") {
  const Notification resolved = venue_down(T0 + 30s, true);
  const std::string line = render_log_line(resolved, NotifyReason::all_alerts_resolved, "audit", true);
  CHECK(line.find(R"("level":"info")") != std::string::npos);
  CHECK(line.find(R"("status":"resolved")") != std::string::npos);
  CHECK(line.find(R"("endsAt":"2024-01-01T00:00:25Z")") != std::string::npos);
  // Without send_resolved only firing alerts are listed, except when the group fired
  // and resolved before delivery.
  CHECK(render_log_line(resolved, NotifyReason::all_alerts_resolved, "audit", false).find(R"("alerts":[])") !=
        std::string::npos);
  CHECK(render_log_line(resolved, NotifyReason::resolved_before_delivery, "audit", false)
            .find(R"("reason":"resolved_before_delivery")") != std::string::npos);
  Notification n = venue_down(T0 + 30s, false);
  for (const auto& [label, level] : std::vector<std::pair<std::string, std::string>>{
           {"warn", "warning"}, {"low", "info"}, {"high", "error"}, {"bogus", "error"}, {"CRITICAL", "critical"}}) {
    n.alerts[0].labels.set("severity", label);
    CHECK(log_level(n) == level);
  }
}

TEST_CASE("log channel: ostream and FILE sinks write the line and a newline") {
  std::ostringstream os;
  ostream_log_sink(os)(R"({"a":1})");
  ostream_log_sink(os)(R"({"b":2})");
  CHECK(os.str() == "{\"a\":1}\n{\"b\":2}\n");
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  file_log_sink(f)("{\"c\":3}");
  std::rewind(f);
  char buf[32] = {};
  CHECK(std::fread(buf, 1, sizeof(buf) - 1, f) == 8);
  CHECK(std::string(buf) == "{\"c\":3}\n");
  std::fclose(f);
  std::ostringstream bad;
  bad.setstate(std::ios::badbit);
  CHECK_THROWS_AS(ostream_log_sink(bad)("x"), std::runtime_error);
  CHECK_THROWS_AS(LogChannel("audit", LogSink{}), cts::Exception);
}

TEST_CASE("log channel through the notifier: delivered on return, a throwing sink is retried") {
  fake::Transport transport;  // must never be used by the log channel
  Outbox outbox;
  NotificationLog log;
  Notifier notifier(transport, outbox, log);
  Capture capture;
  capture.failures_left = 2;
  notifier.add_channel("oncall", std::make_unique<LogChannel>("audit", capture.sink()));
  REQUIRE(notifier.submit(venue_down(T0, false)));
  for (int guard = 0; guard < 100; ++guard) {
    auto t = notifier.next_wakeup();
    if (!t || *t > T0 + 1min) break;
    notifier.pump(*t);
  }
  CHECK(transport.calls.empty());
  REQUIRE(capture.lines.size() == 1);
  CHECK(capture.lines[0].find(R"("title":"[FIRING:1] VenueDown")") != std::string::npos);
  const auto stats = notifier.stats("audit");
  CHECK(stats.attempts == 3);
  CHECK(stats.retries == 2);
  CHECK(stats.delivered == 1);
  CHECK(stats.last_failure == "network: log sink failed: disk full");
  CHECK(log.query(nflog_key("{}:{alertname=\"VenueDown\"}", "oncall", "audit")) != nullptr);
  // Resolution is logged too (send_resolved defaults to true).
  REQUIRE(notifier.submit(venue_down(T0 + 10min, true)));
  notifier.pump(T0 + 10min);
  REQUIRE(capture.lines.size() == 2);
  CHECK(capture.lines[1].find(R"("reason":"all_alerts_resolved")") != std::string::npos);
  CHECK(capture.lines[1].find(R"("level":"info")") != std::string::npos);
}
