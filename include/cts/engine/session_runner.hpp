#pragma once
/// \file
/// What a Coordinator drives: the SessionRunner interface (a TradingSession, or a fake
/// in tests), TradingSessionRunner (a TradingSession with its journal), and the
/// SessionOptions that say how one session is stepped and shut down.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/config.hpp"
#include "cts/engine/session.hpp"
#include "cts/engine/session_detail.hpp"
#include "cts/engine/session_failure.hpp"
#include "cts/health/metrics_registry.hpp"
#include "cts/health/registry.hpp"
#include "cts/store/journal.hpp"

namespace cts::engine {

/// What the coordinator drives: a TradingSession (TradingSessionRunner) or, in tests,
/// a fake. Every member is called on the session's thread only, never concurrently,
/// except metrics() and health(), whose registries other threads read.
class SessionRunner {
 public:
  virtual ~SessionRunner() = default;
  /// Called once before the first step, and again after close() for a restart; an
  /// error counts as a failed step and open() is tried again at the next step time (in
  /// a restart, at the next restart). A stop is requested on `stop` when the session is
  /// told to stop or is killed (a shutdown included) while open() may be running: an
  /// open() that waits (a start-up's retries) returns then. The default does nothing.
  virtual Result<void> open(SteadyTime now, std::stop_token stop);
  /// Ends the opened session so that open() can start a fresh one (a restart); called
  /// after shutdown(). Only called when restartable(). The default does nothing.
  virtual void close(SteadyTime now);
  /// True when close() and open() can restart the session. The default is false.
  [[nodiscard]] virtual bool restartable() const noexcept;
  /// Why the session cannot go on, once it cannot (checked after every step): a
  /// permanent failure ends it as failed at once, a transient one restarts it when
  /// restartable(). The default is none.
  [[nodiscard]] virtual std::optional<SessionFailure> failure() const;
  /// One cycle. An error is counted (see SessionOptions::max_consecutive_errors).
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
  /// What the operations API shows of the session (taken with the status line); none
  /// (the default) when the runner has nothing to show.
  [[nodiscard]] virtual std::optional<SessionDetail> detail(SteadyTime now) const;
  /// The session's metrics, read from other threads (must be thread-safe and live as
  /// long as the runner); null: none. The default returns null.
  [[nodiscard]] virtual const health::MetricsRegistry* metrics() const noexcept;
  /// The session's health checks, read from other threads; null: none (the default).
  [[nodiscard]] virtual const health::HealthRegistry* health() const noexcept;
};

/// Opens a fresh TradingSession on `journal` (the configuration and endpoint bound in),
/// its start-up cut short by a stop requested on `stop` (SessionEndpoint::stop).
using SessionOpener =
    std::function<Result<std::unique_ptr<TradingSession>>(store::Journal& journal, std::stop_token stop)>;

/// A TradingSession with the journal it writes, as a SessionRunner. With an opener it
/// can be restarted: close() stops the session's streams and keeps it (its registries
/// stay readable until the runner is destroyed; at most one per restart), open() opens
/// a fresh one on the same journal. Its summary counts the orders of every session it
/// ran.
class TradingSessionRunner final : public SessionRunner {
 public:
  /// Owns both; `session` must have been opened on `*journal`; `reopen` (optional)
  /// opens a new session for a restart. Throws cts::Exception (invalid_argument) when
  /// the journal or the session is null.
  TradingSessionRunner(std::unique_ptr<store::Journal> journal, std::unique_ptr<TradingSession> session,
                       SessionOpener reopen = {});
  /// Destroys the sessions, then the journal they write to.
  ~TradingSessionRunner() override;
  Result<void> open(SteadyTime now, std::stop_token stop) override;      ///< Opens a fresh session after close().
  void close(SteadyTime now) override;                                   ///< TradingSession::close; kept for reports.
  [[nodiscard]] bool restartable() const noexcept override;              ///< True with an opener.
  [[nodiscard]] std::optional<SessionFailure> failure() const override;  ///< TradingSession::failure.
  Result<void> step(SteadyTime now) override;                                      ///< TradingSession::step.
  void pause() override;                                                           ///< TradingSession::pause.
  void resume() override;                                                          ///< TradingSession::resume.
  void shutdown(SteadyTime now, ShutdownPolicy policy) override;                   ///< TradingSession::shutdown.
  void kill(std::string reason) override;                                          ///< TradingSession::kill.
  [[nodiscard]] std::string status_line(SteadyTime now) const override;            ///< TradingSession::status_line.
  [[nodiscard]] SessionSummary summary(SteadyTime now) override;                   ///< TradingSession::summary.
  [[nodiscard]] std::optional<SessionDetail> detail(SteadyTime now) const override;  ///< TradingSession::detail.
  [[nodiscard]] const health::MetricsRegistry* metrics() const noexcept override;  ///< The session's.
  [[nodiscard]] const health::HealthRegistry* health() const noexcept override;    ///< The session's.
  /// The current (or last) session (for inspection on the session's thread, or after
  /// it stopped).
  [[nodiscard]] TradingSession& session() noexcept { return *current_.load(); }
  /// Sessions opened so far (1 + successful restarts).
  [[nodiscard]] std::size_t sessions_opened() const noexcept { return sessions_.size(); }

 private:
  std::unique_ptr<store::Journal> journal_;
  SessionOpener reopen_;
  std::vector<std::unique_ptr<TradingSession>> sessions_;  // every session opened; the last is current
  std::atomic<TradingSession*> current_{nullptr};          // read by other threads for the registries
  bool live_ = true;                                       // the current session is open (not closed)
};

/// How one session is driven.
struct SessionOptions {
  std::chrono::milliseconds step_interval{500};                ///< Time between steps (quote.refresh_ms).
  ShutdownPolicy on_shutdown = ShutdownPolicy::cancel_orders;  ///< Applied by stop.
  /// Consecutive open/step errors after which the session is failed; 0: never.
  std::uint32_t max_consecutive_errors = 100;
  /// Restarts after transient failures (restart.max_attempts and the backoff keys).
  RestartPolicy restart;
};

/// The options of one session from an engine configuration (quote.refresh_ms,
/// on_shutdown, max_consecutive_errors, restart.*).
SessionOptions session_options(const EngineConfig& config);

}  // namespace cts::engine
