#pragma once
/// \file
/// Renders a HealthRegistry as `application/health+json` (IETF
/// draft-inadarei-api-health-check-06) with the HTTP status that matches it: pass and
/// warn are 200, fail is 503, so a load balancer and a human read the same verdict.
/// The draft expired in 2022; it is the de-facto format, kept separate from the
/// registry so that another renderer can be added beside it.

#include <cmath>
#include <string>
#include <string_view>

#include "cts/core/http.hpp"
#include "cts/health/detail/json.hpp"
#include "cts/health/detail/number.hpp"
#include "cts/health/registry.hpp"

namespace cts::health {

/// The media type of the health document.
inline constexpr std::string_view kHealthJsonContentType = "application/health+json";

/// Optional top-level fields of the document.
struct HealthDocumentInfo {
  std::string version;         ///< Public version of the service, e.g. "1".
  std::string release_id;      ///< Release, e.g. "0.1.0".
  std::string service_id;      ///< Unique id of the service instance.
  std::string description;     ///< Human-friendly description.
  int max_age_seconds = 1;     ///< Cache-Control max-age: a freshness lifetime against self-DDoS.
};

/// The document for the checks of `kind` with `overall` as the top-level status.
/// Each check renders as `"<name>": [{componentId, componentType, observedValue,
/// observedUnit, status, time, output}]`; componentId is the name's part before ':';
/// `output` appears only when the status is not pass.
inline std::string to_health_json(std::span<const CheckSnapshot> checks, Status overall, CheckKind kind,
                                  const HealthDocumentInfo& info = {}) {
  std::string out = "{\"status\":";
  detail::append_json_string(out, to_ietf(overall, kind));
  auto field = [&out](std::string_view key, std::string_view value) {
    if (value.empty()) return;
    out += ',';
    detail::append_json_string(out, key);
    out += ':';
    detail::append_json_string(out, value);
  };
  field("version", info.version);
  field("releaseId", info.release_id);
  field("serviceId", info.service_id);
  field("description", info.description);
  if (to_ietf(overall, kind) != "pass") {
    std::string failing;
    for (const auto& c : checks) {
      if (c.kind != kind || c.status == Status::pass) continue;
      if (!failing.empty()) failing += ", ";
      failing += c.name + " is " + std::string(to_string(c.status));
    }
    field("output", failing);
  }
  out += ",\"checks\":{";
  bool first = true;
  for (const auto& c : checks) {
    if (c.kind != kind) continue;
    if (!first) out += ',';
    first = false;
    detail::append_json_string(out, c.name);
    out += ":[{";
    const auto colon = c.name.find(':');
    out += "\"componentId\":";
    detail::append_json_string(out, std::string_view(c.name).substr(0, colon));
    out += ",\"componentType\":";
    detail::append_json_string(out, c.component_type);
    if (c.last_result && c.last_result->observed_value && std::isfinite(*c.last_result->observed_value)) {
      out += ",\"observedValue\":";
      detail::append_go_float(out, *c.last_result->observed_value);
      if (!c.last_result->observed_unit.empty()) {
        out += ",\"observedUnit\":";
        detail::append_json_string(out, c.last_result->observed_unit);
      }
    }
    const std::string_view status = to_ietf(c.status, kind);
    out += ",\"status\":";
    detail::append_json_string(out, status);
    if (c.last_result && c.last_result->time != SystemTime{}) {
      out += ",\"time\":";
      detail::append_json_string(out, detail::rfc3339_nano(c.last_result->time));
    }
    if (status != "pass") {
      std::string output = c.stale ? "no fresh result (stale)" : std::string(to_string(c.status));
      if (!c.stale && c.last_result && !c.last_result->output.empty()) output = c.last_result->output;
      out += ",\"output\":";
      detail::append_json_string(out, output);
    }
    out += "}]";
  }
  out += "}}";
  return out;
}

/// The HTTP response for the `kind` endpoint (e.g. /health/ready): status 200 or 503
/// per http_status(), Content-Type application/health+json, Cache-Control max-age.
inline HttpResponse health_response(const HealthRegistry& registry, CheckKind kind, SteadyTime now,
                                    const HealthDocumentInfo& info = {}) {
  const Status overall = registry.aggregate(kind, now);
  const auto checks = registry.list(now);
  HttpResponse r;
  r.status = http_status(overall, kind);
  r.set_header("Content-Type", kHealthJsonContentType);
  r.set_header("Cache-Control", "max-age=" + std::to_string(info.max_age_seconds));
  r.body = to_health_json(checks, overall, kind, info);
  return r;
}

}  // namespace cts::health
