// The Bybit-v5-compatible REST front (spot). Facts (paths, parameters, field names,
// retCodes and their messages, the authentication rule, the X-Bapi-Limit headers) from
// Bybit's v5 API documentation (guide, error codes, rate limit, market, order, execution
// and account pages).
#include "cts/sim/bybit_front.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <simdjson.h>

#include "bybit_json.hpp"
#include "cts/core/json_string.hpp"
#include "cts/sign/encoding.hpp"
#include "form.hpp"
#include "json_params.hpp"

namespace cts::sim {
namespace {

using detail::Buffer;
using detail::bybit_levels;
using detail::bybit_side;
using detail::category_name;
using detail::order_json;
using detail::Params;
using detail::read_plain_members;
using detail::to_int;
using detail::status_name;
using detail::time_in_force_name;

constexpr std::int64_t kDefaultRecvWindow = 5000;
constexpr std::size_t kMaxBybitParams = 64;

// A Bybit error: its retCode (error codes page) as Error::venue_code, its retMsg as the
// message.
Error bybit_error(long code, std::string message, ErrorCode kind = ErrorCode::invalid_argument) {
  return make_error(kind, std::move(message), std::to_string(code));
}

// 10001 with a detail naming what is wrong.
Error params_error(std::string_view detail) {
  return bybit_error(10001, fmt::format("Request parameter error. {}", detail));
}

// Bybit's reply envelope; `ext` is retExtInfo (per-item statuses in batch replies).
HttpResponse envelope(long code, std::string_view message, std::string_view result, std::int64_t now_ms,
                      std::string_view ext = "{}") {
  HttpResponse r;
  r.status = 200;
  r.headers.push_back({"Content-Type", "application/json; charset=utf-8"});
  r.body = fmt::format(R"({{"retCode":{},"retMsg":)", code);
  append_json_string(r.body, message);
  fmt::format_to(std::back_inserter(r.body), R"(,"result":{},"retExtInfo":{},"time":{}}})", result, ext, now_ms);
  return r;
}

// The retCode an error carries (10001 when it carries none).
long ret_code(const Error& e) {
  long code = 10001;
  std::from_chars(e.venue_code.data(), e.venue_code.data() + e.venue_code.size(), code);
  return code;
}

HttpResponse failure(const Error& e, std::int64_t now_ms) { return envelope(ret_code(e), e.message, "{}", now_ms); }

HttpResponse success(const Buffer& result, std::int64_t now_ms) {
  return envelope(0, "OK", std::string_view(result.data(), result.size()), now_ms);
}

// The Bybit error for an engine error: spot errors carry Binance's (negative) codes and
// are translated; those only linear orders meet already carry Bybit's.
Error from_engine(const Error& e) {
  if (!e.venue_code.empty() && e.venue_code.front() != '-') return e;
  switch (e.code) {
    case ErrorCode::insufficient_funds: return bybit_error(110007, "Insufficient available balance", e.code);
    case ErrorCode::order_not_found: return bybit_error(110001, "Order does not exist", e.code);
    default: return params_error(e.message);
  }
}

struct BybitRoute {
  HttpMethod method;
  std::string_view path;
  bool is_signed;
  bool is_order;  // counted against the order limit (else the query limit)
};

constexpr BybitRoute kBybitRoutes[] = {
    {HttpMethod::get, "/v5/market/time", false, false},
    {HttpMethod::get, "/v5/market/instruments-info", false, false},
    {HttpMethod::get, "/v5/market/orderbook", false, false},
    {HttpMethod::get, "/v5/market/tickers", false, false},
    {HttpMethod::post, "/v5/order/create", true, true},
    {HttpMethod::post, "/v5/order/amend", true, true},
    {HttpMethod::post, "/v5/order/cancel", true, true},
    {HttpMethod::post, "/v5/order/cancel-all", true, true},
    {HttpMethod::post, "/v5/order/create-batch", true, true},
    {HttpMethod::post, "/v5/order/amend-batch", true, true},
    {HttpMethod::post, "/v5/order/cancel-batch", true, true},
    {HttpMethod::get, "/v5/order/realtime", true, false},
    {HttpMethod::get, "/v5/order/history", true, false},
    {HttpMethod::get, "/v5/execution/list", true, false},
    {HttpMethod::get, "/v5/account/wallet-balance", true, false},
    {HttpMethod::get, "/v5/position/list", true, false},
    {HttpMethod::post, "/v5/position/set-leverage", true, true},
    {HttpMethod::get, "/v5/user/query-api", true, false},
};

// Digits after the decimal point of `d` as fmt prints it (Bybit's priceScale).
std::size_t decimals(Decimal d) {
  const std::string text = fmt::format("{}", d);
  const std::size_t dot = text.find('.');
  return dot == std::string::npos ? 0 : text.size() - dot - 1;
}

const BybitRoute* find_bybit_route(const HttpRequest& r) {
  for (const BybitRoute& route : kBybitRoutes) {
    if (route.method == r.method && route.path == r.path) return &route;
  }
  return nullptr;
}

// The batch routes: their body's "request" is an array of order objects.
bool is_batch(std::string_view path) {
  return path == "/v5/order/create-batch" || path == "/v5/order/amend-batch" || path == "/v5/order/cancel-batch";
}

// Reads a JSON object body into `out` (read_plain_members). A batch body's "request"
// array is read into `items`, one Params per element, each an object of plain values.
// False for malformed JSON, a non-object document, a second "request", or nesting
// anywhere else.
bool parse_json_body(std::string_view body, Params& out, std::vector<Params>* items) {
  if (body.empty()) return true;
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(body.data(), body.size()).get(object) != simdjson::SUCCESS) return false;
  const auto no_nesting = [](simdjson::dom::array) { return false; };
  bool seen = false;
  const auto read_items = [&](simdjson::dom::array array) {
    if (std::exchange(seen, true)) return false;
    for (const auto element : array) {
      simdjson::dom::object item;
      if (element.get(item) != simdjson::SUCCESS) return false;
      if (!read_plain_members(item, items->emplace_back(), {}, no_nesting)) return false;
    }
    return true;
  };
  return read_plain_members(object, out, items != nullptr ? "request" : "", read_items);
}

// 10001 for more than kMaxBybitParams parameters or a name given twice.
std::optional<Error> check_params(const Params& params) {
  if (params.size() > kMaxBybitParams) return params_error("Too many parameters.");
  for (std::size_t i = 0; i < params.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (params[i].first == params[j].first)
        return params_error(fmt::format("Duplicate parameter '{}'.", params[i].first.substr(0, 64)));
    }
  }
  return std::nullopt;
}

