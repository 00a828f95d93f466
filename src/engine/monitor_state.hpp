#pragma once
// Internal to cts::engine: the state a Monitor keeps under its mutex, shared by the
// evaluation (monitor.cpp) and the operations (monitor_operations.cpp).
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cts/engine/monitor.hpp"

namespace cts::engine {

struct Monitor::State {
  explicit State(health::Route routes, health::Inhibitor inhibitor, const MonitorConfig& config,
                 health::EscalationPolicy policy)
      : evaluator(config), dispatcher(std::move(routes), std::move(inhibitor), &silences), incidents(std::move(policy)) {}

  RuleEvaluator evaluator;
  std::map<std::string, health::AlertRule, std::less<>> rules;  // by alertname
  health::SilenceStore silences;                                // the dispatcher points at it
  health::Dispatcher dispatcher;
  health::IncidentManager incidents;
  std::map<std::string, AlertRecord, std::less<>> alerts;       // by id
  std::map<std::string, IncidentRecord, std::less<>> incident_records;  // by id, mirrors `incidents`
  std::vector<std::string> incident_order;                      // ids, oldest first
  std::map<std::string, health::ChannelState, std::less<>> channel_states;  // after the last pump
  SystemTime last_prune{};
  // The history's size against monitor.max_size after the last evaluation (the
  // component engine/monitor:history-size, the MonitorHistorySize alert).
  health::Status history_status = health::Status::pass;
  std::string history_output;
};

/// The 16 lower-case hex digits of a label fingerprint: an alert's id.
inline std::string alert_id(std::uint64_t fingerprint) { return fmt::format("{:016x}", fingerprint); }

}  // namespace cts::engine
