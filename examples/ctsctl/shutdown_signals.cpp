#include "ctsctl/shutdown_signals.hpp"

#include <atomic>
#include <iterator>

#include <fmt/format.h>

namespace ctsctl {

namespace {

std::atomic<cts::engine::Coordinator*> g_target{nullptr};

extern "C" void on_stop_signal(int) {
  // Coordinator::request_shutdown is async-signal-safe (an atomic and a pipe write).
  if (cts::engine::Coordinator* target = g_target.load()) target->request_shutdown();
}

bool install(int signal, void (*handler)(int), struct sigaction* previous) noexcept {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  return ::sigaction(signal, &action, previous) == 0;
}

}  // namespace

void ignore_broken_pipes() {
  if (!install(SIGPIPE, SIG_IGN, nullptr)) {
    throw cts::Exception(cts::make_error(cts::ErrorCode::internal, "cannot ignore SIGPIPE"));
  }
}

ShutdownSignals::ShutdownSignals(cts::engine::Coordinator& coordinator) {
  cts::engine::Coordinator* expected = nullptr;
  if (!g_target.compare_exchange_strong(expected, &coordinator)) {
    throw cts::Exception(cts::make_error(cts::ErrorCode::internal, "the shutdown signals are handled already"));
  }
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
    if (!install(kStopSignals[i], on_stop_signal, &previous_[i])) {
      restore(i);
      throw cts::Exception(
          cts::make_error(cts::ErrorCode::internal, fmt::format("cannot handle signal {}", kStopSignals[i])));
    }
  }
}

ShutdownSignals::~ShutdownSignals() { restore(std::size(kStopSignals)); }

void ShutdownSignals::restore(std::size_t count) noexcept {
  for (std::size_t i = 0; i < count; ++i) ::sigaction(kStopSignals[i], &previous_[i], nullptr);
  g_target.store(nullptr);
}

}  // namespace ctsctl
