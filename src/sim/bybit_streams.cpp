// The simulator's Bybit v5 WebSocket side; see include/cts/sim/bybit_streams.hpp.
#include "cts/sim/bybit_streams.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "level_changes.hpp"
#include "bybit_json.hpp"
#include "cts/core/json_string.hpp"
#include "cts/sign/encoding.hpp"

namespace cts::sim {

namespace {

namespace dom = simdjson::dom;
using detail::Buffer;

/// Mixed into the faults' seed so that the WebSocket dice differ from the REST ones.
constexpr std::uint64_t kDiceSalt = 0x4259'4257ULL;

/// Depths a client may subscribe to (websocket/public/orderbook.mdx).
constexpr std::size_t kDepths[] = {1, 50, 200, 500};

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

/// "orderbook.<depth>.<symbol>" → (depth, symbol); nullopt for another shape.
std::optional<std::pair<std::size_t, std::string_view>> book_topic(std::string_view topic) {
  constexpr std::string_view kPrefix = "orderbook.";
  if (!topic.starts_with(kPrefix)) return std::nullopt;
  const std::string_view rest = topic.substr(kPrefix.size());
  const std::size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view depth_text = rest.substr(0, dot);
  std::size_t depth = 0;
  for (const char ch : depth_text) {
    if (ch < '0' || ch > '9' || depth > 1000) return std::nullopt;
    depth = depth * 10 + static_cast<std::size_t>(ch - '0');
  }
  if (std::find(std::begin(kDepths), std::end(kDepths), depth) == std::end(kDepths)) return std::nullopt;
  return std::pair{depth, rest.substr(dot + 1)};
}

/// A `tickers` frame of `type` ("snapshot" or "delta") carrying the fields marked in
/// `include` (websocket/public/ticker.mdx's shape; `cs` its cross sequence).
std::string ticker_frame_text(std::string_view topic, std::string_view type,
                              const std::vector<std::pair<std::string_view, std::string>>& fields,
                              const std::vector<bool>& include, std::uint64_t cs, std::int64_t now_ms) {
  Buffer b;
  fmt::format_to(std::back_inserter(b), R"({{"topic":"{}","type":"{}","data":{{)", topic, type);
  bool first = true;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (!include[i]) continue;
    fmt::format_to(std::back_inserter(b), R"({}"{}":"{}")", first ? "" : ",", fields[i].first, fields[i].second);
    first = false;
  }
  fmt::format_to(std::back_inserter(b), R"(}},"cs":{},"ts":{}}})", cs, now_ms);
  return fmt::to_string(b);
}

}  // namespace

/// An `op` frame as received.
struct BybitStreams::Request {
  std::string op;
  std::string req_id;
  std::vector<std::string> args;  // strings as they are, numbers as their JSON text
};

BybitStreams::BybitStreams(MatchingEngine& engine, BybitFront& front, const FaultConfig& faults)
    : engine_(engine), front_(front), connections_(faults, kDiceSalt) {
  engine_.record_events(true);
}

void BybitStreams::set_faults(const FaultConfig& faults) { connections_.set_faults(faults); }

void BybitStreams::add_credential(std::string api_key, std::string_view secret, AccountId account) {
  if (api_key.empty() || secret.empty()) {
    throw Exception(make_error(ErrorCode::invalid_argument, "bybit streams: empty API key or secret"));
  }
  credentials_.insert_or_assign(std::move(api_key), Credential{account, sign::HmacSha256(secret)});
}

bool BybitStreams::open(std::uint64_t connection, std::string_view target, std::int64_t /*now_ms*/) {
  const std::string_view path = path_of(target);
  Connection c;
  if (path == "/v5/public/spot") {
    c.kind = Kind::spot;
  } else if (path == "/v5/public/linear") {
    c.kind = Kind::linear;
  } else if (path == "/v5/private") {
    c.kind = Kind::private_;
  } else if (path == "/v5/trade") {
    c.kind = Kind::trade;
  } else {
    return false;
  }
  connections_.open(connection, std::move(c));
  return true;
}

void BybitStreams::close(std::uint64_t connection) { connections_.close(connection); }

std::vector<std::uint64_t> BybitStreams::connections() const { return connections_.ids(); }

