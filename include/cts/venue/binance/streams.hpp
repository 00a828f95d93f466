#pragma once
/// \file
/// Parsers for Binance WebSocket frames into typed events: market streams (depthUpdate,
/// trade, aggTrade, bookTicker) of spot and USD-M, spot user data (executionReport,
/// outboundAccountPosition, balanceUpdate, eventStreamTerminated) and USD-M user data
/// (ORDER_TRADE_UPDATE, ACCOUNT_UPDATE, listenKeyExpired), plus subscription replies.
///
/// Frames may come bare, in the combined-stream envelope {"stream":..,"data":{..}} or
/// in the WebSocket API envelope {"subscriptionId":..,"event":{..}}. Unknown fields are
/// ignored; an unknown event type, a missing or malformed field, or malformed JSON is a
/// protocol_error naming it. An error reply to one of our requests is mapped like a
/// REST error (errors.hpp).

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "cts/venue/binance/detail/parse_common.hpp"

namespace cts::venue::binance {

/// What an execution report says happened (executionReport `x`, ORDER_TRADE_UPDATE `x`).
enum class ExecutionType : std::uint8_t {
  new_,              ///< Accepted.
  trade,             ///< A fill (see OrderUpdate::last_fill).
  canceled,          ///< Cancelled.
  expired,           ///< Expired (time in force, or by the venue).
  rejected,          ///< Refused.
  replaced,          ///< Spot cancel-replace / amend.
  trade_prevention,  ///< Spot self-trade prevention expired (part of) the order.
  amendment,         ///< Quantity or price amended.
  calculated,        ///< USD-M liquidation or ADL execution.
};

/// An order update from the user data stream.
struct OrderUpdate {
  OrderReport order;                       ///< The order after this event (no fills list).
  ExecutionType execution = ExecutionType::new_;  ///< What happened.
  std::int64_t event_time_ms = 0;          ///< Event time (E).
  std::optional<Fill> last_fill;           ///< The execution, for trade and calculated events.
  bool maker = false;                      ///< The last fill was a maker fill.
  Decimal realized_pnl;                    ///< USD-M: realised PnL of the last fill.
  std::string reject_reason;               ///< Spot `r` ("NONE" when not rejected).
};

/// A public trade from trade or aggTrade.
struct TradeEvent {
  std::string symbol;        ///< Venue symbol.
  Trade trade;               ///< The trade (aggregate trade id for aggTrade).
  std::int64_t event_time_ms = 0;  ///< Event time.
  bool aggregate = false;    ///< True for aggTrade.
};

/// outboundAccountPosition: the new balances of the assets that changed.
struct AccountPosition {
  std::int64_t event_time_ms = 0;   ///< Event time (E).
  std::int64_t update_time_ms = 0;  ///< Time of the account update (u).
  std::vector<Balance> balances;    ///< Changed assets with their new free and locked amounts.
};

/// balanceUpdate: a deposit, withdrawal or transfer.
struct BalanceDelta {
  std::string asset;               ///< Asset.
  Decimal delta;                   ///< Signed change.
  std::int64_t event_time_ms = 0;  ///< Event time.
  std::int64_t clear_time_ms = 0;  ///< Clear time (T).
};

/// One asset of a USD-M ACCOUNT_UPDATE.
struct FuturesBalanceUpdate {
  std::string asset;            ///< Asset (a).
  Decimal wallet_balance;       ///< Wallet balance (wb).
  Decimal cross_wallet_balance; ///< Cross wallet balance (cw).
  Decimal balance_change;       ///< Change except PnL and commission (bc).
};

/// USD-M ACCOUNT_UPDATE: balances and positions that changed.
struct FuturesAccountUpdate {
  std::int64_t event_time_ms = 0;        ///< Event time (E).
  std::int64_t transaction_time_ms = 0;  ///< Transaction time (T).
  std::string reason;                    ///< Reason type (m), e.g. "ORDER", "FUNDING_FEE".
  std::vector<FuturesBalanceUpdate> balances;  ///< Changed balances.
  std::vector<Position> positions;       ///< Changed positions (quantity signed).
};

/// The user data stream ended (spot eventStreamTerminated, USD-M listenKeyExpired):
/// resubscribe and reconcile.
struct StreamTerminated {
  std::int64_t event_time_ms = 0;  ///< Event time.
};

/// A USD-M user data event cts reads no value from (MARGIN_CALL, TRADE_LITE — the
/// fills arrive in ORDER_TRADE_UPDATE too —, ACCOUNT_CONFIG_UPDATE, STRATEGY_UPDATE,
/// GRID_UPDATE, CONDITIONAL_ORDER_TRIGGER_REJECT, ALGO_UPDATE): named, so that a
/// documented event is not mistaken for a malformed frame.
struct UnusedEvent {
  std::string type;  ///< Its "e".
};

/// The reply to SUBSCRIBE/UNSUBSCRIBE or to userDataStream.subscribe*.
struct SubscriptionAck {
  std::string id;                             ///< The request id, as text.
  std::optional<std::int64_t> subscription_id;  ///< WebSocket API subscription id, when given.
};

/// Every event a Binance frame can carry.
using StreamEvent = std::variant<DepthDiff, TradeEvent, BookTicker, OrderUpdate, AccountPosition, BalanceDelta,
                                 FuturesAccountUpdate, StreamTerminated, SubscriptionAck, UnusedEvent>;

namespace detail {

/// The USD-M user data events read as UnusedEvent.
constexpr bool is_unused_user_event(std::string_view type) noexcept {
  return type == "MARGIN_CALL" || type == "TRADE_LITE" || type == "ACCOUNT_CONFIG_UPDATE" ||
         type == "STRATEGY_UPDATE" || type == "GRID_UPDATE" || type == "CONDITIONAL_ORDER_TRIGGER_REJECT" ||
         type == "ALGO_UPDATE";
}

constexpr std::optional<ExecutionType> parse_execution_type(std::string_view s) noexcept {
  if (s == "NEW") return ExecutionType::new_;
  if (s == "TRADE") return ExecutionType::trade;
  if (s == "CANCELED") return ExecutionType::canceled;
  if (s == "EXPIRED") return ExecutionType::expired;
  if (s == "REJECTED") return ExecutionType::rejected;
  if (s == "REPLACED") return ExecutionType::replaced;
  if (s == "TRADE_PREVENTION") return ExecutionType::trade_prevention;
  if (s == "AMENDMENT") return ExecutionType::amendment;
  if (s == "CALCULATED") return ExecutionType::calculated;
  return std::nullopt;
}

/// Reads a depthUpdate object into `diff` (vectors reused).
inline bool read_depth_diff(od::object& object, FieldReader& fields, DepthDiff& diff) {
  static constexpr std::string_view kRequired[] = {"s", "U", "u", "b", "a", "e"};
  Seen seen;
  diff.previous_final_update_id = 0;
  return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
           if (key == "e") {
             std::string_view type;
             if (!fields.string(value, type, "e")) return false;
             if (type != "depthUpdate") {
               return fields.fail("e", fmt::format("is \"{}\", not depthUpdate", type.substr(0, 32)));
             }
             return seen.mark(5), true;
           }
           if (key == "s") return seen.mark(0), fields.string(value, diff.symbol, "s");
           if (key == "U") return seen.mark(1), fields.uint64(value, diff.first_update_id, "U");
           if (key == "u") return seen.mark(2), fields.uint64(value, diff.final_update_id, "u");
           if (key == "b") return seen.mark(3), cts::venue::detail::price_levels(value, fields, "b", diff.bids);
           if (key == "a") return seen.mark(4), cts::venue::detail::price_levels(value, fields, "a", diff.asks);
           if (key == "pu") return fields.uint64(value, diff.previous_final_update_id, "pu");
           if (key == "E") return fields.int64(value, diff.event_time_ms, "E");
           return true;
         }) &&
         seen.require(fields, kRequired);
}

