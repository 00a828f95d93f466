#pragma once
/// \file
/// A deterministic background market: a seeded random walk of the mid price per market
/// (every one of the engine's, spot and linear alike),
/// a ladder of maker quotes around it, and taker market orders that trade through the
/// best levels, so that a bot's resting quotes get filled. Same seed and same call
/// times, same market.

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "cts/core/decimal.hpp"
#include "cts/sim/faults.hpp"
#include "cts/sim/matching_engine.hpp"

namespace cts::sim {

/// Settings of the background market.
struct MarketFlowConfig {
  std::uint64_t seed = 1;                      ///< Seed of the random walk and the takers.
  std::chrono::milliseconds interval{250};     ///< Time between two steps.
  int levels = 5;                              ///< Quotes per side.
  int spread_ticks = 10;                       ///< Ticks between the mid and the first quote, and between quotes.
  std::uint32_t taker_ppm = 300'000;           ///< Chance per step and symbol of a taker market order.
  /// Initial mid per market name (market_key), else per venue symbol (so "BTCUSDT" starts
  /// the spot and the linear book alike); default 100 · tick · 10^4.
  std::unordered_map<std::string, Decimal> start_price;
};

/// See the file comment. Owns two accounts in the engine (a maker and a taker), funded
/// generously in every asset of every symbol.
class MarketFlow {
 public:
  /// Sets up the accounts and the first quotes at `now_ms`. `engine` must outlive it.
  MarketFlow(MatchingEngine& engine, MarketFlowConfig config, std::int64_t now_ms);

  /// Runs the steps due between the last call and `now_ms` (at most 20 at once, so a
  /// long pause does not stall a request).
  void advance_to(std::int64_t now_ms);
  /// One step at `now_ms`: move every mid, requote, maybe trade.
  void step(std::int64_t now_ms);
  /// The current mid of the market named `symbol` (market_key; zero if unknown).
  [[nodiscard]] Decimal mid(const std::string& symbol) const;
  /// The maker account (its quotes form the background book).
  [[nodiscard]] AccountId maker() const noexcept { return maker_; }

 private:
  MatchingEngine& engine_;
  MarketFlowConfig config_;
  SplitMix64 dice_;
  AccountId maker_ = 0;
  AccountId taker_ = 0;
  std::unordered_map<std::string, Decimal> mid_;
  std::int64_t next_step_ms_ = 0;
};

}  // namespace cts::sim
