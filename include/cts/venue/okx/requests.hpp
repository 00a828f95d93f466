#pragma once
/// \file
/// OKX v5 REST request builders (okx.com/docs-v5/en), instrument type SPOT or SWAP.
/// GET parameters are a query string, POST parameters a compact JSON body (an array for
/// the batch endpoints), both in the order the documentation lists them; the body is
/// what the signer signs (OkxSigner: ISO-8601 timestamp + METHOD + path[?query] + body).
/// Each Request carries the endpoint name of the OKX rate policy
/// (cts/rate/policies/okx.hpp), whether it must be signed and whether it may change
/// account state. Builders validate and never round: invalid_argument (unsupported for a
/// trigger order, which OKX places through its algo endpoints) names what is wrong, and
/// nothing is built.
///
/// Instrument ids are OKX's own: "BTC-USDT" (SPOT), "BTC-USDT-SWAP" (SWAP). Quantities
/// are base units for SPOT (market orders are sent with tgtCcy base_ccy, so a market buy
/// is sized in base as well, not in quote as OKX's default) and contracts for SWAP.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "cts/core/client_order_id.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/json_body.hpp"
#include "cts/venue/okx/capabilities.hpp"
#include "cts/venue/okx/enums.hpp"
#include "cts/venue/query.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::okx {

/// REST base URL (demo trading uses the same host with kDemoHeader).
inline constexpr std::string_view kRestUrl = "https://www.okx.com";
/// The header that sends a request to demo trading, with value "1".
inline constexpr std::string_view kDemoHeader = "x-simulated-trading";

/// Most orders in one batch request (capabilities: 20).
inline constexpr std::size_t kBatchLimit = 20;
/// Deepest order book `sz` ("Maximum 400").
inline constexpr int kMaxBookDepth = 400;
/// Largest page of the order and fill lists ("The maximum is 100").
inline constexpr int kMaxPage = 100;
/// Cancel-all-after window: 0 disarms, else 10..120 seconds.
inline constexpr int kCancelAllAfterMin = 10;
/// Largest cancel-all-after window, in seconds.
inline constexpr int kCancelAllAfterMax = 120;

/// The trade mode an order of `type` takes unless told otherwise: cash for SPOT, cross
/// for SWAP.
constexpr TradeMode default_trade_mode(InstType type) noexcept {
  return type == InstType::spot ? TradeMode::cash : TradeMode::cross;
}

/// Adds kDemoHeader: 1 to `request` (demo trading).
inline void mark_demo(Request& request) { request.http.set_header(kDemoHeader, "1"); }

namespace detail {

/// A request without parameters yet.
inline Request make_request(HttpMethod method, std::string_view path, std::string_view endpoint, Security security,
                            bool mutation, int order_count = 0) {
  Request request;
  request.http.method = method;
  request.http.path.assign(path);
  request.venue = VenueId::okx;
  request.endpoint = endpoint;
  request.security = security;
  request.weight = 1;
  request.order_count = order_count;
  request.mutation = mutation;
  if (method == HttpMethod::post) request.http.set_header("Content-Type", "application/json");
  return request;
}

/// Checks an instrument id of `type`: 1 to 64 upper-case letters, digits and '-'; a
/// SWAP id ends with "-SWAP", a SPOT id does not.
inline Result<void> check_inst_id(std::string_view inst_id, InstType type) {
  if (inst_id.empty() || inst_id.size() > 64) {
    return make_error(ErrorCode::invalid_argument, "instrument id must have 1 to 64 characters");
  }
  for (const char c : inst_id) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
      return make_error(ErrorCode::invalid_argument, "instrument id must be upper-case letters, digits and -");
    }
  }
  const bool swap_id = inst_id.ends_with("-SWAP");
  if (swap_id != (type == InstType::swap)) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("instrument id {} is not a {} id", inst_id.substr(0, 64), to_string(type)));
  }
  return {};
}

/// Checks a clOrdId: 1 to 32 letters and digits (cts/core/client_order_id.hpp).
inline Result<void> check_client_order_id(std::string_view id) { return validate_client_order_id(VenueId::okx, id); }

