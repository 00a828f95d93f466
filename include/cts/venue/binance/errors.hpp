#pragma once
/// \file
/// Binance error replies mapped onto the unified ErrorCode taxonomy, keeping Binance's
/// raw code (e.g. "-2010") in Error::venue_code.
///
/// Sources: binance-spot-api-docs errors.md and rest-api.md "HTTP Return Codes";
/// USD-M futures "Error Codes" and "General Info" pages (developers.binance.com).

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/json_reader.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::binance {

/// The venue-wide Operation (cts/venue/types.hpp) under the name Binance's parsers use.
using Operation = cts::venue::Operation;

namespace detail {
constexpr bool contains(std::string_view text, std::string_view part) noexcept {
  return text.find(part) != std::string_view::npos;
}
}  // namespace detail

/// The unified code for Binance error `code` with message `msg` (some codes carry
/// several meanings told apart by the message, e.g. -2010).
///
/// Notable mappings: -1021 timestamp_out_of_window; -1022 invalid_signature;
/// -1002, -2014, -2015 auth_failed; -1003, -1015 rate_limited; -1006, -1007 and
/// (for mutations) -1000 unknown_outcome; -1008 and -1001 venue_unavailable (not
/// executed); -1013 and -1100..-1199 invalid_argument; -2010 rejected, or
/// insufficient_funds / duplicate_client_order_id by message; -2011 order_not_found when
/// the order is unknown, else rejected; -2013, -2026 order_not_found; -2018, -2019
/// insufficient_funds; -4116 duplicate_client_order_id; -5022 (post-only would take)
/// rejected; other -2xxx rejected; other -4xxx invalid_argument.
constexpr ErrorCode map_error_code(int code, std::string_view msg, Operation operation) noexcept {
  using detail::contains;
  switch (code) {
    case -1000: return operation == Operation::mutation ? ErrorCode::unknown_outcome : ErrorCode::venue_unavailable;
    case -1001: return ErrorCode::venue_unavailable;
    case -1002: return ErrorCode::auth_failed;
    case -1003: return ErrorCode::rate_limited;
    case -1006: return ErrorCode::unknown_outcome;
    case -1007: return operation == Operation::mutation ? ErrorCode::unknown_outcome : ErrorCode::timeout;
    case -1008: return ErrorCode::venue_unavailable;
    case -1013: return ErrorCode::invalid_argument;
    case -1014: return ErrorCode::unsupported;
    case -1015: return ErrorCode::rate_limited;
    case -1016: return ErrorCode::venue_unavailable;
    case -1020: return ErrorCode::unsupported;
    case -1021: return ErrorCode::timestamp_out_of_window;
    case -1022: return ErrorCode::invalid_signature;
    case -1099: return ErrorCode::auth_failed;
    case -1125: return ErrorCode::auth_failed;
    case -2010:
      if (contains(msg, "insufficient balance")) return ErrorCode::insufficient_funds;
      if (contains(msg, "Duplicate order")) return ErrorCode::duplicate_client_order_id;
      return ErrorCode::rejected;
    case -2011:
      return contains(msg, "Unknown order") ? ErrorCode::order_not_found : ErrorCode::rejected;
    case -2013: return ErrorCode::order_not_found;
    case -2014: return ErrorCode::auth_failed;
    case -2015: return ErrorCode::auth_failed;
    case -2018: return ErrorCode::insufficient_funds;
    case -2019: return ErrorCode::insufficient_funds;
    case -2026: return ErrorCode::order_not_found;
    case -4116: return ErrorCode::duplicate_client_order_id;
    case -4120: return ErrorCode::unsupported;
    case -5022: return ErrorCode::rejected;
    default: break;
  }
  if (code <= -1100 && code >= -1199) return ErrorCode::invalid_argument;
  if (code <= -2000 && code >= -2999) return ErrorCode::rejected;
  if (code <= -4000 && code >= -4999) return ErrorCode::invalid_argument;
  if (code <= -5000 && code >= -5999) return ErrorCode::rejected;
  return operation == Operation::mutation ? ErrorCode::unknown_outcome : ErrorCode::protocol_error;
}

/// A Binance error body `{"code":-1121,"msg":"Invalid symbol."}`.
struct ErrorBody {
  int code = 0;     ///< Binance's code (negative).
  std::string msg;  ///< Binance's message.
};

/// Parses an error body; nullopt when `body` is not one (HTML from a proxy, empty).
inline std::optional<ErrorBody> parse_error_body(std::string_view body, JsonReader& reader = thread_json_reader()) {
  if (body.empty() || body.front() != '{') return std::nullopt;
  auto document = reader.iterate(body);
  if (document.error()) return std::nullopt;
  ErrorBody out;
  bool has_code = false;
  cts::venue::detail::FieldReader fields("binance error");
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](auto& object) {
    return cts::venue::detail::for_each_field(object, fields, [&](std::string_view key, auto& value) {
      if (key == "code") {
        has_code = true;
        return fields.int32(value, out.code, "code");
      }
      if (key == "msg") return fields.string(value, out.msg, "msg");
      return true;
    });
  });
  if (!ok || !has_code) return std::nullopt;
  return out;
}

