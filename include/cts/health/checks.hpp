#pragma once
/// \file
/// Health checks: the Check interface and the built-in checks a trading engine needs
/// (heartbeat and market-data staleness, clock skew against the venue, rate-limit
/// headroom and ban state, orders with unknown outcome, numeric thresholds, callbacks).
/// Update methods (beat(), set(), record_offset(), ...) are lock-free and may be called
/// from hot paths on any thread; probe() runs on the monitor thread.

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/health/hysteresis.hpp"
#include "cts/health/status.hpp"

namespace cts::health {

/// One probe outcome, renderable as an IETF health+json `checks` entry.
struct CheckResult {
  Status status = Status::unknown;            ///< The raw (not yet debounced) status.
  std::optional<double> observed_value;       ///< The measured value, if any.
  std::string observed_unit;                  ///< Its unit, e.g. "ms", "percent".
  SystemTime time{};                          ///< When it was measured (wall time).
  std::string output;                         ///< Why it is not pass; empty on pass.
};

/// A health check. probe() must not block. An Error return is a *probe error* (the
/// check could not run): it does not count as a failure, but a check that keeps
/// erroring becomes unknown once its result is older than the staleness limit.
class Check {
 public:
  virtual ~Check() = default;
  /// Measures now (`now` monotonic, `wall` UTC).
  virtual Result<CheckResult> probe(SteadyTime now, SystemTime wall) = 0;
};

namespace detail {
inline std::int64_t to_ns(SteadyTime t) noexcept { return std::chrono::duration_cast<Nanos>(t.time_since_epoch()).count(); }
inline double to_ms(Nanos d) noexcept { return std::chrono::duration<double, std::milli>(d).count(); }
inline CheckResult make_result(Status s, std::optional<double> value, std::string unit, SystemTime wall,
                               std::string output) {
  return CheckResult{s, value, std::move(unit), wall, s == Status::pass ? std::string() : std::move(output)};
}
}  // namespace detail

/// The age of the last update (a heartbeat, a market-data message) against warn and
/// fail limits. Outside the optional active window (market hours) it passes. Before
/// the first update it is unknown.
class StalenessCheck final : public Check {
 public:
  /// Limits and the optional active window (wall-time predicate; empty = always).
  struct Config {
    Nanos warn_after{std::chrono::seconds{1}};      ///< Age at which the check warns.
    Nanos fail_after{std::chrono::seconds{5}};      ///< Age at which it fails.
    std::function<bool(SystemTime)> active;         ///< When staleness matters.
  };
  /// Throws std::invalid_argument unless 0 < warn_after <= fail_after.
  explicit StalenessCheck(Config config) : config_(std::move(config)) {
    if (config_.warn_after <= Nanos::zero() || config_.fail_after < config_.warn_after) {
      throw std::invalid_argument("StalenessCheck: need 0 < warn_after <= fail_after");
    }
  }
  /// Records an update at `at`. Lock-free.
  void update(SteadyTime at) noexcept { last_ns_.store(detail::to_ns(at), std::memory_order_release); }
  /// Age in ms as observed value; pass, warn or fail by the limits.
  Result<CheckResult> probe(SteadyTime now, SystemTime wall) override {
    if (config_.active && !config_.active(wall)) {
      return detail::make_result(Status::pass, std::nullopt, "", wall, "");
    }
    const std::int64_t last = last_ns_.load(std::memory_order_acquire);
    if (last == kNever) return detail::make_result(Status::unknown, std::nullopt, "", wall, "no update received yet");
    const Nanos age{detail::to_ns(now) - last};
    const Status s = age >= config_.fail_after ? Status::fail : age >= config_.warn_after ? Status::warn : Status::pass;
    return detail::make_result(s, detail::to_ms(age), "ms", wall,
                               fmt::format("last update {:.0f} ms ago", detail::to_ms(age)));
  }