// Most orders in one batch request: 10 spot, 20 linear (batch-place, batch-amend and
// batch-cancel pages).
std::size_t batch_max(InstrumentKind kind) { return kind == InstrumentKind::spot ? 10 : 20; }

Error rate_limit_error() {
  return bybit_error(10006, "Too many visits. Exceeded the API Rate Limit.", ErrorCode::rate_limited);
}

}  // namespace

// The parameters of a request, or of one item of a batch request, with typed readers.
class BybitFront::Fields {
 public:
  Params params;

  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const {
    return detail::find_param(params, name);
  }

  [[nodiscard]] Result<std::string_view> required(std::string_view name) const {
    const auto v = get(name);
    if (!v) return params_error(fmt::format("Missing parameter '{}'.", name));
    return *v;
  }

  // A positive decimal parameter, if given.
  [[nodiscard]] Result<std::optional<Decimal>> decimal(std::string_view name) const {
    const auto v = get(name);
    if (!v) return std::optional<Decimal>{};
    auto d = Decimal::parse(*v);
    if (!d || !d->is_positive()) return params_error(fmt::format("Parameter '{}' is not a positive decimal.", name));
    return std::optional<Decimal>(*d);
  }

  // `limit` within [1, max], `fallback` when absent.
  [[nodiscard]] Result<std::size_t> limit(std::size_t fallback, std::size_t max) const {
    const auto v = get("limit");
    if (!v) return fallback;
    const auto n = to_int(*v);
    if (!n || *n < 1 || static_cast<std::size_t>(*n) > max)
      return params_error(fmt::format("'limit' must lie in [1, {}].", max));
    return static_cast<std::size_t>(*n);
  }

  // category=spot or linear (the categories this front serves) as an instrument kind.
  [[nodiscard]] Result<InstrumentKind> category() const {
    const auto category = get("category");
    if (!category) return params_error("Missing parameter 'category'.");
    if (*category == "spot") return InstrumentKind::spot;
    if (*category == "linear") return InstrumentKind::linear_perpetual;
    return params_error("The simulator serves category=spot and category=linear.");
  }

  // The engine's market name (market_key) of the symbol parameter in `kind`, which must
  // name a listed instrument when given; "" when absent and not needed.
  [[nodiscard]] Result<std::string> symbol(const MatchingEngine& engine, InstrumentKind kind, bool needed) const {
    const auto v = get("symbol");
    if (!v) {
      if (needed) return params_error("Missing parameter 'symbol'.");
      return std::string{};
    }
    std::string key = market_key(kind, *v);
    if (engine.instrument(key) == nullptr) return params_error("Unknown symbol.");
    return key;
  }

  // orderId (digits) or orderLinkId of amend and cancel; one of them is required.
  [[nodiscard]] Result<std::pair<std::optional<OrderId>, std::string>> order_ref() const {
    const auto id = get("orderId");
    const auto link = get("orderLinkId");
    if (!id && !link) return params_error("orderId or orderLinkId is required.");
    std::optional<OrderId> order_id;
    if (id) {
      order_id = to_int(*id);
      if (!order_id) return bybit_error(110001, "Order does not exist", ErrorCode::order_not_found);
    }
    return std::pair<std::optional<OrderId>, std::string>{order_id, std::string(link.value_or(""))};
  }
};

// One request being served: its parameters (query, or JSON body for POST), a batch
// request's items, and the authenticated account.
class BybitFront::Call : public Fields {
 public:
  const HttpRequest& request;
  std::int64_t now_ms;
  const BybitRoute& route;
  std::vector<Fields> items;  // a batch request's orders, in order
  std::size_t granted = 0;    // how many of them the rate limit lets run (the first ones)
  AccountId account = 0;
  std::vector<HttpHeader> limit_headers;

  Call(const HttpRequest& r, std::int64_t now, const BybitRoute& rt) : request(r), now_ms(now), route(rt) {}

  // Whole-request checks: the body or query, and for a batch its category and 1 to
  // batch_max(category) items.
  std::optional<Error> parse() {
    const bool post = request.method == HttpMethod::post;
    const bool batch = is_batch(request.path);
    std::vector<Params> item_params;
    const bool ok = post ? parse_json_body(request.body, params, batch ? &item_params : nullptr)
                         : detail::parse_form(request.query, params);
    if (!ok) {
      return params_error(!post   ? "Malformed query string."
                          : batch ? "The body is not a JSON object of plain values with a 'request' array of them."
                                  : "The body is not a JSON object of plain values.");
    }
    if (auto bad = check_params(params)) return bad;
    if (!batch) return std::nullopt;
    for (Params& item : item_params) {
      if (auto bad = check_params(item)) return bad;
      items.push_back(Fields{std::move(item)});
    }
    const auto kind = category();
    if (!kind) return kind.error();
    if (items.empty() || items.size() > batch_max(*kind)) {
      return params_error(fmt::format("A {} batch holds 1 to {} orders, not {}.", category_name(*kind),
                                      batch_max(*kind), items.size()));
    }
    return std::nullopt;
  }
};

namespace {

void ack_json(Buffer& b, const Order& o, std::string_view link_id) {
  fmt::format_to(std::back_inserter(b), R"({{"orderId":"{}","orderLinkId":"{}"}})", o.id, link_id);
}

// Orders newest first, at most `limit`.
std::vector<Order> newest(std::vector<Order> orders, std::size_t limit) {
  std::reverse(orders.begin(), orders.end());
  if (orders.size() > limit) orders.resize(limit);
  return orders;
}

}  // namespace

BybitFront::BybitFront(MatchingEngine& engine, BybitFrontConfig config)
    : engine_(engine), config_(std::move(config)), faults_(config_.faults) {}

void BybitFront::add_credential(std::string api_key, std::string_view secret, AccountId account) {
  if (api_key.empty() || secret.empty())
    throw Exception(make_error(ErrorCode::invalid_argument, "API key and secret must not be empty"));
  credentials_.insert_or_assign(std::move(api_key), Credential{account, sign::HmacSha256(secret)});
}

