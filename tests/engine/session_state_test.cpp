// Tests for cts/engine/session_state.hpp: every row of the session table, every pair
// outside it, and the command names.
#include <cts/engine/session_state.hpp>

#include <doctest/doctest.h>

#include <map>
#include <utility>

#include <fmt/format.h>

using namespace cts;
using namespace cts::engine;

TEST_CASE("the session state table: every legal and illegal transition") {
  using S = SessionState;
  using C = SessionCommand;
  // The documented table, written out independently of the implementation.
  const std::map<std::pair<S, C>, S> legal{
      {{S::created, C::start}, S::running}, {{S::running, C::start}, S::running},
      {{S::running, C::pause}, S::paused},  {{S::paused, C::pause}, S::paused},
      {{S::paused, C::resume}, S::running}, {{S::running, C::resume}, S::running},
      {{S::created, C::stop}, S::stopping}, {{S::running, C::stop}, S::stopping},
      {{S::paused, C::stop}, S::stopping},  {{S::stopping, C::stop}, S::stopping},
      {{S::stopped, C::stop}, S::stopped},  {{S::failed, C::stop}, S::failed},
      {{S::created, C::kill}, S::stopping}, {{S::running, C::kill}, S::stopping},
      {{S::paused, C::kill}, S::stopping},  {{S::stopping, C::kill}, S::stopping},
  };
  int checked = 0;
  for (S from : {S::created, S::running, S::paused, S::stopping, S::stopped, S::failed}) {
    for (C command : {C::start, C::pause, C::resume, C::stop, C::kill}) {
      CAPTURE(to_string(from));
      CAPTURE(to_string(command));
      const Result<S> to = transition(from, command);
      const auto it = legal.find({from, command});
      if (it != legal.end()) {
        REQUIRE(to);
        CHECK(*to == it->second);
      } else {
        REQUIRE(!to);
        CHECK(to.error().code == ErrorCode::invalid_argument);
        CHECK(to.error().message == fmt::format("cannot {} a {} session", to_string(command), to_string(from)));
      }
      ++checked;
    }
  }
  CHECK(checked == 30);
  CHECK(transition(S::stopped, C::resume).error().message == "cannot resume a stopped session");
  // Every row of the table is one of the documented pairs (no extra row hides).
  CHECK(kSessionTransitionTable.size() == legal.size());
  for (const SessionTransition& row : kSessionTransitionTable) {
    CAPTURE(to_string(row.from));
    CAPTURE(to_string(row.command));
    REQUIRE(legal.count({row.from, row.command}) == 1);
    CHECK(legal.at({row.from, row.command}) == row.to);
  }
}

TEST_CASE("the session table is usable at compile time") {
  static_assert(session_transition(SessionState::created, SessionCommand::start) == SessionState::running);
  static_assert(!session_transition(SessionState::stopped, SessionCommand::resume));
  static_assert(session_transition(static_cast<SessionState>(6), SessionCommand::start) == std::nullopt);
  static_assert(session_transition(SessionState::running, static_cast<SessionCommand>(5)) == std::nullopt);
  static_assert(kSessionTransitionTable.size() == 16);
  CHECK(parse_session_command("pause") == SessionCommand::pause);
  CHECK(parse_session_command("kill") == SessionCommand::kill);
  CHECK(!parse_session_command("Pause"));
  CHECK(!parse_session_command(""));
  for (SessionCommand command : kSessionCommands) CHECK(parse_session_command(to_string(command)) == command);
}
