#pragma once
/// \file
/// OKX v5 order entry over the private WebSocket (`/ws/v5/private`, after `login`),
/// sans-I/O: builders of the request frames of the ops `order`, `cancel-order`,
/// `amend-order`, `batch-orders`, `batch-cancel-orders` and `batch-amend-orders`
/// (okx.com/docs-v5/en "Order Book Trading > Trade > WS / Place order", "WS / Cancel
/// order", "WS / Amend order", "WS / Place multiple orders", "WS / Cancel multiple
/// orders", "WS / Amend multiple orders"), the parser of their replies into the unified
/// results the REST parsers give (orders.hpp), and the correlation of a reply with its
/// request by `id`. Nothing here opens a connection: the engine's order route drives
/// these builders through WsOrderEntry (ws_order_entry.hpp).
///
/// A request is `{"id":"<id>","op":"<op>"[,"expTime":"<ms>"],"args":[{...},...]}`: the
/// items are written by the REST writers of requests.hpp (same fields, same checks), the
/// instrument as `"instIdCode":<integer>` instead of `"instId"`. A reply is
/// `{"id","op","data":[{ordId,clOrdId,tag,ts,sCode,sMsg,subCode},...],"code","msg",
/// "inTime","outTime"}`: code "0" all accepted, "1" all failed, "2" some failed (each
/// item with its sCode), any other code the request refused as a whole with `data` empty
/// (60013 "Invalid args" for a malformed request).
///
/// instIdCode, what the documentation says (the pages above and "Get instruments", as
/// published in 2026): it is an Integer, "Instrument ID code", listed by
/// `GET /api/v5/public/instruments` (and the `instruments` channel) for each instId;
/// for the same instId it may differ between production and demo trading; it "is null
/// when the value is not generated"; it changes when an instrument is relisted and
/// stays when its instId is renamed (the SBE market data page). The six WS order pages
/// list `instIdCode` as required and no `instId`; their January 2026 versions listed
/// both as conditional ("If both instId and instIdCode are provided, instIdCode takes
/// precedence"; instId "will be deprecated on February 2026"). The REST order endpoints
/// still take `instId`.
/// Assumed, not documented: that OKX refuses a WS order op carrying instId alone (client
/// libraries report `50014 Parameter instIdCode can not be empty`), so the builders never
/// send instId; that a code, once listed, stays valid for the life of a connection (a
/// relisted instrument gets a new one: reload the instruments); that the reply's `id`
/// echoes the request's byte for byte.
///
/// Where instIdCode lives: the unified Instrument has no venue-specific slot, so the
/// code stays OKX's (Listing::inst_id_code, read by parse_instruments) and the builders
/// take an InstIdCodes table built from the listings. Unified orders keep naming the
/// instrument by its instId (NewOrder::symbol, OrderRef::symbol), which the builders
/// check and translate.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cts/venue/okx/market.hpp"
#include "cts/venue/okx/orders.hpp"
#include "cts/venue/okx/requests.hpp"