net::ServerReply BybitFront::handle(const HttpRequest& request, SystemTime now) {
  ++stats_.requests;
  const std::int64_t now_ms = to_unix_millis(now);
  net::ServerReply reply;
  const Error server_error = bybit_error(10016, "Internal System Error.", ErrorCode::venue_unavailable);
  const RestFaults::Before before = faults_.before(config_.faults, reply.delay, stats_.faults);
  if (before == RestFaults::Before::reset) {
    reply.action = net::ReplyAction::reset;
    return reply;
  }
  if (before == RestFaults::Before::error) {
    reply.response = failure(server_error, now_ms);
    return reply;
  }
  const BybitRoute* route = find_bybit_route(request);
  if (route == nullptr) {
    reply.response = failure(bybit_error(10017, "Route not found.", ErrorCode::unsupported), now_ms);
    reply.response.status = 404;
    return reply;
  }
  if (faults_.take_burst(stats_.faults)) {
    // As Bybit answers an exhausted limit: nothing left, reset at the next second.
    ++stats_.rate_limited;
    reply.response = failure(rate_limit_error(), now_ms);
    reply.response.headers.push_back({"X-Bapi-Limit-Status", "0"});
    reply.response.headers.push_back({"X-Bapi-Limit-Reset-Timestamp", std::to_string((now_ms / 1000 + 1) * 1000)});
    return reply;
  }
  Call call(request, now_ms, *route);
  if (const auto bad = call.parse()) {
    reply.response = failure(*bad, now_ms);
  } else {
    ++stats_.executed;
    reply.response = dispatch(call);
    for (auto& h : call.limit_headers) reply.response.headers.push_back(std::move(h));
  }
  // granted: authenticated and within the limits (execute() set it), so executed.
  const bool executed_order = route->is_order && route->path != "/v5/position/set-leverage" && call.granted > 0;
  const RestFaults::After after = faults_.after(config_.faults, executed_order, stats_.faults);
  if (after == RestFaults::After::error) {
    reply.response = failure(server_error, now_ms);
  } else if (after == RestFaults::After::drop) {
    reply.action = net::ReplyAction::drop;
  }
  return reply;
}

std::string_view BybitFront::link_id(const Order& order) const {
  return order_link_ids_.contains(fmt::format("{}:{}", order.account, order.client_order_id))
             ? std::string_view(order.client_order_id)
             : std::string_view();
}

namespace {

// 10001 for a malformed X-BAPI-TIMESTAMP or X-BAPI-RECV-WINDOW (default 5000), 10002 for a
// timestamp outside [now − recv window, now + 1000).
std::optional<Error> timestamp_error(std::string_view timestamp_text, std::optional<std::string_view> recv_window_text,
                                     std::int64_t now_ms) {
  const auto timestamp = to_int(timestamp_text);
  if (!timestamp) return params_error("X-BAPI-TIMESTAMP is not a time in milliseconds.");
  std::int64_t recv_window = kDefaultRecvWindow;
  if (recv_window_text) {
    const auto parsed = to_int(*recv_window_text);
    if (!parsed || *parsed <= 0) return params_error("X-BAPI-RECV-WINDOW is not a positive number of milliseconds.");
    recv_window = *parsed;
  }
  if (!(now_ms - recv_window <= *timestamp && *timestamp < now_ms + 1000)) {
    return bybit_error(10002, "The request time exceeds the time window range.", ErrorCode::timestamp_out_of_window);
  }
  return std::nullopt;
}

}  // namespace

HttpResponse BybitFront::dispatch(Call& call) {
  if (!call.route.is_signed) return market(call);
  const HttpRequest& r = call.request;
  ++stats_.signed_requests;
  const auto reject = [&](const Error& e) {
    ++stats_.auth_rejected;
    return failure(e, call.now_ms);
  };
  const auto key = r.header("X-BAPI-API-KEY");
  if (!key || key->empty()) return reject(bybit_error(10003, "API key is invalid.", ErrorCode::auth_failed));
  const auto credential = credentials_.find(std::string(*key));
  if (credential == credentials_.end())
    return reject(bybit_error(10003, "API key is invalid.", ErrorCode::auth_failed));
  const auto timestamp_text = r.header("X-BAPI-TIMESTAMP");
  const auto signature = r.header("X-BAPI-SIGN");
  if (!timestamp_text || !signature)
    return failure(params_error("X-BAPI-TIMESTAMP and X-BAPI-SIGN are required."), call.now_ms);
  const auto recv_window_text = r.header("X-BAPI-RECV-WINDOW");
  if (const auto late = timestamp_error(*timestamp_text, recv_window_text, call.now_ms)) {
    return failure(*late, call.now_ms);
  }
  const std::string_view payload = r.method == HttpMethod::get ? std::string_view(r.query) : std::string_view(r.body);
  const auto digest = credential->second.mac.digest({*timestamp_text, *key, recv_window_text.value_or(""), payload});
  if (*signature != sign::hex_lower(digest)) {
    return reject(bybit_error(10004, "Error sign, please check your signature generation algorithm.",
                              ErrorCode::invalid_signature));
  }
  call.account = credential->second.account;
  return execute(call);
}

HttpResponse BybitFront::execute(Call& call) {
  const HttpRequest& r = call.request;
  // Per-account, per-endpoint window of one second (X-Bapi-Limit*). A batch endpoint has
  // its own window per category, and each of its orders counts as one request; when
  // fewer remain than a batch holds, its first orders run and the rest fail with 10006.
  std::uint32_t limit = call.route.is_order ? config_.limits.order_per_second : config_.limits.query_per_second;
  std::string window_key = fmt::format("{}:{}", call.account, r.path);
  std::size_t cost = 1;
  if (is_batch(r.path)) {
    const bool spot = call.category().value() == InstrumentKind::spot;  // parse() checked it
    limit = spot ? config_.limits.batch_spot_per_second : config_.limits.batch_linear_per_second;
    fmt::format_to(std::back_inserter(window_key), ":{}", spot ? "spot" : "linear");
    cost = call.items.size();
  }
  Window& window = windows_[window_key];
  const std::int64_t second = call.now_ms / 1000;
  if (window.second != second) window = Window{second, 0};
  const bool over = window.used >= limit;
  call.granted = std::min<std::size_t>(cost, limit - std::min(limit, window.used));
  window.used += static_cast<std::uint32_t>(call.granted);
  const std::int64_t reset_ms = call.granted < cost ? (second + 1) * 1000 : call.now_ms;
  call.limit_headers = {{"X-Bapi-Limit", std::to_string(limit)},
                        {"X-Bapi-Limit-Status", std::to_string(limit - window.used)},
                        {"X-Bapi-Limit-Reset-Timestamp", std::to_string(reset_ms)}};
  if (call.granted < cost) ++stats_.rate_limited;
  if (over) return failure(rate_limit_error(), call.now_ms);
  if (r.path == "/v5/account/wallet-balance") return wallet(call);
  if (r.path == "/v5/position/list") return positions(call);
  if (r.path == "/v5/position/set-leverage") return set_leverage(call);
  if (r.path == "/v5/user/query-api") return api_key_info(call);
  return call.route.is_order ? trade(call) : query(call);
}

