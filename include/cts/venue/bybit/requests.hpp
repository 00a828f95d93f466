#pragma once
/// \file
/// Bybit v5 REST request builders (bybit-exchange/docs v5), category spot or linear.
/// GET parameters are a query string, POST parameters a compact JSON body, both in the
/// order the documentation lists them; the body is what the signer signs (BybitSigner:
/// timestamp + api key + recv window + body, or + query for GET; the timestamp must lie in
/// [server time − recv window, server time + 1000 ms)). Each Request carries the endpoint
/// name of the Bybit rate policy (cts/rate/policies/bybit.hpp), whether it must be signed
/// and whether it may change account state. Builders validate and never round:
/// invalid_argument names what is wrong, and nothing is built.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/bybit/capabilities.hpp"
#include "cts/venue/bybit/enums.hpp"
#include "cts/venue/json_body.hpp"
#include "cts/venue/query.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::bybit {

/// REST base URLs (guide.mdx, demo.mdx).
inline constexpr std::string_view kMainnetUrl = "https://api.bybit.com";
/// Testnet REST base URL.
inline constexpr std::string_view kTestnetUrl = "https://api-testnet.bybit.com";
/// Demo-trading REST base URL (a separate account; no trade WebSocket).
inline constexpr std::string_view kDemoUrl = "https://api-demo.bybit.com";

/// Most orders in one batch request of `category` (capabilities: 10 spot, 20 linear).
constexpr std::size_t batch_limit(Category category) noexcept {
  return static_cast<std::size_t>(capabilities(category).batch_create_max);
}

/// The timestamp rule of guide.mdx: a signed request is accepted when
/// server_time − recv_window <= timestamp < server_time + 1000 (all in ms).
constexpr bool timestamp_accepted(std::int64_t timestamp_ms, std::int64_t server_time_ms,
                                  std::int64_t recv_window_ms) noexcept {
  return server_time_ms - recv_window_ms <= timestamp_ms && timestamp_ms < server_time_ms + 1000;
}

namespace detail {

/// A request without parameters yet.
inline Request make_request(HttpMethod method, std::string_view path, std::string_view endpoint, Security security,
                            bool mutation, int order_count = 0) {
  Request request;
  request.http.method = method;
  request.http.path.assign(path);
  request.venue = VenueId::bybit;
  request.endpoint = endpoint;
  request.security = security;
  request.weight = 1;
  request.order_count = order_count;
  request.mutation = mutation;
  if (method == HttpMethod::post) request.http.set_header("Content-Type", "application/json");
  return request;
}

/// Checks a symbol: non-empty, upper-case letters, digits and '-' (Bybit: "uppercase only").
inline Result<void> check_symbol(std::string_view symbol) {
  if (symbol.empty()) return make_error(ErrorCode::invalid_argument, "symbol is empty");
  for (const char c : symbol) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
      return make_error(ErrorCode::invalid_argument, "symbol must be upper-case letters, digits and -");
    }
  }
  return {};
}

/// Checks an orderLinkId: 1 to 36 letters, digits, '-' and '_' (create-order.mdx).
inline Result<void> check_client_order_id(std::string_view id) {
  if (id.empty() || id.size() > 36) {
    return make_error(ErrorCode::invalid_argument, "client order id must have 1 to 36 characters");
  }
  for (const char c : id) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
      return make_error(ErrorCode::invalid_argument, "client order id may only hold letters, digits, - and _");
    }
  }
  return {};
}

/// Checks a venue order id: 1 to 64 characters, letters, digits and '-' (Bybit's are
/// decimal digits or UUIDs).
inline Result<void> check_order_id(std::string_view id) {
  if (id.empty() || id.size() > 64)
    return make_error(ErrorCode::invalid_argument, "order id must have 1 to 64 characters");
  for (const char c : id) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return make_error(ErrorCode::invalid_argument, "order id may only hold letters, digits and -");
    }
  }
  return {};
}

