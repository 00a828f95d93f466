#pragma once
/// \file
/// Parsing of the venue feedback the limiter consumes: usage-count headers such as
/// `X-MBX-USED-WEIGHT-1M`, and (through <cts/core/http_date.hpp>, included here)
/// `Retry-After` with cts::parse_retry_after(). Pure functions; no allocation on success.

#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/detail/text.hpp"
#include "cts/core/error.hpp"
#include "cts/core/http_date.hpp"
#include "cts/core/result.hpp"

namespace cts::rate {

/// Parses a usage header's value (a non-negative decimal count such as "1187").
/// Errors: protocol_error naming the header.
inline Result<std::uint64_t> parse_header_count(std::string_view header_name, std::string_view value) {
  const std::int64_t count = cts::detail::parse_digits(cts::detail::trim_spaces(value));
  if (count < 0) {
    return make_error(ErrorCode::protocol_error, fmt::format("malformed {} header \"{}\" (expected a count)",
                                                             header_name, value.substr(0, 64)));
  }
  return static_cast<std::uint64_t>(count);
}

}  // namespace cts::rate
