#pragma once
/// \file
/// Request builders for Binance USD-M futures REST (https://fapi.binance.com, testnet
/// https://demo-fapi.binance.com). Parameters in the order each endpoint's page lists
/// them (developers.binance.com/docs/derivatives/usds-margined-futures); weights are the
/// documented IP weights, order_count the documented order-rate cost. Signed requests
/// come back without `timestamp` and `signature`: the Binance signer appends them.
///
/// Conditional orders (STOP, STOP_MARKET, TAKE_PROFIT, TAKE_PROFIT_MARKET, trailing)
/// moved to the Algo Service on 2025-12-09 (POST /fapi/v1/order answers -4120 for them);
/// new_order() refuses them with `unsupported`.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cts/core/result.hpp"
#include "cts/venue/binance/detail/request_common.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::binance::usdm {

inline constexpr VenueId kVenue = VenueId::binance_usdm;  ///< The venue these builders target.
inline constexpr std::size_t kMaxBatchOrders = 5;           ///< Orders per POST /fapi/v1/batchOrders.

/// GET /fapi/v1/time, weight 1.
inline Request server_time() {
  return detail::make_request(kVenue, HttpMethod::get, "/fapi/v1/time", "GET /fapi/v1/time", Security::none, 1, 0,
                              false);
}

/// GET /fapi/v1/exchangeInfo, weight 1.
inline Request exchange_info() {
  return detail::make_request(kVenue, HttpMethod::get, "/fapi/v1/exchangeInfo", "GET /fapi/v1/exchangeInfo",
                              Security::none, 1, 0, false);
}

/// The documented weight of GET /fapi/v1/depth: 2 for limit 5..50, 5 for 100, 10 for
/// 500, 20 for 1000.
constexpr int depth_weight(int limit) noexcept {
  if (limit <= 50) return 2;
  if (limit <= 100) return 5;
  if (limit <= 500) return 10;
  return 20;
}

/// GET /fapi/v1/depth; `limit` one of 5, 10, 20, 50, 100, 500, 1000.
inline Result<Request> order_book(std::string_view symbol, int limit = 100) {
  constexpr int kValid[] = {5, 10, 20, 50, 100, 500, 1000};
  if (std::find(std::begin(kValid), std::end(kValid), limit) == std::end(kValid)) {
    return make_error(ErrorCode::invalid_argument, "depth limit must be 5, 10, 20, 50, 100, 500 or 1000");
  }
  return detail::symbol_query(kVenue, "/fapi/v1/depth", "GET /fapi/v1/depth", depth_weight(limit), symbol, limit);
}

/// GET /fapi/v1/trades, weight 5; `limit` in 1..1000.
inline Result<Request> recent_trades(std::string_view symbol, int limit = 500) {
  if (limit < 1 || limit > 1000) return make_error(ErrorCode::invalid_argument, "trades limit must be in 1..1000");
  return detail::symbol_query(kVenue, "/fapi/v1/trades", "GET /fapi/v1/trades", 5, symbol, limit);
}

/// GET /fapi/v1/ticker/bookTicker for one symbol, weight 2.
inline Result<Request> book_ticker(std::string_view symbol) {
  return detail::symbol_query(kVenue, "/fapi/v1/ticker/bookTicker", "GET /fapi/v1/ticker/bookTicker", 2, symbol);
}

/// Binance USD-M's position side: "BOTH", "LONG" or "SHORT".
constexpr std::string_view position_side_name(PositionSide side) noexcept {
  switch (side) {
    case PositionSide::both: return "BOTH";
    case PositionSide::long_: return "LONG";
    case PositionSide::short_: return "SHORT";
  }
  return "INVALID";
}

/// Binance USD-M's time in force: GTC, IOC, FOK, or GTX for post-only.
constexpr std::string_view time_in_force_name(TimeInForce tif) noexcept {
  return tif == TimeInForce::post_only ? "GTX" : to_string(tif);
}

namespace usdm_detail {
/// Checks what USD-M adds to the common rules: plain MARKET/LIMIT only, and no
/// reduceOnly in hedge mode (positionSide LONG/SHORT).
inline Result<void> check_usdm_order(const NewOrder& order) {
  if (auto r = detail::check_new_order(order); !r) return r;
  if (order.type != OrderType::market && order.type != OrderType::limit) {
    return make_error(ErrorCode::unsupported,
                      fmt::format("binance USD-M places {} orders through the Algo Service, not /fapi/v1/order",
                                  order.type));
  }
  if (order.reduce_only && order.position_side != PositionSide::both) {
    return make_error(ErrorCode::invalid_argument, "reduceOnly cannot be sent in hedge mode (position side LONG/SHORT)");
  }
  return {};
}
}  // namespace usdm_detail

