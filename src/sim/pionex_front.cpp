// The Pionex-compatible REST front (spot). Facts (paths, parameters, field names and
// types, error codes, the signing rule, endpoint weights, the rate limits and the ban)
// from pionex-open-api openapi.yaml; the values that are the simulator's own are listed in
// the header's file comment.
#include "cts/sim/pionex_front.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "cts/core/json_string.hpp"
#include "cts/sign/encoding.hpp"
#include "form.hpp"
#include "json_params.hpp"
#include "pionex_json.hpp"

namespace cts::sim {
namespace {

using detail::find_param;
using detail::Params;
using detail::read_plain_members;
using detail::to_int;

using namespace cts::literals;

// How far the `timestamp` may lie from the server's clock ("valid within ±20 seconds").
constexpr std::int64_t kPionexTimestampWindowMs = 20'000;
// Fills a fills listing returns at most.
constexpr std::size_t kPionexFillsPage = 100;

// A Pionex error: its code as Error::venue_code.
Error pionex_error(std::string_view code, std::string message, ErrorCode kind = ErrorCode::invalid_argument) {
  return make_error(kind, std::move(message), std::string(code));
}

Error pionex_parameter_error(std::string_view what) { return pionex_error("TRADE_PARAMETER_ERROR", std::string(what)); }

// HTTP 401 for the authentication codes, 400 for the others.
int pionex_http_status_of(std::string_view code) {
  return code.starts_with("TRADE_") || code.starts_with("MARKET_") ? 400 : 401;
}

HttpResponse pionex_envelope(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = std::move(body);
  return r;
}

HttpResponse pionex_success(std::string_view data, std::int64_t now_ms) {
  if (data.empty()) return pionex_envelope(200, fmt::format(R"({{"result":true,"timestamp":{}}})", now_ms));
  return pionex_envelope(200, fmt::format(R"({{"result":true,"data":{},"timestamp":{}}})", data, now_ms));
}

HttpResponse pionex_failure(const Error& e, std::int64_t now_ms) {
  std::string body = R"({"result":false,"code":)";
  append_json_string(body, e.venue_code);
  body += R"(,"message":)";
  append_json_string(body, e.message);
  fmt::format_to(std::back_inserter(body), R"(,"timestamp":{}}})", now_ms);
  return pionex_envelope(pionex_http_status_of(e.venue_code), std::move(body));
}

// HTTP 429 with `Retry-After` seconds.
HttpResponse pionex_too_many(std::int64_t retry_after_s, std::int64_t now_ms) {
  HttpResponse r = pionex_envelope(
      429, fmt::format(R"({{"result":false,"message":"Too many requests","timestamp":{}}})", now_ms));
  r.headers.push_back({"Retry-After", std::to_string(std::max<std::int64_t>(retry_after_s, 1))});
  return r;
}

// The Pionex error for an engine refusal (the engine speaks Binance's codes on spot).
Error pionex_from_engine(const Error& e) {
  switch (e.code) {
    case ErrorCode::insufficient_funds:
      return pionex_error("TRADE_OPERATION_DENIED", "insufficient balance", ErrorCode::rejected);
    case ErrorCode::duplicate_client_order_id: return pionex_parameter_error("clientOrderId is already used by an open order");
    case ErrorCode::order_not_found: return pionex_error("TRADE_ORDER_NOT_FOUND", "order not found");
    default: break;
  }
  if (e.venue_code == "-1121") return pionex_error("TRADE_INVALID_SYMBOL", "Invalid symbol");
  if (e.message.find("duplicate") != std::string::npos) {
    return pionex_parameter_error("clientOrderId is already used by an open order");
  }
  if (e.message.find("balance") != std::string::npos) {
    return pionex_error("TRADE_OPERATION_DENIED", "insufficient balance", ErrorCode::rejected);
  }
  return pionex_parameter_error(e.message);
}

// One route: method, path, weight, whether it is signed.
struct PionexRoute {
  HttpMethod method;
  std::string_view path;
  std::uint32_t weight;
  bool signed_;
};

constexpr PionexRoute kPionexRoutes[] = {
    {HttpMethod::get, "/api/v1/common/symbols", 5, false},
    {HttpMethod::get, "/api/v1/market/depth", 1, false},
    {HttpMethod::get, "/api/v1/market/trades", 1, false},
    {HttpMethod::get, "/api/v1/market/bookTickers", 1, false},
    {HttpMethod::get, "/api/v1/account/balances", 1, true},
    {HttpMethod::post, "/api/v1/trade/order", 1, true},
    {HttpMethod::get, "/api/v1/trade/order", 1, true},
    {HttpMethod::delete_, "/api/v1/trade/order", 1, true},
    {HttpMethod::get, "/api/v1/trade/orderByClientOrderId", 1, true},
    {HttpMethod::get, "/api/v1/trade/openOrders", 5, true},
    {HttpMethod::delete_, "/api/v1/trade/allOrders", 1, true},
    {HttpMethod::get, "/api/v1/trade/fills", 5, true},
    {HttpMethod::get, "/api/v1/trade/fillsByOrderId", 5, true},
};

const PionexRoute* pionex_find_route(const HttpRequest& r) {
  for (const PionexRoute& route : kPionexRoutes) {
    if (route.method == r.method && route.path == r.path) return &route;
  }
  return nullptr;
}

// The body's plain members; false for a body that is not a JSON object of plain values.
bool pionex_parse_body(std::string_view body, Params& out) {
  if (body.empty()) return true;
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (parser.parse(body.data(), body.size()).get(document) != simdjson::SUCCESS) return false;
  simdjson::dom::object object;
  const auto no_nesting = [](simdjson::dom::array) { return false; };
  return document.get(object) == simdjson::SUCCESS && read_plain_members(object, out, {}, no_nesting);
}

// The integer parameter `name` in `low`..`high`, `fallback` when absent; the Error
// `code` "<name> must be in low..high" otherwise.
Result<std::int64_t> pionex_ranged_param(const Params& params, std::string_view name, std::int64_t low, std::int64_t high,
                                  std::int64_t fallback, std::string_view code) {
  const auto text = find_param(params, name);
  if (!text) return fallback;
  const auto value = to_int(*text);
  if (!value || *value < low || *value > high) {
    return pionex_error(code, fmt::format("{} must be in {}..{}", name, low, high));
  }
  return *value;
}

// A decimal parameter, if present; an Error when it is malformed or not positive.
Result<std::optional<Decimal>> pionex_positive_decimal(const Params& params, std::string_view name) {
  const auto text = find_param(params, name);
  if (!text) return std::optional<Decimal>();
  Result<Decimal> value = Decimal::parse(*text);
  if (!value || !value->is_positive()) return pionex_parameter_error(fmt::format("invalid {}", name));
  return std::optional<Decimal>(*value);
}

// The decimal places of `step` (0.01 → 2): Pionex's precisions.
int pionex_decimal_places(Decimal step) {
  Decimal::Raw unit = Decimal::kOne;
  for (int places = 0; places < Decimal::kScale; ++places, unit /= 10) {
    if (step.raw() % unit == 0) return places;
  }
  return Decimal::kScale;
}

}  // namespace

std::vector<MarketSpec> default_pionex_markets() {
  MarketSpec btc;
  btc.instrument.venue_symbol = "BTC_USDT";
  btc.instrument.base = "BTC";
  btc.instrument.quote = "USDT";
  btc.instrument.tick_size = "0.01"_d;
  btc.instrument.step_size = "0.000001"_d;
  btc.instrument.min_quantity = "0.000001"_d;
  btc.instrument.max_quantity = "1000"_d;
  btc.instrument.min_notional = "10"_d;
  btc.filters.percent_price_by_side.reset();
  MarketSpec eth = btc;
  eth.instrument.venue_symbol = "ETH_USDT";
  eth.instrument.base = "ETH";
  eth.instrument.step_size = "0.0001"_d;
  eth.instrument.min_quantity = "0.0001"_d;
  eth.instrument.max_quantity = "10000"_d;
  return {btc, eth};
}

// One request being served: its route, parameters (query and body) and account.
class PionexFront::Call {
 public:
  Call(const HttpRequest& r, std::int64_t now, const PionexRoute& rt) : request(r), now_ms(now), route(rt) {}

