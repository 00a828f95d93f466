#pragma once
/// \file
/// Rate-limit policies as data: a venue's pools (limit per interval, scope, feedback
/// headers), its endpoint costs (fixed or by a parameter such as Binance depth `limit`),
/// its ban rules and its "too many requests" codes. The tables themselves live in
/// cts/rate/policies/*.hpp; cts/rate/venue_policies.hpp maps a VenueId to its table.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/core/venue_id.hpp"
#include "cts/rate/gcra.hpp"

namespace cts::rate {

/// Who a venue counts a pool against.
enum class Scope : std::uint8_t {
  ip,       ///< The source IP address (all keys on this IP share it).
  account,  ///< The account / user id / API key.
};
/// Number of Scope values.
inline constexpr std::size_t kScopeCount = 2;

/// "ip" or "account".
constexpr std::string_view to_string(Scope scope) noexcept { return scope == Scope::ip ? "ip" : "account"; }

/// How a venue counts a pool, which decides how the local GCRA pool is sized.
enum class Counting : std::uint8_t {
  /// At most `limit` per window of `interval` (fixed or rolling windows). The local pool
  /// gets burst limit/2 and refill limit - limit/2 per interval, so that no window of
  /// length `interval` can ever see more than `limit` (burst + refill <= limit). A limit
  /// of 1 gets burst 1 refilled once per two intervals.
  window,
  /// A leaky counter (Kraken): capacity `limit`, decaying by `limit` per `interval`.
  /// The local pool mirrors it exactly: burst limit, refill limit per interval.
  leaky,
};

/// One pool of a venue: a fact from its documentation.
struct PoolSpec {
  std::string_view name;              ///< Venue name of the limit, e.g. "REQUEST_WEIGHT".
  std::uint64_t limit = 0;            ///< Units per interval (or leaky capacity).
  Nanos interval{0};                  ///< Window length (or time to drain `limit`).
  Scope scope = Scope::ip;            ///< Counted per IP or per account.
  Counting counting = Counting::window; ///< How the venue counts.
  std::string_view used_header;       ///< Response header carrying units used, e.g. "X-MBX-USED-WEIGHT-1M"; empty if none.
  std::string_view remaining_header;  ///< Response header carrying units remaining for the request's endpoint; empty if none.
};

/// The local GCRA quota for `spec` when this process owns `share_percent` (1..100) of
/// the venue's budget: the limit is first scaled to max(1, floor(limit·share/100)) (a
/// non-zero limit never drops to zero), then sized per spec.counting.
constexpr Quota quota_for(const PoolSpec& spec, unsigned share_percent = 100) noexcept {
  const unsigned share = share_percent == 0 ? 1 : (share_percent > 100 ? 100 : share_percent);
  std::uint64_t limit = spec.limit;
  if (limit != 0 && share != 100) {
    const auto scaled = static_cast<std::uint64_t>(static_cast<unsigned __int128>(limit) * share / 100);
    limit = scaled == 0 ? 1 : scaled;
  }
  if (spec.counting == Counting::leaky || limit == 0) return Quota{limit, limit, spec.interval};
  // One per window: burst 1, one more only after two windows (1 + W/(2W) < 2 in any window W).
  if (limit == 1) return Quota{1, 1, spec.interval * 2};
  const std::uint64_t burst = limit / 2;
  return Quota{burst, limit - burst, spec.interval};
}

/// Maximum number of pools one request may draw from.
inline constexpr std::size_t kMaxLinkedPools = 4;

/// `weight` units from the pool at index `pool` of the policy's pool table.
struct PoolWeight {
  std::uint8_t pool = 0;      ///< Index into VenuePolicy::pools.
  std::uint32_t weight = 0;   ///< Units (0 still subjects the request to the pool's scope bans).
  friend constexpr bool operator==(const PoolWeight&, const PoolWeight&) = default;
};

/// What one request costs: up to kMaxLinkedPools (pool, weight) pairs, reserved all or
/// nothing. A trivially copyable value: compute it once per endpoint and reuse it.
struct Cost {
  std::array<PoolWeight, kMaxLinkedPools> items{};  ///< The pairs; only the first `size` count.
  std::uint8_t size = 0;                            ///< Number of pairs in use.

