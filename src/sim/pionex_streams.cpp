// The Pionex WebSocket side of the simulator. Frame shapes, topics, the authentication of
// the private stream and the heartbeat rule from pionex-open-api websocketapi.yaml; the
// error frames are the simulator's own (see the header).
#include "cts/sim/pionex_streams.hpp"

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

// Mixed into the WebSocket fault dice so that they differ from the REST front's.
constexpr std::uint64_t kPionexDiceSalt = 0x5049'4F4EULL;
// How far the private stream's `timestamp` may lie from the server's clock.
constexpr std::int64_t kPionexAuthWindowMs = 20'000;
// DEPTH levels when the subscription names no limit ("Default: 5").
constexpr int kPionexDefaultDepth = 5;

}  // namespace

PionexStreams::PionexStreams(MatchingEngine& engine, const PionexFront& front, const FaultConfig& faults)
    : engine_(engine), front_(front), connections_(faults, kPionexDiceSalt) {
  engine_.record_events(true);
}

void PionexStreams::set_faults(const FaultConfig& faults) { connections_.set_faults(faults); }

void PionexStreams::add_credential(std::string api_key, std::string_view secret, AccountId account) {
  if (api_key.empty() || secret.empty()) {
    throw Exception(make_error(ErrorCode::invalid_argument, "pionex streams: empty API key or secret"));
  }
  credentials_.insert_or_assign(std::move(api_key), std::make_pair(account, sign::HmacSha256(secret)));
}

bool PionexStreams::open(std::uint64_t connection, std::string_view target, std::int64_t now_ms) {
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  Connection c;
  c.last_ping_ms = now_ms;
  if (path == "/ws") {
    detail::Params params;
    if (question == std::string_view::npos || !detail::parse_form(target.substr(question + 1), params)) return false;
    const auto key = detail::find_param(params, "key");
    const auto timestamp = detail::find_param(params, "timestamp");
    const auto signature = detail::find_param(params, "signature");
    const auto ts = timestamp ? detail::to_int(*timestamp) : std::nullopt;
    if (!key || !signature || !ts || *ts < now_ms - kPionexAuthWindowMs || *ts > now_ms + kPionexAuthWindowMs) return false;
    const auto credential = credentials_.find(std::string(*key));
    if (credential == credentials_.end()) return false;
    // The sorted key and timestamp ("key" < "timestamp"), then "websocket_auth".
    const auto digest =
        credential->second.second.digest({"/ws?key=", *key, "&timestamp=", *timestamp, "websocket_auth"});
    if (*signature != sign::hex_lower(digest)) return false;
    c.is_private = true;
    c.account = credential->second.first;
  } else if (path != "/wsPub") {
    return false;
  }
  connections_.open(connection, std::move(c));
  return true;
}

void PionexStreams::close(std::uint64_t connection) { connections_.close(connection); }

std::vector<std::uint64_t> PionexStreams::connections() const { return connections_.ids(); }

void PionexStreams::error(std::uint64_t id, std::string_view code, std::string_view message,
                          std::vector<WsOutput>& out) {
  ++connections_.stats().errors;
  std::string frame = R"({"result":false,"code":)";
  append_json_string(frame, code);
  frame += R"(,"message":)";
  append_json_string(frame, message);
  frame += '}';
  connections_.send(id, std::move(frame), out);
}

std::string PionexStreams::venue_symbol(const std::string& market) const {
  const Instrument* in = engine_.instrument(market);
  return in != nullptr ? in->venue_symbol : market;
}

std::string PionexStreams::depth_frame(const std::string& market, int limit, std::int64_t now_ms) const {
  const auto [bids, asks] = engine_.depth(market, static_cast<std::size_t>(limit));
  std::string frame = R"({"topic":"DEPTH","symbol":)";
  append_json_string(frame, venue_symbol(market));
  fmt::format_to(std::back_inserter(frame), R"(,"timestamp":{},"data":{{"bids":)", now_ms);
  detail::pionex_levels(frame, bids);
  frame += R"(,"asks":)";
  detail::pionex_levels(frame, asks);
  frame += "}}";
  return frame;
}

void PionexStreams::message(std::uint64_t id, std::string_view text, std::int64_t now_ms,
                            std::vector<WsOutput>& out) {
  Connection* c = connections_.live(id);
  if (c == nullptr) return;
  ++connections_.stats().requests;
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  simdjson::dom::object object;
  detail::Params params;
  const auto no_nesting = [](simdjson::dom::array) { return false; };
  if (parser.parse(text.data(), text.size()).get(document) != simdjson::SUCCESS ||
      document.get(object) != simdjson::SUCCESS || !detail::read_plain_members(object, params, {}, no_nesting)) {
    return error(id, "MARKET_PARAMETER_ERROR", "the frame is not a JSON object of plain values", out);
  }
  const std::string op(detail::find_param(params, "op").value_or(""));
  if (op == "PONG") {
    c->missed_pongs = 0;
    return;
  }
  if (op != "SUBSCRIBE" && op != "UNSUBSCRIBE") return error(id, "MARKET_PARAMETER_ERROR", "unknown op", out);
  const bool on = op == "SUBSCRIBE";
  const std::string topic(detail::find_param(params, "topic").value_or(""));
  if (topic == "BALANCE") {
    if (!c->is_private) return error(id, "MARKET_PARAMETER_ERROR", "BALANCE is a private topic", out);
    on ? (void)c->topics.insert("BALANCE") : (void)c->topics.erase("BALANCE");
    return;
  }
  const bool public_topic = topic == "DEPTH" || topic == "TRADE";
  if (!public_topic && topic != "ORDER" && topic != "FILL") {
    return error(id, "MARKET_PARAMETER_ERROR", "unknown topic", out);
  }
  if (public_topic == c->is_private) {
    return error(id, "MARKET_PARAMETER_ERROR",
                 c->is_private ? "public topics are on /wsPub" : "private topics are on /ws", out);
  }
  const std::string symbol(detail::find_param(params, "symbol").value_or(""));
  std::string market;
  for (const Instrument* in : engine_.instruments()) {
    if (in->kind == InstrumentKind::spot && in->venue_symbol == symbol) market = market_key(in->kind, symbol);
  }
  if (market.empty()) return error(id, "MARKET_INVALID_SYMBOL", "Invalid symbol", out);
  if (topic == "DEPTH") {
    if (!on) {
      c->depth.erase(market);
      return;
    }
    int limit = kPionexDefaultDepth;
    if (const auto text_limit = detail::find_param(params, "limit")) {
      const auto value = detail::to_int(*text_limit);
      if (!value || *value < 1 || *value > 100) return error(id, "MARKET_PARAMETER_ERROR", "limit must be in 1..100", out);
      limit = static_cast<int>(*value);
    }
    c->depth[market] = limit;
    return connections_.send(id, depth_frame(market, limit, now_ms), out);
  }
  const std::string key = topic + ":" + market;
  on ? (void)c->topics.insert(key) : (void)c->topics.erase(key);
}