void BybitStreams::message(std::uint64_t connection, std::string_view text, std::int64_t now_ms,
                           std::vector<WsOutput>& out) {
  Connection* live = connections_.live(connection);
  if (live == nullptr) return;
  Connection& c = *live;
  ++connections_.stats().requests;
  if (c.kind == Kind::trade) return trade_message(connection, c, text, now_ms, out);
  const std::string conn_id = fmt::format("cts-sim-{}", connection);
  const auto failed = [&](std::string_view op, std::string_view req_id, std::string_view message) {
    ++connections_.stats().errors;
    std::string frame = fmt::format(R"({{"success":false,"ret_msg":{},"conn_id":"{}")", json_string(message), conn_id);
    if (!req_id.empty()) fmt::format_to(std::back_inserter(frame), R"(,"req_id":{})", json_string(req_id));
    fmt::format_to(std::back_inserter(frame), R"(,"op":{}}})", json_string(op));
    connections_.send(connection, std::move(frame), out);
  };

  thread_local dom::parser parser;
  dom::element document;
  dom::object object;
  if (parser.parse(text.data(), text.size()).get(document) || document.get_object().get(object)) {
    return failed("", "", "error:request not a JSON object");
  }
  Request request;
  for (const auto field : object) {
    if (field.key == "op") {
      std::string_view op;
      if (field.value.get_string().get(op)) return failed("", "", "error:op must be a string");
      request.op = std::string(op);
    } else if (field.key == "req_id") {
      std::string_view req_id;
      if (field.value.get_string().get(req_id)) return failed("", "", "error:req_id must be a string");
      request.req_id = std::string(req_id.substr(0, 64));
    } else if (field.key == "args") {
      dom::array args;
      if (field.value.get_array().get(args)) return failed(request.op, request.req_id, "error:args must be an array");
      if (!detail::read_op_args(args, request.args)) {
        return failed(request.op, request.req_id, "error:args must be strings or integers");
      }
    }
  }
  if (request.op == "ping") {
    if (c.kind == Kind::private_) {
      std::string frame;
      if (!request.req_id.empty())
        frame = fmt::format(R"({{"req_id":{},)", json_string(request.req_id));
      else
        frame = "{";
      fmt::format_to(std::back_inserter(frame), R"("op":"pong","args":["{}"],"conn_id":"{}"}})", now_ms, conn_id);
      return connections_.send(connection, std::move(frame), out);
    }
    std::string frame = fmt::format(R"({{"success":true,"ret_msg":"pong","conn_id":"{}")", conn_id);
    if (!request.req_id.empty())
      fmt::format_to(std::back_inserter(frame), R"(,"req_id":{})", json_string(request.req_id));
    frame += R"(,"op":"ping"})";
    return connections_.send(connection, std::move(frame), out);
  }
  if (request.op == "auth") {
    if (c.kind != Kind::private_) return failed("auth", request.req_id, "error:auth on a public stream");
    return authenticate(connection, c, request, now_ms, out);
  }
  if (request.op == "subscribe" || request.op == "unsubscribe") {
    if (request.args.empty()) return failed(request.op, request.req_id, "error:args must name topics");
    if (c.kind == Kind::private_ && !c.account) return failed(request.op, request.req_id, "error:not authenticated");
    if (request.op == "unsubscribe") {
      for (const std::string& topic : request.args) c.topics.erase(topic);
      std::string frame = fmt::format(R"({{"success":true,"ret_msg":"","conn_id":"{}")", conn_id);
      if (!request.req_id.empty())
        fmt::format_to(std::back_inserter(frame), R"(,"req_id":{})", json_string(request.req_id));
      frame += R"(,"op":"unsubscribe"})";
      return connections_.send(connection, std::move(frame), out);
    }
    return subscribe(connection, c, request, now_ms, out);
  }
  return failed(request.op, request.req_id, fmt::format("error:unknown op {}", request.op.substr(0, 32)));
}

std::optional<std::pair<long, std::string_view>> BybitStreams::check_auth(const std::vector<std::string>& args,
                                                                         std::int64_t now_ms,
                                                                         AccountId& account) const {
  if (args.size() != 3) return std::pair{10001L, "Params Error"};
  const auto credential = credentials_.find(args[0]);
  if (credential == credentials_.end()) return std::pair{10003L, "Invalid apikey"};
  const std::string& expires = args[1];
  std::int64_t expires_ms = 0;
  const auto [end, error] = std::from_chars(expires.data(), expires.data() + expires.size(), expires_ms);
  if (error != std::errc{} || end != expires.data() + expires.size()) return std::pair{10001L, "Params Error"};
  if (expires_ms <= now_ms) return std::pair{10001L, "Params Error: expires is in the past"};
  const auto digest = credential->second.mac.digest("GET/realtime" + expires);
  if (args[2] != sign::hex_lower(digest)) return std::pair{10004L, "Invalid sign"};
  account = credential->second.account;
  return std::nullopt;
}