HttpResponse BybitFront::market(Call& call) {
  const std::string_view path = call.request.path;
  Buffer b;
  auto out = std::back_inserter(b);
  if (path == "/v5/market/time") {
    fmt::format_to(out, R"({{"timeSecond":"{}","timeNano":"{}"}})", call.now_ms / 1000, call.now_ms * 1'000'000);
    return success(b, call.now_ms);
  }
  const auto kind = call.category();
  if (!kind) return failure(kind.error(), call.now_ms);
  const bool linear = *kind != InstrumentKind::spot;
  const bool needs_symbol = path == "/v5/market/orderbook";
  auto symbol = call.symbol(engine_, *kind, needs_symbol);
  if (!symbol) return failure(symbol.error(), call.now_ms);
  std::vector<std::string> listed;
  for (const std::string& key : engine_.markets()) {
    if (engine_.instrument(key)->kind == *kind && (symbol->empty() || key == *symbol)) listed.push_back(key);
  }
  if (path == "/v5/market/instruments-info") {
    fmt::format_to(out, R"({{"category":"{}","list":[)", category_name(*kind));
    for (std::size_t i = 0; i < listed.size(); ++i) {
      const Instrument& in = *engine_.instrument(listed[i]);
      const SymbolFilters& f = *engine_.filters(listed[i]);
      const Decimal max_qty = in.max_quantity.is_positive() ? in.max_quantity : Decimal::from_int(9'000'000);
      const std::string_view comma = i == 0 ? "" : ",";
      if (linear) {
        fmt::format_to(
            out,
            R"({}{{"symbol":"{}","contractType":"LinearPerpetual","status":"Trading","baseCoin":"{}","quoteCoin":"{}","launchTime":"0","deliveryTime":"0","deliveryFeeRate":"","priceScale":"{}","leverageFilter":{{"minLeverage":"{}","maxLeverage":"{}","leverageStep":"{}"}},"priceFilter":{{"minPrice":"{}","maxPrice":"{}","tickSize":"{}"}},"lotSizeFilter":{{"maxOrderQty":"{}","minOrderQty":"{}","qtyStep":"{}","postOnlyMaxOrderQty":"{}","maxMktOrderQty":"{}","minNotionalValue":"{}"}},"unifiedMarginTrade":true,"fundingInterval":480,"settleCoin":"{}","copyTrading":"none","upperFundingRate":"0","lowerFundingRate":"0","isPreListing":false,"preListingInfo":null,"riskParameters":{{"priceLimitRatioX":"0","priceLimitRatioY":"0"}},"symbolType":""}})",
            comma, in.venue_symbol, in.base, in.quote, f.price_scale.value_or(static_cast<int>(decimals(in.tick_size))),
            f.min_leverage, f.max_leverage, f.leverage_step, *f.min_price, f.max_price, in.tick_size, max_qty,
            in.min_quantity, in.step_size, max_qty, max_qty, in.min_notional, in.settle.empty() ? in.quote : in.settle);
      } else {
        fmt::format_to(
            out,
            R"({}{{"symbol":"{}","baseCoin":"{}","quoteCoin":"{}","innovation":"0","status":"Trading","marginTrading":"none","lotSizeFilter":{{"basePrecision":"{}","quotePrecision":"{}","minOrderQty":"{}","maxOrderQty":"{}","minOrderAmt":"{}","maxOrderAmt":"{}"}},"priceFilter":{{"tickSize":"{}"}}}})",
            comma, in.venue_symbol, in.base, in.quote, in.step_size, in.tick_size, in.min_quantity, max_qty,
            in.min_notional, f.max_notional, in.tick_size);
      }
    }
    b.append(std::string_view(R"(],"nextPageCursor":""})"));
    return success(b, call.now_ms);
  }
  if (path == "/v5/market/orderbook") {
    // Bybit: spot 1..200, default 1; linear 1..500, default 25.
    auto limit = linear ? call.limit(25, 500) : call.limit(1, 200);
    if (!limit) return failure(limit.error(), call.now_ms);
    const auto [bids, asks] = engine_.depth(*symbol, *limit);
    const std::int64_t update = engine_.last_update_id(*symbol);
    // The documented member order: asks "a", then bids "b".
    fmt::format_to(out, R"({{"s":"{}","a":)", engine_.instrument(*symbol)->venue_symbol);
    bybit_levels(b, asks);
    b.append(std::string_view(R"(,"b":)"));
    bybit_levels(b, bids);
    fmt::format_to(out, R"(,"ts":{},"u":{},"seq":{},"cts":{}}})", call.now_ms, update, update, call.now_ms);
    return success(b, call.now_ms);
  }
  // /v5/market/tickers: best bid and ask, the last trade price ("" before any trade); linear
  // adds the mark price (MatchingEngine::mark_price; the index price is the same, the
  // simulator has no index), a funding rate of 0 (no funding) and the 24 h figures over the
  // public trades the engine keeps.
  fmt::format_to(out, R"({{"category":"{}","list":[)", category_name(*kind));
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const std::string& key = listed[i];
    const detail::TickerFigures t = detail::ticker_figures(engine_, key, call.now_ms);
    const auto text = [](const std::optional<Level>& l, bool price) {
      return l ? fmt::format("{}", price ? l->price : l->quantity) : std::string();
    };
    fmt::format_to(
        out, R"({}{{"symbol":"{}","bid1Price":"{}","bid1Size":"{}","ask1Price":"{}","ask1Size":"{}","lastPrice":"{}")",
        i == 0 ? "" : ",", engine_.instrument(key)->venue_symbol, text(t.bid, true), text(t.bid, false),
        text(t.ask, true), text(t.ask, false), detail::optional_text(t.last));
    if (linear) {
      const std::string mark_text = detail::optional_text(t.mark);
      fmt::format_to(
          out,
          R"(,"indexPrice":"{}","markPrice":"{}","prevPrice24h":"{}","highPrice24h":"{}","lowPrice24h":"{}","turnover24h":"{}","volume24h":"{}","fundingRate":"0","nextFundingTime":"0","predictedDeliveryPrice":"","basisRate":"","deliveryFeeRate":"","deliveryTime":"0","basis":"")",
          mark_text, mark_text, detail::optional_text(t.open_24h), detail::optional_text(t.high_24h),
          detail::optional_text(t.low_24h), t.turnover_24h, t.volume_24h);
    }
    b.push_back('}');
  }
  b.append(std::string_view("]}"));
  return success(b, call.now_ms);
}