inline bool read_trade(od::object& object, FieldReader& fields, TradeEvent& event, bool aggregate) {
  static constexpr std::string_view kRequired[] = {"s", "t", "p", "q", "T", "m"};
  Seen seen;
  event.aggregate = aggregate;
  const std::string_view id_key = aggregate ? "a" : "t";
  return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
           if (key == "s") return seen.mark(0), fields.string(value, event.symbol, "s");
           if (key == id_key) return seen.mark(1), fields.integer_id(value, event.trade.id, id_key);
           if (key == "p") return seen.mark(2), fields.decimal(value, event.trade.price, "p");
           if (key == "q") return seen.mark(3), fields.decimal(value, event.trade.quantity, "q");
           if (key == "T") return seen.mark(4), fields.int64(value, event.trade.time_ms, "T");
           if (key == "m") return seen.mark(5), fields.boolean(value, event.trade.buyer_is_maker, "m");
           if (key == "E") return fields.int64(value, event.event_time_ms, "E");
           return true;
         }) &&
         (seen.has(1) || fields.missing(id_key)) && seen.require(fields, kRequired);
}

inline bool read_book_ticker(od::object& object, FieldReader& fields, BookTicker& ticker) {
  static constexpr std::string_view kRequired[] = {"s", "b", "B", "a", "A", "u"};
  Seen seen;
  return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
           if (key == "s") return seen.mark(0), fields.string(value, ticker.symbol, "s");
           if (key == "b") return seen.mark(1), fields.decimal(value, ticker.bid_price, "b");
           if (key == "B") return seen.mark(2), fields.decimal(value, ticker.bid_quantity, "B");
           if (key == "a") return seen.mark(3), fields.decimal(value, ticker.ask_price, "a");
           if (key == "A") return seen.mark(4), fields.decimal(value, ticker.ask_quantity, "A");
           if (key == "u") return seen.mark(5), fields.uint64(value, ticker.update_id, "u");
           return true;
         }) &&
         seen.require(fields, kRequired);
}

