#pragma once
/// \file
/// Pionex spot REST request builders (pionex-open-api openapi.yaml). GET parameters are a
/// query string; POST and DELETE parameters a compact JSON body ("POST/DELETE requests:
/// parameters are passed in the request body as JSON"), which the signer appends to what
/// it signs (sign::PionexSigner: METHOD + path + "?" + sorted query with `timestamp` +
/// body). Each Request carries the endpoint name of the Pionex rate policy
/// (cts/rate/policies/pionex.hpp), its weight ("Weight: 1" or 5 on each endpoint), whether
/// it is signed and whether it may change account state. Builders validate and never
/// round: invalid_argument (unsupported for what Pionex has no order for) names what is
/// wrong, and nothing is built.
///
/// Symbols are Pionex's own: "BTC_USDT". Order ids are Pionex's integers, passed as their
/// digits. Orders: LIMIT (size and price, `IOC` for immediate-or-cancel) and MARKET sells
/// (size); a MARKET buy is sized by its quote `amount`, which a NewOrder (base quantity)
/// does not carry, so it is refused; Pionex has no fill-or-kill, post-only or trigger
/// orders.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/client_order_id.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/json_body.hpp"
#include "cts/venue/query.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::pionex {

/// REST base URL.
inline constexpr std::string_view kRestUrl = "https://api.pionex.com";
/// Deepest order book `limit` ("Range: 1 - 1000").
inline constexpr int kMaxBookDepth = 1000;
/// Market trades `limit` range ("Range: 10 - 500").
inline constexpr int kMinTradesLimit = 10;
/// Largest market trades `limit`.
inline constexpr int kMaxTradesLimit = 500;
/// Fills a fills listing returns at most ("Returns latest 100 fills", and 100 a page by
/// order id).
inline constexpr std::size_t kFillsPage = 100;

namespace detail {

/// A request without parameters yet, of `weight`.
inline Request make_request(HttpMethod method, std::string_view path, std::string_view endpoint, Security security,
                            bool mutation, int weight = 1, int order_count = 0) {
  Request request;
  request.http.method = method;
  request.http.path.assign(path);
  request.venue = VenueId::pionex;
  request.endpoint = endpoint;
  request.security = security;
  request.weight = weight;
  request.order_count = order_count;
  request.mutation = mutation;
  if (method == HttpMethod::post || method == HttpMethod::delete_) {
    request.http.set_header("Content-Type", "application/json");
  }
  return request;
}

/// Checks a symbol: 1 to 32 upper-case letters, digits and '_' ("BTC_USDT").
inline Result<void> check_symbol(std::string_view symbol) {
  if (symbol.empty() || symbol.size() > 32) {
    return make_error(ErrorCode::invalid_argument, "symbol must have 1 to 32 characters");
  }
  for (const char c : symbol) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return make_error(ErrorCode::invalid_argument, "symbol must be upper-case letters, digits and _");
    }
  }
  return {};
}

/// The value of an order id: 1 to 19 decimal digits that fit an int64 (Pionex's orderId
/// is an int64). invalid_argument otherwise.
inline Result<std::int64_t> order_id_value(std::string_view id) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
  if (id.empty() || id.size() > 19 || error != std::errc{} || end != id.data() + id.size() || id.front() == '-') {
    return make_error(ErrorCode::invalid_argument, "order id must be 1 to 19 decimal digits (an int64)");
  }
  return value;
}

/// Checks a clientOrderId: 1 to 64 letters, digits and '-' (cts/core/client_order_id.hpp).
inline Result<void> check_client_order_id(std::string_view id) {
  return validate_client_order_id(VenueId::pionex, id);
}

/// A signed GET with `query`.
inline Request signed_get(std::string_view path, std::string_view endpoint, std::string query, int weight) {
  Request request = make_request(HttpMethod::get, path, endpoint, Security::signed_, false, weight);
  request.http.query = std::move(query);
  return request;
}

/// A public GET with `query`.
inline Request public_get(std::string_view path, std::string_view endpoint, std::string query, int weight) {
  Request request = make_request(HttpMethod::get, path, endpoint, Security::none, false, weight);
  request.http.query = std::move(query);
  return request;
}

}  // namespace detail

/// GET /api/v1/common/symbols?symbols=<symbol> (weight 5).
inline Result<Request> symbols(std::string_view symbol) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  return detail::public_get("/api/v1/common/symbols", "GET /api/v1/common/symbols",
                            QueryBuilder().add("symbols", symbol).str(), 5);
}

