#pragma once
/// \file
/// Bybit v5 WebSocket frames (bybit-exchange/docs v5 websocket/): the frames to send
/// (subscribe, unsubscribe, ping; the private `auth` frame is BybitSigner::ws_auth_frame)
/// and one parser for every frame received, into unified events: `orderbook.{depth}.{symbol}`
/// snapshots and deltas, `publicTrade.{symbol}`, `tickers.{symbol}`, and the private
/// `order`, `execution`, `position` and `wallet` topics, plus the replies to our `op`
/// requests. Private topics carry the same objects as the REST lists and are read by the
/// same readers.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "cts/venue/bybit/account.hpp"
#include "cts/venue/bybit/orders.hpp"
#include "cts/venue/json_body.hpp"

namespace cts::venue::bybit {

/// Public stream of spot (websocket/public; mainnet).
inline constexpr std::string_view kPublicSpotStreamUrl = "wss://stream.bybit.com/v5/public/spot";
/// Public stream of linear contracts (mainnet).
inline constexpr std::string_view kPublicLinearStreamUrl = "wss://stream.bybit.com/v5/public/linear";
/// Private stream (mainnet; testnet stream-testnet.bybit.com, demo stream-demo.bybit.com).
inline constexpr std::string_view kPrivateStreamUrl = "wss://stream.bybit.com/v5/private";
/// The application-level heartbeat Bybit asks for (every 20 s).
inline constexpr std::string_view kPingFrame = R"({"op":"ping"})";
/// How far ahead of the venue's clock cts sets the expiry of an `auth` frame (private and
/// trade streams).
inline constexpr std::int64_t kAuthExpiryMs = 10'000;

/// "orderbook.<depth>.<symbol>" (depth 1, 50, 200 or 1000).
inline std::string orderbook_topic(int depth, std::string_view symbol) {
  return fmt::format("orderbook.{}.{}", depth, symbol);
}
/// "publicTrade.<symbol>".
inline std::string trade_topic(std::string_view symbol) { return fmt::format("publicTrade.{}", symbol); }
/// "tickers.<symbol>".
inline std::string ticker_topic(std::string_view symbol) { return fmt::format("tickers.{}", symbol); }

/// `{"req_id":"<req_id>","op":"subscribe","args":[topics...]}` (req_id left out when
/// empty); topics are escaped as JSON strings.
inline std::string subscribe_frame(std::span<const std::string> topics, std::string_view req_id = {},
                                   std::string_view op = "subscribe") {
  JsonBody body;
  body.begin_object();
  if (!req_id.empty()) body.string("req_id", req_id);
  body.string("op", op).begin_array("args");
  std::string out = std::move(body).take();
  for (std::size_t i = 0; i < topics.size(); ++i) {
    if (i != 0) out.push_back(',');
    append_json_string(out, topics[i]);
  }
  out.append("]}");
  return out;
}
/// The unsubscribe frame for `topics`.
inline std::string unsubscribe_frame(std::span<const std::string> topics, std::string_view req_id = {}) {
  return subscribe_frame(topics, req_id, "unsubscribe");
}

/// An order book message: a snapshot replaces the local book, a delta changes levels
/// (quantity 0 removes the level). book.last_update_id is `u` (a snapshot with u = 1
/// follows a service restart), book.sequence `seq`, book.event_time_ms `ts`.
struct BookUpdate {
  std::string symbol;     ///< Symbol (`data.s`).
  bool snapshot = false;  ///< True for `type` snapshot.
  BookSnapshot book;      ///< Levels and sequence numbers.
};

/// `publicTrade` trades (`i` id, `p` price, `v` quantity, `T` time; a Sell taker means
/// the buyer was the maker).
struct TradesUpdate {
  std::string symbol;         ///< Symbol of the first trade (a frame carries one topic).
  std::vector<Trade> trades;  ///< Trades, oldest first.
};

/// Which Ticker fields a `tickers` frame carried (deltas carry only what changed).
enum TickerField : std::uint16_t {
  kTickerBid = 1u << 0,       ///< bid1Price.
  kTickerBidSize = 1u << 1,   ///< bid1Size.
  kTickerAsk = 1u << 2,       ///< ask1Price.
  kTickerAskSize = 1u << 3,   ///< ask1Size.
  kTickerLast = 1u << 4,      ///< lastPrice.
  kTickerMark = 1u << 5,      ///< markPrice.
  kTickerIndex = 1u << 6,     ///< indexPrice.
  kTickerVolume = 1u << 7,    ///< volume24h.
  kTickerTurnover = 1u << 8,  ///< turnover24h.
};

/// A `tickers` message. A snapshot carries every field; a linear delta only those that
/// changed: merge_into() copies the fields present onto the ticker kept so far.
struct TickerUpdate {
  bool snapshot = false;      ///< True for `type` snapshot (spot always sends snapshots).
  Ticker ticker;              ///< The values sent (0 for fields not sent).
  std::uint16_t present = 0;  ///< TickerField bits of the fields sent.

