#pragma once
/// \file
/// BingX USDT-M perpetual swap REST request builders (BingX-API/docs-v3, "USDT-M Perp
/// Futures"). Every parameter goes on the query string, for POST and DELETE as well (as
/// ccxt sends them), in the order the documentation lists them: BingxSigner signs a query
/// string as sent and appends `timestamp` and `signature`. Each Request carries the
/// endpoint name of the BingX rate policy (cts/rate/policies/bingx.hpp), whether it must
/// be signed and whether it may change account state. Builders validate and never round:
/// invalid_argument names what is wrong, and nothing is built.
///
/// Symbols are BingX's ("BTC-USDT"); quantities are in the base asset ("only support
/// units by COIN"). Client order ids go out in their lower-case wire form (client_ids.hpp).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/bingx/client_ids.hpp"
#include "cts/venue/query.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::bingx {

/// REST base URL.
inline constexpr std::string_view kRestUrl = "https://open-api.bingx.com";
/// REST base URL of the VST demo environment.
inline constexpr std::string_view kDemoRestUrl = "https://open-api-vst.bingx.com";
/// The depth limits `GET /openApi/swap/v2/quote/depth` accepts.
inline constexpr std::array<int, 7> kDepthLimits{5, 10, 20, 50, 100, 500, 1000};
/// Largest page of `GET /openApi/swap/v2/trade/fillHistory` (pageSize "maximum value is 1000").
inline constexpr int kMaxFillPage = 1000;

namespace detail {

/// A request without parameters yet.
inline Request make_request(HttpMethod method, std::string_view path, std::string_view endpoint, Security security,
                            bool mutation, int order_count = 0) {
  Request request;
  request.http.method = method;
  request.http.path.assign(path);
  request.venue = VenueId::bingx;
  request.endpoint = endpoint;
  request.security = security;
  request.weight = 1;
  request.order_count = order_count;
  request.mutation = mutation;
  return request;
}

/// Checks a BingX symbol: BASE-QUOTE, 3 to 32 upper-case letters, digits and one '-'.
inline Result<void> check_symbol(std::string_view symbol) {
  const std::size_t dash = symbol.find('-');
  bool ok = symbol.size() >= 3 && symbol.size() <= 32 && dash != std::string_view::npos && dash > 0 &&
            dash + 1 < symbol.size() && symbol.find('-', dash + 1) == std::string_view::npos;
  for (const char c : symbol) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("bingx symbol must be BASE-QUOTE in upper case, got \"{}\"", symbol.substr(0, 32)));
  }
  return {};
}

/// Checks a venue order id: 1 to 20 decimal digits (BingX's orderIds are int64).
inline Result<void> check_order_id(std::string_view id) {
  bool ok = !id.empty() && id.size() <= 20;
  for (const char c : id) ok = ok && c >= '0' && c <= '9';
  if (!ok) return make_error(ErrorCode::invalid_argument, "bingx order id must be 1 to 20 decimal digits");
  return {};
}

/// Adds the venue id of `ref` as `id_key` (preferred), else its client id as `client_key`
/// in the wire form `wire_form` writes ("orderId" and "clientOrderId" unless told:
/// cancelReplace names them "cancelOrderId" and "cancelClientOrderId", spot's client id is
/// "clientOrderID", checked by spot_wire_client_id: spot_requests.hpp).
inline Result<void> add_order_ref(QueryBuilder& query, const OrderRef& ref, std::string_view id_key = "orderId",
                                  std::string_view client_key = "clientOrderId",
                                  Result<std::string> (*wire_form)(std::string_view) = &to_wire_client_id) {
  if (ref.order_id) {
    if (auto ok = check_order_id(*ref.order_id); !ok) return ok;
    query.add(id_key, *ref.order_id);
    return {};
  }
  if (ref.client_order_id.empty()) {
    return make_error(ErrorCode::invalid_argument, "an order reference needs an order id or a client order id");
  }
  Result<std::string> wire = wire_form(ref.client_order_id);
  if (!wire) return wire.error();
  query.add(client_key, *wire);
  return {};
}

/// BingX's `type` for a unified order type.
constexpr std::string_view order_type_text(OrderType type) noexcept {
  switch (type) {
    case OrderType::market: return "MARKET";
    case OrderType::limit: return "LIMIT";
    case OrderType::stop_market: return "STOP_MARKET";
    case OrderType::stop_limit: return "STOP";
    case OrderType::take_profit_market: return "TAKE_PROFIT_MARKET";
    case OrderType::take_profit_limit: return "TAKE_PROFIT";
  }
  return "LIMIT";
}

