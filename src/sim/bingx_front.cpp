// The BingX-compatible REST front (USDT-M perpetual swap). Facts (paths, parameters, field
// names, error codes with their messages, the signature rule, the per-endpoint rate
// limits) from BingX's API docs v3 (BingX-API/docs-v3) and the swap-v2 markdown
// (BingX-API/BingX-swap-api-v2-doc); the values that are the simulator's own are listed
// in the header's file comment.
#include "cts/sim/bingx_front.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cts/core/json_string.hpp"
#include "cts/sign/encoding.hpp"
#include "form.hpp"
#include "json_params.hpp"

namespace cts::sim {
namespace {

using detail::Params;
using detail::to_int;
using namespace cts::literals;

// Most parameters one request may carry.
constexpr std::size_t kMaxBingxParams = 64;
// The default recvWindow ("5000 milliseconds").
constexpr std::int64_t kBingxRecvWindowMs = 5000;
// A listen key's life ("listen key Valid for 1 hour").
constexpr std::int64_t kBingxListenKeyLifeMs = 60 * 60 * 1000;
// The depth limits BingX accepts.
constexpr std::array<int, 7> kBingxDepthLimits{5, 10, 20, 50, 100, 500, 1000};

// A BingX error: its code as Error::venue_code, its message.
Error bingx_error(long code, std::string message, ErrorCode kind = ErrorCode::invalid_argument) {
  return make_error(kind, std::move(message), std::to_string(code));
}

Error bingx_missing(std::string_view name) { return bingx_error(80014, fmt::format("Invalid parameters, {} is required", name)); }
Error bingx_malformed(std::string_view name) { return bingx_error(80014, fmt::format("Invalid parameters, {} is invalid", name)); }
Error bingx_unknown_order() { return bingx_error(80016, "order does not exist", ErrorCode::order_not_found); }

// The bingx_envelope with `data` (JSON text).
HttpResponse bingx_envelope(int status, long code, std::string_view message, std::string_view data) {
  HttpResponse r;
  r.status = status;
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = fmt::format(R"({{"code":{},"msg":)", code);
  append_json_string(r.body, message);
  r.body += R"(,"data":)";
  r.body += data;
  r.body.push_back('}');
  return r;
}

HttpResponse bingx_success(std::string_view data) { return bingx_envelope(200, 0, "", data); }

// An error as BingX answers it: HTTP 429 for 100410, 500 for 100500, 200 otherwise.
HttpResponse bingx_failure(const Error& e) {
  const long code = e.venue_code.empty() ? 100400 : std::stol(e.venue_code);
  const int status = code == 100410 ? 429 : code == 100500 ? 500 : 200;
  return bingx_envelope(status, code, e.message, "{}");
}

Error bingx_rate_limited() { return bingx_error(100410, "Rate limit exceeded", ErrorCode::rate_limited); }
Error bingx_server_error() { return bingx_error(100500, "Internal system error", ErrorCode::venue_unavailable); }

// The engine's refusal in BingX's words.
Error bingx_from_engine(const Error& e) {
  switch (e.code) {
    case ErrorCode::insufficient_funds: return bingx_error(101204, "Insufficient margin", ErrorCode::insufficient_funds);
    case ErrorCode::order_not_found: return bingx_unknown_order();
    default: break;
  }
  if (e.venue_code == "110017") {
    return bingx_error(101290,
                       "The Reduce Only order can only decrease the position and not be used to open a position.");
  }
  if (e.message.find("NOTIONAL") != std::string::npos) {
    return bingx_error(101400, "Please ensure that the minimum nominal value of the order placed must be greater than 2u");
  }
  if (e.message.find("immediately match") != std::string::npos) {
    return bingx_error(101215,
                       "The Maker (Post Only) order ensures that the user always acts as a maker. If the order would "
                       "immediately match with an existing order, it will be cancelled.",
                       ErrorCode::rejected);
  }
  return bingx_error(100400, fmt::format("Invalid parameters, {}", e.message));
}

// Spot's refusal of a symbol it does not trade (docs v3 spot "Place order" errors).
Error bingx_spot_unknown_symbol() {
  return bingx_error(100421,
                     "The symbol you request is not available to place order currently, please verify symbol's status "
                     "by api",
                     ErrorCode::rejected);
}

// The engine's refusal of a spot order in BingX's spot words.
Error bingx_spot_from_engine(const Error& e) {
  if (e.code == ErrorCode::insufficient_funds) {
    return bingx_error(100202, "Insufficient assets, please verify the assets status", ErrorCode::insufficient_funds);
  }
  if (e.message.find("NOTIONAL") != std::string::npos) {
    return bingx_error(100400, " check limit entrust value fail, entrust volume too low");
  }
  return bingx_from_engine(e);
}

std::string_view bingx_status_text(OrderStatus status) {
  switch (status) {
    case OrderStatus::new_: return "NEW";
    case OrderStatus::partially_filled: return "PARTIALLY_FILLED";
    case OrderStatus::filled: return "FILLED";
    case OrderStatus::canceled:
    case OrderStatus::expired_in_match: return "CANCELLED";
    case OrderStatus::rejected: return "FAILED";
    case OrderStatus::expired: return "EXPIRED";
  }
  return "NEW";
}

// "2023-12-16T20:58:36Z" of a time in ms (whole seconds, UTC).
std::string bingx_utc_seconds(std::int64_t ms) {
  const std::int64_t seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const std::int64_t second_of_day = seconds - days * 86400;
  days += 719468;  // civil_from_days (Howard Hinnant)
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", year, month, day, second_of_day / 3600,
                     second_of_day / 60 % 60, second_of_day % 60);
}

// The rate-limit class of an endpoint (spot's cancelAllAfter allows what a spot trade
// endpoint does, its docs giving 10/second, but is no order request).
enum class BingxLimit : std::uint8_t { none, key_only, trade, spot_trade, account, cancel_all_after, spot_cancel_all_after };

struct BingxRoute {
  HttpMethod method;
  std::string_view path;
  BingxLimit limit;
};

constexpr std::array kBingxRoutes{
    BingxRoute{HttpMethod::get, "/openApi/swap/v2/server/time", BingxLimit::none},
    BingxRoute{HttpMethod::get, "/openApi/swap/v2/quote/contracts", BingxLimit::none},
    BingxRoute{HttpMethod::get, "/openApi/swap/v2/quote/depth", BingxLimit::none},
    BingxRoute{HttpMethod::get, "/openApi/swap/v2/quote/bookTicker", BingxLimit::none},
    BingxRoute{HttpMethod::post, "/openApi/swap/v2/trade/order", BingxLimit::trade},
    BingxRoute{HttpMethod::delete_, "/openApi/swap/v2/trade/order", BingxLimit::trade},
    BingxRoute{HttpMethod::get, "/openApi/swap/v2/trade/order", BingxLimit::trade},
    BingxRoute{HttpMethod::get, "/openApi/swap/v2/trade/openOrders", BingxLimit::trade},
    BingxRoute{HttpMethod::delete_, "/openApi/swap/v2/trade/allOpenOrders", BingxLimit::trade},
    BingxRoute{HttpMethod::get, "/openApi/swap/v2/trade/fillHistory", BingxLimit::trade},
    BingxRoute{HttpMethod::post, "/openApi/swap/v2/trade/cancelAllAfter", BingxLimit::cancel_all_after},
    BingxRoute{HttpMethod::post, "/openApi/swap/v1/trade/cancelReplace", BingxLimit::trade},
    BingxRoute{HttpMethod::get, "/openApi/swap/v3/user/balance", BingxLimit::account},
    BingxRoute{HttpMethod::get, "/openApi/swap/v2/user/positions", BingxLimit::account},
    BingxRoute{HttpMethod::get, "/openApi/spot/v1/common/symbols", BingxLimit::none},
    BingxRoute{HttpMethod::get, "/openApi/spot/v1/market/depth", BingxLimit::none},
    BingxRoute{HttpMethod::get, "/openApi/spot/v1/ticker/bookTicker", BingxLimit::none},
    BingxRoute{HttpMethod::post, "/openApi/spot/v1/trade/order", BingxLimit::spot_trade},
    BingxRoute{HttpMethod::post, "/openApi/spot/v1/trade/cancel", BingxLimit::spot_trade},
    BingxRoute{HttpMethod::get, "/openApi/spot/v1/trade/query", BingxLimit::spot_trade},
    BingxRoute{HttpMethod::get, "/openApi/spot/v1/trade/openOrders", BingxLimit::spot_trade},
    BingxRoute{HttpMethod::post, "/openApi/spot/v1/trade/cancelOpenOrders", BingxLimit::spot_trade},
    BingxRoute{HttpMethod::get, "/openApi/spot/v1/trade/myTrades", BingxLimit::spot_trade},
    BingxRoute{HttpMethod::post, "/openApi/spot/v1/trade/order/cancelReplace", BingxLimit::spot_trade},
    BingxRoute{HttpMethod::post, "/openApi/spot/v1/trade/cancelAllAfter", BingxLimit::spot_cancel_all_after},
    BingxRoute{HttpMethod::get, "/openApi/spot/v1/account/balance", BingxLimit::account},
    BingxRoute{HttpMethod::post, "/openApi/user/auth/userDataStream", BingxLimit::key_only},
    BingxRoute{HttpMethod::put, "/openApi/user/auth/userDataStream", BingxLimit::key_only},
    BingxRoute{HttpMethod::delete_, "/openApi/user/auth/userDataStream", BingxLimit::key_only},
};

const BingxRoute* find_bingx_route(const HttpRequest& r) {
  for (const BingxRoute& route : kBingxRoutes) {
    if (route.method == r.method && route.path == r.path) return &route;
  }
  return nullptr;
}

}  // namespace