void BybitStreams::authenticate(std::uint64_t id, Connection& c, const Request& request, std::int64_t now_ms,
                                std::vector<WsOutput>& out) {
  AccountId account = 0;
  const auto refused = check_auth(request.args, now_ms, account);
  if (refused) ++connections_.stats().errors;
  const std::string_view message = refused ? refused->second : std::string_view();
  connections_.send(id,
                    fmt::format(R"({{"success":{},"ret_msg":{},"op":"auth","conn_id":"cts-sim-{}"}})", !refused,
                                json_string(message), id),
                    out);
  if (!refused) c.account = account;
}

BybitStreams::Kind BybitStreams::market_kind(const std::string& market) const {
  return engine_.instrument(market)->kind == InstrumentKind::spot ? Kind::spot : Kind::linear;
}

std::optional<std::string> BybitStreams::market_of(Kind kind, std::string_view symbol) const {
  const std::string key =
      market_key(kind == Kind::linear ? InstrumentKind::linear_perpetual : InstrumentKind::spot, symbol);
  if (engine_.instrument(key) == nullptr) return std::nullopt;
  return key;
}

void BybitStreams::subscribe(std::uint64_t id, Connection& c, const Request& request, std::int64_t now_ms,
                             std::vector<WsOutput>& out) {
  const std::string conn_id = fmt::format("cts-sim-{}", id);
  std::vector<std::string> snapshots;
  std::vector<std::pair<std::string, std::string>> tickers;  // (topic, market) for a snapshot each
  for (const std::string& topic : request.args) {
    bool known = false;
    if (c.kind == Kind::private_) {
      known = topic == "order" || topic == "execution" || topic == "wallet" || topic == "position" ||
              topic == "position.linear";
    } else if (topic.starts_with("tickers.")) {
      if (std::optional<std::string> market = market_of(c.kind, std::string_view(topic).substr(8))) {
        known = true;
        tickers.emplace_back(topic, std::move(*market));
      }
    } else if (const auto book = book_topic(topic)) {
      if (const std::optional<std::string> market = market_of(c.kind, book->second)) {
        known = true;
        snapshots.push_back(book_frame(topic, *market, book->first, now_ms));
      }
    } else if (topic.starts_with("publicTrade.")) {
      known = market_of(c.kind, std::string_view(topic).substr(12)).has_value();
    }
    if (!known) {
      ++connections_.stats().errors;
      std::string frame =
          fmt::format(R"({{"success":false,"ret_msg":{},"conn_id":"{}")",
                      json_string(fmt::format("error:handler not found,topic:{}", topic.substr(0, 64))), conn_id);
      if (!request.req_id.empty())
        fmt::format_to(std::back_inserter(frame), R"(,"req_id":{})", json_string(request.req_id));
      frame += R"(,"op":"subscribe"})";
      return connections_.send(id, std::move(frame), out);
    }
  }
  const bool heard_positions = !position_topic(c).empty();
  for (const std::string& topic : request.args) c.topics.insert(topic);
  if (!heard_positions && !position_topic(c).empty()) note_positions(c);
  for (const auto& [topic, market] : tickers) {
    TickerFields fields = ticker_fields(market, now_ms);
    snapshots.push_back(
        ticker_frame_text(topic, "snapshot", fields, std::vector<bool>(fields.size(), true), sequence_, now_ms));
    c.tickers_sent.insert_or_assign(topic, std::move(fields));
  }
  std::string frame = fmt::format(R"({{"success":true,"ret_msg":"","conn_id":"{}")", conn_id);
  if (!request.req_id.empty())
    fmt::format_to(std::back_inserter(frame), R"(,"req_id":{})", json_string(request.req_id));
  frame += R"(,"op":"subscribe"})";
  connections_.send(id, std::move(frame), out);
  for (std::string& snapshot : snapshots) connections_.send(id, std::move(snapshot), out);
}

