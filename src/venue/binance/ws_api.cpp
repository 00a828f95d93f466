// Binance spot's WebSocket API requests and replies (web-socket-api.md).
#include "cts/venue/binance/ws_api.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "cts/core/json_string.hpp"
#include "cts/sign/encoding.hpp"
#include "cts/venue/binance/rest_parsers.hpp"
#include "cts/venue/binance/spot_requests.hpp"

namespace cts::venue::binance::ws_api {

namespace {

using detail::FieldReader;
using detail::for_each_element;
using detail::for_each_field;
using detail::visit_object;
namespace od = simdjson::ondemand;

/// The REST builder's query "k=v&..." as decoded pairs (its values are percent-encoded).
Result<Params> params_of_query(std::string_view query) {
  Params params;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) return make_error(ErrorCode::internal, "a REST parameter without '='");
    Result<std::string> value = sign::percent_decode(item.substr(eq + 1));
    if (!value) return value.error();
    params.emplace_back(std::string(item.substr(0, eq)), std::move(*value));
  }
  return params;
}

/// The call carrying a REST request's parameters and costs under `method`.
Result<Call> from_rest(Result<Request> request, std::string_view method) {
  if (!request) return request.error();
  Result<Params> params = params_of_query(request->http.query);
  if (!params) return params.error();
  return Call{method,
              std::move(*params),
              request->endpoint,
              request->weight,
              request->order_count,
              request->mutation ? Operation::mutation : Operation::read};
}

bool is_number_param(std::string_view name) {
  return name == "timestamp" || name == "recvWindow" || name == "orderId" || name == "cancelOrderId";
}

std::string envelope(std::string_view id, std::string_view method) {
  std::string out = R"({"id":)";
  append_json_string(out, id);
  out.append(R"(,"method":)");
  append_json_string(out, method);
  return out;
}

/// A request frame without params.
Result<std::string> bare_frame(std::string_view id, std::string_view method) {
  if (auto r = check_request_id(id); !r) return r.error();
  return envelope(id, method) + "}";
}

void stamp(Params& params, SystemTime venue_now, std::optional<std::int64_t> recv_window_ms) {
  params.emplace_back("timestamp", std::to_string(to_unix_millis(venue_now)));
  if (recv_window_ms) params.emplace_back("recvWindow", std::to_string(*recv_window_ms));
}

template <class Signer>
Result<std::string> sign_and_frame(std::string_view id, Call call, const Signer& signer, SystemTime venue_now) {
  if (auto r = check_request_id(id); !r) return r.error();
  sign::SigningContext context;
  context.now = venue_now;
  if (Result<std::string> signature = signer.sign_ws_params(call.params, context); !signature) {
    return signature.error();
  }
  return frame(id, call);
}

/// A nested order object, read as the REST parser reads a reply body.
Result<OrderReport> order_of(std::string_view json, Operation operation, JsonReader& reader) {
  HttpResponse response;
  response.status = 200;
  response.body.assign(json);
  return parse_order(response, Market::spot, operation, reader);
}

/// One half of a failed cancel-replace: an order, or an error object {"code","msg"}.
Result<OrderReport> half_of(std::string_view json, JsonReader& reader) {
  if (const std::optional<ErrorBody> error = parse_error_body(json, reader)) {
    return make_error(map_error_code(error->code, error->msg, Operation::mutation),
                      fmt::format("binance {}: {}", error->code, error->msg), std::to_string(error->code));
  }
  return order_of(json, Operation::mutation, reader);
}

/// The raw JSON text of an object or array value (simdjson 3.0's value has no raw_json()).
bool raw_container(od::value& value, std::string& out, FieldReader& fields, std::string_view field) {
  auto type = value.type();
  if (type.error()) return fields.fail(field, "is malformed");
  std::string_view json;
  if (type.value_unsafe() == od::json_type::object) {
    od::object object;
    if (value.get_object().get(object) || object.raw_json().get(json)) return fields.fail(field, "is malformed");
  } else if (type.value_unsafe() == od::json_type::array) {
    od::array array;
    if (value.get_array().get(array) || array.raw_json().get(json)) return fields.fail(field, "is malformed");
  } else {
    return fields.fail(field, "is not an object or an array");
  }
  out.assign(json);
  return true;
}