namespace cts::venue::okx {

/// The WebSocket order operations.
enum class WsOrderOp : std::uint8_t {
  order,                ///< `order`: place one order.
  cancel_order,         ///< `cancel-order`: cancel one order.
  amend_order,          ///< `amend-order`: amend one order.
  batch_orders,         ///< `batch-orders`: place 1 to kBatchLimit orders.
  batch_cancel_orders,  ///< `batch-cancel-orders`: cancel 1 to kBatchLimit orders.
  batch_amend_orders,   ///< `batch-amend-orders`: amend 1 to kBatchLimit orders.
};

/// The op as OKX spells it ("order", "cancel-order", ...).
constexpr std::string_view to_string(WsOrderOp op) noexcept {
  switch (op) {
    case WsOrderOp::order: return "order";
    case WsOrderOp::cancel_order: return "cancel-order";
    case WsOrderOp::amend_order: return "amend-order";
    case WsOrderOp::batch_orders: return "batch-orders";
    case WsOrderOp::batch_cancel_orders: return "batch-cancel-orders";
    case WsOrderOp::batch_amend_orders: return "batch-amend-orders";
  }
  return "invalid";
}

/// The op OKX spells `text`; nullopt for any other word (other ops, such as
/// `mass-cancel` or the spread ops, are not built).
constexpr std::optional<WsOrderOp> parse_ws_order_op(std::string_view text) noexcept {
  for (const WsOrderOp op : {WsOrderOp::order, WsOrderOp::cancel_order, WsOrderOp::amend_order, WsOrderOp::batch_orders,
                             WsOrderOp::batch_cancel_orders, WsOrderOp::batch_amend_orders}) {
    if (to_string(op) == text) return op;
  }
  return std::nullopt;
}

/// The REST endpoint whose rate limit `op` with `items` orders shares, as the rate
/// policy (cts/rate/policies/okx.hpp) names it: each WS page says "Rate limit is
/// shared with the `Place order` (`Cancel order`, `Amend order`, `Place multiple
/// orders`, ...) REST API endpoints", and a batch of one order "will consume the rate
/// limit of" the single op.
constexpr std::string_view rate_endpoint(WsOrderOp op, std::size_t items) noexcept {
  switch (op) {
    case WsOrderOp::order: return "POST /api/v5/trade/order";
    case WsOrderOp::cancel_order: return "POST /api/v5/trade/cancel-order";
    case WsOrderOp::amend_order: return "POST /api/v5/trade/amend-order";
    case WsOrderOp::batch_orders: return items == 1 ? "POST /api/v5/trade/order" : "POST /api/v5/trade/batch-orders";
    case WsOrderOp::batch_cancel_orders:
      return items == 1 ? "POST /api/v5/trade/cancel-order" : "POST /api/v5/trade/cancel-batch-orders";
    case WsOrderOp::batch_amend_orders:
      return items == 1 ? "POST /api/v5/trade/amend-order" : "POST /api/v5/trade/amend-batch-orders";
  }
  return {};
}

/// True for the batch ops.
constexpr bool is_batch(WsOrderOp op) noexcept {
  return op == WsOrderOp::batch_orders || op == WsOrderOp::batch_cancel_orders || op == WsOrderOp::batch_amend_orders;
}

/// The instIdCode of each instId: what the builders translate NewOrder::symbol and
/// OrderRef::symbol with. Build it from the listings of parse_instruments() of the
/// environment the orders go to (production and demo codes differ) and rebuild it when
/// the instruments are reloaded. A value type; copy freely.
class InstIdCodes {
 public:
  /// The codes of `listings`; a listing without one (inst_id_code 0) is left out.
  static InstIdCodes from_listings(std::span<const Listing> listings) {
    InstIdCodes codes;
    for (const Listing& listing : listings) {
      if (listing.inst_id_code > 0) codes.codes_[listing.listed.instrument.venue_symbol] = listing.inst_id_code;
    }
    return codes;
  }

  /// Sets the code of `inst_id`, replacing any. invalid_argument for an empty id or a
  /// code that is not positive.
  Result<void> set(std::string_view inst_id, std::int64_t code) {
    if (inst_id.empty()) return make_error(ErrorCode::invalid_argument, "instIdCode: the instrument id is empty");
    if (code <= 0) return make_error(ErrorCode::invalid_argument, "instIdCode must be positive");
    codes_.insert_or_assign(std::string(inst_id), code);
    return {};
  }

  /// The code of `inst_id`; nullopt when none is known.
  [[nodiscard]] std::optional<std::int64_t> find(std::string_view inst_id) const {
    const auto it = codes_.find(inst_id);
    if (it == codes_.end()) return std::nullopt;
    return it->second;
  }

  /// How many instruments have a code.
  [[nodiscard]] std::size_t size() const noexcept { return codes_.size(); }

