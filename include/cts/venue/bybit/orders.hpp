#pragma once
/// \file
/// Bybit v5 order replies into the unified types: the acknowledgements of create, amend
/// and cancel (order/create-order.mdx, amend-order.mdx, cancel-order.mdx), cancel-all
/// (cancel-all.mdx), the batch endpoints with their per-item `retExtInfo` codes
/// (batch-place.mdx, batch-amend.mdx, batch-cancel.mdx), open and recent orders
/// (open-order.mdx, /v5/order/realtime), order history (order-list.mdx) and executions
/// (execution.mdx). Bybit acknowledges mutations before it carries them out: an OrderAck
/// names the order, the order stream or a query reports its state.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cts/venue/acknowledged_order.hpp"
#include "cts/venue/bybit/detail/reply.hpp"
#include "cts/venue/bybit/enums.hpp"
#include "cts/venue/bybit/market.hpp"

namespace cts::venue::bybit {

namespace detail {

/// Reads an acknowledgement object: orderId, orderLinkId and, in batch replies, symbol
/// and createAt. orderId is required (it may be empty in a failed batch item).
inline bool read_ack(od::value& value, FieldReader& fields, OrderAck& ack) {
  bool has_order_id = false;
  return visit_object(value, fields, "result",
                      [&](std::string_view key, od::value& v) {
                        if (key == "orderId") return has_order_id = true, fields.optional_string(v, ack.order_id, key);
                        if (key == "orderLinkId") return fields.optional_string(v, ack.client_order_id, key);
                        if (key == "symbol") return fields.string(v, ack.symbol, key);
                        if (key == "createAt") return digits_text(fields, v, ack.time_ms, key, true);
                        return true;
                      }) &&
         (has_order_id || fields.missing("orderId"));
}

/// The unified type of an order: Limit or Market, made a stop or take-profit type when
/// it has a trigger price (stopOrderType TakeProfit or PartialTakeProfit → take profit).
inline OrderType order_type_of(OrderType base, bool triggered, std::string_view stop_order_type) {
  if (!triggered) return base;
  const bool take_profit = stop_order_type == "TakeProfit" || stop_order_type == "PartialTakeProfit";
  if (base == OrderType::limit) return take_profit ? OrderType::take_profit_limit : OrderType::stop_limit;
  return take_profit ? OrderType::take_profit_market : OrderType::stop_market;
}

/// Reads one order object (realtime, history). Required: orderId, symbol, side,
/// orderType, orderStatus, qty, cumExecQty. avgPrice "" (nothing filled) is 0, and
/// computed from cumExecValue / cumExecQty when the venue leaves it out while something
/// filled. time_ms is updatedTime (createdTime when there is none).
inline bool read_order(od::value& value, FieldReader& fields, OrderReport& order) {
  static constexpr std::string_view kRequired[] = {"orderId",     "symbol", "side",      "orderType",
                                                   "orderStatus", "qty",    "cumExecQty"};
  Seen seen;
  OrderType base = OrderType::limit;
  std::string_view stop_order_type;
  bool has_average = false;
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t position_index = 0;
  const bool ok = visit_object(value, fields, "list[]", [&](std::string_view key, od::value& v) {
    if (key == "orderId") return seen.mark(0), fields.string_id(v, order.order_id, key);
    if (key == "symbol") return seen.mark(1), fields.string(v, order.symbol, key);
    if (key == "side") return seen.mark(2), fields.enumeration(v, order.side, key, parse_side);
    if (key == "orderType") return seen.mark(3), fields.enumeration(v, base, key, parse_order_type);
    if (key == "orderStatus") return seen.mark(4), fields.enumeration(v, order.status, key, parse_order_status);
    if (key == "qty") return seen.mark(5), fields.decimal(v, order.quantity, key);
    if (key == "cumExecQty") return seen.mark(6), fields.decimal(v, order.executed_quantity, key);
    if (key == "orderLinkId") return fields.optional_string(v, order.client_order_id, key);
    if (key == "price") return decimal_or_empty(fields, v, order.price, key);
    if (key == "avgPrice") {
      return has_average = !cts::detail::trim_spaces(v.raw_json_token(), " \t\r\n").starts_with("\"\""),
             decimal_or_empty(fields, v, order.average_price, key);
    }
    if (key == "cumExecValue") return decimal_or_empty(fields, v, order.cumulative_quote, key);
    if (key == "triggerPrice") return decimal_or_empty(fields, v, order.trigger_price, key);
    if (key == "timeInForce") return fields.enumeration(v, order.time_in_force, key, parse_time_in_force);
    if (key == "stopOrderType") return fields.optional_string(v, stop_order_type, key);
    if (key == "reduceOnly") return fields.boolean(v, order.reduce_only, key);
    if (key == "positionIdx") return fields.int64(v, position_index, key);
    if (key == "createdTime") return digits_text(fields, v, created, key, true);
    if (key == "updatedTime") return digits_text(fields, v, updated, key, true);
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  const auto leg = position_side_of_index(position_index);
  if (!leg) return fields.fail("positionIdx", "is not 0, 1 or 2");
  order.position_side = *leg;
  order.type = order_type_of(base, order.trigger_price.is_positive(), stop_order_type);
  order.time_ms = updated != 0 ? updated : created;
  if (!has_average && order.executed_quantity.is_positive()) {
    auto average = order.cumulative_quote.checked_div(order.executed_quantity, Rounding::half_even);
    if (average) order.average_price = *average;
  }
  return true;
}

/// Reads one execution object (REST list and `execution` stream) into an AccountTrade;
/// execPnl, when sent, is the realised PnL. Required: symbol, execId, orderId,
/// side, execPrice, execQty, execType. `skip` is set for entries that are not executions
/// of an order (execType Funding).
inline bool read_execution(od::value& value, FieldReader& fields, AccountTrade& trade, bool& skip) {
  static constexpr std::string_view kRequired[] = {"symbol",    "execId",  "orderId", "side",
                                                   "execPrice", "execQty", "execType"};
  Seen seen;
  std::string_view exec_type;
  const bool ok = visit_object(value, fields, "list[]", [&](std::string_view key, od::value& v) {
    if (key == "symbol") return seen.mark(0), fields.string(v, trade.symbol, key);
    if (key == "execId") return seen.mark(1), fields.string_id(v, trade.id, key);
    if (key == "orderId") return seen.mark(2), fields.string_id(v, trade.order_id, key);
    if (key == "side") return seen.mark(3), fields.enumeration(v, trade.side, key, parse_side);
    if (key == "execPrice") return seen.mark(4), fields.decimal(v, trade.price, key);
    if (key == "execQty") return seen.mark(5), fields.decimal(v, trade.quantity, key);
    if (key == "execType") return seen.mark(6), fields.string(v, exec_type, key);
    if (key == "execValue") return decimal_or_empty(fields, v, trade.quote_quantity, key);
    if (key == "execFee") return decimal_or_empty(fields, v, trade.commission, key);
    if (key == "feeCurrency") return fields.optional_string(v, trade.commission_asset, key);
    if (key == "isMaker") return fields.boolean(v, trade.maker, key);
    if (key == "execTime") return digits_text(fields, v, trade.time_ms, key);
    if (key == "execPnl") return decimal_or_empty(fields, v, trade.realized_pnl, key);
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  skip = exec_type == "Funding";
  return true;
}

/// One entry of a batch reply's `retExtInfo.list`: the item's code (0: done) and message.
struct ItemStatus {
  std::int64_t code = 0;
  std::string message;
};

/// Reads `retExtInfo` of a batch reply: its `list` of {code, msg} into `statuses`
/// (`has_statuses` set when the list is there); other members are ignored.
inline bool read_item_statuses(od::value& ext, FieldReader& fields, std::vector<ItemStatus>& statuses,
                               bool& has_statuses) {
  return visit_object(ext, fields, "retExtInfo", [&](std::string_view key, od::value& value) {
    if (key != "list") return true;
    has_statuses = true;
    return visit_array(value, fields, "retExtInfo.list", [&](od::value& item, std::size_t) {
      ItemStatus& status = statuses.emplace_back();
      bool has_code = false;
      return visit_object(item, fields, "retExtInfo.list[]",
                          [&](std::string_view k, od::value& v) {
                            if (k == "code") return has_code = true, fields.int64(v, status.code, "retExtInfo.list[].code");
                            if (k == "msg") return fields.optional_string(v, status.message, "retExtInfo.list[].msg");
                            return true;
                          }) &&
             (has_code || fields.missing("retExtInfo.list[].code"));
    });
  });
}

/// Pairs a batch reply's acknowledgements with its item statuses: item i is its OrderAck
/// when statuses[i].code is 0, else that code's unified error (raw code kept). Errors:
/// protocol_error when the statuses are missing or the two lists differ in length.
inline Result<std::vector<Result<OrderAck>>> batch_results(std::vector<OrderAck> acks,
                                                           const std::vector<ItemStatus>& statuses, bool has_statuses) {
  if (!has_statuses) return make_error(ErrorCode::protocol_error, "bybit batch: field \"retExtInfo.list\" is missing");
  if (statuses.size() != acks.size()) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("bybit batch: {} results but {} statuses", acks.size(), statuses.size()));
  }
  std::vector<Result<OrderAck>> out;
  out.reserve(acks.size());
  for (std::size_t i = 0; i < acks.size(); ++i) {
    if (statuses[i].code != 0) {
      out.emplace_back(ret_code_error(static_cast<long>(statuses[i].code), statuses[i].message, Operation::mutation));
    } else {
      out.emplace_back(std::move(acks[i]));
    }
  }
  return out;
}

}  // namespace detail

/// The reply to POST /v5/order/create, /v5/order/amend or /v5/order/cancel:
/// {"orderId":"...","orderLinkId":"..."}. Errors: the venue's (a mutation: a server
/// error or timeout is unknown_outcome); protocol_error when orderId is missing.
inline Result<OrderAck> parse_order_ack(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  OrderAck ack;
  std::int64_t time = 0;
  auto parsed = parse_result(
      response, Operation::mutation, reader, "bybit order",
      [&](od::value& result, FieldReader& fields) { return read_ack(result, fields, ack); }, &time);
  if (!parsed) return parsed.error();
  ack.time_ms = time;
  return ack;
}

/// The reply to POST /v5/order/cancel-all: one OrderAck per cancelled order (its `list`).
/// Errors: the venue's; protocol_error when `list` is missing.
inline Result<std::vector<OrderAck>> parse_cancel_all(const HttpResponse& response,
                                                      JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  std::vector<OrderAck> acks;
  auto parsed = parse_result(
      response, Operation::mutation, reader, "bybit cancel-all", [&](od::value& result, FieldReader& fields) {
        return result_list(result, fields, acks, read_ack, [](std::string_view, od::value&) { return true; });
      });
  if (!parsed) return parsed.error();
  return acks;
}

/// The reply to POST /v5/order/create-batch, amend-batch or cancel-batch: one result per
/// request item, in order. An item whose `retExtInfo.list[i].code` is non-zero is that
/// code's unified error (map_ret_code, raw code kept); the others are their OrderAck.
/// Errors (for the whole reply): the venue's; protocol_error when `list` or
/// `retExtInfo.list` is missing or the two lists differ in length.
inline Result<std::vector<Result<OrderAck>>> parse_batch(const HttpResponse& response,
                                                         JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  std::vector<OrderAck> acks;
  std::vector<ItemStatus> statuses;
  bool has_statuses = false;
  auto parsed = parse_reply(
      response, Operation::mutation, reader, "bybit batch",
      [&](od::value& result, FieldReader& fields) {
        return result_list(result, fields, acks, read_ack, [](std::string_view, od::value&) { return true; });
      },
      [&](od::value& ext, FieldReader& fields) { return read_item_statuses(ext, fields, statuses, has_statuses); });
  if (!parsed) return parsed.error();
  return batch_results(std::move(acks), statuses, has_statuses);
}

/// GET /v5/order/realtime or /v5/order/history → the orders of `list` with
/// nextPageCursor. Errors: the venue's; protocol_error for an order without orderId,
/// symbol, side, orderType, orderStatus, qty or cumExecQty, an unknown enum word or a
/// positionIdx other than 0, 1, 2.
inline Result<Page<OrderReport>> parse_orders(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  Page<OrderReport> page;
  auto parsed =
      parse_result(response, Operation::read, reader, "bybit orders", [&](od::value& result, FieldReader& fields) {
        return result_list(result, fields, page.items, read_order, cursor_reader(fields, page.next_page_cursor));
      });
  if (!parsed) return parsed.error();
  return page;
}

/// GET /v5/execution/list → our executions as AccountTrades (execId → id, execFee →
/// commission, feeCurrency → commission_asset, isMaker → maker, execTime → time_ms) with
/// nextPageCursor. Funding entries (execType Funding) are not executions of an order and
/// are left out. Errors: the venue's; protocol_error for an entry without symbol, execId,
/// orderId, side, execPrice, execQty or execType.
inline Result<Page<AccountTrade>> parse_executions(const HttpResponse& response,
                                                   JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  Page<AccountTrade> page;
  auto parsed =
      parse_result(response, Operation::read, reader, "bybit executions", [&](od::value& result, FieldReader& fields) {
        bool has_list = false;
        const bool ok = visit_object(result, fields, "result", [&](std::string_view key, od::value& value) {
          if (key == "nextPageCursor") return fields.optional_string(value, page.next_page_cursor, key);
          if (key != "list") return true;
          has_list = true;
          return visit_array(value, fields, "list", [&](od::value& item, std::size_t) {
            AccountTrade trade;
            bool skip = false;
            if (!read_execution(item, fields, trade, skip)) return false;
            if (!skip) page.items.push_back(std::move(trade));
            return true;
          });
        });
        return ok && (has_list || fields.missing("list"));
      });
  if (!parsed) return parsed.error();
  return page;
}

}  // namespace cts::venue::bybit
