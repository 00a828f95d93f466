#pragma once
/// \file
/// Internal: number formatting for the exposition formats, written with std::to_chars
/// (shortest round-trip digits) and laid out like Go's strconv.FormatFloat(v, 'g', -1)
/// so that the output matches what Prometheus' own client libraries write.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace cts::health::detail {

/// `v` as Go's %g with shortest digits: "+Inf", "-Inf", "NaN", "1e+06", "0.001", "42".
inline void append_go_float(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  const std::string_view sci_text(buf, static_cast<std::size_t>(sci.ptr - buf));
  const auto e = sci_text.find('e');
  int exponent = 0;
  std::from_chars(sci_text.data() + e + (sci_text[e + 1] == '+' ? 2 : 1), sci_text.data() + sci_text.size(), exponent);
  if (exponent < -4 || exponent >= 6) {
    out += sci_text;
    return;
  }
  auto fixed = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  out.append(buf, fixed.ptr);
}

/// The canonical form of an `le` or `quantile` label value (OpenMetrics): Go %g with
/// ".0" appended when the result would otherwise read as an integer ("1.0", "0.001",
/// "1e+06", "+Inf").
inline std::string canonical_bound(double v) {
  std::string out;
  append_go_float(out, v);
  if (out.find_first_of(".eIN") == std::string::npos) out += ".0";
  return out;
}

/// Appends the decimal digits of `v`.
inline void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

}  // namespace cts::health::detail
