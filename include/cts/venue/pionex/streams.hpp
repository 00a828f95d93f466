#pragma once
/// \file
/// Pionex's WebSocket frames (pionex-open-api websocketapi.yaml), sans-I/O: the
/// subscribe frames `{"op":"SUBSCRIBE","topic":"<TOPIC>","symbol":"<SYMBOL>"}` and each
/// received frame classified: the server's heartbeat `{"op":"PING","timestamp":<ms>}`
/// (answered by pong_frame(): `{"op":"PONG","timestamp":<the same ms>}`; three unanswered
/// pings close the connection), the public DEPTH (the top `limit` levels, whole, in every
/// message) and TRADE topics, the private ORDER, FILL and BALANCE topics, and an error
/// reply. The specification documents no subscription acknowledgement and no error frame:
/// an object with `"result":false` and a `code` (the REST envelope's failure, errors.hpp)
/// is read as the venue's error; every other frame (an acknowledgement of any shape, a
/// topic cts does not subscribe) is Ignored.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "cts/core/json_string.hpp"
#include "cts/venue/pionex/account.hpp"
#include "cts/venue/pionex/market.hpp"
#include "cts/venue/pionex/orders.hpp"

namespace cts::venue::pionex {

/// Public stream path ("wss://ws.pionex.com/wsPub").
inline constexpr std::string_view kPublicStreamPath = "/wsPub";
/// Private stream path ("wss://ws.pionex.com/ws"), authenticated by its query.
inline constexpr std::string_view kPrivateStreamPath = "/ws";
/// Deepest DEPTH subscription ("Range: 1 - 100").
inline constexpr int kMaxStreamDepth = 100;

/// The server's heartbeat.
struct Ping {
  std::int64_t timestamp = 0;  ///< The ping's `timestamp`, echoed by the pong.
};

/// A DEPTH message: the top levels of `symbol`, whole.
struct DepthFrame {
  std::string symbol;  ///< `symbol`.
  BookSnapshot book;   ///< bids and asks best first; event_time_ms is the message's `timestamp`.
};

/// A TRADE message: up to 100 trades, newest first.
struct TradesFrame {
  std::string symbol;         ///< `symbol`.
  std::vector<Trade> trades;  ///< The trades as sent.
};

/// An ORDER message: one order's state after a change.
struct OrderFrame {
  std::int64_t timestamp = 0;  ///< The message's `timestamp`.
  OrderReport order;           ///< The order (read as orders.hpp reads one).
};

/// A FILL message: one execution.
struct FillFrame {
  std::int64_t timestamp = 0;  ///< The message's `timestamp`.
  AccountTrade fill;           ///< The execution; its symbol is the message's when the record names none.
};

/// A BALANCE message.
struct BalanceFrame {
  std::int64_t timestamp = 0;     ///< `data.timestamp`, else the message's.
  std::vector<Balance> balances;  ///< The balances sent.
};

/// A frame of no use to cts.
struct Ignored {};

/// One classified frame.
using StreamFrame = std::variant<Ping, DepthFrame, TradesFrame, OrderFrame, FillFrame, BalanceFrame, Ignored>;

/// `{"op":"SUBSCRIBE","topic":"<topic>","symbol":"<symbol>"}` (no symbol when it is
/// empty: BALANCE), with `"limit":<limit>` when one is given (DEPTH).
inline std::string subscribe_frame(std::string_view topic, std::string_view symbol, std::optional<int> limit = {}) {
  std::string frame = R"({"op":"SUBSCRIBE","topic":)";
  append_json_string(frame, topic);
  if (!symbol.empty()) {
    frame += R"(,"symbol":)";
    append_json_string(frame, symbol);
  }
  if (limit) fmt::format_to(std::back_inserter(frame), R"(,"limit":{})", *limit);
  frame += '}';
  return frame;
}

/// The answer to a ping of `timestamp`: `{"op":"PONG","timestamp":<timestamp>}`.
inline std::string pong_frame(std::int64_t timestamp) {
  return fmt::format(R"({{"op":"PONG","timestamp":{}}})", timestamp);
}

/// Classifies one text frame (see the file comment). Errors: the venue's for an error
/// reply; protocol_error for a frame that is not a JSON object or a topic message whose
/// data is malformed (a required field missing, a price not an exact decimal string).
inline Result<StreamFrame> parse_stream_frame(std::string_view text, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  using cts::venue::detail::find_field;
  using cts::venue::detail::Lookup;
  FieldReader fields("pionex stream");
  auto document = reader.iterate(text);
  if (document.error()) return fields.fail_document(document.error()), fields.take_error();
  od::object object;
  if (auto code = document.value_unsafe().get_object().get(object)) return fields.fail_document(code), fields.take_error();
  od::value value;
  const auto text_member = [&](std::string_view key, std::string_view& out) -> std::optional<bool> {
    const Lookup found = find_field(object, key, value, fields);
    if (found == Lookup::failed) return false;
    if (found == Lookup::absent) return std::nullopt;
    return fields.string(value, out, key);
  };
  std::string_view op;
  if (auto found = text_member("op", op); found && !*found) return fields.take_error();
  if (op == "PING") {
    Ping ping;
    const Lookup found = find_field(object, "timestamp", value, fields);
    if (found == Lookup::failed || (found == Lookup::found && !fields.int64(value, ping.timestamp, "timestamp"))) {
      return fields.take_error();
    }
    return StreamFrame(ping);
  }
  std::string_view topic;
  if (auto found = text_member("topic", topic); found && !*found) return fields.take_error();
  if (topic.empty()) {
    // An error reply (the REST envelope's failure shape), or something of no use.
    const Lookup result = find_field(object, "result", value, fields);
    if (result == Lookup::failed) return fields.take_error();
    bool ok = true;
    if (result == Lookup::found && !fields.boolean(value, ok, "result")) return fields.take_error();
    if (ok) return StreamFrame(Ignored{});
    std::string_view code;
    std::string_view message;
    if (auto found = text_member("code", code); found && !*found) return fields.take_error();
    if (auto found = text_member("message", message); found && !*found) return fields.take_error();
    return code_error(code.empty() ? std::string_view("UNKNOWN") : code, message, Operation::read);
  }
  const std::string topic_name(topic);
  std::string symbol;
  {
    std::string_view symbol_view;
    if (auto found = text_member("symbol", symbol_view); found && !*found) return fields.take_error();
    symbol.assign(symbol_view);
  }
  std::int64_t timestamp = 0;
  {
    const Lookup found = find_field(object, "timestamp", value, fields);
    if (found == Lookup::failed || (found == Lookup::found && !fields.int64(value, timestamp, "timestamp"))) {
      return fields.take_error();
    }
  }
  if (topic_name != "DEPTH" && topic_name != "TRADE" && topic_name != "ORDER" && topic_name != "FILL" &&
      topic_name != "BALANCE") {
    return StreamFrame(Ignored{});
  }
  const Lookup data = find_field(object, "data", value, fields);
  if (data == Lookup::failed) return fields.take_error();
  if (data == Lookup::absent) return fields.missing("data"), fields.take_error();
  if (topic_name == "DEPTH") {
    DepthFrame frame{std::move(symbol), {}};
    if (!read_book(value, fields, frame.book, "data")) return fields.take_error();
    frame.book.event_time_ms = timestamp;
    return StreamFrame(std::move(frame));
  }
  if (topic_name == "TRADE") {
    TradesFrame frame{std::move(symbol), {}};
    if (!visit_array(value, fields, "data", [&](od::value& item, std::size_t) {
          return read_trade(item, fields, frame.trades.emplace_back());
        })) {
      return fields.take_error();
    }
    return StreamFrame(std::move(frame));
  }
  if (topic_name == "ORDER") {
    OrderFrame frame{timestamp, {}};
    if (!read_order(value, fields, frame.order)) return fields.take_error();
    return StreamFrame(std::move(frame));
  }
  if (topic_name == "FILL") {
    FillFrame frame{timestamp, {}};
    if (!read_fill(value, fields, frame.fill)) return fields.take_error();
    if (frame.fill.symbol.empty()) frame.fill.symbol = std::move(symbol);
    return StreamFrame(std::move(frame));
  }
  BalanceFrame frame{timestamp, {}};
  bool has_balances = false;
  if (!visit_object(value, fields, "data", [&](std::string_view key, od::value& v) {
        if (key == "timestamp") return fields.int64(v, frame.timestamp, key);
        if (key != "balances") return true;
        has_balances = true;
        return visit_array(v, fields, key, [&](od::value& item, std::size_t) {
          return read_balance(item, fields, frame.balances.emplace_back());
        });
      })) {
    return fields.take_error();
  }
  if (!has_balances) return fields.missing("balances"), fields.take_error();
  return StreamFrame(std::move(frame));
}

/// The pong to send when `text` is the server's PING; empty for every other frame. Cheap
/// on other frames (a substring test first). Never throws; a PING that does not parse
/// gets no answer.
inline std::string answer_ping(std::string_view text) {
  if (text.find("\"PING\"") == std::string_view::npos) return {};
  Result<StreamFrame> frame = parse_stream_frame(text);
  if (!frame) return {};
  const auto* ping = std::get_if<Ping>(&*frame);
  return ping == nullptr ? std::string() : pong_frame(ping->timestamp);
}

}  // namespace cts::venue::pionex
