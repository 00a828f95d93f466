#pragma once
// A strict parser for the Prometheus text format 0.0.4 and OpenMetrics 1.0, written
// from prometheus/docs exposition_formats.md and the OpenMetrics 1.0 specification.
// It rejects what a scraper would reject and more:
// unknown escapes, metadata after samples, non-contiguous families, duplicate series,
// histogram buckets out of order or not cumulative, +Inf != _count, a missing # EOF.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace exposition {

struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // unescaped, in order
  double value = 0;
  std::string value_text;
};

struct Family {
  std::string name;
  std::string type;
  std::string help;  // unescaped
  std::string unit;
  std::vector<Sample> samples;
};

struct Parsed {
  std::vector<Family> families;
  std::string error;  // empty when valid
  [[nodiscard]] const Family* family(std::string_view name) const {
    for (const auto& f : families) {
      if (f.name == name) return &f;
    }
    return nullptr;
  }
};

inline bool valid_name(std::string_view n, bool metric) {
  if (n.empty()) return false;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const char c = n[i];
    const bool a = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':');
    if (!a && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

inline std::optional<double> parse_float(std::string_view s) {
  if (s == "+Inf" || s == "Inf") return HUGE_VAL;
  if (s == "-Inf") return -HUGE_VAL;
  if (s == "NaN") return std::nan("");
  if (s.empty()) return std::nullopt;
  std::string_view body = s;
  if (body.front() == '+') body.remove_prefix(1);
  for (const char c : body) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) return std::nullopt;
  }
  double v = 0;
  auto r = std::from_chars(body.data(), body.data() + body.size(), v);
  if (r.ec != std::errc{} || r.ptr != body.data() + body.size()) return std::nullopt;
  return v;
}

// Unescapes `s`; allowed escapes: \\ and \n, plus \" when `quote` is set.
inline std::optional<std::string> unescape(std::string_view s, bool quote) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    if (++i == s.size()) return std::nullopt;
    if (s[i] == '\\') out += '\\';
    else if (s[i] == 'n') out += '\n';
    else if (s[i] == '"' && quote) out += '"';
    else return std::nullopt;
  }
  return out;
}

inline std::string strip_suffix(const std::string& name, std::string_view suffix) {
  return name.ends_with(suffix) ? name.substr(0, name.size() - suffix.size()) : std::string();
}

// Which family a sample name belongs to, given the family's name and type.
inline bool sample_belongs(const Family& f, const std::string& sample, bool om) {
  if (f.type == "counter") return om ? (sample == f.name + "_total" || sample == f.name + "_created") : sample == f.name;
  if (f.type == "histogram") {
    return sample == f.name + "_bucket" || sample == f.name + "_sum" || sample == f.name + "_count" ||
           (om && sample == f.name + "_created");
  }
  return sample == f.name;
}