  const HttpRequest& request;
  std::int64_t now_ms;
  const PionexRoute& route;
  Params query;  // decoded, in order
  Params params; // query then body
  AccountId account = 0;

  // The parameters; false for a malformed query or body.
  bool parse() {
    if (!detail::parse_form(request.query, query)) return false;
    params = query;
    return pionex_parse_body(request.body, params);
  }
};

PionexFront::PionexFront(MatchingEngine& engine, PionexFrontConfig config)
    : engine_(engine), config_(std::move(config)), faults_(config_.faults) {}

void PionexFront::add_credential(std::string api_key, std::string_view secret, AccountId account) {
  if (api_key.empty() || secret.empty()) {
    throw Exception(make_error(ErrorCode::invalid_argument, "pionex front: empty API key or secret"));
  }
  credentials_.insert_or_assign(std::move(api_key), std::make_pair(account, sign::HmacSha256(secret)));
}

Result<std::string> PionexFront::symbol_market(const std::vector<std::pair<std::string, std::string>>& params,
                                               std::string_view code) const {
  const auto symbol = find_param(params, "symbol");
  std::optional<std::string> market = symbol ? market_of(*symbol) : std::nullopt;
  if (!market) return pionex_error(code, "Invalid symbol");
  return std::move(*market);
}

std::optional<std::string> PionexFront::market_of(std::string_view symbol) const {
  for (const Instrument* in : engine_.instruments()) {
    if (in->venue_symbol == symbol && in->kind == InstrumentKind::spot) return market_key(in->kind, symbol);
  }
  return std::nullopt;
}

std::optional<std::int64_t> PionexFront::charge(Window& window, std::uint32_t limit, std::uint32_t weight,
                                                std::int64_t now_ms) {
  if (window.banned_until > now_ms) {
    window.banned_until += config_.limits.ban_extension_ms;
    return window.banned_until;
  }
  const std::int64_t window_ms = config_.limits.window_ms;
  const std::int64_t start = window_ms > 0 ? now_ms / window_ms * window_ms : now_ms;
  if (window.start != start) {
    window.start = start;
    window.used = 0;
  }
  if (window.used + weight > limit) {
    window.banned_until = now_ms + config_.limits.ban_ms;
    return window.banned_until;
  }
  window.used += weight;
  return std::nullopt;
}

net::ServerReply PionexFront::handle(const HttpRequest& request, SystemTime now) {
  ++stats_.requests;
  const std::int64_t now_ms = to_unix_millis(now);
  net::ServerReply reply;
  const auto server_error = [] {
    HttpResponse r;
    r.status = 503;
    r.headers.push_back({"Content-Type", "text/plain"});
    r.body = "Service Unavailable";
    return r;
  };
  const RestFaults::Before before = faults_.before(config_.faults, reply.delay, stats_.faults);
  if (before == RestFaults::Before::reset) {
    reply.action = net::ReplyAction::reset;
    return reply;
  }
  if (before == RestFaults::Before::error) {
    reply.response = server_error();
    return reply;
  }
  const PionexRoute* route = pionex_find_route(request);
  if (route == nullptr) {
    reply.response = pionex_envelope(404, R"({"result":false,"message":"Not Found"})");
    return reply;
  }
  if (faults_.take_burst(stats_.faults)) {
    ++stats_.rate_limited;
    reply.response = pionex_too_many(1, now_ms);
    return reply;
  }
  Call call(request, now_ms, *route);
  const std::uint64_t executed_before = stats_.executed;
  if (!call.parse()) {
    reply.response = pionex_failure(pionex_parameter_error("malformed query or body"), now_ms);
  } else {
    reply.response = dispatch(call);
  }
  // dispatch() counts a request executed once authenticated and within the limits; every
  // POST and DELETE places or cancels orders.
  const bool executed_order = stats_.executed != executed_before && route->method != HttpMethod::get;
  const RestFaults::After after = faults_.after(config_.faults, executed_order, stats_.faults);
  if (after == RestFaults::After::error) {
    reply.response = server_error();
  } else if (after == RestFaults::After::drop) {
    reply.action = net::ReplyAction::drop;
  }
  return reply;
}

HttpResponse PionexFront::dispatch(Call& call) {
  const std::int64_t now_ms = call.now_ms;
  if (const auto banned = charge(ip_window_, config_.limits.ip_weight, call.route.weight, now_ms)) {
    ++stats_.rate_limited;
    return pionex_too_many((*banned - now_ms + 999) / 1000, now_ms);
  }
  if (call.route.signed_) {
    ++stats_.signed_requests;
    const HttpRequest& r = call.request;
    const auto key = r.header("PIONEX-KEY");
    const auto signature = r.header("PIONEX-SIGNATURE");
    if (!key || key->empty()) {
      return pionex_failure(pionex_error("APIKEY_LOST", "API Key is missing", ErrorCode::auth_failed), now_ms);
    }
    if (!signature || signature->empty()) {
      return pionex_failure(pionex_error("SIGNATURE_LOST", "Signature is missing", ErrorCode::auth_failed), now_ms);
    }
    const auto timestamp = find_param(call.query, "timestamp");
    const auto ts = timestamp ? to_int(*timestamp) : std::nullopt;
    if (!ts || *ts < now_ms - kPionexTimestampWindowMs || *ts > now_ms + kPionexTimestampWindowMs) {
      return pionex_failure(pionex_error("INVALID_TIMESTAMP", "Invalid timestamp", ErrorCode::timestamp_out_of_window), now_ms);
    }
    const auto credential = credentials_.find(std::string(*key));
    if (credential == credentials_.end()) {
      ++stats_.auth_rejected;
      return pionex_failure(pionex_error("INVALID_APIKEY", "Invalid API Key", ErrorCode::auth_failed), now_ms);
    }
    // METHOD + path + "?" + the decoded query sorted by name + body.
    Params sorted = call.query;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string signed_text = fmt::format("{}{}?", to_string(r.method), r.path);
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      fmt::format_to(std::back_inserter(signed_text), "{}{}={}", i == 0 ? "" : "&", sorted[i].first, sorted[i].second);
    }
    signed_text += r.body;
    if (*signature != sign::hex_lower(credential->second.second.digest(signed_text))) {
      ++stats_.auth_rejected;
      return pionex_failure(pionex_error("INVALID_SIGNATURE", "Invalid signature", ErrorCode::invalid_signature), now_ms);
    }
    call.account = credential->second.first;
    if (const auto banned =
            charge(account_windows_[call.account], config_.limits.account_weight, call.route.weight, now_ms)) {
      ++stats_.rate_limited;
      return pionex_too_many((*banned - now_ms + 999) / 1000, now_ms);
    }
  }
  ++stats_.executed;
  const std::string_view path = call.route.path;
  const HttpMethod method = call.route.method;
  if (path == "/api/v1/common/symbols") return symbols(call);
  if (path == "/api/v1/market/depth") return depth(call);
  if (path == "/api/v1/market/trades") return trades(call);
  if (path == "/api/v1/market/bookTickers") return book_tickers(call);
  if (path == "/api/v1/account/balances") return balances(call);
  if (path == "/api/v1/trade/order") {
    if (method == HttpMethod::post) return new_order(call);
    if (method == HttpMethod::get) return get_order(call, false);
    return cancel_order(call);
  }
  if (path == "/api/v1/trade/orderByClientOrderId") return get_order(call, true);
  if (path == "/api/v1/trade/openOrders") return open_orders(call);
  if (path == "/api/v1/trade/allOrders") return cancel_all(call);
  return fills(call, path == "/api/v1/trade/fillsByOrderId");
}

