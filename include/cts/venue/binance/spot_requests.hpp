#pragma once
/// \file
/// Request builders for Binance spot REST (https://api.binance.com, testnet
/// https://testnet.binance.vision). Parameters are encoded in the order the endpoint's
/// documentation lists them (binance-spot-api-docs rest-api.md); weights are the
/// documented request weights. Signed requests come back without `timestamp` and
/// `signature`: the Binance signer appends them (Request::security says which).

#include <cstdint>
#include <optional>
#include <string_view>

#include "cts/core/result.hpp"
#include "cts/venue/binance/detail/request_common.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::binance::spot {

inline constexpr VenueId kVenue = VenueId::binance_spot;  ///< The venue these builders target.

/// GET /api/v3/time, weight 1.
inline Request server_time() {
  return detail::make_request(kVenue, HttpMethod::get, "/api/v3/time", "GET /api/v3/time", Security::none, 1, 0, false);
}

/// GET /api/v3/exchangeInfo, weight 20; one symbol when `symbol` is not empty.
inline Request exchange_info(std::string_view symbol = {}) {
  QueryBuilder query;
  if (!symbol.empty()) query.add("symbol", symbol);
  return detail::make_request(kVenue, HttpMethod::get, "/api/v3/exchangeInfo", "GET /api/v3/exchangeInfo",
                              Security::none, 20, 0, false, std::move(query).take());
}

/// The documented weight of GET /api/v3/depth for `limit` (1-100: 5, 101-500: 25,
/// 501-1000: 50, 1001-5000: 250).
constexpr int depth_weight(int limit) noexcept {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

/// GET /api/v3/depth; `limit` in 1..5000 (invalid_argument otherwise).
inline Result<Request> order_book(std::string_view symbol, int limit = 100) {
  if (limit < 1 || limit > 5000) return make_error(ErrorCode::invalid_argument, "depth limit must be in 1..5000");
  return detail::symbol_query(kVenue, "/api/v3/depth", "GET /api/v3/depth", depth_weight(limit), symbol, limit);
}

/// GET /api/v3/trades, weight 25; `limit` in 1..1000.
inline Result<Request> recent_trades(std::string_view symbol, int limit = 500) {
  if (limit < 1 || limit > 1000) return make_error(ErrorCode::invalid_argument, "trades limit must be in 1..1000");
  return detail::symbol_query(kVenue, "/api/v3/trades", "GET /api/v3/trades", 25, symbol, limit);
}

/// GET /api/v3/ticker/bookTicker for one symbol, weight 2.
inline Result<Request> book_ticker(std::string_view symbol) {
  return detail::symbol_query(kVenue, "/api/v3/ticker/bookTicker", "GET /api/v3/ticker/bookTicker", 2, symbol);
}

/// Binance spot's order type for a unified type: LIMIT_MAKER for a post-only limit
/// order, STOP_LOSS(_LIMIT) for stops, TAKE_PROFIT(_LIMIT) for take-profits.
constexpr std::string_view order_type_name(OrderType type, TimeInForce tif) noexcept {
  switch (type) {
    case OrderType::market: return "MARKET";
    case OrderType::limit: return tif == TimeInForce::post_only ? "LIMIT_MAKER" : "LIMIT";
    case OrderType::stop_market: return "STOP_LOSS";
    case OrderType::stop_limit: return "STOP_LOSS_LIMIT";
    case OrderType::take_profit_market: return "TAKE_PROFIT";
    case OrderType::take_profit_limit: return "TAKE_PROFIT_LIMIT";
  }
  return "INVALID";
}

/// POST /api/v3/order (signed, weight 1, one order against the order-rate limit).
///
/// Parameters in documented order: symbol, side, type, timeInForce (limit types other
/// than LIMIT_MAKER), quantity, price, newClientOrderId, stopPrice, newOrderRespType=FULL
/// (so the reply carries status and fills). Errors: invalid_argument for a missing or
/// extra price/trigger, a non-positive quantity, a bad client order id, or post_only
/// on a non-limit type (spot has no post-only stop).
inline Result<Request> new_order(const NewOrder& order) {
  if (auto r = detail::check_new_order(order); !r) return r.error();
  const bool maker_only = order.time_in_force == TimeInForce::post_only;
  if (maker_only && order.type != OrderType::limit) {
    return make_error(ErrorCode::invalid_argument, "binance spot offers post-only only for limit orders");
  }
  QueryBuilder query;
  query.add("symbol", order.symbol)
      .add("side", detail::side_name(order.side))
      .add("type", order_type_name(order.type, order.time_in_force));
  if (has_limit_price(order.type) && !maker_only) query.add("timeInForce", to_string(order.time_in_force));
  query.add("quantity", order.quantity);
  if (order.price) query.add("price", *order.price);
  query.add("newClientOrderId", order.client_order_id);
  if (order.trigger_price) query.add("stopPrice", *order.trigger_price);
  query.add("newOrderRespType", "FULL");
  return detail::make_request(kVenue, HttpMethod::post, "/api/v3/order", "POST /api/v3/order", Security::signed_, 1, 1,
                              true, std::move(query).take());
}

/// DELETE /api/v3/order (signed, weight 1): symbol, then orderId or origClientOrderId.
inline Result<Request> cancel_order(const OrderRef& ref) {
  QueryBuilder query;
  if (auto r = detail::add_order_ref(query, ref); !r) return r.error();
  return detail::make_request(kVenue, HttpMethod::delete_, "/api/v3/order", "DELETE /api/v3/order", Security::signed_,
                              1, 0, true, std::move(query).take());
}

/// DELETE /api/v3/openOrders (signed, weight 1): cancels every open order on `symbol`.
inline Result<Request> cancel_all_orders(std::string_view symbol) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  QueryBuilder query;
  query.add("symbol", symbol);
  return detail::make_request(kVenue, HttpMethod::delete_, "/api/v3/openOrders", "DELETE /api/v3/openOrders",
                              Security::signed_, 1, 0, true, std::move(query).take());
}