/// Checks and writes `orderId` (preferred) or `orderLinkId` of `ref`.
inline Result<void> write_order_ref(JsonBody& body, const OrderRef& ref) {
  if (ref.order_id) {
    if (auto r = check_order_id(*ref.order_id); !r) return r;
    body.string("orderId", *ref.order_id);
    return {};
  }
  if (ref.client_order_id.empty()) {
    return make_error(ErrorCode::invalid_argument, "an order reference needs an order id or a client order id");
  }
  if (auto r = check_client_order_id(ref.client_order_id); !r) return r;
  body.string("orderLinkId", ref.client_order_id);
  return {};
}

/// triggerDirection of a linear conditional order: 1 (fires when the price rises to the
/// trigger) for stop buys and take-profit sells, 2 (falls) for stop sells and
/// take-profit buys.
constexpr int trigger_direction(OrderType type, Side side) noexcept {
  const bool take_profit = type == OrderType::take_profit_market || type == OrderType::take_profit_limit;
  const bool rises = (side == Side::buy) != take_profit;
  return rises ? 1 : 2;
}

/// Checks `order` for `category` and writes its fields (everything but `category`) in
/// the documentation's order: symbol, side, orderType, qty, marketUnit (spot market
/// orders: the quantity is base), price, triggerDirection and triggerPrice
/// (conditional), timeInForce (IOC for market orders), positionIdx (linear),
/// orderLinkId, reduceOnly (linear), isLeverage 0 and orderFilter (spot: no borrowing;
/// Order, or StopOrder when conditional).
inline Result<void> write_new_order(JsonBody& body, const NewOrder& order, Category category) {
  if (auto r = check_symbol(order.symbol); !r) return r;
  if (auto r = check_client_order_id(order.client_order_id); !r) return r;
  if (!order.quantity.is_positive()) return make_error(ErrorCode::invalid_argument, "quantity must be positive");
  const bool limit_priced = cts::has_limit_price(order.type);
  if (limit_priced != order.price.has_value()) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("a {} order {} a price", order.type, order.price ? "takes no" : "needs"));
  }
  if (order.price && !order.price->is_positive())
    return make_error(ErrorCode::invalid_argument, "price must be positive");
  const bool triggered = cts::has_trigger_price(order.type);
  if (triggered != order.trigger_price.has_value()) {
    return make_error(ErrorCode::invalid_argument, fmt::format("a {} order {} a trigger price", order.type,
                                                               order.trigger_price ? "takes no" : "needs"));
  }
  if (order.trigger_price && !order.trigger_price->is_positive()) {
    return make_error(ErrorCode::invalid_argument, "trigger price must be positive");
  }
  if (category == Category::spot && (order.reduce_only || order.position_side != PositionSide::both)) {
    return make_error(ErrorCode::invalid_argument, "spot orders have no reduce-only flag or position leg");
  }
  const bool market = !limit_priced;
  body.string("symbol", order.symbol);
  body.string("side", side_name(order.side));
  body.string("orderType", market ? "Market" : "Limit");
  body.decimal("qty", order.quantity);
  if (market && category == Category::spot) body.string("marketUnit", "baseCoin");
  if (order.price) body.decimal("price", *order.price);
  if (order.trigger_price) {
    if (category == Category::linear) body.integer("triggerDirection", trigger_direction(order.type, order.side));
    body.decimal("triggerPrice", *order.trigger_price);
  }
  body.string("timeInForce", market ? "IOC" : time_in_force_name(order.time_in_force));
  if (category == Category::linear) body.integer("positionIdx", position_index(order.position_side));
  body.string("orderLinkId", order.client_order_id);
  if (category == Category::linear) {
    body.boolean("reduceOnly", order.reduce_only);
  } else {
    body.integer("isLeverage", 0);
    body.string("orderFilter", triggered ? "StopOrder" : "Order");
  }
  return {};
}

