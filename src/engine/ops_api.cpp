// The operations API's routes (declared in cts/engine/ops_api.hpp): parameters and
// bodies checked, the Monitor and Coordinator asked, the answer rendered by ops_json.
#include "cts/engine/ops_api.hpp"

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cts/engine/monitor.hpp"
#include "cts/sign/encoding.hpp"
#include "cts/venue/json_reader.hpp"
#include "engine/control_responses.hpp"
#include "engine/ops_json.hpp"

namespace cts::engine {

namespace {

using detail::error_response;
using detail::json_response;
using detail::wrong_method;

/// The longest silence the API creates.
constexpr Nanos kMaxSilence = std::chrono::hours{24 * 90};
/// The most alerts one listing returns.
constexpr std::size_t kMaxAlerts = 1000;
/// Uptime samples per component in one answer.
constexpr std::size_t kUptimeSamples = 288;

/// A parameter or body field list, or the 400 that refused it.
struct Fields {
  std::map<std::string, std::string, std::less<>> values;
  std::optional<HttpResponse> refused;

  [[nodiscard]] std::string get(std::string_view name) const {
    auto it = values.find(name);
    return it == values.end() ? std::string() : it->second;
  }
  [[nodiscard]] bool has(std::string_view name) const { return values.find(name) != values.end(); }
};

bool allowed(std::string_view name, std::span<const std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// The query `k=v&...` (percent-decoded) with only `names`, each at most once.
Fields parse_query(std::string_view query, std::span<const std::string_view> names) {
  Fields out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    Result<std::string> name = sign::percent_decode(item.substr(0, eq));
    Result<std::string> value = sign::percent_decode(eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1));
    if (!name || !value) {
      out.refused = error_response(400, "the query has a bad % escape");
      return out;
    }
    if (!allowed(*name, names)) {
      out.refused = error_response(400, fmt::format("unknown query parameter \"{}\"", *name));
      return out;
    }
    if (!out.values.emplace(*name, *value).second) {
      out.refused = error_response(400, fmt::format("query parameter {} is given twice", *name));
      return out;
    }
  }
  return out;
}

/// A JSON object body whose members are all strings named in `names` (an empty body is
/// an empty object).
Fields parse_body(std::string_view body, std::span<const std::string_view> names) {
  Fields out;
  const std::string_view trimmed = cts::detail::trim_spaces(body, " \t\r\n");
  if (trimmed.empty()) return out;
  // The object must be all of it (simdjson's on-demand reader stops at its end).
  if (trimmed.front() != '{' || trimmed.back() != '}') {
    out.refused = error_response(400, "the body must be a JSON object");
    return out;
  }
  venue::JsonReader reader;
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (reader.iterate(trimmed).get(doc) != simdjson::SUCCESS || doc.get_object().get(object) != simdjson::SUCCESS) {
    out.refused = error_response(400, "the body must be a JSON object");
    return out;
  }
  for (auto field : object) {
    std::string_view name;
    if (field.unescaped_key().get(name) != simdjson::SUCCESS) {
      out.refused = error_response(400, "the body is not valid JSON");
      return out;
    }
    const std::string key(name);
    if (!allowed(key, names)) {
      out.refused = error_response(400, fmt::format("unknown field \"{}\" in the body", key));
      return out;
    }
    std::string_view value;
    if (field.value().get_string().get(value) != simdjson::SUCCESS) {
      out.refused = error_response(400, fmt::format("field {} must be a string", key));
      return out;
    }
    if (!out.values.emplace(key, std::string(value)).second) {
      out.refused = error_response(400, fmt::format("field {} is given twice", key));
      return out;
    }
  }
  return out;
}

/// A whole number in [min, max].
std::optional<std::uint64_t> parse_count(std::string_view text, std::uint64_t min, std::uint64_t max) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n < min || n > max) return std::nullopt;
  return n;
}

/// "90s", "30m", "2h", "1d" or a sum of them ("1h30m"); positive.
std::optional<Nanos> parse_duration(std::string_view text) {
  Nanos total{0};
  if (text.empty()) return std::nullopt;
  while (!text.empty()) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0 || digits > 6 || digits == text.size()) return std::nullopt;
    const auto n = static_cast<std::int64_t>(parse_count(text.substr(0, digits), 0, 999'999).value_or(0));
    switch (text[digits]) {
      case 's': total += std::chrono::seconds{n}; break;
      case 'm': total += std::chrono::minutes{n}; break;
      case 'h': total += std::chrono::hours{n}; break;
      case 'd': total += std::chrono::hours{24 * n}; break;
      default: return std::nullopt;
    }
    text = text.substr(digits + 1);
  }
  if (total <= Nanos::zero()) return std::nullopt;
  return total;
}