/// Reads the order fields shared by spot executionReport and the USD-M `o` object.
/// Required: s, c, S, o, q, p, x, X, i, l, z, L, T, t.
inline bool read_execution(od::object& object, FieldReader& fields, OrderUpdate& update, Market market) {
  static constexpr std::string_view kRequired[] = {"s", "c", "S", "o", "q", "p", "x",
                                                   "X", "i", "l", "z", "L", "T", "t"};
  Seen seen;
  OrderReport& order = update.order;
  std::string_view type_text;
  std::string_view original_client_id;
  std::string_view trade_id;
  Fill fill;
  bool has_average = false;
  const bool ok = for_each_field(object, fields, [&](std::string_view key, od::value& value) {
    if (key.size() == 1) {
      switch (key[0]) {
        case 's': return seen.mark(0), fields.string(value, order.symbol, "s");
        case 'c': return seen.mark(1), fields.string(value, order.client_order_id, "c");
        case 'S': return seen.mark(2), fields.enumeration(value, order.side, "S", parse_side);
        case 'o': return seen.mark(3), fields.string(value, type_text, "o");
        case 'q': return seen.mark(4), fields.decimal(value, order.quantity, "q");
        case 'p': return seen.mark(5), fields.decimal(value, order.price, "p");
        case 'x': return seen.mark(6), fields.enumeration(value, update.execution, "x", parse_execution_type);
        case 'X': return seen.mark(7), fields.enumeration(value, order.status, "X", parse_order_status);
        case 'i': return seen.mark(8), fields.integer_id(value, order.order_id, "i");
        case 'l': return seen.mark(9), fields.decimal(value, fill.quantity, "l");
        case 'z': return seen.mark(10), fields.decimal(value, order.executed_quantity, "z");
        case 'L': return seen.mark(11), fields.decimal(value, fill.price, "L");
        case 'T': return seen.mark(12), fields.int64(value, order.time_ms, "T");
        case 't': return seen.mark(13), fields.integer_text(value, trade_id, "t");
        case 'f': return fields.enumeration(value, order.time_in_force, "f", parse_time_in_force);
        case 'n': return fields.optional_decimal(value, fill.commission, "n");
        case 'N': return fields.optional_string(value, fill.commission_asset, "N");
        case 'm': return fields.boolean(value, update.maker, "m");
        case 'C': return fields.optional_string(value, original_client_id, "C");
        case 'P': return fields.decimal(value, order.trigger_price, "P");
        case 'Z': return fields.decimal(value, order.cumulative_quote, "Z");
        case 'r': return fields.string(value, update.reject_reason, "r");
        case 'R': return fields.boolean(value, order.reduce_only, "R");
        case 'E': return fields.int64(value, update.event_time_ms, "E");
        default: return true;
      }
    }
    if (key == "ap") return has_average = true, fields.decimal(value, order.average_price, "ap");
    if (key == "sp") return fields.decimal(value, order.trigger_price, "sp");
    if (key == "rp") return fields.decimal(value, update.realized_pnl, "rp");
    if (key == "ps") return fields.enumeration(value, order.position_side, "ps", parse_position_side);
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  // Spot "C" is the cancelled order's own client id on cancels (empty otherwise).
  if (market == Market::spot && !original_client_id.empty()) order.client_order_id.assign(original_client_id);
  const auto type = parse_order_type(type_text, market);
  if (!type) return fields.fail("o", fmt::format("has unknown value \"{}\"", type_text.substr(0, 32)));
  order.type = *type;
  order.trailing = type_text == "TRAILING_STOP_MARKET";
  if (type_text == "LIMIT_MAKER") order.time_in_force = TimeInForce::post_only;
  if (!has_average && order.executed_quantity.is_positive()) {
    auto average = order.cumulative_quote.checked_div(order.executed_quantity, Rounding::half_even);
    if (average) order.average_price = *average;
  }
  if (update.execution == ExecutionType::trade || update.execution == ExecutionType::calculated) {
    if (trade_id.front() == '-') return fields.fail("t", "is not a trade id on a trade event");
    fill.trade_id.assign(trade_id);
    update.last_fill = std::move(fill);
  }
  return true;
}

}  // namespace detail

/// Parses a depthUpdate frame (bare or in the combined-stream envelope) into `diff`,
/// reusing its vectors: the allocation-free path for the book. Errors: protocol_error,
/// also when the frame is another event.
inline Result<void> parse_depth_diff(std::string_view frame, DepthDiff& diff,
                                     JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  FieldReader fields("binance depthUpdate");
  auto document = reader.iterate(frame);
  if (document.error()) {
    fields.fail_document(document.error());
    return fields.take_error();
  }
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& root) {
    od::value data;
    const Lookup envelope = cts::venue::detail::find_field(root, "data", data, fields);
    if (envelope == Lookup::failed) return false;
    if (envelope == Lookup::found) {
      od::object inner;
      if (data.get_object().get(inner)) return fields.fail("data", "is not an object");
      return read_depth_diff(inner, fields, diff) && cts::venue::detail::finish_object(root, fields);
    }
    if (auto reset = root.reset(); reset.error()) return fields.fail_document(reset.error());
    return read_depth_diff(root, fields, diff);
  });
  if (!ok) return fields.take_error();
  return {};
}

