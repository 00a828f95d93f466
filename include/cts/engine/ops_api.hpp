#pragma once
/// \file
/// The operations API: the `/api/...` routes of the control port that the status page
/// and operators' tools read (sessions with position, PnL and open orders, the overview
/// of components, alerts, silences, incidents, uptime). ControlApi serves them after its
/// Host, Origin and token checks; state changes must also pass its POST and
/// Content-Type rules, which ops_api_response() applies itself. The JSON shapes, the
/// errors and every route are documented in docs/engine.md ("Operations API").
///
/// Errors are `{"error":"..."}` naming what was wrong: 400 for a bad parameter or body,
/// 404 for an unknown path, id or session (and for the alert, silence, incident,
/// overview and uptime routes when the engine runs without a monitor), 405 for a wrong
/// method, 409 for an illegal transition (nothing changes), 415 for a state change
/// without a JSON Content-Type or the X-CTS-Control header.

#include <optional>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/engine/coordinator.hpp"

namespace cts::engine {

class Monitor;

/// The answer to `request` when its path is an operations route (`/api/overview`,
/// `/api/sessions[/<name>]`, `/api/alerts...`, `/api/silences...`, `/api/incidents...`,
/// `/api/uptime`), else nothing. The caller has authenticated it. `monitor` may be
/// null (the monitor is off). `wall` stamps acknowledgements, silences and notes.
std::optional<HttpResponse> ops_api_response(const HttpRequest& request, const Coordinator& coordinator,
                                             Monitor* monitor, SystemTime wall, SteadyTime now);

}  // namespace cts::engine
