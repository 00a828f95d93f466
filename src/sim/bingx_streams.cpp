// The BingX WebSocket side, swap on /swap-market and spot on /market: GZIP binary frames,
// Ping every 5 s (a connection that does not answer Pong is closed), partial depth
// subscriptions pushed whole every 200 ms (swap) or 300 ms (spot), trades on each fill and
// the book ticker on each change of the top, account events by listen key (BingX docs v3,
// "WebSocket Rules", "Partial Order Book Depth", "Subscribe to Tick-by-Tick Trades",
// "Subscribe to the Book Ticker Streams", the spot WebSocket pages).
#include "cts/sim/bingx_streams.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>
#include <zlib.h>

#include "cts/core/json_string.hpp"

namespace cts::sim {

namespace {

constexpr std::int64_t kBingxPingEveryMs = 5000;
// "The push interval for BTC-USDT and ETH-USDT is 200ms" (the simulator lists those two).
constexpr std::int64_t kBingxDepthEveryMs = 200;
// "Push limited file depth information every 300ms" (spot).
constexpr std::int64_t kBingxSpotDepthEveryMs = 300;
constexpr std::array kBingxStreamLevels{5, 10, 20, 50, 100};

// The reply to a subscription request `id` with `code` (0: accepted).
std::string subscription_reply(std::string_view id, long code, std::string_view message) {
  std::string reply = R"({"id":)";
  append_json_string(reply, id);
  fmt::format_to(std::back_inserter(reply), R"(,"code":{},"msg":)", code);
  append_json_string(reply, message);
  reply += R"(,"dataType":"","data":null})";
  return reply;
}

// The status an order push writes ("CANCELED", as the push's docs list it).
std::string_view push_status_text(OrderStatus status) {
  switch (status) {
    case OrderStatus::new_: return "NEW";
    case OrderStatus::partially_filled: return "PARTIALLY_FILLED";
    case OrderStatus::filled: return "FILLED";
    case OrderStatus::canceled:
    case OrderStatus::expired_in_match: return "CANCELED";
    case OrderStatus::rejected:
    case OrderStatus::expired: return "EXPIRED";
  }
  return "NEW";
}

}  // namespace

std::string gzip_text(std::string_view text) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Exception(make_error(ErrorCode::internal, "zlib deflateInit2 failed"));
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(text.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw Exception(make_error(ErrorCode::internal, "zlib deflate failed"));
  return out;
}

BingxStreams::BingxStreams(MatchingEngine& engine, const BingxFront& front, const FaultConfig& faults)
    : engine_(engine), front_(front), connections_(faults, 0xB1E6) {
  engine_.record_events(true);
}

bool BingxStreams::open(std::uint64_t connection, std::string_view target, std::int64_t now_ms) {
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  if (path != "/swap-market" && path != "/market") return false;
  Connection c;
  c.spot = path == "/market";
  c.next_depth_ms = now_ms + (c.spot ? kBingxSpotDepthEveryMs : kBingxDepthEveryMs);
  c.next_ping_ms = now_ms + kBingxPingEveryMs;
  if (question != std::string_view::npos) {
    const std::string_view query = target.substr(question + 1);
    if (!query.starts_with("listenKey=")) return false;
    c.listen_key = std::string(query.substr(10));
    c.account = front_.listen_key_account(c.listen_key, now_ms);
    if (!c.account) return false;
  }
  connections_.open(connection, std::move(c));
  return true;
}

void BingxStreams::send(std::uint64_t id, std::string_view text, std::vector<WsOutput>& out) {
  connections_.send(id, gzip_text(text), out, /*binary=*/true);
}

void BingxStreams::message(std::uint64_t connection, std::string_view text, std::int64_t now_ms,
                           std::vector<WsOutput>& out) {
  Connection* c = connections_.live(connection);
  if (c == nullptr) return;
  ++connections_.stats().requests;
  if (text == "Pong") {
    c->ping_unanswered = false;
    return;
  }
  if (text == "Ping") return;
  simdjson::dom::parser parser;
  simdjson::dom::object request;
  std::string_view id;
  std::string_view type;
  std::string_view data_type;
  if (parser.parse(text).get(request) || request["id"].get(id) || request["reqType"].get(type) ||
      request["dataType"].get(data_type) || (type != "sub" && type != "unsub")) {
    ++connections_.stats().errors;
    send(connection, subscription_reply(id, 100400, "Invalid parameters"), out);
    return;
  }
  const std::string wanted(data_type);
  if (c->spot) return spot_subscription(connection, *c, id, type, wanted, now_ms, out);
  const bool feed = feed_market(wanted, false).has_value();
  if (!feed && depth_frame(wanted, now_ms).empty()) {
    ++connections_.stats().errors;
    send(connection, subscription_reply(id, 80015, "dataType not supported"), out);
    return;
  }
  std::set<std::string>& subscribed = feed ? c->feeds : c->depths;
  if (type == "sub") {
    subscribed.insert(wanted);
  } else {
    subscribed.erase(wanted);
  }
  send(connection, subscription_reply(id, 0, ""), out);
  first_ticker(connection, type, wanted, false, now_ms, out);
}

void BingxStreams::first_ticker(std::uint64_t connection, std::string_view type, const std::string& data_type,
                                bool spot, std::int64_t now_ms, std::vector<WsOutput>& out) {
  if (type != "sub" || !data_type.ends_with("@bookTicker")) return;
  const std::optional<std::string> market = feed_market(data_type, spot);
  if (market) send(connection, ticker_push(*engine_.instrument(*market), now_ms), out);
}

std::optional<std::string> BingxStreams::feed_market(std::string_view data_type, bool spot) const {
  const std::size_t at = data_type.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view name = data_type.substr(at + 1);
  if (name != "trade" && name != "bookTicker") return std::nullopt;
  std::string market =
      market_key(spot ? InstrumentKind::spot : InstrumentKind::linear_perpetual, data_type.substr(0, at));
  if (engine_.instrument(market) == nullptr) return std::nullopt;
  return market;
}

void BingxStreams::emit_market(std::int64_t now_ms, std::vector<WsOutput>& out) {
  for (const std::string& market : engine_.markets()) {
    const Instrument& in = *engine_.instrument(market);
    const MarketChanges changes = engine_.take_market_changes(market);
    if (in.kind != InstrumentKind::spot && in.kind != InstrumentKind::linear_perpetual) continue;
    const bool spot = in.kind == InstrumentKind::spot;
    const std::string trades_type = in.venue_symbol + "@trade";
    const std::string ticker_type = in.venue_symbol + "@bookTicker";
    const auto [bid, ask] = engine_.top(market);
    const Top top{bid.value_or(Level{}), ask.value_or(Level{})};
    std::optional<Top>& pushed_top = tops_[market];
    const bool top_changed = pushed_top != top;
    if (top_changed) pushed_top = top;
    if (changes.trades.empty() && !top_changed) continue;
    std::vector<std::string> trade_frames;
    std::string ticker_frame;
    for (auto& [id, c] : connections_) {
      if (c.dropped || c.spot != spot) continue;
      if (!changes.trades.empty() && c.feeds.contains(trades_type)) {
        if (trade_frames.empty()) trade_frames = trade_pushes(in, changes.trades, now_ms);
        for (const std::string& frame : trade_frames) send(id, frame, out);
      }
      if (top_changed && c.feeds.contains(ticker_type)) {
        if (ticker_frame.empty()) ticker_frame = ticker_push(in, now_ms);
        send(id, ticker_frame, out);
      }
    }
  }
}

std::string BingxStreams::ticker_push(const Instrument& in, std::int64_t now_ms) const {
  const std::string market = market_key(in.kind, in.venue_symbol);
  const auto [bid, ask] = engine_.top(market);
  const Level none{};
  const Level& b = bid ? *bid : none;
  const Level& a = ask ? *ask : none;
  const std::string data_type = json_string(in.venue_symbol + "@bookTicker");
  if (in.kind == InstrumentKind::spot) {
    return fmt::format(
        R"({{"code":0,"data":{{"A":"{}","B":"{}","E":{},"a":"{}","b":"{}","e":"bookTicker","s":{}}},"dataType":{},"success":true}})",
        a.quantity, b.quantity, now_ms, a.price, b.price, json_string(in.venue_symbol), data_type);
  }
  return fmt::format(
      R"({{"code":0,"dataType":{},"data":{{"e":"bookTicker","u":{},"E":{},"T":{},"s":{},"b":"{}","B":"{}","a":"{}","A":"{}"}}}})",
      data_type, engine_.last_update_id(market), now_ms, now_ms, json_string(in.venue_symbol), b.price, b.quantity,
      a.price, a.quantity);
}

std::vector<std::string> BingxStreams::trade_pushes(const Instrument& in, const std::vector<Trade>& trades,
                                                    std::int64_t now_ms) const {
  const std::string data_type = json_string(in.venue_symbol + "@trade");
  const std::string symbol = json_string(in.venue_symbol);
  std::vector<std::string> frames;
  if (in.kind == InstrumentKind::spot) {
    for (const Trade& t : trades) {
      frames.push_back(fmt::format(
          R"({{"code":0,"data":{{"E":{},"T":{},"e":"trade","m":{},"p":"{}","q":"{}","s":{},"t":"{}"}},"dataType":{},"success":true,"timestamp":{}}})",
          now_ms, t.time_ms, t.is_buyer_maker, t.price, t.quantity, symbol, t.id, data_type, now_ms));
    }
    return frames;
  }
  std::string frame = fmt::format(R"({{"code":0,"dataType":{},"data":[)", data_type);
  for (std::size_t i = 0; i < trades.size(); ++i) {
    const Trade& t = trades[i];
    fmt::format_to(std::back_inserter(frame), R"({}{{"q":"{}","p":"{}","T":{},"m":{},"s":{}}})", i == 0 ? "" : ",",
                   t.quantity, t.price, t.time_ms, t.is_buyer_maker, symbol);
  }
  frame += "]}";
  frames.push_back(std::move(frame));
  return frames;
}

std::string BingxStreams::depth_frame(const std::string& data_type, std::int64_t now_ms, bool spot) const {
  // Swap: "<symbol>@depth<levels>@<interval>"; spot: "<symbol>@depth<levels>".
  const std::size_t at = data_type.find("@depth");
  if (at == std::string::npos) return {};
  const std::size_t second = spot ? data_type.size() : data_type.find('@', at + 6);
  if (second == std::string::npos || (!spot && second + 1 >= data_type.size())) return {};
  int levels = 0;
  const char* first = data_type.data() + at + 6;
  const auto [end, ec] = std::from_chars(first, data_type.data() + second, levels);
  if (ec != std::errc{} || end != data_type.data() + second ||
      std::find(kBingxStreamLevels.begin(), kBingxStreamLevels.end(), levels) == kBingxStreamLevels.end()) {
    return {};
  }
  const std::string market =
      market_key(spot ? InstrumentKind::spot : InstrumentKind::linear_perpetual, data_type.substr(0, at));
  if (engine_.instrument(market) == nullptr) return {};
  auto [bids, asks] = engine_.depth(market, static_cast<std::size_t>(levels));
  std::reverse(asks.begin(), asks.end());  // as the docs print them: highest first
  const auto side = [](std::string& out, const std::vector<Level>& levels_of_side) {
    out.push_back('[');
    for (std::size_t i = 0; i < levels_of_side.size(); ++i) {
      fmt::format_to(std::back_inserter(out), R"({}["{}","{}"])", i == 0 ? "" : ",", levels_of_side[i].price,
                     levels_of_side[i].quantity);
    }
    out.push_back(']');
  };
  if (spot) {
    std::string frame = R"({"code":0,"dataType":)";
    append_json_string(frame, data_type);
    frame += R"(,"data":{"asks":)";
    side(frame, asks);
    frame += R"(,"bids":)";
    side(frame, bids);
    fmt::format_to(std::back_inserter(frame), R"(,"lastUpdateId":{}}},"success":true,"timestamp":{}}})", now_ms,
                   now_ms);
    return frame;
  }
  std::string frame = R"({"code":0,"dataType":)";
  append_json_string(frame, data_type);
  fmt::format_to(std::back_inserter(frame), R"(,"ts":{},"data":{{"bids":)", now_ms);
  side(frame, bids);
  frame += R"(,"asks":)";
  side(frame, asks);
  frame += "}}";
  return frame;
}

void BingxStreams::tick(std::int64_t now_ms, std::vector<WsOutput>& out) {
  connections_.erase_dropped();
  emit_account(now_ms, out);
  emit_market(now_ms, out);
  for (auto& [id, c] : connections_) {
    if (c.dropped) continue;
    if (now_ms >= c.next_ping_ms) {
      if (c.ping_unanswered) {
        c.dropped = true;
        ++connections_.stats().unanswered_pings;
        out.push_back(WsOutput{id, {}, true, false});
        continue;
      }
      c.next_ping_ms = now_ms + kBingxPingEveryMs;
      c.ping_unanswered = true;
      send(id, "Ping", out);
    }
    if (now_ms < c.next_depth_ms) continue;
    c.next_depth_ms = now_ms + (c.spot ? kBingxSpotDepthEveryMs : kBingxDepthEveryMs);
    for (const std::string& data_type : c.depths) {
      if (c.dropped) break;
      send(id, depth_frame(data_type, now_ms, c.spot), out);
    }
  }
}

void BingxStreams::emit_account(std::int64_t now_ms, std::vector<WsOutput>& out) {
  for (auto& [id, c] : connections_) {
    if (c.dropped || !c.account || front_.listen_key_account(c.listen_key, now_ms) == c.account) continue;
    c.account.reset();
    std::string expired = fmt::format(R"({{"e":"listenKeyExpired","E":{},"listenKey":)", now_ms);
    append_json_string(expired, c.listen_key);
    expired.push_back('}');
    send(id, expired, out);
  }
  for (const ExecutionEvent& event : engine_.take_events()) {
    const Order& o = event.order;
    const Instrument* in = engine_.instrument(o.symbol);
    if (in == nullptr) continue;
    if (in->kind == InstrumentKind::spot) {
      std::string order;
      std::string account;
      for (auto& [id, c] : connections_) {
        if (c.dropped || !c.spot || c.account != o.account) continue;
        if (c.topics.contains("spot.executionReport")) {
          if (order.empty()) order = spot_order_frame(event);
          send(id, order, out);
        }
        if (c.topics.contains("ACCOUNT_UPDATE") && (!event.balances.empty() || event.fill)) {
          if (account.empty()) account = spot_account_frame(o, event.time_ms);
          send(id, account, out);
        }
      }
      continue;
    }
    if (in->kind != InstrumentKind::linear_perpetual) continue;
    std::string order;
    std::string account;
    for (auto& [id, c] : connections_) {
      if (c.dropped || c.spot || c.account != o.account) continue;
      if (order.empty()) order = order_frame(event);
      send(id, order, out);
      if (event.balances.empty() && !event.fill) continue;
      if (account.empty()) account = account_frame(o, event.time_ms);
      send(id, account, out);
    }
  }
}

std::string BingxStreams::order_frame(const ExecutionEvent& event) const {
  const Order& o = event.order;
  const Instrument& in = *engine_.instrument(o.symbol);
  const Decimal average =
      o.executed.is_positive() ? o.cumulative_quote.div(o.executed, Rounding::half_even) : Decimal{};
  const Decimal fee = event.fill ? -event.fill->commission : Decimal{};
  const Decimal profit = event.fill ? event.fill->realised_pnl : Decimal{};
  std::string frame =
      fmt::format(R"({{"e":"ORDER_TRADE_UPDATE","E":{},"o":{{"s":"{}","c":)", event.time_ms, in.venue_symbol);
  append_json_string(frame, front_.client_order_id(o));
  fmt::format_to(
      std::back_inserter(frame),
      R"(,"i":{},"S":"{}","o":"{}","q":"{}","p":"{}","ap":"{}","x":"{}","X":"{}","N":"{}","n":"{}","T":{},"wt":"MARK_PRICE","ps":"BOTH","rp":"{}","z":"{}"}}}})",
      o.id, o.side == Side::buy ? "BUY" : "SELL", o.type == SimOrderType::market ? "MARKET" : "LIMIT", o.quantity,
      o.type == SimOrderType::market ? Decimal{} : o.price, average, to_binance(event.kind), push_status_text(o.status),
      in.settle, fee, event.time_ms, profit, o.executed);
  return frame;
}

std::string BingxStreams::account_frame(const Order& o, std::int64_t time_ms) const {
  const Instrument& in = *engine_.instrument(o.symbol);
  const Balance cash = engine_.balance(o.account, in.settle);
  const Decimal wallet = cash.free + cash.locked;
  std::string frame = fmt::format(
      R"({{"e":"ACCOUNT_UPDATE","E":{},"T":{},"a":{{"m":"ORDER","B":[{{"a":"{}","wb":"{}","cw":"{}","bc":"0"}}],"P":[)",
      time_ms, time_ms, in.settle, wallet, wallet);
  for (const auto& [market, held] : engine_.positions(o.account)) {
    if (market != o.symbol) continue;
    const auto mark = engine_.mark_price(market);
    const Decimal unrealised = mark && !held.size.is_zero() ? held.unrealised_pnl(*mark) : Decimal{};
    fmt::format_to(std::back_inserter(frame),
                   R"({{"s":"{}","pa":"{}","ep":"{}","up":"{}","mt":"cross","iw":"0","ps":"BOTH"}})", in.venue_symbol,
                   held.size, held.entry_price, unrealised);
  }
  frame += "]}}";
  return frame;
}

void BingxStreams::spot_subscription(std::uint64_t connection, Connection& c, std::string_view id,
                                     std::string_view type, const std::string& data_type, std::int64_t now_ms,
                                     std::vector<WsOutput>& out) {
  const bool account_topic = data_type == "spot.executionReport" || data_type == "ACCOUNT_UPDATE";
  const bool feed = !account_topic && feed_market(data_type, true).has_value();
  std::string reply = R"({"id":)";
  append_json_string(reply, id);
  if ((account_topic && !c.account) || (!account_topic && !feed && depth_frame(data_type, now_ms, true).empty())) {
    ++connections_.stats().errors;
    fmt::format_to(std::back_inserter(reply), R"(,"code":100400,"msg":"dataType not supported","timestamp":{}}})",
                   now_ms);
    send(connection, reply, out);
    return;
  }
  std::set<std::string>& subscribed = account_topic ? c.topics : feed ? c.feeds : c.depths;
  if (type == "sub") {
    subscribed.insert(data_type);
  } else {
    subscribed.erase(data_type);
  }
  fmt::format_to(std::back_inserter(reply), R"(,"code":0,"msg":"SUCCESS","timestamp":{}}})", now_ms);
  send(connection, reply, out);
  first_ticker(connection, type, data_type, true, now_ms, out);
}

std::string BingxStreams::spot_order_frame(const ExecutionEvent& event) const {
  const Order& o = event.order;
  const Instrument& in = *engine_.instrument(o.symbol);
  const Fill* fill = event.fill ? &*event.fill : nullptr;
  std::string frame = fmt::format(
      R"({{"code":0,"dataType":"spot.executionReport","data":{{"e":"executionReport","E":{},"s":"{}","S":"{}","o":"{}","q":"{}","p":"{}","x":"{}","X":"{}","i":{},"c":)",
      event.time_ms, in.venue_symbol, o.side == Side::buy ? "BUY" : "SELL",
      o.type == SimOrderType::market ? "MARKET" : "LIMIT", o.quantity,
      o.type == SimOrderType::market ? Decimal{} : o.price, to_binance(event.kind), bingx_spot_status_text(o.status),
      o.id);
  append_json_string(frame, front_.client_order_id(o));
  fmt::format_to(
      std::back_inserter(frame),
      R"(,"l":"{}","z":"{}","L":"{}","n":"{}","N":"{}","T":{},"t":{},"O":{},"Z":"{}","Y":"{}","Q":"0","m":{}}}}})",
      fill ? fill->quantity : Decimal{}, o.executed, fill ? fill->price : Decimal{},
      fill ? -fill->commission : Decimal{}, fill ? fill->commission_asset : std::string(), fill ? fill->time_ms : 0,
      fill ? fill->trade_id : 0, o.time_ms, o.cumulative_quote, fill ? fill->quote_quantity : Decimal{},
      fill && fill->is_maker ? "true" : "false");
  return frame;
}

std::string BingxStreams::spot_account_frame(const Order& o, std::int64_t time_ms) const {
  const Instrument& in = *engine_.instrument(o.symbol);
  std::string frame = fmt::format(R"({{"e":"ACCOUNT_UPDATE","E":{},"a":{{"m":"ORDER","B":[)", time_ms);
  bool first = true;
  for (const std::string& asset : {in.base, in.quote}) {
    const Balance held = engine_.balance(o.account, asset);
    const Decimal total = held.free + held.locked;
    fmt::format_to(std::back_inserter(frame), R"({}{{"a":"{}","bc":"0","cw":"{}","wb":"{}","lk":"{}"}})",
                   first ? "" : ",", asset, total, total, held.locked);
    first = false;
  }
  frame += "]}}";
  return frame;
}

}  // namespace cts::sim
