#pragma once
/// \file
/// OKX v5 words and their unified meaning (okx.com/docs-v5/en: "Place order", "Get
/// order details", "Get instruments", "Get positions"): instrument type, side, order
/// type (which carries the time in force), order state, position side, instrument state
/// and trade mode. Parsers return nullopt for a word they do not know; the reply parsers
/// turn that into a protocol error naming the field. Shared by the REST and WebSocket
/// modules of this folder.

#include <cstdint>
#include <optional>
#include <string_view>

#include "cts/core/order_types.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::okx {

/// The instrument types this module trades.
enum class InstType : std::uint8_t {
  spot,  ///< SPOT: spot pairs, instId "BTC-USDT".
  swap,  ///< SWAP: perpetual futures, instId "BTC-USDT-SWAP".
};

/// "SPOT" or "SWAP", as the `instType` parameter spells it.
constexpr std::string_view to_string(InstType type) noexcept { return type == InstType::spot ? "SPOT" : "SWAP"; }

/// InstType from "SPOT" or "SWAP"; nullopt otherwise (MARGIN, FUTURES, OPTION).
constexpr std::optional<InstType> parse_inst_type(std::string_view word) noexcept {
  if (word == "SPOT") return InstType::spot;
  if (word == "SWAP") return InstType::swap;
  return std::nullopt;
}

/// "buy" or "sell".
constexpr std::string_view side_name(Side side) noexcept { return side == Side::buy ? "buy" : "sell"; }

/// Side from "buy" or "sell".
constexpr std::optional<Side> parse_side(std::string_view word) noexcept {
  if (word == "buy") return Side::buy;
  if (word == "sell") return Side::sell;
  return std::nullopt;
}

/// The `ordType` of a plain order: market; limit GTC "limit", IOC "ioc", FOK "fok",
/// post-only "post_only" (OKX folds the time in force into the order type). Trigger
/// orders have none here (they go through OKX's algo endpoints).
constexpr std::optional<std::string_view> order_type_name(OrderType type, TimeInForce tif) noexcept {
  if (type == OrderType::market) return "market";
  if (type != OrderType::limit) return std::nullopt;
  switch (tif) {
    case TimeInForce::gtc: return "limit";
    case TimeInForce::ioc: return "ioc";
    case TimeInForce::fok: return "fok";
    case TimeInForce::post_only: return "post_only";
  }
  return std::nullopt;
}

/// A unified order type and time in force.
struct OrderKind {
  OrderType type = OrderType::limit;             ///< market or limit.
  TimeInForce time_in_force = TimeInForce::gtc;  ///< How long it works.
};

/// OrderKind from `ordType`: market → market (IOC); optimal_limit_ioc (a market order
/// priced at the best limit, derivatives) → market IOC; limit → limit GTC; ioc, fok →
/// limit IOC, FOK; post_only and mmp_and_post_only → limit post-only; mmp (market-maker
/// protection) → limit GTC; nullopt otherwise.
constexpr std::optional<OrderKind> parse_order_type(std::string_view word) noexcept {
  if (word == "market" || word == "optimal_limit_ioc") return OrderKind{OrderType::market, TimeInForce::ioc};
  if (word == "limit" || word == "mmp") return OrderKind{OrderType::limit, TimeInForce::gtc};
  if (word == "ioc") return OrderKind{OrderType::limit, TimeInForce::ioc};
  if (word == "fok") return OrderKind{OrderType::limit, TimeInForce::fok};
  if (word == "post_only" || word == "mmp_and_post_only") return OrderKind{OrderType::limit, TimeInForce::post_only};
  return std::nullopt;
}

/// Order status from `state`: live → new_, partially_filled, filled, canceled and
/// mmp_canceled (cancelled by market-maker protection) → canceled; nullopt otherwise.
constexpr std::optional<OrderStatus> parse_order_state(std::string_view word) noexcept {
  if (word == "live") return OrderStatus::new_;
  if (word == "partially_filled") return OrderStatus::partially_filled;
  if (word == "filled") return OrderStatus::filled;
  if (word == "canceled" || word == "mmp_canceled") return OrderStatus::canceled;
  return std::nullopt;
}

/// The `posSide` of an order or position leg: net mode both → "net", long/short mode
/// long_ → "long", short_ → "short".
constexpr std::string_view position_side_name(PositionSide side) noexcept {
  return side == PositionSide::long_ ? "long" : side == PositionSide::short_ ? "short" : "net";
}

/// PositionSide from `posSide`: "net" and "" (spot orders) → both, "long", "short";
/// nullopt otherwise.
constexpr std::optional<PositionSide> parse_position_side(std::string_view word) noexcept {
  if (word == "net" || word.empty()) return PositionSide::both;
  if (word == "long") return PositionSide::long_;
  if (word == "short") return PositionSide::short_;
  return std::nullopt;
}

/// Instrument status from `state`: live → trading, suspend → halted, preopen →
/// pre_trading, test (test pairs, never tradable) → closed; anything else unknown.
constexpr InstrumentStatus instrument_status(std::string_view word) noexcept {
  if (word == "live") return InstrumentStatus::trading;
  if (word == "suspend") return InstrumentStatus::halted;
  if (word == "preopen") return InstrumentStatus::pre_trading;
  if (word == "test") return InstrumentStatus::closed;
  return InstrumentStatus::unknown;
}

/// How an order's margin is held (`tdMode`).
enum class TradeMode : std::uint8_t {
  cash,      ///< "cash": spot without margin.
  cross,     ///< "cross": cross margin (derivatives).
  isolated,  ///< "isolated": isolated margin (derivatives).
};

/// "cash", "cross" or "isolated".
constexpr std::string_view to_string(TradeMode mode) noexcept {
  return mode == TradeMode::cash ? "cash" : mode == TradeMode::cross ? "cross" : "isolated";
}

/// MarginMode from a position's `mgnMode` ("cross", "isolated"); nullopt otherwise.
constexpr std::optional<MarginMode> parse_margin_mode(std::string_view word) noexcept {
  if (word == "cross") return MarginMode::cross;
  if (word == "isolated") return MarginMode::isolated;
  return std::nullopt;
}

}  // namespace cts::venue::okx