/// Checks a venue order id: 1 to 32 decimal digits (OKX's ordIds are numbers written as
/// strings).
inline Result<void> check_order_id(std::string_view id) {
  if (id.empty() || id.size() > 32) return make_error(ErrorCode::invalid_argument, "order id must have 1 to 32 digits");
  for (const char c : id) {
    if (c < '0' || c > '9') return make_error(ErrorCode::invalid_argument, "order id must be decimal digits");
  }
  return {};
}

/// Checks and writes `ordId` (preferred) or `clOrdId` of `ref`.
inline Result<void> write_order_ref(JsonBody& body, const OrderRef& ref) {
  if (ref.order_id) {
    if (auto r = check_order_id(*ref.order_id); !r) return r;
    body.string("ordId", *ref.order_id);
    return {};
  }
  if (ref.client_order_id.empty()) {
    return make_error(ErrorCode::invalid_argument, "an order reference needs an order id or a client order id");
  }
  if (auto r = check_client_order_id(ref.client_order_id); !r) return r;
  body.string("clOrdId", ref.client_order_id);
  return {};
}

/// Writes the instrument: `"instIdCode":<code>` when `inst_id_code` is given (WebSocket
/// order entry), else `"instId":"<inst_id>"` (REST).
inline void write_instrument(JsonBody& body, std::string_view inst_id, std::optional<std::int64_t> inst_id_code) {
  if (inst_id_code) {
    body.integer("instIdCode", *inst_id_code);
  } else {
    body.string("instId", inst_id);
  }
}

/// Checks that `mode` suits `type`: cash for SPOT, cross or isolated for SWAP.
inline Result<void> check_trade_mode(InstType type, TradeMode mode) {
  if ((type == InstType::spot) != (mode == TradeMode::cash)) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("trade mode {} does not suit {} (SPOT trades cash, SWAP cross or isolated)",
                                  to_string(mode), to_string(type)));
  }
  return {};
}

/// Checks `order` for `type` and writes its fields in the documentation's order:
/// instId (instIdCode instead when `inst_id_code` is given), tdMode, clOrdId, side, posSide (SWAP long/short legs only;
/// net mode takes none), ordType (its time in force folded in), sz, px (limit orders), reduceOnly (SWAP, when set) and
/// tgtCcy base_ccy (SPOT market orders).
inline Result<void> write_new_order(JsonBody& body, const NewOrder& order, InstType type, TradeMode mode,
                                    std::optional<std::int64_t> inst_id_code = std::nullopt) {
  if (auto r = check_inst_id(order.symbol, type); !r) return r;
  if (auto r = check_trade_mode(type, mode); !r) return r;
  if (auto r = check_client_order_id(order.client_order_id); !r) return r;
  if (!order.quantity.is_positive()) return make_error(ErrorCode::invalid_argument, "quantity must be positive");
  const std::optional<std::string_view> ord_type = order_type_name(order.type, order.time_in_force);
  if (!ord_type) {
    return make_error(ErrorCode::unsupported,
                      fmt::format("OKX places {} orders through its algo endpoints, which cts does not build",
                                  to_string(order.type)));
  }
  if (order.trigger_price)
    return make_error(ErrorCode::invalid_argument, "a market or limit order takes no trigger price");
  const bool limit = order.type == OrderType::limit;
  if (limit != order.price.has_value()) {
    return make_error(ErrorCode::invalid_argument,
                      limit ? "a limit order needs a price" : "a market order takes no price");
  }
  if (order.price && !order.price->is_positive()) {
    return make_error(ErrorCode::invalid_argument, "price must be positive");
  }
  if (type == InstType::spot && (order.reduce_only || order.position_side != PositionSide::both)) {
    return make_error(ErrorCode::invalid_argument, "reduce-only and position legs apply to SWAP only");
  }
  write_instrument(body, order.symbol, inst_id_code);
  body.string("tdMode", to_string(mode)).string("clOrdId", order.client_order_id);
  body.string("side", side_name(order.side));
  if (order.position_side != PositionSide::both) body.string("posSide", position_side_name(order.position_side));
  body.string("ordType", *ord_type).decimal("sz", order.quantity);
  if (order.price) body.decimal("px", *order.price);
  if (order.reduce_only) body.boolean("reduceOnly", true);
  if (type == InstType::spot && order.type == OrderType::market) body.string("tgtCcy", "base_ccy");
  return {};
}