 private:
  std::map<std::string, std::int64_t, std::less<>> codes_;
};

/// What a request may add besides its items.
struct WsOrderOptions {
  /// `expTime`: OKX drops the request when it is still unprocessed at this time (Unix
  /// ms, positive); none by default.
  std::optional<std::int64_t> expire_time_ms;
};

/// A request frame ready to send, and what its reply is matched against.
struct WsOrderFrame {
  std::string id;                   ///< The request's `id`, which the reply echoes.
  WsOrderOp op = WsOrderOp::order;  ///< The op.
  std::size_t items = 0;            ///< Orders in `args` (1 for the single ops).
  std::string_view rate_endpoint;   ///< rate_endpoint(op, items): the REST limit the request is charged to.
  std::string text;                 ///< The frame's text.
};

namespace detail {

/// Checks a request id: 1 to 32 ASCII letters and digits ("A combination of
/// case-sensitive alphanumerics, all numbers, or all letters of up to 32 characters").
inline Result<void> check_request_id(std::string_view id) {
  if (id.empty() || id.size() > 32) {
    return make_error(ErrorCode::invalid_argument, "a WebSocket request id must have 1 to 32 characters");
  }
  for (const char c : id) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      return make_error(ErrorCode::invalid_argument, "a WebSocket request id must be letters and digits");
    }
  }
  return {};
}

/// The instIdCode of `inst_id` (checked as an instrument id of `type` first):
/// invalid_argument when it is malformed or `codes` has no code for it.
inline Result<std::int64_t> inst_id_code_of(const InstIdCodes& codes, std::string_view inst_id, InstType type) {
  if (auto r = check_inst_id(inst_id, type); !r) return r.error();
  const std::optional<std::int64_t> code = codes.find(inst_id);
  if (!code) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("no instIdCode is known for {} (load the instruments first)", inst_id));
  }
  return *code;
}

/// A frame `{"id","op"[,"expTime"],"args":...}` whose args `write_args(body)` writes
/// (the member "args" included), holding `items` orders.
template <class WriteArgs>
Result<WsOrderFrame> ws_frame(std::string_view id, WsOrderOp op, const WsOrderOptions& options, std::size_t items,
                              WriteArgs&& write_args) {
  if (auto r = check_request_id(id); !r) return r.error();
  if (options.expire_time_ms && *options.expire_time_ms <= 0) {
    return make_error(ErrorCode::invalid_argument, "expTime must be a positive time in ms");
  }
  JsonBody body;
  body.begin_object().string("id", id).string("op", to_string(op));
  if (options.expire_time_ms) body.string("expTime", fmt::format("{}", *options.expire_time_ms));
  if (auto r = write_args(body); !r) return r.error();
  body.end_object();
  return WsOrderFrame{std::string(id), op, items, rate_endpoint(op, items), std::move(body).take()};
}

/// A single op: `"args":[{item}]` with `write(body, code)` given the instIdCode of
/// `inst_id`.
template <class Write>
Result<WsOrderFrame> ws_single(std::string_view id, WsOrderOp op, const WsOrderOptions& options,
                               const InstIdCodes& codes, std::string_view inst_id, InstType type, Write&& write) {
  return ws_frame(id, op, options, 1, [&](JsonBody& body) -> Result<void> {
    Result<std::int64_t> code = inst_id_code_of(codes, inst_id, type);
    if (!code) return code.error();
    body.begin_array("args").begin_object();
    if (auto r = write(body, *code); !r) return r;
    body.end_object().end_array();
    return {};
  });
}