/// GET /api/v3/order (signed, weight 4): symbol, then orderId or origClientOrderId.
inline Result<Request> query_order(const OrderRef& ref) {
  QueryBuilder query;
  if (auto r = detail::add_order_ref(query, ref); !r) return r.error();
  return detail::make_request(kVenue, HttpMethod::get, "/api/v3/order", "GET /api/v3/order", Security::signed_, 4, 0,
                              false, std::move(query).take());
}

/// GET /api/v3/openOrders (signed): weight 6 for one symbol, 80 for all symbols.
inline Request open_orders(std::string_view symbol = {}) {
  QueryBuilder query;
  if (!symbol.empty()) query.add("symbol", symbol);
  return detail::make_request(kVenue, HttpMethod::get, "/api/v3/openOrders",
                              symbol.empty() ? "GET /api/v3/openOrders (no symbol)" : "GET /api/v3/openOrders",
                              Security::signed_, symbol.empty() ? 80 : 6, 0, false, std::move(query).take());
}

/// GET /api/v3/account (signed, weight 20) with omitZeroBalances=true.
inline Request account() {
  QueryBuilder query;
  query.add("omitZeroBalances", "true");
  return detail::make_request(kVenue, HttpMethod::get, "/api/v3/account", "GET /api/v3/account", Security::signed_, 20,
                              0, false, std::move(query).take());
}

/// GET /api/v3/myTrades (signed): symbol, orderId (optional, the venue's digits), limit
/// (1..1000); weight 20, or 5 with an orderId. invalid_argument for an empty symbol, a
/// limit out of range or an order id that is not 1 to 20 digits.
inline Result<Request> my_trades(std::string_view symbol, std::optional<std::string_view> order_id = std::nullopt,
                                 int limit = 500) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  if (limit < 1 || limit > 1000) return make_error(ErrorCode::invalid_argument, "myTrades limit must be in 1..1000");
  QueryBuilder query;
  query.add("symbol", symbol);
  if (order_id) {
    if (auto r = detail::check_order_id(*order_id); !r) return r.error();
    query.add("orderId", *order_id);
  }
  query.add_integer("limit", limit);
  return detail::make_request(kVenue, HttpMethod::get, "/api/v3/myTrades", "GET /api/v3/myTrades", Security::signed_,
                              order_id ? 5 : 20, 0, false, std::move(query).take());
}

}  // namespace cts::venue::binance::spot
