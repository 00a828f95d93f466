#pragma once
/// \file
/// Serializers for collected metric families: the Prometheus text format 0.0.4 and
/// OpenMetrics 1.0. Both escape label values (`\\`, `\"`, `\n`) and HELP text (0.0.4:
/// `\\` and `\n`; OpenMetrics: also `\"`), write doubles with shortest round-trip
/// digits, `le` bounds in canonical form ("1.0", "0.001", "1e+06", "+Inf"), the +Inf
/// bucket equal to `_count`; OpenMetrics adds `_total`, a counter's `_created`, UNIT and `# EOF`.

#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "cts/health/detail/number.hpp"
#include "cts/health/metrics_registry.hpp"

namespace cts::health {

/// The Content-Type of text_004() output.
inline constexpr std::string_view kPrometheusTextContentType = "text/plain; version=0.0.4; charset=utf-8";
/// The Content-Type of openmetrics_100() output.
inline constexpr std::string_view kOpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

namespace detail {

enum class Format { text_004, openmetrics_100 };

inline void append_escaped(std::string& out, std::string_view text, bool escape_quote) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && escape_quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

inline void append_labels(std::string& out, const LabelSet& labels, std::string_view extra_name = {},
                          std::string_view extra_value = {}) {
  if (labels.empty() && extra_name.empty()) return;
  out += '{';
  bool first = true;
  for (const auto& l : labels.labels()) {
    if (!first) out += ',';
    first = false;
    out += l.name;
    out += "=\"";
    append_escaped(out, l.value, true);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

inline void append_sample_name(std::string& out, std::string_view name, std::string_view suffix) {
  out += name;
  out += suffix;
}

inline void append_created(std::string& out, const FamilySnapshot& f, const ChildSnapshot& c) {
  append_sample_name(out, f.name, "_created");
  append_labels(out, c.labels);
  out += ' ';
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(c.created.time_since_epoch()).count();
  append_go_float(out, static_cast<double>(ms) / 1000.0);
  out += '\n';
}

inline void append_family(std::string& out, const FamilySnapshot& f, Format format) {
  const bool om = format == Format::openmetrics_100;
  const bool counter = f.type == MetricType::counter;
  const std::string meta_name = (counter && !om) ? f.name + "_total" : f.name;
  if (om) {
    out += "# TYPE " + meta_name + " " + std::string(to_string(f.type)) + "\n";
    if (!f.unit.empty()) out += "# UNIT " + meta_name + " " + f.unit + "\n";
    if (!f.help.empty()) {
      out += "# HELP " + meta_name + " ";
      append_escaped(out, f.help, true);
      out += '\n';
    }
  } else {
    if (!f.help.empty()) {
      out += "# HELP " + meta_name + " ";
      append_escaped(out, f.help, false);
      out += '\n';
    }
    out += "# TYPE " + meta_name + " " + std::string(to_string(f.type)) + "\n";
  }
  for (const auto& c : f.children) {
    if (const auto* u = std::get_if<std::uint64_t>(&c.value)) {
      append_sample_name(out, f.name, counter ? "_total" : "");
      append_labels(out, c.labels);
      out += ' ';
      append_uint(out, *u);
      out += '\n';
      if (om && counter) append_created(out, f, c);
    } else if (const auto* d = std::get_if<double>(&c.value)) {
      append_sample_name(out, f.name, counter ? "_total" : "");
      append_labels(out, c.labels);
      out += ' ';
      append_go_float(out, *d);
      out += '\n';
      if (om && counter) append_created(out, f, c);
    } else {
      const auto& h = std::get<HistogramSnapshot>(c.value);
      for (std::size_t i = 0; i <= h.bounds.size(); ++i) {
        append_sample_name(out, f.name, "_bucket");
        const std::string le = i < h.bounds.size() ? canonical_bound(h.bounds[i]) : std::string("+Inf");
        append_labels(out, c.labels, "le", le);
        out += ' ';
        append_uint(out, i < h.bounds.size() ? h.cumulative[i] : h.count);
        out += '\n';
      }
      append_sample_name(out, f.name, "_sum");
      append_labels(out, c.labels);
      out += ' ';
      append_go_float(out, h.sum);
      out += '\n';
      append_sample_name(out, f.name, "_count");
      append_labels(out, c.labels);
      out += ' ';
      append_uint(out, h.count);
      out += '\n';
    }
  }
}

}  // namespace detail

/// The families in the Prometheus text format 0.0.4 (serve with
/// kPrometheusTextContentType). Counters are named `<name>_total` on every line.
inline std::string text_004(std::span<const FamilySnapshot> families) {
  std::string out;
  for (const auto& f : families) detail::append_family(out, f, detail::Format::text_004);
  return out;
}

/// The families in OpenMetrics 1.0 (serve with kOpenMetricsContentType), ending with
/// "# EOF".
inline std::string openmetrics_100(std::span<const FamilySnapshot> families) {
  std::string out;
  for (const auto& f : families) detail::append_family(out, f, detail::Format::openmetrics_100);
  out += "# EOF\n";
  return out;
}

/// text_004(registry.collect()).
inline std::string text_004(const MetricsRegistry& registry) { return text_004(registry.collect()); }
/// openmetrics_100(registry.collect()).
inline std::string openmetrics_100(const MetricsRegistry& registry) { return openmetrics_100(registry.collect()); }

}  // namespace cts::health
