// The Binance-spot-compatible REST front. Facts (field names, codes, messages, weights,
// limits) from Binance's spot API documentation (rest-api.md, errors.md, filters.md).
#include "cts/sim/binance_front.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cts/core/json_string.hpp"
#include "cts/sign/ed25519.hpp"
#include "cts/sign/encoding.hpp"
#include "form.hpp"

namespace cts::sim {
namespace {

using detail::Params;
using detail::parse_form;
using detail::cut_signature;

constexpr std::size_t kMaxParams = 64;
constexpr std::size_t kMaxValueLength = 1024;
constexpr std::string_view kDecimalRange = R"(^([0-9]{1,20})(\.[0-9]{1,20})?$)";
constexpr std::string_view kIntegerRange = "^[0-9]{1,20}$";
constexpr std::string_view kSymbolRange = "^[A-Z0-9-_.]{1,20}$";
constexpr std::string_view kClientIdRange = "^[a-zA-Z0-9-_]{1,36}$";
constexpr int kAssetDecimals = 8;

Error venue(std::string_view code, std::string message, ErrorCode kind = ErrorCode::invalid_argument) {
  return make_error(kind, std::move(message), std::string(code));
}
Error mandatory(std::string_view name) {
  return venue("-1102", fmt::format("Mandatory parameter '{}' was not sent, was empty/null, or malformed.", name));
}
Error illegal(std::string_view name, std::string_view range) {
  return venue("-1100", fmt::format("Illegal characters found in parameter '{}'; legal range is '{}'.", name, range));
}
Error not_required(std::string_view name) {
  return venue("-1106", fmt::format("Parameter '{}' sent when not required.", name));
}

bool matches_decimal(std::string_view v) {
  const std::size_t dot = v.find('.');
  const std::string_view whole = v.substr(0, dot);
  const auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 20 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return digits(whole) && (dot == std::string_view::npos || digits(v.substr(dot + 1)));
}

bool matches_charset(std::string_view v, std::size_t max, std::string_view extra, bool lower_ok) {
  if (v.empty() || v.size() > max) return false;
  return std::all_of(v.begin(), v.end(), [&](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (lower_ok && c >= 'a' && c <= 'z') ||
           extra.find(c) != std::string_view::npos;
  });
}

int http_status_for(const Error& e) {
  if (e.venue_code == "-2014" || e.venue_code == "-2015") return 401;
  if (e.venue_code == "-1003" || e.venue_code == "-1015") return 429;
  if (e.venue_code == "-1001" || e.venue_code == "-1007") return 503;
  return 400;
}

HttpResponse json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.push_back({"Content-Type", "application/json;charset=UTF-8"});
  r.body = std::move(body);
  return r;
}

// Binance's error body. The message may quote the request (a parameter's name) and
// holds regular expressions with backslashes: it is escaped as a JSON string.
HttpResponse error_response(const Error& e) {
  const std::string_view code = e.venue_code.empty() ? std::string_view("-1000") : std::string_view(e.venue_code);
  std::string body = fmt::format(R"({{"code":{},"msg":)", code);
  append_json_string(body, e.message);
  body.push_back('}');
  return json(http_status_for(e), std::move(body));
}

using Buffer = fmt::memory_buffer;

void order_head(Buffer& b, const Order& o) {
  fmt::format_to(std::back_inserter(b), R"("symbol":"{}","orderId":{},"orderListId":-1,"clientOrderId":"{}")", o.symbol, o.id,
                 o.client_order_id);
}

void order_body(Buffer& b, const Order& o) {
  fmt::format_to(std::back_inserter(b),
                 R"("price":"{:.8}","origQty":"{:.8}","executedQty":"{:.8}","origQuoteOrderQty":"{:.8}","cummulativeQuoteQty":"{:.8}","status":"{}","timeInForce":"{}","type":"{}","side":"{}")",
                 o.price, o.quantity, o.executed, o.quote_quantity, o.cumulative_quote, to_binance(o.status),
                 to_binance(o.time_in_force), to_binance(o.type), o.side == Side::buy ? "BUY" : "SELL");
}

void order_query(Buffer& b, const Order& o) {
  b.push_back('{');
  order_head(b, o);
  b.push_back(',');
  order_body(b, o);
  fmt::format_to(std::back_inserter(b),
                 R"(,"stopPrice":"0.00000000","icebergQty":"0.00000000","time":{},"updateTime":{},"isWorking":true,"workingTime":{},"selfTradePreventionMode":"EXPIRE_MAKER"}})",
                 o.time_ms, o.update_ms, o.time_ms);
}

void cancel_json(Buffer& b, const Order& o, std::int64_t now_ms) {
  fmt::format_to(std::back_inserter(b), R"({{"symbol":"{}","origClientOrderId":"{}","orderId":{},"orderListId":-1,"clientOrderId":"cancel-{}","transactTime":{},)",
                 o.symbol, o.client_order_id, o.id, o.id, now_ms);
  order_body(b, o);
  fmt::format_to(std::back_inserter(b), R"(,"selfTradePreventionMode":"EXPIRE_MAKER"}})");
}

std::string to_string(const Buffer& b) { return std::string(b.data(), b.size()); }

}  // namespace

// One request being served: its parameters and the authenticated account.
class BinanceFront::Call {
 public:
  HttpMethod method;
  std::string_view path;
  std::int64_t now_ms;
  Params params;
  AccountId account = 0;
  std::vector<HttpHeader> extra_headers;

  Call(HttpMethod m, std::string_view p, std::int64_t now) : method(m), path(p), now_ms(now) {}

  // The parameters of a REST request's query and form body, checked.
  Result<void> parse(const HttpRequest& request) {
    if (!parse_form(request.query, params) || !parse_form(request.body, params)) {
      return venue("-1100", "Illegal characters found in a parameter.");
    }
    return check();
  }