/// A batch op: `"args":[{item},...]`, 1 to kBatchLimit items, each written by
/// `write(body, item, code)` given the instIdCode of `symbol_of(item)`.
template <class T, class SymbolOf, class Write>
Result<WsOrderFrame> ws_batch(std::string_view id, WsOrderOp op, const WsOrderOptions& options,
                              const InstIdCodes& codes, std::span<const T> items, InstType type, SymbolOf&& symbol_of,
                              Write&& write) {
  return ws_frame(id, op, options, items.size(), [&](JsonBody& body) {
    return write_batch_items(
        body, items,
        [&](JsonBody& item_body, const T& item) -> Result<void> {
          Result<std::int64_t> code = inst_id_code_of(codes, symbol_of(item), type);
          if (!code) return code.error();
          return write(item_body, item, *code);
        },
        "args");
  });
}

}  // namespace detail

/// The `order` frame of `order` (the fields of place_order(), instIdCode for instId).
/// invalid_argument for an id that is not 1 to 32 letters and digits, a non-positive
/// expTime, an instrument without a code in `codes`, and whatever place_order() refuses
/// (unsupported for a trigger order type).
inline Result<WsOrderFrame> ws_place_order(std::string_view id, InstType type, const NewOrder& order, TradeMode mode,
                                           const InstIdCodes& codes, const WsOrderOptions& options = {}) {
  return detail::ws_single(
      id, WsOrderOp::order, options, codes, order.symbol, type,
      [&](JsonBody& body, std::int64_t code) { return detail::write_new_order(body, order, type, mode, code); });
}

/// ws_place_order() with default_trade_mode(type).
inline Result<WsOrderFrame> ws_place_order(std::string_view id, InstType type, const NewOrder& order,
                                           const InstIdCodes& codes, const WsOrderOptions& options = {}) {
  return ws_place_order(id, type, order, default_trade_mode(type), codes, options);
}

/// The `cancel-order` frame of `ref`: instIdCode and ordId (preferred) or clOrdId.
/// Errors as ws_place_order() for the id, expTime and code; invalid_argument for a
/// malformed reference.
inline Result<WsOrderFrame> ws_cancel_order(std::string_view id, InstType type, const OrderRef& ref,
                                            const InstIdCodes& codes, const WsOrderOptions& options = {}) {
  return detail::ws_single(
      id, WsOrderOp::cancel_order, options, codes, ref.symbol, type,
      [&](JsonBody& body, std::int64_t code) { return detail::write_cancel(body, ref, type, code); });
}

/// The `amend-order` frame of `amendment`: instIdCode, ordId or clOrdId, newSz, newPx.
/// Errors as ws_place_order() for the id, expTime and code, and whatever amend_order()
/// refuses.
inline Result<WsOrderFrame> ws_amend_order(std::string_view id, InstType type, const OrderAmendment& amendment,
                                           const InstIdCodes& codes, const WsOrderOptions& options = {}) {
  return detail::ws_single(
      id, WsOrderOp::amend_order, options, codes, amendment.order.symbol, type,
      [&](JsonBody& body, std::int64_t code) { return detail::write_amendment(body, amendment, type, code); });
}

/// The `batch-orders` frame of 1 to kBatchLimit orders, each as ws_place_order()
/// writes one. invalid_argument for another count, else the first refused order's
/// error.
inline Result<WsOrderFrame> ws_place_batch(std::string_view id, InstType type, std::span<const NewOrder> orders,
                                           TradeMode mode, const InstIdCodes& codes,
                                           const WsOrderOptions& options = {}) {
  return detail::ws_batch(
      id, WsOrderOp::batch_orders, options, codes, orders, type,
      [](const NewOrder& order) -> std::string_view { return order.symbol; },
      [&](JsonBody& body, const NewOrder& order, std::int64_t code) {
        return detail::write_new_order(body, order, type, mode, code);
      });
}

