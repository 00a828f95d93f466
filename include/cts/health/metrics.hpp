#pragma once
/// \file
/// Hot-path metric instruments: Counter, Gauge and Histogram. Every update is a few
/// relaxed atomic operations: no lock, no allocation, safe from any thread. Readers
/// (the exposition) take snapshots that are consistent enough for Prometheus: a
/// histogram's count is the sum of its buckets by construction, so `+Inf == _count`.

#include <algorithm>
#include <atomic>
#include <cassert>
#include <chrono>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "cts/core/clock.hpp"

namespace cts::health {

namespace detail {
/// A per-thread stripe index in [0, 8): threads are assigned round-robin on first use,
/// so up to eight threads update disjoint cache lines.
inline std::size_t thread_stripe() noexcept {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t stripe = next.fetch_add(1, std::memory_order_relaxed) & 7U;
  return stripe;
}
}  // namespace detail

/// A monotonically increasing integer count (events, bytes, orders). Striped over
/// eight cache lines so that concurrent writers do not contend; inc() is one relaxed
/// fetch_add. A negative increment is a programming error (asserted in debug builds).
class Counter {
 public:
  /// Adds `n` (default 1). Lock-free, wait-free, no allocation.
  template <std::integral T = std::uint64_t>
  void inc(T n = 1) noexcept {
    if constexpr (std::is_signed_v<T>) assert(n >= 0 && "Counter::inc: negative increment");
    cells_[detail::thread_stripe()].value.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
  }
  /// Raises the count to `total`, a running total kept elsewhere (e.g. an executor's
  /// statistics); a `total` at or below the current count changes nothing, so the
  /// counter never goes down. Meant for one writer: a concurrent inc() may be counted twice.
  void advance_to(std::uint64_t total) noexcept {
    const std::uint64_t current = value();
    if (total > current) inc(total - current);
  }
  /// The current total (sum of the stripes; concurrent increments may or may not be seen).
  [[nodiscard]] std::uint64_t value() const noexcept {
    std::uint64_t total = 0;
    for (const auto& c : cells_) total += c.value.load(std::memory_order_relaxed);
    return total;
  }

