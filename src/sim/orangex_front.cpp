// The OrangeX-compatible JSON-RPC front. Facts from the official SDK
// (OrangeX-Global/orangex-api-python: the envelope, /public/auth and its double-hex
// signature, the order book's members) and, where it is silent, Deribit's JSON-RPC API
// (method names, params, objects, error codes); the simulator's own values are listed
// in the header's file comment.
#include "cts/sim/orangex_front.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "cts/core/json_string.hpp"
#include "cts/sign/encoding.hpp"
#include "form.hpp"
#include "json_params.hpp"

namespace cts::sim {
namespace {

using detail::Params;
using detail::to_int;

// A timestamp of /public/auth may lie this far from the server's clock.
constexpr std::int64_t kAuthWindowMs = 60'000;
// The REST path prefix.
constexpr std::string_view kPrefix = "/api/v1";

// The calls that place, change or cancel orders (the lost_order_replies fault).
bool is_order_request(std::string_view method) noexcept {
  return method == "/private/buy" || method == "/private/sell" || method == "/private/edit" ||
         method == "/private/cancel" || method == "/private/cancel_all_by_instrument";
}

// A JSON-RPC error with the HTTP status it comes with over REST.
struct RpcError {
  int status = 400;
  long code = 0;
  std::string message;
};

RpcError invalid(std::string_view what) { return {400, 11029, fmt::format("invalid_arguments: {}", what)}; }
RpcError unauthorized() { return {400, 13009, "unauthorized"}; }
RpcError bad_credentials(std::string_view why) { return {400, 13004, fmt::format("invalid_credentials: {}", why)}; }
RpcError order_not_found() { return {400, 10004, "order_not_found"}; }

// An engine refusal in OrangeX's words.
RpcError from_engine(const Error& e) {
  switch (e.code) {
    case ErrorCode::insufficient_funds: return {400, 10009, "not_enough_funds"};
    case ErrorCode::duplicate_client_order_id: return {400, 11050, "bad_request: duplicate label"};
    case ErrorCode::order_not_found: return order_not_found();
    default: return invalid(e.message);
  }
}

std::string number(Decimal d) { return fmt::format("{}", d); }

std::string_view order_state(const Order& o) {
  switch (o.status) {
    case OrderStatus::new_:
    case OrderStatus::partially_filled: return "open";
    case OrderStatus::filled: return "filled";
    case OrderStatus::rejected: return "rejected";
    default: return "cancelled";
  }
}

std::string_view time_in_force_name(TimeInForce tif) {
  switch (tif) {
    case TimeInForce::ioc: return "immediate_or_cancel";
    case TimeInForce::fok: return "fill_or_kill";
    default: return "good_til_cancelled";
  }
}

std::string result_text(std::string_view id, std::string_view result, std::int64_t now_ms) {
  return fmt::format(R"({{"jsonrpc":"2.0","id":{},"result":{},"usIn":{},"usOut":{},"usDiff":0,"testnet":true}})", id,
                     result, now_ms * 1000, now_ms * 1000);
}

std::string error_text(std::string_view id, const RpcError& e) {
  std::string out = fmt::format(R"({{"jsonrpc":"2.0","id":{},"error":{{"message":)", id);
  append_json_string(out, e.message);
  fmt::format_to(std::back_inserter(out), R"(,"code":{}}},"testnet":true}})", e.code);
  return out;
}

}  // namespace

std::vector<MarketSpec> default_orangex_markets() {
  using namespace cts::literals;
  MarketSpec m;
  m.instrument.venue_symbol = "BTC-USDT-PERPETUAL";
  m.instrument.base = "BTC";
  m.instrument.quote = "USDT";
  m.instrument.settle = "USDT";
  m.instrument.kind = InstrumentKind::linear_perpetual;
  m.instrument.tick_size = "0.1"_d;
  m.instrument.step_size = "0.001"_d;
  m.instrument.min_quantity = "0.001"_d;
  m.instrument.max_quantity = "1000"_d;
  m.instrument.min_notional = Decimal{};
  m.filters.max_price = "10000000"_d;
  m.filters.max_notional = Decimal{};
  m.filters.percent_price_by_side.reset();
  m.filters.min_leverage = "1"_d;
  m.filters.max_leverage = "100"_d;
  m.filters.leverage_step = "0.01"_d;
  return {m};
}

// One JSON-RPC call: its id (as JSON text to echo), method and params, read from a JSON
// body or a GET's path and query.
class OrangexFront::Call {
 public:
  std::string id = "null";
  std::string method;
  Params params;
  std::vector<std::string> channels;
  std::int64_t now_ms = 0;