HttpResponse BybitFront::trade(Call& call) {
  const std::string_view path = call.request.path;
  const auto kind = call.category();
  if (!kind) return failure(kind.error(), call.now_ms);
  if (path == "/v5/order/create") return single(call, *kind, &BybitFront::create_order);
  if (path == "/v5/order/amend") return single(call, *kind, &BybitFront::amend_order);
  if (path == "/v5/order/cancel") return single(call, *kind, &BybitFront::cancel_order);
  if (path == "/v5/order/create-batch") return batch(call, *kind, &BybitFront::create_order);
  if (path == "/v5/order/amend-batch") return batch(call, *kind, &BybitFront::amend_order);
  if (path == "/v5/order/cancel-batch") return batch(call, *kind, &BybitFront::cancel_order);
  Buffer b;
  auto symbol = call.symbol(engine_, *kind, false);
  if (!symbol) return failure(symbol.error(), call.now_ms);
  // /v5/order/cancel-all: by symbol, else baseCoin, else settleCoin (linear needs one of
  // them; spot cancels every spot order without, and has no settleCoin).
  const auto base = call.get("baseCoin");
  const auto settle = call.get("settleCoin");
  const bool linear = *kind != InstrumentKind::spot;
  if (linear && symbol->empty() && !base && !settle)
    return failure(params_error("symbol, baseCoin or settleCoin is required."), call.now_ms);
  if (!linear && settle) return failure(params_error("settleCoin is not supported for spot."), call.now_ms);
  std::vector<Order> cancelled;
  for (const std::string& key : engine_.markets()) {
    const Instrument& in = *engine_.instrument(key);
    const std::string& coin = in.settle.empty() ? in.quote : in.settle;
    const bool chosen = !symbol->empty() ? key == *symbol : base ? in.base == *base : !settle || coin == *settle;
    if (in.kind != *kind || !chosen) continue;
    for (Order& o : engine_.cancel_all(call.account, key, call.now_ms)) cancelled.push_back(std::move(o));
  }
  b.append(std::string_view(R"({"list":[)"));
  for (std::size_t i = 0; i < cancelled.size(); ++i) {
    if (i != 0) b.push_back(',');
    ack_json(b, cancelled[i], link_id(cancelled[i]));
  }
  b.append(std::string_view(R"(],"success":"1"})"));
  return success(b, call.now_ms);
}

Result<Order> BybitFront::create_order(const Fields& item, AccountId account, InstrumentKind kind,
                                       std::int64_t now_ms) {
  const bool linear = kind != InstrumentKind::spot;
  auto symbol = item.symbol(engine_, kind, true);
  if (!symbol) return symbol.error();
  OrderRequest order;
  order.account = account;
  order.symbol = *symbol;
  auto side = item.required("side");
  if (!side) return side.error();
  if (*side == "Buy") {
    order.side = Side::buy;
  } else if (*side == "Sell") {
    order.side = Side::sell;
  } else {
    return params_error("'side' must be Buy or Sell.");
  }
  auto type = item.required("orderType");
  if (!type) return type.error();
  auto quantity = item.decimal("qty");
  if (!quantity) return quantity.error();
  if (!*quantity) return params_error("Missing parameter 'qty'.");
  auto price = item.decimal("price");
  if (!price) return price.error();
  const auto tif = item.get("timeInForce");
  if (*type == "Limit") {
    if (!*price) return params_error("Missing parameter 'price'.");
    order.type = SimOrderType::limit;
    order.price = *price;
    order.quantity = **quantity;
    const std::string_view t = tif.value_or("GTC");
    if (t == "GTC") {
      order.time_in_force = TimeInForce::gtc;
    } else if (t == "IOC") {
      order.time_in_force = TimeInForce::ioc;
    } else if (t == "FOK") {
      order.time_in_force = TimeInForce::fok;
    } else if (t == "PostOnly") {
      order.type = SimOrderType::limit_maker;
    } else {
      return params_error("'timeInForce' must be GTC, IOC, FOK or PostOnly.");
    }
  } else if (*type == "Market") {
    if (tif && *tif != "IOC" && *tif != "FOK") return params_error("A Market order's 'timeInForce' is IOC or FOK.");
    order.type = SimOrderType::market;
    // Spot market orders: qty is in quote for a buy and base for a sell unless marketUnit
    // says otherwise; linear ones are always by quantity (marketUnit is spot's only).
    const std::string_view unit =
        linear ? "baseCoin" : item.get("marketUnit").value_or(order.side == Side::buy ? "quoteCoin" : "baseCoin");
    if (unit == "baseCoin") {
      order.quantity = **quantity;
    } else if (unit == "quoteCoin") {
      order.quote_quantity = **quantity;
    } else {
      return params_error("'marketUnit' must be baseCoin or quoteCoin.");
    }
  } else {
    return params_error("'orderType' must be Limit or Market.");
  }
  if (const auto leverage = item.get("isLeverage"); !linear && leverage && *leverage != "0") {
    return params_error("The simulator does not lend (isLeverage must be 0).");
  }
  if (const auto reduce = item.get("reduceOnly")) {
    if (*reduce != "true" && *reduce != "false") return params_error("'reduceOnly' must be true or false.");
    order.reduce_only = *reduce == "true";
    if (order.reduce_only && !linear) return params_error("'reduceOnly' is for linear orders.");
  }
  if (const auto index = item.get("positionIdx"); index && *index != "0") {
    // One-way mode only: Bybit answers a hedge-mode leg so.
    return params_error("position idx not match position mode");
  }
  std::string link_key;
  if (const auto link = item.get("orderLinkId")) {
    const bool valid =
        link->size() <= 36 && std::all_of(link->begin(), link->end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        });
    if (!valid) return params_error("'orderLinkId' holds up to 36 letters, digits, - and _.");
    link_key = fmt::format("{}:{}", account, *link);
    if (order_link_ids_.contains(link_key))
      return bybit_error(110072, "OrderLinkedID is duplicate", ErrorCode::duplicate_client_order_id);
    order.client_order_id = std::string(*link);
  }
  auto placed = engine_.place(order, now_ms);
  if (!placed) return from_engine(placed.error());
  if (!link_key.empty()) order_link_ids_.insert(std::move(link_key));
  return std::move(placed->order);
}

Result<Order> BybitFront::amend_order(const Fields& item, AccountId account, InstrumentKind kind, std::int64_t now_ms) {
  auto symbol = item.symbol(engine_, kind, true);
  if (!symbol) return symbol.error();
  auto ref = item.order_ref();
  if (!ref) return ref.error();
  auto quantity = item.decimal("qty");
  if (!quantity) return quantity.error();
  auto price = item.decimal("price");
  if (!price) return price.error();
  if (!*quantity && !*price) return params_error("Nothing to amend: give qty or price.");
  auto amended = engine_.amend(account, *symbol, ref->first, ref->second, *quantity, *price, now_ms);
  if (!amended) return from_engine(amended.error());
  return amended;
}