  // Parameter count, value lengths and duplicates (-1101, -1100).
  Result<void> check() const {
    if (params.size() > kMaxParams) return venue("-1101", "Too many parameters sent for this endpoint.");
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (params[i].second.size() > kMaxValueLength) return illegal(params[i].first.substr(0, 64), "^.{1,1024}$");
      for (std::size_t j = 0; j < i; ++j) {
        if (params[i].first == params[j].first) return venue("-1101", "Duplicate values for a parameter detected.");
      }
    }
    return {};
  }

  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const {
    for (const auto& [k, v] : params) {
      if (k == name) return v.empty() ? std::nullopt : std::optional<std::string_view>(v);
    }
    return std::nullopt;
  }

  Result<std::string_view> required(std::string_view name) const {
    auto v = get(name);
    if (!v) return mandatory(name);
    return *v;
  }

  Result<std::optional<std::int64_t>> integer(std::string_view name) const {
    const auto v = get(name);
    if (!v) return std::optional<std::int64_t>{};
    std::int64_t out = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc{} || end != v->data() + v->size() || out < 0 || !matches_charset(*v, 20, "", false)) {
      return illegal(name, kIntegerRange);
    }
    return std::optional<std::int64_t>(out);
  }

  Result<std::optional<Decimal>> decimal(std::string_view name) const {
    const auto v = get(name);
    if (!v) return std::optional<Decimal>{};
    if (!matches_decimal(*v)) return illegal(name, kDecimalRange);
    auto d = Decimal::parse(*v);
    if (!d) return illegal(name, kDecimalRange);
    if (d->decimals() > kAssetDecimals) return venue("-1111", fmt::format("Parameter '{}' has too much precision.", name));
    return std::optional<Decimal>(*d);
  }

  // The symbol parameter, checked for charset and existence (-1100, -1121).
  Result<std::string> symbol(const MatchingEngine& engine, bool needed) const {
    const auto v = get("symbol");
    if (!v) {
      if (needed) return mandatory("symbol");
      return std::string{};
    }
    if (!matches_charset(*v, 20, "-_.", false)) return illegal("symbol", kSymbolRange);
    if (engine.instrument(*v) == nullptr) return venue("-1121", "Invalid symbol.");
    return std::string(*v);
  }

  // orderId / origClientOrderId of query and cancel.
  Result<std::pair<std::optional<OrderId>, std::string>> order_ref() const {
    auto id = integer("orderId");
    if (!id) return id.error();
    const auto client = get("origClientOrderId");
    if (!*id && !client) return venue("-1102", "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
    if (client && !matches_charset(*client, 36, "-_", true)) return illegal("origClientOrderId", kClientIdRange);
    return std::pair<std::optional<OrderId>, std::string>{*id, std::string(client.value_or(""))};
  }

  // The timestamp and recvWindow of a signed request (-1102, -1100, -1131).
  Result<std::pair<std::int64_t, std::int64_t>> timing() const {
    auto timestamp = integer("timestamp");
    if (!timestamp) return timestamp.error();
    if (!*timestamp) return mandatory("timestamp");
    auto recv_window = integer("recvWindow");
    if (!recv_window) return recv_window.error();
    const std::int64_t window = recv_window->value_or(5000);
    if (window > 60'000) return venue("-1131", "recvWindow must be less than 60000");
    return std::pair<std::int64_t, std::int64_t>{**timestamp, window};
  }

  // -1021 unless `timing` (timestamp, recvWindow) admits the request now
  // (web-socket-api.md and rest-api.md "Timing security").
  Result<void> within(std::pair<std::int64_t, std::int64_t> timing) const {
    if (timing.first >= now_ms + 1000) {
      return venue("-1021", "Timestamp for this request was 1000ms ahead of the server's time.", ErrorCode::timestamp_out_of_window);
    }
    if (now_ms - timing.first > timing.second) {
      return venue("-1021", "Timestamp for this request is outside of the recvWindow.", ErrorCode::timestamp_out_of_window);
    }
    return {};
  }

  Result<std::size_t> limit(std::size_t fallback, std::size_t max) const {
    auto v = integer("limit");
    if (!v) return v.error();
    if (!*v) return fallback;
    return static_cast<std::size_t>(std::clamp<std::int64_t>(**v, 1, static_cast<std::int64_t>(max)));
  }
};

namespace {

struct Route {
  HttpMethod method;
  std::string_view path;
  bool is_signed;
  bool is_order;  // places, changes or cancels orders (the lost_order_replies fault)
};

constexpr Route kRoutes[] = {
    {HttpMethod::get, "/api/v3/ping", false, false},
    {HttpMethod::get, "/api/v3/time", false, false},
    {HttpMethod::get, "/api/v3/exchangeInfo", false, false},
    {HttpMethod::get, "/api/v3/depth", false, false},
    {HttpMethod::get, "/api/v3/trades", false, false},
    {HttpMethod::get, "/api/v3/ticker/bookTicker", false, false},
    {HttpMethod::post, "/api/v3/order", true, true},
    {HttpMethod::post, "/api/v3/order/test", true, false},
    {HttpMethod::get, "/api/v3/order", true, false},
    {HttpMethod::delete_, "/api/v3/order", true, true},
    {HttpMethod::get, "/api/v3/openOrders", true, false},
    {HttpMethod::delete_, "/api/v3/openOrders", true, true},
    {HttpMethod::get, "/api/v3/allOrders", true, false},
    {HttpMethod::get, "/api/v3/myTrades", true, false},
    {HttpMethod::get, "/api/v3/account", true, false},
    {HttpMethod::post, "/api/v3/order/cancelReplace", true, true},
};

const Route* find_route(HttpMethod method, std::string_view path) {
  for (const Route& route : kRoutes) {
    if (route.method == method && route.path == path) return &route;
  }
  return nullptr;
}

// Request weight as Binance documents it per endpoint and parameters.
std::uint32_t weight_of(const Route& route, const Params& params) {
  const auto has = [&](std::string_view k) {
    return std::any_of(params.begin(), params.end(), [&](const auto& p) { return p.first == k && !p.second.empty(); });
  };
  const std::string_view p = route.path;
  if (p == "/api/v3/exchangeInfo" || p == "/api/v3/allOrders" || p == "/api/v3/myTrades" || p == "/api/v3/account") return 20;
  if (p == "/api/v3/trades") return 25;
  if (p == "/api/v3/ticker/bookTicker") return has("symbol") ? 2 : 4;
  if (p == "/api/v3/openOrders") return route.method == HttpMethod::get ? (has("symbol") ? 6 : 80) : 1;
  if (p == "/api/v3/order") return route.method == HttpMethod::get ? 4 : 1;
  if (p == "/api/v3/depth") {
    std::int64_t limit = 100;
    for (const auto& [k, v] : params) {
      if (k == "limit") std::from_chars(v.data(), v.data() + v.size(), limit);
    }
    if (limit <= 100) return 5;
    if (limit <= 500) return 25;
    if (limit <= 1000) return 50;
    return 250;
  }
  return 1;
}

}  // namespace

BinanceFront::BinanceFront(MatchingEngine& engine, FrontConfig config)
    : engine_(engine), config_(std::move(config)), faults_(config_.faults) {}

void BinanceFront::add_credential(std::string api_key, std::string_view secret, AccountId account) {
  if (api_key.empty() || secret.empty()) throw Exception(make_error(ErrorCode::invalid_argument, "API key and secret must not be empty"));
  credentials_.insert_or_assign(std::move(api_key), Credential{account, sign::HmacSha256(secret), {}});
}

void BinanceFront::add_ed25519_credential(std::string api_key, const std::array<std::uint8_t, 32>& public_key,
                                          AccountId account) {
  if (api_key.empty()) throw Exception(make_error(ErrorCode::invalid_argument, "API key must not be empty"));
  credentials_.insert_or_assign(std::move(api_key), Credential{account, std::nullopt, public_key});
}

HttpResponse BinanceFront::rate_limited(std::int64_t now_ms, bool banned) {
  ++stats_.rate_limited;
  if (banned) {
    HttpResponse r = json(418, fmt::format(R"({{"code":-1003,"msg":"Way too much request weight used; IP banned until {}. Please use WebSocket Streams for live updates to avoid bans."}})",
                                           banned_until_ms_));
    r.headers.push_back({"Retry-After", std::to_string((banned_until_ms_ - now_ms + 999) / 1000)});
    return r;
  }
  HttpResponse r = json(429, fmt::format(R"({{"code":-1003,"msg":"Too much request weight used; current limit is {} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."}})",
                                         config_.limits.request_weight_per_minute));
  const std::int64_t window_end = (now_ms / 60'000 + 1) * 60'000;
  r.headers.push_back({"Retry-After", std::to_string((window_end - now_ms + 999) / 1000)});
  return r;
}

// Request weight per minute (per IP: the simulator sees one client address, and REST
// and the WebSocket API share the window).
void BinanceFront::roll_weight_window(std::int64_t now_ms) {
  const std::int64_t minute = now_ms / 60'000;
  if (weight_.start != minute) {
    weight_ = Window{minute, 0};
    violations_ = 0;
  }
}

std::optional<HttpResponse> BinanceFront::charge(std::uint32_t weight, std::int64_t now_ms) {
  roll_weight_window(now_ms);
  if (now_ms < banned_until_ms_) return rate_limited(now_ms, true);
  weight_.used += weight;
  if (weight_.used <= config_.limits.request_weight_per_minute) return std::nullopt;
  if (++violations_ > config_.limits.violations_before_ban) {
    banned_until_ms_ = now_ms + std::chrono::duration_cast<std::chrono::milliseconds>(config_.limits.ban).count();
    return rate_limited(now_ms, true);
  }
  return rate_limited(now_ms, false);
}

net::ServerReply BinanceFront::handle(const HttpRequest& request, SystemTime now) {
  ++stats_.requests;
  const std::int64_t now_ms = to_unix_millis(now);
  net::ServerReply reply;
  const RestFaults::Before before = faults_.before(config_.faults, reply.delay, stats_.faults);
  if (before == RestFaults::Before::reset) {
    reply.action = net::ReplyAction::reset;
    return reply;
  }
  if (before == RestFaults::Before::error) {
    reply.response = error_response(venue("-1001", "Internal error; unable to process your request. Please try again.", ErrorCode::venue_unavailable));
    return reply;
  }

  const Route* route = find_route(request.method, request.path);
  if (route == nullptr) {
    reply.response = json(404, "");
    return reply;
  }
  Call call(request.method, route->path, now_ms);
  const auto parsed = call.parse(request);

  roll_weight_window(now_ms);
  bool executed = false;
  if (faults_.take_burst(stats_.faults)) {
    // A synthetic burst, not a spent window: wait one second, not until the minute ends.
    reply.response = rate_limited(now_ms, false);
    reply.response.set_header("Retry-After", "1");
  } else if (auto refused = charge(weight_of(*route, call.params), now_ms)) {
    reply.response = std::move(*refused);
  } else if (!parsed) {
    reply.response = error_response(parsed.error());
  } else {
    ++stats_.executed;
    executed = true;
    reply.response = dispatch(call, request);
    for (auto& h : call.extra_headers) reply.response.headers.push_back(std::move(h));
  }
  reply.response.set_header("X-MBX-USED-WEIGHT-1M", std::to_string(weight_.used));

  // Binance answers a refused order with an HTTP error: a 200 is an order executed.
  const RestFaults::After after =
      faults_.after(config_.faults, executed && route->is_order && reply.response.status == 200, stats_.faults);
  if (after == RestFaults::After::error) {
    reply.response = error_response(venue("-1007", "Timeout waiting for response from backend server. Send status unknown; execution status unknown.", ErrorCode::unknown_outcome));
    reply.response.set_header("X-MBX-USED-WEIGHT-1M", std::to_string(weight_.used));
  } else if (after == RestFaults::After::drop) {
    reply.action = net::ReplyAction::drop;
  }
  return reply;
}

namespace {

HttpResponse ok(const Buffer& b) { return json(200, to_string(b)); }

void exchange_info(Buffer& b, const MatchingEngine& engine, const RateLimitConfig& limits, std::int64_t now_ms,
                   const std::string& only) {
  auto out = std::back_inserter(b);
  fmt::format_to(out,
                 R"({{"timezone":"UTC","serverTime":{},"rateLimits":[{{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":{}}},{{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":{}}},{{"rateLimitType":"ORDERS","interval":"DAY","intervalNum":1,"limit":{}}}],"exchangeFilters":[],"symbols":[)",
                 now_ms, limits.request_weight_per_minute, limits.orders_per_10s, limits.orders_per_day);
  bool first = true;
  for (const Instrument* in : engine.instruments()) {
    if (!only.empty() && in->venue_symbol != only) continue;
    if (!first) b.push_back(',');
    first = false;
    const SymbolFilters& f = *engine.filters(in->venue_symbol);
    const Decimal max_qty = in->max_quantity.is_positive() ? in->max_quantity : Decimal::from_int(9'000'000);
    fmt::format_to(
        out,
        R"({{"symbol":"{}","status":"TRADING","baseAsset":"{}","baseAssetPrecision":8,"quoteAsset":"{}","quotePrecision":8,"quoteAssetPrecision":8,"baseCommissionPrecision":8,"quoteCommissionPrecision":8,"orderTypes":["LIMIT","LIMIT_MAKER","MARKET"],"icebergAllowed":false,"ocoAllowed":false,"otoAllowed":false,"quoteOrderQtyMarketAllowed":true,"allowTrailingStop":false,"cancelReplaceAllowed":false,"isSpotTradingAllowed":true,"isMarginTradingAllowed":false,"filters":[{{"filterType":"PRICE_FILTER","minPrice":"{:.8}","maxPrice":"{:.8}","tickSize":"{:.8}"}},{{"filterType":"LOT_SIZE","minQty":"{:.8}","maxQty":"{:.8}","stepSize":"{:.8}"}},{{"filterType":"NOTIONAL","minNotional":"{:.8}","applyMinToMarket":{},"maxNotional":"{:.8}","applyMaxToMarket":{},"avgPriceMins":{}}})",
        in->venue_symbol, in->base, in->quote, *f.min_price, f.max_price, in->tick_size, in->min_quantity, max_qty,
        in->step_size, in->min_notional, f.apply_min_to_market, f.max_notional, f.apply_max_to_market,
        f.notional_avg_price_mins);
    if (const auto& pct = f.percent_price_by_side) {
      fmt::format_to(
          out,
          R"(,{{"filterType":"PERCENT_PRICE_BY_SIDE","bidMultiplierUp":"{}","bidMultiplierDown":"{}","askMultiplierUp":"{}","askMultiplierDown":"{}","avgPriceMins":{}}})",
          pct->bid_multiplier_up, pct->bid_multiplier_down, pct->ask_multiplier_up, pct->ask_multiplier_down,
          pct->avg_price_mins);
    }
    b.append(std::string_view(
        R"(],"permissions":[],"permissionSets":[["SPOT"]],"defaultSelfTradePreventionMode":"EXPIRE_MAKER","allowedSelfTradePreventionModes":["EXPIRE_MAKER"]})"));
  }
  b.append(std::string_view("]}"));
}

void levels_json(Buffer& b, const std::vector<Level>& levels) {
  b.push_back('[');
  for (std::size_t i = 0; i < levels.size(); ++i) {
    fmt::format_to(std::back_inserter(b), R"({}["{:.8}","{:.8}"])", i == 0 ? "" : ",", levels[i].price, levels[i].quantity);
  }
  b.push_back(']');
}

void book_ticker(Buffer& b, const MatchingEngine& engine, const std::string& symbol) {
  const auto [bid, ask] = engine.top(symbol);
  fmt::format_to(std::back_inserter(b), R"({{"symbol":"{}","bidPrice":"{:.8}","bidQty":"{:.8}","askPrice":"{:.8}","askQty":"{:.8}"}})",
                 symbol, bid ? bid->price : Decimal{}, bid ? bid->quantity : Decimal{}, ask ? ask->price : Decimal{},
                 ask ? ask->quantity : Decimal{});
}

template <class T, class Write>
HttpResponse json_array(const std::vector<T>& items, Write write) {
  Buffer b;
  b.push_back('[');
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) b.push_back(',');
    write(b, items[i]);
  }
  b.push_back(']');
  return ok(b);
}

}  // namespace

