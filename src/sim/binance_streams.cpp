// The simulator's Binance WebSocket side. Facts (URLs, frames, field names, codes and
// messages) from Binance's spot docs: web-socket-streams.md (raw and combined streams,
// live subscribing, error messages, trade / bookTicker / depthUpdate payloads, the local
// order book procedure), web-socket-api.md (request and response format, rateLimits,
// SIGNED request security, userDataStream.subscribe.signature / unsubscribe),
// user-data-stream.md (executionReport, outboundAccountPosition) and errors.md.
#include "cts/sim/binance_streams.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>

#include <fmt/format.h>
#include <simdjson.h>

#include "cts/core/json_string.hpp"
#include "cts/sign/encoding.hpp"

namespace cts::sim {
namespace {

namespace dom = simdjson::dom;

constexpr std::string_view kMarketMethods =
    "`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`";

bool alphanumeric(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

std::string_view side_name(Side side) { return side == Side::buy ? "BUY" : "SELL"; }

// Renders a request id as it is echoed back; nullopt when its type is not allowed.
// `strict_string`: market streams accept only alphanumeric strings of at most 36.
std::optional<std::string> render_id(const dom::element& value, bool strict_string) {
  switch (value.type()) {
    case dom::element_type::INT64: return fmt::format("{}", std::int64_t(value));
    case dom::element_type::UINT64: {
      const std::uint64_t v = value;
      if (v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
      return fmt::format("{}", v);
    }
    case dom::element_type::STRING: {
      const std::string_view s = value;
      if (strict_string && (s.size() > 36 || !alphanumeric(s))) return std::nullopt;
      if (s.size() > 36) return std::nullopt;
      return cts::json_string(s);
    }
    case dom::element_type::NULL_VALUE: return std::string("null");
    default: return std::nullopt;
  }
}

std::string levels_json(const std::vector<std::pair<Decimal, Decimal>>& levels) {
  std::string out = "[";
  for (std::size_t i = 0; i < levels.size(); ++i) {
    fmt::format_to(std::back_inserter(out), R"({}["{:.8}","{:.8}"])", i == 0 ? "" : ",", levels[i].first, levels[i].second);
  }
  out.push_back(']');
  return out;
}

std::string execution_report(const ExecutionEvent& ev, std::int64_t now_ms, std::int64_t execution_id) {
  const Order& o = ev.order;
  const bool working = is_open(o.status) && o.type != SimOrderType::market && o.time_in_force == TimeInForce::gtc;
  const bool canceled = ev.kind == ExecutionKind::canceled;
  // On a cancel, `c` is the cancel request's own id (Binance makes one up when none is
  // sent) and `C` the cancelled order's client id.
  const std::string client_id = canceled ? fmt::format("sim-cancel-{}", o.id) : o.client_order_id;
  const std::string original_id = canceled ? o.client_order_id : std::string();
  const Decimal last_quantity = ev.fill ? ev.fill->quantity : Decimal{};
  const Decimal last_price = ev.fill ? ev.fill->price : Decimal{};
  const Decimal last_quote = ev.fill ? ev.fill->quote_quantity : Decimal{};
  const std::string commission = ev.fill ? fmt::format(R"("{:.8}")", ev.fill->commission) : std::string(R"("0")");
  const std::string commission_asset = ev.fill ? cts::json_string(ev.fill->commission_asset) : std::string("null");
  std::string s;
  s.reserve(640);
  fmt::format_to(std::back_inserter(s),
                 R"({{"e":"executionReport","E":{},"s":{},"c":{},"S":"{}","o":"{}","f":"{}","q":"{:.8}","p":"{:.8}","P":"0.00000000","F":"0.00000000","g":-1,"C":{},"x":"{}","X":"{}","r":"NONE","i":{},"l":"{:.8}","z":"{:.8}","L":"{:.8}","n":{},"N":{},"T":{},"t":{},"I":{},"w":{},"m":{},"M":false,"O":{},"Z":"{:.8}","Y":"{:.8}","Q":"{:.8}")",
                 now_ms, cts::json_string(o.symbol), cts::json_string(client_id), side_name(o.side), to_binance(o.type),
                 to_binance(o.time_in_force), o.quantity, o.price, cts::json_string(original_id), to_binance(ev.kind),
                 to_binance(o.status), o.id, last_quantity, o.executed, last_price, commission, commission_asset,
                 ev.time_ms, ev.fill ? ev.fill->trade_id : -1, execution_id, working, ev.fill && ev.fill->is_maker,
                 o.time_ms, o.cumulative_quote, last_quote, o.quote_quantity);
  if (working) fmt::format_to(std::back_inserter(s), R"(,"W":{})", o.time_ms);
  s.append(R"(,"V":"EXPIRE_MAKER"})");
  return s;
}

std::string account_position(const ExecutionEvent& ev, std::int64_t now_ms) {
  std::string s = fmt::format(R"({{"e":"outboundAccountPosition","E":{},"u":{},"B":[)", now_ms, ev.time_ms);
  for (std::size_t i = 0; i < ev.balances.size(); ++i) {
    const AssetBalance& b = ev.balances[i];
    fmt::format_to(std::back_inserter(s), R"({}{{"a":{},"f":"{:.8}","l":"{:.8}"}})", i == 0 ? "" : ",",
                   cts::json_string(b.asset), b.balance.free, b.balance.locked);
  }
  s.append("]}");
  return s;
}

std::string wrap_user_event(std::int64_t subscription, const std::string& event) {
  std::string s = fmt::format(R"({{"subscriptionId":{},"event":)", subscription);
  s.append(event);
  s.push_back('}');
  return s;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  return out;
}

}  // namespace

struct BinanceStreams::Parser {
  dom::parser parser;
};

BinanceStreams::BinanceStreams(MatchingEngine& engine, BinanceFront& front, std::int64_t now_ms, StreamsConfig config)
    : engine_(engine), front_(front), config_(std::move(config)), parser_(std::make_unique<Parser>()), dice_(config_.faults.seed ^ 0x5753'5753ULL),
      replies_to_lose_(config_.faults.ws_lost_replies) {
  engine_.record_events(true);
  (void)engine_.take_events();  // not an error: clears what happened before the streams existed
  for (const Instrument* in : engine_.instruments()) {
    SymbolState& st = symbols_[in->venue_symbol];
    st.lower = lower(in->venue_symbol);
    st.fast_u = st.slow_u = engine_.last_update_id(in->venue_symbol);
    (void)engine_.take_market_changes(in->venue_symbol);  // likewise cleared, not an error
  }
  next_fast_ms_ = (now_ms / 100 + 1) * 100;
  next_slow_ms_ = (now_ms / 1000 + 1) * 1000;
}

BinanceStreams::~BinanceStreams() = default;

void BinanceStreams::set_faults(const FaultConfig& faults) {
  config_.faults = faults;
  dice_ = SplitMix64(faults.seed ^ 0x5753'5753ULL);
  sent_counter_ = 0;
  replies_to_lose_ = faults.ws_lost_replies;
}

std::vector<std::uint64_t> BinanceStreams::connections() const {
  std::vector<std::uint64_t> out;
  for (const auto& [id, c] : connections_) out.push_back(id);
  return out;
}

std::optional<BinanceStreams::Stream> BinanceStreams::parse_stream(std::string_view name) {
  const std::size_t at = name.find('@');
  if (at == 0 || at == std::string_view::npos) return std::nullopt;
  const std::string_view symbol = name.substr(0, at), rest = name.substr(at + 1);
  if (symbol.size() > 20 || !std::all_of(symbol.begin(), symbol.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); })) {
    return std::nullopt;
  }
  Stream s;
  s.symbol.assign(symbol);
  std::transform(s.symbol.begin(), s.symbol.end(), s.symbol.begin(), [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
  if (rest == "depth@100ms") {
    s.kind = StreamKind::depth_fast;
  } else if (rest == "depth" || rest == "depth@1000ms") {
    s.kind = StreamKind::depth_slow;
  } else if (rest == "trade") {
    s.kind = StreamKind::trade;
  } else if (rest == "bookTicker") {
    s.kind = StreamKind::book_ticker;
  } else {
    return std::nullopt;
  }
  return s;
}

bool BinanceStreams::open(std::uint64_t connection, std::string_view target, std::int64_t now_ms) {
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  std::string_view query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
  Connection c;
  std::vector<std::string> names;
  const auto split = [&](std::string_view list) {
    while (!list.empty()) {
      const std::size_t slash = list.find('/');
      if (slash != 0) names.emplace_back(list.substr(0, slash));
      list = slash == std::string_view::npos ? std::string_view{} : list.substr(slash + 1);
    }
  };
  if (path == "/ws-api/v3") {
    c.api = true;
    c.connected_since = now_ms;
    // "Connecting to WebSocket API costs 2 weight" (web-socket-api.md "IP limits").
    (void)front_.ws_charge(2, now_ms);  // not an error: a spent window refuses the requests, not the connection
  } else if (path == "/ws" || path.starts_with("/ws/")) {
    split(path.substr(3));
  } else if (path == "/stream" || path == "/stream/") {
    c.combined = true;
    while (!query.empty()) {
      const std::size_t amp = query.find('&');
      const std::string_view item = query.substr(0, amp);
      if (item.starts_with("streams=")) split(item.substr(8));
      query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
  } else {
    return false;
  }
  if (names.size() > config_.max_streams_per_connection) return false;
  for (std::string& name : names) {
    if (!parse_stream(name)) return false;
    if (std::find(c.streams.begin(), c.streams.end(), name) == c.streams.end()) c.streams.push_back(std::move(name));
  }
  connections_[connection] = std::move(c);
  ++stats_.connections_opened;
  return true;
}

void BinanceStreams::close(std::uint64_t connection) { connections_.erase(connection); }

void BinanceStreams::deliver(std::uint64_t connection, std::string text, std::vector<WsOutput>& out) {
  const auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  ++sent_counter_;
  const FaultConfig& f = config_.faults;
  const bool drop = (f.ws_drop_every != 0 && sent_counter_ % f.ws_drop_every == 0) || dice_.chance(f.ws_drop_ppm);
  if (drop) {
    connections_.erase(it);
    ++stats_.drops;
    out.push_back(WsOutput{connection, {}, true, false});
    return;
  }
  ++stats_.messages_sent;
  out.push_back(WsOutput{connection, std::move(text), false, false});
}

void BinanceStreams::message(std::uint64_t connection, std::string_view text, std::int64_t now_ms, std::vector<WsOutput>& out) {
  const auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  ++stats_.requests;
  if (it->second.api) {
    api_message(connection, text, now_ms, out);
  } else {
    market_message(connection, text, out);
  }
}

void BinanceStreams::market_message(std::uint64_t id, std::string_view text, std::vector<WsOutput>& out) {
  Connection& c = connections_.at(id);
  std::optional<std::string> request_id;
  const auto fail = [&](int code, std::string_view msg) {
    ++stats_.errors;
    std::string reply = fmt::format(R"({{"code":{},"msg":{})", code, cts::json_string(msg));
    if (request_id) fmt::format_to(std::back_inserter(reply), R"(,"id":{})", *request_id);
    reply.push_back('}');
    deliver(id, std::move(reply), out);
  };
  const auto ok = [&](std::string_view result) { deliver(id, fmt::format(R"({{"result":{},"id":{}}})", result, *request_id), out); };

  dom::element document;
  if (const auto error = parser_->parser.parse(text.data(), text.size()).get(document)) {
    return fail(3, fmt::format("Invalid JSON: {}", simdjson::error_message(error)));
  }
  dom::object request;
  if (document.get_object().get(request)) return fail(2, "Invalid request: expected a JSON object");
  dom::element id_value;
  if (request["id"].get(id_value) || !(request_id = render_id(id_value, true))) {
    request_id.reset();
    return fail(2, "Invalid request: request ID must be an unsigned integer");
  }
  dom::element method_value;
  if (request["method"].get(method_value)) return fail(2, "Invalid request: missing field `method`");
  std::string_view method;
  if (method_value.get_string().get(method)) return fail(2, fmt::format("Invalid request: unknown variant, expected one of {}", kMarketMethods));
  dom::array params;
  const bool has_params = !request["params"].error();
  if (has_params && request["params"].get_array().get(params)) return fail(2, "Invalid request: params must be an array");

  if (method == "SUBSCRIBE" || method == "UNSUBSCRIBE") {
    if (!has_params) return fail(2, "Invalid request: missing field `params`");
    std::vector<std::string> names;
    for (dom::element p : params) {
      std::string_view name;
      if (p.get_string().get(name)) return fail(2, "Invalid request: stream names must be strings");
      if (!parse_stream(name)) return fail(2, fmt::format("Invalid request: unsupported stream name \"{}\"", name.substr(0, 64)));
      names.emplace_back(name);
    }
    if (method == "SUBSCRIBE") {
      std::vector<std::string> merged = c.streams;
      for (std::string& n : names) {
        if (std::find(merged.begin(), merged.end(), n) == merged.end()) merged.push_back(std::move(n));
      }
      if (merged.size() > config_.max_streams_per_connection) {
        return fail(2, fmt::format("Invalid request: a connection can listen to at most {} streams", config_.max_streams_per_connection));
      }
      c.streams = std::move(merged);
    } else {
      std::erase_if(c.streams, [&](const std::string& s) { return std::find(names.begin(), names.end(), s) != names.end(); });
    }
    return ok("null");
  }
  if (method == "LIST_SUBSCRIPTIONS") {
    if (has_params && params.size() != 0) return fail(2, "Invalid request: too many parameters");
    std::string list = "[";
    for (std::size_t i = 0; i < c.streams.size(); ++i) {
      if (i > 0) list.push_back(',');
      cts::append_json_string(list, c.streams[i]);
    }
    list.push_back(']');
    return ok(list);
  }
  if (method == "SET_PROPERTY" || method == "GET_PROPERTY") {
    const bool set = method == "SET_PROPERTY";
    if (!has_params || params.size() == 0) return fail(2, "Invalid request: property name must be a string");
    if (params.size() > (set ? 2U : 1U)) return fail(2, "Invalid request: too many parameters");
    std::string_view property;
    if (params.at(0).get_string().get(property)) return fail(2, "Invalid request: property name must be a string");
    if (property != "combined") return fail(0, "Unknown property");
    if (!set) return ok(c.combined ? "true" : "false");
    bool value = false;
    if (params.size() < 2 || params.at(1).get_bool().get(value)) return fail(1, "Invalid value type: expected Boolean");
    c.combined = value;
    return ok("null");
  }
  return fail(2, fmt::format("Invalid request: unknown variant `{}`, expected one of {}", method.substr(0, 64), kMarketMethods));
}

// The result of session.logon, session.status and session.logout (web-socket-api.md
// "Authentication requests"). Every reply carries rateLimits here: returnRateLimits.
std::string BinanceStreams::session_json(const Connection& c, std::int64_t now_ms) const {
  std::string out = R"({"apiKey":)";
  if (c.session) {
    cts::append_json_string(out, c.session_key);
    fmt::format_to(std::back_inserter(out), R"(,"authorizedSince":{})", c.authorized_since);
  } else {
    out.append(R"(null,"authorizedSince":null)");
  }
  fmt::format_to(std::back_inserter(out), R"(,"connectedSince":{},"returnRateLimits":true,"serverTime":{},"userDataStream":{}}})",
                 c.connected_since, now_ms, !c.subscriptions.empty());
  return out;
}

void BinanceStreams::api_message(std::uint64_t id, std::string_view text, std::int64_t now_ms, std::vector<WsOutput>& out) {
  Connection& c = connections_.at(id);
  std::string request_id = "null";
  const auto reply = [&](const WsApiAnswer& answer) {
    if (answer.status != 200) ++stats_.errors;
    deliver(id,
            fmt::format(R"({{"id":{},"status":{},"{}":{},"rateLimits":{}}})", request_id, answer.status,
                        answer.status == 200 ? "result" : "error", answer.body, answer.rate_limits),
            out);
  };
  const auto refuse = [&](const Error& e) { reply(front_.ws_refusal(e, now_ms)); };
  const auto fail = [&](std::string_view code, std::string_view msg) {
    refuse(make_error(ErrorCode::invalid_argument, std::string(msg), std::string(code)));
  };
  const auto ok = [&](std::string_view result) {
    reply(WsApiAnswer{200, std::string(result), front_.ws_rate_limits(std::nullopt, now_ms)});
  };
  const auto mandatory = [&](std::string_view name) {
    fail("-1102", fmt::format("Mandatory parameter '{}' was not sent, was empty/null, or malformed.", name));
  };

  dom::element document;
  dom::object request;
  if (parser_->parser.parse(text.data(), text.size()).get(document) || document.get_object().get(request)) {
    return fail("-1135", "Invalid JSON Request");
  }
  if (dom::element id_value; !request["id"].get(id_value)) {
    auto rendered = render_id(id_value, false);
    if (!rendered) return mandatory("id");
    request_id = std::move(*rendered);
  }
  std::string_view method;
  if (request["method"].get_string().get(method) || method.empty()) return mandatory("method");
  if (method.starts_with("v3/")) method.remove_prefix(3);  // "Request method names may be prefixed with explicit version"
  WsApiParams params;
  if (dom::element p; !request["params"].get(p)) {
    dom::object object;
    if (p.get_object().get(object)) return fail("-1135", "Invalid 'params' in JSON request; expected an object.");
    for (auto [key, value] : object) {
      std::string rendered;
      switch (value.type()) {
        case dom::element_type::STRING: rendered.assign(std::string_view(value)); break;
        case dom::element_type::INT64: rendered = fmt::format("{}", std::int64_t(value)); break;
        case dom::element_type::UINT64: rendered = fmt::format("{}", std::uint64_t(value)); break;
        case dom::element_type::BOOL: rendered = bool(value) ? "true" : "false"; break;
        default: return mandatory(key);
      }
      params.emplace_back(std::string(key), std::move(rendered));
    }
  }

  // Trading and account methods: the REST front's execution, checks and limits.
  if (auto answer = front_.ws_call(method, params, c.session, now_ms)) {
    const bool order_request = method == "order.place" || method == "order.cancel" || method == "order.cancelReplace";
    if (order_request && replies_to_lose_ > 0) {  // the ws_lost_replies fault: executed, never answered
      --replies_to_lose_;
      ++stats_.lost_replies;
      return;
    }
    return reply(*answer);
  }

  // The API's own methods, charged to the same request-weight window.
  constexpr std::string_view kOwn[] = {"ping", "time", "session.logon", "session.status", "session.logout",
                                       "userDataStream.subscribe", "userDataStream.subscribe.signature",
                                       "userDataStream.unsubscribe"};
  if (std::find(std::begin(kOwn), std::end(kOwn), method) == std::end(kOwn)) {
    return fail("-1020", "This operation is not supported.");
  }
  if (auto refused = front_.ws_charge(method == "ping" || method == "time" ? 1 : 2, now_ms)) return reply(*refused);
  const auto param = [&](std::string_view name) -> std::optional<std::string_view> {
    for (const auto& [k, v] : params) {
      if (k == name) return std::string_view(v);
    }
    return std::nullopt;
  };

  if (method == "ping") return ok("{}");
  if (method == "time") return ok(fmt::format(R"({{"serverTime":{}}})", now_ms));
  if (method == "session.status") return ok(session_json(c, now_ms));
  if (method == "session.logout") {
    c.session.reset();
    c.session_key.clear();
    return ok(session_json(c, now_ms));
  }
  if (method == "session.logon") {
    auto key = front_.ws_authenticate(params, now_ms);
    if (!key) return refuse(key.error());
    // Only Ed25519 keys log a session on (web-socket-api.md "Session Authentication");
    // Binance documents no code for another key: the simulator answers -1002.
    if (!key->ed25519) return fail("-1002", "You are not authorized to execute this request.");
    c.session = key->account;
    c.session_key.assign(*param("apiKey"));
    c.authorized_since = now_ms;
    return ok(session_json(c, now_ms));
  }
  if (method == "userDataStream.unsubscribe") {
    if (const auto wanted_text = param("subscriptionId")) {
      std::int64_t wanted = 0;
      const auto [end, ec] = std::from_chars(wanted_text->data(), wanted_text->data() + wanted_text->size(), wanted);
      if (ec != std::errc{} || end != wanted_text->data() + wanted_text->size()) return mandatory("subscriptionId");
      const auto found = std::find_if(c.subscriptions.begin(), c.subscriptions.end(), [&](const auto& s) { return s.first == wanted; });
      if (found == c.subscriptions.end()) return fail("-1130", "Data sent for parameter 'subscriptionId' is not valid.");
      c.subscriptions.erase(found);
    } else {
      c.subscriptions.clear();
    }
    return ok("{}");
  }
  AccountId account = 0;
  if (method == "userDataStream.subscribe") {
    // Needs a session logged on with an Ed25519 key (no code documented: -1002 here too).
    if (!c.session) return fail("-1002", "You are not authorized to execute this request.");
    account = *c.session;
  } else {  // userDataStream.subscribe.signature
    auto key = front_.ws_authenticate(params, now_ms);
    if (!key) return refuse(key.error());
    account = key->account;
  }
  const std::int64_t subscription = c.next_subscription++;
  c.subscriptions.emplace_back(subscription, account);
  return ok(fmt::format(R"({{"subscriptionId":{}}})", subscription));
}

void BinanceStreams::publish(const std::string& stream, const std::string& payload, std::vector<WsOutput>& out) {
  std::vector<std::pair<std::uint64_t, bool>> targets;
  for (const auto& [id, c] : connections_) {
    if (!c.api && std::find(c.streams.begin(), c.streams.end(), stream) != c.streams.end()) targets.emplace_back(id, c.combined);
  }
  for (const auto& [id, combined] : targets) {
    if (!combined) {
      deliver(id, payload, out);
      continue;
    }
    std::string wrapped = R"({"stream":)";
    cts::append_json_string(wrapped, stream);
    wrapped.append(R"(,"data":)").append(payload).push_back('}');
    deliver(id, std::move(wrapped), out);
  }
}

void BinanceStreams::emit_user_events(std::int64_t now_ms, std::vector<WsOutput>& out) {
  std::vector<ExecutionEvent> events = engine_.take_events();
  for (const ExecutionEvent& ev : events) {
    std::vector<std::pair<std::uint64_t, std::int64_t>> targets;
    for (const auto& [id, c] : connections_) {
      for (const auto& [subscription, account] : c.subscriptions) {
        if (account == ev.order.account) targets.emplace_back(id, subscription);
      }
    }
    if (targets.empty()) continue;
    const std::string report = execution_report(ev, now_ms, execution_ids_++);
    const std::string position = ev.balances.empty() ? std::string() : account_position(ev, now_ms);
    for (const auto& [id, subscription] : targets) {
      deliver(id, wrap_user_event(subscription, report), out);
      if (!position.empty()) deliver(id, wrap_user_event(subscription, position), out);
    }
  }
}

void BinanceStreams::emit_depth(bool fast, std::int64_t now_ms, std::vector<WsOutput>& out) {
  for (auto& [symbol, st] : symbols_) {
    std::int64_t& published = fast ? st.fast_u : st.slow_u;
    auto& levels = fast ? st.fast_levels : st.slow_levels;
    const std::int64_t u = engine_.last_update_id(symbol);
    if (u == published) continue;
    std::vector<std::pair<Decimal, Decimal>> bids, asks;
    for (const auto& [side, price] : levels) {
      (side == Side::buy ? bids : asks).emplace_back(price, engine_.level_quantity(symbol, side, price));
    }
    std::reverse(bids.begin(), bids.end());  // best (highest) bid first
    const std::string payload =
        fmt::format(R"({{"e":"depthUpdate","E":{},"s":{},"U":{},"u":{},"b":{},"a":{}}})", now_ms,
                    cts::json_string(symbol), published + 1, u, levels_json(bids), levels_json(asks));
    published = u;
    levels.clear();
    publish(st.lower + (fast ? "@depth@100ms" : "@depth"), payload, out);
  }
}

void BinanceStreams::tick(std::int64_t now_ms, std::vector<WsOutput>& out) {
  emit_user_events(now_ms, out);
  for (auto& [symbol, st] : symbols_) {
    MarketChanges changes = engine_.take_market_changes(symbol);
    for (const LevelChange& level : changes.levels) {
      st.fast_levels.emplace(level.side, level.price);
      st.slow_levels.emplace(level.side, level.price);
    }
    for (const Trade& t : changes.trades) {
      publish(st.lower + "@trade",
              fmt::format(R"({{"e":"trade","E":{},"s":{},"t":{},"p":"{:.8}","q":"{:.8}","T":{},"m":{},"M":true}})",
                          now_ms, cts::json_string(symbol), t.id, t.price, t.quantity, t.time_ms, t.is_buyer_maker),
              out);
    }
    const auto [bid, ask] = engine_.top(symbol);
    const Level none{};
    const Level& b = bid ? *bid : none;
    const Level& a = ask ? *ask : none;
    std::string ticker = fmt::format(R"("b":"{:.8}","B":"{:.8}","a":"{:.8}","A":"{:.8}")", b.price, b.quantity, a.price, a.quantity);
    if (ticker != st.last_ticker) {
      st.last_ticker = ticker;
      publish(st.lower + "@bookTicker",
              fmt::format(R"({{"u":{},"s":{},{}}})", engine_.last_update_id(symbol), cts::json_string(symbol), ticker),
              out);
    }
  }
  if (now_ms >= next_fast_ms_) {
    emit_depth(true, now_ms, out);
    next_fast_ms_ = (now_ms / 100 + 1) * 100;
  }
  if (now_ms >= next_slow_ms_) {
    emit_depth(false, now_ms, out);
    next_slow_ms_ = (now_ms / 1000 + 1) * 1000;
  }
}

}  // namespace cts::sim
