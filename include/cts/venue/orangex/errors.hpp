#pragma once
/// \file
/// OrangeX JSON-RPC errors mapped onto the unified ErrorCode taxonomy, keeping the
/// venue's code (the reply's `error.code`, e.g. "10009") in Error::venue_code and its
/// `error.message` in the message.
///
/// Source: the official SDK (OrangeX-Global/orangex-api-python, common_utils.py) shows
/// only that a failed call answers `{"error":{"code":..,"message":..}}` instead of
/// `result`. The codes below are Deribit's (OrangeX speaks Deribit's JSON-RPC
/// dialect) and the JSON-RPC 2.0 specification's; they are an assumption until the
/// venue's own list can be read (docs/venues.md).

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/detail/text.hpp"
#include "cts/core/error.hpp"
#include "cts/core/http.hpp"
#include "cts/venue/detail/http_status.hpp"
#include "cts/venue/reply_error.hpp"
#include "cts/venue/throttle.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::orangex {

/// The unified code for error `code` with `message` on an `operation`.
///
/// Mappings: 10004 (order_not_found) order_not_found; 10009 (not_enough_funds)
/// insufficient_funds; 10028 (too_many_requests) rate_limited; 13004
/// (invalid_credentials), 13009 (unauthorized: a missing, invalid or expired token) and
/// 13021 (forbidden) auth_failed; 10010 (already_closed) and 11044 (not_open_order)
/// rejected (the order is final: query it); 11050 (bad_request) with "duplicate" in its
/// message duplicate_client_order_id, otherwise, like 11029 (invalid_arguments), -32600
/// (invalid request), -32602 (invalid params) and -32700 (parse error),
/// invalid_argument; -32601 (method not found) unsupported; 10040 (retry), 11051
/// (system_maintenance) and -32000 (server error) venue_unavailable on a read and
/// unknown_outcome on a mutation; any other code rejected on a read and unknown_outcome
/// on a mutation (never retry blindly what the venue may have done).
constexpr ErrorCode map_code(std::int64_t code, std::string_view message, Operation operation) noexcept {
  const bool mutation = operation == Operation::mutation;
  switch (code) {
    case 10004: return ErrorCode::order_not_found;
    case 10009: return ErrorCode::insufficient_funds;
    case 10028: return ErrorCode::rate_limited;
    case 13004:
    case 13009:
    case 13021: return ErrorCode::auth_failed;
    case 10010:
    case 11044: return ErrorCode::rejected;
    case 11050:
      return message.find("duplicate") != std::string_view::npos ? ErrorCode::duplicate_client_order_id
                                                                 : ErrorCode::invalid_argument;
    case 11029:
    case -32600:
    case -32602:
    case -32700: return ErrorCode::invalid_argument;
    case -32601: return ErrorCode::unsupported;
    case 10040:
    case 11051:
    case -32000: return mutation ? ErrorCode::unknown_outcome : ErrorCode::venue_unavailable;
    default: return mutation ? ErrorCode::unknown_outcome : ErrorCode::rejected;
  }
}

/// The Error for error `code` with `message`: map_code()'s category, the message
/// "orangex <code>: <message>" (the venue's text, at most 256 bytes, never request
/// parameters or tokens) and the code in Error::venue_code.
inline Error code_error(std::int64_t code, std::string_view message, Operation operation) {
  return make_error(map_code(code, message, operation), fmt::format("orangex {}: {}", code, message.substr(0, 256)),
                    std::to_string(code));
}

/// OrangeX's venue::ReplyErrorReader: map_code() of the reply's `error.code` as a read's
/// (10040, 11051 and -32000 venue_unavailable, 10028 rate_limited, ...); empty for a
/// reply without an `"error"` object (a `result`).
inline std::optional<ErrorCode> reply_error(const HttpResponse& response) noexcept {
  constexpr std::string_view kMember = R"("error")";
  const std::string_view body = response.body;
  const std::size_t member = body.find(kMember);
  if (member == std::string_view::npos) return std::nullopt;
  const std::string_view rest = cts::detail::trim_spaces(body.substr(member + kMember.size()), " \t\r\n");
  if (rest.empty() || rest.front() != ':') return std::nullopt;
  const std::string_view object = cts::detail::trim_spaces(rest.substr(1), " \t\r\n");
  if (object.empty() || object.front() != '{') return std::nullopt;
  const std::optional<std::string_view> text = code_member_text(object);
  const std::optional<std::int64_t> code = text ? code_value(*text) : std::nullopt;
  if (!code) return std::nullopt;
  return map_code(*code, {}, Operation::read);
}

/// The Error for an HTTP status outside 2xx whose body carries no JSON-RPC error: 429
/// rate_limited; 401 and 403 auth_failed; 408 and 5xx unknown_outcome on a mutation,
/// timeout or venue_unavailable on a read; 400, 404 and 405 invalid_argument; anything
/// else protocol_error.
inline Error http_status_error(int status, Operation operation) {
  return cts::venue::detail::common_http_status_error("orangex", status, operation);
}

}  // namespace cts::venue::orangex