  /// The pairs in use.
  [[nodiscard]] constexpr std::span<const PoolWeight> view() const noexcept { return {items.data(), size}; }
  /// Adds `weight` to `pool` (merging with an existing pair). Returns false when the cost
  /// already names kMaxLinkedPools other pools.
  constexpr bool add(std::uint8_t pool, std::uint32_t weight) noexcept {
    for (std::uint8_t i = 0; i < size; ++i) {
      if (items[i].pool == pool) {
        items[i].weight += weight;
        return true;
      }
    }
    if (size == kMaxLinkedPools) return false;
    items[size++] = PoolWeight{pool, weight};
    return true;
  }
  /// The weight drawn from `pool` (0 if the cost does not name it).
  [[nodiscard]] constexpr std::uint32_t weight_of(std::uint8_t pool) const noexcept {
    for (const auto& item : view()) {
      if (item.pool == pool) return item.weight;
    }
    return 0;
  }
  /// This cost `times` times over (a batch of `times` identical requests).
  [[nodiscard]] constexpr Cost times(std::uint32_t times) const noexcept {
    Cost out = *this;
    for (std::uint8_t i = 0; i < out.size; ++i) out.items[i].weight *= times;
    return out;
  }
  friend constexpr bool operator==(const Cost& a, const Cost& b) noexcept {
    if (a.size != b.size) return false;
    for (std::uint8_t i = 0; i < a.size; ++i) {
      if (!(a.items[i] == b.items[i])) return false;
    }
    return true;
  }
};

/// One step of a parameter-dependent weight: `weight` applies when the parameter is
/// at most `up_to` (steps are sorted by up_to).
struct ParamStep {
  std::uint32_t up_to = 0;   ///< Inclusive upper bound of the parameter.
  std::uint32_t weight = 0;  ///< Weight in the step's pool.
};

/// One endpoint of a venue and what it costs.
struct EndpointSpec {
  std::string_view name;     ///< "METHOD /path", plus a qualifier such as " (no symbol)" where the venue prices variants differently.
  std::array<PoolWeight, kMaxLinkedPools> weights{};  ///< Fixed (pool, weight) pairs.
  std::uint8_t size = 0;     ///< Pairs in use.
  std::string_view param;    ///< Name of the parameter the weight depends on ("limit"), empty if fixed.
  std::uint8_t param_pool = 0;              ///< Pool whose weight the parameter sets.
  std::span<const ParamStep> param_steps;   ///< Steps for `param`, sorted by up_to.
  std::uint32_t param_default = 0;          ///< The venue's default for `param` when the caller omits it.
};

/// A status code (and optional meaning) that makes the venue stop serving a scope.
struct BanRule {
  int status = 429;           ///< HTTP status, e.g. 429, 418, 403.
  Scope scope = Scope::ip;    ///< Which scope to block.
  Nanos default_pause{0};     ///< Pause when the response carries no (valid) Retry-After.
};

/// Everything the limiter and connectors need to know about one venue's limits.
struct VenuePolicy {
  VenueId venue{};                             ///< The venue.
  std::span<const PoolSpec> pools;             ///< Pool table (indices are PoolWeight::pool).
  std::span<const EndpointSpec> endpoints;     ///< Endpoint costs.
  std::span<const BanRule> bans;               ///< Statuses that block a scope.
  std::span<const std::string_view> throttle_codes;  ///< Venue error codes that mean "too many requests".
  std::string_view source;                     ///< Where the numbers come from, and how reliable they are.

  /// The endpoint named `name`, if the table has it.
  [[nodiscard]] constexpr const EndpointSpec* find(std::string_view name) const noexcept {
    for (const auto& endpoint : endpoints) {
      if (endpoint.name == name) return &endpoint;
    }
    return nullptr;
  }

  /// The index of the pool named `name`, if any.
  [[nodiscard]] constexpr std::optional<std::uint8_t> pool_index(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < pools.size(); ++i) {
      if (pools[i].name == name) return static_cast<std::uint8_t>(i);
    }
    return std::nullopt;
  }

  /// What a call of endpoint `name` costs. `param` is the value of the endpoint's cost
  /// parameter (e.g. depth `limit`); when omitted the venue's default applies. Errors:
  /// unsupported for an endpoint the table does not know; invalid_argument for a
  /// parameter value above the venue's largest step.
  [[nodiscard]] Result<Cost> cost(std::string_view name, std::optional<std::uint32_t> param = std::nullopt) const {
    const EndpointSpec* endpoint = find(name);
    if (endpoint == nullptr) {
      return make_error(ErrorCode::unsupported,
                        fmt::format("{} rate policy has no endpoint \"{}\"", venue, name.substr(0, 96)));
    }
    Cost out;
    for (std::uint8_t i = 0; i < endpoint->size; ++i) out.add(endpoint->weights[i].pool, endpoint->weights[i].weight);
    if (!endpoint->param_steps.empty()) {
      const std::uint32_t value = param.value_or(endpoint->param_default);
      const ParamStep* step = nullptr;
      for (const auto& candidate : endpoint->param_steps) {
        if (value <= candidate.up_to) {
          step = &candidate;
          break;
        }
      }
      if (step == nullptr) {
        return make_error(ErrorCode::invalid_argument,
                          fmt::format("{} {}: {}={} is above the largest documented value {}", venue, name,
                                      endpoint->param, value, endpoint->param_steps.back().up_to));
      }
      out.add(endpoint->param_pool, step->weight);
    }
    return out;
  }

  /// True when `code` (a venue error code as text, e.g. "-1003", "10006") means the
  /// venue throttled the request.
  [[nodiscard]] constexpr bool is_throttle_code(std::string_view code) const noexcept {
    for (const auto& known : throttle_codes) {
      if (known == code) return true;
    }
    return false;
  }
};

/// Builds an EndpointSpec with fixed weights (a helper for constexpr tables).
constexpr EndpointSpec endpoint(std::string_view name, std::initializer_list<PoolWeight> weights) noexcept {
  EndpointSpec spec;
  spec.name = name;
  for (const auto& w : weights) spec.weights[spec.size++] = w;
  return spec;
}

/// Builds an EndpointSpec whose weight in `pool` depends on parameter `param` through
/// `steps` (plus fixed `weights` in other pools).
constexpr EndpointSpec endpoint_by_param(std::string_view name, std::initializer_list<PoolWeight> weights,
                                         std::string_view param, std::uint8_t pool, std::span<const ParamStep> steps,
                                         std::uint32_t param_default) noexcept {
  EndpointSpec spec = endpoint(name, weights);
  spec.param = param;
  spec.param_pool = pool;
  spec.param_steps = steps;
  spec.param_default = param_default;
  return spec;
}

}  // namespace cts::rate
