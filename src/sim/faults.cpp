// Parsing of the fault-injection spec (`ctsctl sim --faults`).
#include "cts/sim/faults.hpp"

#include <charconv>
#include <string>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"

namespace cts::sim {
namespace {

Result<std::uint32_t> probability_ppm(std::string_view key, std::string_view text) {
  auto d = Decimal::parse(text);
  if (!d || d->is_negative() || *d > Decimal::from_int(1)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("fault {}: probability must be a decimal in [0, 1], got \"{}\"", key, text.substr(0, 32)));
  }
  const Decimal ppm = d->mul(Decimal::from_int(1'000'000), Rounding::half_even).round(0, Rounding::half_even);
  return static_cast<std::uint32_t>(ppm.raw() / Decimal::kOne);
}

Result<std::uint64_t> count(std::string_view key, std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
    return make_error(ErrorCode::invalid_argument, fmt::format("fault {}: expected a whole number, got \"{}\"", key, text.substr(0, 32)));
  }
  return value;
}

}  // namespace

Result<FaultConfig> FaultConfig::parse(std::string_view spec) {
  FaultConfig out;
  while (!spec.empty()) {
    const std::size_t comma = spec.find(',');
    const std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) return make_error(ErrorCode::invalid_argument, fmt::format("fault \"{}\": expected key=value", item.substr(0, 32)));
    const std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
    if (key == "seed") {
      auto v = count(key, value);
      if (!v) return v.error();
      out.seed = *v;
    } else if (key == "delay") {
      const std::size_t at = value.find('@');
      std::string_view duration = value.substr(0, at);
      if (!duration.ends_with("ms")) return make_error(ErrorCode::invalid_argument, "fault delay: expected milliseconds such as 50ms");
      auto ms = count(key, duration.substr(0, duration.size() - 2));
      if (!ms) return ms.error();
      out.delay = std::chrono::milliseconds(static_cast<std::int64_t>(*ms));
      out.delay_ppm = 1'000'000;
      if (at != std::string_view::npos) {
        auto p = probability_ppm(key, value.substr(at + 1));
        if (!p) return p.error();
        out.delay_ppm = *p;
      }
    } else if (key == "burst429") {
      auto v = count(key, value);
      if (!v) return v.error();
      out.burst_429 = static_cast<std::uint32_t>(*v);
    } else if (key == "ws_drop_every") {
      auto v = count(key, value);
      if (!v) return v.error();
      out.ws_drop_every = *v;
    } else if (key == "ws_lost_replies") {
      auto v = count(key, value);
      if (!v) return v.error();
      out.ws_lost_replies = static_cast<std::uint32_t>(*v);
    } else if (key == "lost_order_replies") {
      auto v = count(key, value);
      if (!v) return v.error();
      out.lost_order_replies = static_cast<std::uint32_t>(*v);
    } else {
      std::uint32_t* target = key == "error_before" ? &out.error_before_ppm
                              : key == "error_after" ? &out.error_after_ppm
                              : key == "drop_after"  ? &out.drop_after_ppm
                              : key == "reset"       ? &out.reset_ppm
                              : key == "ws_drop"     ? &out.ws_drop_ppm
                                                     : nullptr;
      if (target == nullptr) {
        return make_error(ErrorCode::invalid_argument,
                          fmt::format("unknown fault \"{}\" (expected seed, delay, error_before, error_after, drop_after, reset, burst429, ws_drop, ws_drop_every, ws_lost_replies or lost_order_replies)", key.substr(0, 32)));
      }
      auto p = probability_ppm(key, value);
      if (!p) return p.error();
      *target = *p;
    }
  }
  return out;
}

}  // namespace cts::sim