/// Reads the root object of `text`, calling `on_field(key, value, fields)` per member.
/// Errors: protocol_error (naming `what`) for malformed JSON or a refused field.
template <class OnField>
Result<void> read_object(std::string_view text, JsonReader& reader, std::string_view what, OnField&& on_field) {
  FieldReader fields(what);
  auto document = reader.iterate(text);
  if (document.error()) {
    fields.fail_document(document.error());
    return fields.take_error();
  }
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& object) {
    return for_each_field(object, fields,
                          [&](std::string_view key, od::value& value) { return on_field(key, value, fields); });
  });
  if (!ok) return fields.take_error();
  return {};
}

}  // namespace

Result<void> check_request_id(std::string_view id) {
  if (id.empty() || id.size() > 36) {
    return make_error(ErrorCode::invalid_argument, "a WebSocket API request id must have 1 to 36 characters");
  }
  const bool allowed = std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == ':';
  });
  if (!allowed) {
    return make_error(ErrorCode::invalid_argument, "a WebSocket API request id may only hold letters, digits and - _ . :");
  }
  return {};
}

Result<Call> place_order(const NewOrder& order) { return from_rest(spot::new_order(order), "order.place"); }

Result<Call> cancel_order(const OrderRef& ref) { return from_rest(spot::cancel_order(ref), "order.cancel"); }

Result<Call> order_status(const OrderRef& ref) { return from_rest(spot::query_order(ref), "order.status"); }

Call open_orders_status(std::string_view symbol) {
  Result<Call> call = from_rest(spot::open_orders(symbol), "openOrders.status");
  return std::move(*call);  // the builder cannot fail, nor can its query decode
}

Result<Call> cancel_replace(const OrderRef& cancel, const NewOrder& replacement, CancelReplaceMode mode) {
  if (cancel.symbol != replacement.symbol) {
    return make_error(ErrorCode::invalid_argument, "order.cancelReplace replaces an order on its own symbol");
  }
  Result<Call> cancel_call = cancel_order(cancel);
  if (!cancel_call) return cancel_call.error();
  Result<Call> place = from_rest(spot::new_order(replacement), "order.cancelReplace");
  if (!place) return place.error();
  // symbol, cancelReplaceMode, the cancelled order's reference, then the new order's
  // parameters (web-socket-api.md "Cancel and replace order").
  Params params;
  params.reserve(place->params.size() + 2);
  params.emplace_back("symbol", replacement.symbol);
  params.emplace_back("cancelReplaceMode",
                      mode == CancelReplaceMode::stop_on_failure ? "STOP_ON_FAILURE" : "ALLOW_FAILURE");
  for (auto& [name, value] : cancel_call->params) {
    if (name == "orderId") params.emplace_back("cancelOrderId", std::move(value));
    if (name == "origClientOrderId") params.emplace_back("cancelOrigClientOrderId", std::move(value));
  }
  for (auto& param : place->params) {
    if (param.first != "symbol") params.push_back(std::move(param));
  }
  place->params = std::move(params);
  place->rate_endpoint = "POST /api/v3/order/cancelReplace";
  return place;
}

std::string frame(std::string_view id, const Call& call) {
  std::string out = envelope(id, call.method);
  if (!call.params.empty()) {
    out.append(R"(,"params":{)");
    bool first = true;
    for (const auto& [name, value] : call.params) {
      if (!first) out.push_back(',');
      first = false;
      append_json_string(out, name);
      out.push_back(':');
      if (is_number_param(name)) {
        out.append(value);
      } else {
        append_json_string(out, value);
      }
    }
    out.push_back('}');
  }
  out.push_back('}');
  return out;
}