/// The `batch-cancel-orders` frame of 1 to kBatchLimit references. Errors as
/// ws_place_batch().
inline Result<WsOrderFrame> ws_cancel_batch(std::string_view id, InstType type, std::span<const OrderRef> refs,
                                            const InstIdCodes& codes, const WsOrderOptions& options = {}) {
  return detail::ws_batch(
      id, WsOrderOp::batch_cancel_orders, options, codes, refs, type,
      [](const OrderRef& ref) -> std::string_view { return ref.symbol; },
      [&](JsonBody& body, const OrderRef& ref, std::int64_t code) {
        return detail::write_cancel(body, ref, type, code);
      });
}

/// The `batch-amend-orders` frame of 1 to kBatchLimit amendments. Errors as
/// ws_place_batch().
inline Result<WsOrderFrame> ws_amend_batch(std::string_view id, InstType type,
                                           std::span<const OrderAmendment> amendments, const InstIdCodes& codes,
                                           const WsOrderOptions& options = {}) {
  return detail::ws_batch(
      id, WsOrderOp::batch_amend_orders, options, codes, amendments, type,
      [](const OrderAmendment& amendment) -> std::string_view { return amendment.order.symbol; },
      [&](JsonBody& body, const OrderAmendment& amendment, std::int64_t code) {
        return detail::write_amendment(body, amendment, type, code);
      });
}

/// A reply to one of our WebSocket order requests.
struct WsOrderReply {
  std::string id;                   ///< `id`: the request it answers.
  WsOrderOp op = WsOrderOp::order;  ///< `op`.
  /// The request refused as a whole: a `code` other than 0, 1 and 2 (e.g. 60013
  /// invalid_argument, 50014 when a parameter is missing), or 1 / 2 without items,
  /// mapped by errors.hpp with the raw code in Error::venue_code; none otherwise.
  std::optional<Error> error;
  std::vector<ItemOutcome> items;  ///< One per `data` item, in request order, each with its own sCode's error.
  std::int64_t in_time_us = 0;     ///< `inTime`: when OKX's gateway received the request (µs); 0 when absent.
  std::int64_t out_time_us = 0;    ///< `outTime`: when it sent the reply (µs); 0 when absent.
};

/// Parses a reply `frame` to a WebSocket order request: `id`, `op`, `code`, `msg`,
/// `data` (each item read as the REST order parsers read theirs: ordId, clOrdId, ts,
/// sCode, sMsg; tag, reqId and subCode are skipped), `inTime`, `outTime`. A request
/// refused as a whole is a WsOrderReply with `error` set, so that it can still be
/// matched by its id. Errors: the venue's code error when the frame carries no id to
/// match it by (an `{"event":"error","code":"60012",...}` frame); protocol_error naming
/// the field for malformed JSON, a missing or non-string `id`, an `op` that is not one
/// of the six, a missing code or data, or an item without a numeric sCode (the
/// documentation's placeholder "5XXXX" included). The JsonReader's views are not kept.
inline Result<WsOrderReply> parse_ws_order_reply(std::string_view frame, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  WsOrderReply reply;
  bool has_id = false;
  bool has_op = false;
  Result<Envelope> envelope = parse_envelope_text(
      frame, 200, Operation::mutation, reader, "okx ws order",
      [&](od::value& item, FieldReader& fields) {
        return read_item(item, fields, reply.items.emplace_back(), Operation::mutation);
      },
      true,
      [&](std::string_view key, od::value& value, FieldReader& fields) {
        if (key == "id") {
          if (!fields.string(value, reply.id, key)) return false;
          return has_id = true;
        }
        if (key == "op") {
          if (!fields.enumeration(value, reply.op, key, parse_ws_order_op)) return false;
          return has_op = true;
        }
        if (key == "inTime") return digits_text(fields, value, reply.in_time_us, key, true);
        if (key == "outTime") return digits_text(fields, value, reply.out_time_us, key, true);
        return true;
      });
  if (!envelope) {
    if (envelope.error().venue_code.empty() || !has_id || !has_op) return envelope.error();
    reply.error = std::move(envelope.error());
    reply.items.clear();
    return reply;
  }
  if (!has_id) return make_error(ErrorCode::protocol_error, "okx ws order: field \"id\" is missing");
  if (!has_op) return make_error(ErrorCode::protocol_error, "okx ws order: field \"op\" is missing");
  return reply;
}