 private:
  static constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::min();
  Config config_;
  std::atomic<std::int64_t> last_ns_{kNever};
};

/// A heartbeat is a staleness check without an active window: update() on every beat.
using HeartbeatCheck = StalenessCheck;

/// A numeric value against Schmitt thresholds (latency p99, reject ratio, backlog).
/// Unknown until the first set().
class ThresholdCheck : public Check {
 public:
  /// Thresholds and the unit reported with the value.
  ThresholdCheck(HysteresisThresholds thresholds, std::string unit)
      : hysteresis_(thresholds), unit_(std::move(unit)) {}
  /// Publishes a new value. Lock-free.
  void set(double value) noexcept {
    value_.store(value, std::memory_order_relaxed);
    has_value_.store(true, std::memory_order_release);
  }
  /// The value's band.
  Result<CheckResult> probe(SteadyTime, SystemTime wall) override {
    if (!has_value_.load(std::memory_order_acquire)) {
      return detail::make_result(Status::unknown, std::nullopt, unit_, wall, "no value yet");
    }
    const double v = value_.load(std::memory_order_relaxed);
    if (std::isnan(v)) return make_error(ErrorCode::invalid_argument, "ThresholdCheck: value is NaN");
    const Status s = hysteresis_.classify(v);
    return detail::make_result(s, v, unit_, wall, fmt::format("value {} {}", v, unit_));
  }

 private:
  ValueHysteresis hysteresis_;
  std::string unit_;
  std::atomic<double> value_{0.0};
  std::atomic<bool> has_value_{false};
};

/// Orders whose outcome is unknown (sent, no reply, not yet reconciled): warn from
/// `warn_at`, fail from `fail_at`, clear when back to 0.
class UnknownOrdersCheck final : public ThresholdCheck {
 public:
  /// Throws std::invalid_argument unless 1 <= warn_at <= fail_at.
  explicit UnknownOrdersCheck(std::uint32_t warn_at = 1, std::uint32_t fail_at = 3)
      : ThresholdCheck(thresholds(warn_at, fail_at), "orders") {}
  /// Publishes the current count.
  void set_count(std::uint32_t count) noexcept { set(static_cast<double>(count)); }

 private:
  static HysteresisThresholds thresholds(std::uint32_t warn_at, std::uint32_t fail_at) {
    if (warn_at < 1 || fail_at < warn_at) throw std::invalid_argument("UnknownOrdersCheck: need 1 <= warn_at <= fail_at");
    return {Worse::higher, double(warn_at), 0.5, double(fail_at), double(fail_at) - 0.5};
  }
};

/// The local clock's offset against a venue's server time, |offset| against Schmitt
/// thresholds in ms. Unknown until the first measurement.
class ClockSkewCheck final : public Check {
 public:
  /// Thresholds on |offset| in milliseconds (Worse::higher is enforced).
  explicit ClockSkewCheck(HysteresisThresholds thresholds_ms) : hysteresis_(with_higher(thresholds_ms)) {}
  /// The offset estimate from one server-time round trip: server time minus the
  /// midpoint of the local send and receive wall times (NTP's symmetric assumption).
  static Nanos offset_from(SystemTime server_time, SystemTime sent, SystemTime received) noexcept {
    const auto midpoint = sent + (received - sent) / 2;
    return std::chrono::duration_cast<Nanos>(server_time - midpoint);
  }
  /// Records an offset measurement. Lock-free.
  void record_offset(Nanos offset) noexcept {
    offset_ns_.store(offset.count(), std::memory_order_relaxed);
    has_value_.store(true, std::memory_order_release);
  }
  /// The band of |offset|; the signed offset in ms is the observed value.
  Result<CheckResult> probe(SteadyTime, SystemTime wall) override {
    if (!has_value_.load(std::memory_order_acquire)) {
      return detail::make_result(Status::unknown, std::nullopt, "ms", wall, "no offset measured yet");
    }
    const double ms = detail::to_ms(Nanos{offset_ns_.load(std::memory_order_relaxed)});
    const Status s = hysteresis_.classify(std::abs(ms));
    return detail::make_result(s, ms, "ms", wall, fmt::format("clock offset {:.3f} ms against the venue", ms));
  }

