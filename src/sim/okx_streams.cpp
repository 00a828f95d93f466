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
#include "okx_json.hpp"
#include "cts/core/detail/crc32.hpp"
#include "cts/core/json_string.hpp"
#include "cts/sign/encoding.hpp"

namespace cts::sim {

namespace {

namespace dom = simdjson::dom;

/// Mixed into the faults' seed so that the WebSocket dice differ from the REST ones.
constexpr std::uint64_t kOkxDiceSalt = 0x4F4B'5857ULL;
/// Levels per side OKX's checksum covers.
constexpr std::size_t kChecksumDepth = 25;
/// How far a login timestamp may be from now ("Login": the request expires 30 s after it).
constexpr std::int64_t kLoginWindowSeconds = 30;
/// The longest part of a bad frame quoted back in a 60012 message.
constexpr std::size_t kQuotedFrameChars = 256;

/// True when a connection's `orders` or `positions` topic of instType `wanted` ("SPOT",
/// "SWAP" or "ANY") covers `type`.
bool covers(std::string_view wanted, std::string_view type) { return wanted == "ANY" || wanted == type; }

/// The order op OKX spells `op` and whether it is a batch; nullopt for any other word.
std::optional<std::pair<OkxOrderOp, bool>> order_op_of(std::string_view op) {
  if (op == "order") return std::pair{OkxOrderOp::place, false};
  if (op == "amend-order") return std::pair{OkxOrderOp::amend, false};
  if (op == "cancel-order") return std::pair{OkxOrderOp::cancel, false};
  if (op == "batch-orders") return std::pair{OkxOrderOp::place, true};
  if (op == "batch-amend-orders") return std::pair{OkxOrderOp::amend, true};
  if (op == "batch-cancel-orders") return std::pair{OkxOrderOp::cancel, true};
  return std::nullopt;
}

/// A request id: 1 to 32 letters and digits.
bool valid_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

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

OkxStreams::OkxStreams(MatchingEngine& engine, OkxFront& front, const FaultConfig& faults)
    : engine_(engine), front_(front), connections_(faults, kOkxDiceSalt) {
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
  bool args_not_array = false;
  std::optional<std::string_view> request_id;
  std::optional<dom::element> expire_time;
  for (const auto field : object) {
    if (field.key == "op") {
      if (field.value.get_string().get(op)) return invalid();
    } else if (field.key == "args") {
      args_not_array = field.value.get_array().get(raw_args) != simdjson::SUCCESS;
      has_args = true;
    } else if (field.key == "id") {
      std::string_view text;
      if (field.value.get_string().get(text)) return invalid();
      request_id = text;
    } else if (field.key == "expTime") {
      expire_time = field.value;
    }
  }
  if (const auto order_op = order_op_of(op)) {
    if (!request_id || !valid_request_id(*request_id)) return invalid();
    OrderRequestFrame request{*request_id, op, order_op->first, order_op->second,
                              has_args && !args_not_array ? std::optional<std::string>(simdjson::minify(raw_args))
                                                          : std::nullopt,
                              std::nullopt};
    if (expire_time) {
      std::string_view text;
      std::int64_t ms = 0;
      if (expire_time->get_string().get(text) == simdjson::SUCCESS) {
        const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), ms);
        if (failure != std::errc{} || end != text.data() + text.size() || text.empty()) ms = -1;
      } else if (expire_time->get_int64().get(ms) != simdjson::SUCCESS) {
        ms = -1;
      }
      request.expire_time_ms = ms;
    }
    return order_request(connection, c, request, now_ms, out);
  }
  if (args_not_array) return invalid();
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

void OkxStreams::order_request(std::uint64_t id, const Connection& c, const OrderRequestFrame& request,
                               std::int64_t now_ms, std::vector<WsOutput>& out) {
  OkxOpReply reply;
  if (!c.account) {
    reply = OkxOpReply{60011, "Please log in", "[]"};
  } else if (request.expire_time_ms && *request.expire_time_ms <= 0) {
    reply = OkxOpReply{51000, "Parameter expTime error", "[]"};
  } else if (request.expire_time_ms && *request.expire_time_ms < now_ms) {
    reply = OkxOpReply{50036, "The expTime can't be earlier than the current system time. Please adjust the expTime "
                              "and try again.",
                       "[]"};
  } else if (!request.args) {
    reply = OkxOpReply{60013, "Invalid args", "[]"};
  } else {
    reply = front_.ws_order(*c.account, request.op, request.batch, *request.args, now_ms);
  }
  if (reply.code != 0 && reply.code != 1 && reply.code != 2) ++connections_.stats().errors;
  // OKX's gateway times are in microseconds; the simulator's clock has milliseconds.
  std::string frame = fmt::format(R"({{"id":"{}","op":"{}","data":{},"code":"{}","msg":)", request.id, request.name,
                                  reply.data, reply.code);
  append_json_string(frame, reply.msg);
  fmt::format_to(std::back_inserter(frame), R"(,"inTime":"{}","outTime":"{}"}})", now_ms * 1000, now_ms * 1000);
  if (connections_.lose_reply()) return;  // executed, never answered
  connections_.send(id, std::move(frame), out);
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
    first = account_frame(*c.account, nullptr, now_ms);
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
  return book_frame(inst_id, "snapshot", view.bids, view.asks, view, -1, now_ms);
}

std::string OkxStreams::book_frame(std::string_view inst_id, std::string_view action, const std::vector<Level>& bids,
                                   const std::vector<Level>& asks, const PublishedBook& after,
                                   std::int64_t prev_seq_id, std::int64_t now_ms) {
  std::string frame =
      fmt::format(R"({{"arg":{{"channel":"books","instId":"{}"}},"action":"{}","data":[{{"asks":)", inst_id, action);
  detail::okx_levels(frame, asks);
  frame.append(R"(,"bids":)");
  detail::okx_levels(frame, bids);
  fmt::format_to(std::back_inserter(frame), R"(,"ts":"{}","checksum":{},"prevSeqId":{},"seqId":{}}}]}})", now_ms,
                 okx_book_checksum(after.bids, after.asks), prev_seq_id, after.seq_id);
  return frame;
}

std::string OkxStreams::top_frame(const std::string& market, std::int64_t now_ms) const {
  const PublishedTop& top = tops_.at(market);
  const auto side = [](const std::optional<Level>& level) {
    return level ? std::vector<Level>{*level} : std::vector<Level>{};
  };
  std::string frame = fmt::format(R"({{"arg":{{"channel":"bbo-tbt","instId":"{}"}},"data":[{{"asks":)",
                                  engine_.instrument(market)->venue_symbol);
  detail::okx_levels(frame, side(top.ask));
  frame.append(R"(,"bids":)");
  detail::okx_levels(frame, side(top.bid));
  const auto seq = sequences_.find(market);
  fmt::format_to(std::back_inserter(frame), R"(,"ts":"{}","seqId":{}}}]}})", now_ms,
                 seq == sequences_.end() ? 0 : seq->second);
  return frame;
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
        const std::int64_t prev_seq_id = view.seq_id;
        view.bids = std::move(bids);
        view.asks = std::move(asks);
        view.seq_id = seq_id;
        publish(topic, book_frame(inst_id, "update", bid_changes, ask_changes, view, prev_seq_id, now_ms), out);
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
    std::string frame = fmt::format(R"({{"arg":{{"channel":"trades","instId":"{}"}},"data":[)", inst_id);
    for (std::size_t i = 0; i < changes.trades.size(); ++i) {
      const Trade& t = changes.trades[i];
      fmt::format_to(std::back_inserter(frame),
                     R"({}{{"instId":"{}","tradeId":"{}","px":"{}","sz":"{}","side":"{}","ts":"{}","count":"1"}})",
                     i == 0 ? "" : ",", inst_id, t.id, t.price, t.quantity, t.is_buyer_maker ? "sell" : "buy",
                     t.time_ms);
    }
    frame.append("]}");
    publish(topic, frame, out);
  }
}

