#pragma once
/// \file
/// BingX spot REST request builders (BingX-API/docs-v3, "Spot"). As for the swap
/// (requests.hpp), every parameter goes on the query string, for POST as well (ccxt's
/// spot requests send them so), in the order the documentation lists them; BingxSigner
/// signs the query as sent and appends `timestamp` and `signature`. Each Request names
/// its endpoint in the BingX rate policy (cts/rate/policies/bingx.hpp). Builders validate
/// and never round: invalid_argument names what is wrong, and nothing is built.
///
/// Spot has no server-time endpoint of its own: the gateway reads the swap's
/// (requests.hpp server_time()). Quantities are in the base asset (`quantity`; the
/// quote-sized `quoteOrderQty` is not sent). Client order ids go out in their lower-case
/// wire form (client_ids.hpp) as `newClientOrderId` on a place and `clientOrderID` on a
/// cancel or query; spot takes "only letters, numbers and _", so an id whose wire form
/// has a '-' is refused.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/bingx/client_ids.hpp"
#include "cts/venue/bingx/requests.hpp"
#include "cts/venue/query.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::bingx {

/// Largest `limit` of `GET /openApi/spot/v1/market/depth` ("default 20, max 1000").
inline constexpr int kSpotMaxDepth = 1000;
/// Largest `limit` of `GET /openApi/spot/v1/trade/myTrades` ("Default 500, maximum 1000").
inline constexpr int kSpotMaxTrades = 1000;

namespace detail {

/// The spot wire form of client id `id`: to_wire_client_id(), refused (invalid_argument)
/// when it holds anything but letters, digits and '_'.
inline Result<std::string> spot_wire_client_id(std::string_view id) {
  Result<std::string> wire = to_wire_client_id(id);
  if (!wire) return wire;
  for (const char c : *wire) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return make_error(ErrorCode::invalid_argument,
                        "bingx spot client order ids take only letters, digits and '_'");
    }
  }
  return wire;
}

/// A spot request of `symbol` and `ref` on `path`.
inline Result<Request> spot_order_request(HttpMethod method, std::string_view path, std::string_view endpoint,
                                          const OrderRef& ref, bool mutation) {
  if (auto ok = check_symbol(ref.symbol); !ok) return ok.error();
  QueryBuilder query;
  query.add("symbol", ref.symbol);
  if (auto ok = add_order_ref(query, ref, "orderId", "clientOrderID", &spot_wire_client_id); !ok) return ok.error();
  Request request = make_request(method, path, endpoint, Security::signed_, mutation);
  request.http.query = std::move(query).take();
  return request;
}

/// A spot request with `symbol` as its only parameter.
inline Result<Request> spot_symbol_request(HttpMethod method, std::string_view path, std::string_view endpoint,
                                           std::string_view symbol, Security security, bool mutation) {
  if (auto ok = check_symbol(symbol); !ok) return ok.error();
  Request request = make_request(method, path, endpoint, security, mutation);
  request.http.query = QueryBuilder().add("symbol", symbol).str();
  return request;
}

}  // namespace detail

/// GET /openApi/spot/v1/common/symbols?symbol= (every symbol when `symbol` is empty).
inline Result<Request> spot_symbols(std::string_view symbol = {}) {
  if (symbol.empty()) {
    return detail::make_request(HttpMethod::get, "/openApi/spot/v1/common/symbols",
                                "GET /openApi/spot/v1/common/symbols", Security::none, false);
  }
  return detail::spot_symbol_request(HttpMethod::get, "/openApi/spot/v1/common/symbols",
                                     "GET /openApi/spot/v1/common/symbols", symbol, Security::none, false);
}

/// GET /openApi/spot/v1/market/depth?symbol=&limit= (1..kSpotMaxDepth).
inline Result<Request> spot_depth(std::string_view symbol, int limit) {
  if (limit < 1 || limit > kSpotMaxDepth) {
    return make_error(ErrorCode::invalid_argument, fmt::format("bingx spot depth limit must be 1..{}", kSpotMaxDepth));
  }
  Result<Request> request = detail::spot_symbol_request(HttpMethod::get, "/openApi/spot/v1/market/depth",
                                                        "GET /openApi/spot/v1/market/depth", symbol, Security::none,
                                                        false);
  if (request) request->http.query = QueryBuilder().add("symbol", symbol).add_integer("limit", limit).str();
  return request;
}

/// GET /openApi/spot/v1/ticker/bookTicker?symbol=.
inline Result<Request> spot_book_ticker(std::string_view symbol) {
  return detail::spot_symbol_request(HttpMethod::get, "/openApi/spot/v1/ticker/bookTicker",
                                     "GET /openApi/spot/v1/ticker/bookTicker", symbol, Security::none, false);
}