/// GET /api/v1/market/depth?symbol=&limit= (limit 1..kMaxBookDepth; weight 1).
inline Result<Request> order_book(std::string_view symbol, int limit) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  if (limit < 1 || limit > kMaxBookDepth) {
    return make_error(ErrorCode::invalid_argument, fmt::format("depth limit must be in 1..{}", kMaxBookDepth));
  }
  return detail::public_get("/api/v1/market/depth", "GET /api/v1/market/depth",
                            QueryBuilder().add("symbol", symbol).add_integer("limit", limit).str(), 1);
}

/// GET /api/v1/market/trades?symbol=&limit= (limit kMinTradesLimit..kMaxTradesLimit;
/// weight 1).
inline Result<Request> market_trades(std::string_view symbol, int limit) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  if (limit < kMinTradesLimit || limit > kMaxTradesLimit) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("trades limit must be in {}..{}", kMinTradesLimit, kMaxTradesLimit));
  }
  return detail::public_get("/api/v1/market/trades", "GET /api/v1/market/trades",
                            QueryBuilder().add("symbol", symbol).add_integer("limit", limit).str(), 1);
}

/// GET /api/v1/market/tickers?symbol= (24-hour statistics; weight 1).
inline Result<Request> tickers(std::string_view symbol) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  return detail::public_get("/api/v1/market/tickers", "GET /api/v1/market/tickers",
                            QueryBuilder().add("symbol", symbol).str(), 1);
}

/// GET /api/v1/market/bookTickers?symbol= (best bid and ask; weight 1).
inline Result<Request> book_tickers(std::string_view symbol) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  return detail::public_get("/api/v1/market/bookTickers", "GET /api/v1/market/bookTickers",
                            QueryBuilder().add("symbol", symbol).str(), 1);
}

/// POST /api/v1/trade/order with body {symbol, side, type, clientOrderId, size, price,
/// IOC} (weight 1; one order). Errors (nothing built): invalid_argument for a bad symbol,
/// client id, quantity or price, a limit order without a price or a market order with
/// one; unsupported for a market buy (Pionex sizes it in quote), fill-or-kill, post-only,
/// trigger orders and the futures-only fields.
inline Result<Request> new_order(const NewOrder& order) {
  if (auto r = detail::check_symbol(order.symbol); !r) return r.error();
  if (auto r = detail::check_client_order_id(order.client_order_id); !r) return r.error();
  if (!order.quantity.is_positive()) return make_error(ErrorCode::invalid_argument, "quantity must be positive");
  if (order.type != OrderType::limit && order.type != OrderType::market) {
    return make_error(ErrorCode::unsupported,
                      fmt::format("Pionex has LIMIT and MARKET orders only, not {}", to_string(order.type)));
  }
  if (order.trigger_price) return make_error(ErrorCode::invalid_argument, "Pionex orders take no trigger price");
  if (order.reduce_only || order.position_side != PositionSide::both) {
    return make_error(ErrorCode::invalid_argument, "reduce-only and position legs do not apply to spot");
  }
  const bool limit = order.type == OrderType::limit;
  if (limit != order.price.has_value()) {
    return make_error(ErrorCode::invalid_argument, limit ? "a limit order needs a price" : "a market order takes no price");
  }
  if (order.price && !order.price->is_positive()) return make_error(ErrorCode::invalid_argument, "price must be positive");
  if (!limit && order.side == Side::buy) {
    return make_error(ErrorCode::unsupported,
                      "Pionex sizes a MARKET buy by its quote amount, not by a base quantity: use a LIMIT order");
  }
  if (limit && (order.time_in_force == TimeInForce::fok || order.time_in_force == TimeInForce::post_only)) {
    return make_error(ErrorCode::unsupported, "Pionex has no fill-or-kill or post-only orders (GTC or IOC only)");
  }
  JsonBody body;
  body.begin_object()
      .string("symbol", order.symbol)
      .string("side", order.side == Side::buy ? "BUY" : "SELL")
      .string("type", limit ? "LIMIT" : "MARKET")
      .string("clientOrderId", order.client_order_id)
      .decimal("size", order.quantity);
  if (limit) body.decimal("price", *order.price);
  if (limit && order.time_in_force == TimeInForce::ioc) body.boolean("IOC", true);
  body.end_object();
  Request request = detail::make_request(HttpMethod::post, "/api/v1/trade/order", "POST /api/v1/trade/order",
                                         Security::signed_, true, 1, 1);
  request.http.body = std::move(body).take();
  return request;
}

