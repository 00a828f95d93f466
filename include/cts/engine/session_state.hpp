#pragma once
/// \file
/// The lifecycle of a coordinated session as data: one constexpr table of
/// (state, command) → state. Every pair not in the table is refused.
///
///     created --start--> running --pause--> paused --resume--> running
///     created|running|paused --stop|kill--> stopping
///
/// Two moves are not commands and so not in the table: the session's own thread moves
/// stopping to stopped once it has applied the stop or kill, and any live state to
/// failed when its open or steps fail too many times in a row (see Coordinator).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "cts/core/result.hpp"

namespace cts::engine {

/// The state of one coordinated session.
enum class SessionState : std::uint8_t {
  created,   ///< Added, not started: its thread waits for start.
  running,   ///< Stepping and quoting.
  paused,    ///< Stepping (fills, metrics, health) without quoting.
  stopping,  ///< Stop or kill asked; its thread is applying it.
  stopped,   ///< Its thread has finished (shutdown policy applied).
  failed,    ///< Its start or steps failed too many times in a row; its thread has finished.
};

/// Number of SessionState values.
inline constexpr std::size_t kSessionStateCount = 6;

/// Every SessionState, in declaration order.
inline constexpr std::array<SessionState, kSessionStateCount> kSessionStates{
    SessionState::created,  SessionState::running, SessionState::paused,
    SessionState::stopping, SessionState::stopped, SessionState::failed};

/// An operation on a session.
enum class SessionCommand : std::uint8_t {
  start,   ///< Begin stepping and quoting.
  pause,   ///< Stop quoting (cancel the quotes), keep stepping.
  resume,  ///< Quote again.
  stop,    ///< Apply the shutdown policy and finish.
  kill,    ///< Trip the kill switch (cancel everything) and finish.
};

/// Number of SessionCommand values.
inline constexpr std::size_t kSessionCommandCount = 5;

/// Every SessionCommand, in declaration order.
inline constexpr std::array<SessionCommand, kSessionCommandCount> kSessionCommands{
    SessionCommand::start, SessionCommand::pause, SessionCommand::resume, SessionCommand::stop, SessionCommand::kill};

/// "created", "running", "paused", "stopping", "stopped" or "failed".
constexpr std::string_view to_string(SessionState state) noexcept {
  switch (state) {
    case SessionState::created: return "created";
    case SessionState::running: return "running";
    case SessionState::paused: return "paused";
    case SessionState::stopping: return "stopping";
    case SessionState::stopped: return "stopped";
    case SessionState::failed: return "failed";
  }
  return "invalid";
}

/// "start", "pause", "resume", "stop" or "kill".
constexpr std::string_view to_string(SessionCommand command) noexcept {
  switch (command) {
    case SessionCommand::start: return "start";
    case SessionCommand::pause: return "pause";
    case SessionCommand::resume: return "resume";
    case SessionCommand::stop: return "stop";
    case SessionCommand::kill: return "kill";
  }
  return "invalid";
}

/// The command named `text` ("start", "pause", "resume", "stop" or "kill"), if any.
constexpr std::optional<SessionCommand> parse_session_command(std::string_view text) noexcept {
  for (SessionCommand command : kSessionCommands) {
    if (text == to_string(command)) return command;
  }
  return std::nullopt;
}

/// One row of the session table.
struct SessionTransition {
  SessionState from;       ///< Current state.
  SessionCommand command;  ///< What was asked.
  SessionState to;         ///< The state it leads to (the same state for a no-op).
};

namespace detail {
using SS = SessionState;
using SC = SessionCommand;
}  // namespace detail

/// Every legal (state, command) pair. The no-op rows (start a running session, pause a
/// paused one, stop one that is already stopping, stopped or failed...) make the
/// commands idempotent; kill is accepted while stopping, so a stop under way can be
/// escalated to cancelling everything.
inline constexpr std::array kSessionTransitionTable = {
    SessionTransition{detail::SS::created, detail::SC::start, detail::SS::running},
    SessionTransition{detail::SS::running, detail::SC::start, detail::SS::running},
    SessionTransition{detail::SS::running, detail::SC::pause, detail::SS::paused},
    SessionTransition{detail::SS::paused, detail::SC::pause, detail::SS::paused},
    SessionTransition{detail::SS::paused, detail::SC::resume, detail::SS::running},
    SessionTransition{detail::SS::running, detail::SC::resume, detail::SS::running},
    SessionTransition{detail::SS::created, detail::SC::stop, detail::SS::stopping},
    SessionTransition{detail::SS::running, detail::SC::stop, detail::SS::stopping},
    SessionTransition{detail::SS::paused, detail::SC::stop, detail::SS::stopping},
    SessionTransition{detail::SS::stopping, detail::SC::stop, detail::SS::stopping},
    SessionTransition{detail::SS::stopped, detail::SC::stop, detail::SS::stopped},
    SessionTransition{detail::SS::failed, detail::SC::stop, detail::SS::failed},
    SessionTransition{detail::SS::created, detail::SC::kill, detail::SS::stopping},
    SessionTransition{detail::SS::running, detail::SC::kill, detail::SS::stopping},
    SessionTransition{detail::SS::paused, detail::SC::kill, detail::SS::stopping},
    SessionTransition{detail::SS::stopping, detail::SC::kill, detail::SS::stopping},
};

namespace detail {
/// kSessionTransitionTable as a dense (state × command) matrix; 0xFF marks an illegal pair.
inline constexpr auto kSessionTransitionMatrix = [] {
  std::array<std::array<std::uint8_t, kSessionCommandCount>, kSessionStateCount> m{};
  for (auto& row : m) row.fill(0xFF);
  for (const SessionTransition& t : kSessionTransitionTable) {
    auto& cell = m[static_cast<std::size_t>(t.from)][static_cast<std::size_t>(t.command)];
    if (cell != 0xFF) throw "duplicate row in kSessionTransitionTable";  // fails constant evaluation
    cell = static_cast<std::uint8_t>(t.to);
  }
  return m;
}();
}  // namespace detail

/// The state the table names for `command` in `from`, or nullopt when the pair is
/// illegal (or either value is out of range).
constexpr std::optional<SessionState> session_transition(SessionState from, SessionCommand command) noexcept {
  const auto s = static_cast<std::size_t>(from);
  const auto c = static_cast<std::size_t>(command);
  if (s >= kSessionStateCount || c >= kSessionCommandCount) return std::nullopt;
  const std::uint8_t to = detail::kSessionTransitionMatrix[s][c];
  if (to == 0xFF) return std::nullopt;
  return static_cast<SessionState>(to);
}

/// session_transition() as a Result. Errors: invalid_argument "cannot <command> a
/// <state> session" (e.g. "cannot resume a stopped session") for an illegal pair.
Result<SessionState> transition(SessionState from, SessionCommand command);

/// True for stopped and failed: the session's thread has finished or is finishing.
constexpr bool is_final(SessionState state) noexcept {
  return state == SessionState::stopped || state == SessionState::failed;
}

}  // namespace cts::engine