HttpResponse PionexFront::symbols(Call& call) {
  const auto wanted = find_param(call.params, "symbols");
  std::string data = R"({"symbols":[)";
  bool first = true;
  for (const Instrument* in : engine_.instruments()) {
    if (in->kind != InstrumentKind::spot) continue;
    if (wanted && !detail::in_comma_list(*wanted, in->venue_symbol)) continue;
    if (!first) data.push_back(',');
    first = false;
    data += R"({"symbol":)";
    append_json_string(data, in->venue_symbol);
    data += R"(,"type":"SPOT","baseCurrency":)";
    append_json_string(data, in->base);
    data += R"(,"quoteCurrency":)";
    append_json_string(data, in->quote);
    fmt::format_to(std::back_inserter(data),
                   R"(,"basePrecision":{},"quotePrecision":{},"amountPrecision":{},"minAmount":"{}",)"
                   R"("minTradeSize":"{}","maxTradeSize":"{}","minTradeDumping":"{}","maxTradeDumping":"{}",)"
                   R"("enable":true}})",
                   pionex_decimal_places(in->step_size), pionex_decimal_places(in->tick_size), pionex_decimal_places(in->tick_size), in->min_notional,
                   in->min_quantity, in->max_quantity, in->min_quantity, in->max_quantity);
  }
  data += "]}";
  return pionex_success(data, call.now_ms);
}