/// BingX's `timeInForce` for a unified one.
constexpr std::string_view time_in_force_text(TimeInForce tif) noexcept {
  switch (tif) {
    case TimeInForce::gtc: return "GTC";
    case TimeInForce::ioc: return "IOC";
    case TimeInForce::fok: return "FOK";
    case TimeInForce::post_only: return "PostOnly";
  }
  return "GTC";
}

/// BingX's `positionSide`: BOTH in one-way mode, LONG or SHORT in hedge mode.
constexpr std::string_view position_side_text(PositionSide side) noexcept {
  switch (side) {
    case PositionSide::both: return "BOTH";
    case PositionSide::long_: return "LONG";
    case PositionSide::short_: return "SHORT";
  }
  return "BOTH";
}

/// True for the types that rest at a limit price.
constexpr bool has_limit_price(OrderType type) noexcept {
  return type == OrderType::limit || type == OrderType::stop_limit || type == OrderType::take_profit_limit;
}

/// True for the types triggered by a stop price.
constexpr bool has_trigger(OrderType type) noexcept {
  return type != OrderType::market && type != OrderType::limit;
}

}  // namespace detail

/// GET /openApi/swap/v2/server/time.
inline Request server_time() {
  return detail::make_request(HttpMethod::get, "/openApi/swap/v2/server/time", "GET /openApi/swap/v2/server/time",
                              Security::none, false);
}

/// GET /openApi/swap/v2/quote/contracts?symbol= (every contract when `symbol` is empty).
inline Result<Request> contracts(std::string_view symbol = {}) {
  Request request = detail::make_request(HttpMethod::get, "/openApi/swap/v2/quote/contracts",
                                         "GET /openApi/swap/v2/quote/contracts", Security::none, false);
  if (!symbol.empty()) {
    if (auto ok = detail::check_symbol(symbol); !ok) return ok.error();
    request.http.query = QueryBuilder().add("symbol", symbol).str();
  }
  return request;
}

/// GET /openApi/swap/v2/quote/depth?symbol=&limit= (`limit` one of kDepthLimits).
inline Result<Request> depth(std::string_view symbol, int limit) {
  if (auto ok = detail::check_symbol(symbol); !ok) return ok.error();
  bool allowed = false;
  for (const int l : kDepthLimits) allowed = allowed || l == limit;
  if (!allowed) return make_error(ErrorCode::invalid_argument, "bingx depth limit must be 5, 10, 20, 50, 100, 500 or 1000");
  Request request = detail::make_request(HttpMethod::get, "/openApi/swap/v2/quote/depth",
                                         "GET /openApi/swap/v2/quote/depth", Security::none, false);
  request.http.query = QueryBuilder().add("symbol", symbol).add_integer("limit", limit).str();
  return request;
}

/// GET /openApi/swap/v2/quote/bookTicker?symbol=.
inline Result<Request> book_ticker(std::string_view symbol) {
  if (auto ok = detail::check_symbol(symbol); !ok) return ok.error();
  Request request = detail::make_request(HttpMethod::get, "/openApi/swap/v2/quote/bookTicker",
                                         "GET /openApi/swap/v2/quote/bookTicker", Security::none, false);
  request.http.query = QueryBuilder().add("symbol", symbol).str();
  return request;
}

