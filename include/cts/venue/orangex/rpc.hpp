#pragma once
/// \file
/// OrangeX's JSON-RPC 2.0 envelope, over REST and WebSocket alike.
///
/// A call is `{"jsonrpc":"2.0","id":<n>,"method":"/private/buy","params":{...}}`, POSTed
/// to `<base>/api/v1<method>` (the official SDK, call.py and urls.py) or sent as a
/// WebSocket text frame; a reply is `{"jsonrpc":"2.0","id":<n>,"result":...}` or
/// `{"jsonrpc":"2.0","id":<n>,"error":{"code":<n>,"message":"..."}}` (common_utils.py).
/// Other members (Deribit's usIn, usOut, usDiff, testnet) are ignored. parse_reply_text()
/// checks that the reply answers the request's id, so a reply is never taken for
/// another call's.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/json_body.hpp"
#include "cts/venue/json_reader.hpp"
#include "cts/venue/orangex/errors.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::orangex {

/// The REST path prefix every method is appended to (urls.py: `.../api/v1`).
inline constexpr std::string_view kPathPrefix = "/api/v1";

/// The production REST base URL (urls.py).
inline constexpr std::string_view kRestBaseUrl = "https://api.orangex.com";

/// The production WebSocket URL (urls.py).
inline constexpr std::string_view kWebSocketUrl = "wss://api.orangex.com/ws/api/v1";

/// Starts a call's JSON text: `{"jsonrpc":"2.0","id":<id>,"method":"<method>","params":{`;
/// the caller adds the params and closes both objects.
inline JsonBody begin_call(std::int64_t id, std::string_view method) {
  JsonBody body;
  body.begin_object().string("jsonrpc", "2.0").integer("id", id).string("method", method).begin_object("params");
  return body;
}

namespace detail {

namespace od = simdjson::ondemand;
using cts::venue::detail::FieldReader;
using cts::venue::detail::for_each_field;
using cts::venue::detail::visit_array;
using cts::venue::detail::visit_object;

/// Reads a decimal the venue sends as a JSON string ("0.1") or as a JSON number (0.1,
/// Deribit's form), exactly: a number's text is parsed as a decimal, never through a
/// binary float (Decimal::parse); a value not exact within 18 decimals is refused.
inline bool decimal(FieldReader& fields, od::value& value, Decimal& out, std::string_view field) {
  std::string_view token = value.raw_json_token();
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' || token.back() == '\t')) {
    token.remove_suffix(1);
  }
  if (!token.empty() && token.front() == '"') return fields.decimal(value, out, field);
  if (token == "null") return fields.fail(field, "is null");
  auto parsed = Decimal::parse(token);
  if (!parsed) return fields.fail(field, fmt::format("is not an exact decimal ({})", parsed.error().message));
  out = *parsed;
  return true;
}

/// Reads a decimal that may be JSON null (left unchanged).
inline bool optional_decimal(FieldReader& fields, od::value& value, Decimal& out, std::string_view field) {
  auto null = value.is_null();
  if (!null.error() && null.value_unsafe()) return true;
  return decimal(fields, value, out, field);
}

/// Reads an id the venue may send as a JSON string or a JSON integer, as its text.
inline bool id_text(FieldReader& fields, od::value& value, std::string& out, std::string_view field) {
  auto type = value.type();
  if (!type.error() && type.value_unsafe() == od::json_type::string) return fields.string_id(value, out, field);
  return fields.integer_id(value, out, field);
}

}  // namespace detail

/// Reads a JSON-RPC reply `body` that came with HTTP status `status` (200 for a
/// WebSocket frame) to the call `expected_id` (nullopt: any id): `on_result(value,
/// fields)` reads `result`. Returns the mapped venue error (errors.hpp) for an `error`
/// member, the status error for a non-2xx status without one, and protocol_error naming
/// `what` for malformed JSON, a reply with neither or both members, another call's id,
/// or whatever `on_result` refuses.
template <class OnResult>
Result<void> parse_reply_text(std::string_view body, int status, Operation operation, JsonReader& reader,
                              std::string_view what, std::optional<std::int64_t> expected_id, OnResult&& on_result) {
  namespace od = simdjson::ondemand;
  const bool success_status = status >= 200 && status < 300;
  if (!success_status && (body.empty() || body.front() != '{')) return http_status_error(status, operation);
  detail::FieldReader fields(what);
  auto document = reader.iterate(body);
  if (document.error()) {
    if (!success_status) return http_status_error(status, operation);
    fields.fail_document(document.error());
    return fields.take_error();
  }
  bool has_result = false;
  bool has_error = false;
  bool has_id = false;
  std::int64_t id = 0;
  std::int64_t error_code = 0;
  std::string error_message;
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& object) {
    return detail::for_each_field(object, fields, [&](std::string_view key, od::value& value) {
      if (key == "id") {
        auto null = value.is_null();
        if (!null.error() && null.value_unsafe()) return true;
        has_id = true;
        return fields.int64_or_text(value, id, "id");
      }
      if (key == "result") {
        has_result = true;
        return on_result(value, fields);
      }
      if (key == "error") {
        has_error = true;
        bool has_code = false;
        const bool read = detail::visit_object(value, fields, "error", [&](std::string_view k, od::value& v) {
          if (k == "code") return has_code = true, fields.int64_or_text(v, error_code, "error.code");
          if (k == "message") return fields.optional_string(v, error_message, "error.message");
          return true;
        });
        if (read && !has_code) return fields.missing("error.code");
        return read;
      }
      return true;
    });
  });
  if (has_error && fields.ok()) return code_error(error_code, error_message, operation);
  if (!success_status) return http_status_error(status, operation);
  if (!ok) return fields.take_error();
  if (has_error == has_result) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("{}: the reply holds {} of result and error", what, has_error ? "both" : "neither"));
  }
  if (expected_id && (!has_id || id != *expected_id)) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("{}: the reply answers id {}, not the call's {}", what,
                                  has_id ? std::to_string(id) : std::string("(none)"), *expected_id));
  }
  return {};
}

/// parse_reply_text() of a REST `response`.
template <class OnResult>
Result<void> parse_reply(const HttpResponse& response, Operation operation, JsonReader& reader, std::string_view what,
                         std::optional<std::int64_t> expected_id, OnResult&& on_result) {
  return parse_reply_text(response.body, response.status, operation, reader, what, expected_id,
                          std::forward<OnResult>(on_result));
}

}  // namespace cts::venue::orangex