Result<Order> BybitFront::cancel_order(const Fields& item, AccountId account, InstrumentKind kind,
                                       std::int64_t now_ms) {
  auto symbol = item.symbol(engine_, kind, true);
  if (!symbol) return symbol.error();
  auto ref = item.order_ref();
  if (!ref) return ref.error();
  auto cancelled = engine_.cancel(account, *symbol, ref->first, ref->second, now_ms);
  if (!cancelled) return from_engine(cancelled.error());
  return cancelled;
}

HttpResponse BybitFront::single(Call& call, InstrumentKind kind, ItemAction action) {
  auto done = (this->*action)(call, call.account, kind, call.now_ms);
  if (!done) return failure(done.error(), call.now_ms);
  Buffer b;
  ack_json(b, *done, link_id(*done));
  return success(b, call.now_ms);
}

// result.list[i] is the order's category, symbol, orderId, orderLinkId (and createAt for
// create-batch); an item that fails, or that the rate limit leaves out, carries its
// symbol and orderLinkId as sent and an empty orderId (and createAt). retExtInfo.list[i]
// is the item's {code, msg}: 0 "OK", or its error's retCode and message.
HttpResponse BybitFront::batch(Call& call, InstrumentKind kind, ItemAction action) {
  const bool create = call.request.path == "/v5/order/create-batch";
  std::string result = R"({"list":[)";
  std::string ext = R"({"list":[)";
  for (std::size_t i = 0; i < call.items.size(); ++i) {
    const Fields& item = call.items[i];
    const Result<Order> done =
        i < call.granted ? (this->*action)(item, call.account, kind, call.now_ms) : Result<Order>(rate_limit_error());
    if (i != 0) {
      result.push_back(',');
      ext.push_back(',');
    }
    fmt::format_to(std::back_inserter(result), R"({{"category":"{}","symbol":)", category_name(kind));
    append_json_string(result, done ? std::string_view(engine_.instrument(done->symbol)->venue_symbol)
                                    : item.get("symbol").value_or(""));
    result.append(R"(,"orderId":)");
    append_json_string(result, done ? std::to_string(done->id) : std::string());
    result.append(R"(,"orderLinkId":)");
    append_json_string(result, done ? link_id(*done) : item.get("orderLinkId").value_or(""));
    if (create) {
      result.append(R"(,"createAt":)");
      append_json_string(result, done ? std::to_string(done->time_ms) : std::string());
    }
    result.push_back('}');
    if (done) {
      ext.append(R"({"code":0,"msg":"OK"})");
    } else {
      fmt::format_to(std::back_inserter(ext), R"({{"code":{},"msg":)", ret_code(done.error()));
      append_json_string(ext, done.error().message);
      ext.push_back('}');
    }
  }
  result.append("]}");
  ext.append("]}");
  return envelope(0, "OK", result, call.now_ms, ext);
}

// /v5/account/wallet-balance (accountType=UNIFIED): per coin, walletBalance = free +
// locked (deposits, spot trades, linear realised PnL and fees); locked = what spot orders
// hold; totalOrderIM = what linear orders hold; totalPositionIM, unrealisedPnl (at
// MatchingEngine::mark_price) and cumRealisedPnl over the positions settled in the coin;
// equity = walletBalance + unrealisedPnl; availableToWithdraw = walletBalance − locked −
// totalOrderIM − totalPositionIM; usdValue = equity · the coin's USD price (USDT counts as
// USD; another coin is priced at the mark of its spot market against USDT, and at 0 when
// there is none). The account's totals are over every coin, whatever `coin` selects:
// totalWalletBalance, totalPerpUPL and totalInitialMargin (order + position IM) in USD,
// totalMarginBalance = totalEquity = totalWalletBalance + totalPerpUPL,
// totalAvailableBalance = totalMarginBalance − totalInitialMargin, accountIMRate =
// totalInitialMargin / totalMarginBalance (4 decimals); no maintenance margin ("0").
HttpResponse BybitFront::wallet(Call& call) {
  const AccountId account = call.account;
  const auto type = call.get("accountType");
  if (!type) return failure(params_error("Missing parameter 'accountType'."), call.now_ms);
  if (*type != "UNIFIED") return failure(params_error("accountType must be UNIFIED."), call.now_ms);
  const auto only = call.get("coin");
  const auto selected = [&](std::string_view asset) { return !only || detail::in_comma_list(*only, asset); };
  const auto usd_price = [&](const std::string& asset) {
    if (asset == "USDT") return Decimal::from_int(1);
    return engine_.mark_price(market_key(InstrumentKind::spot, asset + "USDT")).value_or(Decimal{});
  };
  const auto positions = engine_.positions(account);
  Buffer coins;
  auto out = std::back_inserter(coins);
  Decimal total_wallet, total_upl, total_im;
  bool first = true;
  for (const auto& [asset, balance] : engine_.balances(account)) {
    const Decimal wallet = balance.free + balance.locked;
    const Decimal order_im = engine_.order_margin(account, asset);
    const Decimal position_im = engine_.position_margin(account, asset);
    Decimal unrealised, realised;
    for (const auto& [market, held] : positions) {
      const Instrument& in = *engine_.instrument(market);
      if ((in.settle.empty() ? in.quote : in.settle) != asset) continue;
      realised += held.realised_pnl();
      if (const auto mark = engine_.mark_price(market); mark && !held.size.is_zero())
        unrealised += held.unrealised_pnl(*mark);
    }
    const Decimal price = usd_price(asset);
    const auto usd = [&](Decimal amount) { return amount.mul(price, Rounding::half_even); };
    total_wallet += usd(wallet);
    total_upl += usd(unrealised);
    total_im += usd(order_im + position_im);
    if (!selected(asset)) continue;
    fmt::format_to(
        out,
        R"({}{{"coin":"{}","walletBalance":"{}","equity":"{}","usdValue":"{}","locked":"{}","availableToWithdraw":"{}","borrowAmount":"0","accruedInterest":"0","totalOrderIM":"{}","totalPositionIM":"{}","totalPositionMM":"0","unrealisedPnl":"{}","cumRealisedPnl":"{}","bonus":"0","collateralSwitch":true,"marginCollateral":true}})",
        first ? "" : ",", asset, wallet, wallet + unrealised, usd(wallet + unrealised), balance.locked - order_im,
        std::max(Decimal{}, wallet - balance.locked - position_im), order_im, position_im, unrealised, realised);
    first = false;
  }
  const Decimal margin_balance = total_wallet + total_upl;
  const Decimal im_rate = margin_balance.is_positive()
                              ? total_im.div(margin_balance, Rounding::half_even).round(4, Rounding::half_even)
                              : Decimal{};
  Buffer b;
  fmt::format_to(
      std::back_inserter(b),
      R"({{"list":[{{"totalEquity":"{}","accountIMRate":"{}","totalMarginBalance":"{}","totalInitialMargin":"{}","accountType":"UNIFIED","totalAvailableBalance":"{}","accountMMRate":"0","totalPerpUPL":"{}","totalWalletBalance":"{}","accountLTV":"0","totalMaintenanceMargin":"0","coin":[{}]}}]}})",
      margin_balance, im_rate, margin_balance, total_im, margin_balance - total_im, total_upl, total_wallet,
      std::string_view(coins.data(), coins.size()));
  return success(b, call.now_ms);
}