  // Reads a JSON-RPC call; false when it is not one.
  bool parse_json(std::string_view text) {
    simdjson::dom::parser parser;
    simdjson::dom::element document;
    simdjson::dom::object object;
    if (parser.parse(text.data(), text.size()).get(document) != simdjson::SUCCESS) return false;
    if (document.get(object) != simdjson::SUCCESS) return false;
    bool has_method = false;
    for (const auto field : object) {
      if (field.key == "id") {
        const auto type = field.value.type();
        if (type == simdjson::dom::element_type::STRING) {
          id.clear();
          append_json_string(id, std::string_view(field.value));
        } else if (type == simdjson::dom::element_type::INT64 || type == simdjson::dom::element_type::UINT64) {
          id = simdjson::minify(field.value);
        } else if (type != simdjson::dom::element_type::NULL_VALUE) {
          return false;
        }
      } else if (field.key == "method") {
        std::string_view name;
        if (field.value.get(name) != simdjson::SUCCESS) return false;
        method.assign(name);
        has_method = true;
      } else if (field.key == "params") {
        simdjson::dom::object members;
        if (field.value.get(members) != simdjson::SUCCESS) return false;
        const auto on_channels = [this](simdjson::dom::array array) {
          for (const auto element : array) {
            std::string_view channel;
            if (element.get(channel) != simdjson::SUCCESS) return false;
            channels.emplace_back(channel);
          }
          return true;
        };
        if (!detail::read_plain_members(members, params, "channels", on_channels)) return false;
      }
    }
    return has_method;
  }

  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const {
    return detail::find_param(params, name);
  }
  [[nodiscard]] Result<std::string_view> required(std::string_view name, RpcError& error) const {
    const auto v = get(name);
    if (!v || v->empty()) {
      error = invalid(fmt::format("{} is required", name));
      return make_error(ErrorCode::invalid_argument, "");
    }
    return *v;
  }
  // A positive decimal, if given; `error` set and nothing when malformed.
  [[nodiscard]] std::optional<Decimal> positive(std::string_view name, RpcError& error) const {
    const auto v = get(name);
    if (!v) return std::nullopt;
    auto d = Decimal::parse(*v);
    if (!d || !d->is_positive()) {
      error = invalid(fmt::format("{} must be a positive number", name));
      return std::nullopt;
    }
    return *d;
  }
  // A boolean, false when absent; `error` set when neither "true" nor "false".
  [[nodiscard]] bool flag(std::string_view name, RpcError& error) const {
    const auto v = get(name);
    if (!v) return false;
    if (*v != "true" && *v != "false") error = invalid(fmt::format("{} must be a boolean", name));
    return *v == "true";
  }
};

OrangexFront::OrangexFront(MatchingEngine& engine, OrangexFrontConfig config)
    : engine_(engine), config_(std::move(config)), faults_(config_.faults) {}

void OrangexFront::add_credential(std::string client_id, std::string_view secret, AccountId account) {
  if (client_id.empty() || secret.empty()) {
    throw Exception(make_error(ErrorCode::invalid_argument, "client id and secret must not be empty"));
  }
  credentials_.insert_or_assign(std::move(client_id), Credential{account, sign::HmacSha256(secret)});
}

std::uint64_t OrangexFront::book_version(const std::string& market) const {
  const auto found = book_versions_.find(market);
  return found == book_versions_.end() ? 0 : found->second;
}

std::string OrangexFront::market_of(std::string_view instrument_name) const {
  std::string key = market_key(InstrumentKind::linear_perpetual, instrument_name);
  return engine_.instrument(key) == nullptr ? std::string() : key;
}

void OrangexFront::order_json(std::string& out, const Order& o) const {
  const Instrument& in = *engine_.instrument(o.symbol);
  const auto label = labels_.find(o.id);
  out.append(R"({"order_id":")");
  fmt::format_to(std::back_inserter(out), R"({}","label":)", o.id);
  append_json_string(out, label == labels_.end() ? std::string_view() : std::string_view(label->second));
  out.append(R"(,"instrument_name":)");
  append_json_string(out, in.venue_symbol);
  const Decimal average =
      o.executed.is_positive() ? o.cumulative_quote.checked_div(o.executed, Rounding::half_even).value_or(Decimal{}) : Decimal{};
  fmt::format_to(std::back_inserter(out),
                 R"(,"direction":"{}","order_type":"{}","order_state":"{}","time_in_force":"{}","post_only":{},)"
                 R"("reduce_only":{},"price":{},"amount":{},"filled_amount":{},"average_price":{},)"
                 R"("creation_timestamp":{},"last_update_timestamp":{},"api":true,"replaced":false}})",
                 o.side == Side::buy ? "buy" : "sell", o.type == SimOrderType::market ? "market" : "limit", order_state(o),
                 time_in_force_name(o.time_in_force), o.type == SimOrderType::limit_maker, o.reduce_only,
                 o.type == SimOrderType::market ? R"("market_price")" : number(o.price), number(o.quantity),
                 number(o.executed), number(average), o.time_ms, o.update_ms);
}

void OrangexFront::trade_json(std::string& out, const Fill& fill) const {
  const Instrument& in = *engine_.instrument(fill.symbol);
  fmt::format_to(std::back_inserter(out), R"({{"trade_id":"{}","order_id":"{}","instrument_name":)", fill.trade_id,
                 fill.order_id);
  append_json_string(out, in.venue_symbol);
  fmt::format_to(std::back_inserter(out),
                 R"(,"direction":"{}","price":{},"amount":{},"fee":{},"fee_currency":)", fill.is_buyer ? "buy" : "sell",
                 number(fill.price), number(fill.quantity), number(fill.commission));
  append_json_string(out, fill.commission_asset);
  fmt::format_to(std::back_inserter(out), R"(,"liquidity":"{}","profit_loss":{},"timestamp":{}}})",
                 fill.is_maker ? "M" : "T", number(fill.realised_pnl), fill.time_ms);
}

void OrangexFront::account_summary_json(std::string& out, AccountId account, std::string_view currency) const {
  const Balance balance = engine_.balance(account, currency);
  out.append(R"({"currency":)");
  append_json_string(out, currency);
  fmt::format_to(std::back_inserter(out), R"(,"balance":{},"available_funds":{},"initial_margin":{},"equity":{}}})",
                 number(balance.free + balance.locked), number(balance.free), number(balance.locked),
                 number(balance.free + balance.locked));
}

net::ServerReply OrangexFront::handle(const HttpRequest& request, SystemTime now) {
  ++stats_.requests;
  net::ServerReply reply;
  reply.response.headers.push_back({"Content-Type", "application/json"});
  const auto answer = [&](int status, std::string text) {
    reply.response.status = status;
    reply.response.body = std::move(text);
  };
  const RestFaults::Before before = faults_.before(config_.faults, reply.delay, stats_.faults);
  const RpcError server_error{503, -32000, "internal_server_error"};
  if (before == RestFaults::Before::reset) {
    reply.action = net::ReplyAction::reset;
    return reply;
  }
  Call call;
  call.now_ms = to_unix_millis(now);
  if (before == RestFaults::Before::error) {
    answer(server_error.status, error_text(call.id, server_error));
    return reply;
  }
  bool parsed = false;
  if (request.method == HttpMethod::post) {
    parsed = call.parse_json(request.body);
  } else if (request.method == HttpMethod::get && request.path.starts_with(kPrefix)) {
    call.method = request.path.substr(kPrefix.size());
    parsed = detail::parse_form(request.query, call.params);
  }
  if (!parsed) {
    answer(400, error_text(call.id, {400, -32600, "Invalid Request"}));
    return reply;
  }
  if (request.method == HttpMethod::post && request.path != fmt::format("{}{}", kPrefix, call.method)) {
    answer(400, error_text(call.id, invalid("the path does not name the call's method")));
    return reply;
  }
  if (faults_.take_burst(stats_.faults)) {
    ++stats_.rate_limited;
    answer(429, error_text(call.id, {429, 10028, "too_many_requests"}));
    reply.response.set_header("Retry-After", "1");
    return reply;
  }
  std::optional<AccountId> account;
  if (call.method.starts_with("/private/")) {
    ++stats_.signed_requests;
    const auto header = request.header("Authorization");
    constexpr std::string_view kBearer = "bearer ";
    if (header && header->size() > kBearer.size() && header->substr(0, kBearer.size()) == kBearer) {
      const auto token = tokens_.find(std::string(header->substr(kBearer.size())));
      if (token != tokens_.end() && token->second.expires_ms > call.now_ms) account = token->second.account;
    }
  }
  ++stats_.executed;
  auto [status, text] = dispatch(call, account, nullptr);
  answer(status, std::move(text));
  if (status == 429) reply.response.set_header("Retry-After", "1");
  const RestFaults::After after =
      faults_.after(config_.faults, status == 200 && is_order_request(call.method), stats_.faults);
  if (after == RestFaults::After::error) {
    answer(server_error.status, error_text(call.id, server_error));
  } else if (after == RestFaults::After::drop) {
    reply.action = net::ReplyAction::drop;
  }
  return reply;
}

std::optional<std::string> OrangexFront::call(std::string_view text, OrangexSession& session, std::int64_t now_ms) {
  Call call;
  call.now_ms = now_ms;
  if (!call.parse_json(text)) return error_text(call.id, {400, -32600, "Invalid Request"});
  if (call.method.starts_with("/private/")) ++stats_.signed_requests;
  auto [status, reply] = dispatch(call, session.account, &session);
  if (status == 200 && is_order_request(call.method) && faults_.lose_order_reply(stats_.faults)) return std::nullopt;
  return std::move(reply);
}

std::pair<int, std::string> OrangexFront::dispatch(Call& call, std::optional<AccountId> account,
                                                   OrangexSession* session) {
  const auto fail = [&](const RpcError& e) { return std::pair<int, std::string>{e.status, error_text(call.id, e)}; };
  const auto ok = [&](std::string_view result) {
    return std::pair<int, std::string>{200, result_text(call.id, result, call.now_ms)};
  };
  const std::string& m = call.method;
  if (m == "/public/auth") return auth(call, session);
  if (m == "/public/get_time") return ok(std::to_string(call.now_ms));
  if (m == "/public/subscribe" || m == "/private/subscribe") {
    return fail({400, -32601, "Method not found: subscriptions are served on the WebSocket"});
  }
  if (m == "/public/get_instrument" || m == "/public/get_order_book" || m == "/public/ticker") {
    RpcError error;
    const auto name = call.required("instrument_name", error);
    if (!name) return fail(error);
    const std::string market = market_of(*name);
    if (market.empty()) return fail(invalid("unknown instrument_name"));
    const Instrument& in = *engine_.instrument(market);
    std::string out;
    if (m == "/public/get_instrument") {
      out = fmt::format(R"({{"instrument_name":"{}","kind":"perpetual","base_currency":"{}","quote_currency":"{}",)"
                        R"("settlement_currency":"{}","tick_size":{},"min_trade_amount":{},"contract_size":1,)"
                        R"("is_active":true,"settlement_period":"perpetual"}})",
                        in.venue_symbol, in.base, in.quote, in.settle, number(in.tick_size), number(in.step_size));
      return ok(out);
    }
    if (m == "/public/get_order_book") {
      std::size_t depth = 20;
      if (const auto text = call.get("depth")) {
        const auto n = to_int(*text);
        if (!n || *n < 1 || *n > 10000) return fail(invalid("depth"));
        depth = static_cast<std::size_t>(*n);
      }
      const auto [bids, asks] = engine_.depth(market, depth);
      const auto levels = [&](const std::vector<Level>& side) {
        std::string text = "[";
        for (const Level& level : side) {
          if (text.size() > 1) text.push_back(',');
          fmt::format_to(std::back_inserter(text), "[{},{}]", number(level.price), number(level.quantity));
        }
        text.push_back(']');
        return text;
      };
      out = fmt::format(R"({{"instrument_name":"{}","timestamp":{},"version":{},"bids":{},"asks":{}}})", in.venue_symbol,
                        call.now_ms, book_version(market), levels(bids), levels(asks));
      return ok(out);
    }
    const auto [bid, ask] = engine_.top(market);
    const auto trades = engine_.recent_trades(market, 1);
    const auto mark = engine_.mark_price(market);
    out = fmt::format(
        R"({{"instrument_name":"{}","timestamp":{},"state":"open","best_bid_price":{},"best_bid_amount":{},)"
        R"("best_ask_price":{},"best_ask_amount":{},"last_price":{},"mark_price":{}}})",
        in.venue_symbol, call.now_ms, bid ? number(bid->price) : "null", bid ? number(bid->quantity) : "0",
        ask ? number(ask->price) : "null", ask ? number(ask->quantity) : "0",
        trades.empty() ? "null" : number(trades.back().price), mark ? number(*mark) : "null");
    return ok(out);
  }
  if (!m.starts_with("/private/")) return fail({404, -32601, "Method not found"});
  if (!account) {
    ++stats_.auth_rejected;
    return fail(unauthorized());
  }
  Window& window = windows_[*account];
  const std::int64_t second = call.now_ms / 1000;
  if (window.second != second) window = Window{second, 0};
  if (window.used >= config_.private_per_second) {
    ++stats_.rate_limited;
    return fail({429, 10028, "too_many_requests"});
  }
  ++window.used;
  return run_private(call, *account);
}

std::pair<int, std::string> OrangexFront::auth(Call& call, OrangexSession* session) {
  const auto fail = [&](const RpcError& e) {
    if (e.code == 13004) ++stats_.auth_rejected;
    return std::pair<int, std::string>{e.status, error_text(call.id, e)};
  };
  RpcError error;
  const auto grant = call.required("grant_type", error);
  if (!grant) return fail(error);
  AccountId account = 0;
  if (*grant == "client_signature") {
    const auto client_id = call.required("client_id", error);
    const auto timestamp = call.required("timestamp", error);
    const auto nonce = call.required("nonce", error);
    const auto signature = call.required("signature", error);
    if (!client_id || !timestamp || !nonce || !signature) return fail(error);
    const auto credential = credentials_.find(std::string(*client_id));
    if (credential == credentials_.end()) return fail(bad_credentials("unknown client_id"));
    const auto ms = to_int(*timestamp);
    if (!ms || *ms < call.now_ms - kAuthWindowMs || *ms > call.now_ms + kAuthWindowMs) {
      return fail(bad_credentials("timestamp outside the window"));
    }
    const auto digest =
        credential->second.mac.digest(fmt::format("{}\n{}\n{}\n", *client_id, *timestamp, *nonce));
    const std::string once = sign::hex_lower(digest);
    if (*signature != sign::hex_lower(sign::bytes(once))) return fail(bad_credentials("signature"));
    account = credential->second.account;
  } else if (*grant == "refresh_token") {
    const auto refresh = call.required("refresh_token", error);
    if (!refresh) return fail(error);
    const auto found = refreshes_.find(std::string(*refresh));
    if (found == refreshes_.end()) return fail(bad_credentials("unknown refresh_token"));
    account = found->second;
    refreshes_.erase(found);
  } else {
    return fail(invalid("grant_type"));
  }
  std::string refresh;
  const std::string access = issue_token(account, call.now_ms, refresh);
  if (session != nullptr) session->account = account;
  const std::string result =
      fmt::format(R"({{"access_token":"{}","expires_in":{},"refresh_token":"{}","scope":"session:default","token_type":"bearer"}})",
                  access, config_.token_lifetime_s, refresh);
  return {200, result_text(call.id, result, call.now_ms)};
}

std::string OrangexFront::issue_token(AccountId account, std::int64_t now_ms, std::string& refresh) {
  SplitMix64 mix(++tokens_issued_ ^ 0x6f72616e676578ULL);
  std::string access = fmt::format("{:016x}{:016x}", mix.next(), mix.next());
  refresh = fmt::format("{:016x}{:016x}", mix.next(), mix.next());
  std::erase_if(tokens_, [now_ms](const auto& entry) { return entry.second.expires_ms <= now_ms; });
  tokens_[access] = Token{account, now_ms + config_.token_lifetime_s * 1000};
  refreshes_[refresh] = account;
  return access;
}

std::pair<int, std::string> OrangexFront::run_private(Call& call, AccountId account) {
  const auto fail = [&](const RpcError& e) { return std::pair<int, std::string>{e.status, error_text(call.id, e)}; };
  const auto ok = [&](std::string_view result) {
    return std::pair<int, std::string>{200, result_text(call.id, result, call.now_ms)};
  };
  const std::string& m = call.method;
  RpcError error;
  // The order an order_id names (any market), or nothing.
  const auto order_by_id = [&](std::string_view text) -> const Order* {
    const auto id = to_int(text);
    if (!id) return nullptr;
    for (const std::string& market : engine_.markets()) {
      if (const Order* o = engine_.find_order(account, market, static_cast<OrderId>(*id), "")) return o;
    }
    return nullptr;
  };
  const auto with_trades = [&](const Order& o, const std::vector<Fill>& fills) {
    std::string out = R"({"order":)";
    order_json(out, o);
    out.append(R"(,"trades":[)");
    for (std::size_t i = 0; i < fills.size(); ++i) {
      if (i > 0) out.push_back(',');
      trade_json(out, fills[i]);
    }
    out.append("]}");
    return out;
  };

  if (m == "/private/cancel" || m == "/private/get_order_state" || m == "/private/edit" ||
      m == "/private/get_user_trades_by_order") {
    const auto id = call.required("order_id", error);
    if (!id) return fail(error);
    const Order* order = order_by_id(*id);
    if (order == nullptr) return fail(order_not_found());
    if (m == "/private/get_order_state") {
      std::string out;
      order_json(out, *order);
      return ok(out);
    }
    if (m == "/private/get_user_trades_by_order") {
      std::string out = "[";
      for (const Fill& fill : engine_.account_fills(account, order->symbol)) {
        if (fill.order_id != order->id) continue;
        if (out.size() > 1) out.push_back(',');
        trade_json(out, fill);
      }
      out.push_back(']');
      return ok(out);
    }
    if (!is_open(order->status)) return fail({400, 11044, "not_open_order"});
    if (m == "/private/cancel") {
      auto cancelled = engine_.cancel(account, order->symbol, order->id, "", call.now_ms);
      if (!cancelled) return fail(from_engine(cancelled.error()));
      std::string out;
      order_json(out, *cancelled);
      return ok(out);
    }
    const auto amount = call.positive("amount", error);
    const auto price = call.positive("price", error);
    if (error.code != 0) return fail(error);
    if (!amount || !price) return fail(invalid("amount and price are required"));
    auto amended = engine_.amend(account, order->symbol, order->id, "", *amount, *price, call.now_ms);
    if (!amended) return fail(from_engine(amended.error()));
    return ok(with_trades(*amended, {}));
  }

  if (m == "/private/get_account_summary") {
    const auto currency = call.required("currency", error);
    if (!currency) return fail(error);
    std::string out;
    account_summary_json(out, account, *currency);
    return ok(out);
  }

  const auto name = call.required("instrument_name", error);
  if (!name) return fail(error);
  const std::string market = market_of(*name);
  if (market.empty()) return fail(invalid("unknown instrument_name"));
  const Instrument& in = *engine_.instrument(market);

  if (m == "/private/buy" || m == "/private/sell") {
    OrderRequest order;
    order.account = account;
    order.symbol = market;
    order.side = m == "/private/buy" ? Side::buy : Side::sell;
    const auto amount = call.positive("amount", error);
    const auto price = call.positive("price", error);
    const bool post_only = call.flag("post_only", error);
    order.reduce_only = call.flag("reduce_only", error);
    if (error.code != 0) return fail(error);
    if (!amount) return fail(invalid("amount is required"));
    order.quantity = *amount;
    const std::string_view type = call.get("type").value_or("limit");
    const std::string_view tif = call.get("time_in_force").value_or("good_til_cancelled");
    if (type == "market") {
      if (price) return fail(invalid("a market order takes no price"));
      order.type = SimOrderType::market;
    } else if (type == "limit") {
      if (!price) return fail(invalid("price is required"));
      order.price = *price;
      if (tif == "good_til_cancelled") {
        order.time_in_force = TimeInForce::gtc;
      } else if (tif == "immediate_or_cancel") {
        order.time_in_force = TimeInForce::ioc;
      } else if (tif == "fill_or_kill") {
        order.time_in_force = TimeInForce::fok;
      } else {
        return fail(invalid("time_in_force"));
      }
      if (post_only) {
        if (order.time_in_force != TimeInForce::gtc) return fail(invalid("post_only needs good_til_cancelled"));
        order.type = SimOrderType::limit_maker;
      }
    } else {
      return fail(invalid("type"));
    }
    std::string label(call.get("label").value_or(""));
    if (label.size() > 64) return fail(invalid("label is longer than 64"));
    order.client_order_id = label;
    auto placed = engine_.place(order, call.now_ms);
    if (!placed) return fail(from_engine(placed.error()));
    labels_[placed->order.id] = std::move(label);
    return ok(with_trades(placed->order, placed->fills));
  }
  if (m == "/private/cancel_all_by_instrument") {
    return ok(std::to_string(engine_.cancel_all(account, market, call.now_ms).size()));
  }
  if (m == "/private/get_open_orders_by_instrument" || m == "/private/get_order_state_by_label") {
    const bool by_label = m == "/private/get_order_state_by_label";
    std::string_view label;
    if (by_label) {
      const auto named = call.required("label", error);
      if (!named) return fail(error);
      label = *named;
    }
    std::string out = "[";
    for (const Order& o : by_label ? engine_.all_orders(account, market) : engine_.open_orders(account, market)) {
      if (by_label) {
        const auto found = labels_.find(o.id);
        if (found == labels_.end() || found->second != label) continue;
      }
      if (out.size() > 1) out.push_back(',');
      order_json(out, o);
    }
    out.push_back(']');
    return ok(out);
  }
  if (m == "/private/get_user_trades_by_instrument") {
    std::size_t count = 10;
    if (const auto text = call.get("count")) {
      const auto n = to_int(*text);
      if (!n || *n < 1 || *n > 1000) return fail(invalid("count"));
      count = static_cast<std::size_t>(*n);
    }
    const std::vector<Fill> fills = engine_.account_fills(account, market);
    std::string out = R"({"trades":[)";
    std::size_t written = 0;
    for (auto it = fills.rbegin(); it != fills.rend() && written < count; ++it, ++written) {
      if (written > 0) out.push_back(',');
      trade_json(out, *it);
    }
    fmt::format_to(std::back_inserter(out), R"(],"has_more":{}}})", fills.size() > count);
    return ok(out);
  }
  if (m == "/private/get_position") {
    const Position* held = engine_.position(account, market);
    const Decimal size = held ? held->size : Decimal{};
    const Decimal entry = held ? held->entry_price : Decimal{};
    const Decimal mark = engine_.mark_price(market).value_or(entry);
    const Decimal pnl = size.is_zero() ? Decimal{}
                                       : (mark - entry).checked_mul(size, Rounding::half_even).value_or(Decimal{});
    const std::string_view direction = size.is_positive() ? "buy" : size.is_negative() ? "sell" : "zero";
    const std::string out = fmt::format(
        R"({{"instrument_name":"{}","kind":"perpetual","direction":"{}","size":{},"average_price":{},"mark_price":{},)"
        R"("floating_profit_loss":{},"realized_profit_loss":{},"estimated_liquidation_price":null,"leverage":{}}})",
        in.venue_symbol, direction, number(size), number(entry), number(mark), number(pnl),
        number(held ? held->realised_pnl() : Decimal{}), number(engine_.leverage(account, market)));
    return ok(out);
  }
  return fail({404, -32601, "Method not found"});
}

}  // namespace cts::sim
