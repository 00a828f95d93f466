#pragma once
/// \file
/// What a Coordinator drives: the SessionRunner interface (a TradingSession, or a fake
/// in tests), TradingSessionRunner (a TradingSession with its journal), and the
/// SessionOptions that say how one session is stepped and shut down.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/config.hpp"
#include "cts/engine/session.hpp"
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
  /// Called once before the first step; an error counts as a failed step and open() is
  /// tried again at the next step time. The default does nothing.
  virtual Result<void> open(SteadyTime now);
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
  /// Destroys the session, then the journal it writes to.
  ~TradingSessionRunner() override;
  Result<void> step(SteadyTime now) override;                                      ///< TradingSession::step.
  void pause() override;                                                           ///< TradingSession::pause.
  void resume() override;                                                          ///< TradingSession::resume.
  void shutdown(SteadyTime now, ShutdownPolicy policy) override;                   ///< TradingSession::shutdown.
  void kill(std::string reason) override;                                          ///< TradingSession::kill.
  [[nodiscard]] std::string status_line(SteadyTime now) const override;            ///< TradingSession::status_line.
  [[nodiscard]] SessionSummary summary(SteadyTime now) override;                   ///< TradingSession::summary.
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
  std::chrono::milliseconds step_interval{500};                ///< Time between steps (quote.refresh_ms).
  ShutdownPolicy on_shutdown = ShutdownPolicy::cancel_orders;  ///< Applied by stop.
  /// Consecutive open/step errors after which the session is failed; 0: never.
  std::uint32_t max_consecutive_errors = 100;
};

/// The options of one session from an engine configuration (quote.refresh_ms,
/// on_shutdown, max_consecutive_errors).
SessionOptions session_options(const EngineConfig& config);

}  // namespace cts::engine