namespace detail {

/// Checks `order` and adds its parameters in the documented order: symbol, side,
/// positionSide, type, quantity, price (limit types), stopPrice (trigger types),
/// timeInForce (not for market orders), reduceOnly (one-way mode only: "not accepted" in
/// hedge mode), clientOrderId. Errors: invalid_argument for a bad symbol or client id, a
/// non-positive quantity, a missing or stray price or stop price, reduce-only on a hedge
/// leg, post-only on a market order (`query` is then incomplete: drop it).
inline Result<void> add_new_order(QueryBuilder& query, const NewOrder& order) {
  if (auto ok = detail::check_symbol(order.symbol); !ok) return ok;
  if (order.quantity <= Decimal{}) return make_error(ErrorCode::invalid_argument, "quantity must be positive");
  const bool limit_price = detail::has_limit_price(order.type);
  if (limit_price != order.price.has_value()) {
    return make_error(ErrorCode::invalid_argument,
                      limit_price ? "this order type needs a price" : "this order type takes no price");
  }
  if (order.price && *order.price <= Decimal{}) return make_error(ErrorCode::invalid_argument, "price must be positive");
  const bool trigger = detail::has_trigger(order.type);
  if (trigger != order.trigger_price.has_value()) {
    return make_error(ErrorCode::invalid_argument,
                      trigger ? "this order type needs a trigger price" : "this order type takes no trigger price");
  }
  if (order.reduce_only && order.position_side != PositionSide::both) {
    return make_error(ErrorCode::invalid_argument, "bingx takes reduceOnly in one-way mode only (positionSide BOTH)");
  }
  if (order.type == OrderType::market && order.time_in_force == TimeInForce::post_only) {
    return make_error(ErrorCode::invalid_argument, "a market order cannot be post-only");
  }
  Result<std::string> wire_id = to_wire_client_id(order.client_order_id);
  if (!wire_id) return wire_id.error();
  query.add("symbol", order.symbol)
      .add("side", order.side == Side::buy ? "BUY" : "SELL")
      .add("positionSide", detail::position_side_text(order.position_side))
      .add("type", detail::order_type_text(order.type))
      .add("quantity", order.quantity);
  if (order.price) query.add("price", *order.price);
  if (order.trigger_price) query.add("stopPrice", *order.trigger_price);
  if (order.type != OrderType::market && order.type != OrderType::stop_market &&
      order.type != OrderType::take_profit_market) {
    query.add("timeInForce", detail::time_in_force_text(order.time_in_force));
  }
  if (order.reduce_only) query.add("reduceOnly", "true");
  query.add("clientOrderId", *wire_id);
  return {};
}

}  // namespace detail

/// POST /openApi/swap/v2/trade/order with the parameters of detail::add_new_order().
/// Errors: its invalid_argument; nothing is built.
inline Result<Request> place_order(const NewOrder& order) {
  QueryBuilder query;
  if (auto ok = detail::add_new_order(query, order); !ok) return ok.error();
  Request request = detail::make_request(HttpMethod::post, "/openApi/swap/v2/trade/order",
                                         "POST /openApi/swap/v2/trade/order", Security::signed_, true, 1);
  request.http.query = std::move(query).take();
  return request;
}

/// DELETE /openApi/swap/v2/trade/order?symbol=&orderId= (or clientOrderId).
inline Result<Request> cancel_order(const OrderRef& ref) {
  if (auto ok = detail::check_symbol(ref.symbol); !ok) return ok.error();
  QueryBuilder query;
  query.add("symbol", ref.symbol);
  if (auto ok = detail::add_order_ref(query, ref); !ok) return ok.error();
  Request request = detail::make_request(HttpMethod::delete_, "/openApi/swap/v2/trade/order",
                                         "DELETE /openApi/swap/v2/trade/order", Security::signed_, true);
  request.http.query = std::move(query).take();
  return request;
}

/// GET /openApi/swap/v2/trade/order?symbol=&orderId= (or clientOrderId).
inline Result<Request> query_order(const OrderRef& ref) {
  if (auto ok = detail::check_symbol(ref.symbol); !ok) return ok.error();
  QueryBuilder query;
  query.add("symbol", ref.symbol);
  if (auto ok = detail::add_order_ref(query, ref); !ok) return ok.error();
  Request request = detail::make_request(HttpMethod::get, "/openApi/swap/v2/trade/order",
                                         "GET /openApi/swap/v2/trade/order", Security::signed_, false);
  request.http.query = std::move(query).take();
  return request;
}

/// GET /openApi/swap/v2/trade/openOrders?symbol=.
inline Result<Request> open_orders(std::string_view symbol) {
  if (auto ok = detail::check_symbol(symbol); !ok) return ok.error();
  Request request = detail::make_request(HttpMethod::get, "/openApi/swap/v2/trade/openOrders",
                                         "GET /openApi/swap/v2/trade/openOrders", Security::signed_, false);
  request.http.query = QueryBuilder().add("symbol", symbol).str();
  return request;
}

/// DELETE /openApi/swap/v2/trade/allOpenOrders?symbol=.
inline Result<Request> cancel_all_orders(std::string_view symbol) {
  if (auto ok = detail::check_symbol(symbol); !ok) return ok.error();
  Request request = detail::make_request(HttpMethod::delete_, "/openApi/swap/v2/trade/allOpenOrders",
                                         "DELETE /openApi/swap/v2/trade/allOpenOrders", Security::signed_, true);
  request.http.query = QueryBuilder().add("symbol", symbol).str();
  return request;
}

