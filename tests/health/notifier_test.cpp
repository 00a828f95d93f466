// Tests for cts/health/notifier.hpp with a scripted transport and explicit time: retry with backoff inside the jitter
// envelope, no retry on 400, disable and fallback on 401/403/404/410, Retry-After and
// retry_after honoured, independent channels, no alert lost while a channel is down,
// at-least-once delivery across a restart, pacing.
#include <cts/health/dispatch.hpp>
#include <cts/health/notifier.hpp>

#include <doctest/doctest.h>

#include <filesystem>

#include "fake_transport.hpp"

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const SystemTime T0{std::chrono::seconds{1'704'067'200}};
const std::string kSlack = "https://hooks.slack.com";
const std::string kHook = "http://127.0.0.1:9";
const std::string kDiscord = "https://discord.com";
const std::string kPd = "https://events.pagerduty.com";

Notification firing_group(std::string_view key = "{}:{alertname=\"X\"}", SystemTime at = T0) {
  // Keys in these tests are {}:{alertname="<name>"}.
  const auto start = key.find("alertname=\"") + 11;
  return fake::notification(std::string(key.substr(start, key.find('"', start) - start)), at);
}

struct Rig {
  fake::Transport transport;
  Outbox outbox;
  NotificationLog log;
  Notifier notifier{transport, outbox, log};

  // Runs pump() at every wake-up up to `until`.
  void run_until(SystemTime until) {
    for (int guard = 0; guard < 10000; ++guard) {
      auto t = notifier.next_wakeup();
      if (!t || *t > until) return;
      transport.now = *t;
      notifier.pump(*t);
    }
  }
};

std::unique_ptr<Channel> webhook(std::string name = "hook") {
  return std::make_unique<WebhookV4>(std::move(name), WebhookUrl::parse(kHook + "/alerts").value());
}
}  // namespace

TEST_CASE("503, 503, 200: one delivery, three attempts, backoff inside the jitter envelope") {
  Rig rig;
  rig.notifier.add_channel("oncall", webhook());
  rig.transport.script(kHook, {fake::reply(503), fake::reply(503), fake::reply(200)});
  REQUIRE(rig.notifier.submit(firing_group()));
  rig.run_until(T0 + 1min);
  REQUIRE(rig.transport.calls.size() == 3);
  const auto d1 = rig.transport.calls[1].at - rig.transport.calls[0].at;
  const auto d2 = rig.transport.calls[2].at - rig.transport.calls[1].at;
  CHECK(d1 >= 250ms);  // 500 ms ± 50 %
  CHECK(d1 <= 750ms);
  CHECK(d2 >= 375ms);  // 750 ms ± 50 %
  CHECK(d2 <= 1125ms);
  CHECK(rig.notifier.stats("hook").delivered == 1);
  CHECK(rig.notifier.stats("hook").attempts == 3);
  CHECK(rig.outbox.size() == 0);
  const auto* entry = rig.log.query(nflog_key("{}:{alertname=\"X\"}", "oncall", "hook"));
  REQUIRE(entry != nullptr);  // written only now, after confirmed delivery
  CHECK(entry->firing.size() == 1);
  CHECK(rig.notifier.state("hook") == ChannelState::healthy);
}

TEST_CASE("400: no retry, message dropped, meta-alert raised, channel stays up") {
  Rig rig;
  rig.notifier.add_channel("oncall", webhook());
  rig.transport.script(kHook, {fake::reply(400, "bad payload")});
  REQUIRE(rig.notifier.submit(firing_group()));
  rig.run_until(T0 + 10min);
  CHECK(rig.transport.calls.size() == 1);
  CHECK(rig.outbox.size() == 0);
  CHECK(rig.log.size() == 0);
  const auto meta = rig.notifier.take_meta_alerts();
  REQUIRE(meta.size() == 1);
  CHECK(meta[0].labels.get("alertname") == "AlertNotificationDropped");
  CHECK(meta[0].labels.get("channel") == "hook");
  CHECK(rig.notifier.state("hook") == ChannelState::healthy);
}

TEST_CASE("401/403/404/410: channel disabled, group rerouted to the fallback, meta-alert") {
  for (const int status : {401, 403, 404, 410}) {
    Rig rig;
    ChannelOptions primary;
    primary.fallback = "backup";
    rig.notifier.add_channel("oncall", std::make_unique<SlackWebhook>(
                                           "slack", WebhookUrl::parse(kSlack + "/services/T/B/X").value()),
                             primary);
    rig.notifier.add_channel("fallback-receiver", webhook("backup"));
    rig.transport.script(kSlack, {fake::reply(status, "invalid_token")});
    rig.transport.set_default(kHook, fake::reply(200));
    REQUIRE(rig.notifier.submit(firing_group()));
    rig.run_until(T0 + 10min);
    CHECK(rig.transport.count(kSlack) == 1);
    CHECK(rig.transport.count(kHook) == 1);
    CHECK(rig.notifier.state("slack") == ChannelState::disabled);
    const auto meta = rig.notifier.take_meta_alerts();
    REQUIRE(meta.size() == 1);
    CHECK(meta[0].labels.get("alertname") == "AlertChannelDown");
    CHECK(meta[0].annotations.get("summary").find("/services/T/B/X") == std::string_view::npos);
    // Later notifications of the receiver go straight to the fallback.
    REQUIRE(rig.notifier.submit(firing_group("{}:{alertname=\"Y\"}", T0 + 10min)));
    rig.run_until(T0 + 20min);
    CHECK(rig.transport.count(kSlack) == 1);
    CHECK(rig.transport.count(kHook) == 2);
  }
}

TEST_CASE("429: Slack Retry-After 7 s, Discord retry_after 1.337 s, PagerDuty minutes") {
  Rig rig;
  rig.notifier.add_channel("oncall", std::make_unique<SlackWebhook>("slack", WebhookUrl::parse(kSlack + "/s/T/B/X").value()));
  rig.notifier.add_channel("oncall", std::make_unique<DiscordWebhook>("discord", WebhookUrl::parse(kDiscord + "/api/webhooks/1/T").value()));
  rig.notifier.add_channel("oncall", std::make_unique<PagerDutyV2>("pd", "KEY", WebhookUrl::parse(kPd + "/v2/enqueue").value(), "engine"));
  rig.transport.script(kSlack, {fake::reply(429, "rate_limited", {{"Retry-After", "7"}}), fake::reply(200, "ok")});
  rig.transport.script(kDiscord, {fake::reply(429, R"({"retry_after": 1.337, "global": false})"), fake::reply(200, "{}")});
  rig.transport.script(kPd, {fake::reply(429), fake::reply(202)});
  REQUIRE(rig.notifier.submit(firing_group()));
  rig.run_until(T0 + 1h);
  auto second_call = [&](const std::string& origin) {
    std::vector<SystemTime> at;
    for (const auto& c : rig.transport.calls) {
      if (c.origin == origin) at.push_back(c.at);
    }
    REQUIRE(at.size() == 2);
    return at[1] - at[0];
  };
  CHECK(second_call(kSlack) == 7s);
  CHECK(second_call(kDiscord) == 1337ms);
  CHECK(second_call(kPd) >= 60s);
  CHECK(rig.notifier.stats("slack").delivered == 1);
}

TEST_CASE("a failing channel does not delay another; it gets the current state once back") {
  Rig rig;
  rig.notifier.add_channel("oncall", webhook("a"));
  rig.notifier.add_channel("oncall", std::make_unique<WebhookV4>("b", WebhookUrl::parse("http://127.0.0.2:9/b").value()));
  rig.transport.set_default(kHook, fake::reply(503));
  rig.transport.set_default("http://127.0.0.2:9", fake::reply(200));
  REQUIRE(rig.notifier.submit(firing_group()));
  rig.run_until(T0 + 1s);
  CHECK(rig.notifier.stats("b").delivered == 1);
  Notification later = firing_group("{}:{alertname=\"X\"}", T0);
  later.at = T0 + 4h + 10s;  // repeat interval elapsed
  REQUIRE(rig.notifier.submit(later));
  rig.run_until(T0 + 4h + 11s);
  CHECK(rig.notifier.stats("b").delivered == 2);
  CHECK(rig.notifier.stats("a").delivered == 0);
  rig.transport.set_default(kHook, fake::reply(200));
  rig.run_until(T0 + 5h);
  CHECK(rig.notifier.stats("a").delivered == 1);
  CHECK(rig.transport.calls.back().request.body == WebhookV4("a", WebhookUrl::parse(kHook + "/alerts").value())
                                                       .render(later, NotifyReason::first_notification)
                                                       .body);
}

TEST_CASE("no alert lost while a channel is down: fired and resolved during the outage") {
  Rig rig;
  rig.notifier.add_channel("oncall", std::make_unique<SlackWebhook>("slack", WebhookUrl::parse(kSlack + "/s/T/B/X").value()));
  rig.transport.set_default(kSlack, cts::make_error(ErrorCode::network, "connection refused"));
  RouteConfig root;
  root.receiver = "oncall";
  root.group_by = std::vector<std::string>{"alertname"};
  root.group_wait = 1s;
  root.group_interval = 10s;
  Dispatcher dispatcher(build_routes(root));
  Alert a;
  a.labels = LabelSet{{"alertname", "VenueDown"}, {"venue", "XNAS"}};
  a.starts_at = T0;
  dispatcher.ingest(a, T0);
  std::size_t max_queued = 0;
  for (auto t = T0; t <= T0 + 55s; t += 500ms) {
    if (t == T0 + 25s) {
      a.ends_at = T0 + 25s;
      dispatcher.ingest(a, t);
    }
    for (const auto& n : dispatcher.tick(t)) dispatcher.flushed(n, static_cast<bool>(rig.notifier.submit(n)));
    rig.transport.now = t;
    rig.notifier.pump(t);
    max_queued = std::max(max_queued, rig.outbox.size());
  }
  CHECK(max_queued == 1);                    // coalesced: one item per group
  CHECK(dispatcher.group_count() == 0);      // the outbox holds the state now
  CHECK(rig.outbox.size() == 1);
  rig.transport.set_default(kSlack, fake::reply(200, "ok"));
  rig.run_until(T0 + 10min);
  CHECK(rig.notifier.stats("slack").delivered == 1);
  const auto& body = rig.transport.calls.back().request.body;
  // Slack has send_resolved=false, yet the receiver learns the alert fired and resolved.
  CHECK(body.find("[RESOLVED] VenueDown") != std::string::npos);
  CHECK(body.find("fired 2024-01-01T00:00:00Z, resolved 2024-01-01T00:00:25Z") != std::string::npos);
  CHECK(rig.outbox.size() == 0);
}

TEST_CASE("all resolved with send_resolved=false clears the log without calling the channel") {
  Rig rig;
  rig.notifier.add_channel("oncall", std::make_unique<SlackWebhook>("slack", WebhookUrl::parse(kSlack + "/s/T/B/X").value()));
  rig.transport.set_default(kSlack, fake::reply(200, "ok"));
  REQUIRE(rig.notifier.submit(firing_group()));
  rig.run_until(T0 + 1s);
  Notification resolved = firing_group();
  resolved.at = T0 + 6min;
  REQUIRE(rig.notifier.submit(resolved));
  rig.run_until(T0 + 10min);
  CHECK(rig.transport.calls.size() == 1);
  const auto* entry = rig.log.query(nflog_key(resolved.group_key, "oncall", "slack"));
  REQUIRE(entry != nullptr);
  CHECK(entry->firing.empty());
  CHECK(entry->resolved.size() == 1);
}

TEST_CASE("restart: an unconfirmed send is repeated; a recorded one is not") {
  const auto dir = std::filesystem::temp_directory_path();
  const auto outbox_path = (dir / "cts_health_restart_outbox.log").string();
  const auto log_path = (dir / "cts_health_restart_nflog.log").string();
  std::filesystem::remove(outbox_path);
  std::filesystem::remove(log_path);
  fake::Transport transport;
  {
    Outbox outbox;
    NotificationLog log;
    REQUIRE(outbox.open(outbox_path));
    REQUIRE(log.open(log_path));
    Notifier notifier(transport, outbox, log);
    notifier.add_channel("oncall", webhook());
    // The request reached the receiver but the connection died before the reply.
    transport.script(kHook, {cts::make_error(ErrorCode::unknown_outcome, "connection reset after write")});
    REQUIRE(notifier.submit(firing_group()));
    transport.now = T0;
    notifier.pump(T0);
  }  // crash
  {
    Outbox outbox;
    NotificationLog log;
    REQUIRE(outbox.open(outbox_path));
    REQUIRE(log.open(log_path));
    CHECK(outbox.size() == 1);
    Notifier notifier(transport, outbox, log);
    notifier.add_channel("oncall", webhook());
    transport.script(kHook, {fake::reply(200)});
    transport.now = T0 + 1min;
    notifier.pump(T0 + 1min);
    CHECK(transport.count(kHook) == 2);  // at least once: the receiver dedups on groupKey
  }
  {
    Outbox outbox;
    NotificationLog log;
    REQUIRE(outbox.open(outbox_path));
    REQUIRE(log.open(log_path));
    CHECK(outbox.size() == 0);
    Notifier notifier(transport, outbox, log);
    notifier.add_channel("oncall", webhook());
    Notification again = firing_group();
    again.at = T0 + 2min;
    REQUIRE(notifier.submit(again));  // same state before repeat_interval
    CHECK(outbox.size() == 0);
  }
  std::filesystem::remove(outbox_path);
  std::filesystem::remove(log_path);
}

TEST_CASE("pacing: a storm never exceeds Slack's 1 message/s with burst 3") {
  Rig rig;
  ChannelOptions paced;
  paced.pace = Pace{1.0, 3.0};
  rig.notifier.add_channel("oncall", std::make_unique<SlackWebhook>("slack", WebhookUrl::parse(kSlack + "/s/T/B/X").value()), paced);
  rig.transport.set_default(kSlack, fake::reply(200, "ok"));
  for (int g = 0; g < 100; ++g) {
    for (int change = 0; change < 100; ++change) {  // 10 000 alert updates in 100 groups
      Notification n = firing_group("{}:{alertname=\"G" + std::to_string(g) + "\"}");
      n.alerts[0].labels.set("change", std::to_string(change));
      REQUIRE(rig.notifier.submit(n));
    }
  }
  CHECK(rig.outbox.size() == 100);
  for (auto t = T0; t <= T0 + 200s; t += 100ms) {
    rig.transport.now = t;
    rig.notifier.pump(t);
  }
  CHECK(rig.notifier.stats("slack").delivered == 100);
  const auto& calls = rig.transport.calls;
  bool within = true;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const double elapsed = std::chrono::duration<double>(calls[i].at - T0).count();
    within = within && static_cast<double>(i + 1) <= 3.0 + elapsed + 1e-9;
  }
  CHECK(within);
}