inline Parsed parse(std::string_view text, bool om) {
  Parsed p;
  auto fail = [&](std::string msg, std::string_view line) {
    p.error = msg + " in line: " + std::string(line);
    return p;
  };
  if (text.empty() || text.back() != '\n') return fail("does not end with a newline", "");
  std::set<std::string> closed;  // families already finished
  std::set<std::string> series;
  Family* current = nullptr;
  bool seen_eof = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (seen_eof) return fail("content after # EOF", line);
    if (line.empty()) return fail("empty line", line);
    if (line.find('\r') != std::string_view::npos) return fail("carriage return", line);
    if (line.starts_with("#")) {
      if (om && line == "# EOF") {
        seen_eof = true;
        continue;
      }
      if (!line.starts_with("# HELP ") && !line.starts_with("# TYPE ") && !line.starts_with("# UNIT ")) {
        if (om) return fail("unknown comment", line);
        continue;
      }
      if (!om && line.starts_with("# UNIT ")) return fail("UNIT in 0.0.4", line);
      const std::string_view kind = line.substr(2, 4);
      std::string_view rest = line.substr(7);
      const auto sp = rest.find(' ');
      const std::string name(rest.substr(0, sp));
      const std::string_view arg = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
      if (!valid_name(name, true)) return fail("bad metric name", line);
      if (current == nullptr || current->name != name) {
        if (closed.count(name) != 0) return fail("family not contiguous", line);
        if (current != nullptr) closed.insert(current->name);
        p.families.push_back(Family{name, "", "", "", {}});
        current = &p.families.back();
      }
      if (!current->samples.empty()) return fail("metadata after samples", line);
      if (kind == "HELP") {
        if (!current->help.empty()) return fail("second HELP", line);
        auto h = unescape(arg, om);
        if (!h) return fail("bad HELP escape", line);
        current->help = *h;
      } else if (kind == "TYPE") {
        if (!current->type.empty()) return fail("second TYPE", line);
        static const std::set<std::string_view> types_004{"counter", "gauge", "histogram", "summary", "untyped"};
        static const std::set<std::string_view> types_om{"counter", "gauge", "histogram", "summary", "unknown",
                                                         "stateset", "info", "gaugehistogram"};
        if ((om ? types_om : types_004).count(arg) == 0) return fail("bad TYPE", line);
        current->type = std::string(arg);
      } else {
        if (!current->unit.empty()) return fail("second UNIT", line);
        if (!name.ends_with("_" + std::string(arg))) return fail("UNIT is not the name suffix", line);
        current->unit = std::string(arg);
      }
      continue;
    }
    // Sample line.
    Sample s;
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = std::string(line.substr(0, i));
    if (!valid_name(s.name, true)) return fail("bad sample name", line);
    if (i < line.size() && line[i] == '{') {
      ++i;
      std::set<std::string> label_names;
      while (i < line.size() && line[i] != '}') {
        std::size_t eq = line.find('=', i);
        if (eq == std::string_view::npos) return fail("label without =", line);
        const std::string ln(line.substr(i, eq - i));
        if (!valid_name(ln, false) || !label_names.insert(ln).second) return fail("bad or duplicate label name", line);
        if (eq + 1 >= line.size() || line[eq + 1] != '"') return fail("label value not quoted", line);
        std::size_t j = eq + 2;
        while (j < line.size() && line[j] != '"') j += (line[j] == '\\') ? 2 : 1;
        if (j >= line.size()) return fail("unterminated label value", line);
        auto v = unescape(line.substr(eq + 2, j - eq - 2), true);
        if (!v) return fail("bad label escape", line);
        s.labels.emplace_back(ln, *v);
        i = j + 1;
        if (i < line.size() && line[i] == ',') {
          ++i;
          if (om && i < line.size() && line[i] == '}') return fail("trailing comma", line);
        }
      }
      if (i >= line.size()) return fail("unterminated label set", line);
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') return fail("no value", line);
    std::string_view rest = line.substr(i + 1);
    const auto sp = rest.find(' ');
    s.value_text = std::string(rest.substr(0, sp));
    auto v = parse_float(s.value_text);
    if (!v) return fail("bad value", line);
    s.value = *v;
    if (sp != std::string_view::npos) {
      const auto ts = rest.substr(sp + 1);
      if (!parse_float(ts) || ts.find(' ') != std::string_view::npos) return fail("bad timestamp", line);
      if (!om && ts.find_first_of(".eE") != std::string_view::npos) return fail("0.0.4 timestamps are int ms", line);
    }
    if (current == nullptr || current->type.empty()) return fail("sample before TYPE", line);
    if (!sample_belongs(*current, s.name, om)) return fail("sample outside its family", line);
    std::string key = s.name;
    for (const auto& [n, val] : s.labels) key += "\x01" + n + "=" + val;
    if (!series.insert(key).second) return fail("duplicate series", line);
    current->samples.push_back(std::move(s));
  }
  if (om && !seen_eof) return fail("missing # EOF", "");
  // Histogram invariants per label set (without le).
  for (const auto& f : p.families) {
    if (f.type == "counter" && om) {
      for (const auto& s : f.samples) {
        if (s.name.ends_with("_total") && (s.value < 0 || std::isnan(s.value))) return fail("negative counter", s.name);
      }
    }
    if (f.type != "histogram") continue;
    std::map<std::string, std::vector<std::pair<double, double>>> buckets;
    std::map<std::string, double> counts;
    for (const auto& s : f.samples) {
      std::string key;
      std::optional<std::string> le;
      for (const auto& [n, val] : s.labels) {
        if (n == "le") le = val;
        else key += n + "=" + val + ",";
      }
      if (s.name == f.name + "_bucket") {
        if (!le) return fail("bucket without le", s.name);
        auto bound = parse_float(*le);
        if (!bound) return fail("bad le", *le);
        if (om && le->find_first_of(".eIN") == std::string::npos) return fail("le not canonical", *le);
        if (s.value_text.find_first_of(".eE") != std::string::npos) return fail("bucket count not an integer", s.value_text);
        buckets[key].emplace_back(*bound, s.value);
      } else if (le) {
        return fail("le on a non-bucket sample", s.name);
      } else if (s.name == f.name + "_count") {
        counts[key] = s.value;
      }
    }
    for (const auto& [key, list] : buckets) {
      for (std::size_t k = 1; k < list.size(); ++k) {
        if (!(list[k - 1].first < list[k].first)) return fail("le not increasing", f.name);
        if (list[k - 1].second > list[k].second) return fail("buckets not cumulative", f.name);
      }
      if (list.empty() || !std::isinf(list.back().first)) return fail("no +Inf bucket", f.name);
      if (counts.count(key) == 0 || counts[key] != list.back().second) return fail("+Inf bucket != _count", f.name);
    }
  }
  return p;
}

}  // namespace exposition
