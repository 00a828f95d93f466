#pragma once
/// \file
/// How a venue says "something went wrong on my side, try again" inside an answer whose
/// HTTP status does not say so (Bybit v5: HTTP 200 with `retCode` 10016 "Internal System
/// Error"; OKX 50001 "Service temporarily unavailable"; BingX 100500; OrangeX's JSON-RPC
/// error 10040 "retry"). Each venue that answers so provides a ReplyErrorReader in its
/// folder, which reads the code in the answer's body and maps it through the connector's
/// own error map as a read's; the registry's Connector carries it and the engine's
/// RestChannel calls it on the answers to reads, retrying those whose unified code is
/// transient (rate::may_retry() of an idempotent request: venue_unavailable, timeout,
/// rate_limited). No venue code is listed twice: the error map is the one place that
/// says which codes are transient. Venues whose server errors come with an HTTP 5xx
/// (Binance, Pionex) have none.

#include <cstdint>
#include <optional>
#include <string_view>

#include "cts/core/error.hpp"
#include "cts/core/http.hpp"

namespace cts::venue {

/// Reads the error a venue's answer carries in its body: the unified code the
/// connector's error map gives it for a read, or empty for a success, an answer without
/// a code, or one it cannot read (the connector's parser reports those). Runs on every
/// answer to a read, so it must be cheap on the common answer; never throws.
using ReplyErrorReader = std::optional<ErrorCode> (*)(const HttpResponse& response) noexcept;

/// The value of a venue code's text ("10016", "-32000", "50001"): an optional minus and
/// 1 to 18 digits. nullopt for anything else (empty, other characters, too long).
constexpr std::optional<std::int64_t> code_value(std::string_view text) noexcept {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

}  // namespace cts::venue