std::optional<health::NoteStatus> parse_note_status(std::string_view text) {
  if (text == "investigating") return health::NoteStatus::investigating;
  if (text == "identified") return health::NoteStatus::identified;
  if (text == "monitoring") return health::NoteStatus::monitoring;
  return std::nullopt;
}

std::optional<IncidentAction> parse_incident_action(std::string_view text) {
  if (text == "acknowledge") return IncidentAction::acknowledge;
  if (text == "note") return IncidentAction::note;
  if (text == "resolve") return IncidentAction::resolve;
  if (text == "close") return IncidentAction::close;
  return std::nullopt;
}

/// The answer to a Monitor operation's error: 409 for an illegal transition, else 400.
HttpResponse refused(const Error& e) { return error_response(e.code == ErrorCode::invalid_transition ? 409 : 400, e.message); }

HttpResponse no_monitor() {
  return error_response(404, "the monitor is off (monitor = off in the engine's configuration): no alerts, "
                             "incidents, silences, overview or uptime");
}

/// `/api/<collection>/<id>[/<verb>]` split into its decoded parts; nothing on a bad escape.
std::optional<std::vector<std::string>> segments(std::string_view path) {
  std::vector<std::string> out;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    Result<std::string> part = sign::percent_decode(path.substr(0, slash));
    if (!part) return std::nullopt;
    out.push_back(std::move(*part));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  }
  return out;
}

HttpResponse sessions_route(const HttpRequest& request, const Coordinator& coordinator,
                            const std::vector<std::string>& parts) {
  if (request.method != HttpMethod::get) return wrong_method("GET");
  if (!request.query.empty()) return error_response(400, "this route takes no query parameter");
  const std::vector<SessionInfo> infos = coordinator.states();
  if (parts.size() == 1) {
    std::string body = "{\"sessions\":[";
    for (std::size_t i = 0; i < infos.size(); ++i) {
      if (i != 0) body += ',';
      detail::append_session(body, infos[i]);
    }
    body += "]}";
    return json_response(200, std::move(body));
  }
  if (parts.size() != 2) return error_response(404, "not found");
  for (const SessionInfo& info : infos) {
    if (info.name != parts[1]) continue;
    std::string body = "{\"session\":";
    detail::append_session(body, info);
    body += '}';
    return json_response(200, std::move(body));
  }
  return error_response(404, fmt::format("unknown session \"{}\"", parts[1]));
}

