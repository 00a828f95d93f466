#pragma once
// Internal to cts::venue: the BingX swap fields read by both the REST reply parsers and
// the account stream (decimals as strings or numbers, order ids, client ids in their
// lower-case wire form, and BingX's enumerations).

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/detail/text.hpp"
#include "cts/venue/bingx/client_ids.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::bingx::detail {

using cts::venue::detail::FieldReader;

/// Reads a decimal written as a JSON string or a JSON number, exactly from its text; ""
/// and null read as 0.
inline bool any_decimal(FieldReader& fields, simdjson::ondemand::value& value, Decimal& out, std::string_view field) {
  std::string_view token = cts::detail::trim_spaces(value.raw_json_token(), " \t\r\n");
  if (token == "null" || token == "\"\"") {
    out = Decimal{};
    return true;
  }
  if (token.size() >= 2 && token.front() == '"' && token.back() == '"') token = token.substr(1, token.size() - 2);
  auto parsed = Decimal::parse(token);
  if (!parsed) return fields.fail(field, fmt::format("is not an exact decimal ({})", parsed.error().message));
  out = *parsed;
  return true;
}

/// Reads an order id written as a JSON integer or a string of digits.
inline bool order_id(FieldReader& fields, simdjson::ondemand::value& value, std::string& out, std::string_view field) {
  auto type = value.type();
  if (!type.error() && type.value_unsafe() == simdjson::ondemand::json_type::string) {
    if (!fields.string_id(value, out, field)) return false;
    for (const char c : out) {
      if (c < '0' || c > '9') return fields.fail(field, "is not an id of digits");
    }
    return true;
  }
  return fields.integer_id(value, out, field);
}

/// Reads a client order id from its wire form ("" and null read as none).
inline bool client_id(FieldReader& fields, simdjson::ondemand::value& value, std::string& out, std::string_view field) {
  std::string wire;
  if (!fields.optional_string(value, wire, field)) return false;
  out = from_wire_client_id(wire);
  return true;
}

/// BUY or SELL (any case BingX writes).
inline std::optional<Side> parse_side(std::string_view text) {
  if (text == "BUY" || text == "buy" || text == "Buy") return Side::buy;
  if (text == "SELL" || text == "sell" || text == "Sell") return Side::sell;
  return std::nullopt;
}

/// BOTH, LONG or SHORT.
inline std::optional<PositionSide> parse_position_side(std::string_view text) {
  if (text == "BOTH" || text == "both") return PositionSide::both;
  if (text == "LONG" || text == "long") return PositionSide::long_;
  if (text == "SHORT" || text == "short") return PositionSide::short_;
  return std::nullopt;
}

/// A BingX order type: the unified type and whether it trails.
struct TypeOfOrder {
  OrderType type = OrderType::limit;  ///< The unified type.
  bool trailing = false;              ///< A trailing order.
};

/// BingX's types; the trigger orders (TRIGGER_LIMIT, TRIGGER_MARKET) read as stop
/// orders, the trailing ones (TRAILING_STOP_MARKET, TRAILING_TP_SL) as trailing stop or
/// take-profit market orders.
inline std::optional<TypeOfOrder> parse_order_type(std::string_view text) {
  if (text == "LIMIT") return TypeOfOrder{OrderType::limit};
  if (text == "MARKET") return TypeOfOrder{OrderType::market};
  if (text == "STOP" || text == "TRIGGER_LIMIT") return TypeOfOrder{OrderType::stop_limit};
  if (text == "STOP_MARKET" || text == "TRIGGER_MARKET") return TypeOfOrder{OrderType::stop_market};
  if (text == "TAKE_PROFIT") return TypeOfOrder{OrderType::take_profit_limit};
  if (text == "TAKE_PROFIT_MARKET") return TypeOfOrder{OrderType::take_profit_market};
  if (text == "TRAILING_STOP_MARKET") return TypeOfOrder{OrderType::stop_market, true};
  if (text == "TRAILING_TP_SL") return TypeOfOrder{OrderType::take_profit_market, true};
  return std::nullopt;
}

/// NEW and PENDING new; PARTIALLY_FILLED; FILLED; CANCELED and CANCELLED canceled;
/// EXPIRED; FAILED rejected.
inline std::optional<OrderStatus> parse_status(std::string_view text) {
  if (text == "NEW" || text == "PENDING") return OrderStatus::new_;
  if (text == "PARTIALLY_FILLED") return OrderStatus::partially_filled;
  if (text == "FILLED") return OrderStatus::filled;
  if (text == "CANCELED" || text == "CANCELLED") return OrderStatus::canceled;
  if (text == "EXPIRED") return OrderStatus::expired;
  if (text == "FAILED") return OrderStatus::rejected;
  return std::nullopt;
}

/// BingX spot's types: LIMIT, MARKET; TAKE_STOP_LIMIT and TRIGGER_LIMIT stop_limit;
/// TAKE_STOP_MARKET and TRIGGER_MARKET stop_market.
inline std::optional<OrderType> parse_spot_order_type(std::string_view text) {
  if (text == "LIMIT") return OrderType::limit;
  if (text == "MARKET") return OrderType::market;
  if (text == "TAKE_STOP_LIMIT" || text == "TRIGGER_LIMIT") return OrderType::stop_limit;
  if (text == "TAKE_STOP_MARKET" || text == "TRIGGER_MARKET") return OrderType::stop_market;
  return std::nullopt;
}

/// Puts both sides of `book` in book order (bids highest first, asks lowest first): BingX
/// prints asks highest first.
inline void put_in_book_order(BookSnapshot& book) {
  std::stable_sort(book.bids.begin(), book.bids.end(), [](const PriceLevel& a, const PriceLevel& b) { return a.price > b.price; });
  std::stable_sort(book.asks.begin(), book.asks.end(), [](const PriceLevel& a, const PriceLevel& b) { return a.price < b.price; });
}

}  // namespace cts::venue::bingx::detail
