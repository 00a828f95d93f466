// The BingX swap WebSocket side (market data): GZIP binary frames, Ping every 5 s,
// partial depth subscriptions pushed whole every 500 ms (BingX docs v3, "WebSocket
// Rules" and "Partial Order Book Depth").
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
    : engine_(engine), front_(front), connections_(faults, 0xB1E6) {}

bool BingxStreams::open(std::uint64_t connection, std::string_view target, std::int64_t now_ms) {
  const std::size_t question = target.find('?');
  if (target.substr(0, question) != "/swap-market") return false;
  if (question != std::string_view::npos) {
    const std::string_view query = target.substr(question + 1);
    if (!query.starts_with("listenKey=") || !front_.listen_key_account(query.substr(10), now_ms)) return false;
  }
  connections_.open(connection, Connection{false, {}, now_ms + kBingxDepthEveryMs, now_ms + kBingxPingEveryMs});
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
  if (text == "Pong" || text == "Ping") return;
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
  if (depth_frame(wanted, now_ms).empty()) {
    ++connections_.stats().errors;
    send(connection, subscription_reply(id, 80015, "dataType not supported"), out);
    return;
  }
  if (type == "sub") {
    c->depths.insert(wanted);
  } else {
    c->depths.erase(wanted);
  }
  send(connection, subscription_reply(id, 0, ""), out);
}

std::string BingxStreams::depth_frame(const std::string& data_type, std::int64_t now_ms) const {
  // "<symbol>@depth<levels>@<interval>"
  const std::size_t at = data_type.find("@depth");
  if (at == std::string::npos) return {};
  const std::size_t second = data_type.find('@', at + 6);
  if (second == std::string::npos || second + 1 >= data_type.size()) return {};
  int levels = 0;
  const char* first = data_type.data() + at + 6;
  const auto [end, ec] = std::from_chars(first, data_type.data() + second, levels);
  if (ec != std::errc{} || end != data_type.data() + second ||
      std::find(kBingxStreamLevels.begin(), kBingxStreamLevels.end(), levels) == kBingxStreamLevels.end()) {
    return {};
  }
  const std::string market = market_key(InstrumentKind::linear_perpetual, data_type.substr(0, at));
  if (engine_.instrument(market) == nullptr) return {};
  auto [bids, asks] = engine_.depth(market, static_cast<std::size_t>(levels));
  std::reverse(asks.begin(), asks.end());  // as the docs print them: highest first
  std::string frame = R"({"code":0,"dataType":)";
  append_json_string(frame, data_type);
  fmt::format_to(std::back_inserter(frame), R"(,"ts":{},"data":{{"bids":[)", now_ms);
  for (std::size_t i = 0; i < bids.size(); ++i) {
    fmt::format_to(std::back_inserter(frame), R"({}["{}","{}"])", i == 0 ? "" : ",", bids[i].price, bids[i].quantity);
  }
  frame += R"(],"asks":[)";
  for (std::size_t i = 0; i < asks.size(); ++i) {
    fmt::format_to(std::back_inserter(frame), R"({}["{}","{}"])", i == 0 ? "" : ",", asks[i].price, asks[i].quantity);
  }
  frame += "]}}";
  return frame;
}

void BingxStreams::tick(std::int64_t now_ms, std::vector<WsOutput>& out) {
  connections_.erase_dropped();
  for (auto& [id, c] : connections_) {
    if (c.dropped) continue;
    if (now_ms >= c.next_ping_ms) {
      c.next_ping_ms = now_ms + kBingxPingEveryMs;
      send(id, "Ping", out);
    }
    if (now_ms < c.next_depth_ms) continue;
    c.next_depth_ms = now_ms + kBingxDepthEveryMs;
    for (const std::string& data_type : c.depths) {
      if (c.dropped) break;
      send(id, depth_frame(data_type, now_ms), out);
    }
  }
}

}  // namespace cts::sim