namespace detail {

inline bool read_account_position(od::object& object, FieldReader& fields, AccountPosition& event) {
  static constexpr std::string_view kRequired[] = {"E", "B"};
  Seen seen;
  return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
           if (key == "E") return seen.mark(0), fields.int64(value, event.event_time_ms, "E");
           if (key == "u") return fields.int64(value, event.update_time_ms, "u");
           if (key != "B") return true;
           seen.mark(1);
           return visit_array(value, fields, "B", [&](od::value& item, std::size_t) {
             static constexpr std::string_view kBalance[] = {"a", "f", "l"};
             Balance& balance = event.balances.emplace_back();
             Seen got;
             return visit_object(item, fields, "B[]", [&](std::string_view k, od::value& v) {
                      if (k == "a") return got.mark(0), fields.string(v, balance.asset, "B[].a");
                      if (k == "f") return got.mark(1), fields.decimal(v, balance.free, "B[].f");
                      if (k == "l") return got.mark(2), fields.decimal(v, balance.locked, "B[].l");
                      return true;
                    }) &&
                    got.require(fields, kBalance);
           });
         }) &&
         seen.require(fields, kRequired);
}

inline bool read_balance_delta(od::object& object, FieldReader& fields, BalanceDelta& event) {
  static constexpr std::string_view kRequired[] = {"a", "d", "E"};
  Seen seen;
  return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
           if (key == "a") return seen.mark(0), fields.string(value, event.asset, "a");
           if (key == "d") return seen.mark(1), fields.decimal(value, event.delta, "d");
           if (key == "E") return seen.mark(2), fields.int64(value, event.event_time_ms, "E");
           if (key == "T") return fields.int64(value, event.clear_time_ms, "T");
           return true;
         }) &&
         seen.require(fields, kRequired);
}

