#pragma once
/// \file
/// The metrics and health views of a Coordinator: every session's metric families in
/// one Prometheus exposition, and one health document for all sessions. Pure reads of
/// Coordinator::registries(); thread-safe as the coordinator is.

#include <string>
#include <string_view>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/engine/coordinator.hpp"
#include "cts/health/metrics_registry.hpp"

namespace cts::engine {

/// Which metric families an exposition includes.
enum class MetricsExposure : std::uint8_t {
  public_only,  ///< Every family except those that reveal holdings (reveals_holdings()).
  everything,   ///< Every family.
};

/// True for a family whose values reveal what the account holds or earned: its name
/// contains "position", "pnl" or "balance" (e.g. cts_engine_position). Such families
/// are left out of the unauthenticated /metrics.
bool reveals_holdings(std::string_view family_name) noexcept;

/// Every session's metric families, each child labelled session="<name>", families of
/// the same name merged (one HELP/TYPE each; a family whose type clashes with an
/// earlier one of the same name is dropped), plus cts_engine_session_state{session,
/// state} (1 for the current state), then the process's families once
/// (health::process_families: process_cpu_seconds_total, memory, descriptors, start
/// time; left out where /proc cannot be read), in the Prometheus text format 0.0.4. With
/// MetricsExposure::public_only the families reveals_holdings() names are left out.
/// `engine_families` are the engine's own families outside any session (the monitor's
/// notifier figures: Monitor::metric_families), appended once, unlabelled by session.
std::string metrics_text(const Coordinator& coordinator, MetricsExposure exposure = MetricsExposure::everything,
                         std::vector<health::FamilySnapshot> engine_families = {});

/// The /health response (application/health+json): every session's readiness checks
/// named "<session>/<check>" plus "<session>/session:state"; the status is the worst
/// of the sessions' (a failed session fails it; a session waiting for a restart
/// warns; a stopped one warns while others still run; all stopped, or no session at
/// all, is out of service). `service_id` is the
/// document's serviceId.
HttpResponse health_response(const Coordinator& coordinator, SteadyTime now,
                             std::string_view service_id = "cts-engine");

}  // namespace cts::engine
