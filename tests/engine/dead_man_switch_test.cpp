// Tests for cts/engine/dead_man_switch.hpp: the refresh schedule (armed at once, again
// every timeout / 3), retries after a failure, the lapse once no refresh succeeded for a
// whole timeout, the re-arm after it, a venue without a switch, and the disarm. A fake
// gateway answers the arm requests from a script; time is injected.
#include <cts/engine/dead_man_switch.hpp>

#include <doctest/doctest.h>

#include <deque>
#include <vector>

using namespace cts;
using namespace cts::engine;
using namespace std::chrono_literals;

namespace {

/// A gateway whose only operation is the dead-man switch: each call is recorded and
/// answered by the next scripted result (success once the script is empty).
class ScriptedSwitch final : public venue::Gateway {
 public:
  VenueId venue() const noexcept override { return VenueId{}; }
  const venue::VenueCapabilities& capabilities() const noexcept override { return capabilities_; }
  Result<std::int64_t> server_time_ms() override { return none(); }
  Result<Instrument> instrument(std::string_view) override { return none(); }
  Result<venue::BookTicker> book_ticker(std::string_view) override { return none(); }
  Result<venue::BookSnapshot> depth(std::string_view, std::size_t) override { return none(); }
  Result<venue::OrderReport> create_order(const venue::NewOrder&) override { return none(); }
  Result<venue::OrderReport> cancel_order(const venue::OrderRef&) override { return none(); }
  Result<venue::OrderReport> query_order(const venue::OrderRef&) override { return none(); }
  Result<std::vector<venue::OrderReport>> open_orders(std::string_view) override { return none(); }
  Result<std::vector<venue::AccountTrade>> order_trades(std::string_view, std::string_view) override { return none(); }
  Result<std::vector<venue::AccountTrade>> recent_trades(std::string_view, std::size_t) override { return none(); }
  Result<std::vector<venue::Balance>> balances() override { return none(); }
  Result<void> arm_dead_man_switch(std::chrono::seconds timeout) override {
    sent.push_back(timeout);
    if (answers.empty()) return {};
    Result<void> answer = answers.front();
    answers.pop_front();
    return answer;
  }

  std::deque<Result<void>> answers;        ///< The next calls' results, in order.
  std::vector<std::chrono::seconds> sent;  ///< Every call's timeout, in order.

 private:
  static Error none() { return make_error(ErrorCode::unsupported, "not in this test"); }
  venue::VenueCapabilities capabilities_;
};

const SteadyTime t0{std::chrono::hours{1}};

Result<void> down() { return make_error(ErrorCode::network, "connection refused"); }

}  // namespace

