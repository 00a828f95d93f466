#include "cts/engine/session_runner.hpp"

#include <utility>

namespace cts::engine {

Result<void> SessionRunner::open(SteadyTime) { return {}; }
const health::MetricsRegistry* SessionRunner::metrics() const noexcept { return nullptr; }
const health::HealthRegistry* SessionRunner::health() const noexcept { return nullptr; }

TradingSessionRunner::TradingSessionRunner(std::unique_ptr<store::Journal> journal,
                                           std::unique_ptr<TradingSession> session)
    : journal_(std::move(journal)), session_(std::move(session)) {
  if (!journal_ || !session_) {
    throw Exception(make_error(ErrorCode::invalid_argument, "TradingSessionRunner needs a journal and a session"));
  }
}
TradingSessionRunner::~TradingSessionRunner() {
  session_.reset();  // the session writes to the journal: it goes first
  journal_.reset();
}
Result<void> TradingSessionRunner::step(SteadyTime now) { return session_->step(now); }
void TradingSessionRunner::pause() { session_->pause(); }
void TradingSessionRunner::resume() { session_->resume(); }
void TradingSessionRunner::shutdown(SteadyTime now, ShutdownPolicy policy) { session_->shutdown(now, policy); }
void TradingSessionRunner::kill(std::string reason) { session_->kill(std::move(reason)); }
std::string TradingSessionRunner::status_line(SteadyTime now) const { return session_->status_line(now); }
SessionSummary TradingSessionRunner::summary(SteadyTime now) { return session_->summary(now); }
const health::MetricsRegistry* TradingSessionRunner::metrics() const noexcept { return &session_->metrics(); }
const health::HealthRegistry* TradingSessionRunner::health() const noexcept { return &session_->health(); }

SessionOptions session_options(const EngineConfig& config) {
  SessionOptions options;
  options.step_interval = config.refresh_interval;
  options.on_shutdown = config.on_shutdown;
  options.max_consecutive_errors = config.max_consecutive_errors;
  return options;
}

}  // namespace cts::engine
