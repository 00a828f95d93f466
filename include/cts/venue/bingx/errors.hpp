#pragma once
/// \file
/// BingX errors mapped onto the unified ErrorCode taxonomy, keeping BingX's raw code
/// (the envelope's `code`, e.g. "80016") in Error::venue_code and its `msg` in the
/// message.
///
/// Source: BingX-API/docs-v3 "Common Error Codes" (swap) and the per-endpoint error
/// tables; BingX-API/BingX-swap-api-v2-doc "Common business error codes" and HTTP codes.

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/reply_error.hpp"
#include "cts/venue/throttle.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::bingx {

/// The unified code for BingX code `code` (never 0) on an `operation`.
///
/// Mappings: 100410 (rate limit exceeded) rate_limited; 100001 (signature verification
/// failed) and 100412 (null signature) invalid_signature; 100421 (timestamp mismatch)
/// timestamp_out_of_window; 100413 (incorrect API key), 100004 (key without the
/// permission) and 100419 (IP not in the whitelist) auth_failed; 101204 (insufficient
/// margin) and 100202 (insufficient assets) insufficient_funds; 80016 (order does not
/// exist), 109414 (order not exist) and 80017 (position does not exist) order_not_found;
/// 101481 (clientOrderID cannot be repeated) duplicate_client_order_id; 80014, 100400,
/// 109400, 110400 (invalid parameter), 80015 (symbol not supported) and 101400 (below the
/// minimum notional) invalid_argument; 80012 (service unavailable), 100500 (internal
/// error) and 101500 (RPC timeout) unknown_outcome on a mutation, venue_unavailable on a
/// read; 80018 (order already filled), 80019 (order being processed), 80013 (order count
/// at the system limit), 80020 (risk forbidden), 101209/109201 (same order submitted twice
/// within 1 s), 101212, 101215 (post-only would take), 101290 (reduce-only would open),
/// 101414, 101415, 101460, 101514 and 101515 rejected. Anything else: unknown_outcome on
/// a mutation and protocol_error on a read.
constexpr ErrorCode map_code(long code, Operation operation) noexcept {
  const bool mutation = operation == Operation::mutation;
  switch (code) {
    case 100410: return ErrorCode::rate_limited;
    case 100001:
    case 100412: return ErrorCode::invalid_signature;
    case 100421: return ErrorCode::timestamp_out_of_window;
    case 100004:
    case 100413:
    case 100419: return ErrorCode::auth_failed;
    case 100202:
    case 101204: return ErrorCode::insufficient_funds;
    case 80016:
    case 80017:
    case 109414: return ErrorCode::order_not_found;
    case 101481: return ErrorCode::duplicate_client_order_id;
    case 80014:
    case 80015:
    case 100400:
    case 101400:
    case 109400:
    case 110400: return ErrorCode::invalid_argument;
    case 80012:
    case 100500:
    case 101500: return mutation ? ErrorCode::unknown_outcome : ErrorCode::venue_unavailable;
    case 80013:
    case 80018:
    case 80019:
    case 80020:
    case 101209:
    case 101212:
    case 101215:
    case 101290:
    case 101414:
    case 101415:
    case 101460:
    case 101514:
    case 101515:
    case 109201: return ErrorCode::rejected;
    default: break;
  }
  return mutation ? ErrorCode::unknown_outcome : ErrorCode::protocol_error;
}

/// The Error for BingX code `code` (non-zero) with message `message`: map_code()'s
/// category, the message "bingx <code>: <msg>" (BingX's text, at most 256 bytes) and the
/// code in Error::venue_code.
inline Error code_error(long code, std::string_view message, Operation operation) {
  return make_error(map_code(code, operation), fmt::format("bingx {}: {}", code, message.substr(0, 256)),
                    std::to_string(code));
}

/// BingX's venue::ReplyErrorReader, for the swap and spot alike: map_code() of the
/// envelope's non-zero `code` as a read's (80012, 100500 and 101500 venue_unavailable,
/// 100410 rate_limited, ...; spot's own meanings, map_spot_code(), differ only for codes
/// that are not transient); empty for code 0 or a body without one.
inline std::optional<ErrorCode> reply_error(const HttpResponse& response) noexcept {
  const std::optional<std::string_view> text = code_member_text(response.body);
  const std::optional<std::int64_t> code = text ? code_value(*text) : std::nullopt;
  if (!code || *code == 0) return std::nullopt;
  return map_code(static_cast<long>(*code), Operation::read);
}

/// The unified code for BingX spot code `code` (never 0) with message `message` on an
/// `operation`. Spot gives some codes meanings of its own (docs v3 spot "Place order"
/// error table): 100421 is a timestamp mismatch when its message names the timestamp,
/// order_not_found when it says "order not exist" (a cancel), else rejected (symbol not
/// open to orders, traders barred from the API); 100400 whose message says the order is
/// "FILLED or CANCELLED already" is order_not_found (a cancel of an order no longer
/// open) and 100400 whose message says "order not exist" is order_not_found too (the
/// cancel step of a cancelReplace: docs v3 spot "Cancel an Existing Order and Send a New
/// Order" example); 100414 (risk control, no KYC), 100440 (price too far from the index)
/// and 100490 (symbol offline) rejected. Every other code as map_code().
inline ErrorCode map_spot_code(long code, std::string_view message, Operation operation) noexcept {
  switch (code) {
    case 100421:
      if (message.find("timestamp") != std::string_view::npos) return ErrorCode::timestamp_out_of_window;
      if (message.find("order not exist") != std::string_view::npos) return ErrorCode::order_not_found;
      return ErrorCode::rejected;
    case 100400:
      if (message.find("FILLED or CANCELLED already") != std::string_view::npos ||
          message.find("order not exist") != std::string_view::npos) {
        return ErrorCode::order_not_found;
      }
      break;
    case 100414:
    case 100440:
    case 100490: return ErrorCode::rejected;
    default: break;
  }
  return map_code(code, operation);
}

/// The Error for BingX spot code `code` (non-zero): as code_error() with map_spot_code().
inline Error spot_code_error(long code, std::string_view message, Operation operation) {
  return make_error(map_spot_code(code, message, operation), fmt::format("bingx {}: {}", code, message.substr(0, 256)),
                    std::to_string(code));
}

/// The Error for an HTTP status outside 2xx when the body carries no BingX code: 429 and
/// 418 rate_limited; 401 and 403 auth_failed; 5xx (504: "does not mean that the request
/// failed") unknown_outcome on a mutation, venue_unavailable on a read; 400, 404 and 405
/// invalid_argument; anything else protocol_error.
inline Error http_status_error(int status, Operation operation) {
  const bool mutation = operation == Operation::mutation;
  ErrorCode code = ErrorCode::protocol_error;
  std::string_view what = "unexpected status";
  if (status == 429 || status == 418) {
    code = ErrorCode::rate_limited;
    what = status == 429 ? "too many requests" : "IP banned after 429s";
  } else if (status == 401 || status == 403) {
    code = ErrorCode::auth_failed;
    what = "unauthorised";
  } else if (status >= 500) {
    code = mutation ? ErrorCode::unknown_outcome : ErrorCode::venue_unavailable;
    what = "server error";
  } else if (status == 400 || status == 404 || status == 405) {
    code = ErrorCode::invalid_argument;
    what = "bad request";
  }
  return make_error(code, fmt::format("bingx HTTP {}: {}", status, what));
}

}  // namespace cts::venue::bingx
