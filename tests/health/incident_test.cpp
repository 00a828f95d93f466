// Tests for cts/health/incident.hpp (PagerDuty incident and escalation semantics).
#include <cts/health/incident.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const SystemTime T0{std::chrono::seconds{1'704'067'200}};
EscalationPolicy policy(std::uint32_t loops = 0, Nanos ack_timeout = 0s) {
  return EscalationPolicy{{EscalationStep{10min, {"primary"}, EscalationCondition::if_not_acked},
                           EscalationStep{10min, {"secondary"}, EscalationCondition::if_not_acked},
                           EscalationStep{30min, {"manager"}, EscalationCondition::if_not_closed}},
                          loops, ack_timeout, 0s};
}
}  // namespace

TEST_CASE("escalation pages each step on schedule; an ack stops the if-not-acked steps") {
  IncidentManager m(policy());
  const auto id = m.trigger("k1", Alert{}, Severity::critical, T0);
  auto pages = m.tick(T0);
  REQUIRE(pages.size() == 1);
  CHECK(pages[0].targets == std::vector<std::string>{"primary"});
  CHECK(m.tick(T0 + 9min).empty());
  pages = m.tick(T0 + 10min);
  REQUIRE(pages.size() == 1);
  CHECK(pages[0].targets == std::vector<std::string>{"secondary"});
  REQUIRE(m.acknowledge("k1", "alice", T0 + 12min));
  pages = m.tick(T0 + 20min);
  REQUIRE(pages.size() == 1);  // the if-not-closed step still pages
  CHECK(pages[0].targets == std::vector<std::string>{"manager"});
  CHECK(m.get(id)->acked_by == "alice");
  CHECK(m.tick(T0 + 5h).empty());
}

TEST_CASE("an ack timeout returns the incident to triggered and restarts the steps") {
  IncidentManager m(policy(0, 30min));
  m.trigger("k1", Alert{}, Severity::error, T0);
  (void)m.tick(T0);
  REQUIRE(m.acknowledge("k1", "bob", T0 + 1min));
  (void)m.tick(T0 + 20min);
  auto pages = m.tick(T0 + 31min);
  REQUIRE(pages.size() == 1);
  CHECK(pages[0].targets == std::vector<std::string>{"primary"});
  CHECK(pages[0].at == T0 + 31min);
  CHECK(m.open_for("k1")->state == IncidentState::triggered);
}

TEST_CASE("loops repeat the policy; resolve stops everything") {
  IncidentManager m(policy(2));
  m.trigger("k1", Alert{}, Severity::warning, T0);
  const auto pages = m.tick(T0 + 10h);
  CHECK(pages.size() == 9);  // 3 steps × (1 + 2 loops)
  CHECK(pages.back().loop == 2);
  IncidentManager r(policy(5));
  r.trigger("k2", Alert{}, Severity::warning, T0);
  (void)r.tick(T0);
  REQUIRE(r.resolve("k2", T0 + 1min));
  CHECK(r.tick(T0 + 10h).empty());
}

TEST_CASE("a trigger after resolve opens a new incident; events for a resolved key are dropped") {
  IncidentManager m(policy());
  const auto first = m.trigger("k1", Alert{}, Severity::warning, T0);
  CHECK(m.trigger("k1", Alert{}, Severity::critical, T0 + 1min) == first);
  CHECK(m.get(first)->severity == Severity::critical);
  CHECK(m.get(first)->alerts.size() == 2);
  REQUIRE(m.resolve("k1", T0 + 2min));
  CHECK(m.acknowledge("k1", "x", T0 + 3min).error().code == ErrorCode::invalid_transition);
  CHECK_FALSE(m.resolve("k1", T0 + 3min));
  const auto second = m.trigger("k1", Alert{}, Severity::info, T0 + 4min);
  CHECK(second != first);
  REQUIRE(m.note(first, NoteStatus::identified, "feed handler crashed", T0 + 5min));
  CHECK(m.get(first)->notes.size() == 1);
  CHECK(m.close(second, "PM-1", T0 + 6min).error().code == ErrorCode::invalid_transition);
  REQUIRE(m.close(first, "PM-1", T0 + 6min));
  CHECK(m.get(first)->state == IncidentState::closed);
}