/// POST /fapi/v1/order (signed; IP weight 0, one order on the order-rate limits).
///
/// Parameters in documented order: symbol, side, positionSide (hedge mode only), type
/// (MARKET or LIMIT), timeInForce (limit: GTC, IOC, FOK, GTX for post-only), quantity,
/// reduceOnly (only when true), price, newClientOrderId, newOrderRespType=RESULT (so the
/// reply carries the status after matching). Errors: invalid_argument as for spot;
/// unsupported for conditional types (see the file comment).
inline Result<Request> new_order(const NewOrder& order) {
  if (auto r = usdm_detail::check_usdm_order(order); !r) return r.error();
  QueryBuilder query;
  query.add("symbol", order.symbol).add("side", detail::side_name(order.side));
  if (order.position_side != PositionSide::both) query.add("positionSide", position_side_name(order.position_side));
  query.add("type", order.type == OrderType::market ? "MARKET" : "LIMIT");
  if (order.type == OrderType::limit) query.add("timeInForce", time_in_force_name(order.time_in_force));
  query.add("quantity", order.quantity);
  if (order.reduce_only) query.add("reduceOnly", "true");
  if (order.price) query.add("price", *order.price);
  query.add("newClientOrderId", order.client_order_id);
  query.add("newOrderRespType", "RESULT");
  return detail::make_request(kVenue, HttpMethod::post, "/fapi/v1/order", "POST /fapi/v1/order",
                                       Security::signed_, 0, 1, true, std::move(query).take());
}

namespace usdm_detail {
/// Appends `"key":"value"` (a JSON member; value must need no escaping) to `json`.
inline void json_member(std::string& json, std::string_view key, std::string_view value) {
  if (json.back() != '{') json.push_back(',');
  json.push_back('"');
  json.append(key);
  json.append("\":\"");
  json.append(value);
  json.push_back('"');
}
inline void json_member(std::string& json, std::string_view key, Decimal value) {
  char buffer[Decimal::kMaxChars];
  json_member(json, key, std::string_view(buffer, value.to_chars(buffer, buffer + sizeof(buffer))));
}
}  // namespace usdm_detail

/// POST /fapi/v1/batchOrders (signed; IP weight 5, 5 on the 10-second order limit, 1
/// on the minute limit): 1..5 orders as the `batchOrders` JSON list, each order's
/// parameters as JSON strings in the same order as new_order(). Orders execute
/// independently; parse_batch_orders() returns one result per order, in order.
/// Errors: invalid_argument for an empty or oversize batch (naming the index of a bad
/// order), unsupported as for new_order().
inline Result<Request> batch_orders(std::span<const NewOrder> orders) {
  if (orders.empty() || orders.size() > kMaxBatchOrders) {
    return make_error(ErrorCode::invalid_argument, fmt::format("a batch holds 1 to {} orders", kMaxBatchOrders));
  }
  std::string json = "[";
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const NewOrder& order = orders[i];
    if (auto r = usdm_detail::check_usdm_order(order); !r) {
      return make_error(r.error().code, fmt::format("batch order {}: {}", i, r.error().message));
    }
    if (i > 0) json.push_back(',');
    json.push_back('{');
    usdm_detail::json_member(json, "symbol", order.symbol);
    usdm_detail::json_member(json, "side", detail::side_name(order.side));
    if (order.position_side != PositionSide::both) {
      usdm_detail::json_member(json, "positionSide", position_side_name(order.position_side));
    }
    usdm_detail::json_member(json, "type", order.type == OrderType::market ? "MARKET" : "LIMIT");
    if (order.type == OrderType::limit) usdm_detail::json_member(json, "timeInForce", time_in_force_name(order.time_in_force));
    usdm_detail::json_member(json, "quantity", order.quantity);
    if (order.reduce_only) usdm_detail::json_member(json, "reduceOnly", "true");
    if (order.price) usdm_detail::json_member(json, "price", *order.price);
    usdm_detail::json_member(json, "newClientOrderId", order.client_order_id);
    usdm_detail::json_member(json, "newOrderRespType", "RESULT");
    json.push_back('}');
  }
  json.push_back(']');
  QueryBuilder query;
  query.add("batchOrders", json);
  return detail::make_request(kVenue, HttpMethod::post, "/fapi/v1/batchOrders", "POST /fapi/v1/batchOrders",
                                       Security::signed_, 5, static_cast<int>(orders.size()), true,
                                       std::move(query).take());
}

/// DELETE /fapi/v1/order (signed, weight 1): symbol, then orderId or origClientOrderId.
inline Result<Request> cancel_order(const OrderRef& ref) {
  QueryBuilder query;
  if (auto r = detail::add_order_ref(query, ref); !r) return r.error();
  return detail::make_request(kVenue, HttpMethod::delete_, "/fapi/v1/order", "DELETE /fapi/v1/order",
                                       Security::signed_, 1, 0, true, std::move(query).take());
}

/// DELETE /fapi/v1/allOpenOrders (signed, weight 1): cancels every open order on `symbol`.
inline Result<Request> cancel_all_orders(std::string_view symbol) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  QueryBuilder query;
  query.add("symbol", symbol);
  return detail::make_request(kVenue, HttpMethod::delete_, "/fapi/v1/allOpenOrders",
                                       "DELETE /fapi/v1/allOpenOrders", Security::signed_, 1, 0, true,
                                       std::move(query).take());
}

