#pragma once
// Internal to cts::engine: the JSON of the operations API (ops_api.cpp), in the shapes
// docs/engine.md documents: times RFC 3339 UTC with milliseconds (null when unset),
// decimals as strings.
#include <string>
#include <vector>

#include "cts/engine/coordinator.hpp"
#include "cts/engine/monitor.hpp"

namespace cts::engine::detail {

/// `"2026-12-06T17:30:00.123Z"`, or `null` for a zero time.
void append_time(std::string& out, SystemTime t);
/// One session: state, status, restarts and its detail (null fields before the first step).
void append_session(std::string& out, const SessionInfo& info);
/// The overview: status HEALTHY / DEGRADED / CRITICAL, started_at, components.
std::string overview_json(const Overview& overview);
/// One alert.
void append_alert(std::string& out, const AlertView& alert);
/// One silence.
void append_silence(std::string& out, const health::Silence& silence);
/// One incident; with its timeline when `timeline`.
void append_incident(std::string& out, const IncidentRecord& record, bool timeline);
/// `{"components":[...]}` of the uptime route.
std::string uptime_json(const std::vector<ComponentUptime>& components);

}  // namespace cts::engine::detail
