// The Monitor's alert conditions (declared in cts/engine/monitor_rules.hpp).
#include "cts/engine/monitor_rules.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <variant>

#include <fmt/format.h>

namespace cts::engine {

namespace {

constexpr AlertRuleSpec kRules[] = {
    {"SessionFailed", health::Severity::critical, true},
    {"JournalErrors", health::Severity::critical, true},
    {"RateLimitBan", health::Severity::critical, false},
    {"PnLDrawdown", health::Severity::critical, false},
    {"VenueUnreachable", health::Severity::critical, false},
    {"UserStreamDown", health::Severity::error, false},
    {"RejectionStorm", health::Severity::error, false},
    {"StaleMarketData", health::Severity::warning, false},
    {"RateLimitHeadroom", health::Severity::warning, false},
    {"ClockSkew", health::Severity::warning, false},
    {"JournalSize", health::Severity::warning, false},
    {"MonitorHistorySize", health::Severity::warning, false},
};

/// The session check behind each check-driven rule, and whether a warning raises it.
struct CheckRule {
  std::string_view alertname;
  std::string_view check;
  bool on_warn;
  std::string_view summary;  // "{}" is the session
};

constexpr CheckRule kCheckRules[] = {
    {"JournalErrors", "journal:writable", false, "session {} cannot write its journal"},
    {"JournalSize", "journal:size", true, "session {}: the journal nears or passes journal.max_size"},
    {"RateLimitBan", "venue:rate-limit", false, "session {} is banned by the venue's rate limits"},
    {"VenueUnreachable", "venue:connectivity", false, "session {} cannot reach the venue"},
    {"UserStreamDown", "venue:user-stream", true, "session {}: the user data stream is down"},
    {"RejectionStorm", "orders:placement", true, "session {}: orders are refused one after the other"},
    {"StaleMarketData", "market-data:staleness", true, "session {}: market data is stale"},
};

/// The gauge the session publishes its clock offset against the venue in.
constexpr std::string_view kClockOffsetFamily = "cts_engine_clock_offset_seconds";
/// The gauges of each rate-limit pool's use and size, labelled `pool`.
constexpr std::string_view kPoolUsedFamily = "cts_rate_pool_used";
constexpr std::string_view kPoolLimitFamily = "cts_rate_pool_limit";

health::Severity severity_of(std::string_view alertname) {
  for (const AlertRuleSpec& r : kRules) {
    if (r.alertname == alertname) return r.severity;
  }
  return health::Severity::error;
}

AlertCondition condition(std::string_view alertname, std::string_view session, std::string summary,
                         std::string description) {
  return AlertCondition{alertname,
                        health::LabelSet{{"session", session}, {"severity", to_string(severity_of(alertname))}},
                        std::move(summary), std::move(description)};
}

std::optional<double> gauge_value(const health::MetricsRegistry& metrics, std::string_view family) {
  for (const health::FamilySnapshot& f : metrics.collect()) {
    if (f.name != family || f.children.empty()) continue;
    if (const double* v = std::get_if<double>(&f.children.front().value)) return *v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(health::Severity severity) noexcept {
  switch (severity) {
    case health::Severity::info: return "info";
    case health::Severity::warning: return "warning";
    case health::Severity::error: return "error";
    case health::Severity::critical: return "critical";
  }
  return "error";
}

std::span<const AlertRuleSpec> alert_rules() noexcept { return kRules; }

RuleEvaluator::RuleEvaluator(const MonitorConfig& config)
    : drawdown_(config.drawdown), clock_skew_(config.clock_skew), headroom_percent_(config.headroom_percent) {}

void RuleEvaluator::evaluate_headroom(const SessionRegistries& s, std::vector<AlertCondition>& out, SteadyTime now,
                                      SystemTime wall) {
  std::map<std::string, double, std::less<>> used;
  std::map<std::string, double, std::less<>> limit;
  for (const health::FamilySnapshot& f : s.metrics->collect()) {
    auto* target = f.name == kPoolUsedFamily ? &used : f.name == kPoolLimitFamily ? &limit : nullptr;
    if (target == nullptr) continue;
    for (const health::ChildSnapshot& child : f.children) {
      if (const double* v = std::get_if<double>(&child.value)) (*target)[std::string(child.labels.get("pool"))] = *v;
    }
  }
  for (const auto& [pool, size] : limit) {
    auto in_use = used.find(pool);
    if (in_use == used.end() || !(size > 0)) continue;
    auto& check = headroom_checks_[fmt::format("{}/{}", s.name, pool)];
    if (!check) {
      const double warn = headroom_percent_;
      check = std::make_unique<health::HeadroomCheck>(
          health::HysteresisThresholds{health::Worse::lower, warn, warn * 1.5, warn / 5, warn / 2});
    }
    check->update(in_use->second, size);
    Result<health::CheckResult> probed = check->probe(now, wall);
    if (!probed || probed->status == health::Status::pass) continue;
    AlertCondition c = condition("RateLimitHeadroom", s.name,
                                 fmt::format("session {}: the venue's {} rate limit is nearly spent", s.name, pool),
                                 fmt::format("{} ({} of {} in use)", probed->output, in_use->second, size));
    c.labels.set("pool", pool);
    out.push_back(std::move(c));
  }
}

std::vector<AlertCondition> RuleEvaluator::evaluate(const std::vector<SessionRegistries>& sessions,
                                                    const std::vector<SessionInfo>& infos, SteadyTime now,
                                                    SystemTime wall) {
  std::vector<AlertCondition> out;
  for (const SessionRegistries& s : sessions) {
    if (s.state == SessionState::failed) {
      out.push_back(condition("SessionFailed", s.name, fmt::format("session {} failed", s.name), s.why));
    }
    if (s.health != nullptr) {
      for (const health::CheckSnapshot& check : s.health->list(now)) {
        for (const CheckRule& rule : kCheckRules) {
          // A check with no result yet reads as failing (a readiness check before its
          // first pass); that is the session starting, not a fault.
          if (check.name != rule.check || !check.last_result) continue;
          const bool holds =
              check.status == health::Status::fail || (rule.on_warn && check.status == health::Status::warn);
          if (!holds) continue;
          std::string output = check.last_result ? check.last_result->output : std::string();
          if (output.empty()) output = fmt::format("{} {}", check.name, health::to_string(check.status));
          out.push_back(condition(rule.alertname, s.name, fmt::format(fmt::runtime(rule.summary), s.name), output));
        }
      }
    }
    if (s.metrics != nullptr && headroom_percent_ != 0) evaluate_headroom(s, out, now, wall);
    if (s.metrics != nullptr) {
      if (const std::optional<double> offset = gauge_value(*s.metrics, kClockOffsetFamily)) {
        auto& check = clock_checks_[s.name];
        if (!check) {
          const double limit = static_cast<double>(clock_skew_.count());
          check = std::make_unique<health::ClockSkewCheck>(
              health::HysteresisThresholds{health::Worse::higher, limit, limit * 0.8, limit * 2, limit * 1.6});
        }
        check->record_offset(std::chrono::duration_cast<Nanos>(std::chrono::duration<double>(*offset)));
        Result<health::CheckResult> probed = check->probe(now, wall);
        if (probed && probed->status != health::Status::pass) {
          out.push_back(condition("ClockSkew", s.name,
                                  fmt::format("session {}: the clock is off the venue's", s.name), probed->output));
        }
      }
    }
  }
  if (drawdown_.is_positive()) {
    for (const SessionInfo& info : infos) {
      if (!info.detail) continue;
      Result<Decimal> total = info.detail->realized_pnl.checked_add(info.detail->unrealized_pnl);
      if (!total) continue;
      auto peak = pnl_peak_.find(info.name);
      if (peak == pnl_peak_.end()) peak = pnl_peak_.emplace(info.name, *total).first;
      if (*total > peak->second) peak->second = *total;
      Result<Decimal> down = peak->second.checked_sub(*total);
      if (down && *down >= drawdown_) {
        out.push_back(condition("PnLDrawdown", info.name,
                                fmt::format("session {}: PnL is {} below its peak", info.name, *down),
                                fmt::format("PnL {} (realized {}, unrealized {}), peak {}, monitor.drawdown {}", *total,
                                            info.detail->realized_pnl, info.detail->unrealized_pnl, peak->second,
                                            drawdown_)));
      }
    }
  }
  return out;
}

}  // namespace cts::engine
