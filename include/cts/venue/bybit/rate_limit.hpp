#pragma once
/// \file
/// Bybit's per-UID, per-endpoint rate-limit headers (rate-limit/rate-limit.mdx) as the
/// limiter's server feedback: every reply carries `X-Bapi-Limit` (the endpoint's limit
/// per second), `X-Bapi-Limit-Status` (requests remaining in the current second) and
/// `X-Bapi-Limit-Reset-Timestamp` (when an exhausted limit resets, in ms; otherwise the
/// current time); and the throttle Bybit declares inside an HTTP 200 (`retCode` 10006
/// "Too many visits!"), read by throttle_signal() for the engine's request path.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "cts/core/clock.hpp"
#include "cts/core/detail/text.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/rate/feedback.hpp"
#include "cts/rate/limiter.hpp"
#include "cts/rate/policies/bybit.hpp"
#include "cts/venue/throttle.hpp"

namespace cts::venue::bybit {

/// What one reply's rate-limit headers said.
struct RateLimitStatus {
  std::uint64_t limit = 0;         ///< X-Bapi-Limit: the endpoint's limit per second (0 when absent).
  std::uint64_t remaining = 0;     ///< X-Bapi-Limit-Status: requests left in the current second.
  std::int64_t reset_time_ms = 0;  ///< X-Bapi-Limit-Reset-Timestamp, ms since the epoch (0 when absent).

  /// True when no request is left until the reset.
  [[nodiscard]] constexpr bool exhausted() const noexcept { return remaining == 0; }
  /// The usage to give a local pool whose limit is `pool_limit` so that it has at most
  /// `remaining` requests left (a pool smaller than the venue's limit stays stricter).
  [[nodiscard]] constexpr std::uint64_t used_of(std::uint64_t pool_limit) const noexcept {
    return remaining >= pool_limit ? 0 : pool_limit - remaining;
  }
};

/// Reads the three headers of `response` (names matched without regard to case).
/// nullopt when X-Bapi-Limit-Status is absent (public endpoints, errors before the
/// limiter). Errors: protocol_error naming a header whose value is not a decimal count.
inline Result<std::optional<RateLimitStatus>> parse_rate_limit_headers(const HttpResponse& response) {
  const auto status = response.header("X-Bapi-Limit-Status");
  if (!status) return std::optional<RateLimitStatus>{};
  RateLimitStatus out;
  const auto remaining = rate::parse_header_count("X-Bapi-Limit-Status", *status);
  if (!remaining) return remaining.error();
  out.remaining = *remaining;
  if (const auto limit = response.header("X-Bapi-Limit")) {
    const auto parsed = rate::parse_header_count("X-Bapi-Limit", *limit);
    if (!parsed) return parsed.error();
    out.limit = *parsed;
  }
  if (const auto reset = response.header("X-Bapi-Limit-Reset-Timestamp")) {
    const auto parsed = rate::parse_header_count("X-Bapi-Limit-Reset-Timestamp", *reset);
    if (!parsed) return parsed.error();
    out.reset_time_ms = static_cast<std::int64_t>(*parsed);
  }
  return std::optional<RateLimitStatus>{out};
}

/// Feeds `status` to `limiter`: every account-scoped pool that `cost` (the request's
/// cost) names is raised to status.used_of(its limit) (Limiter::resync_used: only ever
/// stricter). Returns how long to hold the endpoint: the time from `wall_now` to the reset
/// when the limit is exhausted and the reset lies ahead, else zero.
inline Nanos apply_rate_limit_status(rate::Limiter& limiter, const rate::Cost& cost, const RateLimitStatus& status,
                                     SteadyTime now, SystemTime wall_now) noexcept {
  const auto& pools = limiter.policy().pools;
  for (const rate::PoolWeight& item : cost.view()) {
    if (item.pool >= pools.size() || pools[item.pool].scope != rate::Scope::account) continue;
    limiter.resync_used(item.pool, status.used_of(pools[item.pool].limit), now);
  }
  if (!status.exhausted() || status.reset_time_ms == 0) return Nanos::zero();
  const std::int64_t wall_ms = to_unix_millis(wall_now);
  if (status.reset_time_ms <= wall_ms) return Nanos::zero();
  return std::chrono::milliseconds(status.reset_time_ms - wall_ms);
}

/// The text of the `retCode` of a v5 envelope `body` ("0", "10006", "-1"), or nullopt
/// when the body has none. Bybit sends retCode as the first member (`{"retCode":0,...`),
/// which is read without looking further; any other layout is searched for the member.
/// Never parses the rest of the body.
constexpr std::optional<std::string_view> ret_code_text(std::string_view body) noexcept {
  constexpr std::string_view kFirst = R"({"retCode":)";
  constexpr std::string_view kMember = R"("retCode")";
  std::size_t at = kFirst.size();
  if (!body.starts_with(kFirst)) {
    const std::size_t member = body.find(kMember);
    if (member == std::string_view::npos) return std::nullopt;
    const std::string_view rest = cts::detail::trim_spaces(body.substr(member + kMember.size()), " \t\r\n");
    if (rest.empty() || rest.front() != ':') return std::nullopt;
    const std::string_view value = cts::detail::trim_spaces(rest.substr(1), " \t\r\n");
    at = static_cast<std::size_t>(value.data() - body.data());
  }
  std::size_t end = at;
  if (end < body.size() && body[end] == '-') ++end;
  const std::size_t digits = end;
  while (end < body.size() && body[end] >= '0' && body[end] <= '9') ++end;
  if (end == digits) return std::nullopt;
  return body.substr(at, end - at);
}

/// Bybit's venue::ThrottleReader: the signal when the reply's retCode is one of the
/// throttle codes of rate::kBybitPolicy (10006 "Too many visits!", the per-UID limit of
/// an endpoint; 10018 the IP limit; spot's 170005 and 170222), with the reset time from
/// `X-Bapi-Limit-Reset-Timestamp` when the header holds a time in ms. Reads the first
/// bytes of the body only (see ret_code_text()); empty for every other reply, whatever
/// its status (403, Bybit's IP ban, is the rate policy's ban rule).
inline std::optional<ThrottleSignal> throttle_signal(const HttpResponse& response) noexcept {
  const std::optional<std::string_view> code = ret_code_text(response.body);
  if (!code || !rate::kBybitPolicy.is_throttle_code(*code)) return std::nullopt;
  ThrottleSignal signal{*code, std::nullopt};
  if (const auto reset = response.header("X-Bapi-Limit-Reset-Timestamp")) {
    const std::int64_t reset_ms = cts::detail::parse_digits(cts::detail::trim_spaces(*reset));
    if (reset_ms > 0) signal.reset_at = from_unix_millis(reset_ms);
  }
  return signal;
}

}  // namespace cts::venue::bybit
