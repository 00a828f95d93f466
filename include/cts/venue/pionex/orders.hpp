#pragma once
/// \file
/// Pionex spot order replies into the unified types: the new-order acknowledgement
/// (`orderId`, `clientOrderId`), the bare success of cancel and cancel-all, orders ("Get
/// order", "Get order by client order ID", "Get open orders": the Order schema) and fills
/// ("Get fills", "Get fills by order ID": the Fill schema) (pionex-open-api
/// openapi.yaml). The order and fill readers serve the private stream's ORDER and FILL
/// topics too, whose records have the same fields.
///
/// Pionex reports an order's status as OPEN or CLOSED only; the unified status follows
/// from what filled: OPEN with filledSize 0 is new, with more partially_filled; CLOSED
/// with filledSize equal to size (a MARKET buy: filledAmount equal to amount) is filled;
/// any other CLOSED order is expired when it was IOC or MARKET (its remainder lapsed) and
/// canceled otherwise.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/venue/pionex/envelope.hpp"
#include "cts/venue/pionex/market.hpp"

namespace cts::venue::pionex {

namespace detail {

/// What a Pionex order record says about its state, before it becomes a unified status.
struct OrderState {
  bool open = true;        ///< status OPEN (false: CLOSED).
  bool ioc = false;        ///< `IOC`.
  Decimal amount;          ///< `amount` (MARKET buys: the quote to spend).
  bool has_size = false;   ///< `size` was given (a MARKET buy has none).
};

/// "OPEN" → true, "CLOSED" → false.
inline std::optional<bool> parse_open(std::string_view text) noexcept {
  if (text == "OPEN") return true;
  if (text == "CLOSED") return false;
  return std::nullopt;
}

/// "LIMIT" or "MARKET".
inline std::optional<OrderType> parse_order_type(std::string_view text) noexcept {
  if (text == "LIMIT") return OrderType::limit;
  if (text == "MARKET") return OrderType::market;
  return std::nullopt;
}

/// The unified status of `order` (its type, quantity and fills read) in `state`.
constexpr OrderStatus unified_status(const OrderReport& order, const OrderState& state) noexcept {
  const bool filled_all = order.quantity.is_positive() ? order.executed_quantity >= order.quantity
                                                       : state.amount.is_positive() &&
                                                             order.cumulative_quote >= state.amount;
  if (state.open) return order.executed_quantity.is_positive() ? OrderStatus::partially_filled : OrderStatus::new_;
  if (filled_all) return OrderStatus::filled;
  return state.ioc || order.type == OrderType::market ? OrderStatus::expired : OrderStatus::canceled;
}

/// Reads one order (the Order schema, or the stream's OrderRecord). Required: orderId,
/// symbol, side, type, status, filledSize.
inline bool read_order(od::value& value, FieldReader& fields, OrderReport& order) {
  static constexpr std::string_view kRequired[] = {"orderId", "symbol", "side", "type", "status", "filledSize"};
  Seen seen;
  OrderState state;
  std::int64_t created = 0;
  const bool ok = visit_object(value, fields, "order", [&](std::string_view key, od::value& v) {
    if (key == "orderId") return seen.mark(0), fields.integer_id(v, order.order_id, key);
    if (key == "symbol") return seen.mark(1), fields.string(v, order.symbol, key);
    if (key == "side") return seen.mark(2), fields.enumeration(v, order.side, key, parse_side);
    if (key == "type") return seen.mark(3), fields.enumeration(v, order.type, key, parse_order_type);
    if (key == "status") return seen.mark(4), fields.enumeration(v, state.open, key, parse_open);
    if (key == "filledSize") return seen.mark(5), fields.decimal(v, order.executed_quantity, key);
    if (key == "size") return state.has_size = true, fields.optional_decimal(v, order.quantity, key);
    if (key == "price") return fields.optional_decimal(v, order.price, key);
    if (key == "amount") return fields.optional_decimal(v, state.amount, key);
    if (key == "filledAmount") return fields.optional_decimal(v, order.cumulative_quote, key);
    if (key == "IOC") return fields.boolean(v, state.ioc, key);
    if (key == "clientOrderId") return fields.optional_string(v, order.client_order_id, key);
    if (key == "updateTime") return fields.int64(v, order.time_ms, key);
    if (key == "createTime") return fields.int64(v, created, key);
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  if (order.type == OrderType::market) order.price = Decimal{};
  // A MARKET buy is sized in quote: what has filled is all that is known of its size.
  if (!state.has_size || !order.quantity.is_positive()) order.quantity = order.executed_quantity;
  order.time_in_force = state.ioc ? TimeInForce::ioc : TimeInForce::gtc;
  order.status = unified_status(order, state);
  if (order.time_ms == 0) order.time_ms = created;
  return true;
}

/// Reads one fill (the Fill schema, or the stream's FillRecord). Required: id, orderId,
/// side, price, size. `symbol` is kept when the record has one.
inline bool read_fill(od::value& value, FieldReader& fields, AccountTrade& trade) {
  static constexpr std::string_view kRequired[] = {"id", "orderId", "side", "price", "size"};
  Seen seen;
  std::string_view role;
  const bool ok = visit_object(value, fields, "fill", [&](std::string_view key, od::value& v) {
    if (key == "id") return seen.mark(0), fields.integer_id(v, trade.id, key);
    if (key == "orderId") return seen.mark(1), fields.integer_id(v, trade.order_id, key);
    if (key == "side") return seen.mark(2), fields.enumeration(v, trade.side, key, parse_side);
    if (key == "price") return seen.mark(3), fields.decimal(v, trade.price, key);
    if (key == "size") return seen.mark(4), fields.decimal(v, trade.quantity, key);
    if (key == "symbol") return fields.string(v, trade.symbol, key);
    if (key == "role") return fields.string(v, role, key);
    if (key == "fee") return fields.optional_decimal(v, trade.commission, key);
    if (key == "feeCoin") return fields.optional_string(v, trade.commission_asset, key);
    if (key == "timestamp") return fields.int64(v, trade.time_ms, key);
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  if (!role.empty() && role != "MAKER" && role != "TAKER") return fields.fail("role", "is not MAKER or TAKER");
  trade.maker = role == "MAKER";
  return true;
}

}  // namespace detail

/// POST /api/v1/trade/order → the acknowledgement: orderId → order_id (its digits),
/// clientOrderId, the envelope's timestamp → time_ms (the symbol stays empty). Errors:
/// the venue's (mapped for a mutation); protocol_error without an orderId.
inline Result<OrderAck> parse_new_order(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  OrderAck ack;
  auto parsed = detail::parse_envelope(
      response, Operation::mutation, reader, "pionex order", detail::Data::required,
      [&](detail::od::value& data, detail::FieldReader& fields) {
        bool has_id = false;
        return detail::visit_object(data, fields, "data",
                                    [&](std::string_view key, detail::od::value& v) {
                                      if (key == "orderId") return has_id = true, fields.integer_id(v, ack.order_id, key);
                                      if (key == "clientOrderId") return fields.optional_string(v, ack.client_order_id, key);
                                      return true;
                                    }) &&
               (has_id || fields.missing("orderId"));
      });
  if (!parsed) return parsed.error();
  ack.time_ms = *parsed;
  return ack;
}

/// DELETE /api/v1/trade/order or /api/v1/trade/allOrders → the envelope's timestamp (a
/// bare success). Errors: the venue's (TRADE_ORDER_NOT_FOUND order_not_found, mapped for a
/// mutation); protocol_error for a malformed envelope.
inline Result<std::int64_t> parse_cancel(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  return detail::parse_envelope(response, Operation::mutation, reader, "pionex cancel", detail::Data::none,
                                [](detail::od::value&, detail::FieldReader&) { return true; });
}

/// GET /api/v1/trade/order or /api/v1/trade/orderByClientOrderId → the order: orderId →
/// order_id, size → quantity (filledSize for a MARKET buy, which has none), filledSize →
/// executed_quantity, filledAmount → cumulative_quote, price (0 for MARKET), IOC → time in
/// force ioc (else gtc), status as the file comment says, updateTime (createTime when
/// absent) → time_ms; average_price stays 0 (Pionex does not report it). Errors: the
/// venue's (TRADE_ORDER_NOT_FOUND order_not_found); protocol_error for an order without a
/// required field or with an unknown side, type or status.
inline Result<OrderReport> parse_order(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  OrderReport order;
  auto parsed = detail::parse_envelope(response, Operation::read, reader, "pionex order", detail::Data::required,
                                       [&](detail::od::value& data, detail::FieldReader& fields) {
                                         return detail::read_order(data, fields, order);
                                       });
  if (!parsed) return parsed.error();
  return order;
}

/// GET /api/v1/trade/openOrders (or allOrders) → data.orders, each as parse_order() reads
/// one. Errors: as parse_order().
inline Result<std::vector<OrderReport>> parse_orders(const HttpResponse& response,
                                                     JsonReader& reader = thread_json_reader()) {
  std::vector<OrderReport> orders;
  auto parsed = detail::parse_list(response, Operation::read, reader, "pionex orders", "orders",
                                   [&](detail::od::value& item, detail::FieldReader& fields) {
                                     return detail::read_order(item, fields, orders.emplace_back());
                                   });
  if (!parsed) return parsed.error();
  return orders;
}

/// GET /api/v1/trade/fills or /api/v1/trade/fillsByOrderId → data.fills as sent (newest
/// first): id → id, orderId → order_id, size → quantity, fee → commission, feeCoin →
/// commission_asset, role MAKER → maker, timestamp → time_ms; quote_quantity stays 0
/// (Pionex does not report it). Errors: the venue's; protocol_error for a fill without a
/// required field, with an unknown side or role.
inline Result<std::vector<AccountTrade>> parse_fills(const HttpResponse& response,
                                                     JsonReader& reader = thread_json_reader()) {
  std::vector<AccountTrade> trades;
  auto parsed = detail::parse_list(response, Operation::read, reader, "pionex fills", "fills",
                                   [&](detail::od::value& item, detail::FieldReader& fields) {
                                     return detail::read_fill(item, fields, trades.emplace_back());
                                   });
  if (!parsed) return parsed.error();
  return trades;
}

}  // namespace cts::venue::pionex