void OkxStreams::tick(std::int64_t now_ms, std::vector<WsOutput>& out) {
  for (auto& [id, c] : connections_) {
    if (c.dropped || now_ms - c.last_heard_ms <= kIdleLimitMs) continue;
    c.dropped = true;
    out.push_back(WsOutput{id, {}, true, false});
  }
  connections_.erase_dropped();
  emit_positions(out);
  emit_private(now_ms, out);
  for (const std::string& market : engine_.markets()) emit_market(market, now_ms, out);
}

std::string OkxStreams::account_frame(AccountId account, const std::vector<AssetBalance>* only,
                                      std::int64_t now_ms) const {
  const auto selected = [&](const std::string& ccy) {
    return only == nullptr ||
           std::any_of(only->begin(), only->end(), [&](const AssetBalance& a) { return a.asset == ccy; });
  };
  std::string frame = fmt::format(R"({{"arg":{{"channel":"account","uid":"{}"}},"data":[)", account);
  detail::okx_account_json(frame, engine_, account, selected, now_ms);
  frame.append("]}");
  return frame;
}

std::string OkxStreams::positions_frame(Connection& c, std::string_view topic_type, bool initial) {
  std::string data;
  for (const auto& [market, held] : engine_.positions(*c.account)) {
    const Instrument* in = engine_.instrument(market);
    if (in == nullptr || !detail::is_okx_swap(*in) || !covers(topic_type, "SWAP")) continue;
    const auto [seen, fresh] = c.position_seqs.try_emplace(market, held.seq);
    if (initial ? held.size.is_zero() : (!fresh && seen->second == held.seq)) continue;
    seen->second = held.seq;
    if (!data.empty()) data.push_back(',');
    detail::okx_position_json(data, engine_, market, held, front_.margin_mode(*c.account, market));
  }
  if (data.empty() && !initial) return {};
  return fmt::format(R"({{"arg":{{"channel":"positions","instType":"{}"}},"data":[{}]}})", topic_type, data);
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
    const std::string_view type = detail::okx_inst_type(*in);
    OrderTotals& totals = order_totals_[o.id];
    const Fill* fill = event.fill ? &*event.fill : nullptr;
    if (fill != nullptr) {
      totals.fee += fill->commission;
      totals.pnl += fill->realised_pnl;
    }
    // Each listener hears the order once, under the instType it subscribed ("ANY" or the order's).
    std::string order;
    for (const auto& [id, c] : connections_) {
      if (c.account != o.account) continue;
      const std::string_view heard = c.topics.contains(fmt::format("orders:{}", type)) ? type
                                     : c.topics.contains("orders:ANY")                 ? std::string_view("ANY")
                                                                                       : std::string_view();
      if (heard.empty()) continue;
      if (order.empty()) order = order_object(o, *in, totals, fill);
      connections_.send(
          id, fmt::format(R"({{"arg":{{"channel":"orders","instType":"{}"}},"data":[{}]}})", heard, order), out);
    }
    if (!is_open(o.status)) order_totals_.erase(o.id);
    if (event.balances.empty()) continue;
    std::string account;
    for (const auto& [id, c] : connections_) {
      if (c.account != o.account || !c.topics.contains("account")) continue;
      if (account.empty()) account = account_frame(o.account, &event.balances, now_ms);
      connections_.send(id, account, out);
    }
  }
}