std::string BybitStreams::book_frame(std::string_view topic, const std::string& market, std::size_t depth,
                                     std::int64_t now_ms) {
  PublishedBook& view = published_[std::string(topic)];
  if (!has_subscriber(market_kind(market), std::string(topic))) {
    // Nobody listens yet: the view starts from the book now (an older one may be stale).
    auto [bids, asks] = engine_.depth(market, depth);
    view.bids = std::move(bids);
    view.asks = std::move(asks);
    ++view.update_id;
  }
  Buffer b;
  fmt::format_to(std::back_inserter(b), R"({{"topic":"{}","type":"snapshot","ts":{},"data":{{"s":"{}","b":)", topic,
                 now_ms, engine_.instrument(market)->venue_symbol);
  detail::bybit_levels(b, view.bids);
  b.append(std::string_view(R"(,"a":)"));
  detail::bybit_levels(b, view.asks);
  fmt::format_to(std::back_inserter(b), R"(,"u":{},"seq":{}}},"cts":{}}})", view.update_id, sequence_, now_ms);
  return fmt::to_string(b);
}

bool BybitStreams::has_subscriber(Kind kind, const std::string& topic) const {
  return std::any_of(connections_.begin(), connections_.end(), [&](const auto& entry) {
    return entry.second.kind == kind && entry.second.topics.contains(topic);
  });
}

void BybitStreams::publish(Kind kind, std::string_view topic, const std::string& frame, std::vector<WsOutput>& out) {
  for (const auto& [id, c] : connections_) {
    if (c.kind == kind && c.topics.contains(std::string(topic))) connections_.send(id, frame, out);
  }
}

void BybitStreams::emit_market(const std::string& market, std::int64_t now_ms, std::vector<WsOutput>& out) {
  const MarketChanges changes = engine_.take_market_changes(market);
  const Instrument* instrument = engine_.instrument(market);
  const Kind kind = market_kind(market);
  const std::string& symbol = instrument->venue_symbol;
  if (!changes.levels.empty()) {
    ++sequence_;
    // Each book topic someone listens to gets the difference between its top levels now
    // and what it was last sent: levels that changed, entered the top or left it ("0"),
    // and nothing for a level that came and went in between (orderbook.mdx: a size of 0
    // deletes a level the client holds).
    for (const std::size_t depth : kDepths) {
      const std::string topic = fmt::format("orderbook.{}.{}", depth, symbol);
      if (!has_subscriber(kind, topic)) continue;
      PublishedBook& view = published_[topic];
      auto [bids, asks] = engine_.depth(market, depth);
      std::vector<Level> bid_changes = detail::level_changes(view.bids, bids, Side::buy);
      std::vector<Level> ask_changes = detail::level_changes(view.asks, asks, Side::sell);
      if (bid_changes.empty() && ask_changes.empty()) continue;
      view.bids = std::move(bids);
      view.asks = std::move(asks);
      ++view.update_id;
      Buffer b;
      fmt::format_to(std::back_inserter(b), R"({{"topic":"{}","type":"delta","ts":{},"data":{{"s":"{}","b":)", topic,
                     now_ms, symbol);
      detail::bybit_levels(b, bid_changes);
      b.append(std::string_view(R"(,"a":)"));
      detail::bybit_levels(b, ask_changes);
      fmt::format_to(std::back_inserter(b), R"(,"u":{},"seq":{}}},"cts":{}}})", view.update_id, sequence_, now_ms);
      publish(kind, topic, fmt::to_string(b), out);
    }
  }
  if (const std::string topic = fmt::format("publicTrade.{}", symbol);
      !changes.trades.empty() && has_subscriber(kind, topic)) {
    Buffer b;
    fmt::format_to(std::back_inserter(b), R"({{"topic":"{}","type":"snapshot","ts":{},"data":[)", topic, now_ms);
    for (std::size_t i = 0; i < changes.trades.size(); ++i) {
      const Trade& t = changes.trades[i];
      fmt::format_to(std::back_inserter(b),
                     R"({}{{"T":{},"s":"{}","S":"{}","v":"{}","p":"{}","L":"ZeroPlusTick","i":"{}","BT":false}})",
                     i == 0 ? "" : ",", t.time_ms, symbol, t.is_buyer_maker ? "Sell" : "Buy", t.quantity, t.price,
                     t.id);
    }
    b.append(std::string_view("]}"));
    publish(kind, topic, fmt::to_string(b), out);
  }
  emit_tickers(market, kind, now_ms, out);
}