/// Checks `amendment` and writes instId (instIdCode instead when `inst_id_code` is
/// given), ordId or clOrdId, newSz and newPx.
inline Result<void> write_amendment(JsonBody& body, const OrderAmendment& amendment, InstType type,
                                    std::optional<std::int64_t> inst_id_code = std::nullopt) {
  if (auto r = check_inst_id(amendment.order.symbol, type); !r) return r;
  if (amendment.trigger_price) {
    return make_error(ErrorCode::invalid_argument, "OKX amends the trigger price of algo orders only");
  }
  if (!amendment.quantity && !amendment.price) {
    return make_error(ErrorCode::invalid_argument, "an amendment needs a new quantity or a new price");
  }
  if ((amendment.quantity && !amendment.quantity->is_positive()) ||
      (amendment.price && !amendment.price->is_positive())) {
    return make_error(ErrorCode::invalid_argument, "amended values must be positive");
  }
  write_instrument(body, amendment.order.symbol, inst_id_code);
  if (auto r = write_order_ref(body, amendment.order); !r) return r;
  if (amendment.quantity) body.decimal("newSz", *amendment.quantity);
  if (amendment.price) body.decimal("newPx", *amendment.price);
  return {};
}

/// Checks `ref` and writes instId (instIdCode instead when `inst_id_code` is given) and
/// ordId or clOrdId.
inline Result<void> write_cancel(JsonBody& body, const OrderRef& ref, InstType type,
                                 std::optional<std::int64_t> inst_id_code = std::nullopt) {
  if (auto r = check_inst_id(ref.symbol, type); !r) return r;
  write_instrument(body, ref.symbol, inst_id_code);
  return write_order_ref(body, ref);
}

/// A signed POST carrying `body`.
inline Request post(std::string_view path, std::string_view endpoint, std::string body, int order_count) {
  Request request = make_request(HttpMethod::post, path, endpoint, Security::signed_, true, order_count);
  request.http.body = std::move(body);
  return request;
}

/// Writes the array `[{...},...]` of a batch, with `write(body, item)` per item, as the
/// next value of `body` (the REST body) or, when `key` is not empty, as its member `key`
/// (the WebSocket `args`); invalid_argument unless there are 1 to kBatchLimit items,
/// else the first item's error.
template <class T, class Write>
Result<void> write_batch_items(JsonBody& body, std::span<const T> items, Write&& write, std::string_view key = {}) {
  if (items.empty() || items.size() > kBatchLimit) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("an OKX batch takes 1 to {} orders, not {}", kBatchLimit, items.size()));
  }
  if (key.empty()) {
    body.begin_array();
  } else {
    body.begin_array(key);
  }
  for (const T& item : items) {
    body.begin_object();
    if (auto r = write(body, item); !r) return r;
    body.end_object();
  }
  body.end_array();
  return {};
}

/// A batch body `[{...},...]` with `write(body, item)` per item, 1 to kBatchLimit items.
/// Its rate-limit cost: `endpoint`'s once per item, or `single_endpoint`'s for a batch of
/// one (OKX: a batch of one order "will consume the rate limit of" the single op).
template <class T, class Write>
Result<Request> batch(std::string_view path, std::string_view endpoint, std::string_view single_endpoint,
                      std::span<const T> items, Write&& write, bool counts_orders) {
  JsonBody body;
  if (auto r = write_batch_items(body, items, std::forward<Write>(write)); !r) return r.error();
  Request request = post(path, items.size() == 1 ? single_endpoint : endpoint, std::move(body).take(),
                         counts_orders ? static_cast<int>(items.size()) : 0);
  request.cost_times = static_cast<std::uint32_t>(items.size());  // OKX counts a batch's orders
  return request;
}

