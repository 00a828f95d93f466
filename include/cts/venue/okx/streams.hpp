#pragma once
/// \file
/// OKX v5 WebSocket frames (okx.com/docs-v5/en "WebSocket"): the frames to send
/// (subscribe with channel arguments, the literal text `ping`; the private `login` frame
/// is sign::OkxSigner::ws_login_frame) and one parser for every frame received, into
/// events: the public `books` / `books5` / `bbo-tbt` order book pushes and `trades`, the
/// private `orders`, `positions` and `account` pushes, the `event` replies to our ops
/// (subscribe, login, error, notice) and the `pong` text. Private pushes carry the same
/// objects as the REST lists and are read by the same readers (orders.hpp, account.hpp).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "cts/venue/json_body.hpp"
#include "cts/venue/okx/account.hpp"
#include "cts/venue/okx/book_update.hpp"
#include "cts/venue/okx/detail/books_scanner.hpp"
#include "cts/venue/okx/orders.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::venue::okx {

/// Production WebSocket host (paths kPublicStreamPath, kPrivateStreamPath, `/ws/v5/business`).
inline constexpr std::string_view kStreamBaseUrl = "wss://ws.okx.com:8443";
/// Demo trading WebSocket host (keys created under Demo Trading).
inline constexpr std::string_view kDemoStreamBaseUrl = "wss://wspap.okx.com:8443";
/// The public stream's path (order books, trades, tickers).
inline constexpr std::string_view kPublicStreamPath = "/ws/v5/public";
/// The private stream's path (login, orders, positions, account, order entry).
inline constexpr std::string_view kPrivateStreamPath = "/ws/v5/private";
/// OKX's keep-alive: the literal text `ping` (not JSON), answered `pong`; OKX closes a
/// connection idle for 30 s.
inline constexpr std::string_view kPingFrame = "ping";

/// One argument of a subscribe op: a channel and, where it takes them, the instrument
/// (`instId`, public channels) or instrument type (`instType`, `orders` and `positions`).
struct ChannelArg {
  std::string_view channel;    ///< "books", "trades", "orders", ...
  std::string_view inst_id;    ///< instId, or empty.
  std::string_view inst_type;  ///< instType, or empty.
};

/// `{"op":"subscribe","args":[{"channel":..,"instId":..|"instType":..},...]}` (`op`
/// "unsubscribe" likewise); empty members are left out, values escaped as JSON strings.
inline std::string subscribe_frame(std::span<const ChannelArg> args, std::string_view op = "subscribe") {
  JsonBody body;
  body.begin_object().string("op", op).begin_array("args");
  for (const ChannelArg& arg : args) {
    body.begin_object().string("channel", arg.channel);
    if (!arg.inst_id.empty()) body.string("instId", arg.inst_id);
    if (!arg.inst_type.empty()) body.string("instType", arg.inst_type);
    body.end_object();
  }
  body.end_array().end_object();
  return std::move(body).take();
}

/// A `trades` push.
struct TradesUpdate {
  std::string inst_id;        ///< arg.instId.
  std::vector<Trade> trades;  ///< tradeId, px, sz, ts; a sell taker (`side` sell) means the buyer was the maker.
};

/// An `orders` push: one unified event per order.
struct OrdersUpdate {
  std::vector<OrderUpdate> orders;  ///< In the order sent.
};

/// A reply to one of our ops, or a notice: `{"event":"subscribe"|"login"|"error"|"notice",...}`.
struct EventReply {
  std::string event;      ///< event.
  std::int64_t code = 0;  ///< code (a numeric string; 0 when absent).
  std::string message;    ///< msg.
  std::string channel;    ///< arg.channel, when the reply names one.
};

/// The text `pong`: the answer to our `ping`.
struct Pong {};

/// Every frame parse_stream_event() understands.
using StreamEvent =
    std::variant<BookUpdate, TradesUpdate, OrdersUpdate, PositionsUpdate, BalancesUpdate, EventReply, Pong>;