/// GET /fapi/v1/order (signed, weight 1): symbol, then orderId or origClientOrderId.
inline Result<Request> query_order(const OrderRef& ref) {
  QueryBuilder query;
  if (auto r = detail::add_order_ref(query, ref); !r) return r.error();
  return detail::make_request(kVenue, HttpMethod::get, "/fapi/v1/order", "GET /fapi/v1/order",
                                       Security::signed_, 1, 0, false, std::move(query).take());
}

/// GET /fapi/v1/openOrders (signed): weight 1 for one symbol, 40 for all.
inline Request open_orders(std::string_view symbol = {}) {
  QueryBuilder query;
  if (!symbol.empty()) query.add("symbol", symbol);
  return detail::make_request(kVenue, HttpMethod::get, "/fapi/v1/openOrders",
                              symbol.empty() ? "GET /fapi/v1/openOrders (no symbol)" : "GET /fapi/v1/openOrders",
                                       Security::signed_, symbol.empty() ? 40 : 1, 0, false, std::move(query).take());
}

/// GET /fapi/v3/balance (signed, weight 5).
inline Request balances() {
  return detail::make_request(kVenue, HttpMethod::get, "/fapi/v3/balance", "GET /fapi/v3/balance",
                                       Security::signed_, 5, 0, false);
}

/// GET /fapi/v2/positionRisk (signed, weight 5); the v2 payload carries leverage and
/// margin type, which v3 dropped. One symbol when `symbol` is not empty.
inline Request positions(std::string_view symbol = {}) {
  QueryBuilder query;
  if (!symbol.empty()) query.add("symbol", symbol);
  return detail::make_request(kVenue, HttpMethod::get, "/fapi/v2/positionRisk", "GET /fapi/v2/positionRisk",
                                       Security::signed_, 5, 0, false, std::move(query).take());
}

/// GET /fapi/v1/userTrades (signed, weight 5): symbol, orderId (optional, the venue's
/// digits), limit 1..1000. invalid_argument for an empty symbol, a limit out of range or
/// an order id that is not 1 to 20 digits.
inline Result<Request> my_trades(std::string_view symbol, std::optional<std::string_view> order_id = std::nullopt,
                                 int limit = 500) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  if (limit < 1 || limit > 1000) return make_error(ErrorCode::invalid_argument, "userTrades limit must be in 1..1000");
  QueryBuilder query;
  query.add("symbol", symbol);
  if (order_id) {
    if (auto r = detail::check_order_id(*order_id); !r) return r.error();
    query.add("orderId", *order_id);
  }
  query.add_integer("limit", limit);
  return detail::make_request(kVenue, HttpMethod::get, "/fapi/v1/userTrades", "GET /fapi/v1/userTrades",
                                       Security::signed_, 5, 0, false, std::move(query).take());
}

/// POST /fapi/v1/leverage (signed, weight 1): symbol, leverage (1..125).
inline Result<Request> set_leverage(std::string_view symbol, int leverage) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  if (leverage < 1 || leverage > 125) return make_error(ErrorCode::invalid_argument, "leverage must be in 1..125");
  QueryBuilder query;
  query.add("symbol", symbol).add_integer("leverage", leverage);
  return detail::make_request(kVenue, HttpMethod::post, "/fapi/v1/leverage", "POST /fapi/v1/leverage",
                                       Security::signed_, 1, 0, true, std::move(query).take());
}

/// POST /fapi/v1/marginType (signed, weight 1): symbol, marginType ISOLATED or CROSSED.
inline Result<Request> set_margin_mode(std::string_view symbol, MarginMode mode) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  QueryBuilder query;
  query.add("symbol", symbol).add("marginType", mode == MarginMode::isolated ? "ISOLATED" : "CROSSED");
  return detail::make_request(kVenue, HttpMethod::post, "/fapi/v1/marginType", "POST /fapi/v1/marginType",
                                       Security::signed_, 1, 0, true, std::move(query).take());
}

/// POST /fapi/v1/listenKey (API key only, weight 1): starts or extends the user data
/// stream; connect to wss://fstream.binance.com/ws/<listenKey>.
inline Request start_user_stream() {
  return detail::make_request(kVenue, HttpMethod::post, "/fapi/v1/listenKey", "POST /fapi/v1/listenKey",
                                       Security::api_key, 1, 0, false);
}

/// PUT /fapi/v1/listenKey (API key only, weight 1): keeps the account's stream alive for
/// another 60 minutes (the key is the account's, so no parameter names it); -1125 when
/// the key no longer exists.
inline Request keepalive_user_stream() {
  return detail::make_request(kVenue, HttpMethod::put, "/fapi/v1/listenKey", "PUT /fapi/v1/listenKey",
                                       Security::api_key, 1, 0, false);
}

/// DELETE /fapi/v1/listenKey (API key only, weight 1): closes the account's user data
/// stream.
inline Request close_user_stream() {
  return detail::make_request(kVenue, HttpMethod::delete_, "/fapi/v1/listenKey", "DELETE /fapi/v1/listenKey",
                                       Security::api_key, 1, 0, false);
}

}  // namespace cts::venue::binance::usdm
