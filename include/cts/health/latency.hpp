#pragma once
/// \file
/// LatencyHistogram: an HDR-style histogram (a header-only re-implementation of the
/// HdrHistogram bucket layout) for percentiles with bounded relative error, fixed
/// memory and O(1) recording; IntervalRecorder: two of them behind a writer/reader
/// phaser so that a reader can take interval snapshots without losing samples.

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

namespace cts::health {

/// A histogram of positive integers (typically nanoseconds) in [1, highest] with
/// `significant_digits` (1..5) decimal digits of precision: every value is counted in a
/// bucket whose width is at most value / 10^digits. record() is two relaxed atomic
/// increments (count and sum): it may be called from any thread. Values above `highest` are clamped to
/// it and counted in clamped().
class LatencyHistogram {
 public:
  /// A histogram covering [1, highest] with the given precision. Throws
  /// std::invalid_argument when highest < 2 or digits is outside 1..5.
  LatencyHistogram(std::int64_t highest, int significant_digits) : highest_(highest), digits_(significant_digits) {
    if (highest < 2 || significant_digits < 1 || significant_digits > 5) {
      throw std::invalid_argument("LatencyHistogram: highest must be >= 2 and digits in 1..5");
    }
    std::int64_t largest_single_unit = 2;
    for (int i = 0; i < significant_digits; ++i) largest_single_unit *= 10;
    const int sub_bucket_count_magnitude = static_cast<int>(std::ceil(std::log2(static_cast<double>(largest_single_unit))));
    sub_bucket_half_count_magnitude_ = std::max(sub_bucket_count_magnitude, 1) - 1;
    sub_bucket_count_ = std::int64_t{1} << (sub_bucket_half_count_magnitude_ + 1);
    sub_bucket_half_count_ = sub_bucket_count_ / 2;
    sub_bucket_mask_ = static_cast<std::uint64_t>(sub_bucket_count_ - 1);
    std::int64_t smallest_untrackable = sub_bucket_count_;
    int buckets_needed = 1;
    while (smallest_untrackable <= highest) {
      if (smallest_untrackable > INT64_MAX / 2) {
        ++buckets_needed;
        break;
      }
      smallest_untrackable <<= 1;
      ++buckets_needed;
    }
    counts_len_ = static_cast<std::size_t>((buckets_needed + 1) * sub_bucket_half_count_);
    counts_ = std::make_unique<std::atomic<std::uint64_t>[]>(counts_len_);
    reset();
  }

  /// Records `value` once (values < 1 count as 1, values > highest as highest).
  void record(std::int64_t value) noexcept { record_n(value, 1); }
  /// Records `value` `n` times.
  void record_n(std::int64_t value, std::uint64_t n) noexcept {
    if (value > highest_) {
      value = highest_;
      clamped_.fetch_add(n, std::memory_order_relaxed);
    }
    value = std::max<std::int64_t>(value, 1);
    counts_[index_of(value)].fetch_add(n, std::memory_order_relaxed);
    sum_.fetch_add(static_cast<std::uint64_t>(value) * n, std::memory_order_relaxed);
  }
  /// Records `value` and, when it exceeds `expected_interval`, the samples a
  /// coordinated-omission-free load generator would have seen during the stall:
  /// value - k·expected_interval for every k while that is >= expected_interval.
  void record_corrected(std::int64_t value, std::int64_t expected_interval) noexcept {
    record(value);
    if (expected_interval <= 0) return;
    for (std::int64_t missing = value - expected_interval; missing >= expected_interval; missing -= expected_interval) {
      record(missing);
    }
  }

  /// Total number of recorded values.
  [[nodiscard]] std::uint64_t total_count() const noexcept {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < counts_len_; ++i) total += counts_[i].load(std::memory_order_relaxed);
    return total;
  }
  /// Sum of the recorded values (after clamping), exact.
  [[nodiscard]] std::uint64_t sum() const noexcept { return sum_.load(std::memory_order_relaxed); }
  /// Values that were above highest and recorded as highest.
  [[nodiscard]] std::uint64_t clamped() const noexcept { return clamped_.load(std::memory_order_relaxed); }

