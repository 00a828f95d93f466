#pragma once
/// \file
/// Bybit v5 order entry over the trade WebSocket `/v5/trade` (websocket/trade/guideline.mdx):
/// the `order.create`, `order.amend` and `order.cancel` frames and their batch forms
/// `order.create-batch`, `order.amend-batch` and `order.cancel-batch`, whose single
/// argument is the REST request's body (a batch's {"category","request":[...]}), and the
/// parser of the replies (`data` is the REST `result`, a batch's per-item codes in
/// `retExtInfo.list`). Authenticate the connection first with BybitSigner::ws_auth_frame.
/// Demo trading has no trade WebSocket; the account's rate limit is shared with REST
/// (batches too: "The account rate limit is shared between websocket and http batch
/// orders").

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cts/venue/bybit/orders.hpp"
#include "cts/venue/bybit/rate_limit.hpp"
#include "cts/venue/bybit/requests.hpp"

namespace cts::venue::bybit {

/// Trade WebSocket URL (mainnet; testnet stream-testnet.bybit.com).
inline constexpr std::string_view kTradeStreamUrl = "wss://stream.bybit.com/v5/trade";

/// The reply to a trade-stream frame (also to its `auth`).
struct TradeReply {
  std::string op;                         ///< The op answered ("order.create", "auth", ...).
  std::string req_id;                     ///< Our reqId, when we sent one.
  std::string conn_id;                    ///< The connection id.
  std::optional<Error> error;             ///< The retCode's unified error (raw code kept); empty on success.
  std::optional<OrderAck> ack;            ///< `data` of a successful single order op.
  /// A batch op's items, in request order: each its OrderAck, or its `retExtInfo.list`
  /// code's unified error (raw code kept). Empty for other ops and a refused batch.
  std::vector<Result<OrderAck>> items;
  std::optional<RateLimitStatus> limits;  ///< The header's X-Bapi-Limit values, when sent.
};

namespace detail {

/// Checks `req_id`: at most 36 characters (it is written escaped, whatever it holds).
inline Result<void> check_req_id(std::string_view req_id) {
  if (req_id.size() > 36) return make_error(ErrorCode::invalid_argument, "reqId must have at most 36 characters");
  return {};
}

/// {"reqId":..,"header":{"X-BAPI-TIMESTAMP":..,"X-BAPI-RECV-WINDOW":..},"op":..,"args":[{"category":.., then
/// `write`}]}.
template <class Write>
Result<std::string> trade_frame(std::string_view op, Category category, std::string_view req_id,
                                std::int64_t timestamp_ms, std::int64_t recv_window_ms, Write&& write) {
  if (auto r = check_req_id(req_id); !r) return r.error();
  if (recv_window_ms <= 0) return make_error(ErrorCode::invalid_argument, "recv window must be positive");
  JsonBody body;
  body.begin_object();
  if (!req_id.empty()) body.string("reqId", req_id);
  body.begin_object("header")
      .string("X-BAPI-TIMESTAMP", fmt::format("{}", timestamp_ms))
      .string("X-BAPI-RECV-WINDOW", fmt::format("{}", recv_window_ms))
      .end_object();
  body.string("op", op).begin_array("args").begin_object().string("category", to_string(category));
  if (auto r = write(body); !r) return r.error();
  body.end_object().end_array().end_object();
  return std::move(body).take();
}

}  // namespace detail

/// `order.create` for `order` (the fields create_order() sends, checked the same way).
/// `timestamp_ms` must lie in [server time − recv window, server time + 1000).
inline Result<std::string> order_create_frame(Category category, const NewOrder& order, std::string_view req_id,
                                              std::int64_t timestamp_ms, std::int64_t recv_window_ms = 5000) {
  return detail::trade_frame("order.create", category, req_id, timestamp_ms, recv_window_ms,
                             [&](JsonBody& body) { return detail::write_new_order(body, order, category); });
}

/// `order.amend` (the fields amend_order() sends).
inline Result<std::string> order_amend_frame(Category category, const OrderAmendment& amendment,
                                             std::string_view req_id, std::int64_t timestamp_ms,
                                             std::int64_t recv_window_ms = 5000) {
  return detail::trade_frame("order.amend", category, req_id, timestamp_ms, recv_window_ms,
                             [&](JsonBody& body) { return detail::write_amendment(body, amendment); });
}

/// `order.cancel` (the fields cancel_order() sends).
inline Result<std::string> order_cancel_frame(Category category, const OrderRef& ref, std::string_view req_id,
                                              std::int64_t timestamp_ms, std::int64_t recv_window_ms = 5000) {
  return detail::trade_frame("order.cancel", category, req_id, timestamp_ms, recv_window_ms,
                             [&](JsonBody& body) { return detail::write_cancel(body, ref); });
}

/// `order.create-batch` for `orders` (1 to batch_limit(category); each checked as
/// create_order() checks one): {"category":..,"request":[...]} as the one argument.
inline Result<std::string> order_create_batch_frame(Category category, std::span<const NewOrder> orders,
                                                    std::string_view req_id, std::int64_t timestamp_ms,
                                                    std::int64_t recv_window_ms = 5000) {
  return detail::trade_frame("order.create-batch", category, req_id, timestamp_ms, recv_window_ms, [&](JsonBody& body) {
    return detail::write_batch_items(body, category, orders, [category](JsonBody& item, const NewOrder& order) {
      return detail::write_new_order(item, order, category);
    });
  });
}

/// `order.amend-batch` for `amendments` (1 to batch_limit(category)).
inline Result<std::string> order_amend_batch_frame(Category category, std::span<const OrderAmendment> amendments,
                                                   std::string_view req_id, std::int64_t timestamp_ms,
                                                   std::int64_t recv_window_ms = 5000) {
  return detail::trade_frame("order.amend-batch", category, req_id, timestamp_ms, recv_window_ms, [&](JsonBody& body) {
    return detail::write_batch_items(body, category, amendments, [](JsonBody& item, const OrderAmendment& amendment) {
      return detail::write_amendment(item, amendment);
    });
  });
}

/// `order.cancel-batch` for `refs` (1 to batch_limit(category)).
inline Result<std::string> order_cancel_batch_frame(Category category, std::span<const OrderRef> refs,
                                                    std::string_view req_id, std::int64_t timestamp_ms,
                                                    std::int64_t recv_window_ms = 5000) {
  return detail::trade_frame("order.cancel-batch", category, req_id, timestamp_ms, recv_window_ms, [&](JsonBody& body) {
    return detail::write_batch_items(body, category, refs,
                                     [](JsonBody& item, const OrderRef& ref) { return detail::write_cancel(item, ref); });
  });
}

/// True for the ops of the batch forms ("order.create-batch", ...).
constexpr bool is_batch_op(std::string_view op) noexcept { return op.ends_with("-batch"); }

/// Parses a trade-stream reply. A non-zero retCode is TradeReply::error (mapped as a
/// mutation: 10016 is unknown_outcome, 10019 venue_unavailable), not a parse error. A
/// batch op's `data.list` and `retExtInfo.list` become TradeReply::items; the pong's
/// `data` (an array holding the time) is skipped. `data` is read as the op it follows
/// says (the documented member order: op before data). Errors: protocol_error for
/// malformed JSON, a missing op or retCode, a malformed `data` or rate-limit header, or a
/// successful batch reply whose two lists are missing or differ in length.
inline Result<TradeReply> parse_trade_reply(std::string_view frame, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  FieldReader fields("bybit trade reply");
  auto document = reader.iterate(frame);
  if (document.error()) {
    fields.fail_document(document.error());
    return fields.take_error();
  }
  TradeReply reply;
  std::int64_t code = 0;
  bool has_code = false;
  bool has_op = false;
  std::string message;
  OrderAck ack;
  bool has_ack = false;
  std::vector<OrderAck> acks;
  std::vector<ItemStatus> statuses;
  bool has_statuses = false;
  HttpResponse limit_headers;
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& object) {
    return for_each_field(object, fields, [&](std::string_view key, od::value& v) {
      if (key == "retCode") return has_code = true, fields.int64(v, code, key);
      if (key == "retMsg") return fields.optional_string(v, message, key);
      if (key == "op") return has_op = true, fields.string(v, reply.op, key);
      if (key == "reqId") return fields.optional_string(v, reply.req_id, key);
      if (key == "connId") return fields.optional_string(v, reply.conn_id, key);
      if (key == "data") {
        if ((has_code && code != 0) || reply.op == "pong") return true;
        if (is_batch_op(reply.op)) {
          return result_list(v, fields, acks, read_ack, [](std::string_view, od::value&) { return true; });
        }
        has_ack = true;
        return read_ack(v, fields, ack);
      }
      if (key == "retExtInfo") {
        if ((has_code && code != 0) || !is_batch_op(reply.op)) return true;
        return read_item_statuses(v, fields, statuses, has_statuses);
      }
      if (key == "header") {
        return visit_object(v, fields, "header", [&](std::string_view name, od::value& h) {
          std::string_view text;
          if (!name.starts_with("X-Bapi-Limit")) return true;
          if (!fields.string(h, text, name)) return false;
          limit_headers.set_header(name, text);
          return true;
        });
      }
      return true;
    });
  });
  if (!ok) return fields.take_error();
  if (!has_op) return fields.missing("op"), fields.take_error();
  if (!has_code) return fields.missing("retCode"), fields.take_error();
  if (code != 0) {
    reply.error = ret_code_error(static_cast<long>(code), message, Operation::mutation);
  } else if (has_ack) {
    reply.ack = std::move(ack);
  } else if (is_batch_op(reply.op)) {
    auto items = batch_results(std::move(acks), statuses, has_statuses);
    if (!items) return items.error();
    reply.items = std::move(*items);
  }
  auto limits = parse_rate_limit_headers(limit_headers);
  if (!limits) return limits.error();
  reply.limits = *limits;
  return reply;
}

}  // namespace cts::venue::bybit