 private:
  static HysteresisThresholds with_higher(HysteresisThresholds t) noexcept {
    t.worse = Worse::higher;
    return t;
  }
  ValueHysteresis hysteresis_;
  std::atomic<std::int64_t> offset_ns_{0};
  std::atomic<bool> has_value_{false};
};

/// Rate-limit headroom (percent of the venue's budget left) with Schmitt thresholds;
/// a 429 forces at least warn until its Retry-After expires; a ban (Binance 418) fails
/// until it expires. Unknown until the first update.
class HeadroomCheck final : public Check {
 public:
  /// Thresholds on the remaining percentage (Worse::lower is enforced), e.g.
  /// warn at or below 20, clear above 30, fail at or below 5, clear above 10.
  explicit HeadroomCheck(HysteresisThresholds thresholds_percent) : hysteresis_(with_lower(thresholds_percent)) {}
  /// Publishes usage: `used` of `limit` units. Lock-free. limit 0 is ignored.
  void update(double used, double limit) noexcept {
    if (!(limit > 0)) return;
    headroom_.store(std::max(0.0, (limit - used) / limit * 100.0), std::memory_order_relaxed);
    has_value_.store(true, std::memory_order_release);
  }
  /// A 429 was received; at least warn until `until`.
  void on_rate_limited(SteadyTime until) noexcept { throttled_until_.store(detail::to_ns(until), std::memory_order_relaxed); }
  /// The venue banned us (HTTP 418 or equivalent); fail until `until`.
  void on_banned(SteadyTime until) noexcept { banned_until_.store(detail::to_ns(until), std::memory_order_relaxed); }
  /// Ban first, then the headroom band, raised to warn while throttled.
  Result<CheckResult> probe(SteadyTime now, SystemTime wall) override {
    const std::int64_t t = detail::to_ns(now);
    if (banned_until_.load(std::memory_order_relaxed) > t) {
      return detail::make_result(Status::fail, std::nullopt, "percent", wall, "banned by the venue (418)");
    }
    const bool throttled = throttled_until_.load(std::memory_order_relaxed) > t;
    if (!has_value_.load(std::memory_order_acquire)) {
      return detail::make_result(throttled ? Status::warn : Status::unknown, std::nullopt, "percent", wall,
                                 throttled ? "rate limited (429)" : "no usage reported yet");
    }
    const double h = headroom_.load(std::memory_order_relaxed);
    Status s = hysteresis_.classify(h);
    if (throttled && s == Status::pass) s = Status::warn;
    return detail::make_result(s, h, "percent", wall,
                               fmt::format("{:.1f}% of the rate limit left{}", h, throttled ? ", rate limited (429)" : ""));
  }

 private:
  static HysteresisThresholds with_lower(HysteresisThresholds t) noexcept {
    t.worse = Worse::lower;
    return t;
  }
  ValueHysteresis hysteresis_;
  std::atomic<double> headroom_{100.0};
  std::atomic<bool> has_value_{false};
  std::atomic<std::int64_t> throttled_until_{std::numeric_limits<std::int64_t>::min()};
  std::atomic<std::int64_t> banned_until_{std::numeric_limits<std::int64_t>::min()};
};

/// A check given as a function (for session state, journal lag, anything custom).
class CallbackCheck final : public Check {
 public:
  /// The function to call on each probe; it must not block.
  explicit CallbackCheck(std::function<Result<CheckResult>(SteadyTime, SystemTime)> fn) : fn_(std::move(fn)) {}
  /// Calls the function.
  Result<CheckResult> probe(SteadyTime now, SystemTime wall) override { return fn_(now, wall); }

 private:
  std::function<Result<CheckResult>(SteadyTime, SystemTime)> fn_;
};

}  // namespace cts::health