/// DELETE /api/v1/trade/order with body {symbol, orderId} (weight 1). Pionex cancels by
/// order id only. Errors (nothing built): invalid_argument for a bad symbol or order id.
inline Result<Request> cancel_order(std::string_view symbol, std::string_view order_id) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  Result<std::int64_t> id = detail::order_id_value(order_id);
  if (!id) return id.error();
  JsonBody body;
  body.begin_object().string("symbol", symbol).integer("orderId", *id).end_object();
  Request request = detail::make_request(HttpMethod::delete_, "/api/v1/trade/order", "DELETE /api/v1/trade/order",
                                         Security::signed_, true);
  request.http.body = std::move(body).take();
  return request;
}

/// DELETE /api/v1/trade/allOrders with body {symbol} (weight 1): every open order of the
/// symbol. Errors (nothing built): invalid_argument for a bad symbol.
inline Result<Request> cancel_all_orders(std::string_view symbol) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  JsonBody body;
  body.begin_object().string("symbol", symbol).end_object();
  Request request = detail::make_request(HttpMethod::delete_, "/api/v1/trade/allOrders",
                                         "DELETE /api/v1/trade/allOrders", Security::signed_, true);
  request.http.body = std::move(body).take();
  return request;
}

/// GET /api/v1/trade/order?orderId= (weight 1). Errors: invalid_argument for a bad id.
inline Result<Request> get_order(std::string_view order_id) {
  Result<std::int64_t> id = detail::order_id_value(order_id);
  if (!id) return id.error();
  return detail::signed_get("/api/v1/trade/order", "GET /api/v1/trade/order",
                            QueryBuilder().add_integer("orderId", *id).str(), 1);
}

/// GET /api/v1/trade/orderByClientOrderId?clientOrderId= (weight 1). Errors:
/// invalid_argument for a bad client id.
inline Result<Request> get_order_by_client_id(std::string_view client_order_id) {
  if (auto r = detail::check_client_order_id(client_order_id); !r) return r.error();
  return detail::signed_get("/api/v1/trade/orderByClientOrderId", "GET /api/v1/trade/orderByClientOrderId",
                            QueryBuilder().add("clientOrderId", client_order_id).str(), 1);
}

/// GET /api/v1/trade/openOrders?symbol= (weight 5; at most 200 open orders a symbol).
inline Result<Request> open_orders(std::string_view symbol) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  return detail::signed_get("/api/v1/trade/openOrders", "GET /api/v1/trade/openOrders",
                            QueryBuilder().add("symbol", symbol).str(), 5);
}

/// GET /api/v1/trade/fills?symbol=[&endTime=] (weight 5): the account's latest kFillsPage
/// fills, or the latest up to `end_time_ms` (inclusive, ms). Errors: invalid_argument for
/// a bad symbol or a negative end time.
inline Result<Request> fills(std::string_view symbol, std::optional<std::int64_t> end_time_ms = {}) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  QueryBuilder query;
  query.add("symbol", symbol);
  if (end_time_ms) {
    if (*end_time_ms < 0) return make_error(ErrorCode::invalid_argument, "endTime must not be negative");
    query.add_integer("endTime", *end_time_ms);
  }
  return detail::signed_get("/api/v1/trade/fills", "GET /api/v1/trade/fills", std::move(query).take(), 5);
}

/// GET /api/v1/trade/fillsByOrderId?orderId=[&fromId=] (weight 5): the order's latest
/// kFillsPage fills, or the ones before fill `from_id`. Errors: invalid_argument for a
/// bad id.
inline Result<Request> fills_by_order_id(std::string_view order_id, std::optional<std::string_view> from_id = {}) {
  Result<std::int64_t> id = detail::order_id_value(order_id);
  if (!id) return id.error();
  QueryBuilder query;
  query.add_integer("orderId", *id);
  if (from_id) {
    Result<std::int64_t> from = detail::order_id_value(*from_id);
    if (!from) return make_error(ErrorCode::invalid_argument, "fromId must be a fill id (an int64)");
    query.add_integer("fromId", *from);
  }
  return detail::signed_get("/api/v1/trade/fillsByOrderId", "GET /api/v1/trade/fillsByOrderId",
                            std::move(query).take(), 5);
}

/// GET /api/v1/account/balances (weight 1).
inline Request balances() {
  return detail::signed_get("/api/v1/account/balances", "GET /api/v1/account/balances", {}, 1);
}

}  // namespace cts::venue::pionex