BybitStreams::TickerFields BybitStreams::ticker_fields(const std::string& market, std::int64_t now_ms) const {
  const detail::TickerFigures t = detail::ticker_figures(engine_, market, now_ms);
  const Instrument& in = *engine_.instrument(market);
  const auto level = [](const std::optional<Level>& l, bool price) {
    return l ? fmt::format("{}", price ? l->price : l->quantity) : std::string();
  };
  std::string change;  // price24hPcnt: (last − open 24 h) / open 24 h, 6 decimals as Bybit prints it
  if (t.last && t.open_24h && t.open_24h->is_positive()) {
    change =
        fmt::format("{}", (*t.last - *t.open_24h).div(*t.open_24h, Rounding::half_even).round(6, Rounding::half_even));
  }
  TickerFields fields{{"symbol", in.venue_symbol}};
  if (in.kind == InstrumentKind::spot) {
    fields.insert(fields.end(), {{"lastPrice", detail::optional_text(t.last)},
                                 {"highPrice24h", detail::optional_text(t.high_24h)},
                                 {"lowPrice24h", detail::optional_text(t.low_24h)},
                                 {"prevPrice24h", detail::optional_text(t.open_24h)},
                                 {"volume24h", fmt::format("{}", t.volume_24h)},
                                 {"turnover24h", fmt::format("{}", t.turnover_24h)},
                                 {"price24hPcnt", std::move(change)}});
    return fields;
  }
  const std::string mark = detail::optional_text(t.mark);
  fields.insert(fields.end(), {{"price24hPcnt", std::move(change)},
                               {"lastPrice", detail::optional_text(t.last)},
                               {"prevPrice24h", detail::optional_text(t.open_24h)},
                               {"highPrice24h", detail::optional_text(t.high_24h)},
                               {"lowPrice24h", detail::optional_text(t.low_24h)},
                               {"markPrice", mark},
                               {"indexPrice", mark},
                               {"turnover24h", fmt::format("{}", t.turnover_24h)},
                               {"volume24h", fmt::format("{}", t.volume_24h)},
                               {"nextFundingTime", "0"},
                               {"fundingRate", "0"},
                               {"bid1Price", level(t.bid, true)},
                               {"bid1Size", level(t.bid, false)},
                               {"ask1Price", level(t.ask, true)},
                               {"ask1Size", level(t.ask, false)}});
  return fields;
}

void BybitStreams::emit_tickers(const std::string& market, Kind kind, std::int64_t now_ms, std::vector<WsOutput>& out) {
  const std::string topic = fmt::format("tickers.{}", engine_.instrument(market)->venue_symbol);
  if (!has_subscriber(kind, topic)) return;
  const TickerFields fields = ticker_fields(market, now_ms);
  for (auto& [id, c] : connections_) {
    if (c.kind != kind || c.dropped || !c.topics.contains(topic)) continue;
    TickerFields& sent = c.tickers_sent[topic];
    if (sent == fields) continue;
    // Spot tickers are snapshots only; a linear delta carries the symbol and what changed.
    std::vector<bool> include(fields.size(), true);
    if (kind == Kind::linear && sent.size() == fields.size()) {
      for (std::size_t i = 1; i < fields.size(); ++i) include[i] = fields[i].second != sent[i].second;
    }
    const bool snapshot = kind == Kind::spot || sent.size() != fields.size();
    std::string frame = ticker_frame_text(topic, snapshot ? "snapshot" : "delta", fields, include, sequence_, now_ms);
    sent = fields;
    connections_.send(id, std::move(frame), out);
  }
}

std::string_view BybitStreams::position_topic(const Connection& c) {
  if (c.kind != Kind::private_) return {};
  if (c.topics.contains("position")) return "position";
  if (c.topics.contains("position.linear")) return "position.linear";
  return {};
}

void BybitStreams::note_positions(Connection& c) const {
  if (!c.account) return;
  for (const auto& [market, held] : engine_.positions(*c.account)) c.position_seqs.insert_or_assign(market, held.seq);
}

