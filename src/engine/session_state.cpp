#include "cts/engine/session_state.hpp"

#include <fmt/format.h>

namespace cts::engine {

Result<SessionState> transition(SessionState from, SessionCommand command) {
  if (const std::optional<SessionState> to = session_transition(from, command)) return *to;
  return make_error(ErrorCode::invalid_argument,
                    fmt::format("cannot {} a {} session", to_string(command), to_string(from)));
}

}  // namespace cts::engine
