#pragma once
/// \file
/// Injected time. Everything in cts that waits, expires, debounces or limits takes a
/// clock satisfying cts::Clock (or a `now` argument); tests use ManualClock.

#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>

namespace cts {

/// Monotonic time: for intervals, deadlines and rate limits.
using SteadyTime = std::chrono::steady_clock::time_point;
/// Wall-clock (UTC) time: for venue timestamps and journals.
using SystemTime = std::chrono::system_clock::time_point;
/// Nanoseconds, the duration unit of both time points.
using Nanos = std::chrono::nanoseconds;

/// A source of both monotonic and wall-clock time.
template <class C>
concept Clock = requires(const C& clock) {
  { clock.steady_now() } -> std::same_as<SteadyTime>;
  { clock.system_now() } -> std::same_as<SystemTime>;
};

/// A clock whose time is the machine's: monotonic and wall time from std::chrono.
/// Stateless; `SteadyClock` and `SystemClock` name the same source for readability.
struct RealClock {
  /// std::chrono::steady_clock::now().
  [[nodiscard]] SteadyTime steady_now() const noexcept { return std::chrono::steady_clock::now(); }
  /// std::chrono::system_clock::now().
  [[nodiscard]] SystemTime system_now() const noexcept { return std::chrono::system_clock::now(); }
};

/// The real clock, named for code that cares about monotonic time.
using SteadyClock = RealClock;
/// The real clock, named for code that cares about wall time.
using SystemClock = RealClock;

/// A clock that moves only when told to. Thread-safe: reads and advances are atomic, so
/// threaded tests may share one. Starts at steady epoch + 1 s and the given wall time.
class ManualClock {
 public:
  /// A clock whose wall time starts at `wall_start` (default 2024-01-01T00:00:00Z).
  explicit ManualClock(SystemTime wall_start = SystemTime{std::chrono::seconds{1'704'067'200}}) noexcept
      : steady_ns_(std::chrono::nanoseconds(std::chrono::seconds{1}).count()),
        wall_offset_ns_(std::chrono::duration_cast<Nanos>(wall_start.time_since_epoch()).count() -
                        std::chrono::nanoseconds(std::chrono::seconds{1}).count()) {}

  /// The current monotonic time.
  [[nodiscard]] SteadyTime steady_now() const noexcept {
    return SteadyTime{std::chrono::duration_cast<SteadyTime::duration>(Nanos{steady_ns_.load(std::memory_order_acquire)})};
  }
  /// The current wall time; it moves with advance() and can be stepped with set_wall().
  [[nodiscard]] SystemTime system_now() const noexcept {
    const std::int64_t ns = steady_ns_.load(std::memory_order_acquire) + wall_offset_ns_.load(std::memory_order_acquire);
    return SystemTime{std::chrono::duration_cast<SystemTime::duration>(Nanos{ns})};
  }
  /// Moves both times forward by `by` (a negative duration moves them back: tests of
  /// clocks that step backwards use it).
  void advance(Nanos by) noexcept { steady_ns_.fetch_add(by.count(), std::memory_order_acq_rel); }
  /// Sets the monotonic time; wall time keeps its offset.
  void set(SteadyTime at) noexcept {
    steady_ns_.store(std::chrono::duration_cast<Nanos>(at.time_since_epoch()).count(), std::memory_order_release);
  }
  /// Steps the wall time to `at` without touching monotonic time (an NTP step).
  void set_wall(SystemTime at) noexcept {
    wall_offset_ns_.store(std::chrono::duration_cast<Nanos>(at.time_since_epoch()).count() -
                              steady_ns_.load(std::memory_order_acquire),
                          std::memory_order_release);
  }

 private:
  std::atomic<std::int64_t> steady_ns_;
  std::atomic<std::int64_t> wall_offset_ns_;
};

static_assert(Clock<RealClock>);
static_assert(Clock<ManualClock>);

/// Milliseconds since the Unix epoch, the unit most venues use for timestamps.
constexpr std::int64_t to_unix_millis(SystemTime t) noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
/// The SystemTime for `millis` since the Unix epoch.
constexpr SystemTime from_unix_millis(std::int64_t millis) noexcept {
  return SystemTime{std::chrono::duration_cast<SystemTime::duration>(std::chrono::milliseconds{millis})};
}

}  // namespace cts