void BybitStreams::emit_positions(std::int64_t now_ms, std::vector<WsOutput>& out) {
  for (auto& [id, c] : connections_) {
    const std::string_view topic = position_topic(c);
    if (topic.empty() || c.dropped || !c.account) continue;
    Buffer data;
    for (const auto& [market, held] : engine_.positions(*c.account)) {
      const Instrument* in = engine_.instrument(market);
      if (in == nullptr || in->kind != InstrumentKind::linear_perpetual) continue;
      const auto [seen, fresh] = c.position_seqs.try_emplace(market, held.seq);
      if (!fresh && seen->second == held.seq) continue;
      seen->second = held.seq;
      if (data.size() != 0) data.push_back(',');
      detail::position_json(data, *in, held, engine_.mark_price(market), detail::PositionObject::stream);
    }
    if (data.size() == 0) continue;
    connections_.send(id,
          fmt::format(R"({{"id":"cts-sim-{}","topic":"{}","creationTime":{},"data":[{}]}})", next_frame_id_++, topic,
                      now_ms, fmt::to_string(data)),
          out);
  }
}

void BybitStreams::emit_private(std::int64_t now_ms, std::vector<WsOutput>& out) {
  const std::vector<ExecutionEvent> events = engine_.take_events();
  for (const ExecutionEvent& event : events) {
    const Instrument* instrument = engine_.instrument(event.order.symbol);
    if (instrument == nullptr) continue;
    const std::string_view category = detail::category_name(instrument->kind);
    const auto send = [&](std::string_view topic, const Buffer& data) {
      const std::string frame = fmt::format(R"({{"id":"cts-sim-{}","topic":"{}","creationTime":{},"data":[{}]}})",
                                            next_frame_id_++, topic, now_ms, fmt::to_string(data));
      for (const auto& [id, c] : connections_) {
        if (c.kind == Kind::private_ && c.account == event.order.account && c.topics.contains(std::string(topic))) {
          connections_.send(id, frame, out);
        }
      }
    };
    Buffer order;
    detail::order_json(order, event.order, *instrument, front_.link_id(event.order),
                       event.fill ? event.fill->commission : Decimal{});
    // The private topic's order object carries its category first (websocket/private/order.mdx).
    Buffer with_category;
    fmt::format_to(std::back_inserter(with_category), R"({{"category":"{}",)", category);
    with_category.append(std::string_view(order.data() + 1, order.size() - 1));
    send("order", with_category);
    if (event.fill) {
      const Fill& f = *event.fill;
      Buffer execution;
      fmt::format_to(
          std::back_inserter(execution),
          R"({{"category":"{}","symbol":"{}","execFee":"{}","feeCurrency":"{}","execId":"{}","execPrice":"{}","execQty":"{}","execType":"Trade","execValue":"{}","isMaker":{},"orderId":"{}","orderLinkId":"{}","orderPrice":"{}","orderQty":"{}","orderType":"{}","side":"{}","execTime":"{}","leavesQty":"{}","closedSize":"{}","execPnl":"{}","seq":{}}})",
          category, instrument->venue_symbol, f.commission, f.commission_asset, f.trade_id, f.price, f.quantity,
          f.quote_quantity, f.is_maker, f.order_id, front_.link_id(event.order), event.order.price,
          event.order.quantity, event.order.type == SimOrderType::market ? "Market" : "Limit",
          detail::bybit_side(event.order.side), f.time_ms,
          is_open(event.order.status) ? event.order.quantity - event.order.executed : Decimal{}, f.closed_quantity,
          f.realised_pnl, f.trade_id);
      send("execution", execution);
    }
    if (!event.balances.empty()) {
      Buffer wallet;
      wallet.append(std::string_view(R"({"accountType":"UNIFIED","coin":[)"));
      for (std::size_t i = 0; i < event.balances.size(); ++i) {
        const AssetBalance& a = event.balances[i];
        fmt::format_to(std::back_inserter(wallet),
                       R"({}{{"coin":"{}","walletBalance":"{}","locked":"{}","availableToWithdraw":"{}"}})",
                       i == 0 ? "" : ",", a.asset, a.balance.free + a.balance.locked, a.balance.locked, a.balance.free);
      }
      wallet.append(std::string_view("]}"));
      send("wallet", wallet);
    }
  }
}

void BybitStreams::tick(std::int64_t now_ms, std::vector<WsOutput>& out) {
  connections_.erase_dropped();
  emit_positions(now_ms, out);
  emit_private(now_ms, out);
  for (const std::string& market : engine_.markets()) emit_market(market, now_ms, out);
}

}  // namespace cts::sim