HttpResponse BinanceFront::dispatch(Call& call, const HttpRequest& r) {
  const std::string_view path = call.path;
  Buffer b;
  const auto fail = [](const Error& e) { return error_response(e); };

  if (path == "/api/v3/ping") return json(200, "{}");
  if (path == "/api/v3/time") return json(200, fmt::format(R"({{"serverTime":{}}})", call.now_ms));
  if (path == "/api/v3/exchangeInfo") {
    auto symbol = call.symbol(engine_, false);
    if (!symbol) return fail(symbol.error());
    exchange_info(b, engine_, config_.limits, call.now_ms, *symbol);
    return ok(b);
  }
  if (path == "/api/v3/depth") {
    auto symbol = call.symbol(engine_, true);
    if (!symbol) return fail(symbol.error());
    auto limit = call.limit(100, 5000);
    if (!limit) return fail(limit.error());
    const auto [bids, asks] = engine_.depth(*symbol, *limit);
    fmt::format_to(std::back_inserter(b), R"({{"lastUpdateId":{},"bids":)", engine_.last_update_id(*symbol));
    levels_json(b, bids);
    b.append(std::string_view(R"(,"asks":)"));
    levels_json(b, asks);
    b.push_back('}');
    return ok(b);
  }
  if (path == "/api/v3/trades") {
    auto symbol = call.symbol(engine_, true);
    if (!symbol) return fail(symbol.error());
    auto limit = call.limit(500, 1000);
    if (!limit) return fail(limit.error());
    return json_array(engine_.recent_trades(*symbol, *limit), [](Buffer& out, const Trade& t) {
      fmt::format_to(std::back_inserter(out), R"({{"id":{},"price":"{:.8}","qty":"{:.8}","quoteQty":"{:.8}","time":{},"isBuyerMaker":{},"isBestMatch":true}})",
                     t.id, t.price, t.quantity, t.quote_quantity, t.time_ms, t.is_buyer_maker);
    });
  }
  if (path == "/api/v3/ticker/bookTicker") {
    auto symbol = call.symbol(engine_, false);
    if (!symbol) return fail(symbol.error());
    if (!symbol->empty()) {
      book_ticker(b, engine_, *symbol);
      return ok(b);
    }
    std::vector<std::string> all;
    for (const Instrument* in : engine_.instruments()) all.push_back(in->venue_symbol);
    return json_array(all, [&](Buffer& out, const std::string& s) { book_ticker(out, engine_, s); });
  }

  // Signed endpoints: API key, signature (over the query then the body, without the
  // signature item), timestamp window.
  std::string query = r.query, body = r.body;
  std::optional<std::string> signature = cut_signature(query);
  if (!signature) signature = cut_signature(body);
  auto account = authenticate(call, r.header("X-MBX-APIKEY").value_or(""), signature, query + body, true);
  if (!account) return fail(account.error());
  call.account = *account;
  return execute(call);
}