 private:
  struct alignas(64) Cell {
    std::atomic<std::uint64_t> value{0};
  };
  Cell cells_[8];
};

/// A value that goes up and down (queue depth, last price age, open orders).
/// set() and add() are single atomic operations on a double.
class Gauge {
 public:
  /// Sets the value.
  void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
  /// Adds `delta` (may be negative).
  void add(double delta) noexcept { value_.fetch_add(delta, std::memory_order_relaxed); }
  /// Sets the value to the clock's wall time in seconds since the Unix epoch.
  template <Clock C>
  void set_to_now(const C& clock) noexcept {
    set(std::chrono::duration<double>(clock.system_now().time_since_epoch()).count());
  }
  /// The current value.
  [[nodiscard]] double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// A consistent copy of a histogram: cumulative bucket counts, the sum and the count.
struct HistogramSnapshot {
  std::vector<double> bounds;               ///< Finite upper bounds, strictly increasing.
  std::vector<std::uint64_t> cumulative;    ///< Count <= bounds[i]; one extra entry for +Inf.
  double sum = 0;                           ///< Sum of observed values.
  std::uint64_t count = 0;                  ///< Equals cumulative.back().
};

/// The value below which a fraction `q` (0..1) of the observations in `h` fall,
/// estimated as Prometheus' histogram_quantile() does: the bucket holding rank q·count,
/// interpolated linearly between its lower bound (the previous bound, 0 for the first)
/// and its upper bound; a rank in the +Inf bucket gives the highest finite bound.
/// Nothing when `h` holds no observation (or no finite bound).
inline std::optional<double> histogram_quantile(double q, const HistogramSnapshot& h) {
  if (h.count == 0 || h.bounds.empty() || h.cumulative.size() != h.bounds.size() + 1) return std::nullopt;
  const double rank = std::clamp(q, 0.0, 1.0) * static_cast<double>(h.count);
  for (std::size_t i = 0; i < h.bounds.size(); ++i) {
    if (static_cast<double>(h.cumulative[i]) < rank) continue;
    const double lower = i == 0 ? 0.0 : h.bounds[i - 1];
    const double below = i == 0 ? 0.0 : static_cast<double>(h.cumulative[i - 1]);
    const double in_bucket = static_cast<double>(h.cumulative[i]) - below;
    if (in_bucket <= 0) return lower;
    return lower + (h.bounds[i] - lower) * (rank - below) / in_bucket;
  }
  return h.bounds.back();
}

/// The observations `later` holds beyond `earlier` (two snapshots of one histogram,
/// or of histograms with the same bounds, `earlier` taken first): what happened between
/// them. A count that went down (a reset) counts `later` alone.
inline HistogramSnapshot histogram_difference(const HistogramSnapshot& later, const HistogramSnapshot& earlier) {
  if (earlier.bounds != later.bounds || earlier.count > later.count) return later;
  HistogramSnapshot out = later;
  for (std::size_t i = 0; i < out.cumulative.size() && i < earlier.cumulative.size(); ++i) {
    out.cumulative[i] -= std::min(out.cumulative[i], earlier.cumulative[i]);
  }
  out.count -= earlier.count;
  out.sum -= earlier.sum;
  return out;
}

/// A Prometheus histogram with fixed `le` bounds. observe() is a search over the
/// bounds plus two relaxed atomic updates; there is no mutex (prometheus-cpp takes one
/// per observation).
class Histogram {
 public:
  /// A histogram with the given finite, strictly increasing upper bounds (the +Inf
  /// bucket is implicit). Throws std::invalid_argument on unsorted or non-finite bounds.
  explicit Histogram(std::span<const double> bounds)
      : bounds_(bounds.begin(), bounds.end()), buckets_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
      if (!std::isfinite(bounds_[i]) || (i > 0 && !(bounds_[i - 1] < bounds_[i]))) {
        throw std::invalid_argument("Histogram: bounds must be finite and strictly increasing");
      }
    }
    for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
  }

  /// Records one observation of `v`. NaN goes to the +Inf bucket and poisons the sum,
  /// as in Prometheus.
  void observe(double v) noexcept {
    const std::size_t n = bounds_.size();
    std::size_t i = 0;
    if (n <= 16) {
      while (i < n && !(v <= bounds_[i])) ++i;
    } else {
      i = static_cast<std::size_t>(
          std::partition_point(bounds_.begin(), bounds_.end(), [v](double b) { return !(v <= b); }) - bounds_.begin());
    }
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
  }

  /// The finite bounds.
  [[nodiscard]] std::span<const double> bounds() const noexcept { return bounds_; }

  /// A snapshot: cumulative buckets, count = the +Inf bucket, the sum.
  [[nodiscard]] HistogramSnapshot snapshot() const {
    HistogramSnapshot s;
    s.bounds = bounds_;
    s.cumulative.resize(bounds_.size() + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
      running += buckets_[i].load(std::memory_order_relaxed);
      s.cumulative[i] = running;
    }
    s.count = running;
    s.sum = sum_.load(std::memory_order_relaxed);
    return s;
  }

  /// `count` bounds starting at `start`, each `factor` times the previous
  /// (Prometheus ExponentialBuckets). Throws std::invalid_argument on bad arguments.
  static std::vector<double> exponential_bounds(double start, double factor, std::size_t count) {
    if (!(start > 0) || !(factor > 1) || count == 0) throw std::invalid_argument("exponential_bounds: bad arguments");
    std::vector<double> out(count);
    for (std::size_t i = 0; i < count; ++i, start *= factor) out[i] = start;
    return out;
  }
  /// `count` bounds `start, start+width, ...` (Prometheus LinearBuckets).
  static std::vector<double> linear_bounds(double start, double width, std::size_t count) {
    if (!(width > 0) || count == 0) throw std::invalid_argument("linear_bounds: bad arguments");
    std::vector<double> out(count);
    for (std::size_t i = 0; i < count; ++i) out[i] = start + width * static_cast<double>(i);
    return out;
  }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<double> sum_{0.0};
};

}  // namespace cts::health