/// Checks `limit` against [1, max].
inline Result<void> check_limit(std::optional<int> limit, int max) {
  if (limit && (*limit < 1 || *limit > max)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("limit must be in 1..{}", max));
  }
  return {};
}

/// A signed GET of `path` with `query`.
inline Request signed_get(std::string_view path, std::string_view endpoint, QueryBuilder&& query) {
  Request request = make_request(HttpMethod::get, path, endpoint, Security::signed_, false);
  request.http.query = std::move(query).take();
  return request;
}

}  // namespace detail

/// GET /api/v5/public/time (public).
inline Request server_time() {
  return detail::make_request(HttpMethod::get, "/api/v5/public/time", "GET /api/v5/public/time", Security::none, false);
}

/// GET /api/v5/public/instruments?instType=SPOT|SWAP[&instId=...] (public). An empty
/// id lists the whole type. invalid_argument for a malformed id.
inline Result<Request> instruments(InstType type, std::string_view inst_id = {}) {
  if (!inst_id.empty()) {
    if (auto r = detail::check_inst_id(inst_id, type); !r) return r.error();
  }
  QueryBuilder query;
  query.add("instType", to_string(type));
  if (!inst_id.empty()) query.add("instId", inst_id);
  Request request = detail::make_request(HttpMethod::get, "/api/v5/public/instruments",
                                         "GET /api/v5/public/instruments", Security::none, false);
  request.http.query = std::move(query).take();
  return request;
}

/// GET /api/v5/market/books?instId=...[&sz=N] (public). Depth 1..kMaxBookDepth per side
/// (venue default 1). invalid_argument for a malformed id or a depth out of range.
inline Result<Request> order_book(InstType type, std::string_view inst_id, std::optional<int> depth = std::nullopt) {
  if (auto r = detail::check_inst_id(inst_id, type); !r) return r.error();
  if (auto r = detail::check_limit(depth, kMaxBookDepth); !r) return r.error();
  QueryBuilder query;
  query.add("instId", inst_id);
  if (depth) query.add_integer("sz", *depth);
  Request request =
      detail::make_request(HttpMethod::get, "/api/v5/market/books", "GET /api/v5/market/books", Security::none, false);
  request.http.query = std::move(query).take();
  return request;
}

/// GET /api/v5/market/ticker?instId=... (public). invalid_argument for a malformed id.
inline Result<Request> ticker(InstType type, std::string_view inst_id) {
  if (auto r = detail::check_inst_id(inst_id, type); !r) return r.error();
  QueryBuilder query;
  query.add("instId", inst_id);
  Request request = detail::make_request(HttpMethod::get, "/api/v5/market/ticker", "GET /api/v5/market/ticker",
                                         Security::none, false);
  request.http.query = std::move(query).take();
  return request;
}

/// POST /api/v5/trade/order (signed, one order; the fields of detail::write_new_order).
/// invalid_argument for a malformed instrument or client id, a trade mode that does not
/// suit `type`, a non-positive quantity or price, a price a limit order lacks or a market
/// order has, a trigger price, or reduce-only or a position leg on SPOT; unsupported for
/// a trigger order type.
inline Result<Request> place_order(InstType type, const NewOrder& order, TradeMode mode) {
  JsonBody body;
  body.begin_object();
  if (auto r = detail::write_new_order(body, order, type, mode); !r) return r.error();
  body.end_object();
  return detail::post("/api/v5/trade/order", "POST /api/v5/trade/order", std::move(body).take(), 1);
}

/// place_order() with default_trade_mode(type).
inline Result<Request> place_order(InstType type, const NewOrder& order) {
  return place_order(type, order, default_trade_mode(type));
}

/// POST /api/v5/trade/amend-order (signed): instId, ordId or clOrdId, newSz, newPx.
/// invalid_argument for a malformed reference, nothing to change, a non-positive value
/// or a trigger price.
inline Result<Request> amend_order(InstType type, const OrderAmendment& amendment) {
  JsonBody body;
  body.begin_object();
  if (auto r = detail::write_amendment(body, amendment, type); !r) return r.error();
  body.end_object();
  return detail::post("/api/v5/trade/amend-order", "POST /api/v5/trade/amend-order", std::move(body).take(), 0);
}