inline bool read_futures_account(od::object& object, FieldReader& fields, FuturesAccountUpdate& event) {
  bool has_account = false;
  const bool ok = for_each_field(object, fields, [&](std::string_view key, od::value& value) {
    if (key == "E") return fields.int64(value, event.event_time_ms, "E");
    if (key == "T") return fields.int64(value, event.transaction_time_ms, "T");
    if (key != "a") return true;
    has_account = true;
    return visit_object(value, fields, "a", [&](std::string_view k, od::value& v) {
      if (k == "m") return fields.string(v, event.reason, "a.m");
      if (k == "B") {
        return visit_array(v, fields, "a.B", [&](od::value& item, std::size_t) {
          static constexpr std::string_view kBalance[] = {"a", "wb", "cw"};
          FuturesBalanceUpdate& balance = event.balances.emplace_back();
          Seen got;
          return visit_object(item, fields, "a.B[]", [&](std::string_view bk, od::value& bv) {
                   if (bk == "a") return got.mark(0), fields.string(bv, balance.asset, "a.B[].a");
                   if (bk == "wb") return got.mark(1), fields.decimal(bv, balance.wallet_balance, "a.B[].wb");
                   if (bk == "cw") return got.mark(2), fields.decimal(bv, balance.cross_wallet_balance, "a.B[].cw");
                   if (bk == "bc") return fields.decimal(bv, balance.balance_change, "a.B[].bc");
                   return true;
                 }) &&
                 got.require(fields, kBalance);
        });
      }
      if (k == "P") {
        return visit_array(v, fields, "a.P", [&](od::value& item, std::size_t) {
          static constexpr std::string_view kPosition[] = {"s", "pa", "ep", "ps"};
          Position& position = event.positions.emplace_back();
          Seen got;
          return visit_object(item, fields, "a.P[]", [&](std::string_view pk, od::value& pv) {
                   if (pk == "s") return got.mark(0), fields.string(pv, position.symbol, "a.P[].s");
                   if (pk == "pa") return got.mark(1), fields.decimal(pv, position.quantity, "a.P[].pa");
                   if (pk == "ep") return got.mark(2), fields.decimal(pv, position.entry_price, "a.P[].ep");
                   if (pk == "ps") return got.mark(3), fields.enumeration(pv, position.side, "a.P[].ps", parse_position_side);
                   if (pk == "up") return fields.decimal(pv, position.unrealized_pnl, "a.P[].up");
                   if (pk == "mt") {
                     MarginMode mode{};
                     if (!fields.enumeration(pv, mode, "a.P[].mt", parse_margin_mode)) return false;
                     position.margin_mode = mode;
                     return true;
                   }
                   return true;
                 }) &&
                 got.require(fields, kPosition);
        });
      }
      return true;
    });
  });
  return ok && (has_account || fields.missing("a"));
}

inline bool read_futures_order(od::object& object, FieldReader& fields, OrderUpdate& update) {
  bool has_order = false;
  std::int64_t event_time = 0;
  const bool ok = for_each_field(object, fields, [&](std::string_view key, od::value& value) {
    if (key == "E") return fields.int64(value, event_time, "E");
    if (key != "o") return true;
    has_order = true;
    od::object inner;
    if (value.get_object().get(inner)) return fields.fail("o", "is not an object");
    return read_execution(inner, fields, update, Market::usdm);
  });
  update.event_time_ms = event_time;
  return ok && (has_order || fields.missing("o"));
}

/// Reads the reply to one of our requests: {"result":null,"id":1}, {"id":"..",
/// "status":200,"result":{"subscriptionId":0}}, or an error ({"code":..,"msg":..} or
/// {"status":4xx,"error":{"code":..,"msg":..}}), which becomes `error`.
inline bool read_reply(od::object& root, FieldReader& fields, SubscriptionAck& ack, std::optional<Error>& error) {
  int status = 200;
  int code = 0;
  std::string msg;
  bool has_error = false;
  const bool ok = for_each_field(root, fields, [&](std::string_view key, od::value& value) {
    if (key == "id") {
      std::string_view token = value.raw_json_token();
      while (!token.empty() && (token.back() == ' ' || token.back() == '\n')) token.remove_suffix(1);
      if (!token.empty() && token.front() == '"') return fields.string(value, ack.id, "id");
      ack.id.assign(token);
      return true;
    }
    if (key == "status") return fields.int32(value, status, "status");
    if (key == "code") return has_error = true, fields.int32(value, code, "code");
    if (key == "msg") return fields.string(value, msg, "msg");
    if (key == "error") {
      has_error = true;
      return visit_object(value, fields, "error", [&](std::string_view k, od::value& v) {
        if (k == "code") return fields.int32(v, code, "error.code");
        if (k == "msg") return fields.string(v, msg, "error.msg");
        return true;
      });
    }
    if (key == "result") {
      od::object result;
      if (value.get_object().get(result) != simdjson::SUCCESS) return true;  // null or a list
      return for_each_field(result, fields, [&](std::string_view k, od::value& v) {
        if (k != "subscriptionId") return true;
        std::int64_t id = 0;
        if (!fields.int64(v, id, "result.subscriptionId")) return false;
        ack.subscription_id = id;
        return true;
      });
    }
    return true;
  });
  if (!ok) return false;
  if (has_error || status >= 400) {
    error = make_error(map_error_code(code, msg, Operation::read), fmt::format("binance stream reply {}: {}", code, msg),
                       std::to_string(code));
  }
  return true;
}