std::string OkxStreams::order_object(const Order& o, const Instrument& in, const OrderTotals& totals,
                                     const Fill* fill) const {
  detail::OkxOrderFacts facts;
  facts.cl_ord_id = front_.cl_ord_id(o);
  facts.td_mode = front_.trade_mode(o);
  facts.tgt_ccy = front_.target_currency(o);
  facts.fee = totals.fee;
  facts.pnl = totals.pnl;
  facts.last = fill;
  std::string object;
  detail::okx_order_json(object, o, in, engine_.leverage(o.account, o.symbol), facts);
  // The channel's order carries its last fill's fee, fee currency, PnL and liquidity
  // ("Order channel": fillFee, fillFeeCcy, fillPnl, execType T taker or M maker).
  object.pop_back();
  if (fill != nullptr) {
    fmt::format_to(std::back_inserter(object),
                   R"(,"fillFee":"{}","fillFeeCcy":"{}","fillPnl":"{}","execType":"{}","amendResult":"","code":"0","msg":""}})",
                   -fill->commission, fill->commission_asset, fill->realised_pnl, fill->is_maker ? "M" : "T");
  } else {
    object.append(R"(,"fillFee":"","fillFeeCcy":"","fillPnl":"","execType":"","amendResult":"","code":"0","msg":""})");
  }
  return object;
}

}  // namespace cts::sim