/// POST /api/v5/trade/cancel-order (signed): instId, ordId (preferred) or clOrdId.
/// invalid_argument for a malformed reference.
inline Result<Request> cancel_order(InstType type, const OrderRef& ref) {
  JsonBody body;
  body.begin_object();
  if (auto r = detail::write_cancel(body, ref, type); !r) return r.error();
  body.end_object();
  return detail::post("/api/v5/trade/cancel-order", "POST /api/v5/trade/cancel-order", std::move(body).take(), 0);
}

/// POST /api/v5/trade/batch-orders (signed): `[order, ...]`, 1 to kBatchLimit orders,
/// each checked as place_order() checks one.
inline Result<Request> place_batch(InstType type, std::span<const NewOrder> orders, TradeMode mode) {
  return detail::batch(
      "/api/v5/trade/batch-orders", "POST /api/v5/trade/batch-orders", "POST /api/v5/trade/order", orders,
      [type, mode](JsonBody& body, const NewOrder& order) { return detail::write_new_order(body, order, type, mode); },
      true);
}

/// POST /api/v5/trade/amend-batch-orders (signed): 1 to kBatchLimit amendments.
inline Result<Request> amend_batch(InstType type, std::span<const OrderAmendment> amendments) {
  return detail::batch(
      "/api/v5/trade/amend-batch-orders", "POST /api/v5/trade/amend-batch-orders", "POST /api/v5/trade/amend-order",
      amendments,
      [type](JsonBody& body, const OrderAmendment& a) { return detail::write_amendment(body, a, type); }, false);
}

/// POST /api/v5/trade/cancel-batch-orders (signed): 1 to kBatchLimit order references.
inline Result<Request> cancel_batch(InstType type, std::span<const OrderRef> refs) {
  return detail::batch(
      "/api/v5/trade/cancel-batch-orders", "POST /api/v5/trade/cancel-batch-orders",
      "POST /api/v5/trade/cancel-order", refs,
      [type](JsonBody& body, const OrderRef& ref) { return detail::write_cancel(body, ref, type); }, false);
}

/// POST /api/v5/trade/cancel-all-after (signed): {"timeOut":"<seconds>"}. Every pending
/// order of the (sub-)account is cancelled when `timeout_s` passes without another
/// call; 0 disarms. invalid_argument outside 0 and kCancelAllAfterMin..kCancelAllAfterMax.
inline Result<Request> cancel_all_after(int timeout_s) {
  if (timeout_s != 0 && (timeout_s < kCancelAllAfterMin || timeout_s > kCancelAllAfterMax)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("cancel-all-after takes 0 or {}..{} seconds, not {}",
                                                               kCancelAllAfterMin, kCancelAllAfterMax, timeout_s));
  }
  JsonBody body;
  body.begin_object().string("timeOut", fmt::format("{}", timeout_s)).end_object();
  return detail::post("/api/v5/trade/cancel-all-after", "POST /api/v5/trade/cancel-all-after", std::move(body).take(),
                      0);
}

/// What GET /api/v5/trade/orders-pending, orders-history and fills ask for.
struct ListQuery {
  InstType type = InstType::spot;            ///< instType (required by orders-history).
  std::string_view inst_id;                  ///< instId; empty for every instrument of the type.
  std::optional<std::string_view> order_id;  ///< fills only: one order's fills (ordId).
  std::string_view after;                    ///< Page of older entries: the last ordId (orders) or billId (fills) seen.
  std::optional<int> limit;                  ///< Page size 1..kMaxPage (venue default 100).
};