/// The Error for a Binance error reply: `status` is the HTTP status (0 for a WebSocket
/// API error), `body` the raw reply. Rules, in order:
/// - 429 and 418 (IP ban) are rate_limited, with Retry-After in the message when given;
/// - 5xx on a mutation is unknown_outcome unless the body says the request was not
///   executed (-1001, -1008); on a read it is venue_unavailable;
/// - 408 is unknown_outcome on a mutation, timeout on a read;
/// - a body with a Binance code maps through map_error_code();
/// - 401 and 403 (WAF) without a code are auth_failed and rejected; anything else is
///   protocol_error.
/// The message quotes Binance's message (never request parameters or keys).
inline Error make_http_error(int status, std::string_view body, Operation operation,
                             std::optional<std::string_view> retry_after = std::nullopt) {
  const auto parsed = parse_error_body(body);
  const std::string venue_code = parsed ? std::to_string(parsed->code) : std::string();
  const std::string venue_msg = parsed ? parsed->msg : std::string();
  const std::string suffix = venue_msg.empty() ? std::string() : fmt::format(": {}", venue_msg);
  if (status == 429 || status == 418) {
    std::string message = fmt::format("binance HTTP {}{}{}", status, status == 418 ? " (IP banned)" : "", suffix);
    if (retry_after) message += fmt::format(" (Retry-After {} s)", retry_after->substr(0, 16));
    return make_error(ErrorCode::rate_limited, std::move(message), venue_code);
  }
  if (status >= 500) {
    if (operation == Operation::read) {
      return make_error(ErrorCode::venue_unavailable, fmt::format("binance HTTP {}{}", status, suffix), venue_code);
    }
    const bool not_executed = parsed && (parsed->code == -1001 || parsed->code == -1008);
    return make_error(not_executed ? ErrorCode::venue_unavailable : ErrorCode::unknown_outcome,
                      fmt::format("binance HTTP {}{}", status, suffix), venue_code);
  }
  if (status == 408) {
    return make_error(operation == Operation::mutation ? ErrorCode::unknown_outcome : ErrorCode::timeout,
                      fmt::format("binance HTTP 408{}", suffix), venue_code);
  }
  if (parsed) {
    return make_error(map_error_code(parsed->code, parsed->msg, operation),
                      fmt::format("binance {}: {}", parsed->code, parsed->msg), venue_code);
  }
  if (status == 401) return make_error(ErrorCode::auth_failed, "binance HTTP 401");
  if (status == 403) return make_error(ErrorCode::rejected, "binance HTTP 403 (WAF rule violated)");
  return make_error(ErrorCode::protocol_error, fmt::format("binance HTTP {} without an error body", status));
}

/// Success when `response` has a 2xx status; otherwise the Error make_http_error() gives.
inline Result<void> check_status(const HttpResponse& response, Operation operation) {
  if (response.status >= 200 && response.status < 300) return {};
  return make_http_error(response.status, response.body, operation, response.header("Retry-After"));
}

}  // namespace cts::venue::binance