void PionexStreams::emit_market(const std::string& market, std::int64_t now_ms, std::vector<WsOutput>& out) {
  const MarketChanges changes = engine_.take_market_changes(market);
  if (!changes.levels.empty()) {
    for (auto& [id, c] : connections_) {
      const auto found = c.depth.find(market);
      if (c.dropped || found == c.depth.end()) continue;
      connections_.send(id, depth_frame(market, found->second, now_ms), out);
    }
  }
  if (changes.trades.empty()) return;
  const std::string topic = "TRADE:" + market;
  std::string frame;
  for (auto& [id, c] : connections_) {
    if (c.dropped || !c.topics.contains(topic)) continue;
    if (frame.empty()) {
      const std::string symbol = venue_symbol(market);
      frame = R"({"topic":"TRADE","symbol":)";
      append_json_string(frame, symbol);
      fmt::format_to(std::back_inserter(frame), R"(,"timestamp":{},"data":[)", now_ms);
      for (auto t = changes.trades.rbegin(); t != changes.trades.rend(); ++t) {
        if (t != changes.trades.rbegin()) frame.push_back(',');
        frame += R"({"symbol":)";
        append_json_string(frame, symbol);
        fmt::format_to(std::back_inserter(frame),
                       R"(,"tradeId":"{}","price":"{}","size":"{}","side":"{}","timestamp":{}}})", t->id, t->price,
                       t->quantity, t->is_buyer_maker ? "SELL" : "BUY", t->time_ms);
      }
      frame += "]}";
    }
    connections_.send(id, frame, out);
  }
}

void PionexStreams::emit_private(std::int64_t now_ms, std::vector<WsOutput>& out) {
  for (const ExecutionEvent& event : engine_.take_events()) {
    const Order& o = event.order;
    const std::string symbol = venue_symbol(o.symbol);
    for (auto& [id, c] : connections_) {
      if (c.dropped || !c.is_private || c.account != o.account) continue;
      if (event.fill && c.topics.contains("FILL:" + o.symbol)) {
        std::string frame = R"({"topic":"FILL","symbol":)";
        append_json_string(frame, symbol);
        fmt::format_to(std::back_inserter(frame), R"(,"timestamp":{},"data":)", event.time_ms);
        detail::pionex_fill_json(frame, *event.fill, symbol, false);
        frame += '}';
        connections_.send(id, std::move(frame), out);
      }
      if (c.topics.contains("ORDER:" + o.symbol)) {
        std::string frame = R"({"topic":"ORDER","symbol":)";
        append_json_string(frame, symbol);
        fmt::format_to(std::back_inserter(frame), R"(,"timestamp":{},"data":)", event.time_ms);
        front_.order_json(frame, o);
        frame += '}';
        connections_.send(id, std::move(frame), out);
      }
      if (!event.balances.empty() && c.topics.contains("BALANCE")) {
        std::string frame = fmt::format(R"({{"topic":"BALANCE","timestamp":{},"data":{{"balances":[)", now_ms);
        for (std::size_t i = 0; i < event.balances.size(); ++i) {
          const AssetBalance& b = event.balances[i];
          frame += i == 0 ? R"({"coin":)" : R"(,{"coin":)";
          append_json_string(frame, b.asset);
          fmt::format_to(std::back_inserter(frame), R"(,"free":"{}","frozen":"{}"}})", b.balance.free,
                         b.balance.locked);
        }
        fmt::format_to(std::back_inserter(frame), R"(],"timestamp":{}}}}})", event.time_ms);
        connections_.send(id, std::move(frame), out);
      }
    }
  }
}

void PionexStreams::tick(std::int64_t now_ms, std::vector<WsOutput>& out) {
  for (auto& [id, c] : connections_) {
    if (c.dropped || now_ms - c.last_ping_ms < kPingIntervalMs) continue;
    if (c.missed_pongs >= kMaxMissedPongs) {
      c.dropped = true;
      out.push_back(WsOutput{id, {}, true});
      continue;
    }
    c.last_ping_ms = now_ms;
    ++c.missed_pongs;
    connections_.send(id, fmt::format(R"({{"op":"PING","timestamp":{}}})", now_ms), out);
  }
  connections_.erase_dropped();
  emit_private(now_ms, out);
  for (const std::string& market : engine_.markets()) emit_market(market, now_ms, out);
}

}  // namespace cts::sim
