// Tests for cts/health/channels.hpp. Payload shapes and limits: the providers' documents
// (Slack Block Kit limits, Discord webhook limits, PagerDuty Events v2, Alertmanager's
// webhook v4 struct layout as written by Go's json.Encoder). The dedup key: Python's
// hashlib.sha256 of the sample's group key.
#include <cts/health/channels.hpp>
#include <cts/health/detail/json.hpp>

#include <doctest/doctest.h>
#include <simdjson.h>

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const SystemTime T0{std::chrono::seconds{1'704'067'200}};  // 2024-01-01T00:00:00Z

Notification sample() {
  Notification n;
  n.group_key = R"({}/{team="fx"}:{alertname="StaleMarketData"})";
  n.receiver = "fx-oncall";
  n.group_labels = LabelSet{{"alertname", "StaleMarketData"}};
  Alert a;
  a.labels = LabelSet{{"alertname", "StaleMarketData"}, {"feed", "itch"}, {"venue", "XNAS"}, {"severity", "critical"}};
  a.annotations = LabelSet{{"summary", "age=350ms > 250ms"}};
  a.starts_at = T0;
  a.ends_at = T0 + 5min;
  a.generator_url = "http://engine/alerts";
  Alert b = a;
  b.labels = LabelSet{{"alertname", "StaleMarketData"}, {"feed", "pitch"}, {"venue", "XNAS"}, {"severity", "warning"}};
  b.ends_at = T0 + 30s;
  n.alerts = {a, b};
  n.at = T0 + 60s;
  return n;
}

simdjson::dom::element parse(simdjson::dom::parser& p, const std::string& s) {
  simdjson::dom::element e;
  REQUIRE(p.parse(s).get(e) == simdjson::SUCCESS);
  return e;
}

WebhookUrl url(std::string_view s) { return WebhookUrl::parse(s).value(); }
}  // namespace

TEST_CASE("webhook URL parsing never echoes the URL") {
  auto u = url("https://hooks.slack.com/services/T000/B000/SECRET?x=1");
  CHECK(u.origin == "https://hooks.slack.com");
  CHECK(u.path == "/services/T000/B000/SECRET");
  CHECK(u.query == "x=1");
  auto bad = WebhookUrl::parse("ftp://host/SECRET");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("SECRET") == std::string::npos);
  CHECK_FALSE(WebhookUrl::parse("https:///path"));
  CHECK(url("http://127.0.0.1:8080").path == "/");
}

TEST_CASE("webhook v4 is byte-compatible with Alertmanager") {
  const WebhookV4 ch("hook", url("http://127.0.0.1:9/hook"));
  const std::string expected =
      R"({"receiver":"fx-oncall","status":"firing","alerts":[)"
      R"({"status":"firing","labels":{"alertname":"StaleMarketData","feed":"itch","severity":"critical","venue":"XNAS"},)"
      R"("annotations":{"summary":"age=350ms \u003e 250ms"},"startsAt":"2024-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z",)"
      R"("generatorURL":"http://engine/alerts","fingerprint":")" +
      LabelSet{{"alertname", "StaleMarketData"}, {"feed", "itch"}, {"venue", "XNAS"}, {"severity", "critical"}}.fingerprint_hex() +
      R"("},{"status":"resolved","labels":{"alertname":"StaleMarketData","feed":"pitch","severity":"warning","venue":"XNAS"},)"
      R"("annotations":{"summary":"age=350ms \u003e 250ms"},"startsAt":"2024-01-01T00:00:00Z","endsAt":"2024-01-01T00:00:30Z",)"
      R"("generatorURL":"http://engine/alerts","fingerprint":")" +
      LabelSet{{"alertname", "StaleMarketData"}, {"feed", "pitch"}, {"venue", "XNAS"}, {"severity", "warning"}}.fingerprint_hex() +
      R"("}],"groupLabels":{"alertname":"StaleMarketData"},"commonLabels":{"alertname":"StaleMarketData","venue":"XNAS"},)"
      R"("commonAnnotations":{"summary":"age=350ms \u003e 250ms"},"externalURL":"","version":"4",)"
      R"("groupKey":"{}/{team=\"fx\"}:{alertname=\"StaleMarketData\"}","truncatedAlerts":0})"
      "\n";
  const auto req = ch.render(sample(), NotifyReason::first_notification);
  CHECK(req.body == expected);
  CHECK(req.method == HttpMethod::post);
  CHECK(req.path == "/hook");
  CHECK(req.header("Content-Type").value() == "application/json");
  const WebhookV4 truncated("hook", url("http://127.0.0.1:9/hook"), true, 1);
  CHECK(truncated.render(sample(), NotifyReason::first_notification).body.find(R"("truncatedAlerts":1})") !=
        std::string::npos);
}

