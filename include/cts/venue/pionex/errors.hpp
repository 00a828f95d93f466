#pragma once
/// \file
/// Pionex errors mapped onto the unified ErrorCode taxonomy, keeping Pionex's code (the
/// reply's `code`, a word such as "TRADE_ORDER_NOT_FOUND") in Error::venue_code and its
/// `message` in the message.
///
/// Source: pionex-open-api openapi.yaml, "Error Codes" and the ErrorResponse schema's code
/// enumeration (APIKEY_LOST ... MARKET_INVALID_TIME); the description's own failure
/// example spells one of them TRADE_INVAILD_SYMBOL, which is read as TRADE_INVALID_SYMBOL.

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/detail/http_status.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::pionex {

/// The unified code for Pionex code `code` on an `operation`.
///
/// Mappings: APIKEY_LOST, SIGNATURE_LOST, IP_NOT_WHITELISTED, INVALID_APIKEY,
/// APIKEY_EXPIRED and PERMISSION_DENIED auth_failed; INVALID_SIGNATURE invalid_signature;
/// INVALID_TIMESTAMP timestamp_out_of_window; TRADE_INVALID_SYMBOL (and the example's
/// TRADE_INVAILD_SYMBOL), TRADE_PARAMETER_ERROR, MARKET_INVALID_SYMBOL,
/// MARKET_PARAMETER_ERROR and MARKET_INVALID_TIME invalid_argument; TRADE_OPERATION_DENIED
/// rejected; TRADE_ORDER_NOT_FOUND order_not_found. Any other TRADE_ or MARKET_ code is a
/// refusal the venue named: rejected. Anything else: unknown_outcome on a mutation (the
/// order may exist: ask by client id), protocol_error on a read.
constexpr ErrorCode map_code(std::string_view code, Operation operation) noexcept {
  if (code == "APIKEY_LOST" || code == "SIGNATURE_LOST" || code == "IP_NOT_WHITELISTED" ||
      code == "INVALID_APIKEY" || code == "APIKEY_EXPIRED" || code == "PERMISSION_DENIED") {
    return ErrorCode::auth_failed;
  }
  if (code == "INVALID_SIGNATURE") return ErrorCode::invalid_signature;
  if (code == "INVALID_TIMESTAMP") return ErrorCode::timestamp_out_of_window;
  if (code == "TRADE_INVALID_SYMBOL" || code == "TRADE_INVAILD_SYMBOL" || code == "TRADE_PARAMETER_ERROR" ||
      code == "MARKET_INVALID_SYMBOL" || code == "MARKET_PARAMETER_ERROR" || code == "MARKET_INVALID_TIME") {
    return ErrorCode::invalid_argument;
  }
  if (code == "TRADE_ORDER_NOT_FOUND") return ErrorCode::order_not_found;
  if (code == "TRADE_OPERATION_DENIED" || code.starts_with("TRADE_") || code.starts_with("MARKET_")) {
    return ErrorCode::rejected;
  }
  return operation == Operation::mutation ? ErrorCode::unknown_outcome : ErrorCode::protocol_error;
}

/// The Error for Pionex code `code` with message `message`: map_code()'s category, the
/// message "pionex <code>: <message>" (both cut at 64 and 256 bytes; Pionex's text, never
/// request parameters or keys) and the code in Error::venue_code.
inline Error code_error(std::string_view code, std::string_view message, Operation operation) {
  return make_error(map_code(code, operation), fmt::format("pionex {}: {}", code.substr(0, 64), message.substr(0, 256)),
                    std::string(code.substr(0, 64)));
}

/// The Error for an HTTP status outside 2xx whose body carries no Pionex code: 429
/// rate_limited (the venue bans the IP or account for 60 s); 401 and 403 auth_failed; 408
/// and 5xx unknown_outcome on a mutation, timeout or venue_unavailable on a read; 400, 404
/// and 405 invalid_argument; anything else protocol_error.
inline Error http_status_error(int status, Operation operation) {
  return cts::venue::detail::common_http_status_error("pionex", status, operation);
}

}  // namespace cts::venue::pionex