/// What cancelReplace does when its cancel fails (`cancelReplaceMode`).
enum class CancelReplaceMode : std::uint8_t {
  stop_on_failure,  ///< STOP_ON_FAILURE: no new order when the cancel fails.
  allow_failure,    ///< ALLOW_FAILURE: the new order is placed whether the cancel succeeded or not.
};

/// The states in which cancelReplace may cancel the order (`cancelRestrictions`; the
/// swap writes ONLY_NEW, ONLY_PENDING, ONLY_PARTIALLY_FILLED, spot NEW, PENDING,
/// PARTIALLY_FILLED).
enum class CancelRestriction : std::uint8_t {
  any,                    ///< No restriction (the parameter is not sent).
  only_new,               ///< The order must be NEW.
  only_pending,           ///< The order must be PENDING.
  only_partially_filled,  ///< The order must be PARTIALLY_FILLED.
};

/// One cancel-replace: the working order to cancel and the order replacing it, on the
/// same symbol ("must be the same as the original order's trading pair").
struct CancelReplace {
  OrderRef cancel;                                               ///< The order to cancel (venue id preferred).
  NewOrder replacement;                                          ///< The new order.
  CancelReplaceMode mode = CancelReplaceMode::stop_on_failure;   ///< What a failed cancel does.
  CancelRestriction restriction = CancelRestriction::any;        ///< The states the cancel accepts.
};

/// POST /openApi/swap/v1/trade/cancelReplace: cancelReplaceMode, cancelOrderId (or
/// cancelClientOrderId), cancelRestrictions (when restricted), then the new order's
/// parameters as place_order() sends them. One request: BingX cancels, then places.
/// Errors: invalid_argument for a bad reference, a replacement on another symbol, and
/// anything place_order() refuses; nothing is built.
inline Result<Request> cancel_replace(const CancelReplace& replace) {
  if (replace.cancel.symbol != replace.replacement.symbol) {
    return make_error(ErrorCode::invalid_argument, "bingx replaces an order with one on the same symbol");
  }
  QueryBuilder query;
  query.add("cancelReplaceMode",
            replace.mode == CancelReplaceMode::stop_on_failure ? "STOP_ON_FAILURE" : "ALLOW_FAILURE");
  if (auto ok = detail::add_order_ref(query, replace.cancel, "cancelOrderId", "cancelClientOrderId"); !ok) {
    return ok.error();
  }
  switch (replace.restriction) {
    case CancelRestriction::any: break;
    case CancelRestriction::only_new: query.add("cancelRestrictions", "ONLY_NEW"); break;
    case CancelRestriction::only_pending: query.add("cancelRestrictions", "ONLY_PENDING"); break;
    case CancelRestriction::only_partially_filled: query.add("cancelRestrictions", "ONLY_PARTIALLY_FILLED"); break;
  }
  if (auto ok = detail::add_new_order(query, replace.replacement); !ok) return ok.error();
  Request request = detail::make_request(HttpMethod::post, "/openApi/swap/v1/trade/cancelReplace",
                                         "POST /openApi/swap/v1/trade/cancelReplace", Security::signed_, true, 1);
  request.http.query = std::move(query).take();
  return request;
}

/// Shortest cancelAllAfter countdown, seconds ("range: 10s-120s").
inline constexpr int kCancelAllAfterMin = 10;
/// Longest cancelAllAfter countdown, seconds.
inline constexpr int kCancelAllAfterMax = 120;

namespace detail {

/// A cancelAllAfter request on `path` (swap and spot take the same parameters):
/// type=ACTIVATE&timeOut=`timeout_s` (kCancelAllAfterMin..kCancelAllAfterMax), or for
/// `timeout_s` 0 type=CLOSE with timeOut=10 (the docs mark timeOut required for both
/// types and give its range only). Errors: invalid_argument for any other `timeout_s`;
/// nothing is built.
inline Result<Request> cancel_all_after_request(std::string_view path, std::string_view endpoint, int timeout_s) {
  if (timeout_s != 0 && (timeout_s < kCancelAllAfterMin || timeout_s > kCancelAllAfterMax)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("bingx cancelAllAfter takes 0 or {}..{} seconds, not {}",
                                                               kCancelAllAfterMin, kCancelAllAfterMax, timeout_s));
  }
  QueryBuilder query;
  query.add("type", timeout_s == 0 ? "CLOSE" : "ACTIVATE")
      .add_integer("timeOut", timeout_s == 0 ? kCancelAllAfterMin : timeout_s);
  Request request = make_request(HttpMethod::post, path, endpoint, Security::signed_, true);
  request.http.query = std::move(query).take();
  return request;
}

}  // namespace detail