TEST_CASE("slack: fallback text, sections, 50 blocks, 3000 characters on a code-point boundary") {
  const SlackWebhook ch("slack", url("https://hooks.slack.com/services/T/B/X"));
  simdjson::dom::parser p;
  auto doc = parse(p, ch.render(sample(), NotifyReason::first_notification).body);
  CHECK(std::string_view(doc["text"]) == "[FIRING:1] StaleMarketData");
  simdjson::dom::array blocks = doc["blocks"];
  CHECK(blocks.size() == 1);  // send_resolved=false: only the firing alert
  Notification big = sample();
  big.alerts.resize(1);
  big.alerts[0].annotations = LabelSet{{"summary", std::string(4000, 'x') + "\xE2\x82\xAC"}};
  for (int i = 0; i < 80; ++i) {
    Alert a = big.alerts[0];
    a.labels.set("feed", "f" + std::to_string(i));
    big.alerts.push_back(a);
  }
  auto big_doc = parse(p, ch.render(big, NotifyReason::first_notification).body);
  simdjson::dom::array big_blocks = big_doc["blocks"];
  CHECK(big_blocks.size() == SlackWebhook::kMaxBlocks);
  for (auto b : big_blocks) {
    std::string_view text = b["text"]["text"];
    CHECK(cts::health::detail::utf8_code_points(text) <= SlackWebhook::kMaxSectionText);
  }
  std::string_view last = big_blocks.at(49)["text"]["text"];
  CHECK(last == "\xE2\x80\xA6" "and 32 more alerts");
  // Multi-byte characters are never split.
  const std::string euros(5000, 'a');
  const auto cut = cts::health::detail::truncate_code_points(std::string(2999, 'a') + "\xE2\x82\xAC\xE2\x82\xAC", 3000);
  CHECK(cut == std::string(2999, 'a') + "\xE2\x80\xA6");
}

TEST_CASE("slack classification: 200 ok, 429 Retry-After, permanent 4xx") {
  const SlackWebhook ch("slack", url("https://hooks.slack.com/services/T/B/X"));
  CHECK(ch.classify(HttpResponse{200, {}, "ok"}, T0).action == Delivery::delivered);
  CHECK(ch.classify(HttpResponse{200, {}, "invalid_payload"}, T0).action == Delivery::drop);
  auto limited = ch.classify(HttpResponse{429, {{"Retry-After", "7"}}, ""}, T0);
  CHECK(limited.action == Delivery::retry);
  CHECK(limited.reason == FailureReason::rate_limited);
  CHECK(limited.retry_after == Nanos{7s});
  CHECK(ch.classify(HttpResponse{400, {}, "invalid_payload"}, T0).action == Delivery::drop);
  for (int s : {401, 403, 404, 410}) CHECK(ch.classify(HttpResponse{s, {}, ""}, T0).action == Delivery::disable);
  CHECK(ch.classify(HttpResponse{503, {}, ""}, T0).action == Delivery::retry);
}

TEST_CASE("Retry-After as an HTTP-date, clamped, or ignored when malformed") {
  const SlackWebhook ch("slack", url("https://hooks.slack.com/services/T/B/X"));
  // RFC 9110's example date, 1994-11-06T08:49:37Z = 784111777.
  const SystemTime now{std::chrono::seconds{784111777 - 30}};
  CHECK(ch.classify(HttpResponse{429, {{"Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"}}, ""}, now).retry_after ==
        Nanos{30s});
  CHECK(ch.classify(HttpResponse{503, {{"Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"}}, ""}, now).retry_after ==
        Nanos{30s});
  // A year-long wait is cut to the 7-day cap.
  CHECK(ch.classify(HttpResponse{429, {{"Retry-After", "31536000"}}, ""}, now).retry_after ==
        Nanos{std::chrono::hours{168}});
  const auto garbage = ch.classify(HttpResponse{429, {{"Retry-After", "soon"}}, ""}, now);
  CHECK(garbage.action == Delivery::retry);
  CHECK_FALSE(garbage.retry_after.has_value());
}