  /// Copies the fields present onto `current` (and the symbol and time).
  void merge_into(Ticker& current) const {
    current.symbol = ticker.symbol;
    current.time_ms = ticker.time_ms;
    if (present & kTickerBid) current.bid_price = ticker.bid_price;
    if (present & kTickerBidSize) current.bid_quantity = ticker.bid_quantity;
    if (present & kTickerAsk) current.ask_price = ticker.ask_price;
    if (present & kTickerAskSize) current.ask_quantity = ticker.ask_quantity;
    if (present & kTickerLast) current.last_price = ticker.last_price;
    if (present & kTickerMark) current.mark_price = ticker.mark_price;
    if (present & kTickerIndex) current.index_price = ticker.index_price;
    if (present & kTickerVolume) current.volume_24h = ticker.volume_24h;
    if (present & kTickerTurnover) current.turnover_24h = ticker.turnover_24h;
  }
};

/// Private `order` topic: the orders whose state changed.
struct OrdersUpdate {
  std::vector<OrderReport> orders;  ///< Orders as reported.
};
/// Private `execution` topic: our executions (Funding entries left out).
struct ExecutionsUpdate {
  std::vector<AccountTrade> executions;  ///< Executions.
};
/// One position of the private `position` topic, with its category.
struct StreamPosition {
  std::string category;  ///< `category`: "linear", "inverse" or "option"; empty when the object has none.
  Position position;     ///< The position as reported (entryPrice as its entry price).
};
/// Private `position` topic (or `position.<category>`).
struct PositionsUpdate {
  std::int64_t time_ms = 0;               ///< The frame's creationTime.
  std::vector<StreamPosition> positions;  ///< Positions as reported.
};
/// Private `wallet` topic: one Balance per coin (as parse_wallet_balance()).
struct WalletUpdate {
  std::vector<Balance> balances;  ///< Balances.
};
/// The reply to one of our `op` frames (auth, subscribe, unsubscribe, ping).
struct OpReply {
  std::string op;        ///< The op answered.
  bool success = false;  ///< Whether it succeeded (a pong has no `success`: true).
  std::string message;   ///< ret_msg.
  std::string req_id;    ///< Our req_id, when we sent one.
};

/// Every frame parse_stream_event() understands.
using StreamEvent = std::variant<BookUpdate, TradesUpdate, TickerUpdate, OrdersUpdate, ExecutionsUpdate,
                                 PositionsUpdate, WalletUpdate, OpReply>;

namespace detail {

using cts::venue::detail::Lookup;

/// Reads one publicTrade element.
inline bool read_public_trade(od::value& value, FieldReader& fields, Trade& trade, std::string& symbol) {
  static constexpr std::string_view kRequired[] = {"i", "p", "v", "T", "S"};
  Seen seen;
  Side taker = Side::buy;
  const bool ok = visit_object(value, fields, "data[]", [&](std::string_view key, od::value& v) {
    if (key == "i") return seen.mark(0), fields.string_id(v, trade.id, key);
    if (key == "p") return seen.mark(1), fields.decimal(v, trade.price, key);
    if (key == "v") return seen.mark(2), fields.decimal(v, trade.quantity, key);
    if (key == "T") return seen.mark(3), fields.int64(v, trade.time_ms, key);
    if (key == "S") return seen.mark(4), fields.enumeration(v, taker, key, parse_side);
    if (key == "s" && symbol.empty()) return fields.string(v, symbol, key);
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  trade.buyer_is_maker = taker == Side::sell;
  return true;
}

/// Reads a tickers `data` object.
inline bool read_ticker_update(od::value& value, FieldReader& fields, TickerUpdate& update) {
  Ticker& t = update.ticker;
  bool has_symbol = false;
  auto field = [&](od::value& v, Decimal& out, TickerField bit, std::string_view key) {
    update.present |= bit;
    return decimal_or_empty(fields, v, out, key);
  };
  return visit_object(value, fields, "data",
                      [&](std::string_view key, od::value& v) {
                        if (key == "symbol") return has_symbol = true, fields.string(v, t.symbol, key);
                        if (key == "bid1Price") return field(v, t.bid_price, kTickerBid, key);
                        if (key == "bid1Size") return field(v, t.bid_quantity, kTickerBidSize, key);
                        if (key == "ask1Price") return field(v, t.ask_price, kTickerAsk, key);
                        if (key == "ask1Size") return field(v, t.ask_quantity, kTickerAskSize, key);
                        if (key == "lastPrice") return field(v, t.last_price, kTickerLast, key);
                        if (key == "markPrice") return field(v, t.mark_price, kTickerMark, key);
                        if (key == "indexPrice") return field(v, t.index_price, kTickerIndex, key);
                        if (key == "volume24h") return field(v, t.volume_24h, kTickerVolume, key);
                        if (key == "turnover24h") return field(v, t.turnover_24h, kTickerTurnover, key);
                        return true;
                      }) &&
         (has_symbol || fields.missing("data.symbol"));
}

/// Reads an orderbook `data` object.
inline bool read_book_update(od::value& value, FieldReader& fields, BookUpdate& update) {
  static constexpr std::string_view kRequired[] = {"s", "b", "a", "u"};
  Seen seen;
  return visit_object(value, fields, "data",
                      [&](std::string_view key, od::value& v) {
                        if (key == "s") return seen.mark(0), fields.string(v, update.symbol, key);
                        if (key == "b")
                          return seen.mark(1), cts::venue::detail::price_levels(v, fields, "b", update.book.bids);
                        if (key == "a")
                          return seen.mark(2), cts::venue::detail::price_levels(v, fields, "a", update.book.asks);
                        if (key == "u") return seen.mark(3), fields.uint64(v, update.book.last_update_id, key);
                        if (key == "seq") return fields.uint64(v, update.book.sequence, key);
                        return true;
                      }) &&
         seen.require(fields, kRequired);
}

/// Reads `data` (an array of objects) through `element(value, fields, item)` into `out`.
template <class T, class Element>
bool data_list(od::value& data, FieldReader& fields, std::vector<T>& out, Element&& element) {
  return visit_array(data, fields, "data",
                     [&](od::value& item, std::size_t) { return element(item, fields, out.emplace_back()); });
}

/// Reads a topic frame whose `topic` is `topic`.
inline bool read_topic_frame(od::object& object, FieldReader& fields, std::string_view topic, StreamEvent& out) {
  std::string type;
  od::value value;
  Lookup found = cts::venue::detail::find_field(object, "type", value, fields);
  if (found == Lookup::failed) return false;
  if (found == Lookup::found && !fields.string(value, type, "type")) return false;
  std::int64_t time = 0;
  found = cts::venue::detail::find_field(object, "ts", value, fields);
  if (found == Lookup::failed) return false;
  if (found == Lookup::absent) found = cts::venue::detail::find_field(object, "creationTime", value, fields);
  if (found == Lookup::failed) return false;
  if (found == Lookup::found && !fields.int64(value, time, "ts")) return false;
  od::value data;
  found = cts::venue::detail::find_field(object, "data", data, fields);
  if (found == Lookup::failed) return false;
  if (found == Lookup::absent) return fields.missing("data");
  const bool snapshot = type == "snapshot";
  if (!type.empty() && !snapshot && type != "delta") return fields.fail("type", "is not snapshot or delta");
  if (topic.starts_with("orderbook.")) {
    BookUpdate update;
    update.snapshot = snapshot;
    if (type.empty()) return fields.missing("type");
    if (!read_book_update(data, fields, update)) return false;
    update.book.event_time_ms = time;
    out = std::move(update);
    return true;
  }
  if (topic.starts_with("publicTrade.")) {
    TradesUpdate update;
    if (!visit_array(data, fields, "data", [&](od::value& item, std::size_t) {
          return read_public_trade(item, fields, update.trades.emplace_back(), update.symbol);
        })) {
      return false;
    }
    out = std::move(update);
    return true;
  }
  if (topic.starts_with("tickers.")) {
    TickerUpdate update;
    update.snapshot = snapshot;
    if (!read_ticker_update(data, fields, update)) return false;
    update.ticker.time_ms = time;
    out = std::move(update);
    return true;
  }
  if (topic == "order" || topic.starts_with("order.")) {
    OrdersUpdate update;
    if (!data_list(data, fields, update.orders, read_order)) return false;
    out = std::move(update);
    return true;
  }
  if (topic == "execution" || topic.starts_with("execution.")) {
    ExecutionsUpdate update;
    if (!visit_array(data, fields, "data", [&](od::value& item, std::size_t) {
          AccountTrade trade;
          bool skip = false;
          if (!read_execution(item, fields, trade, skip)) return false;
          if (!skip) update.executions.push_back(std::move(trade));
          return true;
        })) {
      return false;
    }
    out = std::move(update);
    return true;
  }
  if (topic == "position" || topic.starts_with("position.")) {
    PositionsUpdate update;
    update.time_ms = time;
    if (!visit_array(data, fields, "data", [&](od::value& item, std::size_t) {
          StreamPosition& entry = update.positions.emplace_back();
          return read_position_with(item, fields, entry.position, [&](std::string_view key, od::value& v) {
            return key != "category" || fields.string(v, entry.category, key);
          });
        })) {
      return false;
    }
    out = std::move(update);
    return true;
  }
  if (topic == "wallet") {
    WalletUpdate update;
    if (!visit_array(data, fields, "data", [&](od::value& item, std::size_t) {
          return read_wallet_account(item, fields, update.balances);
        })) {
      return false;
    }
    out = std::move(update);
    return true;
  }
  return fields.fail("topic", fmt::format("has unknown value \"{}\"", topic.substr(0, 48)));
}

/// Reads the reply to an `op` frame.
inline bool read_op_reply(od::object& object, FieldReader& fields, OpReply& reply) {
  bool has_op = false;
  bool has_success = false;
  if (!fields.check(object.reset().error())) return false;
  const bool ok = for_each_field(object, fields, [&](std::string_view key, od::value& v) {
    if (key == "op") return has_op = true, fields.string(v, reply.op, key);
    if (key == "success") return has_success = true, fields.boolean(v, reply.success, key);
    if (key == "ret_msg") return fields.optional_string(v, reply.message, key);
    if (key == "req_id") return fields.optional_string(v, reply.req_id, key);
    return true;
  });
  if (!ok) return false;
  if (!has_op) return fields.missing("op");
  if (!has_success) reply.success = reply.op == "pong" || reply.op == "ping";
  return true;
}

}  // namespace detail

/// Parses one frame received on a public or private stream. Errors: protocol_error
/// naming the field for malformed JSON, an unknown topic, a missing `data`, `type`
/// (order book) or required member, or an enum word Bybit does not document; nothing
/// else is assumed about the frame. A failed `op` (success false) is an OpReply, not an
/// error: the caller decides (an auth failure stops the private stream).
inline Result<StreamEvent> parse_stream_event(std::string_view frame, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  FieldReader fields("bybit stream");
  auto document = reader.iterate(frame);
  if (document.error()) {
    fields.fail_document(document.error());
    return fields.take_error();
  }
  StreamEvent out;
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& object) {
    od::value value;
    const Lookup found = cts::venue::detail::find_field(object, "topic", value, fields);
    if (found == Lookup::failed) return false;
    if (found == Lookup::absent) {
      OpReply reply;
      if (!read_op_reply(object, fields, reply)) return false;
      out = std::move(reply);
      return true;
    }
    std::string topic;
    if (!fields.string(value, topic, "topic")) return false;
    if (!read_topic_frame(object, fields, topic, out)) return false;
    return cts::venue::detail::finish_object(object, fields);
  });
  if (!ok) return fields.take_error();
  return out;
}

}  // namespace cts::venue::bybit