/// Checks `amendment` and writes symbol, the order reference, triggerPrice, qty and
/// price (those given).
inline Result<void> write_amendment(JsonBody& body, const OrderAmendment& amendment) {
  if (auto r = check_symbol(amendment.order.symbol); !r) return r;
  if (!amendment.quantity && !amendment.price && !amendment.trigger_price) {
    return make_error(ErrorCode::invalid_argument, "an amendment needs a new quantity, price or trigger price");
  }
  for (const auto* value : {&amendment.quantity, &amendment.price, &amendment.trigger_price}) {
    if (*value && !(*value)->is_positive()) {
      return make_error(ErrorCode::invalid_argument, "amended quantities and prices must be positive");
    }
  }
  body.string("symbol", amendment.order.symbol);
  if (auto r = write_order_ref(body, amendment.order); !r) return r;
  if (amendment.trigger_price) body.decimal("triggerPrice", *amendment.trigger_price);
  if (amendment.quantity) body.decimal("qty", *amendment.quantity);
  if (amendment.price) body.decimal("price", *amendment.price);
  return {};
}

/// Checks `ref` and writes symbol and the order reference.
inline Result<void> write_cancel(JsonBody& body, const OrderRef& ref) {
  if (auto r = check_symbol(ref.symbol); !r) return r;
  body.string("symbol", ref.symbol);
  return write_order_ref(body, ref);
}

/// A POST request carrying `body`.
inline Request post(std::string_view path, std::string_view endpoint, std::string body, int order_count) {
  Request request = make_request(HttpMethod::post, path, endpoint, Security::signed_, true, order_count);
  request.http.body = std::move(body);
  return request;
}

/// Checks that `items` holds 1 to batch_limit(category) entries and writes them into an
/// open object as "request":[{...},...], `write(body, item)` per item.
template <class T, class Write>
Result<void> write_batch_items(JsonBody& body, Category category, std::span<const T> items, Write&& write) {
  if (items.empty() || items.size() > batch_limit(category)) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("a {} batch takes 1 to {} orders, not {}", to_string(category), batch_limit(category),
                                  items.size()));
  }
  body.begin_array("request");
  for (const T& item : items) {
    body.begin_object();
    if (auto r = write(body, item); !r) return r;
    body.end_object();
  }
  body.end_array();
  return {};
}

/// A batch body: {"category":...,"request":[{...},...]} with `write(body, item)` per item.
template <class T, class Write>
Result<Request> batch(std::string_view path, std::string_view endpoint, Category category, std::span<const T> items,
                      Write&& write, bool counts_orders) {
  JsonBody body;
  body.begin_object().string("category", to_string(category));
  if (auto r = write_batch_items(body, category, items, std::forward<Write>(write)); !r) return r.error();
  body.end_object();
  Request request = post(path, endpoint, std::move(body).take(), counts_orders ? static_cast<int>(items.size()) : 0);
  // "Number of consumption = number of requests * number of orders included in a single
  // request" (rate-limit.mdx, batch endpoints, linear, spot and inverse).
  request.cost_times = static_cast<std::uint32_t>(items.size());
  return request;
}

/// Checks `limit` against [1, max].
inline Result<void> check_limit(std::optional<int> limit, int max) {
  if (limit && (*limit < 1 || *limit > max)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("limit must be in 1..{}", max));
  }
  return {};
}

}  // namespace detail

/// GET /v5/market/time (public).
inline Request server_time() {
  return detail::make_request(HttpMethod::get, "/v5/market/time", "GET /v5/market/time", Security::none, false);
}

/// GET /v5/market/instruments-info?category=...[&symbol=...][&cursor=...] (public). An
/// empty symbol lists the whole category (page by page: pass nextPageCursor as
/// `cursor`). invalid_argument for a malformed symbol.
inline Result<Request> instruments_info(Category category, std::string_view symbol = {}, std::string_view cursor = {}) {
  if (!symbol.empty()) {
    if (auto r = detail::check_symbol(symbol); !r) return r.error();
  }
  QueryBuilder query;
  query.add("category", to_string(category));
  if (!symbol.empty()) query.add("symbol", symbol);
  if (!cursor.empty()) query.add("cursor", cursor);
  Request request = detail::make_request(HttpMethod::get, "/v5/market/instruments-info",
                                         "GET /v5/market/instruments-info", Security::none, false);
  request.http.query = std::move(query).take();
  return request;
}