HttpResponse alerts_route(const HttpRequest& request, Monitor& monitor, const std::vector<std::string>& parts,
                          SystemTime wall) {
  if (parts.size() == 1) {
    if (request.method != HttpMethod::get) return wrong_method("GET");
    static constexpr std::string_view kNames[] = {"state", "limit"};
    const Fields query = parse_query(request.query, kNames);
    if (query.refused) return *query.refused;
    const std::string state = query.has("state") ? query.get("state") : "active";
    if (state != "active" && state != "all") {
      return error_response(400, fmt::format("state must be active or all, not \"{}\"", state));
    }
    std::size_t limit = 100;
    if (query.has("limit")) {
      const std::optional<std::uint64_t> n = parse_count(query.get("limit"), 1, kMaxAlerts);
      if (!n) return error_response(400, fmt::format("limit must be a whole number from 1 to {}, not \"{}\"", kMaxAlerts, query.get("limit")));
      limit = *n;
    }
    std::string body = "{\"alerts\":[";
    const std::vector<AlertView> alerts = monitor.alerts(state == "active", limit, wall);
    for (std::size_t i = 0; i < alerts.size(); ++i) {
      if (i != 0) body += ',';
      detail::append_alert(body, alerts[i]);
    }
    body += "]}";
    return json_response(200, std::move(body));
  }
  if (parts.size() != 3 || (parts[2] != "acknowledge" && parts[2] != "silence")) {
    return error_response(404, "not found: POST /api/alerts/<id>/acknowledge or /api/alerts/<id>/silence");
  }
  if (request.method != HttpMethod::post) return wrong_method("POST");
  if (!detail::is_programmatic(request)) return detail::not_programmatic();
  const std::string& id = parts[1];
  if (!monitor.alert(id, wall)) return error_response(404, fmt::format("unknown alert \"{}\"", id));
  if (parts[2] == "acknowledge") {
    static constexpr std::string_view kNames[] = {"by", "note"};
    const Fields body = parse_body(request.body, kNames);
    if (body.refused) return *body.refused;
    if (body.get("by").empty()) return error_response(400, "field by (who acknowledges) is required");
    Result<AlertView> done = monitor.acknowledge_alert(id, body.get("by"), body.get("note"), wall);
    if (!done) return refused(done.error());
    std::string out = "{\"alert\":";
    detail::append_alert(out, *done);
    out += '}';
    return json_response(200, std::move(out));
  }
  static constexpr std::string_view kNames[] = {"duration", "by", "comment"};
  const Fields body = parse_body(request.body, kNames);
  if (body.refused) return *body.refused;
  const std::optional<Nanos> duration = parse_duration(body.get("duration"));
  if (!duration || *duration > kMaxSilence) {
    return error_response(400, fmt::format("field duration must be like 30m, 2h or 1d (at most 90d), not \"{}\"",
                                           body.get("duration")));
  }
  if (body.get("by").empty()) return error_response(400, "field by (who silences) is required");
  Result<health::Silence> done = monitor.silence_alert(id, *duration, body.get("by"), body.get("comment"), wall);
  if (!done) return refused(done.error());
  std::string out = "{\"silence\":";
  detail::append_silence(out, *done);
  out += '}';
  return json_response(200, std::move(out));
}

HttpResponse silences_route(const HttpRequest& request, Monitor& monitor, const std::vector<std::string>& parts,
                            SystemTime wall) {
  if (parts.size() == 1) {
    if (request.method != HttpMethod::get) return wrong_method("GET");
    if (!request.query.empty()) return error_response(400, "this route takes no query parameter");
    std::string body = "{\"silences\":[";
    const std::vector<health::Silence> silences = monitor.silences();
    for (std::size_t i = 0; i < silences.size(); ++i) {
      if (i != 0) body += ',';
      detail::append_silence(body, silences[i]);
    }
    body += "]}";
    return json_response(200, std::move(body));
  }
  if (parts.size() != 3 || parts[2] != "expire") return error_response(404, "not found: POST /api/silences/<id>/expire");
  if (request.method != HttpMethod::post) return wrong_method("POST");
  if (!detail::is_programmatic(request)) return detail::not_programmatic();
  if (!monitor.silence(parts[1])) return error_response(404, fmt::format("unknown silence \"{}\"", parts[1]));
  static constexpr std::string_view kNames[] = {"by"};
  const Fields body = parse_body(request.body, kNames);
  if (body.refused) return *body.refused;
  Result<health::Silence> done = monitor.expire_silence(parts[1], wall);
  if (!done) return refused(done.error());
  std::string out = "{\"silence\":";
  detail::append_silence(out, *done);
  out += '}';
  return json_response(200, std::move(out));
}

