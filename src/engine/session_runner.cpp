#include "cts/engine/session_runner.hpp"

#include <utility>

#include "cts/engine/summary_merge.hpp"

namespace cts::engine {

Result<void> SessionRunner::open(SteadyTime, std::stop_token) { return {}; }
void SessionRunner::close(SteadyTime) {}
bool SessionRunner::restartable() const noexcept { return false; }
std::optional<SessionFailure> SessionRunner::failure() const { return std::nullopt; }
const health::MetricsRegistry* SessionRunner::metrics() const noexcept { return nullptr; }
const health::HealthRegistry* SessionRunner::health() const noexcept { return nullptr; }
std::optional<SessionDetail> SessionRunner::detail(SteadyTime) const { return std::nullopt; }

TradingSessionRunner::TradingSessionRunner(std::unique_ptr<store::Journal> journal,
                                           std::unique_ptr<TradingSession> session, SessionOpener reopen)
    : journal_(std::move(journal)), reopen_(std::move(reopen)) {
  if (!journal_ || !session) {
    throw Exception(make_error(ErrorCode::invalid_argument, "TradingSessionRunner needs a journal and a session"));
  }
  current_.store(session.get());
  sessions_.push_back(std::move(session));
}
TradingSessionRunner::~TradingSessionRunner() {
  sessions_.clear();  // the sessions write to the journal: they go first
  journal_.reset();
}
Result<void> TradingSessionRunner::open(SteadyTime, std::stop_token stop) {
  if (live_) return {};
  if (!reopen_) return make_error(ErrorCode::unsupported, "this session cannot be restarted (no opener)");
  Result<std::unique_ptr<TradingSession>> opened = reopen_(*journal_, std::move(stop));
  if (!opened) return opened.error();
  if (!*opened) return make_error(ErrorCode::internal, "the session opener returned no session");
  sessions_.push_back(std::move(*opened));
  current_.store(sessions_.back().get());
  live_ = true;
  return {};
}
void TradingSessionRunner::close(SteadyTime) {
  session().close();
  live_ = false;
}
bool TradingSessionRunner::restartable() const noexcept { return static_cast<bool>(reopen_); }
std::optional<SessionFailure> TradingSessionRunner::failure() const {
  return live_ ? current_.load()->failure() : std::nullopt;
}
Result<void> TradingSessionRunner::step(SteadyTime now) { return session().step(now); }
void TradingSessionRunner::pause() { session().pause(); }
void TradingSessionRunner::resume() { session().resume(); }
void TradingSessionRunner::shutdown(SteadyTime now, ShutdownPolicy policy) { session().shutdown(now, policy); }
void TradingSessionRunner::kill(std::string reason) { session().kill(std::move(reason)); }
std::string TradingSessionRunner::status_line(SteadyTime now) const { return current_.load()->status_line(now); }
std::optional<SessionDetail> TradingSessionRunner::detail(SteadyTime now) const { return current_.load()->detail(now); }
SessionSummary TradingSessionRunner::summary(SteadyTime now) {
  SessionSummary out = session().summary(now);
  // Positions, PnL and fees come from the journal every session replayed; the counters
  // are per session: those of the sessions before a restart are added.
  for (std::size_t i = 0; i + 1 < sessions_.size(); ++i) {
    add_order_counters(out.orders, sessions_[i]->executor().stats());
    out.http_429 += sessions_[i]->channel_stats().http_429.load();
    out.http_418 += sessions_[i]->channel_stats().http_418.load();
    out.throttled += sessions_[i]->channel_stats().throttled.load();
  }
  return out;
}
const health::MetricsRegistry* TradingSessionRunner::metrics() const noexcept { return &current_.load()->metrics(); }
const health::HealthRegistry* TradingSessionRunner::health() const noexcept { return &current_.load()->health(); }

SessionOptions session_options(const EngineConfig& config) {
  SessionOptions options;
  options.step_interval = config.refresh_interval;
  options.on_shutdown = config.on_shutdown;
  options.max_consecutive_errors = config.max_consecutive_errors;
  options.restart = config.restart;
  return options;
}

}  // namespace cts::engine