std::vector<MarketSpec> default_bingx_markets() {
  MarketSpec btc;
  btc.instrument.venue_symbol = "BTC-USDT";
  btc.instrument.base = "BTC";
  btc.instrument.quote = "USDT";
  btc.instrument.settle = "USDT";
  btc.instrument.kind = InstrumentKind::linear_perpetual;
  btc.instrument.tick_size = "0.1"_d;
  btc.instrument.step_size = "0.0001"_d;
  btc.instrument.min_quantity = "0.0001"_d;
  btc.instrument.min_notional = "2"_d;
  btc.filters.min_price = btc.instrument.tick_size;
  btc.filters.max_price = "10000000"_d;
  btc.filters.max_notional = Decimal{};
  btc.filters.percent_price_by_side.reset();
  btc.filters.min_leverage = "1"_d;
  btc.filters.max_leverage = "125"_d;
  btc.filters.leverage_step = "1"_d;
  MarketSpec eth = btc;
  eth.instrument.venue_symbol = "ETH-USDT";
  eth.instrument.base = "ETH";
  eth.instrument.tick_size = "0.01"_d;
  eth.instrument.step_size = "0.01"_d;
  eth.instrument.min_quantity = "0.01"_d;
  eth.filters.min_price = eth.instrument.tick_size;
  MarketSpec spot;
  spot.instrument.venue_symbol = "BTC-USDT";
  spot.instrument.base = "BTC";
  spot.instrument.quote = "USDT";
  spot.instrument.kind = InstrumentKind::spot;
  spot.instrument.tick_size = "0.01"_d;
  spot.instrument.step_size = "0.00001"_d;
  spot.instrument.min_quantity = "0.00001"_d;
  spot.instrument.max_quantity = "18.2663756"_d;
  spot.instrument.min_notional = "5"_d;
  spot.filters.min_price = spot.instrument.tick_size;
  spot.filters.max_price = "10000000"_d;
  spot.filters.max_notional = "500000"_d;
  spot.filters.percent_price_by_side.reset();
  return {btc, eth, spot};
}

// One request: its decoded parameters, its time and, once authenticated, its account.
class BingxFront::Call {
 public:
  const HttpRequest& request;
  const BingxRoute& route;
  std::int64_t now_ms;
  Params params;
  AccountId account = 0;

  Call(const HttpRequest& r, const BingxRoute& rt, std::int64_t now) : request(r), route(rt), now_ms(now) {}

  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const {
    return detail::find_param(params, name);
  }
  [[nodiscard]] Result<std::string_view> required(std::string_view name) const {
    const auto v = get(name);
    if (!v) return bingx_missing(name);
    return *v;
  }
  // A positive decimal parameter, if given.
  [[nodiscard]] Result<std::optional<Decimal>> decimal(std::string_view name) const {
    const auto v = get(name);
    if (!v) return std::optional<Decimal>{};
    auto d = Decimal::parse(*v);
    if (!d || !d->is_positive()) return bingx_malformed(name);
    return std::optional<Decimal>(*d);
  }
  // An integer parameter, if given.
  [[nodiscard]] Result<std::optional<std::int64_t>> integer(std::string_view name) const {
    const auto v = get(name);
    if (!v) return std::optional<std::int64_t>{};
    const auto n = to_int(*v);
    if (!n) return bingx_malformed(name);
    return std::optional<std::int64_t>(*n);
  }
};

BingxFront::BingxFront(MatchingEngine& engine, BingxFrontConfig config)
    : engine_(engine), config_(std::move(config)), faults_(config_.faults) {}

void BingxFront::add_credential(std::string api_key, std::string_view secret, AccountId account) {
  if (api_key.empty() || secret.empty()) {
    throw Exception(make_error(ErrorCode::invalid_argument, "API key and secret must not be empty"));
  }
  credentials_.insert_or_assign(std::move(api_key), Credential{account, sign::HmacSha256(secret)});
}

std::optional<AccountId> BingxFront::listen_key_account(std::string_view key, std::int64_t now_ms) const {
  const auto found = listen_keys_.find(std::string(key));
  if (found == listen_keys_.end() || found->second.expires_ms <= now_ms) return std::nullopt;
  return found->second.account;
}

std::string_view BingxFront::client_order_id(const Order& order) const {
  const auto found = client_ids_.find(order.id);
  return found == client_ids_.end() ? std::string_view() : std::string_view(found->second);
}

void BingxFront::advance(SystemTime now) {
  const std::int64_t now_ms = to_unix_millis(now);
  for (auto it = dead_man_.begin(); it != dead_man_.end();) {
    if (it->second > now_ms) {
      ++it;
      continue;
    }
    const auto [account, kind] = it->first;
    for (const std::string& market : engine_.markets()) {
      if (engine_.instrument(market)->kind == kind) (void)engine_.cancel_all(account, market, now_ms);
    }
    it = dead_man_.erase(it);
  }
}

std::optional<std::string> BingxFront::market_of(std::string_view symbol) const {
  const std::string key = market_key(InstrumentKind::linear_perpetual, symbol);
  if (engine_.instrument(key) == nullptr) return std::nullopt;
  return key;
}

bool BingxFront::grant(const std::string& key, std::uint32_t limit, std::int64_t now_ms) {
  Window& window = windows_[key];
  const std::int64_t start = now_ms / 1000 * 1000;
  if (window.start != start) window = Window{start, 0};
  if (window.used >= limit) {
    ++stats_.rate_limited;
    return false;
  }
  ++window.used;
  return true;
}

