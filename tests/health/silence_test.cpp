// Tests for cts/health/silence.hpp (Alertmanager silence/silence.go semantics).
#include <cts/health/silence.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const SystemTime T0{std::chrono::seconds{1'704'067'200}};
Silence make(SystemTime start, SystemTime end, std::string venue = "XNAS") {
  return Silence{"", {Matcher("venue", MatchOp::eq, std::move(venue))}, start, end, "ops", "maintenance"};
}
}  // namespace

TEST_CASE("pending silences do not mute; active ones do; expired ones do not") {
  SilenceStore store;
  const LabelSet labels{{"alertname", "X"}, {"venue", "XNAS"}};
  auto id = store.add(make(T0 + 10s, T0 + 20s), T0);
  REQUIRE(id);
  CHECK(store.silenced_by(labels, T0).empty());
  CHECK(store.silenced_by(labels, T0 + 10s) == std::vector<std::string>{*id});
  CHECK(store.silenced_by(LabelSet{{"venue", "BINANCE"}}, T0 + 10s).empty());
  CHECK(store.silenced_by(labels, T0 + 20s).empty());
  CHECK_FALSE(store.add(Silence{}, T0));
  CHECK_FALSE(store.add(make(T0 + 5s, T0 + 1s), T0));
}

TEST_CASE("expire: pending becomes expired at once; active ends now; expired is a no-op") {
  SilenceStore store;
  auto pending = store.add(make(T0 + 60s, T0 + 120s), T0).value();
  REQUIRE(store.expire(pending, T0));
  CHECK(store.find(pending)->state_at(T0) == SilenceState::expired);
  CHECK(store.find(pending)->state_at(T0 + 90s) == SilenceState::expired);
  auto active = store.add(make(T0, T0 + 120s), T0).value();
  REQUIRE(store.expire(active, T0 + 30s));
  CHECK(store.find(active)->ends_at == T0 + 30s);
  REQUIRE(store.expire(active, T0 + 60s));
  CHECK(store.find(active)->ends_at == T0 + 30s);
  CHECK_FALSE(store.expire("silence-999", T0));
}

TEST_CASE("update: same matchers in place; new matchers expire the old and create a new id") {
  SilenceStore store;
  auto id = store.add(make(T0, T0 + 60s), T0).value();
  auto same = store.update(id, make(T0, T0 + 120s), T0 + 10s);
  REQUIRE(same);
  CHECK(*same == id);
  CHECK(store.find(id)->ends_at == T0 + 120s);
  auto changed = store.update(id, make(T0 + 10s, T0 + 120s, "BINANCE"), T0 + 10s);
  REQUIRE(changed);
  CHECK(*changed != id);
  CHECK(store.find(id)->state_at(T0 + 10s) == SilenceState::expired);
  CHECK(store.find(*changed)->state_at(T0 + 10s) == SilenceState::active);
  // Moving an active silence's start also makes a new id (history kept).
  auto moved = store.update(*changed, make(T0 + 20s, T0 + 120s, "BINANCE"), T0 + 15s);
  REQUIRE(moved);
  CHECK(*moved != *changed);
  CHECK(store.gc(T0 + 170s, 60s) == 2);  // the two expired at 10 s and 15 s; the third ended at 120 s
  CHECK(store.find(*moved) != nullptr);
}
