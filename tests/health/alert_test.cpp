// Tests for cts/health/alert.hpp: Alertmanager TestMergeAlerts semantics and the
// Prometheus rule state machine (pending for `for`, firing, resend, keep_firing_for,
// resolved).
#include <cts/health/alert.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const SystemTime T0{std::chrono::seconds{1'704'067'200}};
}

TEST_CASE("alert status is computed from ends_at") {
  Alert a;
  CHECK(a.status_at(T0) == AlertStatus::firing);
  a.ends_at = T0 + 5s;
  CHECK(a.status_at(T0 + 4s) == AlertStatus::firing);
  CHECK(a.status_at(T0 + 5s) == AlertStatus::resolved);
}

TEST_CASE("merge: earliest start, newest annotations, explicit end beats timeout") {
  Alert older;
  older.labels = LabelSet{{"alertname", "X"}};
  older.annotations = LabelSet{{"summary", "old"}};
  older.starts_at = T0;
  older.ends_at = T0 + 300s;
  older.timeout = true;
  older.updated_at = T0;
  Alert newer = older;
  newer.annotations = LabelSet{{"summary", "new"}};
  newer.starts_at = T0 + 10s;
  newer.ends_at = T0 + 310s;
  newer.updated_at = T0 + 10s;
  auto m = newer.merged_with(older);
  CHECK(m.starts_at == T0);
  CHECK(m.annotations.get("summary") == "new");
  CHECK(m.ends_at == T0 + 310s);
  // An explicit resolve received earlier beats a later timeout end.
  older.timeout = false;
  older.ends_at = T0 + 20s;
  m = newer.merged_with(older);
  CHECK(m.ends_at == T0 + 20s);
  CHECK_FALSE(m.timeout);
  // Of two explicit ends, the later update wins.
  newer.timeout = false;
  newer.ends_at = T0 + 30s;
  CHECK(newer.merged_with(older).ends_at == T0 + 30s);
}

TEST_CASE("rule: true for less than `for` then false sends nothing") {
  AlertRule rule("StaleMarketData", RuleTiming{60s, 0s, 60s, 15min, 15s});
  const std::vector<RuleInstance> present{{LabelSet{{"venue", "XNAS"}}, {}}};
  for (int i = 0; i < 4; ++i) CHECK(rule.eval(present, T0 + i * 15s).empty());  // 0..45 s
  CHECK(rule.state() == RuleState::pending);
  CHECK(rule.eval({}, T0 + 60s).empty());
  CHECK(rule.state() == RuleState::inactive);
}

TEST_CASE("rule: fires after `for`, resends every resend_delay, resolves and retains") {
  AlertRule rule("StaleMarketData", RuleTiming{30s, 0s, 60s, 5min, 15s});
  const std::vector<RuleInstance> present{{LabelSet{{"venue", "XNAS"}}, LabelSet{{"summary", "stale"}}}};
  CHECK(rule.eval(present, T0).empty());
  CHECK(rule.eval(present, T0 + 15s).empty());
  auto sent = rule.eval(present, T0 + 30s);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].labels.get("alertname") == "StaleMarketData");
  CHECK(sent[0].starts_at == T0 + 30s);
  CHECK(sent[0].ends_at == T0 + 30s + 4 * 60s);  // valid_for = 4·max(15 s, 60 s)
  CHECK(rule.eval(present, T0 + 45s).empty());
  CHECK(rule.eval(present, T0 + 75s).empty());
  CHECK(rule.eval(present, T0 + 90s).size() == 1);  // resend at +60 s
  sent = rule.eval({}, T0 + 105s);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].ends_at == T0 + 105s);
  CHECK(sent[0].status_at(T0 + 105s) == AlertStatus::resolved);
  int resends = 0;
  for (auto t = T0 + 120s; t <= T0 + 105s + 5min; t += 15s) resends += static_cast<int>(rule.eval({}, t).size());
  CHECK(resends == 5);  // every 60 s for the 5 min retention
  CHECK(rule.eval({}, T0 + 105s + 5min + 15s).empty());
}

TEST_CASE("rule: keep_firing_for bridges short gaps; a long gap resolves at the first false evaluation") {
  AlertRule rule("X", RuleTiming{0s, 60s, 600s, 15min, 15s});
  const std::vector<RuleInstance> present{{LabelSet{}, {}}};
  REQUIRE(rule.eval(present, T0).size() == 1);
  rule.eval({}, T0 + 15s);
  rule.eval({}, T0 + 30s);
  rule.eval(present, T0 + 45s);  // back before 60 s: still firing
  CHECK(rule.state() == RuleState::firing);
  rule.eval({}, T0 + 60s);  // false from 60 s
  CHECK(rule.eval({}, T0 + 105s).empty());
  CHECK(rule.state() == RuleState::firing);
  auto sent = rule.eval({}, T0 + 120s);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].ends_at == T0 + 60s);
  CHECK(rule.state() == RuleState::inactive);
}

TEST_CASE("rule: raising `for` while firing demotes to pending") {
  AlertRule rule("X", RuleTiming{0s, 0s, 60s, 15min, 15s});
  const std::vector<RuleInstance> present{{LabelSet{}, {}}};
  REQUIRE(rule.eval(present, T0).size() == 1);
  rule.set_for(5min);
  rule.eval(present, T0 + 15s);
  CHECK(rule.state() == RuleState::pending);
  rule.eval(present, T0 + 5min);
  CHECK(rule.state() == RuleState::firing);
}