/// The reply to a single op (`order`, `cancel-order`, `amend-order`) → the
/// acknowledgement, as parse_order_ack() gives it for the REST reply. Errors: the
/// request's error, else the item's (sCode mapped, the code kept: 51008
/// insufficient_funds, 51400 rejected, ...); protocol_error for anything but one item.
inline Result<OrderAck> ws_order_ack(const WsOrderReply& reply) {
  if (reply.error) return *reply.error;
  if (reply.items.size() != 1) {
    return make_error(ErrorCode::protocol_error, fmt::format("okx ws {}: data holds {} items, expected 1",
                                                             to_string(reply.op), reply.items.size()));
  }
  if (reply.items.front().error) return *reply.items.front().error;
  return reply.items.front().ack;
}

/// The reply to a batch op → one ItemOutcome per order, in request order, each with its
/// own error (code "1": all failed, "2": some did), as parse_batch() gives them for the
/// REST reply. Errors: the request's error.
inline Result<std::vector<ItemOutcome>> ws_batch_outcomes(const WsOrderReply& reply) {
  if (reply.error) return *reply.error;
  return reply.items;
}

/// A request awaiting its reply.
struct PendingWsOrder {
  WsOrderOp op = WsOrderOp::order;  ///< Its op.
  std::size_t items = 0;            ///< Orders it carried.
};

/// The requests sent on one connection and not yet answered, by id: a reply is matched
/// to its request by `id` and checked against it (same op; as many items as orders sent,
/// unless the request was refused as a whole). Not thread-safe; one per connection.
class WsOrderCorrelator {
 public:
  /// Records `frame` as sent. invalid_argument when a request with its id still awaits
  /// a reply (ids must be unique among the requests in flight).
  Result<void> sent(const WsOrderFrame& frame) {
    if (!pending_.try_emplace(frame.id, PendingWsOrder{frame.op, frame.items}).second) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("okx ws: request id {} is already awaiting a reply", frame.id));
    }
    return {};
  }

  /// The request `reply` answers, which no longer awaits. protocol_error when no request
  /// with the reply's id awaits one, or (the request then still awaits) when the op
  /// differs or the reply has items but not as many as the request had orders.
  Result<PendingWsOrder> answer(const WsOrderReply& reply) {
    const auto it = pending_.find(reply.id);
    if (it == pending_.end()) {
      return make_error(ErrorCode::protocol_error,
                        fmt::format("okx ws: a reply to {} matches no request awaiting one", reply.id.substr(0, 32)));
    }
    const PendingWsOrder pending = it->second;
    if (pending.op != reply.op) {
      return make_error(ErrorCode::protocol_error, fmt::format("okx ws: request {} was {}, the reply is {}", reply.id,
                                                               to_string(pending.op), to_string(reply.op)));
    }
    if (!reply.items.empty() && reply.items.size() != pending.items) {
      return make_error(ErrorCode::protocol_error, fmt::format("okx ws: request {} had {} orders, the reply {} items",
                                                               reply.id, pending.items, reply.items.size()));
    }
    pending_.erase(it);
    return pending;
  }

  /// Forgets every awaiting request and returns their ids (the connection closed: their
  /// outcomes are unknown until the orders are queried).
  std::vector<std::string> abandon() {
    std::vector<std::string> ids;
    ids.reserve(pending_.size());
    for (const auto& entry : pending_) ids.push_back(entry.first);
    pending_.clear();
    return ids;
  }

  /// How many requests await a reply.
  [[nodiscard]] std::size_t awaiting() const noexcept { return pending_.size(); }

 private:
  std::map<std::string, PendingWsOrder, std::less<>> pending_;
};

}  // namespace cts::venue::okx