namespace detail {

using cts::venue::detail::Lookup;

/// The channel, instId and instType of a frame's `arg`.
struct FrameArg {
  std::string_view channel;
  std::string_view inst_id;
  std::string_view inst_type;
};

/// Reads an `arg` object.
inline bool read_arg(od::value& value, FieldReader& fields, FrameArg& arg) {
  return visit_object(value, fields, "arg", [&](std::string_view key, od::value& v) {
    if (key == "channel") return fields.string(v, arg.channel, key);
    if (key == "instId") return fields.string(v, arg.inst_id, key);
    if (key == "instType") return fields.string(v, arg.inst_type, key);
    return true;
  });
}

/// Reads the one object of a book push's `data`. Required: asks, bids, ts; seqId for
/// books (the caller checks).
inline bool read_book_data(od::value& value, FieldReader& fields, BookUpdate& update, bool& has_seq) {
  static constexpr std::string_view kRequired[] = {"asks", "bids", "ts"};
  Seen seen;
  return visit_object(value, fields, "data[]",
                      [&](std::string_view key, od::value& v) {
                        if (key == "asks")
                          return seen.mark(0), cts::venue::detail::price_levels(v, fields, "asks", update.book.asks);
                        if (key == "bids")
                          return seen.mark(1), cts::venue::detail::price_levels(v, fields, "bids", update.book.bids);
                        if (key == "ts") return seen.mark(2), digits_text(fields, v, update.book.event_time_ms, key);
                        if (key == "seqId") return has_seq = true, fields.uint64(v, update.book.last_update_id, key);
                        if (key == "prevSeqId") return fields.int64(v, update.prev_seq_id, key);
                        if (key == "checksum") {
                          int checksum = 0;
                          if (!fields.int32(v, checksum, key)) return false;
                          update.checksum = checksum;
                          return true;
                        }
                        return true;
                      }) &&
         seen.require(fields, kRequired);
}

/// Reads one `trades` element.
inline bool read_public_trade(od::value& value, FieldReader& fields, Trade& trade) {
  static constexpr std::string_view kRequired[] = {"tradeId", "px", "sz", "side", "ts"};
  Seen seen;
  Side taker = Side::buy;
  const bool ok = visit_object(value, fields, "data[]", [&](std::string_view key, od::value& v) {
    if (key == "tradeId") return seen.mark(0), fields.string_id(v, trade.id, key);
    if (key == "px") return seen.mark(1), fields.decimal(v, trade.price, key);
    if (key == "sz") return seen.mark(2), fields.decimal(v, trade.quantity, key);
    if (key == "side") return seen.mark(3), fields.enumeration(v, taker, key, parse_side);
    if (key == "ts") return seen.mark(4), digits_text(fields, v, trade.time_ms, key);
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  trade.buyer_is_maker = taker == Side::sell;
  return true;
}

/// Reads one `orders` element into `update`: the order as read_order_with() reads it,
/// and the execution it reports, if any (a tradeId and a positive fillSz): fillPx,
/// fillSz, −fillFee in fillFeeCcy (OKX writes a charge as a negative amount); a push
/// without fillFee whose fill is the order's only one (fillSz = accFillSz) takes the
/// order's accumulated −fee in feeCcy, any other leaves the commission 0 with no
/// asset. fillPnl → realized_pnl; uTime → event_time_ms; amendResult "0" (amended).
inline bool read_order_update(od::value& value, FieldReader& fields, OrderUpdate& update) {
  std::string trade_id;
  Decimal fill_price;
  Decimal fill_size;
  Decimal fill_fee;
  Decimal fee;
  std::string_view fill_fee_currency;
  std::string_view fee_currency;
  std::string_view amend_result;
  bool has_fill_fee = false;
  const bool ok = read_order_with(value, fields, update.order, [&](std::string_view key, od::value& v) {
    if (key == "tradeId") return fields.string(v, trade_id, key);
    if (key == "fillPx") return decimal_or_empty(fields, v, fill_price, key);
    if (key == "fillSz") return decimal_or_empty(fields, v, fill_size, key);
    if (key == "fillFee") return has_fill_fee = true, decimal_or_empty(fields, v, fill_fee, key);
    if (key == "fillFeeCcy") return fields.string(v, fill_fee_currency, key);
    if (key == "fee") return decimal_or_empty(fields, v, fee, key);
    if (key == "feeCcy") return fields.string(v, fee_currency, key);
    if (key == "fillPnl") return decimal_or_empty(fields, v, update.realized_pnl, key);
    if (key == "amendResult") return fields.string(v, amend_result, key);
    return true;
  });
  if (!ok) return false;
  update.event_time_ms = update.order.time_ms;
  update.amended = amend_result == "0";
  if (trade_id.empty() || !fill_size.is_positive()) return true;
  Fill& fill = update.last_fill.emplace();
  fill.trade_id = std::move(trade_id);
  fill.price = fill_price;
  fill.quantity = fill_size;
  if (has_fill_fee) {
    fill.commission = -fill_fee;
    fill.commission_asset = fill_fee_currency;
  } else if (fill_size == update.order.executed_quantity) {
    fill.commission = -fee;
    fill.commission_asset = fee_currency;
  }
  return true;
}

/// Reads a push's `data` for `arg.channel` (and `action`) into `out`.
inline bool read_push_data(od::value& data, FieldReader& fields, const FrameArg& arg, std::string_view action,
                           StreamEvent& out) {
  const std::string_view channel = arg.channel;
  if (channel == "books" || channel == "books5" || channel == "bbo-tbt") {
    BookUpdate update;
    update.channel = channel;
    update.inst_id = arg.inst_id;
    if (channel == "books") {
      if (action != "snapshot" && action != "update") return fields.fail("action", "is not snapshot or update");
      update.snapshot = action == "snapshot";
    } else {
      update.snapshot = true;
    }
    std::size_t items = 0;
    bool has_seq = false;
    if (!visit_array(data, fields, "data", [&](od::value& item, std::size_t) {
          if (++items > 1) return fields.fail("data", "holds more than one book");
          return read_book_data(item, fields, update, has_seq);
        })) {
      return false;
    }
    if (items == 0) return fields.fail("data", "is empty");
    if (channel == "books" && !has_seq) return fields.missing("seqId");
    out = std::move(update);
    return true;
  }
  if (channel == "trades") {
    TradesUpdate update;
    update.inst_id = arg.inst_id;
    if (!visit_array(data, fields, "data", [&](od::value& item, std::size_t) {
          return read_public_trade(item, fields, update.trades.emplace_back());
        })) {
      return false;
    }
    out = std::move(update);
    return true;
  }
  if (channel == "orders") {
    OrdersUpdate update;
    if (!visit_array(data, fields, "data", [&](od::value& item, std::size_t) {
          return read_order_update(item, fields, update.orders.emplace_back());
        })) {
      return false;
    }
    out = std::move(update);
    return true;
  }
  if (channel == "positions") {
    PositionsUpdate update;
    if (!visit_array(data, fields, "data", [&](od::value& item, std::size_t) {
          return read_position(item, fields, update.positions.emplace_back());
        })) {
      return false;
    }
    for (const Position& position : update.positions) {
      if (position.update_time_ms > update.event_time_ms) update.event_time_ms = position.update_time_ms;
    }
    out = std::move(update);
    return true;
  }
  if (channel == "account") {
    BalancesUpdate update;
    if (!visit_array(data, fields, "data", [&](od::value& item, std::size_t) {
          return read_balance_account(item, fields, update.balances);
        })) {
      return false;
    }
    out = std::move(update);
    return true;
  }
  return fields.fail("arg.channel", fmt::format("has unknown value \"{}\"", channel.substr(0, 48)));
}

/// Reads a push (`arg`, `action`, `data`) from the start of `object`. OKX writes `arg`
/// and `action` before `data`: the members are then read in one pass; otherwise `data`
/// is looked up again once the others are known.
inline bool read_push(od::object& object, FieldReader& fields, StreamEvent& out) {
  FrameArg arg;
  std::string_view action;
  bool has_arg = false;
  bool has_data = false;
  bool read = false;
  const bool ok = for_each_field(object, fields, [&](std::string_view key, od::value& value) {
    if (key == "arg") return has_arg = true, read_arg(value, fields, arg);
    if (key == "action") return fields.string(value, action, key);
    if (key != "data") return true;
    has_data = true;
    if (!has_arg || (arg.channel == "books" && action.empty())) return true;
    read = true;
    return read_push_data(value, fields, arg, action, out);
  });
  if (!ok || read) return ok;
  if (!has_arg) return fields.missing("arg");
  if (!has_data) return fields.missing("data");
  if (!fields.check(object.reset().error())) return false;
  od::value data;
  if (cts::venue::detail::find_field(object, "data", data, fields) != Lookup::found) return false;
  return read_push_data(data, fields, arg, action, out) && cts::venue::detail::finish_object(object, fields);
}

/// Reads an `event` frame.
inline bool read_event_reply(od::object& object, FieldReader& fields, EventReply& reply) {
  if (!fields.check(object.reset().error())) return false;
  return for_each_field(object, fields, [&](std::string_view key, od::value& v) {
    if (key == "event") return fields.string(v, reply.event, key);
    if (key == "code") return fields.int64_or_text(v, reply.code, key);
    if (key == "msg") return fields.optional_string(v, reply.message, key);
    if (key == "arg") {
      FrameArg arg;
      if (!read_arg(v, fields, arg)) return false;
      reply.channel = arg.channel;
    }
    return true;
  });
}

/// parse_stream_event() with simdjson on demand for every frame: what the books scanner
/// (books_scanner.hpp) must agree with. Same errors as parse_stream_event().
inline Result<StreamEvent> parse_stream_event_on_demand(std::string_view frame, JsonReader& reader) {
  if (frame == "pong") return StreamEvent{Pong{}};
  FieldReader fields("okx stream");
  auto document = reader.iterate(frame);
  if (document.error()) {
    fields.fail_document(document.error());
    return fields.take_error();
  }
  StreamEvent out;
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& object) {
    // OKX writes `event` first in its replies and `arg` first in its pushes: looking at
    // the first key spares a push (a 400-level book) a search for an absent `event`.
    std::string_view first_key;
    for (auto member : object) {
      od::field field;
      if (!fields.check(std::move(member).get(field)) || !fields.check(field.unescaped_key().get(first_key))) {
        return false;
      }
      break;
    }
    if (!fields.check(object.reset().error())) return false;
    od::value value;
    bool reply = first_key == "event";
    if (!reply && first_key != "arg") {
      const Lookup found = cts::venue::detail::find_field(object, "event", value, fields);
      if (found == Lookup::failed) return false;
      reply = found == Lookup::found;
    }
    if (reply) {
      EventReply event;
      if (!read_event_reply(object, fields, event)) return false;
      out = std::move(event);
      return true;
    }
    return fields.check(object.reset().error()) && read_push(object, fields, out);
  });
  if (!ok) return fields.take_error();
  return out;
}

}  // namespace detail

/// Parses one frame received on the public or private stream. Errors: protocol_error
/// naming the field for malformed JSON, a push of an unknown channel, without `data`, a
/// `books` push without a known action or seqId, a book push whose data does not hold
/// exactly one book, a missing required member or an enum word OKX does not document.
/// An `event` "error" is an EventReply, not an error: the caller decides. A `books` push
/// in OKX's documented shape is read by a dedicated scanner (books_scanner.hpp), any
/// other frame with simdjson on demand (detail::parse_stream_event_on_demand), with the
/// same result.
inline Result<StreamEvent> parse_stream_event(std::string_view frame, JsonReader& reader = thread_json_reader()) {
  BookUpdate update;
  if (detail::thread_books_scanner().scan(frame, update)) return StreamEvent{std::move(update)};
  return detail::parse_stream_event_on_demand(frame, reader);
}

}  // namespace cts::venue::okx