HttpResponse PionexFront::depth(Call& call) {
  const Result<std::string> market = symbol_market(call.params, "MARKET_INVALID_SYMBOL");
  if (!market) return pionex_failure(market.error(), call.now_ms);
  const Result<std::int64_t> limit = pionex_ranged_param(call.params, "limit", 1, 1000, 20, "MARKET_PARAMETER_ERROR");
  if (!limit) return pionex_failure(limit.error(), call.now_ms);
  const auto [bids, asks] = engine_.depth(*market, static_cast<std::size_t>(*limit));
  std::string data = R"({"bids":)";
  detail::pionex_levels(data, bids);
  data += R"(,"asks":)";
  detail::pionex_levels(data, asks);
  fmt::format_to(std::back_inserter(data), R"(,"updateTime":{}}})", call.now_ms);
  return pionex_success(data, call.now_ms);
}

HttpResponse PionexFront::trades(Call& call) {
  const Result<std::string> market = symbol_market(call.params, "MARKET_INVALID_SYMBOL");
  if (!market) return pionex_failure(market.error(), call.now_ms);
  const Result<std::int64_t> limit = pionex_ranged_param(call.params, "limit", 10, 500, 100, "MARKET_PARAMETER_ERROR");
  if (!limit) return pionex_failure(limit.error(), call.now_ms);
  std::vector<Trade> recent = engine_.recent_trades(*market, static_cast<std::size_t>(*limit));
  std::reverse(recent.begin(), recent.end());  // newest first
  std::string data = R"({"trades":[)";
  for (std::size_t i = 0; i < recent.size(); ++i) {
    const Trade& t = recent[i];
    if (i > 0) data.push_back(',');
    data += R"({"symbol":)";
    append_json_string(data, *market);
    fmt::format_to(std::back_inserter(data), R"(,"tradeId":"{}","price":"{}","size":"{}","side":"{}","timestamp":"{}"}})",
                   t.id, t.price, t.quantity, t.is_buyer_maker ? "SELL" : "BUY", t.time_ms);
  }
  data += "]}";
  return pionex_success(data, call.now_ms);
}