net::ServerReply BingxFront::handle(const HttpRequest& request, SystemTime now) {
  ++stats_.requests;
  advance(now);
  net::ServerReply reply;
  const RestFaults::Before before = faults_.before(config_.faults, reply.delay, stats_.faults);
  if (before == RestFaults::Before::reset) {
    reply.action = net::ReplyAction::reset;
    return reply;
  }
  if (before == RestFaults::Before::error) {
    reply.response = bingx_failure(bingx_server_error());
    return reply;
  }
  const std::chrono::milliseconds delay = reply.delay;
  const std::uint64_t executed_before = stats_.executed;
  reply = serve(request, to_unix_millis(now));
  reply.delay = delay;
  if (reply.response.status == 404) return reply;
  // serve() counts a request executed once authenticated and within the limits; every
  // order request is a trade endpoint's POST or DELETE.
  const BingxRoute* route = find_bingx_route(request);
  const bool executed_order = stats_.executed != executed_before && request.method != HttpMethod::get &&
                              (route->limit == BingxLimit::trade || route->limit == BingxLimit::spot_trade);
  const RestFaults::After after = faults_.after(config_.faults, executed_order, stats_.faults);
  if (after == RestFaults::After::error) {
    reply.response = bingx_failure(bingx_server_error());
  } else if (after == RestFaults::After::drop) {
    reply.action = net::ReplyAction::drop;
  }
  return reply;
}

net::ServerReply BingxFront::serve(const HttpRequest& request, std::int64_t now_ms) {
  net::ServerReply reply;
  const BingxRoute* route = find_bingx_route(request);
  if (route == nullptr) {
    reply.response.status = 404;
    reply.response.headers.push_back({"Content-Type", "text/plain"});
    reply.response.body = "404 page not found";
    return reply;
  }
  if (faults_.take_burst(stats_.faults)) {
    ++stats_.rate_limited;
    reply.response = bingx_failure(bingx_rate_limited());
    return reply;
  }
  Call call(request, *route, now_ms);
  std::string query = request.query;
  std::string body = request.body;
  const std::optional<std::string> signature =
      route->limit == BingxLimit::none || route->limit == BingxLimit::key_only ? std::nullopt : detail::cut_signature(query);
  if (!detail::parse_form(query, call.params) || !detail::parse_form(body, call.params) ||
      call.params.size() > kMaxBingxParams) {
    reply.response = bingx_failure(bingx_error(100400, "Invalid parameters, malformed query string or body"));
    return reply;
  }
  if (route->limit == BingxLimit::none) {
    ++stats_.executed;
    reply.response = market(call);
    return reply;
  }
  // Authentication: the key, then (signed endpoints) the signature's presence, the
  // timestamp window and the signature.
  ++stats_.signed_requests;
  const auto key = request.header("X-BX-APIKEY");
  const auto credential = key ? credentials_.find(std::string(*key)) : credentials_.end();
  if (credential == credentials_.end()) {
    ++stats_.auth_rejected;
    reply.response = bingx_failure(bingx_error(100413, "Incorrect apiKey", ErrorCode::auth_failed));
    return reply;
  }
  call.account = credential->second.account;
  if (route->limit != BingxLimit::key_only) {
    if (!signature || signature->empty()) {
      reply.response = bingx_failure(bingx_error(100412, "Null signature", ErrorCode::invalid_signature));
      return reply;
    }
    const auto timestamp = call.integer("timestamp");
    const auto window = call.integer("recvWindow");
    const std::int64_t recv_window = window && *window && **window > 0 ? **window : kBingxRecvWindowMs;
    if (!timestamp || !*timestamp || **timestamp > now_ms + 1000 || **timestamp < now_ms - recv_window) {
      reply.response = bingx_failure(
          bingx_error(100421, "Null timestamp or timestamp mismatch", ErrorCode::timestamp_out_of_window));
      return reply;
    }
    const auto digest = credential->second.mac.digest({query, body});
    std::string given(*signature);
    std::transform(given.begin(), given.end(), given.begin(), [](unsigned char c) { return std::tolower(c); });
    if (given != sign::hex_lower(digest)) {
      ++stats_.auth_rejected;
      reply.response = bingx_failure(bingx_error(
          100001, "Signature verification failed due to signature mismatch", ErrorCode::invalid_signature));
      return reply;
    }
  }
  std::uint32_t limit = 0;
  switch (route->limit) {
    case BingxLimit::trade: limit = config_.limits.trade_per_second; break;
    case BingxLimit::spot_trade:
    case BingxLimit::spot_cancel_all_after: limit = config_.limits.spot_trade_per_second; break;
    case BingxLimit::account: limit = config_.limits.account_per_second; break;
    case BingxLimit::cancel_all_after: limit = config_.limits.cancel_all_after_per_second; break;
    case BingxLimit::none:
    case BingxLimit::key_only: break;
  }
  if (limit != 0 &&
      !grant(fmt::format("{}:{} {}", call.account, to_string(request.method), request.path), limit, now_ms)) {
    reply.response = bingx_failure(bingx_rate_limited());
    return reply;
  }
  ++stats_.executed;
  const std::string_view path = request.path;
  const HttpMethod method = request.method;
  if (route->limit == BingxLimit::key_only) {
    reply.response = listen_key(call);
  } else if (path.starts_with("/openApi/spot/")) {
    reply.response = spot(call);
  } else if (path == "/openApi/swap/v2/trade/order") {
    reply.response = method == HttpMethod::post ? place(call) : method == HttpMethod::delete_ ? cancel(call) : this->query(call);
  } else if (path == "/openApi/swap/v2/trade/openOrders") {
    reply.response = open_orders(call);
  } else if (path == "/openApi/swap/v2/trade/allOpenOrders") {
    reply.response = cancel_all(call);
  } else if (path == "/openApi/swap/v2/trade/fillHistory") {
    reply.response = fill_history(call);
  } else if (path == "/openApi/swap/v2/trade/cancelAllAfter") {
    reply.response = cancel_all_after(call, InstrumentKind::linear_perpetual);
  } else if (path == "/openApi/swap/v1/trade/cancelReplace") {
    reply.response = cancel_replace(call);
  } else if (path == "/openApi/swap/v3/user/balance") {
    reply.response = balance(call);
  } else {
    reply.response = positions(call);
  }
  return reply;
}

Result<std::string> BingxFront::named_market(const Call& call) const {
  const auto symbol = call.required("symbol");
  if (!symbol) return symbol.error();
  auto market = market_of(*symbol);
  if (!market) return bingx_error(80015, fmt::format("symbol:{} not supported", *symbol));
  return std::move(*market);
}

Result<const Order*> BingxFront::target_order(const Call& call, const std::string& market, std::string_view id_key,
                                              std::string_view client_key) const {
  const auto id = call.integer(id_key);
  if (!id) return id.error();
  std::string client(call.get(client_key).value_or(""));
  std::transform(client.begin(), client.end(), client.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!*id && client.empty()) return bingx_missing(id_key);
  const Order* found = engine_.find_order(call.account, market, *id, *id ? std::string_view() : std::string_view(client));
  if (found == nullptr || (!*id && client_order_id(*found) != client)) return bingx_unknown_order();
  return found;
}