/// GET /v5/market/orderbook?category=...&symbol=...[&limit=N] (public). Depth 1..1000
/// (venue default 1 for spot, 25 for linear). invalid_argument for a malformed symbol or a
/// depth out of range.
inline Result<Request> orderbook(Category category, std::string_view symbol, std::optional<int> limit = std::nullopt) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  if (auto r = detail::check_limit(limit, 1000); !r) return r.error();
  QueryBuilder query;
  query.add("category", to_string(category)).add("symbol", symbol);
  if (limit) query.add_integer("limit", *limit);
  Request request =
      detail::make_request(HttpMethod::get, "/v5/market/orderbook", "GET /v5/market/orderbook", Security::none, false);
  request.http.query = std::move(query).take();
  if (limit) request.cost_param = static_cast<std::uint32_t>(*limit);
  return request;
}

/// GET /v5/market/tickers?category=...[&symbol=...] (public). invalid_argument for a
/// malformed symbol.
inline Result<Request> tickers(Category category, std::string_view symbol = {}) {
  if (!symbol.empty()) {
    if (auto r = detail::check_symbol(symbol); !r) return r.error();
  }
  QueryBuilder query;
  query.add("category", to_string(category));
  if (!symbol.empty()) query.add("symbol", symbol);
  Request request =
      detail::make_request(HttpMethod::get, "/v5/market/tickers", "GET /v5/market/tickers", Security::none, false);
  request.http.query = std::move(query).take();
  return request;
}

/// POST /v5/order/create (signed, one order): {"category":..., then the order's fields
/// (see the file comment of write_new_order)}. invalid_argument for an empty or
/// malformed symbol or client id, a non-positive quantity, a price or trigger price that
/// the type needs and is missing (or does not take and is given), or reduce-only or a
/// position leg on spot.
inline Result<Request> create_order(Category category, const NewOrder& order) {
  JsonBody body;
  body.begin_object().string("category", to_string(category));
  if (auto r = detail::write_new_order(body, order, category); !r) return r.error();
  body.end_object();
  return detail::post("/v5/order/create",
                      category == Category::spot ? "POST /v5/order/create (spot)" : "POST /v5/order/create (linear)",
                      std::move(body).take(), 1);
}

/// POST /v5/order/amend (signed): category, symbol, orderId or orderLinkId, then
/// triggerPrice, qty and price as given. invalid_argument for a malformed symbol or
/// reference, nothing to change, or a non-positive value.
inline Result<Request> amend_order(Category category, const OrderAmendment& amendment) {
  JsonBody body;
  body.begin_object().string("category", to_string(category));
  if (auto r = detail::write_amendment(body, amendment); !r) return r.error();
  body.end_object();
  return detail::post("/v5/order/amend", "POST /v5/order/amend", std::move(body).take(), 0);
}

/// POST /v5/order/cancel (signed): category, symbol, orderId (preferred) or
/// orderLinkId. invalid_argument for a malformed symbol or reference.
inline Result<Request> cancel_order(Category category, const OrderRef& ref) {
  JsonBody body;
  body.begin_object().string("category", to_string(category));
  if (auto r = detail::write_cancel(body, ref); !r) return r.error();
  body.end_object();
  return detail::post("/v5/order/cancel", "POST /v5/order/cancel", std::move(body).take(), 0);
}

/// POST /v5/order/cancel-all (signed): every open order of `symbol` in `category`.
/// invalid_argument for a malformed symbol.
inline Result<Request> cancel_all_orders(Category category, std::string_view symbol) {
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  JsonBody body;
  body.begin_object().string("category", to_string(category)).string("symbol", symbol).end_object();
  return detail::post("/v5/order/cancel-all", "POST /v5/order/cancel-all", std::move(body).take(), 0);
}

