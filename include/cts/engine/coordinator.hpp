#pragma once
/// \file
/// Coordinator: runs named trading sessions, each on its own thread at its step
/// interval, and starts, pauses, resumes, stops and kills them, one by name or all.
/// Shuts everything down gracefully on request (the application's signal handler may
/// ask: request_shutdown() is async-signal-safe), applying each session's shutdown
/// policy once; a second request stops at once and keeps the orders.
///
/// Session states follow the table of session_state.hpp; besides the commands, a
/// session's own thread moves it from stopping to stopped once it has finished, and to
/// failed when its open or steps fail too many times in a row.
///
/// A session that fails for a transient reason (its runner's failure(), or too many
/// errors in a row) is restarted by its thread, with exponential backoff, up to
/// SessionOptions::restart.max_restarts times: its orders are cancelled as far as the
/// venue allows, the runner is closed and opened again (a fresh start, reconciled with
/// the venue), and its state stays running meanwhile (its `session:state` check warns).
/// A permanent failure (credentials refused, journal unwritable, kill switch) is final
/// at once.
///
/// The coordinator installs no signal handler and serves no HTTP: the control API
/// (control_api.hpp) and the metrics and health views (coordinator_metrics.hpp) read it
/// through its public members.
///
/// Threading: every public member is thread-safe, except that the destructor must not
/// race with other calls. A session's SessionRunner is only ever touched by the
/// session's own thread (its registries, read for /metrics and /health, are
/// thread-safe themselves).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/engine/session.hpp"
#include "cts/engine/session_detail.hpp"
#include "cts/engine/session_runner.hpp"
#include "cts/engine/session_state.hpp"
#include "cts/engine/summary_merge.hpp"
#include "cts/health/metrics_registry.hpp"
#include "cts/health/registry.hpp"
#include "cts/core/venue_id.hpp"
#include "cts/rate/budget.hpp"

namespace cts::engine {

/// One session as seen by state queries.
struct SessionInfo {
  std::string name;                            ///< Its name.
  SessionState state = SessionState::created;  ///< Its state.
  std::string status;                          ///< Its last status line (empty before the first step).
  std::string error;           ///< The last step error (empty when the last step succeeded), or the failure.
  std::uint32_t restarts = 0;  ///< Restarts so far after transient failures.
  std::string restart;         ///< While a restart is pending or being attempted: what and why; else empty.
  std::optional<SessionDetail> detail;  ///< Its last detail (SessionRunner::detail), taken with the status.
};

/// One session's registries, as the metrics and health views read them.
struct SessionRegistries {
  std::string name;                                  ///< Its name.
  SessionState state = SessionState::created;        ///< Its state when read.
  const health::MetricsRegistry* metrics = nullptr;  ///< Its metrics (thread-safe); null: none.
  const health::HealthRegistry* health = nullptr;    ///< Its health checks (thread-safe); null: none.
  /// Failed: why; waiting for or attempting a restart: what and why; else empty.
  std::string why;
};

/// Options of a Coordinator.
struct CoordinatorOptions {
  /// Receives log lines (state changes, failures, the second shutdown request); null:
  /// none. Called from session threads and the coordinator's watcher thread; must be
  /// thread-safe.
  std::function<void(std::string_view)> log;
  /// Makes the rate budget shared by the sessions on one (venue, base URL, API key):
  /// e.g. a rate::RedisBudget shared with other processes. Null, or a null result: a
  /// local rate::Limiter with the venue's published policy. Called under a lock, once
  /// per (base URL, API key).
  std::function<std::shared_ptr<rate::Budget>(VenueId venue, std::string_view base_url, std::string_view api_key)>
      make_budget;
};

/// See the file comment.
class Coordinator {
 public:
  /// A coordinator with no sessions. Throws cts::Exception (internal) when its wake-up
  /// pipe or watcher thread cannot be created.
  explicit Coordinator(CoordinatorOptions options = {});
  /// Stops every session at once (keeping orders, as a second shutdown request would)
  /// unless they are already stopped, and joins every thread.
  ~Coordinator();
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;

