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
  std::uint64_t seed = 1;              ///< Seed of the fault dice (same seed, same faults).
  std::uint32_t delay_ppm = 0;         ///< Chance a reply is delayed by `delay`.
  std::chrono::milliseconds delay{0};  ///< The delay.
  std::uint32_t error_before_ppm = 0;  ///< Chance of a 503 without executing.
  std::uint32_t error_after_ppm = 0;   ///< Chance of a 503 after executing.
  std::uint32_t drop_after_ppm = 0;    ///< Chance the reply is dropped after executing.
  std::uint32_t reset_ppm = 0;         ///< Chance the connection is reset without executing.
  std::uint32_t burst_429 = 0;         ///< The next N requests get 429 (-1003) with `Retry-After: 1`.
  std::uint32_t ws_drop_ppm = 0;    ///< Chance, per outgoing WebSocket message, that its connection is dropped instead.
  std::uint64_t ws_drop_every = 0;  ///< Drop a connection instead of every Nth outgoing WebSocket message (0: never).
  /// The next N replies to WebSocket order requests are not sent, the requests executed
  /// (the connection stays up): a request whose outcome the client cannot know.
  std::uint32_t ws_lost_replies = 0;
  /// The replies to the next N REST order requests (creates, amends, cancels, batches
  /// included) that reach the venue's order logic (authenticated, within the rate limits)
  /// are dropped, the requests executed: unknown outcomes certain to happen, however few
  /// orders a run places. Every REST front honours it (RestFaults::after), and OrangeX's
  /// WebSocket for the order calls it serves (the connection dropped instead of the
  /// reply; the count shared with REST).
  std::uint32_t lost_order_replies = 0;

  /// Parses "key=value,..." with keys seed, delay (e.g. "50ms" or "50ms@0.1" for a
  /// probability), error_before, error_after, drop_after, reset, ws_drop
  /// (probabilities in [0, 1] as decimals), burst429, ws_drop_every, ws_lost_replies and
  /// lost_order_replies (counts).
  /// Empty text is no faults.
  /// Errors: invalid_argument naming the offending item.
  static Result<FaultConfig> parse(std::string_view spec);
  /// True when no fault can fire.
  [[nodiscard]] bool none() const noexcept {
    return delay_ppm == 0 && error_before_ppm == 0 && error_after_ppm == 0 && drop_after_ppm == 0 && reset_ppm == 0 &&
           burst_429 == 0 && ws_drop_ppm == 0 && ws_drop_every == 0 && ws_lost_replies == 0 &&
           lost_order_replies == 0;
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

/// The fault dice of one REST front (every venue's shares it): per request, in a fixed
/// order, a delay, a reset or an error before serving, then an error or a dropped reply
/// after serving, and the 429 burst; so one seed gives the same faults on every front.
/// The lost order replies are counted here too, the front telling which requests are
/// executed order requests. Each fault that fires adds one to the counter passed in. Not
/// thread-safe.
class RestFaults {
 public:
  /// What happens to a request before it is served.
  enum class Before : std::uint8_t {
    serve,  ///< Serve it (possibly after a delay).
    reset,  ///< Reset the connection without executing.
    error,  ///< Answer a server error without executing.
  };
  /// What happens to a served request's reply.
  enum class After : std::uint8_t {
    keep,   ///< Send it.
    error,  ///< Replace it with a server error (the request executed).
    drop,   ///< Drop it (the request executed).
  };

  /// Dice seeded from `config.seed`, the burst armed with `config.burst_429`, the lost
  /// order replies with `config.lost_order_replies`.
  explicit RestFaults(const FaultConfig& config) noexcept
      : dice_(config.seed), burst_left_(config.burst_429), order_replies_to_lose_(config.lost_order_replies) {}
  /// Reseeds from `config` and rearms the burst and the lost order replies.
  void reset(const FaultConfig& config) noexcept {
    dice_ = SplitMix64(config.seed);
    burst_left_ = config.burst_429;
    order_replies_to_lose_ = config.lost_order_replies;
  }
  /// Rolls the delay (set in `delay` when it fires, else left as is), then the reset,
  /// then the error before serving.
  Before before(const FaultConfig& config, std::chrono::milliseconds& delay, std::uint64_t& fired) noexcept {
    if (dice_.chance(config.delay_ppm)) {
      delay = config.delay;
      ++fired;
    }
    if (dice_.chance(config.reset_ppm)) return ++fired, Before::reset;
    if (dice_.chance(config.error_before_ppm)) return ++fired, Before::error;
    return Before::serve;
  }
  /// True, and one burst answer fewer, while the 429 burst lasts.
  bool take_burst(std::uint64_t& fired) noexcept {
    if (burst_left_ == 0) return false;
    --burst_left_;
    ++fired;
    return true;
  }
  /// Rolls the error after serving, then the dropped reply. Then, when the request was an
  /// order request the venue executed (`executed_order`, the front's call), counts it
  /// against the lost order replies: while they last its reply is dropped (one fault
  /// fired) whatever the dice said. The dice roll the same either way, so one seed gives
  /// the same random faults with and without lost order replies.
  After after(const FaultConfig& config, bool executed_order, std::uint64_t& fired) noexcept {
    After rolled = After::keep;
    if (dice_.chance(config.error_after_ppm)) {
      ++fired;
      rolled = After::error;
    } else if (dice_.chance(config.drop_after_ppm)) {
      ++fired;
      rolled = After::drop;
    }
    if (executed_order && lose_order_reply(fired)) return After::drop;
    return rolled;
  }
  /// Counts one executed order request against the lost order replies, without the
  /// dice: true (one fault fired) while they last, its reply to be dropped. after() calls
  /// it for a REST request; a WebSocket side serving the same order calls (OrangeX's)
  /// calls it alone.
  bool lose_order_reply(std::uint64_t& fired) noexcept {
    if (order_replies_to_lose_ == 0) return false;
    --order_replies_to_lose_;
    ++fired;
    return true;
  }

 private:
  SplitMix64 dice_;
  std::uint32_t burst_left_;
  std::uint32_t order_replies_to_lose_;
};

/// The fault dice of one WebSocket side (every venue's shares it): per outgoing frame,
/// whether its connection is dropped instead (every `ws_drop_every`th frame, or with
/// probability `ws_drop_ppm`); per order reply, whether it is lost (the first
/// `ws_lost_replies`). Not thread-safe.
class WsFaults {
 public:
  /// Dice seeded from `config.seed` mixed with `salt` (so that they differ from the REST
  /// front's), the frame count at zero.
  WsFaults(const FaultConfig& config, std::uint64_t salt) noexcept
      : config_(config), salt_(salt), dice_(config.seed ^ salt), replies_to_lose_(config.ws_lost_replies) {}
  /// Replaces the configuration, reseeds the dice and restarts the frame count.
  void reset(const FaultConfig& config) noexcept {
    config_ = config;
    dice_ = SplitMix64(config.seed ^ salt_);
    sent_ = 0;
    replies_to_lose_ = config.ws_lost_replies;
  }
  /// Counts one reply to an order request; true when it is to be lost (not sent).
  bool lose_reply() noexcept {
    if (replies_to_lose_ == 0) return false;
    --replies_to_lose_;
    return true;
  }
  /// Counts one outgoing frame; true when its connection is to be dropped instead.
  bool drop_next() noexcept {
    ++sent_;
    return (config_.ws_drop_every != 0 && sent_ % config_.ws_drop_every == 0) || dice_.chance(config_.ws_drop_ppm);
  }

 private:
  FaultConfig config_;
  std::uint64_t salt_;
  SplitMix64 dice_;
  std::uint64_t sent_ = 0;
  std::uint32_t replies_to_lose_ = 0;
};

}  // namespace cts::sim
