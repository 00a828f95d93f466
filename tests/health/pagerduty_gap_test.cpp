// The PagerDuty gap (issue 7): an alert that fires and resolves while PagerDuty is
// unreachable must reach PagerDuty as a trigger followed by a resolve with the same
// dedup_key (PagerDuty ignores a resolve for a dedup_key it never saw), each sent only
// after the previous one was confirmed, and in that order across a restart of the
// durable outbox. The chat and webhook channels get one coalesced message that still
// says the alert fired and resolved. Scripted transport, ManualClock time.
#include <cts/core/clock.hpp>
#include <cts/health/notifier.hpp>

#include <doctest/doctest.h>

#include <filesystem>

#include "fake_transport.hpp"

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const std::string kPd = "https://events.pagerduty.com";
const std::string kSlack = "https://hooks.slack.com";
const std::string kDiscord = "https://discord.com";
const std::string kHook = "http://127.0.0.1:9";

std::unique_ptr<Channel> pagerduty() {
  return std::make_unique<PagerDutyV2>("pd", "R0UT1NGK3Y", WebhookUrl::parse(kPd + "/v2/enqueue").value(), "engine-1");
}

// The group fired at the clock's start; `resolved` makes it resolve 25 s later.
Notification group(const ManualClock& clock, bool resolved) {
  Notification n = fake::notification("VenueDown", clock.system_now());
  n.alerts[0].starts_at = SystemTime{std::chrono::seconds{1'704'067'200}};
  n.alerts[0].ends_at = resolved ? n.alerts[0].starts_at + 25s : SystemTime{};
  return n;
}

// Pumps every wake-up until `until`, advancing the clock to each.
void run_until(Notifier& notifier, fake::Transport& transport, ManualClock& clock, SystemTime until) {
  for (int guard = 0; guard < 10000; ++guard) {
    auto t = notifier.next_wakeup();
    if (!t || *t > until) break;
    if (*t > clock.system_now()) clock.set_wall(*t);
    transport.now = clock.system_now();
    notifier.pump(clock.system_now());
  }
  clock.set_wall(until);
}

std::string expected_dedup_key() { return PagerDutyV2::dedup_key("{}:{alertname=\"VenueDown\"}"); }
bool has(const std::string& body, std::string_view needle) { return body.find(needle) != std::string::npos; }
}  // namespace

TEST_CASE("pagerduty gap: fired and resolved during an outage -> trigger, then resolve, same dedup_key") {
  ManualClock clock;
  fake::Transport transport;
  Outbox outbox;
  NotificationLog log;
  Notifier notifier(transport, outbox, log);
  notifier.add_channel("oncall", pagerduty());
  transport.set_default(kPd, cts::make_error(ErrorCode::network, "connection refused"));

  REQUIRE(notifier.submit(group(clock, false)));  // fires: trigger queued
  run_until(notifier, transport, clock, clock.system_now() + 30s);
  const std::size_t failed = transport.calls.size();
  CHECK(failed >= 2);
  REQUIRE(notifier.submit(group(clock, true)));   // resolves before any delivery
  CHECK(outbox.size() == 1);                      // still one item per group
  run_until(notifier, transport, clock, clock.system_now() + 30s);
  const auto* key_entry = log.query(nflog_key("{}:{alertname=\"VenueDown\"}", "oncall", "pd"));
  CHECK(key_entry == nullptr);                    // nothing confirmed yet

  transport.set_default(kPd, fake::reply(202, R"({"status":"success"})"));
  const std::size_t before = transport.calls.size();
  run_until(notifier, transport, clock, clock.system_now() + 5min);
  // The requests after the outage: exactly a trigger, then a resolve.
  std::vector<std::string> delivered;
  for (std::size_t i = before; i < transport.calls.size(); ++i) delivered.push_back(transport.calls[i].request.body);
  REQUIRE(delivered.size() == 2);
  CHECK(has(delivered[0], R"("event_action":"trigger")"));
  CHECK(has(delivered[0], R"("summary":"[FIRING:1] VenueDown")"));
  CHECK(has(delivered[1], R"("event_action":"resolve")"));
  const std::string key = "\"dedup_key\":\"" + expected_dedup_key() + "\"";
  CHECK(has(delivered[0], key));
  CHECK(has(delivered[1], key));
  CHECK(outbox.size() == 0);
  const auto* entry = log.query(nflog_key("{}:{alertname=\"VenueDown\"}", "oncall", "pd"));
  REQUIRE(entry != nullptr);
  CHECK(entry->firing.empty());
  CHECK(entry->resolved.size() == 1);
}

TEST_CASE("pagerduty gap: the resolve waits for the trigger's confirmation") {
  ManualClock clock;
  fake::Transport transport;
  Outbox outbox;
  NotificationLog log;
  Notifier notifier(transport, outbox, log);
  notifier.add_channel("oncall", pagerduty());
  transport.set_default(kPd, fake::reply(503));
  REQUIRE(notifier.submit(group(clock, false)));
  transport.now = clock.system_now();
  notifier.pump(clock.system_now());
  clock.set_wall(clock.system_now() + 30s);
  REQUIRE(notifier.submit(group(clock, true)));
  // The trigger fails twice more (503, then a timeout), then is accepted; the resolve
  // is sent only after that, and its own failure repeats the resolve, not the trigger.
  transport.script(kPd, {fake::reply(503), cts::make_error(ErrorCode::timeout, "timed out"), fake::reply(202),
                         fake::reply(500), fake::reply(202)});
  run_until(notifier, transport, clock, clock.system_now() + 10min);
  std::vector<std::string> actions;
  for (const auto& c : transport.calls) actions.push_back(has(c.request.body, "\"trigger\"") ? "T" : "R");
  REQUIRE(actions.size() == 6);
  CHECK(actions == std::vector<std::string>{"T", "T", "T", "T", "R", "R"});
  CHECK(outbox.size() == 0);
  CHECK(notifier.stats("pd").delivered == 2);
}

TEST_CASE("pagerduty gap: trigger-then-resolve order survives a restart of the durable outbox") {
  const auto dir = std::filesystem::temp_directory_path();
  const auto outbox_path = (dir / "cts_health_pdgap_outbox.log").string();
  const auto log_path = (dir / "cts_health_pdgap_nflog.log").string();
  std::filesystem::remove(outbox_path);
  std::filesystem::remove(log_path);
  ManualClock clock;
  fake::Transport transport;
  transport.set_default(kPd, cts::make_error(ErrorCode::network, "connection refused"));
  {
    Outbox outbox;
    NotificationLog log;
    REQUIRE(outbox.open(outbox_path));
    REQUIRE(log.open(log_path));
    Notifier notifier(transport, outbox, log);
    notifier.add_channel("oncall", pagerduty());
    REQUIRE(notifier.submit(group(clock, false)));
    run_until(notifier, transport, clock, clock.system_now() + 30s);
    REQUIRE(notifier.submit(group(clock, true)));
  }  // crash with trigger and resolve both undelivered
  const std::size_t before_first_restart = transport.calls.size();
  {
    Outbox outbox;
    NotificationLog log;
    REQUIRE(outbox.open(outbox_path));
    REQUIRE(log.open(log_path));
    REQUIRE(outbox.size() == 1);
    Notifier notifier(transport, outbox, log);
    notifier.add_channel("oncall", pagerduty());
    // The trigger is accepted, then PagerDuty goes away again before the resolve.
    transport.script(kPd, {fake::reply(202)});
    run_until(notifier, transport, clock, clock.system_now() + 2min);
  }  // crash between trigger and resolve
  REQUIRE(transport.calls.size() > before_first_restart + 1);
  CHECK(has(transport.calls[before_first_restart].request.body, "\"trigger\""));
  for (std::size_t i = before_first_restart + 1; i < transport.calls.size(); ++i) {
    CHECK(has(transport.calls[i].request.body, "\"resolve\""));
  }
  const std::size_t before_second_restart = transport.calls.size();
  {
    Outbox outbox;
    NotificationLog log;
    REQUIRE(outbox.open(outbox_path));
    REQUIRE(log.open(log_path));
    REQUIRE(outbox.size() == 1);
    const auto* entry = log.query(nflog_key("{}:{alertname=\"VenueDown\"}", "oncall", "pd"));
    REQUIRE(entry != nullptr);  // the confirmed trigger was recorded
    CHECK(entry->firing.size() == 1);
    Notifier notifier(transport, outbox, log);
    notifier.add_channel("oncall", pagerduty());
    transport.set_default(kPd, fake::reply(202));
    run_until(notifier, transport, clock, clock.system_now() + 2min);
    CHECK(outbox.size() == 0);
  }
  // After the second restart only the resolve is sent: the trigger is not repeated.
  REQUIRE(transport.calls.size() == before_second_restart + 1);
  CHECK(has(transport.calls.back().request.body, "\"resolve\""));
  CHECK(has(transport.calls.back().request.body, expected_dedup_key()));
  std::filesystem::remove(outbox_path);
  std::filesystem::remove(log_path);
}

TEST_CASE("fired and resolved during an outage: Slack, Discord and webhook announce both in one message") {
  ManualClock clock;
  fake::Transport transport;
  Outbox outbox;
  NotificationLog log;
  Notifier notifier(transport, outbox, log);
  notifier.add_channel("oncall", std::make_unique<SlackWebhook>("slack", WebhookUrl::parse(kSlack + "/s/T/B/X").value()));
  notifier.add_channel("oncall",
                       std::make_unique<DiscordWebhook>("discord", WebhookUrl::parse(kDiscord + "/api/webhooks/1/T").value()));
  notifier.add_channel("oncall", std::make_unique<WebhookV4>("hook", WebhookUrl::parse(kHook + "/alerts").value()));
  for (const auto& o : {kSlack, kDiscord, kHook}) transport.set_default(o, cts::make_error(ErrorCode::network, "down"));
  REQUIRE(notifier.submit(group(clock, false)));
  run_until(notifier, transport, clock, clock.system_now() + 30s);
  REQUIRE(notifier.submit(group(clock, true)));
  transport.set_default(kSlack, fake::reply(200, "ok"));
  transport.set_default(kDiscord, fake::reply(200, "{}"));
  transport.set_default(kHook, fake::reply(200));
  const std::size_t before = transport.calls.size();
  run_until(notifier, transport, clock, clock.system_now() + 5min);
  REQUIRE(transport.calls.size() == before + 3);  // one message per channel
  for (std::size_t i = before; i < transport.calls.size(); ++i) {
    const auto& body = transport.calls[i].request.body;
    if (transport.calls[i].origin == kHook) {
      CHECK(has(body, R"("status":"resolved")"));
      CHECK(has(body, R"("startsAt":"2024-01-01T00:00:00Z","endsAt":"2024-01-01T00:00:25Z")"));
    } else {
      CHECK(has(body, "[RESOLVED] VenueDown"));
      CHECK(has(body, "fired 2024-01-01T00:00:00Z, resolved 2024-01-01T00:00:25Z"));
    }
  }
  CHECK(outbox.size() == 0);
}