// /v5/position/list (category=linear): with a symbol, its position even when flat; with
// settleCoin only, the positions with a size.
HttpResponse BybitFront::positions(Call& call) {
  const auto kind = call.category();
  if (!kind) return failure(kind.error(), call.now_ms);
  if (*kind != InstrumentKind::linear_perpetual)
    return failure(params_error("Positions exist for category=linear only."), call.now_ms);
  auto symbol = call.symbol(engine_, *kind, false);
  if (!symbol) return failure(symbol.error(), call.now_ms);
  const auto settle = call.get("settleCoin");
  if (symbol->empty() && !settle) return failure(params_error("symbol or settleCoin is required."), call.now_ms);
  auto limit = call.limit(20, 200);
  if (!limit) return failure(limit.error(), call.now_ms);
  Buffer b;
  b.append(std::string_view(R"({"list":[)"));
  std::size_t listed = 0;
  for (const std::string& market : engine_.markets()) {
    const Instrument& in = *engine_.instrument(market);
    const std::string_view coin = in.settle.empty() ? std::string_view(in.quote) : std::string_view(in.settle);
    if (in.kind != *kind || (!symbol->empty() && market != *symbol) || (settle && *settle != coin)) continue;
    const Position* found = engine_.position(call.account, market);
    if (symbol->empty() && (found == nullptr || found->size.is_zero())) continue;
    if (listed == *limit) break;
    Position held;
    if (found != nullptr) held = *found;
    if (listed != 0) b.push_back(',');
    detail::position_json(b, in, held, engine_.mark_price(market), detail::PositionObject::rest);
    ++listed;
  }
  b.append(std::string_view(R"(],"nextPageCursor":"","category":"linear"})"));
  return success(b, call.now_ms);
}

// /v5/user/query-api: every simulated key is a read-write key of a unified account,
// allowed to trade spot and contracts and to move funds between its own accounts, and
// to withdraw only when the configuration says so; bound to no IP (so Bybit would give it an expiry: 90 days from
// creation, here the simulator's clock).
HttpResponse BybitFront::api_key_info(Call& call) {
  std::string key;
  append_json_string(key, call.request.header("X-BAPI-API-KEY").value_or(""));
  constexpr std::int64_t kDayMs = 24 * 3600 * 1000;
  const auto day = [](std::int64_t ms) {
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::sys_seconds(std::chrono::seconds(ms / 1000)));
  };
  Buffer b;
  fmt::format_to(
      std::back_inserter(b),
      R"({{"id":"{}","note":"cts simulator","apiKey":{},"readOnly":0,"secret":"","permissions":{{"ContractTrade":["Order","Position"],"Spot":["SpotTrade"],"Wallet":["AccountTransfer"{}],"Options":[],"Derivatives":["DerivativesTrade"],"CopyTrading":[],"BlockTrade":[],"Exchange":[],"NFT":[],"Affiliate":[],"Earn":[]}},"ips":["*"],"type":1,"deadlineDay":90,"expiredAt":"{}","createdAt":"{}","unified":0,"uta":1,"userID":{},"inviterID":0,"vipLevel":"No VIP","mktMakerLevel":"0","affiliateID":0,"rsaPublicKey":"","isMaster":true,"parentUid":"0","kycLevel":"LEVEL_DEFAULT","kycRegion":""}})",
      call.account, key, config_.keys_can_withdraw ? R"(,"Withdraw")" : "", day(call.now_ms + 90 * kDayMs),
      day(call.now_ms), call.account);
  return success(b, call.now_ms);
}

// /v5/position/set-leverage: one-way mode, so buyLeverage and sellLeverage must agree.
HttpResponse BybitFront::set_leverage(Call& call) {
  const auto fail = [&](const Error& e) { return failure(e, call.now_ms); };
  const auto kind = call.category();
  if (!kind) return fail(kind.error());
  if (*kind != InstrumentKind::linear_perpetual) return fail(params_error("Leverage is for category=linear only."));
  auto symbol = call.symbol(engine_, *kind, true);
  if (!symbol) return fail(symbol.error());
  auto buy = call.decimal("buyLeverage");
  if (!buy) return fail(buy.error());
  auto sell = call.decimal("sellLeverage");
  if (!sell) return fail(sell.error());
  if (!*buy || !*sell) return fail(params_error("buyLeverage and sellLeverage are required."));
  if (**buy != **sell) return fail(params_error("buyLeverage must equal sellLeverage in one-way mode."));
  auto set = engine_.set_leverage(call.account, *symbol, **buy, call.now_ms);
  if (!set) return fail(from_engine(set.error()));
  return envelope(0, "OK", "{}", call.now_ms);
}