/// Reads the event in `object` (already unwrapped from any envelope) by its "e" type.
inline bool read_event(od::object& object, bool enveloped, FieldReader& fields, StreamEvent& event,
                       std::optional<Error>& reply_error) {
  std::string_view type;
  od::value type_value;
  const Lookup type_lookup = cts::venue::detail::find_field(object, "e", type_value, fields);
  if (type_lookup == Lookup::failed) return false;
  const bool has_type = type_lookup == Lookup::found;
  if (has_type && !fields.string(type_value, type, "e")) return false;
  if (auto reset = object.reset(); reset.error()) return fields.fail_document(reset.error());
  if (!has_type) {
    if (!enveloped) {
      // A reply to our request has "id"; a spot bookTicker has "u" and "b".
      od::value probe;
      const Lookup reply_lookup = cts::venue::detail::find_field(object, "id", probe, fields);
      if (reply_lookup == Lookup::failed) return false;
      const bool is_reply = reply_lookup == Lookup::found;
      if (auto reset = object.reset(); reset.error()) return fields.fail_document(reset.error());
      if (is_reply) return read_reply(object, fields, event.emplace<SubscriptionAck>(), reply_error);
    }
    return read_book_ticker(object, fields, event.emplace<BookTicker>());
  }
  if (type == "depthUpdate") return read_depth_diff(object, fields, event.emplace<DepthDiff>());
  if (type == "trade") return read_trade(object, fields, event.emplace<TradeEvent>(), false);
  if (type == "aggTrade") return read_trade(object, fields, event.emplace<TradeEvent>(), true);
  if (type == "bookTicker") return read_book_ticker(object, fields, event.emplace<BookTicker>());
  if (type == "executionReport") return read_execution(object, fields, event.emplace<OrderUpdate>(), Market::spot);
  if (type == "outboundAccountPosition") return read_account_position(object, fields, event.emplace<AccountPosition>());
  if (type == "balanceUpdate") return read_balance_delta(object, fields, event.emplace<BalanceDelta>());
  if (type == "ORDER_TRADE_UPDATE") return read_futures_order(object, fields, event.emplace<OrderUpdate>());
  if (type == "ACCOUNT_UPDATE") return read_futures_account(object, fields, event.emplace<FuturesAccountUpdate>());
  if (type == "eventStreamTerminated" || type == "listenKeyExpired") {
    auto& terminated = event.emplace<StreamTerminated>();
    return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
      return key == "E" ? fields.int64_or_text(value, terminated.event_time_ms, "E") : true;
    });
  }
  if (is_unused_user_event(type)) {
    event.emplace<UnusedEvent>().type.assign(type);
    return for_each_field(object, fields, [](std::string_view, od::value&) { return true; });
  }
  return fields.fail("e", fmt::format("has unknown value \"{}\"", type.substr(0, 32)));
}
}  // namespace detail

/// Parses any frame into its event. Errors: protocol_error for malformed frames or
/// unknown event types (naming "e"), a mapped Error for an error reply.
inline Result<StreamEvent> parse_stream_event(std::string_view frame, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  FieldReader fields("binance stream");
  auto document = reader.iterate(frame);
  if (document.error()) {
    fields.fail_document(document.error());
    return fields.take_error();
  }
  StreamEvent event;
  std::optional<Error> reply_error;
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& root) {
    od::object object;
    od::value inner;
    bool enveloped = false;
    for (const char* envelope : {"data", "event"}) {
      const Lookup lookup = cts::venue::detail::find_field(root, envelope, inner, fields);
      if (lookup == Lookup::failed) return false;
      if (lookup == Lookup::found) {
        if (inner.get_object().get(object)) return fields.fail(envelope, "is not an object");
        enveloped = true;
        break;
      }
    }
    if (!enveloped) {
      if (auto reset = root.reset(); reset.error()) return fields.fail_document(reset.error());
      object = root;
    }
    return read_event(object, enveloped, fields, event, reply_error) &&
           (!enveloped || cts::venue::detail::finish_object(root, fields));
  });
  if (!ok) return fields.take_error();
  if (reply_error) return std::move(*reply_error);
  return event;
}

}  // namespace cts::venue::binance
