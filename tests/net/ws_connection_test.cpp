// Tests for cts/net/ws_connection.hpp, driven by a ManualClock (no sleeps).
#include <cts/net/ws_connection.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::net;
using namespace std::chrono_literals;

namespace {
WsPolicy policy() {
  WsPolicy p;
  p.connect_timeout = 5s;
  p.ping_interval = 10s;
  p.stale_after = 15s;
  p.backoff_base = 1s;
  p.backoff_cap = 8s;
  return p;
}
}  // namespace

TEST_CASE("connect, resubscribe on open, ping on interval, messages keep the stream alive") {
  ManualClock clock;
  WsConnectionState ws(policy());
  CHECK(ws.state() == WsState::disconnected);
  CHECK(ws.start(clock.steady_now()) == WsAction::connect);
  CHECK(ws.state() == WsState::connecting);
  CHECK(ws.start(clock.steady_now()) == WsAction::none);
  CHECK(ws.on_open(clock.steady_now()) == WsAction::resubscribe);
  CHECK(ws.state() == WsState::open);
  clock.advance(9s);
  ws.on_message(clock.steady_now());
  CHECK(ws.poll(clock.steady_now()) == WsAction::none);
  clock.advance(1s);
  CHECK(ws.next_deadline() == clock.steady_now());
  CHECK(ws.poll(clock.steady_now()) == WsAction::send_ping);
  CHECK(ws.poll(clock.steady_now()) == WsAction::none);
  clock.advance(14s);  // last message 14 s ago
  ws.on_message(clock.steady_now());
  clock.advance(14s);
  CHECK(ws.poll(clock.steady_now()) == WsAction::send_ping);
  CHECK(ws.state() == WsState::open);
}

TEST_CASE("staleness closes the stream, backs off, reconnects and resubscribes") {
  ManualClock clock;
  WsConnectionState ws(policy(), 42);
  ws.start(clock.steady_now());
  ws.on_open(clock.steady_now());
  clock.advance(15s);
  CHECK(ws.poll(clock.steady_now()) == WsAction::close_stale);
  CHECK(ws.state() == WsState::backoff);
  CHECK(ws.failures() == 1);
  CHECK(ws.last_backoff() <= 1s);
  clock.advance(ws.last_backoff());
  CHECK(ws.poll(clock.steady_now()) == WsAction::connect);
  CHECK(ws.on_open(clock.steady_now()) == WsAction::resubscribe);
  CHECK(ws.failures() == 0);
}

TEST_CASE("connect timeout and drops back off with full jitter under a growing, capped ceiling") {
  ManualClock clock;
  WsConnectionState ws(policy(), 7);
  ws.start(clock.steady_now());
  clock.advance(5s);
  CHECK(ws.poll(clock.steady_now()) == WsAction::close_timed_out);
  CHECK(ws.state() == WsState::backoff);
  const Nanos ceilings[] = {1s, 2s, 4s, 8s, 8s, 8s, 8s, 8s};
  bool below_half = false, above_half = false;
  for (int round = 0; round < 40; ++round) {
    const Nanos ceiling = ceilings[std::min(round, 7)];
    CHECK(ws.last_backoff() <= ceiling);
    if (round >= 3) {
      below_half |= ws.last_backoff() < ceiling / 2;
      above_half |= ws.last_backoff() > ceiling / 2;
    }
    clock.advance(ws.last_backoff());
    REQUIRE(ws.poll(clock.steady_now()) == WsAction::connect);
    ws.on_failure(clock.steady_now());  // refused again
  }
  CHECK(below_half);  // jitter spreads over the whole range
  CHECK(above_half);
  CHECK(ws.failures() == 41);
}

TEST_CASE("the same seed gives the same backoff sequence; max_attempts closes; stop is final") {
  const auto sequence = [](std::uint64_t seed) {
    ManualClock clock;
    WsConnectionState ws(policy(), seed);
    ws.start(clock.steady_now());
    std::vector<Nanos> out;
    for (int i = 0; i < 5; ++i) {
      ws.on_failure(clock.steady_now());
      out.push_back(ws.last_backoff());
      clock.advance(ws.last_backoff());
      (void)ws.poll(clock.steady_now());
    }
    return out;
  };
  CHECK(sequence(3) == sequence(3));
  CHECK(sequence(3) != sequence(4));

  ManualClock clock;
  WsPolicy limited = policy();
  limited.max_attempts = 2;
  WsConnectionState ws(limited);
  ws.start(clock.steady_now());
  ws.on_failure(clock.steady_now());
  clock.advance(ws.last_backoff());
  CHECK(ws.poll(clock.steady_now()) == WsAction::connect);
  ws.on_failure(clock.steady_now());
  CHECK(ws.state() == WsState::closed);
  CHECK(!ws.next_deadline());
  CHECK(ws.poll(clock.steady_now() + 1h) == WsAction::none);

  WsConnectionState stopped(policy());
  stopped.start(clock.steady_now());
  stopped.on_open(clock.steady_now());
  stopped.stop();
  CHECK(stopped.state() == WsState::closed);
  CHECK(stopped.on_open(clock.steady_now()) == WsAction::none);
  CHECK(to_string(stopped.state()) == "closed");
}