  /// The value at percentile `p` in [0, 100]: the highest value equivalent to the
  /// bucket holding the ceil-rounded rank (HdrHistogram's hdr_value_at_percentile).
  /// 0 when empty.
  [[nodiscard]] std::int64_t percentile(double p) const noexcept {
    const std::uint64_t total = total_count();
    if (total == 0) return 0;
    p = std::clamp(p, 0.0, 100.0);
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(p / 100.0 * static_cast<double>(total) + 0.5));
    std::uint64_t running = 0;
    for (std::size_t i = 0; i < counts_len_; ++i) {
      running += counts_[i].load(std::memory_order_relaxed);
      if (running >= rank) return std::min(highest_equivalent(value_at_index(i)), highest_);
    }
    return highest_;
  }
  /// The smallest recorded value (its bucket's lowest equivalent), 0 when empty.
  [[nodiscard]] std::int64_t min() const noexcept {
    for (std::size_t i = 0; i < counts_len_; ++i) {
      if (counts_[i].load(std::memory_order_relaxed) != 0) return value_at_index(i);
    }
    return 0;
  }
  /// The largest recorded value (its bucket's highest equivalent), 0 when empty.
  [[nodiscard]] std::int64_t max() const noexcept {
    for (std::size_t i = counts_len_; i-- > 0;) {
      if (counts_[i].load(std::memory_order_relaxed) != 0) return std::min(highest_equivalent(value_at_index(i)), highest_);
    }
    return 0;
  }
  /// Cumulative counts at each of `bounds` (values <= bound, by bucket upper edge) for
  /// export as a Prometheus histogram; one extra final entry holds the total.
  [[nodiscard]] std::vector<std::uint64_t> to_buckets(std::span<const std::int64_t> bounds) const {
    std::vector<std::uint64_t> out(bounds.size() + 1, 0);
    for (std::size_t i = 0; i < counts_len_; ++i) {
      const std::uint64_t c = counts_[i].load(std::memory_order_relaxed);
      if (c == 0) continue;
      const std::int64_t v = highest_equivalent(value_at_index(i));
      for (std::size_t b = 0; b < bounds.size(); ++b) {
        if (v <= bounds[b]) out[b] += c;
      }
      out.back() += c;
    }
    return out;
  }
  /// Adds every count of `other` (same layout required; throws std::invalid_argument).
  void add(const LatencyHistogram& other) {
    if (other.counts_len_ != counts_len_ || other.highest_ != highest_) {
      throw std::invalid_argument("LatencyHistogram::add: different layouts");
    }
    for (std::size_t i = 0; i < counts_len_; ++i) {
      counts_[i].fetch_add(other.counts_[i].load(std::memory_order_relaxed), std::memory_order_relaxed);
    }
    clamped_.fetch_add(other.clamped(), std::memory_order_relaxed);
    sum_.fetch_add(other.sum(), std::memory_order_relaxed);
  }
  /// Clears every count. Not atomic with respect to concurrent record().
  void reset() noexcept {
    for (std::size_t i = 0; i < counts_len_; ++i) counts_[i].store(0, std::memory_order_relaxed);
    clamped_.store(0, std::memory_order_relaxed);
    sum_.store(0, std::memory_order_relaxed);
  }

  /// The largest trackable value.
  [[nodiscard]] std::int64_t highest() const noexcept { return highest_; }
  /// The precision in significant decimal digits.
  [[nodiscard]] int significant_digits() const noexcept { return digits_; }
  /// Bytes of counts held (fixed at construction).
  [[nodiscard]] std::size_t memory_bytes() const noexcept { return counts_len_ * sizeof(std::uint64_t); }

  /// The lowest value counted in the same bucket as `value`.
  [[nodiscard]] std::int64_t lowest_equivalent(std::int64_t value) const noexcept {
    const int bucket = bucket_index(value);
    return static_cast<std::int64_t>(sub_bucket_index(value, bucket)) << bucket;
  }
  /// The highest value counted in the same bucket as `value`.
  [[nodiscard]] std::int64_t highest_equivalent(std::int64_t value) const noexcept {
    const int bucket = bucket_index(value);
    const std::int64_t sub = sub_bucket_index(value, bucket);
    const int adjusted = sub >= sub_bucket_count_ ? bucket + 1 : bucket;
    return lowest_equivalent(value) + (std::int64_t{1} << adjusted) - 1;
  }

 private:
  [[nodiscard]] int bucket_index(std::int64_t value) const noexcept {
    const int pow2ceiling = 64 - std::countl_zero(static_cast<std::uint64_t>(value) | sub_bucket_mask_);
    return pow2ceiling - (sub_bucket_half_count_magnitude_ + 1);
  }
  [[nodiscard]] static std::int64_t sub_bucket_index(std::int64_t value, int bucket) noexcept { return value >> bucket; }
  [[nodiscard]] std::size_t index_of(std::int64_t value) const noexcept {
    const int bucket = bucket_index(value);
    const std::int64_t sub = sub_bucket_index(value, bucket);
    return static_cast<std::size_t>(((static_cast<std::int64_t>(bucket) + 1) << sub_bucket_half_count_magnitude_) +
                                    (sub - sub_bucket_half_count_));
  }
  [[nodiscard]] std::int64_t value_at_index(std::size_t index) const noexcept {
    auto bucket = static_cast<int>(static_cast<std::int64_t>(index) >> sub_bucket_half_count_magnitude_) - 1;
    std::int64_t sub = (static_cast<std::int64_t>(index) & (sub_bucket_half_count_ - 1)) + sub_bucket_half_count_;
    if (bucket < 0) {
      sub -= sub_bucket_half_count_;
      bucket = 0;
    }
    return sub << bucket;
  }

  std::int64_t highest_;
  int digits_;
  int sub_bucket_half_count_magnitude_ = 0;
  std::int64_t sub_bucket_count_ = 0;
  std::int64_t sub_bucket_half_count_ = 0;
  std::uint64_t sub_bucket_mask_ = 0;
  std::size_t counts_len_ = 0;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<std::uint64_t> clamped_{0};
  std::atomic<std::uint64_t> sum_{0};
};

