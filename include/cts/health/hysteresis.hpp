#pragma once
/// \file
/// The hysteresis layers of a health check: Debouncer (the kubelet's consecutive-count
/// rule), ValueHysteresis (separate enter and exit thresholds, a Schmitt trigger) and
/// FlapDetector (Nagios' weighted 21-sample state-change percentage).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>

#include "cts/health/status.hpp"

namespace cts::health {

/// Consecutive-count debounce, exactly the kubelet prober's rule: a result equal to the
/// previous one extends the run, another starts a new run of 1; the result is published
/// once a pass run reaches success_threshold or a non-pass run reaches
/// failure_threshold. Initial published value: readiness fail, liveness pass, startup
/// unknown. Probe errors are not results: do not feed them (see Probe).
class Debouncer {
 public:
  /// A debouncer for a check of `kind`. Throws std::invalid_argument when a threshold
  /// is 0, or when success_threshold != 1 for liveness or startup (Kubernetes' rule).
  Debouncer(CheckKind kind, std::uint32_t failure_threshold = 3, std::uint32_t success_threshold = 1)
      : kind_(kind), failure_threshold_(failure_threshold), success_threshold_(success_threshold) {
    if (failure_threshold == 0 || success_threshold == 0) throw std::invalid_argument("Debouncer: thresholds must be >= 1");
    if (kind != CheckKind::readiness && success_threshold != 1) {
      throw std::invalid_argument("Debouncer: success_threshold must be 1 for liveness and startup");
    }
    reset();
  }

  /// Feeds one result; returns the newly published status when it changed.
  std::optional<Status> on_result(Status result) noexcept {
    if (run_ > 0 && result == last_) {
      ++run_;
    } else {
      last_ = result;
      run_ = 1;
    }
    const std::uint32_t needed = result == Status::pass ? success_threshold_ : failure_threshold_;
    if (run_ < needed || result == published_) return std::nullopt;
    published_ = result;
    return published_;
  }
  /// The published status.
  [[nodiscard]] Status published() const noexcept { return published_; }
  /// Length of the current run of equal results.
  [[nodiscard]] std::uint32_t run() const noexcept { return run_; }
  /// Back to the initial published value with no run.
  void reset() noexcept {
    run_ = 0;
    last_ = Status::unknown;
    published_ = kind_ == CheckKind::readiness ? Status::fail
                 : kind_ == CheckKind::liveness ? Status::pass
                                                : Status::unknown;
  }

 private:
  CheckKind kind_;
  std::uint32_t failure_threshold_;
  std::uint32_t success_threshold_;
  std::uint32_t run_ = 0;
  Status last_ = Status::unknown;
  Status published_ = Status::unknown;
};

/// Which way a value gets worse.
enum class Worse : std::uint8_t { higher, lower };

/// Thresholds of a Schmitt trigger over a numeric value: a band is entered at
/// `*_enter` and left only once the value is strictly better than `*_exit`.
struct HysteresisThresholds {
  Worse worse = Worse::higher;  ///< Direction in which the value degrades.
  double warn_enter = 0;        ///< Enter warn at or beyond this value.
  double warn_exit = 0;         ///< Leave warn only when strictly better than this.
  double fail_enter = 0;        ///< Enter fail at or beyond this value.
  double fail_exit = 0;         ///< Leave fail only when strictly better than this.
};

/// Value hysteresis: classify(v) returns pass, warn or fail with memory of the current
/// band, so a value oscillating around one threshold produces one transition.
class ValueHysteresis {
 public:
  /// Throws std::invalid_argument when an exit threshold lies on the worse side of its
  /// enter threshold or fail is entered before warn.
  explicit ValueHysteresis(HysteresisThresholds t) : t_(t) {
    if (better(t.warn_enter, t.warn_exit) || better(t.fail_enter, t.fail_exit) || better(t.fail_enter, t.warn_enter)) {
      throw std::invalid_argument("ValueHysteresis: thresholds out of order");
    }
  }
  /// The status for `v` given the current band; moves the band.
  Status classify(double v) noexcept {
    if (at_or_worse(v, t_.fail_enter) || (band_ == Status::fail && !better(v, t_.fail_exit))) {
      band_ = Status::fail;
    } else if (at_or_worse(v, t_.warn_enter) || (band_ != Status::pass && !better(v, t_.warn_exit))) {
      band_ = Status::warn;
    } else {
      band_ = Status::pass;
    }
    return band_;
  }
  /// The current band.
  [[nodiscard]] Status band() const noexcept { return band_; }