Result<std::string> signed_frame(std::string_view id, Call call, const sign::BinanceHmacSigner& signer,
                                 SystemTime venue_now) {
  return sign_and_frame(id, std::move(call), signer, venue_now);
}

Result<std::string> signed_frame(std::string_view id, Call call, const sign::BinanceEd25519Signer& signer,
                                 SystemTime venue_now) {
  return sign_and_frame(id, std::move(call), signer, venue_now);
}

Result<std::string> session_frame(std::string_view id, Call call, SystemTime venue_now,
                                  std::optional<std::int64_t> recv_window_ms) {
  if (auto r = check_request_id(id); !r) return r.error();
  stamp(call.params, venue_now, recv_window_ms);
  return frame(id, call);
}

Result<std::string> session_logon(std::string_view id, const sign::BinanceEd25519Signer& signer,
                                  SystemTime venue_now) {
  return sign_and_frame(id, Call{"session.logon", {}, {}, 2, 0, Operation::read}, signer, venue_now);
}

Result<std::string> session_status(std::string_view id) { return bare_frame(id, "session.status"); }

Result<std::string> session_logout(std::string_view id) { return bare_frame(id, "session.logout"); }

Result<std::string> user_data_subscribe(std::string_view id) { return bare_frame(id, "userDataStream.subscribe"); }

Result<Reply> parse_reply(std::string_view text, JsonReader& reader) {
  Reply reply;
  bool has_status = false;
  Result<void> read = read_object(text, reader, "binance ws-api reply", [&](std::string_view key, od::value& value,
                                                                              FieldReader& fields) {
    if (key == "id") {
      auto type = value.type();
      if (type.error()) return fields.fail("id", "is malformed");
      switch (type.value_unsafe()) {
        case od::json_type::null: return true;
        case od::json_type::string: return fields.string(value, reply.id, "id");
        case od::json_type::number: {
          std::string_view digits;
          if (!fields.integer_text(value, digits, "id")) return false;
          reply.id.assign(digits);
          return true;
        }
        default: return fields.fail("id", "is not a string, a number or null");
      }
    }
    if (key == "status") return has_status = true, fields.int32(value, reply.status, "status");
    if (key == "result") return raw_container(value, reply.result, fields, "result");
    if (key == "error") return raw_container(value, reply.error, fields, "error");
    if (key == "event") return reply.event = true;
    if (key == "rateLimits") {
      return detail::visit_array(value, fields, "rateLimits", [&](od::value& item, std::size_t) {
        RateLimitUsage& usage = reply.rate_limits.emplace_back();
        return visit_object(item, fields, "rateLimits[]", [&](std::string_view k, od::value& v) {
          if (k == "rateLimitType") return fields.string(v, usage.type, "rateLimitType");
          if (k == "interval") return fields.string(v, usage.interval, "interval");
          if (k == "intervalNum") return fields.int64(v, usage.interval_num, "intervalNum");
          if (k == "limit") return fields.int64(v, usage.limit, "limit");
          if (k == "count") return fields.int64(v, usage.count, "count");
          return true;
        });
      });
    }
    return true;
  });
  if (!read) return read.error();
  if (!reply.event && !has_status) {
    return make_error(ErrorCode::protocol_error, "binance ws-api reply: field \"status\" is missing");
  }
  return reply;
}

Error reply_error(const Reply& reply, Operation operation) {
  if (reply.status == 200) return make_error(ErrorCode::internal, "binance ws-api: the reply is not an error");
  return make_http_error(reply.status, reply.error, operation);
}

Result<OrderReport> order_outcome(const Reply& reply, Operation operation, JsonReader& reader) {
  if (reply.status != 200) return reply_error(reply, operation);
  return order_of(reply.result, operation, reader);
}

Result<std::vector<OrderReport>> orders_outcome(const Reply& reply, JsonReader& reader) {
  if (reply.status != 200) return reply_error(reply, Operation::read);
  HttpResponse response;
  response.status = 200;
  response.body = reply.result;
  return parse_orders(response, Market::spot, Operation::read, reader);
}

