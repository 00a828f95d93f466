#pragma once
/// \file
/// Seeded fault injection for the simulator: on the REST front delays, 5xx before or
/// after executing, a reply dropped after executing, a connection reset, a burst of
/// 429s; on the WebSocket side abrupt disconnects (no close frame) of stream and
/// WebSocket API connections.

#include <chrono>
#include <cstdint>
#include <string_view>

#include "cts/core/result.hpp"

namespace cts::sim {

/// What goes wrong, and how often. Probabilities are in parts per million of requests.
struct FaultConfig {
  std::uint64_t seed = 1;                     ///< Seed of the fault dice (same seed, same faults).
  std::uint32_t delay_ppm = 0;                ///< Chance a reply is delayed by `delay`.
  std::chrono::milliseconds delay{0};         ///< The delay.
  std::uint32_t error_before_ppm = 0;         ///< Chance of a 503 without executing.
  std::uint32_t error_after_ppm = 0;          ///< Chance of a 503 after executing.
  std::uint32_t drop_after_ppm = 0;           ///< Chance the reply is dropped after executing.
  std::uint32_t reset_ppm = 0;                ///< Chance the connection is reset without executing.
  std::uint32_t burst_429 = 0;                ///< The next N requests get 429 (-1003) with `Retry-After: 1`.
  std::uint32_t ws_drop_ppm = 0;              ///< Chance, per outgoing WebSocket message, that its connection is dropped instead.
  std::uint64_t ws_drop_every = 0;            ///< Drop a connection instead of every Nth outgoing WebSocket message (0: never).

  /// Parses "key=value,..." with keys seed, delay (e.g. "50ms" or "50ms@0.1" for a
  /// probability), error_before, error_after, drop_after, reset, ws_drop
  /// (probabilities in [0, 1] as decimals), burst429 and ws_drop_every (counts).
  /// Empty text is no faults.
  /// Errors: invalid_argument naming the offending item.
  static Result<FaultConfig> parse(std::string_view spec);
  /// True when no fault can fire.
  [[nodiscard]] bool none() const noexcept {
    return delay_ppm == 0 && error_before_ppm == 0 && error_after_ppm == 0 && drop_after_ppm == 0 && reset_ppm == 0 &&
           burst_429 == 0 && ws_drop_ppm == 0 && ws_drop_every == 0;
  }
};

/// A deterministic 64-bit generator (SplitMix64): same seed, same sequence, on every
/// platform (std:: distributions are not portable).
class SplitMix64 {
 public:
  /// A generator seeded with `seed`.
  explicit constexpr SplitMix64(std::uint64_t seed) noexcept : state_(seed) {}
  /// The next value.
  constexpr std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// A value uniform in [0, bound) (bound > 0; negligible modulo bias for small bounds).
  constexpr std::uint64_t below(std::uint64_t bound) noexcept { return next() % bound; }
  /// True with probability ppm / 1'000'000.
  constexpr bool chance(std::uint32_t ppm) noexcept { return ppm != 0 && below(1'000'000) < ppm; }

 private:
  std::uint64_t state_;
};

}  // namespace cts::sim