namespace detail {

/// instType, instId, ordId (fills), after, limit.
inline Result<Request> list(std::string_view path, std::string_view endpoint, const ListQuery& q) {
  if (!q.inst_id.empty()) {
    if (auto r = check_inst_id(q.inst_id, q.type); !r) return r.error();
  }
  if (auto r = check_limit(q.limit, kMaxPage); !r) return r.error();
  QueryBuilder query;
  query.add("instType", to_string(q.type));
  if (!q.inst_id.empty()) query.add("instId", q.inst_id);
  if (q.order_id) {
    if (auto r = check_order_id(*q.order_id); !r) return r.error();
    query.add("ordId", *q.order_id);
  }
  if (!q.after.empty()) {
    if (auto r = check_order_id(q.after); !r)
      return make_error(ErrorCode::invalid_argument, "after must be an id of digits");
    query.add("after", q.after);
  }
  if (q.limit) query.add_integer("limit", *q.limit);
  return signed_get(path, endpoint, std::move(query));
}

}  // namespace detail

/// GET /api/v5/trade/orders-pending (signed): the live and partially filled orders.
/// invalid_argument for a malformed id, a limit out of range, or an order id (the list
/// takes none).
inline Result<Request> orders_pending(const ListQuery& q) {
  if (q.order_id) return make_error(ErrorCode::invalid_argument, "orders-pending lists orders, not one order");
  return detail::list("/api/v5/trade/orders-pending", "GET /api/v5/trade/orders-pending", q);
}

/// GET /api/v5/trade/orders-history (signed): the orders completed in the last 7 days.
/// Errors as orders_pending().
inline Result<Request> orders_history(const ListQuery& q) {
  if (q.order_id) return make_error(ErrorCode::invalid_argument, "orders-history lists orders, not one order");
  return detail::list("/api/v5/trade/orders-history", "GET /api/v5/trade/orders-history", q);
}

/// GET /api/v5/trade/fills (signed): the fills of the last 3 days, newest first, paged
/// by billId. invalid_argument for a malformed id or a limit out of range.
inline Result<Request> fills(const ListQuery& q) {
  return detail::list("/api/v5/trade/fills", "GET /api/v5/trade/fills", q);
}

/// GET /api/v5/trade/order?instId=...&ordId=...|clOrdId=... (signed): one order, by
/// venue id when `ref` has one. invalid_argument for a malformed reference.
inline Result<Request> order_details(InstType type, const OrderRef& ref) {
  if (auto r = detail::check_inst_id(ref.symbol, type); !r) return r.error();
  QueryBuilder query;
  query.add("instId", ref.symbol);
  if (ref.order_id) {
    if (auto r = detail::check_order_id(*ref.order_id); !r) return r.error();
    query.add("ordId", *ref.order_id);
  } else {
    if (ref.client_order_id.empty()) {
      return make_error(ErrorCode::invalid_argument, "an order reference needs an order id or a client order id");
    }
    if (auto r = detail::check_client_order_id(ref.client_order_id); !r) return r.error();
    query.add("clOrdId", ref.client_order_id);
  }
  return detail::signed_get("/api/v5/trade/order", "GET /api/v5/trade/order", std::move(query));
}

/// GET /api/v5/account/balance[?ccy=...] (signed). `currencies` is empty (every
/// currency with a balance) or a comma-separated list of upper-case currencies.
/// invalid_argument for anything else.
inline Result<Request> balance(std::string_view currencies = {}) {
  for (const char c : currencies) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ',')) {
      return make_error(ErrorCode::invalid_argument, "currencies must be upper-case names separated by commas");
    }
  }
  QueryBuilder query;
  if (!currencies.empty()) query.add("ccy", currencies);
  return detail::signed_get("/api/v5/account/balance", "GET /api/v5/account/balance", std::move(query));
}

/// GET /api/v5/account/positions?instType=SWAP[&instId=...] (signed). Positions exist
/// for SWAP only: invalid_argument for SPOT or a malformed id.
inline Result<Request> positions(InstType type, std::string_view inst_id = {}) {
  if (type != InstType::swap) return make_error(ErrorCode::invalid_argument, "SPOT has no positions");
  if (!inst_id.empty()) {
    if (auto r = detail::check_inst_id(inst_id, type); !r) return r.error();
  }
  QueryBuilder query;
  query.add("instType", to_string(type));
  if (!inst_id.empty()) query.add("instId", inst_id);
  return detail::signed_get("/api/v5/account/positions", "GET /api/v5/account/positions", std::move(query));
}

}  // namespace cts::venue::okx