HttpResponse PionexFront::book_tickers(Call& call) {
  // A spot market's engine name is its venue symbol (market_key).
  const Result<std::string> market = symbol_market(call.params, "MARKET_INVALID_SYMBOL");
  if (!market) return pionex_failure(market.error(), call.now_ms);
  const auto [bid, ask] = engine_.top(*market);
  std::string data = R"({"tickers":[{"symbol":)";
  append_json_string(data, *market);
  fmt::format_to(std::back_inserter(data),
                 R"(,"bidPrice":"{}","bidSize":"{}","askPrice":"{}","askSize":"{}","timestamp":"{}"}}]}})",
                 bid ? bid->price : Decimal{}, bid ? bid->quantity : Decimal{}, ask ? ask->price : Decimal{},
                 ask ? ask->quantity : Decimal{}, call.now_ms);
  return pionex_success(data, call.now_ms);
}

HttpResponse PionexFront::balances(Call& call) {
  std::string data = R"({"balances":)";
  detail::pionex_balances_json(data, engine_, call.account);
  data += '}';
  return pionex_success(data, call.now_ms);
}

std::string_view PionexFront::client_order_id(const Order& order) const {
  return unnamed_.contains(order.id) ? std::string_view() : std::string_view(order.client_order_id);
}

void PionexFront::order_json(std::string& out, const Order& o) const {
  const Instrument* in = engine_.instrument(o.symbol);
  const std::string_view symbol = in != nullptr ? std::string_view(in->venue_symbol) : std::string_view(o.symbol);
  Decimal fee;
  std::string fee_coin;
  if (o.executed.is_positive()) {
    for (const Fill& f : engine_.account_fills(o.account, o.symbol)) {
      if (f.order_id != o.id) continue;
      fee += f.commission;
      fee_coin = f.commission_asset;
    }
  }
  const bool market = o.type == SimOrderType::market;
  fmt::format_to(std::back_inserter(out), R"({{"orderId":{},"symbol":)", o.id);
  append_json_string(out, symbol);
  fmt::format_to(std::back_inserter(out),
                 R"(,"type":"{}","side":"{}","price":"{}","size":"{}","amount":"{}","filledSize":"{}",)"
                 R"("filledAmount":"{}","fee":"{}","feeCoin":)",
                 market ? "MARKET" : "LIMIT", o.side == Side::buy ? "BUY" : "SELL", market ? Decimal{} : o.price,
                 o.quote_quantity.is_positive() ? Decimal{} : o.quantity, o.quote_quantity, o.executed,
                 o.cumulative_quote, fee);
  append_json_string(out, fee_coin);
  fmt::format_to(std::back_inserter(out), R"(,"status":"{}","IOC":{},"clientOrderId":)",
                 is_open(o.status) ? "OPEN" : "CLOSED", o.time_in_force == TimeInForce::ioc ? "true" : "false");
  append_json_string(out, client_order_id(o));
  fmt::format_to(std::back_inserter(out), R"(,"source":"API","createTime":{},"updateTime":{}}})", o.time_ms,
                 o.update_ms);
}

