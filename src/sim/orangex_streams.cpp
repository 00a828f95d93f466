// The OrangeX WebSocket side: heartbeat, JSON-RPC calls over the front, and the book
// channels' pushes.
#include "cts/sim/orangex_streams.hpp"

#include <string>

#include <fmt/format.h>
#include <simdjson.h>

#include "cts/core/json_string.hpp"

namespace cts::sim {

namespace {
// Mixed into the fault seed so the WebSocket dice differ from the REST front's.
constexpr std::uint64_t kFaultSalt = 0x4f52414e4745ULL;
}  // namespace

OrangexStreams::OrangexStreams(MatchingEngine& engine, OrangexFront& front, const FaultConfig& faults)
    : engine_(engine), front_(front), connections_(faults, kFaultSalt) {
  engine_.record_events(true);
}

bool OrangexStreams::open(std::uint64_t connection, std::string_view target, std::int64_t /*now_ms*/) {
  if (target != "/ws/api/v1") return false;
  connections_.open(connection, Connection{});
  return true;
}

bool OrangexStreams::subscribe(std::uint64_t id, Connection& c, std::string_view text, std::vector<WsOutput>& out) {
  simdjson::dom::parser parser;
  simdjson::dom::object call;
  if (parser.parse(text.data(), text.size()).get(call) != simdjson::SUCCESS) return false;
  std::string_view method;
  if (call["method"].get(method) != simdjson::SUCCESS) return false;
  const bool is_private = method == "/private/subscribe";
  if (!is_private && method != "/public/subscribe") return false;
  std::string call_id = "null";
  if (simdjson::dom::element element; call["id"].get(element) == simdjson::SUCCESS) call_id = simdjson::minify(element);
  const auto refuse = [&](int code, std::string_view message) {
    ++connections_.stats().errors;
    connections_.send(id, fmt::format(R"({{"jsonrpc":"2.0","id":{},"error":{{"message":"{}","code":{}}}}})", call_id,
                                      message, code),
                      out);
    return true;
  };
  if (is_private && !c.session.account) return refuse(13009, "unauthorized: /public/auth on this connection first");
  simdjson::dom::array channels;
  if (call["params"]["channels"].get(channels) != simdjson::SUCCESS) return refuse(11029, "invalid_arguments: channels");
  // What each channel subscribes: (kind, market or currency).
  std::vector<std::pair<char, std::string>> wanted;
  std::string result = "[";
  for (const auto element : channels) {
    std::string_view channel;
    if (element.get(channel) != simdjson::SUCCESS) return refuse(11029, "invalid_arguments: channels");
    const auto instrument_of = [&](std::string_view prefix) -> std::string {
      if (!channel.starts_with(prefix) || !channel.ends_with(".raw")) return {};
      return front_.market_of(channel.substr(prefix.size(), channel.size() - prefix.size() - 4));
    };
    char kind = 0;
    std::string target;
    if (!is_private) {
      kind = 'b';
      target = instrument_of("book.");
    } else if (channel.starts_with("user.orders.")) {
      kind = 'o';
      target = instrument_of("user.orders.");
    } else if (channel.starts_with("user.trades.")) {
      kind = 't';
      target = instrument_of("user.trades.");
    } else if (channel.starts_with("user.portfolio.")) {
      kind = 'p';
      target = std::string(channel.substr(15));
      if (target != kSettlementCurrency) target.clear();
    }
    if (target.empty()) return refuse(11029, "invalid_arguments: channels");
    wanted.emplace_back(kind, std::move(target));
    if (result.size() > 1) result.push_back(',');
    append_json_string(result, channel);
  }
  for (auto& [kind, target] : wanted) {
    std::set<std::string>& into = kind == 'b' ? c.books : kind == 'o' ? c.orders : kind == 't' ? c.trades : c.portfolios;
    into.insert(std::move(target));
  }
  result.push_back(']');
  connections_.send(id, fmt::format(R"({{"jsonrpc":"2.0","id":{},"result":{}}})", call_id, result), out);
  return true;
}

void OrangexStreams::emit_private(std::vector<WsOutput>& out) {
  for (const ExecutionEvent& event : engine_.take_events()) {
    const Order& o = event.order;
    const Instrument& in = *engine_.instrument(o.symbol);
    for (auto& [id, c] : connections_) {
      if (c.dropped || c.session.account != o.account) continue;
      // Trades first: the client joins each to the order's state it last saw.
      if (event.fill && c.trades.contains(o.symbol)) {
        std::string frame = fmt::format(R"({{"jsonrpc":"2.0","method":"subscription","params":{{"channel":"user.trades.{}.raw","data":[)",
                                        in.venue_symbol);
        front_.trade_json(frame, *event.fill);
        frame += "]}}";
        connections_.send(id, std::move(frame), out);
      }
      if (c.orders.contains(o.symbol)) {
        std::string frame = fmt::format(R"({{"jsonrpc":"2.0","method":"subscription","params":{{"channel":"user.orders.{}.raw","data":)",
                                        in.venue_symbol);
        front_.order_json(frame, o);
        frame += "}}";
        connections_.send(id, std::move(frame), out);
      }
      if (event.balances.empty()) continue;
      for (const std::string& currency : c.portfolios) {
        std::string frame = fmt::format(R"({{"jsonrpc":"2.0","method":"subscription","params":{{"channel":"user.portfolio.{}","data":)",
                                        currency);
        front_.account_summary_json(frame, o.account, currency);
        frame += "}}";
        connections_.send(id, std::move(frame), out);
      }
    }
  }
}

void OrangexStreams::message(std::uint64_t connection, std::string_view text, std::int64_t now_ms,
                             std::vector<WsOutput>& out) {
  Connection* c = connections_.live(connection);
  if (c == nullptr) return;
  ++connections_.stats().requests;
  if (text == "PING") return connections_.send(connection, "PONG", out);
  if (subscribe(connection, *c, text, out)) return;
  std::optional<std::string> reply = front_.call(text, c->session, now_ms);
  if (!reply) {
    // The lost_order_replies fault: the call executed, the connection ends unanswered.
    ++connections_.stats().lost_replies;
    return connections_.drop(connection, out);
  }
  if (reply->find(R"("error":)") != std::string::npos) ++connections_.stats().errors;
  connections_.send(connection, std::move(*reply), out);
}

void OrangexStreams::tick(std::int64_t now_ms, std::vector<WsOutput>& out) {
  connections_.erase_dropped();
  emit_private(out);
  for (const std::string& market : engine_.markets()) {
    const MarketChanges changes = engine_.take_market_changes(market);
    if (changes.levels.empty()) continue;
    bool subscribed = false;
    for (const auto& [id, c] : connections_) subscribed = subscribed || (!c.dropped && c.books.contains(market));
    if (!subscribed) continue;
    std::set<std::pair<int, Decimal>> touched;
    for (const LevelChange& level : changes.levels) touched.emplace(level.side == Side::buy ? 0 : 1, level.price);
    std::string bids;
    std::string asks;
    for (const auto& [side, price] : touched) {
      std::string& list = side == 0 ? bids : asks;
      if (!list.empty()) list.push_back(',');
      fmt::format_to(std::back_inserter(list), "[{},{}]", price,
                     engine_.level_quantity(market, side == 0 ? Side::buy : Side::sell, price));
    }
    const Instrument& in = *engine_.instrument(market);
    const std::string frame = fmt::format(
        R"({{"jsonrpc":"2.0","method":"subscription","params":{{"channel":"book.{}.raw","data":{{)"
        R"("instrument_name":"{}","change_id":{},"timestamp":{},"bids":[{}],"asks":[{}]}}}}}})",
        in.venue_symbol, in.venue_symbol, front_.next_book_version(market), now_ms, bids, asks);
    for (auto& [id, c] : connections_) {
      if (!c.dropped && c.books.contains(market)) connections_.send(id, frame, out);
    }
  }
}

}  // namespace cts::sim
