#pragma once
/// \file
/// OKX v5 errors mapped onto the unified ErrorCode taxonomy, keeping OKX's raw code
/// (the envelope's `code` or an item's `sCode`, e.g. "51008") in Error::venue_code and
/// its `msg`/`sMsg` in the message.
///
/// Source: okx.com/docs-v5/en "Error Code" (REST: public 50000-50xxx, API class
/// 50100-50xxx, trade class 51000-54xxx), with the HTTP status each code comes with.

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/detail/http_status.hpp"
#include "cts/venue/reply_error.hpp"
#include "cts/venue/throttle.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::okx {

/// The unified code for OKX code `code` (never 0) on an `operation`.
///
/// Mappings: 50011 (rate limit reached), 50013 (systems busy, HTTP 429), 50040 (too
/// frequent operations) and 50061 (sub-account order rate) rate_limited; 50102
/// (timestamp expired) and 50112 (invalid timestamp) timestamp_out_of_window; 50113
/// invalid_signature; 50030, 50035, 50100, 50101, 50103..50111, 50114, 50119 and 50120
/// (key, passphrase, IP allow-list, permission) auth_failed; 50001 (service unavailable),
/// 50004 (endpoint timeout: "does not mean that the request was successful or failed"),
/// 50026 (system error), 51054 and 51149 (timed out) and 51412 (cancellation timed out)
/// unknown_outcome on a mutation, venue_unavailable on a read; 50005, 50038 (not in demo
/// trading), 50062 and 51010 (not under the account mode) unsupported; 50000, 50002,
/// 50006, 50014..50016, 50024, 50025, 51000, 51001, 51003, 51005, 51007, 51015, 51020,
/// 51101, 51111, 51120, 51121, 51150, 51201..51204, 51407 and 51501 invalid_argument;
/// 51008, 51127, 51131 and 51502 insufficient_funds; 51016 and 50071 (clOrdId already
/// exists) duplicate_client_order_id; 51603 (order does not exist) and 51405 (no pending
/// orders) order_not_found; every other 5xxxx code (among them 51400 and 51503, an order
/// already filled or cancelled: query it for its state) and 1, 2 (operation failed, bulk
/// operation partially succeeded) rejected.
///
/// WebSocket `event` "error" codes ("WebSocket error codes"): 60001..60003 (key, sign
/// or passphrase empty), 60005 (invalid key), 60009 (login failed), 60011 (please log
/// in), 60024 (wrong passphrase) and 60032 (key does not exist) auth_failed; 60004
/// (invalid timestamp) and 60006 (request expired) timestamp_out_of_window; 60007
/// (invalid sign) invalid_signature; 60014 (requests too frequent) rate_limited; 60008
/// (channel not on this endpoint), 60012 (invalid request), 60013 (invalid args), 60018
/// (wrong URL or channel), 60019 (invalid op) invalid_argument; 60029 and 60030
/// (channels reserved to VIP tiers) unsupported; 63999 (login failed by an internal
/// error) venue_unavailable.
///
/// Anything else: unknown_outcome on a mutation and protocol_error on a read.
constexpr ErrorCode map_code(long code, Operation operation) noexcept {
  const bool mutation = operation == Operation::mutation;
  switch (code) {
    case 60001:
    case 60002:
    case 60003:
    case 60005:
    case 60009:
    case 60011:
    case 60024:
    case 60032: return ErrorCode::auth_failed;
    case 60004:
    case 60006: return ErrorCode::timestamp_out_of_window;
    case 60007: return ErrorCode::invalid_signature;
    case 60014: return ErrorCode::rate_limited;
    case 60008:
    case 60012:
    case 60013:
    case 60018:
    case 60019: return ErrorCode::invalid_argument;
    case 60029:
    case 60030: return ErrorCode::unsupported;
    case 63999: return ErrorCode::venue_unavailable;
    case 50011:
    case 50013:
    case 50040:
    case 50061: return ErrorCode::rate_limited;
    case 50102:
    case 50112: return ErrorCode::timestamp_out_of_window;
    case 50113: return ErrorCode::invalid_signature;
    case 50030:
    case 50035:
    case 50100:
    case 50101:
    case 50103:
    case 50104:
    case 50105:
    case 50106:
    case 50107:
    case 50108:
    case 50109:
    case 50110:
    case 50111:
    case 50114:
    case 50119:
    case 50120: return ErrorCode::auth_failed;
    case 50001:
    case 50004:
    case 50026:
    case 51054:
    case 51149:
    case 51412: return mutation ? ErrorCode::unknown_outcome : ErrorCode::venue_unavailable;
    case 50005:
    case 50038:
    case 50062:
    case 51010: return ErrorCode::unsupported;
    case 50000:
    case 50002:
    case 50006:
    case 50014:
    case 50015:
    case 50016:
    case 50024:
    case 50025:
    case 51000:
    case 51001:
    case 51003:
    case 51005:
    case 51007:
    case 51015:
    case 51020:
    case 51101:
    case 51111:
    case 51120:
    case 51121:
    case 51150:
    case 51201:
    case 51202:
    case 51203:
    case 51204:
    case 51407:
    case 51501: return ErrorCode::invalid_argument;
    case 51008:
    case 51127:
    case 51131:
    case 51502: return ErrorCode::insufficient_funds;
    case 50071:
    case 51016: return ErrorCode::duplicate_client_order_id;
    case 51405:
    case 51603: return ErrorCode::order_not_found;
    case 1:
    case 2: return ErrorCode::rejected;
    default: break;
  }
  if (code >= 50000 && code <= 59999) return ErrorCode::rejected;
  return mutation ? ErrorCode::unknown_outcome : ErrorCode::protocol_error;
}

/// The Error for OKX code `code` (non-zero) with message `message`: map_code()'s
/// category, the message "okx <code>: <msg>" (OKX's text, at most 256 bytes, never
/// request parameters or keys) and the code in Error::venue_code.
inline Error code_error(long code, std::string_view message, Operation operation) {
  return make_error(map_code(code, operation), fmt::format("okx {}: {}", code, message.substr(0, 256)),
                    std::to_string(code));
}

/// OKX's venue::ReplyErrorReader: map_code() of the envelope's non-zero `code` as a
/// read's (50001, 50004 and 50026 venue_unavailable, 50011 and 50013 rate_limited, ...);
/// empty for code 0 or a body without one.
inline std::optional<ErrorCode> reply_error(const HttpResponse& response) noexcept {
  const std::optional<std::string_view> text = code_member_text(response.body);
  const std::optional<std::int64_t> code = text ? code_value(*text) : std::nullopt;
  if (!code || *code == 0) return std::nullopt;
  return map_code(static_cast<long>(*code), Operation::read);
}

/// The Error for an HTTP status outside 2xx when the body carries no OKX code: 429
/// rate_limited; 401 and 403 auth_failed; 408 and 5xx unknown_outcome on a mutation,
/// timeout or venue_unavailable on a read; 400, 404 and 405 invalid_argument; anything
/// else protocol_error.
inline Error http_status_error(int status, Operation operation) {
  return cts::venue::detail::common_http_status_error("okx", status, operation);
}

}  // namespace cts::venue::okx