HttpResponse PionexFront::new_order(Call& call) {
  const Params& p = call.params;
  const auto symbol = find_param(p, "symbol");
  const auto side = find_param(p, "side");
  const auto type = find_param(p, "type");
  if (!symbol || !side || !type) return pionex_failure(pionex_parameter_error("symbol, side and type are required"), call.now_ms);
  const auto market = market_of(*symbol);
  if (!market) return pionex_failure(pionex_error("TRADE_INVALID_SYMBOL", "Invalid symbol"), call.now_ms);
  if ((*side != "BUY" && *side != "SELL") || (*type != "LIMIT" && *type != "MARKET")) {
    return pionex_failure(pionex_parameter_error("side must be BUY or SELL, type LIMIT or MARKET"), call.now_ms);
  }
  OrderRequest order;
  order.account = call.account;
  order.symbol = *market;
  order.side = *side == "BUY" ? Side::buy : Side::sell;
  order.type = *type == "LIMIT" ? SimOrderType::limit : SimOrderType::market;
  const auto client_id = find_param(p, "clientOrderId");
  if (client_id) {
    const bool valid = client_id->size() <= 64 && std::all_of(client_id->begin(), client_id->end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    });
    if (!valid) return pionex_failure(pionex_parameter_error("clientOrderId must be 1 to 64 letters, digits and -"), call.now_ms);
    order.client_order_id = std::string(*client_id);
  }
  Result<std::optional<Decimal>> size = pionex_positive_decimal(p, "size");
  Result<std::optional<Decimal>> price = pionex_positive_decimal(p, "price");
  Result<std::optional<Decimal>> amount = pionex_positive_decimal(p, "amount");
  if (!size) return pionex_failure(size.error(), call.now_ms);
  if (!price) return pionex_failure(price.error(), call.now_ms);
  if (!amount) return pionex_failure(amount.error(), call.now_ms);
  const auto ioc = find_param(p, "IOC");
  if (ioc && *ioc != "true" && *ioc != "false") return pionex_failure(pionex_parameter_error("IOC must be a boolean"), call.now_ms);
  if (order.type == SimOrderType::limit) {
    if (!*size || !*price) return pionex_failure(pionex_parameter_error("a LIMIT order needs size and price"), call.now_ms);
    order.quantity = **size;
    order.price = **price;
    order.time_in_force = ioc && *ioc == "true" ? TimeInForce::ioc : TimeInForce::gtc;
  } else if (order.side == Side::buy) {
    if (!*amount) return pionex_failure(pionex_parameter_error("a MARKET buy needs amount"), call.now_ms);
    order.quote_quantity = **amount;
  } else {
    if (!*size) return pionex_failure(pionex_parameter_error("a MARKET sell needs size"), call.now_ms);
    order.quantity = **size;
  }
  Result<PlaceOutcome> placed = engine_.place(order, call.now_ms);
  if (!placed) return pionex_failure(pionex_from_engine(placed.error()), call.now_ms);
  if (!client_id) unnamed_.insert(placed->order.id);
  std::string data = fmt::format(R"({{"orderId":{},"clientOrderId":)", placed->order.id);
  append_json_string(data, client_order_id(placed->order));
  data += '}';
  return pionex_success(data, call.now_ms);
}

