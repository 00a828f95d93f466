#pragma once
/// \file
/// The alert conditions the engine's Monitor evaluates over a Coordinator's sessions:
/// which condition holds now, for which session, with which severity and why. Pure
/// reads of the sessions' health checks, metrics and details (Coordinator::registries()
/// and states()); the Monitor turns the conditions into alerts through the library's
/// AlertRule (pending for `for`, firing, resolved).
///
/// | Alert | Severity | Holds while |
/// |---|---|---|
/// | SessionFailed | critical | the session's state is failed |
/// | JournalErrors | critical | its `journal:writable` check fails |
/// | RateLimitBan | critical | its `venue:rate-limit` check fails (the venue banned the key or IP) |
/// | PnLDrawdown | critical | realized + unrealized PnL is `monitor.drawdown` or more below its peak |
/// | VenueUnreachable | critical | its `venue:connectivity` check fails (nothing can manage its orders) |
/// | UserStreamDown | error | its `venue:user-stream` check warns or fails |
/// | RejectionStorm | error | its `orders:placement` check warns or fails (orders refused in a row) |
/// | StaleMarketData | warning | its `market-data:staleness` check warns or fails |
/// | RateLimitHeadroom | warning | a rate-limit pool (cts_rate_pool_used of cts_rate_pool_limit, label `pool`) has `monitor.headroom_percent` or less left (HeadroomCheck) |
/// | ClockSkew | warning | the clock offset against the venue (cts_engine_clock_offset_seconds) is `monitor.clock_skew_ms` or more (ClockSkewCheck) |
/// | MonitorHistorySize | warning | the Monitor's own history takes 80 % of `monitor.max_size` or more after pruning (session `engine`; raised by the Monitor, not by evaluate()) |

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/decimal.hpp"
#include "cts/engine/coordinator.hpp"
#include "cts/engine/monitor_config.hpp"
#include "cts/health/checks.hpp"
#include "cts/health/incident.hpp"
#include "cts/health/labels.hpp"

namespace cts::engine {

/// "critical", "error", "warning" or "info".
std::string_view to_string(health::Severity severity) noexcept;

/// One alert rule of the table above.
struct AlertRuleSpec {
  std::string_view alertname;  ///< E.g. "SessionFailed".
  health::Severity severity;   ///< Its severity label.
  bool immediate;              ///< Fires at once (a fact that does not flap), not after `for`.
};

/// Every rule of the table, in its order.
std::span<const AlertRuleSpec> alert_rules() noexcept;

/// A condition that holds now: one instance of a rule.
struct AlertCondition {
  std::string_view alertname;  ///< The rule's alertname.
  health::LabelSet labels;     ///< Its labels besides alertname: session, severity.
  std::string summary;         ///< One line.
  std::string description;     ///< Detail (the check's output).
};

/// Evaluates the rules over a coordinator's sessions. Keeps what outlives one
/// evaluation (each session's PnL peak, its ClockSkewCheck). Single-threaded.
class RuleEvaluator {
 public:
  /// Evaluator with the thresholds of `config` (drawdown, clock_skew).
  explicit RuleEvaluator(const MonitorConfig& config);

  /// The conditions that hold at `now` for `sessions` (registries and infos of the same
  /// coordinator, read one after the other).
  std::vector<AlertCondition> evaluate(const std::vector<SessionRegistries>& sessions,
                                       const std::vector<SessionInfo>& infos, SteadyTime now, SystemTime wall);

 private:
  void evaluate_headroom(const SessionRegistries& s, std::vector<AlertCondition>& out, SteadyTime now, SystemTime wall);

  Decimal drawdown_;
  std::chrono::milliseconds clock_skew_;
  std::uint32_t headroom_percent_;
  std::map<std::string, Decimal, std::less<>> pnl_peak_;
  std::map<std::string, std::unique_ptr<health::ClockSkewCheck>, std::less<>> clock_checks_;
  std::map<std::string, std::unique_ptr<health::HeadroomCheck>, std::less<>> headroom_checks_;  // "<session>/<pool>"
};

}  // namespace cts::engine