/// POST /openApi/swap/v2/trade/cancelAllAfter (detail::cancel_all_after_request):
/// `timeout_s` 10..120 arms the account's dead-man switch, or re-arms it from now; 0
/// disarms it. When the countdown runs out BingX cancels every open order of the swap
/// account. Errors: invalid_argument for any other `timeout_s`; nothing is built.
inline Result<Request> cancel_all_after(int timeout_s) {
  return detail::cancel_all_after_request("/openApi/swap/v2/trade/cancelAllAfter",
                                          "POST /openApi/swap/v2/trade/cancelAllAfter", timeout_s);
}

/// GET /openApi/swap/v2/trade/fillHistory?symbol=[&orderId=]&startTs=&endTs=&pageSize=
/// (1..kMaxFillPage; the window in ms since the Unix epoch, start before end).
inline Result<Request> fill_history(std::string_view symbol, std::optional<std::string_view> order_id,
                                    std::int64_t start_ms, std::int64_t end_ms, int page_size) {
  if (auto ok = detail::check_symbol(symbol); !ok) return ok.error();
  if (page_size < 1 || page_size > kMaxFillPage) {
    return make_error(ErrorCode::invalid_argument, fmt::format("bingx fill page size must be 1..{}", kMaxFillPage));
  }
  if (start_ms < 0 || end_ms <= start_ms) return make_error(ErrorCode::invalid_argument, "fill window must be start < end");
  QueryBuilder query;
  query.add("symbol", symbol);
  if (order_id) {
    if (auto ok = detail::check_order_id(*order_id); !ok) return ok.error();
    query.add("orderId", *order_id);
  }
  query.add_integer("startTs", start_ms).add_integer("endTs", end_ms).add_integer("pageSize", page_size);
  Request request = detail::make_request(HttpMethod::get, "/openApi/swap/v2/trade/fillHistory",
                                         "GET /openApi/swap/v2/trade/fillHistory", Security::signed_, false);
  request.http.query = std::move(query).take();
  return request;
}

/// GET /openApi/swap/v3/user/balance.
inline Request balance() {
  return detail::make_request(HttpMethod::get, "/openApi/swap/v3/user/balance", "GET /openApi/swap/v3/user/balance",
                              Security::signed_, false);
}

/// GET /openApi/swap/v2/user/positions?symbol=.
inline Result<Request> positions(std::string_view symbol) {
  if (auto ok = detail::check_symbol(symbol); !ok) return ok.error();
  Request request = detail::make_request(HttpMethod::get, "/openApi/swap/v2/user/positions",
                                         "GET /openApi/swap/v2/user/positions", Security::signed_, false);
  request.http.query = QueryBuilder().add("symbol", symbol).str();
  return request;
}

/// POST /openApi/user/auth/userDataStream (API key header only): a new listen key.
inline Request create_listen_key() {
  return detail::make_request(HttpMethod::post, "/openApi/user/auth/userDataStream",
                              "POST /openApi/user/auth/userDataStream", Security::api_key, false);
}

/// PUT (extend for 60 minutes) or DELETE (close) /openApi/user/auth/userDataStream?listenKey=.
/// Errors: invalid_argument for an empty key or `method` other than put and del.
inline Result<Request> listen_key_request(HttpMethod method, std::string_view key) {
  if (key.empty()) return make_error(ErrorCode::invalid_argument, "listen key is empty");
  if (method != HttpMethod::put && method != HttpMethod::delete_) {
    return make_error(ErrorCode::invalid_argument, "a listen key is extended (PUT) or closed (DELETE)");
  }
  Request request = detail::make_request(method, "/openApi/user/auth/userDataStream",
                                         method == HttpMethod::put ? "PUT /openApi/user/auth/userDataStream"
                                                                   : "DELETE /openApi/user/auth/userDataStream",
                                         Security::api_key, false);
  request.http.query = QueryBuilder().add("listenKey", key).str();
  return request;
}

}  // namespace cts::venue::bingx