HttpResponse PionexFront::get_order(Call& call, bool by_client_id) {
  const Order* found = nullptr;
  if (by_client_id) {
    const auto id = find_param(call.params, "clientOrderId");
    if (!id) return pionex_failure(pionex_parameter_error("clientOrderId is required"), call.now_ms);
    for (const Instrument* in : engine_.instruments()) {
      const Order* o = engine_.find_order(call.account, market_key(in->kind, in->venue_symbol), std::nullopt, *id);
      if (o != nullptr && !unnamed_.contains(o->id)) found = o;
    }
  } else {
    const auto id = find_param(call.params, "orderId");
    const auto value = id ? to_int(*id) : std::nullopt;
    if (!value) return pionex_failure(pionex_parameter_error("orderId is required"), call.now_ms);
    for (const Instrument* in : engine_.instruments()) {
      const Order* o = engine_.find_order(call.account, market_key(in->kind, in->venue_symbol), *value, {});
      if (o != nullptr) found = o;
    }
  }
  if (found == nullptr) return pionex_failure(pionex_error("TRADE_ORDER_NOT_FOUND", "order not found"), call.now_ms);
  std::string data;
  order_json(data, *found);
  return pionex_success(data, call.now_ms);
}

HttpResponse PionexFront::cancel_order(Call& call) {
  const auto symbol = find_param(call.params, "symbol");
  const auto id = find_param(call.params, "orderId");
  const auto value = id ? to_int(*id) : std::nullopt;
  if (!symbol || !value) return pionex_failure(pionex_parameter_error("symbol and orderId are required"), call.now_ms);
  const auto market = market_of(*symbol);
  if (!market) return pionex_failure(pionex_error("TRADE_INVALID_SYMBOL", "Invalid symbol"), call.now_ms);
  Result<Order> cancelled = engine_.cancel(call.account, *market, *value, {}, call.now_ms);
  if (!cancelled) return pionex_failure(pionex_from_engine(cancelled.error()), call.now_ms);
  return pionex_success({}, call.now_ms);
}

