#pragma once
/// \file
/// Coordinator: runs named trading sessions, each on its own thread at its step
/// interval, and starts, pauses, resumes, stops and kills them, one by name or all.
/// Shuts everything down gracefully on request (a SIGINT/SIGTERM handler may ask),
/// applying each session's shutdown policy once; a second request stops at once and
/// keeps the orders. Serves the control surface: GET /sessions, POST
/// /sessions/<name>/<op>, POST /sessions/<op>, /metrics (every session's families with a
/// `session` label) and /health (the aggregate of every session).
///
/// Session states (the table is transition()):
///
///     created --start--> running --pause--> paused --resume--> running
///     created|running|paused --stop|kill--> stopping --(its thread)--> stopped
///     created|running|paused --(errors exceed the limit)--> failed
///
/// Threading: every public member is thread-safe, except that the destructor must not
/// race with other calls. A session's SessionRunner is only ever touched by the
/// session's own thread (its registries, read for /metrics and /health, are
/// thread-safe themselves). request_shutdown() is async-signal-safe.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/config.hpp"
#include "cts/engine/session.hpp"
#include "cts/health/metrics_registry.hpp"
#include "cts/health/registry.hpp"
#include "cts/rate/limiter.hpp"
#include "cts/store/journal.hpp"

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

/// "created", "running", "paused", "stopping", "stopped" or "failed".
std::string_view to_string(SessionState state) noexcept;

/// An operation on a session.
enum class SessionCommand : std::uint8_t {
  start,   ///< Begin stepping and quoting.
  pause,   ///< Stop quoting (cancel the quotes), keep stepping.
  resume,  ///< Quote again.
  stop,    ///< Apply the shutdown policy and finish.
  kill,    ///< Trip the kill switch (cancel everything) and finish.
};

/// "start", "pause", "resume", "stop" or "kill".
std::string_view to_string(SessionCommand command) noexcept;

/// The state table: the state `command` leads to from `from`. Idempotent where natural
/// (start on running, pause on paused, resume on running, stop on stopping, stopped or
/// failed give the same state back). Errors: invalid_argument "cannot <command> a
/// <state> session" for every other pair (e.g. resume a stopped session).
Result<SessionState> transition(SessionState from, SessionCommand command);

/// True for stopped and failed: the session's thread has finished or is finishing.
constexpr bool is_final(SessionState state) noexcept {
  return state == SessionState::stopped || state == SessionState::failed;
}

/// What the coordinator drives: a TradingSession (TradingSessionRunner) or, in tests,
/// a fake. Every member is called on the session's thread only, never concurrently.
class SessionRunner {
 public:
  virtual ~SessionRunner() = default;
  /// Called once before the first step; an error counts as a failed step and open() is
  /// tried again at the next step time. The default does nothing.
  virtual Result<void> open(SteadyTime now);
  /// One cycle. An error is counted (see CoordinatorOptions::max_consecutive_errors).
  virtual Result<void> step(SteadyTime now) = 0;
  /// Stop quoting (cancel the quotes); later steps still sync.
  virtual void pause() = 0;
  /// Quote again.
  virtual void resume() = 0;
  /// Applies `policy` (cancel or keep the open orders). Called once, at the end.
  virtual void shutdown(SteadyTime now, ShutdownPolicy policy) = 0;
  /// Trips the kill switch: cancel everything, stop quoting.
  virtual void kill(std::string reason) = 0;
  /// A one-line status.
  [[nodiscard]] virtual std::string status_line(SteadyTime now) const = 0;
  /// The run summary (called once, after shutdown or kill).
  [[nodiscard]] virtual SessionSummary summary(SteadyTime now) = 0;
  /// The session's metrics, read from other threads (must be thread-safe and live as
  /// long as the runner); null: none. The default returns null.
  [[nodiscard]] virtual const health::MetricsRegistry* metrics() const noexcept;
  /// The session's health checks, read from other threads; null: none (the default).
  [[nodiscard]] virtual const health::HealthRegistry* health() const noexcept;
};