HttpResponse incidents_route(const HttpRequest& request, Monitor& monitor, const std::vector<std::string>& parts,
                             SystemTime wall) {
  if (parts.size() == 1) {
    if (request.method != HttpMethod::get) return wrong_method("GET");
    static constexpr std::string_view kNames[] = {"state"};
    const Fields query = parse_query(request.query, kNames);
    if (query.refused) return *query.refused;
    const std::string state = query.has("state") ? query.get("state") : "open";
    if (state != "open" && state != "all") return error_response(400, fmt::format("state must be open or all, not \"{}\"", state));
    std::string body = "{\"incidents\":[";
    const std::vector<IncidentRecord> incidents = monitor.incidents(state == "open");
    for (std::size_t i = 0; i < incidents.size(); ++i) {
      if (i != 0) body += ',';
      detail::append_incident(body, incidents[i], false);
    }
    body += "]}";
    return json_response(200, std::move(body));
  }
  if (parts.size() > 3) return error_response(404, "not found");
  const std::string& id = parts[1];
  if (parts.size() == 2) {
    if (request.method != HttpMethod::get) return wrong_method("GET");
    const std::optional<IncidentRecord> incident = monitor.incident(id);
    if (!incident) return error_response(404, fmt::format("unknown incident \"{}\"", id));
    std::string out = "{\"incident\":";
    detail::append_incident(out, *incident, true);
    out += '}';
    return json_response(200, std::move(out));
  }
  const std::optional<IncidentAction> action = parse_incident_action(parts[2]);
  if (!action) {
    return error_response(404, fmt::format("unknown incident action \"{}\" (acknowledge, note, resolve, close)", parts[2]));
  }
  if (request.method != HttpMethod::post) return wrong_method("POST");
  if (!detail::is_programmatic(request)) return detail::not_programmatic();
  if (!monitor.incident(id)) return error_response(404, fmt::format("unknown incident \"{}\"", id));
  static constexpr std::string_view kNames[] = {"by", "text", "status", "postmortem"};
  const Fields body = parse_body(request.body, kNames);
  if (body.refused) return *body.refused;
  IncidentActionInput input;
  input.by = body.get("by");
  input.text = body.get("text");
  input.postmortem = body.get("postmortem");
  if (body.has("status")) {
    input.status = parse_note_status(body.get("status"));
    if (!input.status) {
      return error_response(400, fmt::format("field status must be investigating, identified or monitoring, not \"{}\"",
                                             body.get("status")));
    }
  }
  if (input.by.empty()) return error_response(400, "field by (who acts) is required");
  if (*action == IncidentAction::note && input.text.empty()) return error_response(400, "field text is required for a note");
  Result<IncidentRecord> done = monitor.incident_action(id, *action, std::move(input), wall);
  if (!done) return refused(done.error());
  std::string out = "{\"incident\":";
  detail::append_incident(out, *done, true);
  out += '}';
  return json_response(200, std::move(out));
}

HttpResponse uptime_route(const HttpRequest& request, const Monitor& monitor, SystemTime wall) {
  if (request.method != HttpMethod::get) return wrong_method("GET");
  static constexpr std::string_view kNames[] = {"hours"};
  const Fields query = parse_query(request.query, kNames);
  if (query.refused) return *query.refused;
  std::uint64_t hours = 24;
  if (query.has("hours")) {
    const std::optional<std::uint64_t> n = parse_count(query.get("hours"), 1, 24 * 3650);
    if (!n) return error_response(400, fmt::format("hours must be a whole number from 1 to 87600, not \"{}\"", query.get("hours")));
    hours = *n;
  }
  Result<std::vector<ComponentUptime>> uptime =
      monitor.uptime(wall - std::chrono::hours{static_cast<std::int64_t>(hours)}, kUptimeSamples);
  if (!uptime) return error_response(500, fmt::format("the history cannot be read: {}", uptime.error().message));
  return json_response(200, detail::uptime_json(*uptime));
}

}  // namespace

std::optional<HttpResponse> ops_api_response(const HttpRequest& request, const Coordinator& coordinator,
                                             Monitor* monitor, SystemTime wall, SteadyTime now) {
  constexpr std::string_view kPrefix = "/api/";
  if (!request.path.starts_with(kPrefix)) return std::nullopt;
  const std::optional<std::vector<std::string>> parts = segments(std::string_view(request.path).substr(kPrefix.size()));
  if (!parts || parts->empty()) return std::nullopt;
  const std::string& collection = parts->front();
  if (collection == "sessions") return sessions_route(request, coordinator, *parts);
  const bool monitored = collection == "overview" || collection == "alerts" || collection == "silences" ||
                         collection == "incidents" || collection == "uptime";
  if (!monitored) return std::nullopt;
  if (monitor == nullptr) return no_monitor();
  if (collection == "overview") {
    if (parts->size() != 1) return error_response(404, "not found");
    if (request.method != HttpMethod::get) return wrong_method("GET");
    return json_response(200, detail::overview_json(monitor->overview(now, wall)));
  }
  if (collection == "alerts") return alerts_route(request, *monitor, *parts, wall);
  if (collection == "silences") return silences_route(request, *monitor, *parts, wall);
  if (collection == "incidents") return incidents_route(request, *monitor, *parts, wall);
  if (parts->size() != 1) return error_response(404, "not found");
  return uptime_route(request, *monitor, wall);
}

}  // namespace cts::engine
