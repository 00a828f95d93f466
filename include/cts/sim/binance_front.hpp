#pragma once
/// \file
/// The simulator's Binance-spot-compatible REST front: turns an HttpRequest into the
/// reply Binance would give, against a MatchingEngine. Field names and types (numbers as
/// strings where Binance uses strings), error codes and messages, HTTP statuses, HMAC
/// authentication with timestamp/recvWindow, request-weight and order-count limits with
/// their headers, 429/418, and seeded fault injection.
///
/// Pure: the time is an argument, no I/O; not thread-safe (the Simulator serialises).

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/net/http_server.hpp"
#include "cts/sign/hmac.hpp"
#include "cts/sim/faults.hpp"
#include "cts/sim/matching_engine.hpp"

namespace cts::sim {

/// Binance's limits (spot defaults), adjustable so tests can reach them quickly.
struct RateLimitConfig {
  std::uint32_t request_weight_per_minute = 6000;  ///< REQUEST_WEIGHT per 1 MINUTE (per IP).
  std::uint32_t orders_per_10s = 100;              ///< ORDERS per 10 SECOND (per account).
  std::uint32_t orders_per_day = 200'000;          ///< ORDERS per 1 DAY (per account).
  std::uint32_t violations_before_ban = 3;         ///< 429s answered in a window before the IP is banned (418).
  std::chrono::seconds ban{120};                   ///< First ban length (Binance: from 2 minutes).
};

/// Front settings.
struct FrontConfig {
  RateLimitConfig limits;  ///< Rate limits.
  FaultConfig faults;      ///< Fault injection (none by default).
};

/// Counters for tests and `ctsctl sim`.
struct FrontStats {
  std::uint64_t requests = 0;       ///< Requests seen.
  std::uint64_t executed = 0;       ///< Requests that reached the endpoint logic.
  std::uint64_t faults = 0;         ///< Faults injected.
  std::uint64_t rate_limited = 0;   ///< 429 and 418 answers.
  std::uint64_t signed_requests = 0;  ///< Requests to signed endpoints (orders, account) that reached the key check.
  std::uint64_t auth_rejected = 0;    ///< Of those, refused for the key or the signature (-2014, -2015, -1022).
};

/// See the file comment.
class BinanceFront {
 public:
  /// A front over `engine`, which must outlive it.
  BinanceFront(MatchingEngine& engine, FrontConfig config = {});

  /// Lets `api_key` with `secret` act for `account`. The secret is held only as keyed
  /// HMAC state. Throws cts::Exception(invalid_argument) for an empty key or secret.
  void add_credential(std::string api_key, std::string_view secret, AccountId account);

  /// The reply to `request` received at `now`. Never throws for bad input: every
  /// malformed request gets Binance's error.
  net::ServerReply handle(const HttpRequest& request, SystemTime now);

  /// Counters.
  [[nodiscard]] const FrontStats& stats() const noexcept { return stats_; }
  /// The configuration (faults may be changed between requests; call reset_faults()).
  [[nodiscard]] FrontConfig& config() noexcept { return config_; }
  /// Reseeds the fault dice and rearms the 429 burst from config().faults.
  void reset_faults() noexcept { faults_.reset(config_.faults); }

 private:
  struct Credential {
    AccountId account;
    sign::HmacSha256 mac;
  };
  struct Window {
    std::int64_t start = -1;
    std::uint32_t used = 0;
  };
  class Call;

  HttpResponse dispatch(Call& call);
  HttpResponse rate_limited(std::int64_t now_ms, bool banned);

  MatchingEngine& engine_;
  FrontConfig config_;
  RestFaults faults_;
  std::unordered_map<std::string, Credential> credentials_;
  Window weight_;
  std::uint32_t violations_ = 0;
  std::int64_t banned_until_ms_ = 0;
  std::unordered_map<AccountId, std::pair<Window, Window>> orders_;  // 10 s, 1 day
  FrontStats stats_;
};

}  // namespace cts::sim
