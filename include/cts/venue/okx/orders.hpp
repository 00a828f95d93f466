#pragma once
/// \file
/// OKX v5 order replies into the unified types: the per-item acknowledgements of place,
/// amend and cancel and of their batch forms ("Place order", "Amend order", "Cancel
/// order", "Place/Amend/Cancel multiple orders": `ordId`, `clOrdId`, `ts`, `sCode`,
/// `sMsg`), "Cancel All After", order lists and details ("Get order list", "Get order
/// history (last 7 days)", "Get order details") and fills ("Get transaction details
/// (last 3 days)"). OKX acknowledges a mutation per item: sCode "0" means the request
/// was accepted, not what became of the order, which a query or the order stream
/// reports. The item readers serve the WebSocket order operations too, whose replies
/// carry the same items.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/venue/okx/enums.hpp"
#include "cts/venue/okx/envelope.hpp"

namespace cts::venue::okx {

/// The outcome of one item of an order operation.
struct ItemOutcome {
  OrderAck ack;                ///< ordId, clOrdId and ts (the symbol stays empty: OKX's items do not name it).
  std::optional<Error> error;  ///< The item's refusal (sCode ≠ 0, mapped with the code kept); none when accepted.
};

/// A page of a list reply and where the next (older) page starts.
template <class T>
struct Page {
  std::vector<T> items;  ///< The entries of this page, newest first as OKX sends them.
  std::string after;     ///< The id to pass as `after` for the next page (the last entry's ordId or billId); empty when
                         ///< the page is empty.
};

/// What "Cancel All After" answered.
struct CancelAllAfterAck {
  std::int64_t trigger_time = 0;  ///< `triggerTime` as OKX writes it; 0 means the switch is disarmed.
  std::int64_t time = 0;          ///< `ts`: when OKX received the request, as OKX writes it.
};

namespace detail {

/// Reads one acknowledgement item (ordId, clOrdId, ts, sCode, sMsg; sCode required) of
/// an `operation` into `out`.
inline bool read_item(od::value& value, FieldReader& fields, ItemOutcome& out, Operation operation) {
  std::int64_t code = 0;
  std::string message;
  bool has_code = false;
  const bool ok = visit_object(value, fields, "data[]", [&](std::string_view key, od::value& v) {
    if (auto status = read_item_status(key, v, fields, code, message, has_code)) return *status;
    if (key == "ordId") return fields.optional_string(v, out.ack.order_id, key);
    if (key == "clOrdId") return fields.optional_string(v, out.ack.client_order_id, key);
    if (key == "ts") return digits_text(fields, v, out.ack.time_ms, key, true);
    return true;
  });
  if (!ok) return false;
  if (!has_code) return fields.missing("sCode");
  if (code != 0) out.error = code_error(static_cast<long>(code), message, operation);
  return true;
}

/// Reads `reduceOnly`, which OKX writes as the string "true"/"false" in order lists
/// (and as a JSON boolean in requests).
inline bool read_flag(od::value& value, FieldReader& fields, bool& out, std::string_view field) {
  auto type = value.type();
  if (!type.error() && type.value_unsafe() == od::json_type::boolean) return fields.boolean(value, out, field);
  std::string_view text;
  if (!fields.string(value, text, field)) return false;
  if (text == "true") return out = true, true;
  if (text == "false" || text.empty()) return out = false, true;
  return fields.fail(field, "is not true or false");
}

/// Reads one order of an order list, of order details or of the `orders` channel,
/// handing every member it does not read to `extra(key, value)` (which returns false
/// to fail). Required: instId, ordId, side, ordType, state, sz, accFillSz.
template <class Extra>
bool read_order_with(od::value& value, FieldReader& fields, OrderReport& order, Extra&& extra) {
  static constexpr std::string_view kRequired[] = {"instId", "ordId", "side", "ordType", "state", "sz", "accFillSz"};
  Seen seen;
  OrderKind kind;
  std::string_view target_currency;
  std::int64_t created = 0;
  const bool ok = visit_object(value, fields, "data[]", [&](std::string_view key, od::value& v) {
    if (key == "instId") return seen.mark(0), fields.string(v, order.symbol, key);
    if (key == "ordId") return seen.mark(1), fields.string_id(v, order.order_id, key);
    if (key == "side") return seen.mark(2), fields.enumeration(v, order.side, key, parse_side);
    if (key == "ordType") return seen.mark(3), fields.enumeration(v, kind, key, parse_order_type);
    if (key == "state") return seen.mark(4), fields.enumeration(v, order.status, key, parse_order_state);
    if (key == "sz") return seen.mark(5), fields.decimal(v, order.quantity, key);
    if (key == "accFillSz") return seen.mark(6), fields.decimal(v, order.executed_quantity, key);
    if (key == "clOrdId") return fields.optional_string(v, order.client_order_id, key);
    if (key == "px") return decimal_or_empty(fields, v, order.price, key);
    if (key == "avgPx") return decimal_or_empty(fields, v, order.average_price, key);
    if (key == "posSide") return fields.enumeration(v, order.position_side, key, parse_position_side);
    if (key == "reduceOnly") return read_flag(v, fields, order.reduce_only, key);
    if (key == "tgtCcy") return fields.string(v, target_currency, key);
    if (key == "uTime") return digits_text(fields, v, order.time_ms, key, true);
    if (key == "cTime") return digits_text(fields, v, created, key, true);
    return extra(key, v);
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  order.type = kind.type;
  order.time_in_force = kind.time_in_force;
  if (order.time_ms == 0) order.time_ms = created;
  // A SPOT market order sized in quote (OKX's default for market buys; cts sends
  // base_ccy) has no base size: what has filled is all that is known of it.
  if (target_currency == "quote_ccy") order.quantity = order.executed_quantity;
  return true;
}

/// Reads one order of an order list or of order details (read_order_with() without
/// extra members).
inline bool read_order(od::value& value, FieldReader& fields, OrderReport& order) {
  return read_order_with(value, fields, order, [](std::string_view, od::value&) { return true; });
}

/// Reads one fill. Required: instId, tradeId, ordId, side, fillPx, fillSz, billId
/// (`bill_id` receives the last, the list's cursor).
inline bool read_fill(od::value& value, FieldReader& fields, AccountTrade& trade, std::string& bill_id) {
  static constexpr std::string_view kRequired[] = {"instId", "tradeId", "ordId", "side", "fillPx", "fillSz", "billId"};
  Seen seen;
  Decimal fee;
  std::string_view exec_type;
  std::int64_t generated = 0;
  const bool ok = visit_object(value, fields, "data[]", [&](std::string_view key, od::value& v) {
    if (key == "instId") return seen.mark(0), fields.string(v, trade.symbol, key);
    if (key == "tradeId") return seen.mark(1), fields.string_id(v, trade.id, key);
    if (key == "ordId") return seen.mark(2), fields.string_id(v, trade.order_id, key);
    if (key == "side") return seen.mark(3), fields.enumeration(v, trade.side, key, parse_side);
    if (key == "fillPx") return seen.mark(4), fields.decimal(v, trade.price, key);
    if (key == "fillSz") return seen.mark(5), fields.decimal(v, trade.quantity, key);
    if (key == "billId") return seen.mark(6), fields.string_id(v, bill_id, key);
    if (key == "fee") return decimal_or_empty(fields, v, fee, key);
    if (key == "feeCcy") return fields.string(v, trade.commission_asset, key);
    if (key == "fillPnl") return decimal_or_empty(fields, v, trade.realized_pnl, key);
    if (key == "execType") return fields.string(v, exec_type, key);
    if (key == "fillTime") return digits_text(fields, v, trade.time_ms, key, true);
    if (key == "ts") return digits_text(fields, v, generated, key, true);
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  // OKX writes a fee charged as a negative amount and a rebate as a positive one.
  trade.commission = -fee;
  trade.maker = exec_type == "M";
  if (trade.time_ms == 0) trade.time_ms = generated;
  return true;
}

}  // namespace detail

/// The reply to POST /api/v5/trade/order, amend-order or cancel-order (one item) →
/// the acknowledgement. Errors: the item's sCode mapped (errors.hpp, e.g. 51008
/// insufficient_funds, 51016 duplicate_client_order_id, 51400 and 51503 rejected: the
/// order is already final or unknown), else the envelope's code; protocol_error for
/// anything but one item with an sCode.
inline Result<OrderAck> parse_order_ack(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  std::vector<ItemOutcome> items;
  auto parsed = parse_envelope(
      response, Operation::mutation, reader, "okx order",
      [&](od::value& item, FieldReader& fields) {
        return read_item(item, fields, items.emplace_back(), Operation::mutation);
      },
      true);
  if (!parsed) return parsed.error();
  if (items.size() != 1) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("okx order: data holds {} items, expected 1", items.size()));
  }
  if (items.front().error) return *items.front().error;
  return std::move(items.front().ack);
}

/// The reply to POST /api/v5/trade/batch-orders, amend-batch-orders or
/// cancel-batch-orders → one ItemOutcome per item, in request order, each with its own
/// error (code "1": all failed, "2": some did). Errors: the envelope's code when no item
/// came back; protocol_error for an item without sCode.
inline Result<std::vector<ItemOutcome>> parse_batch(const HttpResponse& response,
                                                    JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  std::vector<ItemOutcome> items;
  auto parsed = parse_envelope(
      response, Operation::mutation, reader, "okx batch",
      [&](od::value& item, FieldReader& fields) {
        return read_item(item, fields, items.emplace_back(), Operation::mutation);
      },
      true);
  if (!parsed) return parsed.error();
  return items;
}

/// The reply to POST /api/v5/trade/cancel-all-after → triggerTime and ts. Errors: the
/// venue's; protocol_error when data does not hold one object with triggerTime.
inline Result<CancelAllAfterAck> parse_cancel_all_after(const HttpResponse& response,
                                                        JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  CancelAllAfterAck ack;
  auto parsed = parse_single(
      response, Operation::mutation, reader, "okx cancel-all-after", [&](od::value& item, FieldReader& fields) {
        bool has_trigger = false;
        return visit_object(item, fields, "data[]",
                            [&](std::string_view key, od::value& v) {
                              if (key == "triggerTime")
                                return has_trigger = true, digits_text(fields, v, ack.trigger_time, key, true);
                              if (key == "ts") return digits_text(fields, v, ack.time, key, true);
                              return true;
                            }) &&
               (has_trigger || fields.missing("triggerTime"));
      });
  if (!parsed) return parsed.error();
  return ack;
}

/// GET /api/v5/trade/orders-pending, orders-history or order → the orders of `data`
/// (newest first) with the last ordId as the next page's `after`: instId → symbol,
/// ordType → type and time in force, state → status (live new_, partially_filled,
/// filled, canceled and mmp_canceled canceled), sz → quantity, accFillSz →
/// executed_quantity, px → price and avgPx → average_price ("" → 0), posSide "net" or ""
/// → both, reduceOnly, uTime (cTime when empty) → time_ms. OKX reports no cumulative
/// quote (left 0: average_price carries the fill price). A SPOT market order sized in
/// quote (tgtCcy quote_ccy) reports quantity = accFillSz. Errors: the venue's (51603
/// order_not_found for order details); protocol_error for an order without a required
/// field or with an unknown side, ordType, state or posSide.
inline Result<Page<OrderReport>> parse_orders(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  Page<OrderReport> page;
  auto parsed = parse_envelope(
      response, Operation::read, reader, "okx orders",
      [&](od::value& item, FieldReader& fields) { return read_order(item, fields, page.items.emplace_back()); });
  if (!parsed) return parsed.error();
  if (!page.items.empty()) page.after = page.items.back().order_id;
  return page;
}

/// GET /api/v5/trade/fills → AccountTrades (newest first) with the last billId as the
/// next page's `after`: tradeId → id, ordId → order_id, fillPx → price, fillSz →
/// quantity (base for SPOT, contracts for SWAP), −fee → commission (OKX writes a charge
/// as a negative fee and a rebate as a positive one), feeCcy → commission_asset,
/// fillPnl → realized_pnl, execType M → maker, fillTime (ts when empty) → time_ms;
/// quote_quantity is left 0 (OKX does not report it). Errors: the venue's;
/// protocol_error for a fill without a required field or with an unknown side.
inline Result<Page<AccountTrade>> parse_fills(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  Page<AccountTrade> page;
  auto parsed =
      parse_envelope(response, Operation::read, reader, "okx fills", [&](od::value& item, FieldReader& fields) {
        return read_fill(item, fields, page.items.emplace_back(), page.after);
      });
  if (!parsed) return parsed.error();
  return page;
}

}  // namespace cts::venue::okx