Result<CancelReplaceOutcome> cancel_replace_outcome(const Reply& reply, JsonReader& reader) {
  // Both halves sit in `result` (200) or in `error.data` (400 -2022, 409 -2021).
  std::string halves_json;
  if (reply.status == 200) {
    halves_json = reply.result;
  } else {
    bool found = false;
    Result<void> read = read_object(reply.error, reader, "binance order.cancelReplace error",
                                    [&](std::string_view key, od::value& value, FieldReader& fields) {
      if (key != "data") return true;
      return found = raw_container(value, halves_json, fields, "data");
    });
    if (!read || !found) return reply_error(reply, Operation::mutation);
  }
  std::string cancel_json, placed_json, placed_result;
  bool placed_null = false;
  Result<void> read = read_object(halves_json, reader, "binance order.cancelReplace",
                                  [&](std::string_view key, od::value& value, FieldReader& fields) {
    if (key == "newOrderResult") return fields.string(value, placed_result, key);
    if (key == "cancelResponse") return raw_container(value, cancel_json, fields, key);
    if (key == "newOrderResponse") {
      auto is_null = value.is_null();
      if (!is_null.error() && is_null.value_unsafe()) return placed_null = true;
      return raw_container(value, placed_json, fields, key);
    }
    return true;
  });
  if (!read) return read.error();
  if (cancel_json.empty()) return make_error(ErrorCode::protocol_error, "binance order.cancelReplace: no cancelResponse");
  CancelReplaceOutcome outcome{half_of(cancel_json, reader), std::nullopt};
  if (placed_result != "NOT_ATTEMPTED" && !placed_null) {
    if (placed_json.empty()) {
      return make_error(ErrorCode::protocol_error, "binance order.cancelReplace: no newOrderResponse");
    }
    outcome.placed = half_of(placed_json, reader);
  }
  return outcome;
}

Result<SessionStatus> session_outcome(const Reply& reply, JsonReader& reader) {
  if (reply.status != 200) return reply_error(reply, Operation::read);
  SessionStatus session;
  const auto null = [](od::value& value) {
    auto is_null = value.is_null();
    return !is_null.error() && is_null.value_unsafe();
  };
  Result<void> read = read_object(reply.result, reader, "binance session",
                                  [&](std::string_view key, od::value& value, FieldReader& fields) {
    if (key == "apiKey") {
      if (null(value)) return session.api_key.reset(), true;
      return fields.string(value, session.api_key.emplace(), "apiKey");
    }
    if (key == "authorizedSince") {
      if (null(value)) return session.authorized_since.reset(), true;
      return fields.int64(value, session.authorized_since.emplace(), key);
    }
    if (key == "connectedSince") return fields.int64(value, session.connected_since, key);
    if (key == "serverTime") return fields.int64(value, session.server_time, key);
    if (key == "userDataStream") {
      if (null(value)) return session.user_data_stream.reset(), true;
      return fields.boolean(value, session.user_data_stream.emplace(), key);
    }
    return true;
  });
  if (!read) return read.error();
  return session;
}

std::size_t usage_headers(const Reply& reply, HttpResponse& out) {
  std::size_t written = 0;
  for (const RateLimitUsage& usage : reply.rate_limits) {
    std::string_view header;
    if (usage.type == "REQUEST_WEIGHT" && usage.interval == "MINUTE" && usage.interval_num == 1) {
      header = "X-MBX-USED-WEIGHT-1M";
    } else if (usage.type == "ORDERS" && usage.interval == "SECOND" && usage.interval_num == 10) {
      header = "X-MBX-ORDER-COUNT-10S";
    } else if (usage.type == "ORDERS" && usage.interval == "DAY" && usage.interval_num == 1) {
      header = "X-MBX-ORDER-COUNT-1D";
    } else {
      continue;
    }
    out.set_header(header, std::to_string(usage.count));
    ++written;
  }
  return written;
}

}  // namespace cts::venue::binance::ws_api