HttpResponse BingxFront::market(Call& call) {
  const std::string_view path = call.request.path;
  if (path.starts_with("/openApi/spot/")) return spot_market(call);
  if (path == "/openApi/swap/v2/server/time") return bingx_success(fmt::format(R"({{"serverTime":{}}})", call.now_ms));
  if (path == "/openApi/swap/v2/quote/contracts") {
    const auto only = call.get("symbol");
    std::string data = "[";
    bool first = true;
    for (const std::string& market : engine_.markets()) {
      const Instrument& in = *engine_.instrument(market);
      if (in.kind != InstrumentKind::linear_perpetual || (only && *only != in.venue_symbol)) continue;
      const SymbolFilters& f = *engine_.filters(market);
      const auto decimals = [](Decimal step) {
        const std::string text = fmt::format("{}", step);
        const std::size_t point = text.find('.');
        return point == std::string::npos ? std::size_t{0} : text.size() - point - 1;
      };
      if (!first) data.push_back(',');
      first = false;
      fmt::format_to(
          std::back_inserter(data),
          R"({{"contractId":"{}","symbol":"{}","size":"0","quantityPrecision":{},"pricePrecision":{},"feeRate":{},"makerFeeRate":{},"takerFeeRate":{},"tradeMinLimit":0,"tradeMinQuantity":{},"tradeMinUSDT":{},"maxLongLeverage":{},"maxShortLeverage":{},"currency":"{}","asset":"{}","status":1,"apiStateOpen":"true","apiStateClose":"true","brokerState":"true","launchTime":1586275200000,"maintainTime":0,"offTime":0}})",
          100 + (&market - engine_.markets().data()), in.venue_symbol, decimals(in.step_size), decimals(in.tick_size),
          engine_.config().taker_fee_rate, engine_.config().maker_fee_rate, engine_.config().taker_fee_rate,
          in.min_quantity, in.min_notional, f.max_leverage, f.max_leverage, in.settle, in.base);
    }
    data.push_back(']');
    if (only && first) return bingx_failure(bingx_error(80015, fmt::format("symbol:{} not supported", *only)));
    return bingx_success(data);
  }
  const auto market = named_market(call);
  if (!market) return bingx_failure(market.error());
  if (path == "/openApi/swap/v2/quote/depth") {
    const auto limit = call.integer("limit");
    if (!limit) return bingx_failure(limit.error());
    const std::int64_t levels = limit->value_or(20);
    if (std::find(kBingxDepthLimits.begin(), kBingxDepthLimits.end(), levels) == kBingxDepthLimits.end()) {
      return bingx_failure(bingx_malformed("limit"));
    }
    auto [bids, asks] = engine_.depth(*market, static_cast<std::size_t>(levels));
    // As the docs print it: bids highest first, asks highest first.
    std::reverse(asks.begin(), asks.end());
    const auto side = [](std::string& out, const std::vector<Level>& side_levels) {
      out.push_back('[');
      for (std::size_t i = 0; i < side_levels.size(); ++i) {
        fmt::format_to(std::back_inserter(out), R"({}["{}","{}"])", i == 0 ? "" : ",", side_levels[i].price,
                       side_levels[i].quantity);
      }
      out.push_back(']');
    };
    std::string data = fmt::format(R"({{"T":{},"bids":)", call.now_ms);
    side(data, bids);
    data += R"(,"asks":)";
    side(data, asks);
    data.push_back('}');
    return bingx_success(data);
  }
  // bookTicker: prices and quantities as JSON numbers, as the docs print them.
  const auto [bid, ask] = engine_.top(*market);
  if (!bid || !ask) return bingx_failure(bingx_error(80012, "The current system is busy, please try again later",
                                               ErrorCode::venue_unavailable));
  return bingx_success(fmt::format(R"({{"book_ticker":{{"symbol":"{}","bid_price":{},"bid_qty":{},"ask_price":{},"ask_qty":{}}}}})",
                             *call.get("symbol"), bid->price, bid->quantity, ask->price, ask->quantity));
}

HttpResponse BingxFront::listen_key(Call& call) {
  const HttpMethod method = call.request.method;
  if (method == HttpMethod::post) {
    // 64 hex digits, distinct per key: a counter and the account mixed with the time.
    const std::uint64_t n = ++listen_key_counter_;
    const std::string key =
        fmt::format("{:016x}{:016x}{:016x}{:016x}", static_cast<std::uint64_t>(call.now_ms), n, call.account,
                    (static_cast<std::uint64_t>(call.now_ms) * 0x9E3779B97F4A7C15ULL) ^ (n << 17));
    listen_keys_[key] = ListenKey{call.account, call.now_ms + kBingxListenKeyLifeMs};
    HttpResponse r;
    r.status = 200;
    r.headers.push_back({"Content-Type", "application/json"});
    r.body = fmt::format(R"({{"listenKey":"{}"}})", key);
    return r;
  }
  HttpResponse r;
  const auto key = call.get("listenKey");
  const auto found = key ? listen_keys_.find(std::string(*key)) : listen_keys_.end();
  if (!key) {
    r.status = 204;
    return r;
  }
  if (found == listen_keys_.end() || found->second.account != call.account || found->second.expires_ms <= call.now_ms) {
    r.status = 404;
    r.body = "This listenKey does not exist";
    return r;
  }
  if (method == HttpMethod::put) {
    found->second.expires_ms = call.now_ms + kBingxListenKeyLifeMs;
  } else {
    listen_keys_.erase(found);
  }
  r.status = 200;
  return r;
}

void BingxFront::order_json(std::string& out, const Order& o) const {
  const Instrument& in = *engine_.instrument(o.symbol);
  Decimal commission;
  Decimal profit;
  for (const Fill& f : engine_.account_fills(o.account, o.symbol)) {
    if (f.order_id != o.id) continue;
    commission += f.commission;
    profit += f.realised_pnl;
  }
  const std::string average =
      o.executed.is_positive() ? fmt::format("{}", o.cumulative_quote.div(o.executed, Rounding::half_even)) : "0";
  fmt::format_to(
      std::back_inserter(out),
      R"({{"symbol":"{}","orderId":{},"side":"{}","positionSide":"BOTH","type":"{}","origQty":"{}","price":"{}","executedQty":"{}","avgPrice":"{}","cumQuote":"{}","stopPrice":"","profit":"{}","commission":"{}","status":"{}","time":{},"updateTime":{},"clientOrderId":)",
      in.venue_symbol, o.id, o.side == Side::buy ? "BUY" : "SELL", o.type == SimOrderType::market ? "MARKET" : "LIMIT",
      o.quantity, o.type == SimOrderType::market ? Decimal{} : o.price, o.executed, average, o.cumulative_quote, profit,
      -commission, bingx_status_text(o.status), o.time_ms, o.update_ms);
  append_json_string(out, client_order_id(o));
  fmt::format_to(std::back_inserter(out),
                 R"(,"leverage":"{}X","workingType":"MARK_PRICE","postOnly":{},"reduceOnly":{},"timeInForce":"{}"}})",
                 engine_.leverage(o.account, o.symbol), o.type == SimOrderType::limit_maker ? "true" : "false",
                 o.reduce_only ? "true" : "false",
                 o.type == SimOrderType::limit_maker ? "PostOnly" : to_binance(o.time_in_force));
}