HttpResponse BybitFront::query(Call& call) {
  const std::string_view path = call.request.path;
  const AccountId account = call.account;
  const auto kind = call.category();
  if (!kind) return failure(kind.error(), call.now_ms);
  const bool linear = *kind != InstrumentKind::spot;
  Buffer b;
  auto out = std::back_inserter(b);
  auto symbol = call.symbol(engine_, *kind, false);
  if (!symbol) return failure(symbol.error(), call.now_ms);
  std::vector<std::string> symbols;
  for (const std::string& key : engine_.markets()) {
    if (engine_.instrument(key)->kind == *kind && (symbol->empty() || key == *symbol)) symbols.push_back(key);
  }
  std::optional<OrderId> order_id;
  if (const auto id = call.get("orderId")) {
    order_id = to_int(*id);
    if (!order_id) order_id = -1;  // matches nothing, as an unknown id lists nothing
  }
  const auto link = call.get("orderLinkId");
  const auto selected = [&](OrderId id, std::string_view client) {
    return (!order_id || *order_id == id) && (!link || *link == client);
  };
  if (path == "/v5/execution/list") {
    auto limit = call.limit(50, 100);
    if (!limit) return failure(limit.error(), call.now_ms);
    std::vector<std::pair<Fill, const Order*>> fills;
    for (const std::string& s : symbols) {
      for (const Fill& f : engine_.account_fills(account, s)) {
        const Order* o = engine_.find_order(account, s, f.order_id, {});
        if (o != nullptr && selected(o->id, link_id(*o))) fills.emplace_back(f, o);
      }
    }
    std::sort(fills.begin(), fills.end(),
              [](const auto& a, const auto& c) { return a.first.time_ms > c.first.time_ms; });
    if (fills.size() > *limit) fills.resize(*limit);
    fmt::format_to(out, R"({{"category":"{}","list":[)", category_name(*kind));
    for (std::size_t i = 0; i < fills.size(); ++i) {
      const auto& [f, o] = fills[i];
      const std::string& venue_symbol = engine_.instrument(f.symbol)->venue_symbol;
      fmt::format_to(
          out,
          R"({}{{"symbol":"{}","orderId":"{}","orderLinkId":"{}","side":"{}","orderPrice":"{}","orderQty":"{}","orderType":"{}","stopOrderType":"","execId":"{}{}-{}","execPrice":"{}","execQty":"{}","execValue":"{}","execFee":"{}","feeCurrency":"{}","execType":"Trade","isMaker":{},"execTime":"{}")",
          i == 0 ? "" : ",", venue_symbol, f.order_id, link_id(*o), f.is_buyer ? "Buy" : "Sell", o->price, o->quantity,
          o->type == SimOrderType::market ? "Market" : "Limit", linear ? "linear-" : "", venue_symbol, f.trade_id,
          f.price, f.quantity, f.quote_quantity, f.commission, linear ? "" : f.commission_asset, f.is_maker, f.time_ms);
      if (linear) fmt::format_to(out, R"(,"closedSize":"{}","execPnl":"{}")", f.closed_quantity, f.realised_pnl);
      b.push_back('}');
    }
    b.append(std::string_view(R"(],"nextPageCursor":""})"));
    return success(b, call.now_ms);
  }
  // /v5/order/realtime lists open orders (openOnly=0, the default) or closed ones
  // (openOnly=1); /v5/order/history lists closed ones. Both newest first.
  auto limit = call.limit(20, 50);
  if (!limit) return failure(limit.error(), call.now_ms);
  const std::string_view open_only = call.get("openOnly").value_or("0");
  if (open_only != "0" && open_only != "1") return failure(params_error("'openOnly' must be 0 or 1."), call.now_ms);
  const bool open = path == "/v5/order/realtime" && open_only == "0";
  std::vector<Order> orders;
  for (const std::string& s : symbols) {
    for (Order& o : open ? engine_.open_orders(account, s) : engine_.all_orders(account, s)) {
      if (is_open(o.status) == open && selected(o.id, link_id(o))) orders.push_back(std::move(o));
    }
  }
  std::stable_sort(orders.begin(), orders.end(), [](const Order& a, const Order& c) { return a.id < c.id; });
  orders = newest(std::move(orders), *limit);
  fmt::format_to(out, R"({{"category":"{}","list":[)", category_name(*kind));
  for (std::size_t i = 0; i < orders.size(); ++i) {
    if (i != 0) b.push_back(',');
    Decimal fee;
    for (const Fill& f : engine_.account_fills(account, orders[i].symbol)) {
      if (f.order_id == orders[i].id) fee += f.commission;
    }
    order_json(b, orders[i], *engine_.instrument(orders[i].symbol), link_id(orders[i]), fee);
  }
  b.append(std::string_view(R"(],"nextPageCursor":""})"));
  return success(b, call.now_ms);
}

namespace {

// The REST path that runs trade-WebSocket op `op`, or "" for an op the trade stream does
// not know.
std::string_view ws_op_path(std::string_view op) {
  if (op == "order.create") return "/v5/order/create";
  if (op == "order.amend") return "/v5/order/amend";
  if (op == "order.cancel") return "/v5/order/cancel";
  if (op == "order.create-batch") return "/v5/order/create-batch";
  if (op == "order.amend-batch") return "/v5/order/amend-batch";
  if (op == "order.cancel-batch") return "/v5/order/cancel-batch";
  return {};
}

BybitOpReply op_failure(const Error& e) { return BybitOpReply{ret_code(e), e.message, "{}", "{}", {}}; }

}  // namespace

BybitOpReply BybitFront::ws_order(AccountId account, std::string_view op, std::string_view arg,
                                  std::optional<std::string_view> timestamp,
                                  std::optional<std::string_view> recv_window, std::int64_t now_ms) {
  ++stats_.requests;
  const std::string_view path = ws_op_path(op);
  if (path.empty()) return BybitOpReply{10404, "op type is not found", "{}", "{}", {}};
  if (!timestamp) return op_failure(params_error("header X-BAPI-TIMESTAMP is required."));
  if (const auto late = timestamp_error(*timestamp, recv_window, now_ms)) return op_failure(*late);
  HttpRequest request;
  request.method = HttpMethod::post;
  request.path = std::string(path);
  request.body = std::string(arg);
  Call call(request, now_ms, *find_bybit_route(request));
  const auto bad = call.parse();
  if ((!bad || !call.params.empty()) && !call.category()) {
    return BybitOpReply{10404, "category is not correct/supported", "{}", "{}", {}};
  }
  if (bad) return op_failure(*bad);
  call.account = account;
  ++stats_.executed;
  const HttpResponse response = execute(call);
  // The REST envelope's members are the WebSocket reply's: result is its data.
  BybitOpReply reply;
  simdjson::dom::parser parser;
  simdjson::dom::object envelope;
  std::int64_t code = 0;
  std::string_view message;
  simdjson::dom::element result, ext;
  if (parser.parse(response.body).get(envelope) || envelope["retCode"].get(code) ||
      envelope["retMsg"].get(message) || envelope["result"].get(result) || envelope["retExtInfo"].get(ext)) {
    return op_failure(bybit_error(10016, "Internal System Error.", ErrorCode::venue_unavailable));
  }
  reply.code = static_cast<long>(code);
  reply.msg = std::string(message);
  reply.data = simdjson::minify(result);
  reply.ext = simdjson::minify(ext);
  reply.limit_headers = std::move(call.limit_headers);
  return reply;
}

}  // namespace cts::sim