namespace detail {

/// Checks `order` as a spot order and adds its side, type, quantity, price (LIMIT) and
/// newClientOrderId to `query`, in that order (the place and cancelReplace pages list
/// them so; the symbol and timeInForce are the caller's). Errors: invalid_argument for a
/// bad symbol or client id, a non-positive quantity, a missing or stray price, a type
/// other than limit and market (BingX's spot trigger orders are not built), a trigger
/// price, reduce-only (no positions on spot), post-only on a market order; nothing is
/// added.
inline Result<void> add_spot_new_order(QueryBuilder& query, const NewOrder& order) {
  if (auto ok = check_symbol(order.symbol); !ok) return ok;
  if (order.type != OrderType::limit && order.type != OrderType::market) {
    return make_error(ErrorCode::invalid_argument, "bingx spot orders are LIMIT or MARKET (trigger orders not built)");
  }
  if (order.quantity <= Decimal{}) return make_error(ErrorCode::invalid_argument, "quantity must be positive");
  const bool limit = order.type == OrderType::limit;
  if (limit != order.price.has_value()) {
    return make_error(ErrorCode::invalid_argument, limit ? "a limit order needs a price" : "a market order takes no price");
  }
  if (order.price && *order.price <= Decimal{}) return make_error(ErrorCode::invalid_argument, "price must be positive");
  if (order.trigger_price) return make_error(ErrorCode::invalid_argument, "this order type takes no trigger price");
  if (order.reduce_only) return make_error(ErrorCode::invalid_argument, "bingx spot has no reduce-only orders");
  if (!limit && order.time_in_force == TimeInForce::post_only) {
    return make_error(ErrorCode::invalid_argument, "a market order cannot be post-only");
  }
  Result<std::string> wire_id = spot_wire_client_id(order.client_order_id);
  if (!wire_id) return wire_id.error();
  query.add("side", order.side == Side::buy ? "BUY" : "SELL")
      .add("type", limit ? "LIMIT" : "MARKET")
      .add("quantity", order.quantity);
  if (order.price) query.add("price", *order.price);
  query.add("newClientOrderId", *wire_id);
  return {};
}

}  // namespace detail

/// POST /openApi/spot/v1/trade/order: symbol, side, type (LIMIT or MARKET), quantity,
/// price (LIMIT), newClientOrderId, timeInForce (LIMIT: GTC, IOC, FOK or PostOnly).
/// Errors: detail::add_spot_new_order()'s invalid_argument; nothing is built.
inline Result<Request> spot_place_order(const NewOrder& order) {
  QueryBuilder query;
  query.add("symbol", order.symbol);
  if (auto ok = detail::add_spot_new_order(query, order); !ok) return ok.error();
  if (order.type == OrderType::limit) query.add("timeInForce", detail::time_in_force_text(order.time_in_force));
  Request request = detail::make_request(HttpMethod::post, "/openApi/spot/v1/trade/order",
                                         "POST /openApi/spot/v1/trade/order", Security::signed_, true, 1);
  request.http.query = std::move(query).take();
  return request;
}

/// POST /openApi/spot/v1/trade/cancel?symbol=&orderId= (or clientOrderID).
inline Result<Request> spot_cancel_order(const OrderRef& ref) {
  return detail::spot_order_request(HttpMethod::post, "/openApi/spot/v1/trade/cancel",
                                    "POST /openApi/spot/v1/trade/cancel", ref, true);
}

/// GET /openApi/spot/v1/trade/query?symbol=&orderId= (or clientOrderID).
inline Result<Request> spot_query_order(const OrderRef& ref) {
  return detail::spot_order_request(HttpMethod::get, "/openApi/spot/v1/trade/query",
                                    "GET /openApi/spot/v1/trade/query", ref, false);
}

/// GET /openApi/spot/v1/trade/openOrders?symbol=.
inline Result<Request> spot_open_orders(std::string_view symbol) {
  return detail::spot_symbol_request(HttpMethod::get, "/openApi/spot/v1/trade/openOrders",
                                     "GET /openApi/spot/v1/trade/openOrders", symbol, Security::signed_, false);
}

/// POST /openApi/spot/v1/trade/cancelOpenOrders?symbol=.
inline Result<Request> spot_cancel_open_orders(std::string_view symbol) {
  return detail::spot_symbol_request(HttpMethod::post, "/openApi/spot/v1/trade/cancelOpenOrders",
                                     "POST /openApi/spot/v1/trade/cancelOpenOrders", symbol, Security::signed_, true);
}