/// Two LatencyHistograms behind a writer/reader phaser: writers record into the active
/// one; sample_and_swap() makes the other active, waits for in-flight writers of the
/// old one to leave, and returns its contents. No sample is lost or counted twice.
/// record() is lock-free (three atomic operations); sample_and_swap() is for one
/// reader at a time (it takes a mutex) and may spin briefly.
class IntervalRecorder {
 public:
  /// Two histograms of the given layout (see LatencyHistogram).
  IntervalRecorder(std::int64_t highest, int significant_digits)
      : histograms_{LatencyHistogram(highest, significant_digits), LatencyHistogram(highest, significant_digits)} {}

  /// Records `value` into the active histogram.
  void record(std::int64_t value) noexcept {
    for (;;) {
      const unsigned i = active_.load(std::memory_order_seq_cst);
      in_flight_[i].fetch_add(1, std::memory_order_seq_cst);
      if (active_.load(std::memory_order_seq_cst) == i) {
        histograms_[i].record(value);
        in_flight_[i].fetch_sub(1, std::memory_order_release);
        return;
      }
      in_flight_[i].fetch_sub(1, std::memory_order_release);
    }
  }

  /// Swaps the active histogram, merges the samples recorded since the previous swap
  /// into `into` (same layout) and clears them.
  void sample_and_swap(LatencyHistogram& into) {
    const std::lock_guard lock(reader_);
    const unsigned old = active_.load(std::memory_order_seq_cst);
    active_.store(old ^ 1U, std::memory_order_seq_cst);
    while (in_flight_[old].load(std::memory_order_acquire) != 0) std::this_thread::yield();
    into.add(histograms_[old]);
    histograms_[old].reset();
  }

 private:
  LatencyHistogram histograms_[2];
  std::atomic<unsigned> active_{0};
  std::atomic<std::uint64_t> in_flight_[2]{};
  std::mutex reader_;
};

}  // namespace cts::health
