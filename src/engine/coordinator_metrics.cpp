#include "cts/engine/coordinator_metrics.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cts/health/exposition.hpp"
#include "cts/health/health_json.hpp"
#include "cts/health/process_metrics.hpp"
#include "cts/version.hpp"

namespace cts::engine {

bool reveals_holdings(std::string_view family_name) noexcept {
  for (std::string_view word : {"position", "pnl", "balance"}) {
    if (family_name.find(word) != std::string_view::npos) return true;
  }
  return false;
}

std::string metrics_text(const Coordinator& coordinator, MetricsExposure exposure,
                         std::vector<health::FamilySnapshot> engine_families) {
  const std::vector<SessionRegistries> sources = coordinator.registries();
  health::FamilySnapshot state_family{
      "cts_engine_session_state", "State of each coordinated session (1 = current)", "", health::MetricType::gauge, {}};
  for (const SessionRegistries& source : sources) {
    for (SessionState s : kSessionStates) {
      state_family.children.push_back(health::ChildSnapshot{
          health::LabelSet{{"session", source.name}, {"state", to_string(s)}}, s == source.state ? 1.0 : 0.0, {}});
    }
  }
  std::vector<health::FamilySnapshot> families;
  for (const SessionRegistries& source : sources) {
    if (source.metrics == nullptr) continue;
    for (health::FamilySnapshot& family : source.metrics->collect()) {
      if (exposure == MetricsExposure::public_only && reveals_holdings(family.name)) continue;
      auto same = std::find_if(families.begin(), families.end(),
                               [&](const health::FamilySnapshot& f) { return f.name == family.name; });
      if (same != families.end() && same->type != family.type) continue;  // a clash: keep the first
      if (same == families.end()) {
        families.push_back(health::FamilySnapshot{family.name, family.help, family.unit, family.type, {}});
        same = families.end() - 1;
      }
      for (health::ChildSnapshot& child : family.children) {
        child.labels = child.labels.with("session", source.name);
        same->children.push_back(std::move(child));
      }
    }
  }
  families.push_back(std::move(state_family));
  for (health::FamilySnapshot& family : engine_families) {
    if (exposure == MetricsExposure::public_only && reveals_holdings(family.name)) continue;
    families.push_back(std::move(family));
  }
  // The process's figures, once for all sessions; a system without /proc has none.
  if (const Result<health::ProcessSample> process = health::read_process_sample(); process) {
    for (health::FamilySnapshot& family : health::process_families(*process)) families.push_back(std::move(family));
  }
  return health::text_004(families);
}

HttpResponse health_response(const Coordinator& coordinator, SteadyTime now, std::string_view service_id) {
  const std::vector<SessionRegistries> sources = coordinator.registries();
  const bool any_in_service = std::any_of(sources.begin(), sources.end(), [](const SessionRegistries& source) {
    return source.state != SessionState::stopped;
  });
  std::vector<health::CheckSnapshot> checks;
  std::vector<health::Status> statuses;
  const SystemTime wall = RealClock{}.system_now();
  for (const SessionRegistries& source : sources) {
    const bool restarting = source.state != SessionState::failed && !source.why.empty();
    health::CheckSnapshot state_check;
    state_check.name = source.name + "/session:state";
    state_check.component_type = "session";
    state_check.status = source.state == SessionState::failed    ? health::Status::fail
                         : source.state == SessionState::stopped ? health::Status::out_of_service
                         : restarting                            ? health::Status::warn
                                                                 : health::Status::pass;
    state_check.published = state_check.status;
    std::string output;
    if (state_check.status != health::Status::pass) {
      output = source.why.empty()
                   ? fmt::format("session {} is {}", source.name, to_string(source.state))
                   : fmt::format("session {} is {}: {}", source.name, to_string(source.state), source.why);
    }
    state_check.last_result = health::CheckResult{state_check.status, std::nullopt, {}, wall, std::move(output)};
    checks.push_back(std::move(state_check));
    if (source.state == SessionState::stopped) {
      // Not trading what it was configured to: the process is degraded while other
      // sessions run (all stopped: out of service).
      if (any_in_service) statuses.push_back(health::Status::warn);
      continue;
    }
    if (restarting) statuses.push_back(health::Status::warn);
    if (source.state == SessionState::failed) {
      statuses.push_back(health::Status::fail);
    } else if (source.health != nullptr) {
      statuses.push_back(source.health->aggregate(health::CheckKind::readiness, now));
    } else {
      statuses.push_back(health::Status::pass);
    }
    if (source.health != nullptr) {
      for (health::CheckSnapshot& check : source.health->list(now)) {
        check.name = source.name + "/" + check.name;
        checks.push_back(std::move(check));
      }
    }
  }
  const health::Status overall =
      statuses.empty() ? health::Status::out_of_service : health::StatusOrder().worst(statuses);
  health::HealthDocumentInfo info;
  info.release_id = std::string(kVersion);
  info.service_id = std::string(service_id);
  info.description = "cts reference engine";
  HttpResponse response;
  response.status = health::http_status(overall, health::CheckKind::readiness);
  response.set_header("Content-Type", health::kHealthJsonContentType);
  response.set_header("Cache-Control", "max-age=" + std::to_string(info.max_age_seconds));
  response.body = health::to_health_json(checks, overall, health::CheckKind::readiness, info);
  return response;
}

}  // namespace cts::engine
