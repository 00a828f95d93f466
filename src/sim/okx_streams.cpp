// The simulator's OKX v5 WebSocket side; see include/cts/sim/okx_streams.hpp.
#include "cts/sim/okx_streams.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <tuple>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "level_changes.hpp"
#include "cts/core/detail/crc32.hpp"
#include "cts/core/json_string.hpp"
#include "cts/sign/encoding.hpp"

namespace cts::sim {

namespace {

namespace dom = simdjson::dom;
using Buffer = fmt::memory_buffer;

/// Mixed into the faults' seed so that the WebSocket dice differ from the REST ones.
constexpr std::uint64_t kOkxDiceSalt = 0x4F4B'5857ULL;
/// Levels per side OKX's checksum covers.
constexpr std::size_t kChecksumDepth = 25;
/// How far a login timestamp may be from now ("Login": the request expires 30 s after it).
constexpr std::int64_t kLoginWindowSeconds = 30;
/// The longest part of a bad frame quoted back in a 60012 message.
constexpr std::size_t kQuotedFrameChars = 256;

/// Appends `levels` as OKX's [["price","size","0","count"],...] (a removed level's count is 0).
void okx_levels(Buffer& b, const std::vector<Level>& levels) {
  b.push_back('[');
  for (std::size_t i = 0; i < levels.size(); ++i) {
    fmt::format_to(std::back_inserter(b), R"({}["{}","{}","0","{}"])", i == 0 ? "" : ",", levels[i].price,
                   levels[i].quantity, levels[i].quantity.is_zero() ? 0 : 1);
  }
  b.push_back(']');
}

/// OKX's instType of a market of `kind`.
std::string_view inst_type_of(InstrumentKind kind) { return kind == InstrumentKind::spot ? "SPOT" : "SWAP"; }

/// OKX's ordType of `o` (the time in force folded in).
std::string_view ord_type_of(const Order& o) {
  if (o.type == SimOrderType::market) return "market";
  if (o.type == SimOrderType::limit_maker) return "post_only";
  if (o.time_in_force == TimeInForce::ioc) return "ioc";
  if (o.time_in_force == TimeInForce::fok) return "fok";
  return "limit";
}

/// OKX's order `state` of `o`.
std::string_view state_of(const Order& o) {
  switch (o.status) {
    case OrderStatus::new_: return "live";
    case OrderStatus::partially_filled: return "partially_filled";
    case OrderStatus::filled: return "filled";
    default: return "canceled";
  }
}

/// True when a connection's `orders` or `positions` topic of instType `wanted` ("SPOT",
/// "SWAP" or "ANY") covers `type`.
bool covers(std::string_view wanted, std::string_view type) { return wanted == "ANY" || wanted == type; }

/// `connection` as OKX writes a connId (8 hex digits).
std::string conn_id_of(std::uint64_t connection) { return fmt::format("{:08x}", connection & 0xFFFF'FFFFULL); }

}  // namespace

std::int32_t okx_book_checksum(const std::vector<Level>& bids, const std::vector<Level>& asks) {
  cts::detail::Crc32 crc;
  bool first = true;
  char buffer[Decimal::kMaxChars];
  const auto add = [&](const Level& level) {
    for (const Decimal value : {level.price, level.quantity}) {
      if (!first) crc.update(":");
      first = false;
      const char* end = value.to_chars(buffer, buffer + sizeof(buffer));
      crc.update(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
    }
  };
  for (std::size_t i = 0; i < kChecksumDepth && (i < bids.size() || i < asks.size()); ++i) {
    if (i < bids.size()) add(bids[i]);
    if (i < asks.size()) add(asks[i]);
  }
  return static_cast<std::int32_t>(crc.value());
}

/// One element of an op's `args`, as received (members other than these are ignored).
struct OkxStreams::Arg {
  std::string channel;
  std::string inst_id;
  std::string inst_type;
  std::string api_key;
  std::string passphrase;
  std::string timestamp;
  std::string sign;
  /// The arg as a reply echoes it: channel, then instId or instType when sent.
  [[nodiscard]] std::string echo() const {
    std::string text = fmt::format(R"({{"channel":{})", json_string(channel));
    if (!inst_type.empty()) fmt::format_to(std::back_inserter(text), R"(,"instType":{})", json_string(inst_type));
    if (!inst_id.empty()) fmt::format_to(std::back_inserter(text), R"(,"instId":{})", json_string(inst_id));
    text += '}';
    return text;
  }
};

OkxStreams::OkxStreams(MatchingEngine& engine, const FaultConfig& faults)
    : engine_(engine), connections_(faults, kOkxDiceSalt) {
  engine_.record_events(true);
}

void OkxStreams::set_faults(const FaultConfig& faults) { connections_.set_faults(faults); }

void OkxStreams::add_credential(std::string api_key, std::string_view secret, std::string passphrase,
                                AccountId account) {
  if (api_key.empty() || secret.empty() || passphrase.empty()) {
    throw Exception(make_error(ErrorCode::invalid_argument, "okx streams: empty API key, secret or passphrase"));
  }
  credentials_.insert_or_assign(std::move(api_key),
                                Credential{account, std::move(passphrase), sign::HmacSha256(secret)});
}

bool OkxStreams::open(std::uint64_t connection, std::string_view target, std::int64_t now_ms) {
  const std::string_view path = target.substr(0, target.find('?'));
  Connection c;
  if (path == "/ws/v5/private") {
    c.is_private = true;
  } else if (path != "/ws/v5/public") {
    return false;
  }
  c.last_heard_ms = now_ms;
  connections_.open(connection, std::move(c));
  return true;
}

void OkxStreams::close(std::uint64_t connection) { connections_.close(connection); }

std::vector<std::uint64_t> OkxStreams::connections() const { return connections_.ids(); }

void OkxStreams::error(std::uint64_t id, std::string_view code, std::string_view message,
                       std::vector<WsOutput>& out) {
  ++connections_.stats().errors;
  connections_.send(id,
        fmt::format(R"({{"event":"error","code":"{}","msg":{},"connId":"{}"}})", code, json_string(message),
                    conn_id_of(id)),
        out);
}

void OkxStreams::message(std::uint64_t connection, std::string_view text, std::int64_t now_ms,
                         std::vector<WsOutput>& out) {
  Connection* live = connections_.live(connection);
  if (live == nullptr) return;
  Connection& c = *live;
  ++connections_.stats().requests;
  c.last_heard_ms = now_ms;
  if (text == "ping") return connections_.send(connection, "pong", out);
  const auto invalid = [&] {
    error(connection, "60012", fmt::format("Invalid request: {}", text.substr(0, kQuotedFrameChars)), out);
  };

  thread_local dom::parser parser;
  dom::element document;
  dom::object object;
  if (parser.parse(text.data(), text.size()).get(document) || document.get_object().get(object)) return invalid();
  std::string_view op;
  dom::array raw_args;
  bool has_args = false;
  for (const auto field : object) {
    if (field.key == "op") {
      if (field.value.get_string().get(op)) return invalid();
    } else if (field.key == "args") {
      if (field.value.get_array().get(raw_args)) return invalid();
      has_args = true;
    }
  }
  if (op.empty() || !has_args || raw_args.size() == 0) return invalid();
  std::vector<Arg> args;
  for (const dom::element item : raw_args) {
    dom::object members;
    if (item.get_object().get(members)) return invalid();
    Arg& arg = args.emplace_back();
    for (const auto member : members) {
      std::string* slot = member.key == "channel"      ? &arg.channel
                          : member.key == "instId"     ? &arg.inst_id
                          : member.key == "instType"   ? &arg.inst_type
                          : member.key == "apiKey"     ? &arg.api_key
                          : member.key == "passphrase" ? &arg.passphrase
                          : member.key == "timestamp"  ? &arg.timestamp
                          : member.key == "sign"       ? &arg.sign
                                                       : nullptr;
      if (slot == nullptr) continue;
      std::string_view value;
      if (member.value.get_string().get(value)) return invalid();
      *slot = std::string(value);
    }
  }
  if (op == "login") return login(connection, c, args, now_ms, out);
  if (op != "subscribe" && op != "unsubscribe") return invalid();
  if (std::any_of(args.begin(), args.end(), [](const Arg& arg) { return arg.channel.empty(); })) return invalid();
  for (const Arg& arg : args) subscribe(connection, c, arg, op == "subscribe", now_ms, out);
}

void OkxStreams::login(std::uint64_t id, Connection& c, const std::vector<Arg>& args, std::int64_t now_ms,
                       std::vector<WsOutput>& out) {
  if (!c.is_private || c.account) return error(id, "60009", "Login failed.", out);
  if (args.size() != 1) return error(id, "60012", "Invalid request: login takes one argument", out);
  const Arg& arg = args.front();
  if (arg.api_key.empty() || arg.passphrase.empty() || arg.timestamp.empty() || arg.sign.empty()) {
    return error(id, "60012", "Invalid request: login needs apiKey, passphrase, timestamp and sign", out);
  }
  const auto credential = credentials_.find(arg.api_key);
  if (credential == credentials_.end()) return error(id, "60005", "Invalid OK-ACCESS-KEY", out);
  std::int64_t seconds = 0;
  const auto [end, failure] = std::from_chars(arg.timestamp.data(), arg.timestamp.data() + arg.timestamp.size(),
                                              seconds);
  const std::int64_t now_seconds = now_ms / 1000;
  if (failure != std::errc{} || end != arg.timestamp.data() + arg.timestamp.size() ||
      seconds < now_seconds - kLoginWindowSeconds || seconds > now_seconds + kLoginWindowSeconds) {
    return error(id, "60004", "Invalid timestamp", out);
  }
  if (arg.passphrase != credential->second.passphrase) return error(id, "60024", "Wrong passphrase", out);
  const auto digest = credential->second.mac.digest({arg.timestamp, "GET", "/users/self/verify"});
  if (arg.sign != sign::base64_encode(digest)) return error(id, "60007", "Invalid sign", out);
  c.account = credential->second.account;
  connections_.send(id, fmt::format(R"({{"event":"login","code":"0","msg":"","connId":"{}"}})", conn_id_of(id)), out);
}

std::optional<std::string> OkxStreams::market_of(std::string_view inst_id) const {
  for (const std::string& market : engine_.markets()) {
    if (engine_.instrument(market)->venue_symbol == inst_id) return market;
  }
  return std::nullopt;
}

void OkxStreams::subscribe(std::uint64_t id, Connection& c, const Arg& arg, bool on, std::int64_t now_ms,
                           std::vector<WsOutput>& out) {
  const std::string_view channel = arg.channel;
  std::string topic;
  std::optional<std::string> market;
  if (c.is_private) {
    if (channel != "orders" && channel != "account" && channel != "positions") {
      return error(id, "60018", fmt::format("Wrong URL or channel:{} doesn't exist", channel.substr(0, 32)), out);
    }
    if (!c.account) return error(id, "60011", "Please log in", out);
    if (channel == "account") {
      topic = "account";
    } else if (arg.inst_type == "SPOT" || arg.inst_type == "SWAP" || arg.inst_type == "ANY") {
      topic = fmt::format("{}:{}", channel, arg.inst_type);
    } else {
      return error(id, "60018", fmt::format("Wrong URL or channel:{},instType:{} doesn't exist", channel,
                                            std::string_view(arg.inst_type).substr(0, 32)),
                   out);
    }
  } else {
    if (channel == "books" || channel == "bbo-tbt" || channel == "trades") market = market_of(arg.inst_id);
    if (!market) {
      return error(id, "60018",
                   fmt::format("Wrong URL or channel:{},instId:{} doesn't exist", channel.substr(0, 32),
                               std::string_view(arg.inst_id).substr(0, 32)),
                   out);
    }
    topic = fmt::format("{}:{}", channel, arg.inst_id);
  }
  const std::string ack =
      fmt::format(R"({{"event":"{}","arg":{},"connId":"{}"}})", on ? "subscribe" : "unsubscribe", arg.echo(),
                  conn_id_of(id));
  if (!on) {
    c.topics.erase(topic);
    return connections_.send(id, ack, out);
  }
  if (c.topics.contains(topic)) return connections_.send(id, ack, out);
  std::string first;  // the push a new subscriber gets at once
  if (channel == "account") {
    std::vector<AssetBalance> balances;
    for (const auto& [asset, balance] : engine_.balances(*c.account)) balances.push_back(AssetBalance{asset, balance});
    first = account_frame(balances, now_ms);
  } else if (channel == "positions") {
    first = positions_frame(c, arg.inst_type, /*initial=*/true);
  } else if (channel == "books") {
    first = book_snapshot(*market, now_ms);
  } else if (channel == "bbo-tbt") {
    // Like a book snapshot: what the other subscribers hold, else the top now.
    if (!has_subscriber(topic)) std::tie(tops_[*market].bid, tops_[*market].ask) = engine_.top(*market);
    first = top_frame(*market, now_ms);
  }
  c.topics.insert(topic);
  connections_.send(id, ack, out);
  if (!first.empty()) connections_.send(id, std::move(first), out);
}

bool OkxStreams::has_subscriber(const std::string& topic) const {
  return std::any_of(connections_.begin(), connections_.end(),
                     [&](const auto& entry) { return entry.second.topics.contains(topic); });
}

void OkxStreams::publish(const std::string& topic, const std::string& frame, std::vector<WsOutput>& out) {
  for (const auto& [id, c] : connections_) {
    if (c.topics.contains(topic)) connections_.send(id, frame, out);
  }
}

std::string OkxStreams::book_snapshot(const std::string& market, std::int64_t now_ms) {
  const std::string& inst_id = engine_.instrument(market)->venue_symbol;
  PublishedBook& view = books_[market];
  if (!has_subscriber(fmt::format("books:{}", inst_id))) {
    // Nobody listens yet: the view starts from the book now (an older one may be stale).
    std::tie(view.bids, view.asks) = engine_.depth(market, kBookDepth);
    // The book's seqId now (its first change's when it never changed): the next change
    // gets a larger one, whether or not it was ticked before this snapshot.
    std::int64_t& sequence = sequences_[market];
    sequence = std::max<std::int64_t>(sequence, 1);
    view.seq_id = sequence;
  }
  Buffer b;
  fmt::format_to(std::back_inserter(b), R"({{"arg":{{"channel":"books","instId":"{}"}},"action":"snapshot","data":[{{"asks":)",
                 inst_id);
  okx_levels(b, view.asks);
  b.append(std::string_view(R"(,"bids":)"));
  okx_levels(b, view.bids);
  fmt::format_to(std::back_inserter(b), R"(,"ts":"{}","checksum":{},"prevSeqId":-1,"seqId":{}}}]}})", now_ms,
                 okx_book_checksum(view.bids, view.asks), view.seq_id);
  return fmt::to_string(b);
}

std::string OkxStreams::top_frame(const std::string& market, std::int64_t now_ms) const {
  const PublishedTop& top = tops_.at(market);
  const auto side = [](const std::optional<Level>& level) {
    return level ? std::vector<Level>{*level} : std::vector<Level>{};
  };
  Buffer b;
  fmt::format_to(std::back_inserter(b), R"({{"arg":{{"channel":"bbo-tbt","instId":"{}"}},"data":[{{"asks":)",
                 engine_.instrument(market)->venue_symbol);
  okx_levels(b, side(top.ask));
  b.append(std::string_view(R"(,"bids":)"));
  okx_levels(b, side(top.bid));
  const auto seq = sequences_.find(market);
  fmt::format_to(std::back_inserter(b), R"(,"ts":"{}","seqId":{}}}]}})", now_ms,
                 seq == sequences_.end() ? 0 : seq->second);
  return fmt::to_string(b);
}

void OkxStreams::emit_market(const std::string& market, std::int64_t now_ms, std::vector<WsOutput>& out) {
  const MarketChanges changes = engine_.take_market_changes(market);
  const std::string& inst_id = engine_.instrument(market)->venue_symbol;
  if (!changes.levels.empty()) {
    const std::int64_t seq_id = ++sequences_[market];
    // `books` subscribers get the difference between the top 400 levels now and what
    // they hold: levels that changed, entered the top or left it ("0"), and nothing
    // for a level that came and went in between.
    if (const std::string topic = fmt::format("books:{}", inst_id); has_subscriber(topic)) {
      PublishedBook& view = books_[market];
      auto [bids, asks] = engine_.depth(market, kBookDepth);
      const std::vector<Level> bid_changes = detail::level_changes(view.bids, bids, Side::buy);
      const std::vector<Level> ask_changes = detail::level_changes(view.asks, asks, Side::sell);
      if (!bid_changes.empty() || !ask_changes.empty()) {
        view.bids = std::move(bids);
        view.asks = std::move(asks);
        Buffer b;
        fmt::format_to(std::back_inserter(b),
                       R"({{"arg":{{"channel":"books","instId":"{}"}},"action":"update","data":[{{"asks":)", inst_id);
        okx_levels(b, ask_changes);
        b.append(std::string_view(R"(,"bids":)"));
        okx_levels(b, bid_changes);
        fmt::format_to(std::back_inserter(b), R"(,"ts":"{}","checksum":{},"prevSeqId":{},"seqId":{}}}]}})", now_ms,
                       okx_book_checksum(view.bids, view.asks), view.seq_id, seq_id);
        view.seq_id = seq_id;
        publish(topic, fmt::to_string(b), out);
      }
    }
    if (const std::string topic = fmt::format("bbo-tbt:{}", inst_id); has_subscriber(topic)) {
      PublishedTop& sent = tops_[market];
      const auto [bid, ask] = engine_.top(market);
      const auto same = [](const std::optional<Level>& a, const std::optional<Level>& b) {
        return a.has_value() == b.has_value() && (!a || (a->price == b->price && a->quantity == b->quantity));
      };
      if (!same(sent.bid, bid) || !same(sent.ask, ask)) {
        sent = PublishedTop{bid, ask};
        publish(topic, top_frame(market, now_ms), out);
      }
    }
  }
  if (const std::string topic = fmt::format("trades:{}", inst_id); !changes.trades.empty() && has_subscriber(topic)) {
    Buffer b;
    fmt::format_to(std::back_inserter(b), R"({{"arg":{{"channel":"trades","instId":"{}"}},"data":[)", inst_id);
    for (std::size_t i = 0; i < changes.trades.size(); ++i) {
      const Trade& t = changes.trades[i];
      fmt::format_to(std::back_inserter(b),
                     R"({}{{"instId":"{}","tradeId":"{}","px":"{}","sz":"{}","side":"{}","ts":"{}","count":"1"}})",
                     i == 0 ? "" : ",", inst_id, t.id, t.price, t.quantity, t.is_buyer_maker ? "sell" : "buy",
                     t.time_ms);
    }
    b.append(std::string_view("]}"));
    publish(topic, fmt::to_string(b), out);
  }
}

void OkxStreams::tick(std::int64_t now_ms, std::vector<WsOutput>& out) {
  for (auto& [id, c] : connections_) {
    if (c.dropped || now_ms - c.last_heard_ms <= kIdleLimitMs) continue;
    c.dropped = true;
    out.push_back(WsOutput{id, {}, true});
  }
  connections_.erase_dropped();
  emit_positions(out);
  emit_private(now_ms, out);
  for (const std::string& market : engine_.markets()) emit_market(market, now_ms, out);
}

std::string_view OkxStreams::cl_ord_id(const Order& order) const { return order.client_order_id; }

std::string OkxStreams::account_frame(const std::vector<AssetBalance>& balances, std::int64_t now_ms) const {
  Buffer b;
  fmt::format_to(std::back_inserter(b),
                 R"({{"arg":{{"channel":"account"}},"data":[{{"uTime":"{}","totalEq":"","isoEq":"0","adjEq":"","ordFroz":"","imr":"","mmr":"","mgnRatio":"","notionalUsd":"","upl":"","details":[)",
                 now_ms);
  for (std::size_t i = 0; i < balances.size(); ++i) {
    const Balance& a = balances[i].balance;
    const Decimal cash = a.free + a.locked;
    fmt::format_to(std::back_inserter(b),
                   R"({}{{"ccy":"{}","eq":"{}","cashBal":"{}","availBal":"{}","availEq":"{}","frozenBal":"{}","ordFrozen":"{}","upl":"0","uTime":"{}"}})",
                   i == 0 ? "" : ",", balances[i].asset, cash, cash, a.free, a.free, a.locked, a.locked, now_ms);
  }
  b.append(std::string_view("]}]}"));
  return fmt::to_string(b);
}

std::string OkxStreams::positions_frame(Connection& c, std::string_view topic_type, bool initial) {
  Buffer data;
  for (const auto& [market, held] : engine_.positions(*c.account)) {
    const Instrument* in = engine_.instrument(market);
    if (in == nullptr || in->kind != InstrumentKind::linear_perpetual || !covers(topic_type, "SWAP")) continue;
    const auto [seen, fresh] = c.position_seqs.try_emplace(market, held.seq);
    if (initial ? held.size.is_zero() : (!fresh && seen->second == held.seq)) continue;
    seen->second = held.seq;
    const std::optional<Decimal> mark = engine_.mark_price(market);
    const std::string& settle = in->settle.empty() ? in->quote : in->settle;
    fmt::format_to(
        std::back_inserter(data),
        R"({}{{"instType":"SWAP","instId":"{}","mgnMode":"cross","posId":"{}","posSide":"net","pos":"{}","ccy":"{}","avgPx":"{}","markPx":"{}","upl":"{}","lever":"{}","liqPx":"","imr":"{}","margin":"","mmr":"0","notionalUsd":"{}","realizedPnl":"{}","pnl":"{}","fee":"{}","fundingFee":"0","cTime":"{}","uTime":"{}"}})",
        data.size() == 0 ? "" : ",", in->venue_symbol, held.created_ms, held.size, settle,
        held.size.is_zero() ? std::string() : fmt::format("{}", held.entry_price),
        mark ? fmt::format("{}", *mark) : std::string(), mark ? held.unrealised_pnl(*mark) : Decimal{}, held.leverage,
        held.initial_margin(), held.value(), held.realised_pnl(), held.closed_pnl, -held.fees, held.created_ms,
        held.updated_ms);
  }
  if (data.size() == 0 && !initial) return {};
  return fmt::format(R"({{"arg":{{"channel":"positions","instType":"{}"}},"data":[{}]}})", topic_type,
                     fmt::to_string(data));
}

void OkxStreams::emit_positions(std::vector<WsOutput>& out) {
  for (auto& [id, c] : connections_) {
    if (c.dropped || !c.account) continue;
    for (const std::string_view type : {"SWAP", "ANY"}) {
      if (!c.topics.contains(fmt::format("positions:{}", type))) continue;
      if (std::string frame = positions_frame(c, type, /*initial=*/false); !frame.empty()) {
        connections_.send(id, std::move(frame), out);
      }
    }
  }
}

void OkxStreams::emit_private(std::int64_t now_ms, std::vector<WsOutput>& out) {
  for (const ExecutionEvent& event : engine_.take_events()) {
    const Order& o = event.order;
    const Instrument* in = engine_.instrument(o.symbol);
    if (in == nullptr) continue;
    const std::string_view type = inst_type_of(in->kind);
    const bool swap = in->kind != InstrumentKind::spot;
    OrderTotals& totals = order_totals_[o.id];
    if (event.fill) {
      totals.fee += event.fill->commission;
      totals.fee_asset = event.fill->commission_asset;
      totals.pnl += event.fill->realised_pnl;
    }
    const std::string topic = fmt::format("orders:{}", type);
    std::vector<std::uint64_t> listeners;  // each hears the order once, even with both its instType and ANY
    for (const auto& [id, c] : connections_) {
      if (c.account == o.account && (c.topics.contains(topic) || c.topics.contains("orders:ANY"))) {
        listeners.push_back(id);
      }
    }
    if (!listeners.empty()) {
      const Fill* fill = event.fill ? &*event.fill : nullptr;
      const auto fill_text = [&](auto value) { return fill ? fmt::format("{}", value) : std::string(); };
      const std::string average =
          o.executed.is_positive() ? fmt::format("{}", o.cumulative_quote.div(o.executed, Rounding::half_even)) : "";
      std::string frame = fmt::format(
          R"({{"arg":{{"channel":"orders","instType":"{}"}},"data":[{{"instType":"{}","instId":"{}","ordId":"{}","clOrdId":{},"tag":"","px":"{}","sz":"{}","ordType":"{}","side":"{}","posSide":"{}","tdMode":"{}","tgtCcy":"","accFillSz":"{}","avgPx":"{}","state":"{}","lever":"{}","fillPx":"{}","tradeId":"{}","fillSz":"{}","fillTime":"{}","fillFee":"{}","fillFeeCcy":"{}","fillPnl":"{}","execType":"{}","fee":"{}","feeCcy":"{}","pnl":"{}","rebate":"0","rebateCcy":"{}","category":"normal","reduceOnly":"{}","cancelSource":"","amendResult":"","code":"0","msg":"","cTime":"{}","uTime":"{}"}}]}})",
          type, type, in->venue_symbol, o.id, json_string(cl_ord_id(o)),
          o.type == SimOrderType::market ? std::string() : fmt::format("{}", o.price), o.quantity, ord_type_of(o),
          o.side == Side::buy ? "buy" : "sell", swap ? "net" : "", swap ? "cross" : "cash", o.executed, average,
          state_of(o), swap ? engine_.leverage(o.account, o.symbol) : Decimal{}, fill_text(fill ? fill->price : Decimal{}),
          fill_text(fill ? fill->trade_id : 0), fill_text(fill ? fill->quantity : Decimal{}),
          fill_text(fill ? fill->time_ms : 0), fill_text(fill ? -fill->commission : Decimal{}),
          fill ? std::string_view(fill->commission_asset) : std::string_view(),
          fill_text(fill ? fill->realised_pnl : Decimal{}), fill ? (fill->is_maker ? "M" : "T") : "", -totals.fee,
          totals.fee_asset, totals.pnl, totals.fee_asset.empty() ? in->quote : totals.fee_asset, o.reduce_only,
          o.time_ms, o.update_ms);
      for (const std::uint64_t id : listeners) connections_.send(id, frame, out);
    }
    if (!is_open(o.status)) order_totals_.erase(o.id);
    if (event.balances.empty()) continue;
    std::string account;
    for (auto& [id, c] : connections_) {
      if (c.account != o.account || !c.topics.contains("account")) continue;
      if (account.empty()) account = account_frame(event.balances, now_ms);
      connections_.send(id, account, out);
    }
  }
}

}  // namespace cts::sim