Result<AccountId> BinanceFront::authenticate(const Call& call, std::string_view api_key,
                                             const std::optional<std::string>& signature, std::string_view payload,
                                             bool percent_encoded) {
  ++stats_.signed_requests;
  if (api_key.empty()) {
    ++stats_.auth_rejected;
    return venue("-2014", "API-key format invalid.", ErrorCode::auth_failed);
  }
  const auto credential = credentials_.find(std::string(api_key));
  if (credential == credentials_.end()) {
    ++stats_.auth_rejected;
    return venue("-2015", "Invalid API-key, IP, or permissions for action.", ErrorCode::auth_failed);
  }
  if (!signature || signature->empty()) return mandatory("signature");
  auto timing = call.timing();
  if (!timing) return timing.error();
  if (!verify(credential->second, *signature, payload, percent_encoded)) {
    ++stats_.auth_rejected;
    return venue("-1022", "Signature for this request is not valid.", ErrorCode::invalid_signature);
  }
  if (auto in_window = call.within(*timing); !in_window) return in_window.error();
  return credential->second.account;
}

bool BinanceFront::verify(const Credential& credential, std::string_view signature, std::string_view payload,
                          bool percent_encoded) {
  if (credential.mac) {
    // HMAC signatures are not case-sensitive (web-socket-api.md "Signature Case Sensitivity").
    std::string given(signature);
    std::transform(given.begin(), given.end(), given.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    return given == sign::hex_lower(credential.mac->digest(payload));
  }
  // Ed25519: base64 of the 64-byte signature, percent-encoded as a REST parameter.
  Result<std::string> text = percent_encoded ? sign::percent_decode(signature) : Result<std::string>(std::string(signature));
  if (!text) return false;
  Result<std::string> raw = sign::base64_decode(*text);
  if (!raw || raw->size() != 64) return false;
  return sign::ed25519_verify(credential.ed25519_public_key,  payload,
                              std::span<const std::uint8_t, 64>(reinterpret_cast<const std::uint8_t*>(raw->data()), 64));
}

HttpResponse BinanceFront::execute(Call& call) {
  const std::string_view path = call.path;
  Buffer b;
  const auto fail = [](const Error& e) { return error_response(e); };
  const AccountId account = call.account;

  if (path == "/api/v3/account") {
    const Decimal maker = engine_.config().maker_fee_rate, taker = engine_.config().taker_fee_rate;
    const auto bps = [](Decimal rate) { return rate.mul(Decimal::from_int(10'000), Rounding::half_even).round(0, Rounding::half_even); };
    fmt::format_to(std::back_inserter(b),
                   R"({{"makerCommission":{},"takerCommission":{},"buyerCommission":0,"sellerCommission":0,"commissionRates":{{"maker":"{:.8}","taker":"{:.8}","buyer":"0.00000000","seller":"0.00000000"}},"canTrade":true,"canWithdraw":true,"canDeposit":true,"brokered":false,"requireSelfTradePrevention":false,"preventSor":false,"updateTime":{},"accountType":"SPOT","balances":[)",
                   bps(maker), bps(taker), maker, taker, call.now_ms);
    bool first = true;
    for (const auto& [asset, balance] : engine_.balances(account)) {
      fmt::format_to(std::back_inserter(b), R"({}{{"asset":"{}","free":"{:.8}","locked":"{:.8}"}})", first ? "" : ",", asset, balance.free, balance.locked);
      first = false;
    }
    fmt::format_to(std::back_inserter(b), R"(],"permissions":["SPOT"],"uid":{}}})", 1000 + account);
    return ok(b);
  }

  const bool symbol_needed = !(path == "/api/v3/openOrders" && call.method == HttpMethod::get);
  auto symbol = call.symbol(engine_, symbol_needed);
  if (!symbol) return fail(symbol.error());

  if (path == "/api/v3/order" && call.method == HttpMethod::get) {
    auto ref = call.order_ref();
    if (!ref) return fail(ref.error());
    const Order* o = engine_.find_order(account, *symbol, ref->first, ref->second);
    if (o == nullptr) return fail(venue("-2013", "Order does not exist.", ErrorCode::order_not_found));
    order_query(b, *o);
    return ok(b);
  }
  if (path == "/api/v3/order" && call.method == HttpMethod::delete_) {
    auto ref = call.order_ref();
    if (!ref) return fail(ref.error());
    auto cancelled = engine_.cancel(account, *symbol, ref->first, ref->second, call.now_ms);
    if (!cancelled) return fail(cancelled.error());
    cancel_json(b, *cancelled, call.now_ms);
    return ok(b);
  }
  if (path == "/api/v3/openOrders" && call.method == HttpMethod::get) {
    return json_array(engine_.open_orders(account, *symbol), [](Buffer& out, const Order& o) { order_query(out, o); });
  }
  if (path == "/api/v3/openOrders") {
    const auto cancelled = engine_.cancel_all(account, *symbol, call.now_ms);
    if (cancelled.empty()) return fail(venue("-2011", "Unknown order sent.", ErrorCode::order_not_found));
    const std::int64_t now = call.now_ms;
    return json_array(cancelled, [now](Buffer& out, const Order& o) { cancel_json(out, o, now); });
  }
  if (path == "/api/v3/allOrders") {
    auto limit = call.limit(500, 1000);
    if (!limit) return fail(limit.error());
    auto orders = engine_.all_orders(account, *symbol);
    if (orders.size() > *limit) orders.erase(orders.begin(), orders.end() - static_cast<std::ptrdiff_t>(*limit));
    return json_array(orders, [](Buffer& out, const Order& o) { order_query(out, o); });
  }
  if (path == "/api/v3/myTrades") {
    auto limit = call.limit(500, 1000);
    if (!limit) return fail(limit.error());
    auto fills = engine_.account_fills(account, *symbol);
    if (fills.size() > *limit) fills.erase(fills.begin(), fills.end() - static_cast<std::ptrdiff_t>(*limit));
    return json_array(fills, [](Buffer& out, const Fill& f) {
      fmt::format_to(std::back_inserter(out),
                     R"({{"symbol":"{}","id":{},"orderId":{},"orderListId":-1,"price":"{:.8}","qty":"{:.8}","quoteQty":"{:.8}","commission":"{:.8}","commissionAsset":"{}","time":{},"isBuyer":{},"isMaker":{},"isBestMatch":true}})",
                     f.symbol, f.trade_id, f.order_id, f.price, f.quantity, f.quote_quantity, f.commission, f.commission_asset,
                     f.time_ms, f.is_buyer, f.is_maker);
    });
  }

  if (path == "/api/v3/order/cancelReplace") return cancel_replace(call, *symbol);

  // POST /api/v3/order and /api/v3/order/test.
  auto order = parse_new_order(call, *symbol);
  if (!order) return fail(order.error());
  if (path == "/api/v3/order/test") {
    if (engine_.instrument(order->first.symbol) == nullptr) return fail(venue("-1121", "Invalid symbol."));
    return json(200, "{}");
  }
  if (auto limited = count_order(call); !limited) return fail(limited.error());
  auto placed = engine_.place(order->first, call.now_ms);
  if (!placed) return fail(placed.error());
  placed_json(b, *placed, order->second, call.now_ms);
  return ok(b);
}

Result<std::pair<OrderRequest, std::string_view>> BinanceFront::parse_new_order(const Call& call,
                                                                                 const std::string& symbol) const {
  OrderRequest order;
  order.account = call.account;
  order.symbol = symbol;
  auto side = call.required("side");
  if (!side) return side.error();
  if (*side == "BUY") {
    order.side = Side::buy;
  } else if (*side == "SELL") {
    order.side = Side::sell;
  } else {
    return venue("-1117", "Invalid side.");
  }
  auto type = call.required("type");
  if (!type) return type.error();
  if (*type == "LIMIT") {
    order.type = SimOrderType::limit;
  } else if (*type == "MARKET") {
    order.type = SimOrderType::market;
  } else if (*type == "LIMIT_MAKER") {
    order.type = SimOrderType::limit_maker;
  } else {
    return venue("-1116", "Invalid orderType.");
  }
  const auto tif = call.get("timeInForce");
  if (order.type == SimOrderType::limit) {
    if (!tif) return mandatory("timeInForce");
    if (*tif == "GTC") {
      order.time_in_force = TimeInForce::gtc;
    } else if (*tif == "IOC") {
      order.time_in_force = TimeInForce::ioc;
    } else if (*tif == "FOK") {
      order.time_in_force = TimeInForce::fok;
    } else {
      return venue("-1115", "Invalid timeInForce.");
    }
  } else if (tif) {
    return not_required("timeInForce");
  }
  auto quantity = call.decimal("quantity");
  if (!quantity) return quantity.error();
  auto quote_quantity = call.decimal("quoteOrderQty");
  if (!quote_quantity) return quote_quantity.error();
  auto price = call.decimal("price");
  if (!price) return price.error();
  if (order.type == SimOrderType::market) {
    if (*price) return not_required("price");
    if (!*quantity && !*quote_quantity) return venue("-1102", "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
    if (*quantity && *quote_quantity) return not_required("quoteOrderQty");
    order.quote_quantity = *quote_quantity;
  } else {
    if (!*quantity) return mandatory("quantity");
    if (!*price) return mandatory("price");
    if (*quote_quantity) return not_required("quoteOrderQty");
  }
  order.quantity = quantity->value_or(Decimal{});
  order.price = *price;
  if (const auto client = call.get("newClientOrderId")) {
    if (!matches_charset(*client, 36, "-_", true)) return illegal("newClientOrderId", kClientIdRange);
    order.client_order_id = std::string(*client);
  }
  std::string_view resp_type = order.type == SimOrderType::limit_maker ? "ACK" : "FULL";
  if (const auto t = call.get("newOrderRespType")) {
    if (*t != "ACK" && *t != "RESULT" && *t != "FULL") return illegal("newOrderRespType", "ACK, RESULT, FULL");
    resp_type = *t == "ACK" ? "ACK" : *t == "RESULT" ? "RESULT" : "FULL";
  }
  return std::pair<OrderRequest, std::string_view>{std::move(order), resp_type};
}

// Order-count limits (per account, counted before execution as Binance does).
Result<void> BinanceFront::count_order(Call& call) {
  auto& [ten_seconds, day] = orders_[call.account];
  const std::int64_t ten_second_window = call.now_ms / 10'000, day_window = call.now_ms / 86'400'000;
  if (ten_seconds.start != ten_second_window) ten_seconds = Window{ten_second_window, 0};
  if (day.start != day_window) day = Window{day_window, 0};
  ++ten_seconds.used;
  ++day.used;
  call.extra_headers.push_back({"X-MBX-ORDER-COUNT-10S", std::to_string(ten_seconds.used)});
  call.extra_headers.push_back({"X-MBX-ORDER-COUNT-1D", std::to_string(day.used)});
  if (ten_seconds.used > config_.limits.orders_per_10s) {
    ++stats_.rate_limited;
    return venue("-1015", fmt::format("Too many new orders; current limit is {} orders per 10 SECOND.", config_.limits.orders_per_10s), ErrorCode::rate_limited);
  }
  if (day.used > config_.limits.orders_per_day) {
    ++stats_.rate_limited;
    return venue("-1015", fmt::format("Too many new orders; current limit is {} orders per 1 DAY.", config_.limits.orders_per_day), ErrorCode::rate_limited);
  }
  return {};
}

// The reply to a placed order in the response type asked for.
void BinanceFront::placed_json(Buffer& b, const PlaceOutcome& placed, std::string_view resp_type, std::int64_t now_ms) {
  const Order& o = placed.order;
  b.push_back('{');
  order_head(b, o);
  fmt::format_to(std::back_inserter(b), R"(,"transactTime":{})", now_ms);
  if (resp_type != "ACK") {
    b.push_back(',');
    order_body(b, o);
    fmt::format_to(std::back_inserter(b), R"(,"workingTime":{},"selfTradePreventionMode":"EXPIRE_MAKER")", o.time_ms);
  }
  if (resp_type == "FULL") {
    b.append(std::string_view(R"(,"fills":[)"));
    for (std::size_t i = 0; i < placed.fills.size(); ++i) {
      const Fill& f = placed.fills[i];
      fmt::format_to(std::back_inserter(b), R"({}{{"price":"{:.8}","qty":"{:.8}","commission":"{:.8}","commissionAsset":"{}","tradeId":{}}})",
                     i == 0 ? "" : ",", f.price, f.quantity, f.commission, f.commission_asset, f.trade_id);
    }
    b.push_back(']');
  }
  b.push_back('}');
}

// POST /api/v3/order/cancelReplace and order.cancelReplace (rest-api.md and
// web-socket-api.md "Cancel and replace order"): the new order is checked and counted
// first (counted even when not attempted), then the cancel, then the placement.
HttpResponse BinanceFront::cancel_replace(Call& call, const std::string& symbol) {
  const auto mode = call.required("cancelReplaceMode");
  if (!mode) return error_response(mode.error());
  if (*mode != "STOP_ON_FAILURE" && *mode != "ALLOW_FAILURE") return error_response(venue("-1100", "Illegal characters found in parameter 'cancelReplaceMode'; legal range is 'STOP_ON_FAILURE, ALLOW_FAILURE'."));
  auto cancel_id = call.integer("cancelOrderId");
  if (!cancel_id) return error_response(cancel_id.error());
  const auto cancel_client = call.get("cancelOrigClientOrderId");
  if (!*cancel_id && !cancel_client) {
    return error_response(venue("-1102", "Param 'cancelOrigClientOrderId' or 'cancelOrderId' must be sent, but both were empty/null!"));
  }
  auto order = parse_new_order(call, symbol);
  if (!order) return error_response(order.error());
  if (auto limited = count_order(call); !limited) return error_response(limited.error());

  const auto error_object = [](const Error& e) {
    std::string out = fmt::format(R"({{"code":{},"msg":)", e.venue_code.empty() ? std::string_view("-1000") : std::string_view(e.venue_code));
    append_json_string(out, e.message);
    out.push_back('}');
    return out;
  };
  Buffer cancel_json_text, placed_text;
  auto cancelled = engine_.cancel(call.account, symbol, *cancel_id, std::string(cancel_client.value_or("")), call.now_ms);
  std::optional<Result<PlaceOutcome>> placed;
  if (cancelled) {
    cancel_json(cancel_json_text, *cancelled, call.now_ms);
  }
  if (cancelled || *mode == "ALLOW_FAILURE") {
    placed = engine_.place(order->first, call.now_ms);
    if (*placed) placed_json(placed_text, **placed, order->second, call.now_ms);
  }
  const std::string cancel_part = cancelled ? to_string(cancel_json_text) : error_object(cancelled.error());
  const std::string placed_part = !placed ? std::string("null") : *placed ? to_string(placed_text) : error_object(placed->error());
  const std::string_view placed_result = !placed ? "NOT_ATTEMPTED" : *placed ? "SUCCESS" : "FAILURE";
  const std::string halves = fmt::format(R"({{"cancelResult":"{}","newOrderResult":"{}","cancelResponse":{},"newOrderResponse":{}}})",
                                         cancelled ? "SUCCESS" : "FAILURE", placed_result, cancel_part, placed_part);
  if (cancelled && placed && *placed) return json(200, halves);
  const bool partial = cancelled || (placed && *placed);
  return json(partial ? 409 : 400, fmt::format(R"({{"code":{},"msg":"{}","data":{}}})", partial ? -2021 : -2022,
                                               partial ? "Order cancel-replace partially failed." : "Order cancel-replace failed.", halves));
}

namespace {

// The REST endpoint that answers each WebSocket API trading and account method
// (web-socket-api.md "Trading requests", "Account requests").
struct WsMethod {
  std::string_view method;
  HttpMethod http;
  std::string_view path;
  bool places;  // counts against ORDERS (its reply's rateLimits show them)
};
constexpr WsMethod kWsMethods[] = {
    {"order.place", HttpMethod::post, "/api/v3/order", true},
    {"order.test", HttpMethod::post, "/api/v3/order/test", false},
    {"order.cancel", HttpMethod::delete_, "/api/v3/order", false},
    {"order.status", HttpMethod::get, "/api/v3/order", false},
    {"openOrders.status", HttpMethod::get, "/api/v3/openOrders", false},
    {"openOrders.cancelAll", HttpMethod::delete_, "/api/v3/openOrders", false},
    {"order.cancelReplace", HttpMethod::post, "/api/v3/order/cancelReplace", true},
    {"account.status", HttpMethod::get, "/api/v3/account", false},
};

std::optional<std::string_view> find_ws_param(const WsApiParams& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

}  // namespace

std::optional<WsApiAnswer> BinanceFront::ws_call(std::string_view method, WsApiParams params,
                                                 std::optional<AccountId> session, std::int64_t now_ms) {
  const auto known = std::find_if(std::begin(kWsMethods), std::end(kWsMethods), [&](const WsMethod& m) { return m.method == method; });
  if (known == std::end(kWsMethods)) return std::nullopt;
  ++stats_.requests;
  const Route* route = find_route(known->http, known->path);
  Call call(known->http, route->path, now_ms);
  call.params = std::move(params);
  if (auto refused = charge(weight_of(*route, call.params), now_ms)) return ws_answer(*refused, std::nullopt, now_ms);
  if (auto checked = call.check(); !checked) return ws_answer(error_response(checked.error()), std::nullopt, now_ms);
  ++stats_.executed;
  if (find_ws_param(call.params, "apiKey") || find_ws_param(call.params, "signature") || !session) {
    auto key = ws_authenticate(call.params, now_ms);
    if (!key) return ws_answer(error_response(key.error()), std::nullopt, now_ms);
    call.account = key->account;
  } else {
    // A logged-on session: the key is the session's, the timestamp is still required.
    auto timing = call.timing();
    if (!timing) return ws_answer(error_response(timing.error()), std::nullopt, now_ms);
    if (auto in_window = call.within(*timing); !in_window) return ws_answer(error_response(in_window.error()), std::nullopt, now_ms);
    call.account = *session;
  }
  // Signature and session parameters are not the endpoint's.
  std::erase_if(call.params, [](const auto& p) { return p.first == "apiKey" || p.first == "signature"; });
  HttpResponse response = execute(call);
  return ws_answer(response, known->places ? std::optional<AccountId>(call.account) : std::nullopt, now_ms);
}

Result<WsApiKey> BinanceFront::ws_authenticate(const WsApiParams& params, std::int64_t now_ms) {
  // SIGNED request security: every parameter except `signature`, sorted by name, joined
  // as name=value with '&', not percent-encoded.
  std::vector<const std::pair<std::string, std::string>*> signed_params;
  std::optional<std::string> signature;
  for (const auto& p : params) {
    if (p.first == "signature") {
      signature = p.second;
    } else {
      signed_params.push_back(&p);
    }
  }
  std::sort(signed_params.begin(), signed_params.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
  std::string payload;
  for (const auto* p : signed_params) {
    if (!payload.empty()) payload.push_back('&');
    payload.append(p->first).push_back('=');
    payload.append(p->second);
  }
  Call call(HttpMethod::get, {}, now_ms);
  call.params = params;
  const std::string_view api_key = find_ws_param(params, "apiKey").value_or("");
  auto account = authenticate(call, api_key, signature, payload, false);
  if (!account) return account.error();
  return WsApiKey{*account, !credentials_.at(std::string(api_key)).mac.has_value()};
}

WsApiAnswer BinanceFront::ws_refusal(const Error& e, std::int64_t now_ms) const {
  return ws_answer(error_response(e), std::nullopt, now_ms);
}

std::optional<WsApiAnswer> BinanceFront::ws_charge(std::uint32_t weight, std::int64_t now_ms) {
  if (auto refused = charge(weight, now_ms)) return ws_answer(*refused, std::nullopt, now_ms);
  return std::nullopt;
}

std::string BinanceFront::ws_rate_limits(std::optional<AccountId> account, std::int64_t now_ms) const {
  std::string out = "[";
  if (account) {
    std::uint32_t ten_seconds = 0, day = 0;
    if (const auto found = orders_.find(*account); found != orders_.end()) {
      if (found->second.first.start == now_ms / 10'000) ten_seconds = found->second.first.used;
      if (found->second.second.start == now_ms / 86'400'000) day = found->second.second.used;
    }
    fmt::format_to(std::back_inserter(out),
                   R"({{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":{},"count":{}}},{{"rateLimitType":"ORDERS","interval":"DAY","intervalNum":1,"limit":{},"count":{}}},)",
                   config_.limits.orders_per_10s, ten_seconds, config_.limits.orders_per_day, day);
  }
  const std::uint32_t weight = weight_.start == now_ms / 60'000 ? weight_.used : 0;
  fmt::format_to(std::back_inserter(out),
                 R"({{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":{},"count":{}}}])",
                 config_.limits.request_weight_per_minute, weight);
  return out;
}

// A REST answer as the WebSocket API's: the same status and body, Retry-After as the
// error's data.retryAfter (the time the request may be sent again, in ms).
WsApiAnswer BinanceFront::ws_answer(const HttpResponse& response, std::optional<AccountId> orders_of,
                                    std::int64_t now_ms) const {
  WsApiAnswer answer{response.status, response.body, ws_rate_limits(orders_of, now_ms)};
  if (const auto retry_after = response.header("Retry-After"); retry_after && !answer.body.empty() && answer.body.back() == '}') {
    std::int64_t seconds = 0;
    std::from_chars(retry_after->data(), retry_after->data() + retry_after->size(), seconds);
    answer.body.pop_back();
    fmt::format_to(std::back_inserter(answer.body), R"(,"data":{{"serverTime":{},"retryAfter":{}}}}})", now_ms,
                   now_ms + seconds * 1000);
  }
  return answer;
}

}  // namespace cts::sim