Result<BingxFront::RequestedOrder> BingxFront::read_new_order(const Call& call, InstrumentKind kind) const {
  const bool spot = kind == InstrumentKind::spot;
  const auto market = spot ? spot_named_market(call) : named_market(call);
  if (!market) return market.error();
  RequestedOrder next;
  OrderRequest& order = next.order;
  order.account = call.account;
  order.symbol = *market;
  const auto side = call.required("side");
  if (!side) return side.error();
  if (*side == "BUY") {
    order.side = Side::buy;
  } else if (*side == "SELL") {
    order.side = Side::sell;
  } else {
    return bingx_malformed("side");
  }
  if (const auto position_side = call.get("positionSide"); !spot && position_side && *position_side != "BOTH") {
    return bingx_error(109400, "In the One-way mode, the 'PositionSide' field can only be set to BOTH.");
  }
  const auto type = call.required("type");
  if (!type) return type.error();
  const auto quantity = call.decimal("quantity");
  if (!quantity) return quantity.error();
  if (!*quantity) return bingx_missing("quantity");
  order.quantity = **quantity;
  const auto price = call.decimal("price");
  if (!price) return price.error();
  const std::string_view tif = call.get("timeInForce").value_or("GTC");
  if (*type == "MARKET") {
    order.type = SimOrderType::market;
  } else if (*type == "LIMIT") {
    if (!*price) return bingx_missing("price");
    order.price = *price;
    if (tif == "GTC") {
      order.time_in_force = TimeInForce::gtc;
    } else if (tif == "IOC") {
      order.time_in_force = TimeInForce::ioc;
    } else if (tif == "FOK") {
      order.time_in_force = TimeInForce::fok;
    } else if (tif == "PostOnly") {
      order.type = SimOrderType::limit_maker;
    } else {
      return bingx_malformed("timeInForce");
    }
  } else {
    return bingx_error(100400, fmt::format("Invalid parameters, type {} is not supported", *type));
  }
  if (const auto reduce = call.get("reduceOnly"); !spot && reduce) {
    if (*reduce != "true" && *reduce != "false") return bingx_malformed("reduceOnly");
    order.reduce_only = *reduce == "true";
  }
  const std::string_view client_param = spot ? "newClientOrderId" : "clientOrderId";
  if (const auto given = call.get(client_param)) {
    if (given->size() > 40) return bingx_malformed(client_param);
    next.client.assign(*given);
    std::transform(next.client.begin(), next.client.end(), next.client.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    order.client_order_id = next.client;
  }
  return next;
}

Result<Order> BingxFront::submit(const RequestedOrder& next, std::int64_t now_ms) {
  std::string client_key;
  if (!next.client.empty()) {
    client_key = fmt::format("{}:{}", next.order.account, next.client);
    if (used_client_ids_.contains(client_key)) {
      return bingx_error(101481, "clientOrderID cannot be repeated", ErrorCode::duplicate_client_order_id);
    }
  }
  auto placed = engine_.place(next.order, now_ms);
  if (!placed) {
    const bool spot = engine_.instrument(next.order.symbol)->kind == InstrumentKind::spot;
    return spot ? bingx_spot_from_engine(placed.error()) : bingx_from_engine(placed.error());
  }
  if (!client_key.empty()) {
    used_client_ids_.insert(std::move(client_key));
    client_ids_[placed->order.id] = next.client;
  }
  return std::move(placed->order);
}

HttpResponse BingxFront::place(Call& call) {
  const auto next = read_new_order(call);
  if (!next) return bingx_failure(next.error());
  const auto placed = submit(*next, call.now_ms);
  if (!placed) return bingx_failure(placed.error());
  std::string data = fmt::format(R"({{"order":{{"symbol":"{}","orderId":{},"side":"{}","positionSide":"BOTH","type":"{}","clientOrderId":)",
                                 *call.get("symbol"), placed->id, *call.get("side"), *call.get("type"));
  append_json_string(data, next->client);
  data += R"(,"workingType":"MARK_PRICE"}})";
  return bingx_success(data);
}

HttpResponse BingxFront::cancel(Call& call) {
  const auto market = named_market(call);
  if (!market) return bingx_failure(market.error());
  const auto target = target_order(call, *market);
  if (!target) return bingx_failure(target.error());
  const Order* found = *target;
  if (!is_open(found->status)) {
    if (found->status == OrderStatus::filled) {
      return bingx_failure(bingx_error(80018, "order is already filled", ErrorCode::rejected));
    }
    return bingx_failure(bingx_unknown_order());
  }
  auto cancelled = engine_.cancel(call.account, *market, found->id, {}, call.now_ms);
  if (!cancelled) return bingx_failure(bingx_from_engine(cancelled.error()));
  std::string data = R"({"order":)";
  order_json(data, *cancelled);
  data.push_back('}');
  return bingx_success(data);
}

HttpResponse BingxFront::query(Call& call) {
  const auto market = named_market(call);
  if (!market) return bingx_failure(market.error());
  const auto target = target_order(call, *market);
  if (!target) return bingx_failure(target.error());
  const Order* found = *target;
  std::string data = R"({"order":)";
  order_json(data, *found);
  data.push_back('}');
  return bingx_success(data);
}

HttpResponse BingxFront::open_orders(Call& call) {
  const auto symbol = call.get("symbol");
  std::optional<std::string> market;
  if (symbol) {
    market = market_of(*symbol);
    if (!market) return bingx_failure(bingx_error(80015, fmt::format("symbol:{} not supported", *symbol)));
  }
  return open_orders_of(call.account, market, InstrumentKind::linear_perpetual);
}

HttpResponse BingxFront::open_orders_of(AccountId account, const std::optional<std::string>& market,
                                        InstrumentKind kind) const {
  std::string data = R"({"orders":[)";
  bool first = true;
  for (const std::string& name : engine_.markets()) {
    if ((market && name != *market) || engine_.instrument(name)->kind != kind) continue;
    for (const Order& o : engine_.open_orders(account, name)) {
      if (!first) data.push_back(',');
      first = false;
      if (kind == InstrumentKind::spot) {
        spot_order_json(data, o);
      } else {
        order_json(data, o);
      }
    }
  }
  data += "]}";
  return bingx_success(data);
}

HttpResponse BingxFront::cancel_all(Call& call) {
  const auto market = named_market(call);
  if (!market) return bingx_failure(market.error());
  std::string data = R"({"success":[)";
  bool first = true;
  for (const Order& o : engine_.cancel_all(call.account, *market, call.now_ms)) {
    if (!first) data.push_back(',');
    first = false;
    order_json(data, o);
  }
  data += R"(],"failed":null})";
  return bingx_success(data);
}

HttpResponse BingxFront::fill_history(Call& call) {
  const auto market = named_market(call);
  if (!market) return bingx_failure(market.error());
  const auto start = call.integer("startTs");
  if (!start) return bingx_failure(start.error());
  const auto end = call.integer("endTs");
  if (!end) return bingx_failure(end.error());
  if (!*start) return bingx_failure(bingx_missing("startTs"));
  if (!*end) return bingx_failure(bingx_missing("endTs"));
  const auto order_id = call.integer("orderId");
  if (!order_id) return bingx_failure(order_id.error());
  const auto page = call.integer("pageSize");
  if (!page) return bingx_failure(page.error());
  const std::int64_t page_size = page->value_or(50);
  if (page_size < 1 || page_size > 1000) return bingx_failure(bingx_malformed("pageSize"));
  std::vector<Fill> fills;
  for (Fill& f : engine_.account_fills(call.account, *market)) {
    if (f.time_ms < **start || f.time_ms > **end || (*order_id && f.order_id != **order_id)) continue;
    fills.push_back(std::move(f));
  }
  // The newest page_size fills, newest first.
  std::reverse(fills.begin(), fills.end());
  if (fills.size() > static_cast<std::size_t>(page_size)) fills.resize(static_cast<std::size_t>(page_size));
  std::string data = R"({"fill_history_orders":[)";
  for (std::size_t i = 0; i < fills.size(); ++i) {
    const Fill& f = fills[i];
    fmt::format_to(
        std::back_inserter(data),
        R"({}{{"filledTm":"{}","volume":"{}","price":"{}","qty":"{}","quoteQty":"{}","commission":"{}","commissionAsset":"{}","orderId":"{}","tradeId":"{}","filledTime":"{}","symbol":"{}","role":"{}","side":"{}","positionSide":"both"}})",
        i == 0 ? "" : ",", bingx_utc_seconds(f.time_ms), f.quantity, f.price, f.quantity, f.quote_quantity, -f.commission,
        f.commission_asset, f.order_id, f.trade_id, bingx_utc_seconds(f.time_ms), *call.get("symbol"), f.is_maker ? "maker" : "taker",
        f.is_buyer ? "buy" : "sell");
  }
  fmt::format_to(std::back_inserter(data), R"(],"total":{}}})", fills.size());
  return bingx_success(data);
}

HttpResponse BingxFront::cancel_all_after(Call& call, InstrumentKind kind) {
  const auto type = call.required("type");
  if (!type) return bingx_failure(type.error());
  const std::pair switch_key{call.account, kind};
  if (*type == "CLOSE") {
    dead_man_.erase(switch_key);
    return bingx_success(R"({"triggerTime":0,"status":"CLOSED","note":""})");
  }
  if (*type != "ACTIVATE") return bingx_failure(bingx_malformed("type"));
  const auto timeout = call.integer("timeOut");
  if (!timeout) return bingx_failure(timeout.error());
  if (!*timeout || **timeout < 10 || **timeout > 120) return bingx_failure(bingx_malformed("timeOut"));
  const std::int64_t trigger = call.now_ms + **timeout * 1000;
  dead_man_[switch_key] = trigger;
  return bingx_success(fmt::format(R"({{"triggerTime":{},"status":"ACTIVATED","note":""}})", trigger / 1000));
}

Result<BingxFront::Replaced> BingxFront::replace(Call& call, InstrumentKind kind) {
  const bool spot = kind == InstrumentKind::spot;
  std::optional<std::string_view> mode = call.get("cancelReplaceMode");
  if (spot && !mode) mode = call.get("CancelReplaceMode");
  if (!mode) return bingx_missing("cancelReplaceMode");
  if (*mode != "STOP_ON_FAILURE" && *mode != "ALLOW_FAILURE") return bingx_malformed("cancelReplaceMode");
  // The states a restriction names, as this market writes them.
  const auto state_text = [&](OrderStatus status) {
    return spot ? std::string(bingx_spot_status_text(status)) : fmt::format("ONLY_{}", bingx_status_text(status));
  };
  const std::string_view restriction = call.get("cancelRestrictions").value_or("");
  if (!restriction.empty() && restriction != state_text(OrderStatus::new_) &&
      restriction != state_text(OrderStatus::partially_filled) && restriction != (spot ? "NEW" : "ONLY_PENDING")) {
    return bingx_malformed("cancelRestrictions");
  }
  // Every parameter is checked before anything changes.
  auto next = read_new_order(call, kind);
  if (!next) return next.error();
  const std::string_view client_key = spot ? "cancelClientOrderID" : "cancelClientOrderId";
  const auto id = call.integer("cancelOrderId");
  if (!id) return id.error();
  if (!*id && !call.get(client_key)) return bingx_missing("cancelOrderId");

  // The cancel: the target must exist, be working and be in the restricted state.
  const std::string& market = next->order.symbol;
  const Error not_open = spot ? bingx_error(100400,
                                            "the order you want to cancel is FILLED or CANCELLED already, or is not a "
                                            "valid order id ,please verify",
                                            ErrorCode::order_not_found)
                              : bingx_unknown_order();
  const auto target = spot ? spot_target_order(call, market, "cancelOrderId", client_key)
                           : target_order(call, market, "cancelOrderId", client_key);
  Result<Order> cancelled = not_open;
  if (!target) {
    cancelled = spot ? bingx_error(100400, " order not exist", ErrorCode::order_not_found) : target.error();
  } else if (!spot && (*target)->status == OrderStatus::filled) {
    cancelled = bingx_error(80018, "order is already filled", ErrorCode::rejected);
  } else if (!is_open((*target)->status)) {
    cancelled = not_open;
  } else if (!restriction.empty() && restriction != state_text((*target)->status)) {
    cancelled = make_error(ErrorCode::rejected,
                           fmt::format("the order is {}, not what cancelRestrictions {} allows",
                                       spot ? bingx_spot_status_text((*target)->status) : bingx_status_text((*target)->status),
                                       restriction));
  } else if (auto done = engine_.cancel(call.account, market, (*target)->id, {}, call.now_ms)) {
    cancelled = std::move(*done);
  } else {
    cancelled = spot ? bingx_spot_from_engine(done.error()) : bingx_from_engine(done.error());
  }

  // The new order, unless the cancel failed under STOP_ON_FAILURE.
  Result<Order> placed = !cancelled && *mode == "STOP_ON_FAILURE"
                             ? Result<Order>(make_error(ErrorCode::rejected,
                                                        "the cancel failed and cancelReplaceMode is STOP_ON_FAILURE"))
                             : submit(*next, call.now_ms);
  return Replaced{std::move(*next), std::move(cancelled), std::move(placed)};
}

HttpResponse BingxFront::cancel_replace(Call& call) {
  const auto replaced = replace(call, InstrumentKind::linear_perpetual);
  if (!replaced) return bingx_failure(replaced.error());
  const auto& [next, cancelled, placed] = *replaced;
  std::string data = R"({"cancelResult":)";
  data += cancelled ? R"("true")" : R"("false")";
  data += R"(,"cancelMsg":)";
  append_json_string(data, cancelled ? std::string_view() : std::string_view(cancelled.error().message));
  data += R"(,"cancelResponse":)";
  if (cancelled) {
    order_json(data, *cancelled);
  } else {
    data += "null";
  }
  data += placed ? R"(,"replaceResult":"true")" : R"(,"replaceResult":"false")";
  data += R"(,"replaceMsg":)";
  append_json_string(data, placed ? std::string_view() : std::string_view(placed.error().message));
  data += R"(,"newOrderResponse":)";
  if (placed) {
    fmt::format_to(
        std::back_inserter(data),
        R"({{"orderId":{},"symbol":"{}","positionSide":"BOTH","side":"{}","type":"{}","price":{},"quantity":{},"stopPrice":0,"workingType":"MARK_PRICE","clientOrderId":)",
        placed->id, *call.get("symbol"), placed->side == Side::buy ? "BUY" : "SELL",
        placed->type == SimOrderType::market ? "MARKET" : "LIMIT", placed->type == SimOrderType::market ? Decimal{} : placed->price,
        placed->quantity);
    append_json_string(data, next.client);
    fmt::format_to(std::back_inserter(data), R"(,"timeInForce":"{}","priceRate":0,"reduceOnly":{}}})",
                   placed->type == SimOrderType::limit_maker ? "PostOnly" : to_binance(placed->time_in_force),
                   placed->reduce_only ? "true" : "false");
  } else {
    data += "null";
  }
  data.push_back('}');
  return bingx_success(data);
}

HttpResponse BingxFront::balance(Call& call) {
  std::string data = "[";
  bool first = true;
  std::vector<std::string> settled;
  for (const std::string& market : engine_.markets()) {
    const Instrument& in = *engine_.instrument(market);
    if (in.kind == InstrumentKind::linear_perpetual &&
        std::find(settled.begin(), settled.end(), in.settle) == settled.end()) {
      settled.push_back(in.settle);
    }
  }
  for (const std::string& asset : settled) {
    const Balance cash = engine_.balance(call.account, asset);
    const Decimal position_margin = engine_.position_margin(call.account, asset);
    Decimal unrealised;
    Decimal realised;
    for (const auto& [market, held] : engine_.positions(call.account)) {
      if (engine_.instrument(market)->settle != asset) continue;
      realised += held.realised_pnl();
      if (const auto mark = engine_.mark_price(market); mark && !held.size.is_zero()) unrealised += held.unrealised_pnl(*mark);
    }
    const Decimal wallet = cash.free + cash.locked;
    if (!first) data.push_back(',');
    first = false;
    fmt::format_to(
        std::back_inserter(data),
        R"({{"userId":"{}","asset":"{}","balance":"{}","equity":"{}","unrealizedProfit":"{}","realisedProfit":"{}","availableMargin":"{}","usedMargin":"{}","freezedMargin":"{}","shortUid":""}})",
        call.account, asset, wallet, wallet + unrealised, unrealised, realised, cash.free - position_margin,
        position_margin, cash.locked);
  }
  data.push_back(']');
  return bingx_success(data);
}

void BingxFront::positions_json(std::string& out, AccountId account, std::string_view only_symbol) const {
  bool first = true;
  for (const auto& [market, held] : engine_.positions(account)) {
    const Instrument& in = *engine_.instrument(market);
    if (in.kind != InstrumentKind::linear_perpetual || held.size.is_zero() ||
        (!only_symbol.empty() && in.venue_symbol != only_symbol)) {
      continue;
    }
    const auto mark = engine_.mark_price(market);
    const Decimal upl = mark ? held.unrealised_pnl(*mark) : Decimal{};
    const Decimal value = mark ? held.size.mul(*mark, Rounding::half_even) : Decimal{};
    if (!first) out.push_back(',');
    first = false;
    fmt::format_to(
        std::back_inserter(out),
        R"({{"positionId":"{}","symbol":"{}","currency":"{}","positionAmt":"{}","availableAmt":"{}","positionSide":"BOTH","isolated":false,"avgPrice":"{}","initialMargin":"{}","leverage":{},"unrealizedProfit":"{}","realisedProfit":"{}","liquidationPrice":0,"markPrice":"{}","positionValue":"{}","updateTime":{}}})",
        held.created_ms, in.venue_symbol, in.settle, held.size, held.size.abs(), held.entry_price, held.initial_margin(),
        held.leverage, upl, held.realised_pnl(), mark ? *mark : Decimal{}, value, held.updated_ms);
  }
}

HttpResponse BingxFront::positions(Call& call) {
  const auto symbol = call.get("symbol");
  if (symbol && !market_of(*symbol)) return bingx_failure(bingx_error(80015, fmt::format("symbol:{} not supported", *symbol)));
  std::string data = "[";
  positions_json(data, call.account, symbol.value_or(""));
  data.push_back(']');
  return bingx_success(data);
}

// ---- Spot (docs v3 spot pages): the same account, keys, limits and faults. ----

std::optional<std::string> BingxFront::spot_market_of(std::string_view symbol) const {
  const std::string key = market_key(InstrumentKind::spot, symbol);
  if (engine_.instrument(key) == nullptr) return std::nullopt;
  return key;
}

Result<std::string> BingxFront::spot_named_market(const Call& call) const {
  const auto symbol = call.required("symbol");
  if (!symbol) return symbol.error();
  auto market = spot_market_of(*symbol);
  if (!market) return bingx_spot_unknown_symbol();
  return std::move(*market);
}

Result<const Order*> BingxFront::spot_target_order(const Call& call, const std::string& market,
                                                   std::string_view id_key, std::string_view client_key) const {
  const auto id = call.integer(id_key);
  if (!id) return id.error();
  std::string client(call.get(client_key).value_or(""));
  std::transform(client.begin(), client.end(), client.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!*id && client.empty()) return bingx_missing(id_key);
  const Order* found = engine_.find_order(call.account, market, *id, *id ? std::string_view() : std::string_view(client));
  if (found == nullptr || (!*id && client_order_id(*found) != client)) {
    return bingx_error(100421, "order not exist", ErrorCode::order_not_found);
  }
  return found;
}

HttpResponse BingxFront::spot_market(Call& call) {
  const std::string_view path = call.request.path;
  if (path == "/openApi/spot/v1/common/symbols") {
    const auto only = call.get("symbol");
    std::string data = R"({"symbols":[)";
    bool first = true;
    for (const std::string& market : engine_.markets()) {
      const Instrument& in = *engine_.instrument(market);
      if (in.kind != InstrumentKind::spot || (only && *only != in.venue_symbol)) continue;
      const SymbolFilters& f = *engine_.filters(market);
      if (!first) data.push_back(',');
      first = false;
      fmt::format_to(std::back_inserter(data),
                     R"({{"symbol":"{}","minQty":{},"maxQty":{},"minNotional":{},"maxNotional":{},"status":1,"tickSize":{},"stepSize":{},"apiStateSell":true,"apiStateBuy":true,"timeOnline":1586275200000,"offTime":0,"maintainTime":0}})",
                     in.venue_symbol, in.min_quantity, in.max_quantity, in.min_notional, f.max_notional, in.tick_size,
                     in.step_size);
    }
    data += "]}";
    return bingx_success(data);
  }
  const auto market = spot_named_market(call);
  if (!market) return bingx_failure(market.error());
  if (path == "/openApi/spot/v1/market/depth") {
    const auto limit = call.integer("limit");
    if (!limit) return bingx_failure(limit.error());
    const std::int64_t levels = limit->value_or(20);
    if (levels < 1 || levels > 1000) return bingx_failure(bingx_malformed("limit"));
    auto [bids, asks] = engine_.depth(*market, static_cast<std::size_t>(levels));
    std::reverse(asks.begin(), asks.end());  // as the docs print them: highest first
    const auto side = [](std::string& out, const std::vector<Level>& side_levels) {
      out.push_back('[');
      for (std::size_t i = 0; i < side_levels.size(); ++i) {
        fmt::format_to(std::back_inserter(out), R"({}["{}","{}"])", i == 0 ? "" : ",", side_levels[i].price,
                       side_levels[i].quantity);
      }
      out.push_back(']');
    };
    std::string data = R"({"bids":)";
    side(data, bids);
    data += R"(,"asks":)";
    side(data, asks);
    fmt::format_to(std::back_inserter(data), R"(,"ts":{}}})", call.now_ms);
    return bingx_success(data);
  }
  const auto [bid, ask] = engine_.top(*market);
  if (!bid || !ask) {
    return bingx_failure(bingx_error(100500, "The current system is busy, please try again later",
                                     ErrorCode::venue_unavailable));
  }
  return bingx_success(fmt::format(
      R"([{{"eventType":"bookTicker","time":{},"symbol":"{}","bidPrice":"{}","bidVolume":"{}","askPrice":"{}","askVolume":"{}"}}])",
      call.now_ms, *call.get("symbol"), bid->price, bid->quantity, ask->price, ask->quantity));
}

HttpResponse BingxFront::spot(Call& call) {
  const std::string_view path = call.request.path;
  if (path == "/openApi/spot/v1/trade/order") return spot_place(call);
  if (path == "/openApi/spot/v1/trade/order/cancelReplace") return spot_cancel_replace(call);
  if (path == "/openApi/spot/v1/trade/cancelAllAfter") return cancel_all_after(call, InstrumentKind::spot);
  if (path == "/openApi/spot/v1/account/balance") return spot_balance(call);
  if (path == "/openApi/spot/v1/trade/openOrders") return spot_open_orders(call);
  const auto market = spot_named_market(call);
  if (!market) return bingx_failure(market.error());
  if (path == "/openApi/spot/v1/trade/cancelOpenOrders") {
    std::string data = R"({"orders":[)";
    bool first = true;
    for (const Order& o : engine_.cancel_all(call.account, *market, call.now_ms)) {
      if (!first) data.push_back(',');
      first = false;
      spot_order_json(data, o);
    }
    data += "]}";
    return bingx_success(data);
  }
  if (path == "/openApi/spot/v1/trade/myTrades") return spot_my_trades(call, *market);
  const auto target = spot_target_order(call, *market);
  if (!target) return bingx_failure(target.error());
  const Order* found = *target;
  if (path == "/openApi/spot/v1/trade/cancel") {
    if (!is_open(found->status)) {
      return bingx_failure(bingx_error(100400,
                                       "the order you want to cancel is FILLED or CANCELLED already, or is not a valid "
                                       "order id ,please verify",
                                       ErrorCode::order_not_found));
    }
    auto cancelled = engine_.cancel(call.account, *market, found->id, {}, call.now_ms);
    if (!cancelled) return bingx_failure(bingx_spot_from_engine(cancelled.error()));
    std::string data;
    spot_order_json(data, *cancelled);
    return bingx_success(data);
  }
  std::string data;
  spot_order_json(data, *found);
  return bingx_success(data);
}

void BingxFront::spot_order_json(std::string& out, const Order& o) const {
  const Instrument& in = *engine_.instrument(o.symbol);
  Decimal fee;
  std::string fee_asset;
  for (const Fill& f : engine_.account_fills(o.account, o.symbol)) {
    if (f.order_id != o.id) continue;
    fee += f.commission;
    fee_asset = f.commission_asset;
  }
  const std::string average =
      o.executed.is_positive() ? fmt::format("{}", o.cumulative_quote.div(o.executed, Rounding::half_even)) : "0";
  fmt::format_to(
      std::back_inserter(out),
      R"({{"symbol":"{}","orderId":{},"price":"{}","StopPrice":"0","origQty":"{}","executedQty":"{}","cummulativeQuoteQty":"{}","status":"{}","type":"{}","side":"{}","time":{},"updateTime":{},"origQuoteOrderQty":"0","fee":"{}","feeAsset":"{}","avgPrice":"{}","clientOrderID":)",
      in.venue_symbol, o.id, o.type == SimOrderType::market ? Decimal{} : o.price, o.quantity, o.executed,
      o.cumulative_quote, bingx_spot_status_text(o.status), o.type == SimOrderType::market ? "MARKET" : "LIMIT",
      o.side == Side::buy ? "BUY" : "SELL", o.time_ms, o.update_ms, -fee, fee_asset.empty() ? in.base : fee_asset,
      average);
  append_json_string(out, client_order_id(o));
  out.push_back('}');
}

void BingxFront::spot_placed_json(std::string& out, const Order& o, std::int64_t now_ms) const {
  fmt::format_to(
      std::back_inserter(out),
      R"({{"symbol":"{}","orderId":{},"transactTime":{},"price":"{}","stopPrice":"0","origQty":"{}","executedQty":"{}","cummulativeQuoteQty":"{}","status":"{}","type":"{}","side":"{}","clientOrderID":)",
      engine_.instrument(o.symbol)->venue_symbol, o.id, now_ms, o.type == SimOrderType::market ? Decimal{} : o.price,
      o.quantity, o.executed, o.cumulative_quote, bingx_spot_status_text(o.status),
      o.type == SimOrderType::market ? "MARKET" : "LIMIT", o.side == Side::buy ? "BUY" : "SELL");
  append_json_string(out, client_order_id(o));
  out.push_back('}');
}

HttpResponse BingxFront::spot_place(Call& call) {
  const auto next = read_new_order(call, InstrumentKind::spot);
  if (!next) return bingx_failure(next.error());
  const auto placed = submit(*next, call.now_ms);
  if (!placed) return bingx_failure(placed.error());
  std::string data;
  spot_placed_json(data, *placed, call.now_ms);
  return bingx_success(data);
}

HttpResponse BingxFront::spot_cancel_replace(Call& call) {
  const auto replaced = replace(call, InstrumentKind::spot);
  if (!replaced) return bingx_failure(replaced.error());
  const auto& [next, cancelled, placed] = *replaced;
  // A step's result object, and the placeholder the docs print for an order a step did
  // not produce.
  const auto result = [](std::string& out, const Error* error) {
    const std::string_view code = error == nullptr || error->venue_code.empty() ? "0" : std::string_view(error->venue_code);
    fmt::format_to(std::back_inserter(out), R"({{"code":{},"msg":)", code);
    append_json_string(out, error == nullptr ? std::string_view() : std::string_view(error->message));
    out += error == nullptr ? R"(,"result":true})" : R"(,"result":false})";
  };
  constexpr std::string_view kNoOrder =
      R"({"symbol":"","orderId":0,"price":"0","stopPrice":"0","origQty":"0","executedQty":"0","cummulativeQuoteQty":"0","status":"","type":"","side":""})";
  std::string data = R"({"cancelResult":)";
  result(data, cancelled ? nullptr : &cancelled.error());
  data += R"(,"openResult":)";
  result(data, placed ? nullptr : &placed.error());
  data += R"(,"orderOpenResponse":)";
  if (placed) {
    spot_placed_json(data, *placed, call.now_ms);
  } else {
    data += kNoOrder;
  }
  data += R"(,"orderCancelResponse":)";
  if (cancelled) {
    spot_order_json(data, *cancelled);
  } else {
    data += kNoOrder;
  }
  data.push_back('}');
  return bingx_success(data);
}

HttpResponse BingxFront::spot_open_orders(Call& call) {
  std::optional<std::string> market;
  if (const auto symbol = call.get("symbol")) {
    market = spot_market_of(*symbol);
    if (!market) return bingx_failure(bingx_spot_unknown_symbol());
  }
  return open_orders_of(call.account, market, InstrumentKind::spot);
}

HttpResponse BingxFront::spot_my_trades(Call& call, const std::string& market) {
  const auto order_id = call.integer("orderId");
  if (!order_id) return bingx_failure(order_id.error());
  const auto start = call.integer("startTime");
  if (!start) return bingx_failure(start.error());
  const auto end = call.integer("endTime");
  if (!end) return bingx_failure(end.error());
  const auto limit = call.integer("limit");
  if (!limit) return bingx_failure(limit.error());
  const std::int64_t most = limit->value_or(500);
  if (most < 1 || most > 1000) return bingx_failure(bingx_malformed("limit"));
  std::vector<Fill> fills;
  for (Fill& f : engine_.account_fills(call.account, market)) {
    if ((*order_id && f.order_id != **order_id) || (*start && f.time_ms < **start) || (*end && f.time_ms > **end)) {
      continue;
    }
    fills.push_back(std::move(f));
  }
  // The newest `limit` trades, oldest first.
  if (fills.size() > static_cast<std::size_t>(most)) {
    fills.erase(fills.begin(), fills.end() - static_cast<std::ptrdiff_t>(most));
  }
  std::string data = R"({"fills":[)";
  for (std::size_t i = 0; i < fills.size(); ++i) {
    const Fill& f = fills[i];
    fmt::format_to(
        std::back_inserter(data),
        R"({}{{"symbol":"{}","id":{},"orderId":{},"price":"{}","qty":"{}","quoteQty":"{}","commission":{},"commissionAsset":"{}","time":{},"isBuyer":{},"isMaker":{}}})",
        i == 0 ? "" : ",", *call.get("symbol"), f.trade_id, f.order_id, f.price, f.quantity, f.quote_quantity,
        -f.commission, f.commission_asset, f.time_ms, f.is_buyer ? "true" : "false", f.is_maker ? "true" : "false");
  }
  data += "]}";
  return bingx_success(data);
}

HttpResponse BingxFront::spot_balance(Call& call) {
  std::string data = R"({"balances":[)";
  bool first = true;
  for (const auto& [asset, held] : engine_.balances(call.account)) {
    if (!first) data.push_back(',');
    first = false;
    fmt::format_to(std::back_inserter(data), R"({{"asset":"{}","free":"{}","locked":"{}"}})", asset, held.free,
                   held.locked);
  }
  data += "]}";
  return bingx_success(data);
}

}  // namespace cts::sim