  /// Adds a session in state created and starts its thread (which waits for start).
  /// Errors: invalid_argument for an empty or duplicate name, a name with characters
  /// other than [A-Za-z0-9_.-], a null runner, a zero step interval, or after a shutdown
  /// was requested.
  Result<void> add(std::string name, std::unique_ptr<SessionRunner> runner, SessionOptions options = {});

  /// Applies `command` to the session `name`; returns its new state. start, pause and
  /// resume return at once (the session's thread acts before its next step); stop and
  /// kill wait until its thread has finished unless `wait` is false (then they return
  /// stopping). Errors: invalid_argument "unknown session \"<name>\"", or the
  /// transition's error (state unchanged).
  Result<SessionState> apply(std::string_view name, SessionCommand command, bool wait = true);
  /// Applies `command` to every session that is not stopped or failed: all are checked
  /// first, and on any illegal transition none changes (the error names the session).
  /// Returns every session's state afterwards.
  Result<std::vector<SessionInfo>> apply_all(SessionCommand command, bool wait = true);

  /// apply(name, start).
  Result<SessionState> start(std::string_view name) { return apply(name, SessionCommand::start); }
  /// apply(name, pause).
  Result<SessionState> pause(std::string_view name) { return apply(name, SessionCommand::pause); }
  /// apply(name, resume).
  Result<SessionState> resume(std::string_view name) { return apply(name, SessionCommand::resume); }
  /// apply(name, stop): applies its shutdown policy once and joins its thread.
  Result<SessionState> stop(std::string_view name) { return apply(name, SessionCommand::stop); }
  /// apply(name, kill).
  Result<SessionState> kill(std::string_view name) { return apply(name, SessionCommand::kill); }
  /// Starts every created session (the others are left as they are).
  void start_all();
  /// Stops every session that is not stopped or failed (each with its policy), and
  /// waits for all.
  void stop_all();

  /// Asks for a graceful shutdown: every session stops with its policy. A second call
  /// while shutting down stops at once: sessions not yet past their shutdown keep
  /// their orders (logged). Async-signal-safe: it only updates an atomic and writes
  /// one byte to a pipe, which the coordinator's watcher thread acts on.
  void request_shutdown() noexcept;
  /// Number of request_shutdown() calls so far.
  [[nodiscard]] int shutdown_requests() const noexcept;
  /// Blocks until every session is stopped or failed (at once when there are none),
  /// then joins their threads.
  void wait();
  /// wait() for at most `timeout`; true when every session is stopped or failed.
  bool wait_for(std::chrono::milliseconds timeout);

  /// Every session, in the order added. Thread-safe snapshot.
  [[nodiscard]] std::vector<SessionInfo> states() const;
  /// The state of `name`. Errors: invalid_argument for an unknown name.
  [[nodiscard]] Result<SessionState> state(std::string_view name) const;
  /// The merged summary (merge_summaries, in the order the sessions stopped, so the
  /// balances are the last read) of every session that has stopped after starting;
  /// sessions still running are not included.
  [[nodiscard]] SessionSummary summary() const;
  /// The summary of session `name`, if it has stopped.
  [[nodiscard]] std::optional<SessionSummary> summary(std::string_view name) const;

  /// Every session's name, state and registries, in the order added: what the
  /// metrics and health views read. The registries live as long as the coordinator.
  [[nodiscard]] std::vector<SessionRegistries> registries() const;

  /// The rate budget shared by every session on (`base_url`, `api_key`): created on
  /// first use by CoordinatorOptions::make_budget, else a rate::Limiter with `venue`'s
  /// published policy. Thread-safe.
  std::shared_ptr<rate::Budget> shared_limiter(VenueId venue, std::string_view base_url, std::string_view api_key);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cts::engine