TEST_CASE("dead-man switch: armed at the first call, refreshed every third of the timeout") {
  ScriptedSwitch gateway;
  DeadManSwitch dead_man(gateway, 60s);
  CHECK(dead_man.refresh_interval() == 20'000ms);
  CHECK(dead_man.maintain(t0) == DeadManEvent::armed);
  CHECK(gateway.sent == std::vector<std::chrono::seconds>{60s});
  CHECK(dead_man.armed(t0));
  // Nothing is due before 20 s.
  CHECK(dead_man.maintain(t0 + 1s) == DeadManEvent::none);
  CHECK(dead_man.maintain(t0 + 19'999ms) == DeadManEvent::none);
  CHECK(gateway.sent.size() == 1);
  CHECK(dead_man.maintain(t0 + 20s) == DeadManEvent::armed);
  CHECK(dead_man.maintain(t0 + 39s) == DeadManEvent::none);
  CHECK(dead_man.maintain(t0 + 40s) == DeadManEvent::armed);
  CHECK(gateway.sent == std::vector<std::chrono::seconds>{60s, 60s, 60s});
  CHECK(dead_man.arms() == 3);
  CHECK(dead_man.failures() == 0);
  CHECK(dead_man.armed(t0 + 99s));  // 40 s + 60 s
  CHECK_FALSE(dead_man.armed(t0 + 100s));
}

TEST_CASE("dead-man switch: the 10 s minimum is refreshed every 3333 ms") {
  ScriptedSwitch gateway;
  DeadManSwitch dead_man(gateway, 10s);
  CHECK(dead_man.refresh_interval() == 3'333ms);
  CHECK(dead_man.maintain(t0) == DeadManEvent::armed);
  CHECK(dead_man.maintain(t0 + 3'332ms) == DeadManEvent::none);
  CHECK(dead_man.maintain(t0 + 3'333ms) == DeadManEvent::armed);
  CHECK(gateway.sent.size() == 2);
}

TEST_CASE("dead-man switch: a failed refresh is retried after 2 s and stays armed until the timeout") {
  ScriptedSwitch gateway;
  DeadManSwitch dead_man(gateway, 60s);
  REQUIRE(dead_man.maintain(t0) == DeadManEvent::armed);
  gateway.answers = {down(), down()};
  CHECK(dead_man.maintain(t0 + 20s) == DeadManEvent::failed);
  REQUIRE(dead_man.last_error().has_value());
  CHECK(dead_man.last_error()->code == ErrorCode::network);
  CHECK(dead_man.armed(t0 + 20s));  // the venue's countdown still runs from t0
  CHECK(dead_man.maintain(t0 + 21s) == DeadManEvent::none);
  CHECK(dead_man.maintain(t0 + 22s) == DeadManEvent::failed);
  CHECK(dead_man.maintain(t0 + 24s) == DeadManEvent::armed);
  CHECK_FALSE(dead_man.last_error().has_value());
  CHECK(dead_man.failures() == 2);
  CHECK(dead_man.arms() == 2);
  CHECK(gateway.sent.size() == 4);
  // The next refresh a third of the timeout after the success.
  CHECK(dead_man.maintain(t0 + 43'999ms) == DeadManEvent::none);
  CHECK(dead_man.maintain(t0 + 44s) == DeadManEvent::armed);
}

TEST_CASE("dead-man switch: no success for a whole timeout is a lapse, said once; the re-arm after it too") {
  ScriptedSwitch gateway;
  DeadManSwitch dead_man(gateway, 10s);
  REQUIRE(dead_man.maintain(t0) == DeadManEvent::armed);
  for (int i = 0; i < 10; ++i) gateway.answers.push_back(down());
  // Refresh due at 3333 ms; retries every 2 s: 3333, 5333, 7333, 9333 fail.
  CHECK(dead_man.maintain(t0 + 3'333ms) == DeadManEvent::failed);
  CHECK(dead_man.maintain(t0 + 5'333ms) == DeadManEvent::failed);
  CHECK(dead_man.maintain(t0 + 7'333ms) == DeadManEvent::failed);
  CHECK(dead_man.maintain(t0 + 9'333ms) == DeadManEvent::failed);
  CHECK(dead_man.armed(t0 + 9'999ms));
  // At 10 s since the last success the venue may have fired: said at once, between
  // attempts, and only once.
  CHECK(dead_man.maintain(t0 + 10s) == DeadManEvent::lapsed);
  CHECK_FALSE(dead_man.armed(t0 + 10s));
  CHECK(dead_man.maintain(t0 + 10'500ms) == DeadManEvent::none);
  CHECK(dead_man.maintain(t0 + 11'333ms) == DeadManEvent::failed);
  gateway.answers.clear();
  CHECK(dead_man.maintain(t0 + 13'333ms) == DeadManEvent::rearmed);
  CHECK(dead_man.armed(t0 + 13'333ms));
  CHECK(dead_man.maintain(t0 + 16'666ms) == DeadManEvent::armed);
}

TEST_CASE("dead-man switch: a lapse found by a failed attempt is said by that attempt") {
  ScriptedSwitch gateway;
  DeadManSwitch dead_man(gateway, 60s);
  REQUIRE(dead_man.maintain(t0) == DeadManEvent::armed);
  gateway.answers = {down()};
  // The session did not step for 70 s (a stall): the refresh comes too late.
  CHECK(dead_man.maintain(t0 + 70s) == DeadManEvent::lapsed);
  CHECK(dead_man.maintain(t0 + 72s) == DeadManEvent::rearmed);
}

TEST_CASE("dead-man switch: a success after a stall longer than the timeout is a re-arm after a lapse") {
  ScriptedSwitch gateway;
  DeadManSwitch dead_man(gateway, 60s);
  REQUIRE(dead_man.maintain(t0) == DeadManEvent::armed);
  CHECK(dead_man.maintain(t0 + 61s) == DeadManEvent::rearmed);
}

TEST_CASE("dead-man switch: a venue without one turns it off after one answer") {
  ScriptedSwitch gateway;
  gateway.answers = {make_error(ErrorCode::unsupported, "no switch")};
  DeadManSwitch dead_man(gateway, 60s);
  CHECK(dead_man.maintain(t0) == DeadManEvent::unsupported);
  CHECK_FALSE(dead_man.enabled());
  CHECK(dead_man.maintain(t0 + 60s) == DeadManEvent::none);
  CHECK(dead_man.failures() == 0);
  REQUIRE(dead_man.disarm());
  CHECK(gateway.sent.size() == 1);
}

TEST_CASE("dead-man switch: a timeout of 0 sends nothing") {
  ScriptedSwitch gateway;
  DeadManSwitch dead_man(gateway, 0s);
  CHECK_FALSE(dead_man.enabled());
  CHECK(dead_man.maintain(t0) == DeadManEvent::none);
  REQUIRE(dead_man.disarm());
  CHECK(gateway.sent.empty());
}

TEST_CASE("dead-man switch: disarm sends 0 once and stops the refreshes") {
  ScriptedSwitch gateway;
  DeadManSwitch dead_man(gateway, 60s);
  REQUIRE(dead_man.maintain(t0) == DeadManEvent::armed);
  REQUIRE(dead_man.disarm());
  CHECK(gateway.sent == std::vector<std::chrono::seconds>{60s, 0s});
  CHECK_FALSE(dead_man.enabled());
  CHECK_FALSE(dead_man.armed(t0 + 1s));
  CHECK(dead_man.maintain(t0 + 20s) == DeadManEvent::none);
  REQUIRE(dead_man.disarm());
  CHECK(gateway.sent.size() == 2);
}

TEST_CASE("dead-man switch: an attempt that failed may have armed it, so disarm still sends 0") {
  ScriptedSwitch gateway;
  gateway.answers = {make_error(ErrorCode::timeout, "no reply")};
  DeadManSwitch dead_man(gateway, 60s);
  CHECK(dead_man.maintain(t0) == DeadManEvent::failed);
  CHECK_FALSE(dead_man.armed(t0));
  REQUIRE(dead_man.disarm());
  CHECK(gateway.sent == std::vector<std::chrono::seconds>{60s, 0s});
}
