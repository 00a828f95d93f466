#include "cts/engine/performance.hpp"

#include <algorithm>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"
#include "cts/core/json_string.hpp"
#include "cts/health/detail/json.hpp"

namespace cts::engine {

namespace {

/// The figures one collection of a session's registry gives.
struct Collected {
  std::optional<health::HistogramSnapshot> round_trips;  // transports merged
  std::optional<double> pnl;
  std::uint64_t orders = 0;
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  std::string venue;
  bool ws_ready = false;
};

std::uint64_t sum_counter(const health::FamilySnapshot& family) {
  std::uint64_t total = 0;
  for (const health::ChildSnapshot& child : family.children) {
    if (const auto* count = std::get_if<std::uint64_t>(&child.value)) total += *count;
  }
  return total;
}

/// Adds `more` into `into` when their bounds agree (the children of one family do).
void merge(health::HistogramSnapshot& into, const health::HistogramSnapshot& more) {
  if (into.bounds != more.bounds) return;
  for (std::size_t i = 0; i < into.cumulative.size() && i < more.cumulative.size(); ++i) {
    into.cumulative[i] += more.cumulative[i];
  }
  into.count += more.count;
  into.sum += more.sum;
}

Collected collect(const health::MetricsRegistry& registry) {
  Collected out;
  for (const health::FamilySnapshot& family : registry.collect()) {
    if (family.name == "cts_engine_orders_submitted") {
      out.orders = sum_counter(family);
    } else if (family.name == "cts_engine_requests") {
      out.requests = sum_counter(family);
      for (const health::ChildSnapshot& child : family.children) {
        if (const std::string_view venue = child.labels.get("venue"); !venue.empty()) out.venue = std::string(venue);
      }
    } else if (family.name == "cts_engine_request_errors") {
      out.errors = sum_counter(family);
    } else if (family.name == "cts_engine_order_rtt_seconds") {
      for (const health::ChildSnapshot& child : family.children) {
        const auto* h = std::get_if<health::HistogramSnapshot>(&child.value);
        if (h == nullptr) continue;
        if (out.round_trips) {
          merge(*out.round_trips, *h);
        } else {
          out.round_trips = *h;
        }
      }
    } else if (family.name == "cts_engine_realized_pnl" && !family.children.empty()) {
      if (const auto* value = std::get_if<double>(&family.children.front().value)) out.pnl = *value;
    } else if (family.name == "cts_engine_order_route_ready" && !family.children.empty()) {
      if (const auto* value = std::get_if<double>(&family.children.front().value)) out.ws_ready = *value == 1.0;
    }
  }
  return out;
}

void append_number(std::string& out, std::optional<double> value) {
  out += value ? fmt::format("{}", *value) : std::string("null");
}

void append_milliseconds(std::string& out, std::optional<double> seconds) {
  append_number(out, seconds ? std::optional<double>(*seconds * 1000.0) : std::nullopt);
}

/// `value` as an exact decimal string of at most 8 decimals ("12.5", "-0.001").
std::string decimal_text(double value) {
  const Result<Decimal> parsed = Decimal::parse(fmt::format("{:.8f}", value));
  return parsed ? parsed->to_string() : fmt::format("{:.8f}", value);
}

}  // namespace

void PerformanceSampler::sample(const std::vector<SessionRegistries>& sources, SystemTime at) {
  std::vector<std::pair<std::string, Collected>> collected;
  collected.reserve(sources.size());
  for (const SessionRegistries& source : sources) {
    collected.emplace_back(source.name, source.metrics != nullptr ? collect(*source.metrics) : Collected{});
  }
  const std::lock_guard lock(mutex_);
  std::erase_if(tracks_, [&](const auto& entry) {
    return std::none_of(sources.begin(), sources.end(),
                        [&](const SessionRegistries& source) { return source.name == entry.first; });
  });
  for (auto& [name, figures] : collected) {
    Track& track = tracks_[name];
    if (!figures.venue.empty()) track.venue = figures.venue;
    track.transport = figures.ws_ready ? "ws" : "rest";
    PerformancePoint point;
    point.at = at;
    point.pnl = figures.pnl;
    point.orders_total = figures.orders;
    point.requests_total = figures.requests;
    point.errors_total = figures.errors;
    if (figures.round_trips) {
      const health::HistogramSnapshot since = health::histogram_difference(*figures.round_trips, track.round_trips);
      if (const std::optional<double> p50 = health::histogram_quantile(0.5, since)) point.order_rtt_ms_p50 = *p50 * 1000.0;
      track.round_trips = std::move(*figures.round_trips);
    }
    track.points.push_back(point);
    while (!track.points.empty() && track.points.front().at <= at - options_.window) track.points.pop_front();
  }
}

std::vector<PerformancePoint> PerformanceSampler::series(std::string_view session) const {
  const std::lock_guard lock(mutex_);
  const auto found = tracks_.find(session);
  if (found == tracks_.end()) return {};
  return {found->second.points.begin(), found->second.points.end()};
}

std::string PerformanceSampler::to_json(const std::optional<health::ProcessSample>& process, SystemTime now) const {
  std::string out = "{\"process\":";
  if (process) {
    const auto start = SystemTime(std::chrono::duration_cast<SystemTime::duration>(
        std::chrono::duration<double>(process->start_time_seconds)));
    out += fmt::format(
        "{{\"cpu_seconds\":{},\"resident_memory_bytes\":{},\"open_fds\":{},\"start_time\":", process->cpu_seconds,
        process->resident_memory_bytes, process->open_fds);
    cts::append_json_string(out, health::detail::rfc3339_millis(start));
    out += fmt::format(",\"uptime_seconds\":{}}}", std::max(0.0, std::chrono::duration<double>(now - start).count()));
  } else {
    out += "null";
  }
  const std::lock_guard lock(mutex_);
  out += ",\"sessions\":[";
  bool first = true;
  for (const auto& [name, track] : tracks_) {
    if (!first) out += ',';
    first = false;
    out += "{\"name\":";
    cts::append_json_string(out, name);
    out += ",\"venue\":";
    cts::append_json_string(out, track.venue);
    out += ",\"order_transport\":";
    cts::append_json_string(out, track.transport);
    const PerformancePoint* last = track.points.empty() ? nullptr : &track.points.back();
    const PerformancePoint* from = last;
    for (const PerformancePoint& point : track.points) {
      if (last != nullptr && point.at >= last->at - options_.rate_window) {
        from = &point;
        break;
      }
    }
    double orders_per_second = 0;
    double error_rate = 0;
    if (last != nullptr && from != last) {
      const double seconds = std::chrono::duration<double>(last->at - from->at).count();
      if (seconds > 0 && last->orders_total >= from->orders_total) {
        orders_per_second = static_cast<double>(last->orders_total - from->orders_total) / seconds;
      }
      if (last->requests_total > from->requests_total && last->errors_total >= from->errors_total) {
        error_rate = static_cast<double>(last->errors_total - from->errors_total) /
                     static_cast<double>(last->requests_total - from->requests_total);
      }
    }
    out += fmt::format(",\"orders_total\":{},\"orders_per_second\":{},\"errors_total\":{},\"error_rate\":{}",
                       last != nullptr ? last->orders_total : 0, orders_per_second,
                       last != nullptr ? last->errors_total : 0, error_rate);
    out += ",\"order_rtt_ms\":{\"p50\":";
    append_milliseconds(out, health::histogram_quantile(0.5, track.round_trips));
    out += ",\"p90\":";
    append_milliseconds(out, health::histogram_quantile(0.9, track.round_trips));
    out += ",\"p99\":";
    append_milliseconds(out, health::histogram_quantile(0.99, track.round_trips));
    out += "}}";
  }
  out += "],\"series\":[";
  first = true;
  for (const auto& [name, track] : tracks_) {
    if (!first) out += ',';
    first = false;
    out += "{\"session\":";
    cts::append_json_string(out, name);
    out += ",\"points\":[";
    for (std::size_t i = 0; i < track.points.size(); ++i) {
      const PerformancePoint& point = track.points[i];
      if (i != 0) out += ',';
      out += "{\"at\":";
      cts::append_json_string(out, health::detail::rfc3339_millis(point.at));
      out += ",\"order_rtt_ms_p50\":";
      append_number(out, point.order_rtt_ms_p50);
      out += ",\"pnl\":";
      if (point.pnl) {
        cts::append_json_string(out, decimal_text(*point.pnl));
      } else {
        out += "null";
      }
      out += '}';
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

}  // namespace cts::engine
