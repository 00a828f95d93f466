#pragma once
/// \file
/// The signal policy of `ctsctl run`. Signals are the application's business: the
/// engine library installs no handler, and this is the one place ctsctl sets them.

#include <csignal>
#include <cstddef>
#include <iterator>

#include <cts/engine/coordinator.hpp>

namespace ctsctl {

/// Ignores SIGPIPE for the rest of the process: writing to a closed pipe or socket
/// (`ctsctl run | head -3`) then fails with EPIPE instead of killing the process
/// while it has orders at the venue. Throws cts::Exception (internal) on failure.
void ignore_broken_pipes();

/// While alive, SIGINT, SIGTERM, SIGHUP and SIGQUIT ask `coordinator` for a graceful
/// shutdown (every session applies its on_shutdown policy; a second signal stops at
/// once and keeps the orders). The previous dispositions come back on destruction.
/// One instance at a time, created and destroyed on the main thread; destroy it
/// before `coordinator`.
class ShutdownSignals {
 public:
  /// The signals that stop gracefully.
  static constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

  /// Installs the handlers. Throws cts::Exception (internal) when one of them cannot
  /// be installed (none is left installed) or another instance is alive.
  explicit ShutdownSignals(cts::engine::Coordinator& coordinator);
  /// Restores the previous dispositions.
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

 private:
  void restore(std::size_t count) noexcept;
  struct sigaction previous_[std::size(kStopSignals)]{};
};

}  // namespace ctsctl