/// GET /openApi/spot/v1/account/balance.
inline Request spot_balance() {
  return detail::make_request(HttpMethod::get, "/openApi/spot/v1/account/balance",
                              "GET /openApi/spot/v1/account/balance", Security::signed_, false);
}

/// GET /openApi/spot/v1/trade/myTrades?symbol=[&orderId=]&limit= (1..kSpotMaxTrades).
inline Result<Request> spot_my_trades(std::string_view symbol, std::optional<std::string_view> order_id, int limit) {
  if (auto ok = detail::check_symbol(symbol); !ok) return ok.error();
  if (limit < 1 || limit > kSpotMaxTrades) {
    return make_error(ErrorCode::invalid_argument, fmt::format("bingx spot trades limit must be 1..{}", kSpotMaxTrades));
  }
  QueryBuilder query;
  query.add("symbol", symbol);
  if (order_id) {
    if (auto ok = detail::check_order_id(*order_id); !ok) return ok.error();
    query.add("orderId", *order_id);
  }
  query.add_integer("limit", limit);
  Request request = detail::make_request(HttpMethod::get, "/openApi/spot/v1/trade/myTrades",
                                         "GET /openApi/spot/v1/trade/myTrades", Security::signed_, false);
  request.http.query = std::move(query).take();
  return request;
}

/// POST /openApi/spot/v1/trade/order/cancelReplace: symbol, cancelOrderId (or
/// cancelClientOrderID), cancelRestrictions (NEW, PENDING or PARTIALLY_FILLED, when
/// restricted), cancelReplaceMode, then the new order's side, type, quantity, price and
/// newClientOrderId as spot_place_order() sends them (the page lists no timeInForce: the
/// new order is GTC). One request: BingX cancels, then places. The mode's name is
/// `cancelReplaceMode` as the page's request example and ccxt write it (its parameter
/// table capitalises it). Errors: invalid_argument for a bad reference, a replacement on
/// another symbol, a replacement whose time in force is not GTC, and anything
/// spot_place_order() refuses; nothing is built.
inline Result<Request> spot_cancel_replace(const CancelReplace& replace) {
  if (replace.cancel.symbol != replace.replacement.symbol) {
    return make_error(ErrorCode::invalid_argument, "bingx replaces an order with one on the same symbol");
  }
  if (replace.replacement.time_in_force != TimeInForce::gtc) {
    return make_error(ErrorCode::invalid_argument,
                      "bingx spot cancelReplace takes no timeInForce: the new order can only be GTC");
  }
  if (auto ok = detail::check_symbol(replace.cancel.symbol); !ok) return ok.error();
  QueryBuilder query;
  query.add("symbol", replace.cancel.symbol);
  if (auto ok = detail::add_order_ref(query, replace.cancel, "cancelOrderId", "cancelClientOrderID",
                                      &detail::spot_wire_client_id);
      !ok) {
    return ok.error();
  }
  switch (replace.restriction) {
    case CancelRestriction::any: break;
    case CancelRestriction::only_new: query.add("cancelRestrictions", "NEW"); break;
    case CancelRestriction::only_pending: query.add("cancelRestrictions", "PENDING"); break;
    case CancelRestriction::only_partially_filled: query.add("cancelRestrictions", "PARTIALLY_FILLED"); break;
  }
  query.add("cancelReplaceMode",
            replace.mode == CancelReplaceMode::stop_on_failure ? "STOP_ON_FAILURE" : "ALLOW_FAILURE");
  if (auto ok = detail::add_spot_new_order(query, replace.replacement); !ok) return ok.error();
  Request request = detail::make_request(HttpMethod::post, "/openApi/spot/v1/trade/order/cancelReplace",
                                         "POST /openApi/spot/v1/trade/order/cancelReplace", Security::signed_, true, 1);
  request.http.query = std::move(query).take();
  return request;
}

/// POST /openApi/spot/v1/trade/cancelAllAfter (detail::cancel_all_after_request, the
/// swap's parameters): `timeout_s` 10..120 arms the account's spot dead-man switch, or
/// re-arms it from now; 0 disarms it. When the countdown runs out BingX cancels every
/// open spot order of the account. Errors: invalid_argument for any other `timeout_s`;
/// nothing is built.
inline Result<Request> spot_cancel_all_after(int timeout_s) {
  return detail::cancel_all_after_request("/openApi/spot/v1/trade/cancelAllAfter",
                                          "POST /openApi/spot/v1/trade/cancelAllAfter", timeout_s);
}

}  // namespace cts::venue::bingx
