// The JSON of the operations API (declared in src/engine/ops_json.hpp).
#include "engine/ops_json.hpp"

#include <chrono>

#include <fmt/format.h>

#include "cts/core/json_string.hpp"
#include "cts/health/channels.hpp"

namespace cts::engine::detail {

namespace {

void append_string(std::string& out, std::string_view s) { cts::append_json_string(out, s); }

// A string, or null when empty.
void append_optional(std::string& out, std::string_view s) {
  if (s.empty()) {
    out += "null";
  } else {
    append_string(out, s);
  }
}

void append_decimal(std::string& out, const Decimal& d) { append_string(out, d.to_string()); }

std::string_view note_status(health::NoteStatus s) {
  switch (s) {
    case health::NoteStatus::investigating: return "investigating";
    case health::NoteStatus::identified: return "identified";
    case health::NoteStatus::monitoring: return "monitoring";
  }
  return "investigating";
}

std::string_view overall(ComponentStatus worst) {
  switch (worst) {
    case ComponentStatus::up: return "HEALTHY";
    case ComponentStatus::degraded: return "DEGRADED";
    case ComponentStatus::down: return "CRITICAL";
  }
  return "DEGRADED";
}

}  // namespace

void append_time(std::string& out, SystemTime t) {
  if (t == SystemTime{}) {
    out += "null";
    return;
  }
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
  const auto day = std::chrono::floor<std::chrono::days>(ms);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss<std::chrono::milliseconds> time{ms - day};
  out += fmt::format("\"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z\"", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), time.hours().count(),
                     time.minutes().count(), time.seconds().count(), time.subseconds().count());
}

void append_session(std::string& out, const SessionInfo& info) {
  const std::optional<SessionDetail>& d = info.detail;
  out += "{\"name\":";
  append_string(out, info.name);
  out += ",\"state\":";
  append_string(out, to_string(info.state));
  out += ",\"venue\":";
  append_optional(out, d ? std::string_view(d->venue) : std::string_view{});
  out += ",\"market\":";
  append_optional(out, d ? std::string_view(d->market) : std::string_view{});
  out += ",\"symbol\":";
  append_optional(out, d ? std::string_view(d->symbol) : std::string_view{});
  out += ",\"order_transport\":";
  append_optional(out, d ? std::string_view(d->order_transport) : std::string_view{});
  out += ",\"position\":";
  if (d) append_decimal(out, d->position); else out += "null";
  out += ",\"average_price\":";
  if (d && d->average_price) append_decimal(out, *d->average_price); else out += "null";
  out += ",\"realized_pnl\":";
  if (d) append_decimal(out, d->realized_pnl); else out += "null";
  out += ",\"unrealized_pnl\":";
  if (d) append_decimal(out, d->unrealized_pnl); else out += "null";
  out += ",\"open_orders\":[";
  if (d) {
    for (std::size_t i = 0; i < d->open_orders.size(); ++i) {
      const OpenOrderDetail& o = d->open_orders[i];
      if (i != 0) out += ',';
      out += "{\"client_order_id\":";
      append_string(out, o.client_order_id);
      out += ",\"side\":";
      append_string(out, to_string(o.side));
      out += ",\"price\":";
      append_decimal(out, o.price);
      out += ",\"quantity\":";
      append_decimal(out, o.quantity);
      out += ",\"filled\":";
      append_decimal(out, o.filled);
      out += ",\"status\":";
      append_string(out, o.status);
      out += '}';
    }
  }
  out += "],\"status\":";
  append_string(out, info.status);
  out += ",\"error\":";
  append_string(out, info.error);
  out += fmt::format(",\"restarts\":{}}}", info.restarts);
}

std::string overview_json(const Overview& overview) {
  std::string out = "{\"status\":";
  append_string(out, overall(overview.overall()));
  out += fmt::format(",\"firing_alerts\":{},\"started_at\":", overview.firing_alerts);
  append_time(out, overview.started_at);
  out += ",\"components\":[";
  for (std::size_t i = 0; i < overview.components.size(); ++i) {
    const ComponentView& c = overview.components[i];
    if (i != 0) out += ',';
    out += "{\"name\":";
    append_string(out, c.name);
    out += ",\"status\":";
    append_string(out, to_string(c.status));
    out += ",\"output\":";
    append_string(out, c.output);
    out += '}';
  }
  out += "]}";
  return out;
}