TEST_CASE("discord: wait=true, content and embed limits, no mentions, retry_after float") {
  const DiscordWebhook ch("discord", url("https://discord.com/api/webhooks/1/TOKEN"));
  const auto req = ch.render(sample(), NotifyReason::first_notification);
  CHECK(req.query == "wait=true");
  simdjson::dom::parser p;
  auto doc = parse(p, req.body);
  CHECK(std::string_view(doc["content"]) == "[FIRING:1] StaleMarketData");
  simdjson::dom::array parse_list = doc["allowed_mentions"]["parse"];
  CHECK(parse_list.size() == 0);
  simdjson::dom::array embeds = doc["embeds"];
  CHECK(embeds.size() == 2);
  CHECK(std::int64_t(embeds.at(0)["color"]) == 10038562);
  Notification big = sample();
  big.alerts.resize(1);
  big.alerts[0].annotations = LabelSet{{"summary", std::string(5000, 'y')}};
  for (int i = 0; i < 20; ++i) big.alerts.push_back(big.alerts[0]);
  auto big_doc = parse(p, ch.render(big, NotifyReason::first_notification).body);
  simdjson::dom::array big_embeds = big_doc["embeds"];
  CHECK(big_embeds.size() <= DiscordWebhook::kMaxEmbeds);
  std::size_t total = 0;
  for (auto e : big_embeds) {
    std::string_view title = e["title"];
    total += cts::health::detail::utf8_code_points(title);
    std::string_view description;
    if (e["description"].get(description) == simdjson::SUCCESS) {
      CHECK(cts::health::detail::utf8_code_points(description) <= DiscordWebhook::kMaxDescription);
      total += cts::health::detail::utf8_code_points(description);
    }
  }
  CHECK(total <= DiscordWebhook::kMaxEmbedTotal);
  auto limited = ch.classify(HttpResponse{429, {}, R"({"message":"You are being rate limited.","retry_after":1.337,"global":false})"}, T0);
  CHECK(limited.action == Delivery::retry);
  CHECK(limited.retry_after == Nanos{1337ms});
  CHECK(ch.classify(HttpResponse{404, {}, R"({"message":"Unknown Webhook","code":10015})"}, T0).action == Delivery::disable);
}

TEST_CASE("pagerduty: dedup_key = sha256(group key), trigger and resolve, enum severity, limits") {
  const PagerDutyV2 ch("pd", "R0UT1NGK3Y", url("https://events.pagerduty.com/v2/enqueue"), "engine-1");
  const Notification n = sample();
  simdjson::dom::parser p;
  const auto trigger = ch.render(n, NotifyReason::first_notification);
  CHECK(trigger.path == "/v2/enqueue");
  auto doc = parse(p, trigger.body);
  CHECK(std::string_view(doc["event_action"]) == "trigger");
  const std::string key{std::string_view(doc["dedup_key"])};
  CHECK(key == "725a006a6d7e4cbf5516893ab9a74f315eb786aef626edbf714259523840016c");
  CHECK(std::string_view(doc["payload"]["severity"]) == "critical");
  CHECK(std::string_view(doc["payload"]["source"]) == "engine-1");
  Notification resolved = n;
  resolved.at = T0 + 10min;
  const auto resolve = ch.render(resolved, NotifyReason::all_alerts_resolved);
  CHECK(resolve.body == R"({"routing_key":"R0UT1NGK3Y","event_action":"resolve","dedup_key":")" + key + "\"}");
  Notification huge = n;
  huge.alerts[0].annotations = LabelSet{{"summary", std::string(3000, 's')}, {"description", std::string(600000, 'd')}};
  huge.alerts[0].labels.set("huge", std::string(600000, 'l'));
  auto huge_doc = parse(p, ch.render(huge, NotifyReason::first_notification).body);
  std::string_view summary = huge_doc["payload"]["summary"];
  CHECK(cts::health::detail::utf8_code_points(summary) <= PagerDutyV2::kMaxSummary);
  CHECK(std::string_view(huge_doc["payload"]["custom_details"]["note"]).find("dropped") != std::string_view::npos);
  CHECK(ch.classify(HttpResponse{202, {}, R"({"status":"success"})"}, T0).action == Delivery::delivered);
  CHECK(ch.classify(HttpResponse{400, {}, ""}, T0).action == Delivery::drop);
  CHECK(ch.rate_limit_floor() >= 60s);
  CHECK(pagerduty_severity("HIGH") == "error");
  CHECK(pagerduty_severity("medium") == "warning");
  CHECK(pagerduty_severity("low") == "info");
  CHECK(pagerduty_severity("") == "error");
}

TEST_CASE("JSON strings escape like Go and replace invalid UTF-8") {
  std::string out;
  cts::health::detail::append_json_string(out, "a\"b\\c\n<&>\x01\xE2\x80\xA8\xFF\xC3\xA9");
  CHECK(out == R"("a\"b\\c\n\u003c\u0026\u003e\u0001\u2028\ufffdé")");
  CHECK(cts::health::detail::rfc3339_nano(T0 + 1500ms) == "2024-01-01T00:00:01.5Z");
  CHECK(cts::health::detail::rfc3339_nano(SystemTime{std::chrono::seconds{951782400}}) == "2000-02-29T00:00:00Z");
  CHECK(cts::health::detail::rfc3339_millis(T0 + 1500ms) == "2024-01-01T00:00:01.500Z");
  CHECK(cts::health::detail::rfc3339_millis(SystemTime{std::chrono::seconds{951782400}}) == "2000-02-29T00:00:00.000Z");
  CHECK(cts::health::detail::rfc3339_millis(T0 + 1999999us) == "2024-01-01T00:00:01.999Z");  // truncated
}
