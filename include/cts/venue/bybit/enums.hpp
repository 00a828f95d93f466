#pragma once
/// \file
/// Bybit v5 words and their unified meaning (bybit-exchange/docs v5 enum.mdx): category,
/// side, order type, time in force, order status, instrument status and positionIdx.
/// Parsers return nullopt for a word they do not know; the reply parsers turn that into
/// a protocol error naming the field.

#include <cstdint>
#include <optional>
#include <string_view>

#include "cts/core/order_types.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::bybit {

/// The product types this module trades.
enum class Category : std::uint8_t {
  spot,    ///< Spot (unified trading account).
  linear,  ///< USDT and USDC perpetuals and futures.
};

/// "spot" or "linear", as the `category` parameter spells it.
constexpr std::string_view to_string(Category category) noexcept {
  return category == Category::spot ? "spot" : "linear";
}

/// Category from its word ("spot", "linear"); nullopt otherwise.
constexpr std::optional<Category> parse_category(std::string_view word) noexcept {
  if (word == "spot") return Category::spot;
  if (word == "linear") return Category::linear;
  return std::nullopt;
}

/// "Buy" or "Sell".
constexpr std::string_view side_name(Side side) noexcept { return side == Side::buy ? "Buy" : "Sell"; }

/// Side from "Buy" or "Sell".
constexpr std::optional<Side> parse_side(std::string_view word) noexcept {
  if (word == "Buy") return Side::buy;
  if (word == "Sell") return Side::sell;
  return std::nullopt;
}

/// Order type from "Limit" or "Market" (Bybit expresses stops as a trigger price on
/// these two; the reply parsers tell them apart by the trigger price).
constexpr std::optional<OrderType> parse_order_type(std::string_view word) noexcept {
  if (word == "Limit") return OrderType::limit;
  if (word == "Market") return OrderType::market;
  return std::nullopt;
}

/// "GTC", "IOC", "FOK" or "PostOnly".
constexpr std::string_view time_in_force_name(TimeInForce tif) noexcept {
  switch (tif) {
    case TimeInForce::gtc: return "GTC";
    case TimeInForce::ioc: return "IOC";
    case TimeInForce::fok: return "FOK";
    case TimeInForce::post_only: return "PostOnly";
  }
  return "GTC";
}

/// Time in force from "GTC", "IOC", "FOK", "PostOnly"; "RPI" (a post-only order for
/// approved market makers) reads as post_only.
constexpr std::optional<TimeInForce> parse_time_in_force(std::string_view word) noexcept {
  if (word == "GTC") return TimeInForce::gtc;
  if (word == "IOC") return TimeInForce::ioc;
  if (word == "FOK") return TimeInForce::fok;
  if (word == "PostOnly" || word == "RPI") return TimeInForce::post_only;
  return std::nullopt;
}

/// Order status from enum.mdx orderStatus: New, Untriggered (a conditional order waiting
/// for its trigger) and Triggered (passing from Untriggered to New) are working (new_);
/// PartiallyFilled is partially_filled; Filled filled; Cancelled, PartiallyFilledCanceled
/// (spot) and Deactivated (a conditional order cancelled before it triggered) canceled;
/// Rejected rejected.
constexpr std::optional<OrderStatus> parse_order_status(std::string_view word) noexcept {
  if (word == "New" || word == "Untriggered" || word == "Triggered") return OrderStatus::new_;
  if (word == "PartiallyFilled") return OrderStatus::partially_filled;
  if (word == "Filled") return OrderStatus::filled;
  if (word == "Cancelled" || word == "PartiallyFilledCanceled" || word == "Deactivated") return OrderStatus::canceled;
  if (word == "Rejected") return OrderStatus::rejected;
  return std::nullopt;
}

/// Instrument status from instruments-info `status`: PreLaunch → pre_trading, Trading →
/// trading, Delivering → settling, Closed → closed; anything else unknown.
constexpr InstrumentStatus instrument_status(std::string_view word) noexcept {
  if (word == "Trading") return InstrumentStatus::trading;
  if (word == "PreLaunch") return InstrumentStatus::pre_trading;
  if (word == "Delivering") return InstrumentStatus::settling;
  if (word == "Closed") return InstrumentStatus::closed;
  return InstrumentStatus::unknown;
}

/// The position leg of positionIdx: 0 one-way (both), 1 the hedge-mode Buy side (long_),
/// 2 the hedge-mode Sell side (short_); nullopt otherwise.
constexpr std::optional<PositionSide> position_side_of_index(std::int64_t index) noexcept {
  switch (index) {
    case 0: return PositionSide::both;
    case 1: return PositionSide::long_;
    case 2: return PositionSide::short_;
    default: return std::nullopt;
  }
}

/// positionIdx of a leg: both 0, long_ 1, short_ 2.
constexpr int position_index(PositionSide side) noexcept {
  return side == PositionSide::long_ ? 1 : side == PositionSide::short_ ? 2 : 0;
}

}  // namespace cts::venue::bybit