/// A TradingSession with the journal it writes, as a SessionRunner.
class TradingSessionRunner final : public SessionRunner {
 public:
  /// Owns both; `session` must have been opened on `*journal`. Throws cts::Exception
  /// (invalid_argument) when either is null.
  TradingSessionRunner(std::unique_ptr<store::Journal> journal, std::unique_ptr<TradingSession> session);
  ~TradingSessionRunner() override;
  Result<void> step(SteadyTime now) override;                      ///< TradingSession::step.
  void pause() override;                                           ///< TradingSession::pause.
  void resume() override;                                          ///< TradingSession::resume.
  void shutdown(SteadyTime now, ShutdownPolicy policy) override;  ///< TradingSession::shutdown.
  void kill(std::string reason) override;                          ///< TradingSession::kill.
  [[nodiscard]] std::string status_line(SteadyTime now) const override;  ///< TradingSession::status_line.
  [[nodiscard]] SessionSummary summary(SteadyTime now) override;         ///< TradingSession::summary.
  [[nodiscard]] const health::MetricsRegistry* metrics() const noexcept override;  ///< The session's.
  [[nodiscard]] const health::HealthRegistry* health() const noexcept override;    ///< The session's.
  /// The session (for inspection on the session's thread, or after it stopped).
  [[nodiscard]] TradingSession& session() noexcept { return *session_; }

 private:
  std::unique_ptr<store::Journal> journal_;
  std::unique_ptr<TradingSession> session_;
};

/// How one session is driven.
struct SessionOptions {
  std::chrono::milliseconds step_interval{500};           ///< Time between steps (quote.refresh_ms).
  ShutdownPolicy on_shutdown = ShutdownPolicy::cancel_orders;  ///< Applied by stop.
  /// Consecutive open/step errors after which the session is failed; 0: never.
  std::uint32_t max_consecutive_errors = 100;
};

/// The options of one session from an engine configuration.
SessionOptions session_options(const EngineConfig& config);

/// One session as seen by state queries.
struct SessionInfo {
  std::string name;          ///< Its name.
  SessionState state = SessionState::created;  ///< Its state.
  std::string status;        ///< Its last status line (empty before the first step).
  std::string error;         ///< The last step error (empty when the last step succeeded).
};

/// Options of a Coordinator.
struct CoordinatorOptions {
  /// Receives log lines (state changes, failures, the second shutdown request); null:
  /// none. Called from session threads and the coordinator's watcher thread; must be
  /// thread-safe.
  std::function<void(std::string_view)> log;
  /// The health document's service description.
  std::string service_id = "cts-engine";
};

/// Merges the summaries of several sessions: order counters and 429/418 counts summed,
/// positions and fees merged (sums per key), realized PnL summed (it is in each quote
/// asset: meaningful when the symbols share it), balances taken from the last summary
/// that has them (every session reads the same account), health the worst. One
/// summary is returned unchanged.
SessionSummary merge_summaries(std::span<const SessionSummary> summaries);

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

  /// Every session's metric families, each child labelled session="<name>", families of
  /// the same name merged (one HELP/TYPE each), plus cts_engine_session_state{session,
  /// state} (1 for the current state), in the Prometheus text format 0.0.4.
  [[nodiscard]] std::string metrics_text() const;
  /// The /health response (application/health+json): every session's readiness checks
  /// named "<session>/<check>" plus "<session>/session:state"; the status is the worst
  /// of the sessions' (a failed session fails it; stopped sessions are out of service).
  [[nodiscard]] HttpResponse health_response(SteadyTime now) const;
  /// Answers the control surface (see the file comment and docs/engine.md): GET
  /// /metrics, GET /health, GET /sessions, GET /sessions/<name>, POST /sessions/<name>/{start,pause,resume,stop,kill},
  /// POST /sessions/{start,pause,resume,stop,kill}. 200 with JSON for a done operation, 404
  /// for an unknown path or session, 409 for an illegal transition, 405 (with Allow)
  /// for a wrong method. Stop and kill do not wait (the answer says "stopping").
  [[nodiscard]] HttpResponse handle_http(const HttpRequest& request);

  /// The rate limiter shared by every session on (`base_url`, `api_key`): created with
  /// Binance spot's published policy on first use. Thread-safe.
  std::shared_ptr<rate::Limiter> shared_limiter(std::string_view base_url, std::string_view api_key);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Installs SIGINT and SIGTERM handlers that call `coordinator.request_shutdown()`.
/// Only one coordinator is served at a time; the handlers stay installed until
/// uninstall_signal_handlers() (call it before the coordinator is destroyed). Not
/// thread-safe: call it from the main thread.
void install_signal_handlers(Coordinator& coordinator);
/// Restores the SIGINT and SIGTERM handling that was in place before
/// install_signal_handlers(), and forgets the coordinator.
void uninstall_signal_handlers();

}  // namespace cts::engine