 private:
  [[nodiscard]] bool at_or_worse(double v, double threshold) const noexcept {
    return t_.worse == Worse::higher ? v >= threshold : v <= threshold;
  }
  [[nodiscard]] bool better(double v, double threshold) const noexcept {
    return t_.worse == Worse::higher ? v < threshold : v > threshold;
  }
  HysteresisThresholds t_;
  Status band_ = Status::pass;
};

/// What FlapDetector::observe() saw.
struct FlapEvent {
  /// None, flapping started, or flapping stopped.
  enum class Kind : std::uint8_t { none, started, stopped } kind = Kind::none;
  /// On stopped: the object is healthy and problems were announced while flapping, so
  /// exactly one recovery notification is owed.
  bool send_recovery = false;
};

/// Nagios flap detection (base/flapping.c): the last 21 states; each change at
/// position x (1..20, oldest to newest) weighs 0.75 + (x-1)·0.5/19; percent =
/// 100·Σ/20. Flapping starts at percent >= high and stops at percent <= low; in
/// between the previous verdict stands. Notifications are suppressed while flapping.
class FlapDetector {
 public:
  /// Thresholds in percent; Nagios' sample configuration uses 5 and 20. Throws
  /// std::invalid_argument unless 0 <= low < high <= 100.
  explicit FlapDetector(double low = 5.0, double high = 20.0) : low_(low), high_(high) {
    if (!(low >= 0 && low < high && high <= 100)) throw std::invalid_argument("FlapDetector: need 0 <= low < high <= 100");
  }

  /// Records `s` and reports a start or stop of flapping.
  FlapEvent observe(Status s) noexcept {
    if (count_ == 0) history_.fill(s);
    history_[next_] = s;
    next_ = (next_ + 1) % kSamples;
    ++count_;
    percent_ = compute_percent();
    FlapEvent event;
    if (!flapping_ && percent_ >= high_) {
      flapping_ = true;
      owes_recovery_ = true;
      event.kind = FlapEvent::Kind::started;
    } else if (flapping_ && percent_ <= low_) {
      flapping_ = false;
      event.kind = FlapEvent::Kind::stopped;
      event.send_recovery = owes_recovery_ && s == Status::pass;
      owes_recovery_ = false;
    }
    return event;
  }
  /// The weighted state-change percentage of the window.
  [[nodiscard]] double percent() const noexcept { return percent_; }
  /// True while flapping.
  [[nodiscard]] bool flapping() const noexcept { return flapping_; }

 private:
  static constexpr std::size_t kSamples = 21;
  [[nodiscard]] double compute_percent() const noexcept {
    double weighted = 0;
    Status last = history_[next_];  // oldest sample
    for (std::size_t x = 1; x < kSamples; ++x) {
      const Status s = history_[(next_ + x) % kSamples];
      if (s != last) weighted += 0.75 + static_cast<double>(x - 1) * 0.5 / 19.0;
      last = s;
    }
    return weighted * 100.0 / 20.0;
  }
  double low_;
  double high_;
  std::array<Status, kSamples> history_{};
  std::size_t next_ = 0;
  std::size_t count_ = 0;
  double percent_ = 0;
  bool flapping_ = false;
  bool owes_recovery_ = false;
};

}  // namespace cts::health
