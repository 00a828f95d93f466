#pragma once
/// \file
/// Internal: the unified error for an HTTP status outside 2xx whose body carries no
/// venue error, shared by the connectors whose venues use the statuses the common way
/// (OKX, OrangeX).

#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::detail {

/// 429 rate_limited; 401 and 403 auth_failed; 408 and 5xx unknown_outcome on a mutation,
/// timeout or venue_unavailable on a read; 400, 404 and 405 invalid_argument; anything
/// else protocol_error. The message is "<venue> HTTP <status>: <what>".
inline Error common_http_status_error(std::string_view venue, int status, Operation operation) {
  const bool mutation = operation == Operation::mutation;
  ErrorCode code = ErrorCode::protocol_error;
  std::string_view what = "unexpected status";
  if (status == 429) {
    code = ErrorCode::rate_limited;
    what = "too many requests";
  } else if (status == 401 || status == 403) {
    code = ErrorCode::auth_failed;
    what = "unauthorised";
  } else if (status == 408) {
    code = mutation ? ErrorCode::unknown_outcome : ErrorCode::timeout;
    what = "request timeout";
  } else if (status >= 500) {
    code = mutation ? ErrorCode::unknown_outcome : ErrorCode::venue_unavailable;
    what = "server error";
  } else if (status == 400 || status == 404 || status == 405) {
    code = ErrorCode::invalid_argument;
    what = "bad request";
  }
  return make_error(code, fmt::format("{} HTTP {}: {}", venue, status, what));
}

}  // namespace cts::venue::detail