HttpResponse PionexFront::open_orders(Call& call) {
  const Result<std::string> market = symbol_market(call.params, "TRADE_INVALID_SYMBOL");
  if (!market) return pionex_failure(market.error(), call.now_ms);
  std::string data = R"({"orders":[)";
  bool first = true;
  for (const Order& o : engine_.open_orders(call.account, *market)) {
    if (!first) data.push_back(',');
    first = false;
    order_json(data, o);
  }
  data += "]}";
  return pionex_success(data, call.now_ms);
}

HttpResponse PionexFront::cancel_all(Call& call) {
  const Result<std::string> market = symbol_market(call.params, "TRADE_INVALID_SYMBOL");
  if (!market) return pionex_failure(market.error(), call.now_ms);
  (void)engine_.cancel_all(call.account, *market, call.now_ms);
  return pionex_success({}, call.now_ms);
}

HttpResponse PionexFront::fills(Call& call, bool by_order) {
  std::vector<Fill> chosen;
  std::string symbol_text;
  if (by_order) {
    const auto id = find_param(call.params, "orderId");
    const auto value = id ? to_int(*id) : std::nullopt;
    if (!value) return pionex_failure(pionex_parameter_error("orderId is required"), call.now_ms);
    std::optional<std::int64_t> from_id;
    if (const auto from = find_param(call.params, "fromId")) {
      from_id = to_int(*from);
      if (!from_id) return pionex_failure(pionex_parameter_error("fromId must be a fill id"), call.now_ms);
    }
    for (const Instrument* in : engine_.instruments()) {
      const std::string market = market_key(in->kind, in->venue_symbol);
      for (const Fill& f : engine_.account_fills(call.account, market)) {
        if (f.order_id == *value && (!from_id || detail::pionex_fill_id(f) < *from_id)) chosen.push_back(f);
      }
    }
  } else {
    const auto symbol = find_param(call.params, "symbol");
    const auto market = symbol ? market_of(*symbol) : std::nullopt;
    if (!market) return pionex_failure(pionex_error("TRADE_INVALID_SYMBOL", "Invalid symbol"), call.now_ms);
    std::optional<std::int64_t> start;
    std::optional<std::int64_t> end;
    if (const auto text = find_param(call.params, "startTime")) start = to_int(*text);
    if (const auto text = find_param(call.params, "endTime")) end = to_int(*text);
    for (const Fill& f : engine_.account_fills(call.account, *market)) {
      if ((!start || f.time_ms >= *start) && (!end || f.time_ms <= *end)) chosen.push_back(f);
    }
  }
  // Newest first, the latest kPionexFillsPage.
  std::reverse(chosen.begin(), chosen.end());
  if (chosen.size() > kPionexFillsPage) chosen.resize(kPionexFillsPage);
  std::string data = R"({"fills":[)";
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (i > 0) data.push_back(',');
    const Instrument* in = engine_.instrument(chosen[i].symbol);
    detail::pionex_fill_json(data, chosen[i], in != nullptr ? std::string_view(in->venue_symbol) : chosen[i].symbol,
                             true);
  }
  data += "]}";
  return pionex_success(data, call.now_ms);
}

}  // namespace cts::sim