/// POST /v5/order/create-batch (signed): {"category":...,"request":[order, ...]}, 1 to
/// batch_limit(category) orders, each checked as create_order() checks one.
inline Result<Request> create_batch(Category category, std::span<const NewOrder> orders) {
  return detail::batch(
      "/v5/order/create-batch", "POST /v5/order/create-batch", category, orders,
      [category](JsonBody& body, const NewOrder& order) { return detail::write_new_order(body, order, category); },
      true);
}

/// POST /v5/order/amend-batch (signed): 1 to batch_limit(category) amendments.
inline Result<Request> amend_batch(Category category, std::span<const OrderAmendment> amendments) {
  return detail::batch(
      "/v5/order/amend-batch", "POST /v5/order/amend-batch", category, amendments,
      [](JsonBody& body, const OrderAmendment& a) { return detail::write_amendment(body, a); }, false);
}

/// POST /v5/order/cancel-batch (signed): 1 to batch_limit(category) order references.
inline Result<Request> cancel_batch(Category category, std::span<const OrderRef> refs) {
  return detail::batch(
      "/v5/order/cancel-batch", "POST /v5/order/cancel-batch", category, refs,
      [](JsonBody& body, const OrderRef& ref) { return detail::write_cancel(body, ref); }, false);
}

/// What GET /v5/order/realtime asks for.
struct OpenOrdersQuery {
  std::string_view symbol;  ///< Symbol (linear needs a symbol here: settle-coin queries are not built).
  std::optional<std::string_view> order_id;         ///< One order by venue id.
  std::optional<std::string_view> client_order_id;  ///< One order by client id.
  bool recent_closed = false;  ///< openOnly=1: the recent closed orders (at most 500) instead of the open ones.
  std::optional<int> limit;    ///< Page size 1..50 (venue default 20).
  std::string_view cursor;     ///< nextPageCursor of the previous page.
};

/// GET /v5/order/realtime (signed): symbol, category, orderId or orderLinkId, openOnly,
/// limit, cursor (the documentation's order). invalid_argument for a malformed symbol or
/// id, or a limit out of range.
inline Result<Request> open_orders(Category category, const OpenOrdersQuery& q) {
  if (auto r = detail::check_symbol(q.symbol); !r) return r.error();
  if (auto r = detail::check_limit(q.limit, 50); !r) return r.error();
  QueryBuilder query;
  query.add("symbol", q.symbol).add("category", to_string(category));
  if (q.order_id) {
    if (auto r = detail::check_order_id(*q.order_id); !r) return r.error();
    query.add("orderId", *q.order_id);
  } else if (q.client_order_id) {
    if (auto r = detail::check_client_order_id(*q.client_order_id); !r) return r.error();
    query.add("orderLinkId", *q.client_order_id);
  }
  query.add_integer("openOnly", q.recent_closed ? 1 : 0);
  if (q.limit) query.add_integer("limit", *q.limit);
  if (!q.cursor.empty()) query.add("cursor", q.cursor);
  Request request =
      detail::make_request(HttpMethod::get, "/v5/order/realtime", "GET /v5/order/realtime", Security::signed_, false);
  request.http.query = std::move(query).take();
  return request;
}

/// What GET /v5/order/history and GET /v5/execution/list ask for.
struct HistoryQuery {
  std::string_view symbol;                   ///< Symbol; empty for the whole category (spot and history only).
  std::optional<std::string_view> order_id;  ///< One order's entries, by venue id (preferred when both are given).
  std::optional<std::string_view> client_order_id;  ///< One order's entries, by client id (orderLinkId).
  std::optional<std::int64_t> start_time_ms;        ///< From (ms); the venue allows 7 days per query.
  std::optional<std::int64_t> end_time_ms;          ///< To (ms).
  std::optional<int> limit;                         ///< Page size (history 1..50, executions 1..100).
  std::string_view cursor;                          ///< nextPageCursor of the previous page.
};