void append_alert(std::string& out, const AlertView& view) {
  const AlertRecord& a = view.record;
  const std::string_view severity = a.labels.get("severity");
  out += "{\"id\":";
  append_string(out, a.id);
  out += ",\"name\":";
  append_string(out, a.labels.get("alertname"));
  out += ",\"severity\":";
  append_string(out, severity.empty() ? std::string_view("error") : severity);
  out += ",\"state\":";
  append_string(out, a.firing ? "firing" : "resolved");
  out += fmt::format(",\"silenced\":{},\"acknowledged\":{},\"acknowledged_by\":", view.silenced,
                     !a.acknowledged_by.empty());
  append_optional(out, a.acknowledged_by);
  out += ",\"acknowledged_at\":";
  append_time(out, a.acknowledged_at);
  out += ",\"starts_at\":";
  append_time(out, a.starts_at);
  out += ",\"ends_at\":";
  append_time(out, a.firing ? SystemTime{} : a.ends_at);
  out += ",\"labels\":";
  health::detail::append_kv_object(out, a.labels);
  out += ",\"summary\":";
  append_string(out, a.summary);
  out += ",\"description\":";
  append_string(out, a.description);
  out += ",\"incident\":";
  append_optional(out, a.incident);
  out += '}';
}

void append_silence(std::string& out, const health::Silence& s) {
  out += "{\"id\":";
  append_string(out, s.id);
  out += ",\"matchers\":{";
  bool first = true;
  for (const health::Matcher& m : s.matchers) {
    if (!first) out += ',';
    first = false;
    append_string(out, m.name());
    out += ':';
    append_string(out, m.value());
  }
  out += "},\"starts_at\":";
  append_time(out, s.starts_at);
  out += ",\"ends_at\":";
  append_time(out, s.ends_at);
  out += ",\"by\":";
  append_string(out, s.created_by);
  out += ",\"comment\":";
  append_string(out, s.comment);
  out += '}';
}

void append_incident(std::string& out, const IncidentRecord& r, bool timeline) {
  const health::Incident& inc = r.incident;
  out += "{\"id\":";
  append_string(out, inc.id);
  out += ",\"title\":";
  append_string(out, r.title);
  out += ",\"severity\":";
  append_string(out, to_string(inc.severity));
  out += ",\"state\":";
  append_string(out, health::to_string(inc.state));
  out += ",\"opened_at\":";
  append_time(out, inc.opened_at);
  out += ",\"acknowledged_at\":";
  append_time(out, inc.acked_at);
  out += ",\"acknowledged_by\":";
  append_optional(out, inc.acked_by);
  out += ",\"resolved_at\":";
  append_time(out, inc.resolved_at);
  out += ",\"closed_at\":";
  append_time(out, inc.closed_at);
  out += ",\"alerts\":[";
  for (std::size_t i = 0; i < inc.alerts.size(); ++i) {
    if (i != 0) out += ',';
    append_string(out, inc.alerts[i].labels.get("alertname"));
  }
  out += ']';
  if (timeline) {
    out += ",\"timeline\":[";
    for (std::size_t i = 0; i < r.timeline.size(); ++i) {
      const TimelineEntry& e = r.timeline[i];
      if (i != 0) out += ',';
      out += "{\"at\":";
      append_time(out, e.at);
      out += ",\"event\":";
      append_string(out, e.event);
      out += ",\"by\":";
      append_optional(out, e.by);
      out += ",\"status\":";
      if (e.status) append_string(out, note_status(*e.status)); else out += "null";
      out += ",\"text\":";
      append_string(out, e.text);
      out += '}';
    }
    out += ']';
  }
  out += '}';
}

std::string uptime_json(const std::vector<ComponentUptime>& components) {
  std::string out = "{\"components\":[";
  for (std::size_t i = 0; i < components.size(); ++i) {
    const ComponentUptime& c = components[i];
    if (i != 0) out += ',';
    out += "{\"name\":";
    append_string(out, c.name);
    out += fmt::format(",\"uptime_ratio\":{},\"samples\":[", c.uptime_ratio);
    for (std::size_t j = 0; j < c.samples.size(); ++j) {
      if (j != 0) out += ',';
      out += "{\"at\":";
      append_time(out, c.samples[j].at);
      out += ",\"status\":";
      append_string(out, to_string(c.samples[j].status));
      out += '}';
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

}  // namespace cts::engine::detail
