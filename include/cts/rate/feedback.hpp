#pragma once
/// \file
/// Parsing of the venue feedback the limiter consumes: usage-count headers such as
/// `X-MBX-USED-WEIGHT-1M`, and (through <cts/core/http_date.hpp>, included here)
/// `Retry-After` with cts::parse_retry_after(); and read_response(), which reads a
/// whole response against a venue's policy. Pure functions; no allocation on success.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "cts/core/detail/text.hpp"
#include "cts/core/error.hpp"
#include "cts/core/http.hpp"
#include "cts/core/http_date.hpp"
#include "cts/core/result.hpp"
#include "cts/rate/policy.hpp"

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

/// What a venue response tells a rate budget (read_response()).
struct ResponseReading {
  /// A scope to block and for how long from now.
  struct Ban {
    Scope scope = Scope::ip;  ///< The scope.
    Nanos pause{0};           ///< Retry-After, or the rule's default pause.
  };
  std::array<Ban, 4> bans{};         ///< The ban rules the status matched (the first 4).
  std::uint8_t ban_count = 0;        ///< Entries of `bans` in use.
  /// (pool index, units the venue says are used out of its full limit), from usage headers.
  std::array<std::pair<std::uint8_t, std::uint64_t>, 16> used{};
  std::uint8_t used_count = 0;       ///< Entries of `used` in use.
  /// A malformed Retry-After or usage header (protocol_error naming it); then `used` is
  /// empty, while the bans still stand (a ban from the status only makes a budget stricter).
  std::optional<Error> problem;
};

/// Reads `response` against `policy`: each ban rule matching the status, paused by
/// Retry-After (read at `wall_now`) or the rule's default; usage headers of the policy's
/// pools; "remaining" headers of the pools of `cost` (the request's cost; null: none).
inline ResponseReading read_response(const VenuePolicy& policy, const HttpResponse& response, SystemTime wall_now,
                                     const Cost* cost) {
  ResponseReading reading;
  for (const auto& rule : policy.bans) {
    if (rule.status != response.status) continue;
    Nanos pause = rule.default_pause;
    if (const auto header = response.header("Retry-After")) {
      const auto parsed = parse_retry_after(*header, wall_now);
      if (parsed) {
        pause = *parsed;
      } else {
        reading.problem = parsed.error();
      }
    }
    if (reading.ban_count < reading.bans.size()) reading.bans[reading.ban_count++] = {rule.scope, pause};
  }
  const auto names_pool = [cost](std::uint8_t pool) {
    if (cost == nullptr) return false;
    for (const auto& item : cost->view()) {
      if (item.pool == pool) return true;
    }
    return false;
  };
  std::uint8_t found = 0;
  for (std::size_t i = 0; i < policy.pools.size() && i < 255 && !reading.problem; ++i) {
    const PoolSpec& spec = policy.pools[i];
    const auto pool = static_cast<std::uint8_t>(i);
    std::optional<std::uint64_t> used;
    if (!spec.used_header.empty()) {
      if (const auto header = response.header(spec.used_header)) {
        const auto value = parse_header_count(spec.used_header, *header);
        if (!value) {
          reading.problem = value.error();
          break;
        }
        used = *value;
      }
    }
    if (!used && !spec.remaining_header.empty() && names_pool(pool)) {
      if (const auto header = response.header(spec.remaining_header)) {
        const auto value = parse_header_count(spec.remaining_header, *header);
        if (!value) {
          reading.problem = value.error();
          break;
        }
        used = *value >= spec.limit ? 0 : spec.limit - *value;
      }
    }
    if (used && found < reading.used.size()) reading.used[found++] = {pool, *used};
  }
  reading.used_count = reading.problem ? 0 : found;
  return reading;
}

}  // namespace cts::rate
