#pragma once
/// \file
/// Binance's enum spellings (ENUM definitions of the spot and USD-M docs) turned into
/// the unified vocabulary. Each returns nullopt for a value it does not know, so the
/// parser can name the field and the value in a protocol_error.

#include <optional>
#include <string_view>

#include "cts/core/order_types.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::binance {

/// Which Binance product a payload comes from (some spellings differ between them).
enum class Market : std::uint8_t {
  spot,  ///< api.binance.com
  usdm,  ///< fapi.binance.com
};

/// NEW, PARTIALLY_FILLED, FILLED, CANCELED, PENDING_CANCEL, REJECTED, EXPIRED,
/// EXPIRED_IN_MATCH, PENDING_NEW.
constexpr std::optional<OrderStatus> parse_order_status(std::string_view s) noexcept {
  if (s == "NEW") return OrderStatus::new_;
  if (s == "PARTIALLY_FILLED") return OrderStatus::partially_filled;
  if (s == "FILLED") return OrderStatus::filled;
  if (s == "CANCELED") return OrderStatus::canceled;
  if (s == "PENDING_CANCEL") return OrderStatus::pending_cancel;
  if (s == "REJECTED") return OrderStatus::rejected;
  if (s == "EXPIRED") return OrderStatus::expired;
  if (s == "EXPIRED_IN_MATCH") return OrderStatus::expired_in_match;
  if (s == "PENDING_NEW") return OrderStatus::pending_new;
  return std::nullopt;
}

/// BUY or SELL.
constexpr std::optional<Side> parse_side(std::string_view s) noexcept {
  if (s == "BUY") return Side::buy;
  if (s == "SELL") return Side::sell;
  return std::nullopt;
}

/// A Binance order type. Spot: MARKET, LIMIT, LIMIT_MAKER (limit; post-only is set from
/// the type by the caller), STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT (market),
/// TAKE_PROFIT_LIMIT. USD-M: MARKET, LIMIT, STOP (limit), STOP_MARKET, TAKE_PROFIT
/// (limit), TAKE_PROFIT_MARKET, TRAILING_STOP_MARKET (stop_market).
constexpr std::optional<OrderType> parse_order_type(std::string_view s, Market market) noexcept {
  if (s == "MARKET") return OrderType::market;
  if (s == "LIMIT") return OrderType::limit;
  if (market == Market::spot) {
    if (s == "LIMIT_MAKER") return OrderType::limit;
    if (s == "STOP_LOSS") return OrderType::stop_market;
    if (s == "STOP_LOSS_LIMIT") return OrderType::stop_limit;
    if (s == "TAKE_PROFIT") return OrderType::take_profit_market;
    if (s == "TAKE_PROFIT_LIMIT") return OrderType::take_profit_limit;
    return std::nullopt;
  }
  if (s == "STOP") return OrderType::stop_limit;
  if (s == "STOP_MARKET" || s == "TRAILING_STOP_MARKET") return OrderType::stop_market;
  if (s == "TAKE_PROFIT") return OrderType::take_profit_limit;
  if (s == "TAKE_PROFIT_MARKET") return OrderType::take_profit_market;
  return std::nullopt;
}

/// GTC, IOC, FOK, GTX (post_only) and GTD (reported as gtc: it rests until its date).
constexpr std::optional<TimeInForce> parse_time_in_force(std::string_view s) noexcept {
  if (s == "GTC" || s == "GTD") return TimeInForce::gtc;
  if (s == "IOC") return TimeInForce::ioc;
  if (s == "FOK") return TimeInForce::fok;
  if (s == "GTX") return TimeInForce::post_only;
  return std::nullopt;
}

/// BOTH, LONG or SHORT.
constexpr std::optional<PositionSide> parse_position_side(std::string_view s) noexcept {
  if (s == "BOTH") return PositionSide::both;
  if (s == "LONG") return PositionSide::long_;
  if (s == "SHORT") return PositionSide::short_;
  return std::nullopt;
}

/// "isolated"/"ISOLATED" or "cross"/"crossed"/"CROSSED" (positionRisk uses lower case,
/// the marginType endpoint upper case).
constexpr std::optional<MarginMode> parse_margin_mode(std::string_view s) noexcept {
  if (s == "isolated" || s == "ISOLATED") return MarginMode::isolated;
  if (s == "cross" || s == "crossed" || s == "CROSSED") return MarginMode::cross;
  return std::nullopt;
}

}  // namespace cts::venue::binance
