#pragma once
/// \file
/// Bybit v5 errors mapped onto the unified ErrorCode taxonomy, keeping Bybit's raw
/// `retCode` (e.g. "110007") in Error::venue_code and its `retMsg` in the message.
///
/// Sources: bybit-exchange/docs v5 error.mdx (HTTP codes, WS order-entry codes, the UTA
/// and spot trade tables) and rate-limit/rate-limit.mdx (403 "access too frequent").

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/bybit/rate_limit.hpp"
#include "cts/venue/reply_error.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::bybit {

/// The unified code for Bybit `retCode` `code` (never 0) on an `operation`.
///
/// Mappings: -1 and 10002 timestamp_out_of_window; 10004 invalid_signature; 10003,
/// 10005, 10007, 10010, -2015 and 33004 auth_failed; 10006, 10018, 10403 (the trade
/// WebSocket's IP limit), 10429, 20003, 170005 and 170222 rate_limited; 10000, 10016, 170001, 170007, 170146, 170147 and 170310
/// unknown_outcome on a mutation (the venue may have acted), venue_unavailable on a read;
/// 10019 (trade service restarting, request not accepted) venue_unavailable; 10017 and
/// 10028 unsupported; 10001, 10029, 10404, 20006, 110003, 110017, 110092, 110093, 110094,
/// 170105, 170115..170117, 170121, 170124, 170130, 170132..170137, 170140, 170148,
/// 170193, 170194, 170381 and 170382 invalid_argument; 110004, 110006, 110007, 110012,
/// 110014, 110044, 110045, 110051..110053, 170033 and 170131 insufficient_funds; 110072
/// and 170141 duplicate_client_order_id; 110001 and 170213 order_not_found; every other
/// 11xxxx or 17xxxx code (among them 110008/110010/170139/170142/170190, an order already
/// final: query it for its state) rejected; anything else unknown_outcome on a mutation and
/// protocol_error on a read.
constexpr ErrorCode map_ret_code(long code, Operation operation) noexcept {
  const bool mutation = operation == Operation::mutation;
  switch (code) {
    case -1:
    case 10002: return ErrorCode::timestamp_out_of_window;
    case 10004: return ErrorCode::invalid_signature;
    case -2015:
    case 33004:
    case 10003:
    case 10005:
    case 10007:
    case 10010: return ErrorCode::auth_failed;
    case 10006:
    case 10018:
    case 10403:
    case 10429:
    case 20003:
    case 170005:
    case 170222: return ErrorCode::rate_limited;
    case 10000:
    case 10016:
    case 170001:
    case 170007:
    case 170146:
    case 170147:
    case 170310: return mutation ? ErrorCode::unknown_outcome : ErrorCode::venue_unavailable;
    case 10019: return ErrorCode::venue_unavailable;
    case 10017:
    case 10028: return ErrorCode::unsupported;
    case 10001:
    case 10029:
    case 10404:
    case 20006:
    case 110003:
    case 110017:
    case 110092:
    case 110093:
    case 110094:
    case 170105:
    case 170115:
    case 170116:
    case 170117:
    case 170121:
    case 170124:
    case 170130:
    case 170132:
    case 170133:
    case 170134:
    case 170135:
    case 170136:
    case 170137:
    case 170140:
    case 170148:
    case 170193:
    case 170194:
    case 170381:
    case 170382: return ErrorCode::invalid_argument;
    case 110004:
    case 110006:
    case 110007:
    case 110012:
    case 110014:
    case 110044:
    case 110045:
    case 110051:
    case 110052:
    case 110053:
    case 170033:
    case 170131: return ErrorCode::insufficient_funds;
    case 110072:
    case 170141: return ErrorCode::duplicate_client_order_id;
    case 110001:
    case 170213: return ErrorCode::order_not_found;
    default: break;
  }
  if ((code >= 110000 && code <= 119999) || (code >= 170000 && code <= 179999)) return ErrorCode::rejected;
  return mutation ? ErrorCode::unknown_outcome : ErrorCode::protocol_error;
}

/// The Error for a reply whose retCode is `code` (non-zero) and retMsg `message`:
/// map_ret_code()'s category, the message "bybit <code>: <retMsg>" (Bybit's text, never
/// request parameters or keys) and the code in Error::venue_code.
inline Error ret_code_error(long code, std::string_view message, Operation operation) {
  return make_error(map_ret_code(code, operation), fmt::format("bybit {}: {}", code, message.substr(0, 256)),
                    std::to_string(code));
}

/// Bybit's venue::ReplyErrorReader: map_ret_code() of the reply's non-zero retCode as a
/// read's (10016 and 10000 venue_unavailable, 10006 rate_limited, 10002
/// timestamp_out_of_window, ...); empty for retCode 0 or a body without one. Reads the
/// first bytes of the body only (ret_code_text()).
inline std::optional<ErrorCode> reply_error(const HttpResponse& response) noexcept {
  const std::optional<std::string_view> text = ret_code_text(response.body);
  const std::optional<std::int64_t> code = text ? code_value(*text) : std::nullopt;
  if (!code || *code == 0) return std::nullopt;
  return map_ret_code(static_cast<long>(*code), Operation::read);
}

/// The Error for an HTTP status outside 2xx when the body carries no retCode: 403 (the
/// IP limit: stop for at least 10 minutes) and 429 (system frequency protection)
/// rate_limited; 401 auth_failed; 408 and 5xx unknown_outcome on a mutation, timeout or
/// venue_unavailable on a read; 400 and 404 invalid_argument; anything else
/// protocol_error.
inline Error http_status_error(int status, Operation operation) {
  const bool mutation = operation == Operation::mutation;
  ErrorCode code = ErrorCode::protocol_error;
  std::string_view what = "unexpected status";
  if (status == 403) {
    code = ErrorCode::rate_limited;
    what = "forbidden (IP rate limit: wait at least 10 minutes)";
  } else if (status == 429) {
    code = ErrorCode::rate_limited;
    what = "system frequency protection";
  } else if (status == 401) {
    code = ErrorCode::auth_failed;
    what = "unauthorised";
  } else if (status == 408) {
    code = mutation ? ErrorCode::unknown_outcome : ErrorCode::timeout;
    what = "request timeout";
  } else if (status >= 500) {
    code = mutation ? ErrorCode::unknown_outcome : ErrorCode::venue_unavailable;
    what = "server error";
  } else if (status == 400 || status == 404) {
    code = ErrorCode::invalid_argument;
    what = "bad request";
  }
  return make_error(code, fmt::format("bybit HTTP {}: {}", status, what));
}

}  // namespace cts::venue::bybit