namespace detail {

/// category, symbol, orderId or orderLinkId, startTime, endTime, limit, cursor.
inline Result<Request> history(std::string_view path, std::string_view endpoint, Category category,
                               const HistoryQuery& q, int max_limit) {
  if (!q.symbol.empty()) {
    if (auto r = check_symbol(q.symbol); !r) return r.error();
  }
  if (auto r = check_limit(q.limit, max_limit); !r) return r.error();
  if (q.start_time_ms && q.end_time_ms && *q.end_time_ms < *q.start_time_ms) {
    return make_error(ErrorCode::invalid_argument, "end time is before start time");
  }
  QueryBuilder query;
  query.add("category", to_string(category));
  if (!q.symbol.empty()) query.add("symbol", q.symbol);
  if (q.order_id) {
    if (auto r = check_order_id(*q.order_id); !r) return r.error();
    query.add("orderId", *q.order_id);
  } else if (q.client_order_id) {
    if (auto r = check_client_order_id(*q.client_order_id); !r) return r.error();
    query.add("orderLinkId", *q.client_order_id);
  }
  if (q.start_time_ms) query.add_integer("startTime", *q.start_time_ms);
  if (q.end_time_ms) query.add_integer("endTime", *q.end_time_ms);
  if (q.limit) query.add_integer("limit", *q.limit);
  if (!q.cursor.empty()) query.add("cursor", q.cursor);
  Request request = make_request(HttpMethod::get, path, endpoint, Security::signed_, false);
  request.http.query = std::move(query).take();
  return request;
}

}  // namespace detail

/// GET /v5/order/history (signed). invalid_argument for a malformed symbol, id or client id, a
/// limit outside 1..50 or an end before the start.
inline Result<Request> order_history(Category category, const HistoryQuery& q = {}) {
  return detail::history("/v5/order/history", "GET /v5/order/history", category, q, 50);
}

/// GET /v5/execution/list (signed). invalid_argument for a malformed symbol, id or client id, a
/// limit outside 1..100 or an end before the start.
inline Result<Request> executions(Category category, const HistoryQuery& q = {}) {
  return detail::history("/v5/execution/list", "GET /v5/execution/list", category, q, 100);
}

/// GET /v5/position/list?category=linear&symbol=... (signed). Positions exist for
/// linear only: invalid_argument for spot or a malformed symbol.
inline Result<Request> positions(Category category, std::string_view symbol) {
  if (category != Category::linear) return make_error(ErrorCode::invalid_argument, "spot has no positions");
  if (auto r = detail::check_symbol(symbol); !r) return r.error();
  QueryBuilder query;
  query.add("category", to_string(category)).add("symbol", symbol);
  Request request =
      detail::make_request(HttpMethod::get, "/v5/position/list", "GET /v5/position/list", Security::signed_, false);
  request.http.query = std::move(query).take();
  return request;
}

/// GET /v5/account/wallet-balance?accountType=UNIFIED[&coin=...] (signed). `coins` is
/// empty (every non-zero coin) or a comma-separated list of upper-case coins.
/// invalid_argument for anything else.
inline Result<Request> wallet_balance(std::string_view coins = {}) {
  for (const char c : coins) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ',')) {
      return make_error(ErrorCode::invalid_argument, "coins must be upper-case coin names separated by commas");
    }
  }
  QueryBuilder query;
  query.add("accountType", "UNIFIED");
  if (!coins.empty()) query.add("coin", coins);
  Request request = detail::make_request(HttpMethod::get, "/v5/account/wallet-balance",
                                         "GET /v5/account/wallet-balance", Security::signed_, false);
  request.http.query = std::move(query).take();
  return request;
}

/// GET /v5/user/query-api (signed, no parameters): the calling API key's permissions,
/// IP binding and expiry (user/apikey-info.mdx; any permission may call it).
inline Request api_key_info() {
  return detail::make_request(HttpMethod::get, "/v5/user/query-api", "GET /v5/user/query-api", Security::signed_,
                              false);
}

}  // namespace cts::venue::bybit
